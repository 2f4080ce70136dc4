/**
 * planTags: the tag planning the CLI and the pipeline's Lambda share, with its I/O (reading tags,
 * listing folders) injected: what it reads, what it lists, and the candidates it hands the planner.
 */
import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { buildRouting, pathToKey, planInvalidation, type ListingTarget } from '../../lib/invalidation';
import { contentTypeOutputs } from '../../lib/outputs';
import { planTags, type TagPlanningIo } from '../../lib/tagging';

const catalog = resolveCatalog();
const routing = buildRouting(contentTypeOutputs(catalog));

/** The origin of the fake: every object of video 7 and 8, keyed by folder. */
/** Video 7 in all its folders, its metadata document (a custom origin, never listed) included. */
const video7 = ['/video/7/a.ts', '/video/7/b.ts', '/video/7/master.m3u8', '/thumbnails/7/p.jpg', '/metadata/videos/7.json'];
const video8 = ['/video/8/a.ts', '/video/8/b.ts'];
const origin = [...video7, ...video8].filter((p) => !p.startsWith('/metadata/'));

function fakeIo(o: { tags?: (p: string) => readonly string[] | undefined; incomplete?: string; known?: (p: string) => readonly string[] | undefined } = {}) {
  const reads: string[][] = [];
  const lists: ListingTarget[] = [];
  const io: TagPlanningIo = {
    readTags: async (paths) => {
      reads.push([...paths]);
      return new Map(paths.map((p) => [p, o.tags ? o.tags(p) : [`video:${/\/(\d+)[/.]/.exec(p)![1]}`]]));
    },
    listFolder: async (t) => {
      lists.push(t);
      const keys = origin.map(pathToKey).filter((k) => k.startsWith(t.keyPrefix));
      return { keys, complete: t.keyPrefix !== o.incomplete };
    },
    ...(o.known ? { knownTags: o.known } : {}),
  };
  return { io, reads, lists };
}

describe('planTags (tag planning shared by the CLI and the Lambda, I/O injected)', () => {
  it('reads the changed objects\' tags, lists the tag\'s S3 folders, and lets the planner send one #video tag', async () => {
    const { io, reads, lists } = fakeIo();
    const r = await planTags({ catalog, routing, items: video7, inventory: undefined }, io);
    expect(reads).to.deep.equal([[...video7]]);
    expect(lists.map((t) => `${t.origin} ${t.keyPrefix}`)).to.include.members(['video video/7/', 'images thumbnails/7/']);
    expect(r).to.deep.include({ read: 5, untagged: 0 });
    expect(r!.tags.map((c) => [c.tag, [...c.objects].sort()])).to.deep.equal([['video:7', [...video7].sort()]]);
    expect(r!.inventory.completePrefixes).to.include.members(['/video/7/', '/thumbnails/7/']);
    const plan = planInvalidation(video7, r!.inventory, { maxOverInvalidation: 0.05, tags: r!.tags });
    expect(plan.items).to.deep.equal(['#video:7']);
  });

  it('keeps paths for objects that carry no tags, and counts them', async () => {
    const { io } = fakeIo({ tags: () => [] });
    const r = await planTags({ catalog, routing, items: video7, inventory: undefined }, io);
    expect(r).to.deep.include({ read: 5, untagged: 5, tags: [] });
  });

  it('drops a folder it could not list completely (the Lambda\'s bound): the tag is no candidate', async () => {
    const { io } = fakeIo({ incomplete: 'video/7/' });
    const r = await planTags({ catalog, routing, items: video7, inventory: undefined }, io);
    expect(r!.tags).to.deep.equal([]);
    expect(r!.inventory.completePrefixes).to.not.include('/video/7/');
  });

  it('does not read objects whose tags are known (copies and removals carry none), and keeps their paths', async () => {
    const { io, reads } = fakeIo({ known: (p) => (p === '/video/7/master.m3u8' ? [] : undefined) });
    const r = await planTags({ catalog, routing, items: video7, inventory: undefined }, io);
    expect(reads).to.deep.equal([video7.filter((p) => p !== '/video/7/master.m3u8')]);
    expect(r!.tags.map((c) => c.tag)).to.deep.equal(['video:7']);
    expect(r!.tags[0]!.objects).to.not.include('/video/7/master.m3u8');
    const plan = planInvalidation(video7, r!.inventory, { maxOverInvalidation: 0.05, tags: r!.tags });
    expect(plan.items).to.deep.equal(['#video:7', '/video/7/master.m3u8']);
  });

  it('does no I/O when no two changed objects could share a tag (one object, wildcards, tags)', async () => {
    for (const items of [['/video/7/a.ts'], ['/video/7/*', '/video/8/*'], ['#video:7', '/video/8/a.ts']]) {
      const { io, reads, lists } = fakeIo();
      expect(await planTags({ catalog, routing, items, inventory: undefined }, io), items.join(' ')).to.equal(undefined);
      expect([reads, lists]).to.deep.equal([[], []]);
    }
  });

  it('keeps what the inventory already covers and does not list it again', async () => {
    const { io, lists } = fakeIo();
    const inventory = { paths: video7, completePrefixes: ['/video/7/', '/thumbnails/7/'] };
    const r = await planTags({ catalog, routing, items: video7, inventory }, io);
    expect(lists.map((t) => t.keyPrefix)).to.not.include.members(['video/7/', 'thumbnails/7/']);
    expect([...r!.inventory.paths].filter((p) => p === '/video/7/a.ts')).to.have.length(1);
  });
});
