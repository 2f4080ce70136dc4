/**
 * Tags in the invalidation planner: a changed video's tag replaces its objects' paths when it is
 * exact and cheaper; what the candidates are (objects known to carry a tag, folders still to list);
 * the per-second rate pacing. Pure.
 */
import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import {
  buildRouting, DEFAULT_RATE_LIMITS, planInvalidation, RatePacer, sendSeconds, splitIntoBatches, loadOf, type TagCandidate,
} from '../../lib/invalidation';
import { contentTypeOutputs } from '../../lib/outputs';
import { invalidationMatches } from '../../lib/semantics';
import { derivedTags, objectsWorthReading, tagCandidates, tagScopeTargets } from '../../lib/tagging';
import { seededRandom } from '../../local/cloudfront-endpoint';

const catalog = resolveCatalog();
const routing = buildRouting(contentTypeOutputs(catalog));
const ALL = ['/video/', '/thumbnails/', '/previews/', '/metadata/videos/'];

const video1 = ['/video/1/a.ts', '/video/1/b.ts', '/video/1/master.m3u8', '/thumbnails/1/p.jpg', '/metadata/videos/1.json'];
const video2 = ['/video/2/a.ts', '/video/2/b.ts'];
const origin = [...video1, ...video2, '/video/3/a.ts', '/static/app.js'];

function plan(changed: readonly string[], o: { complete?: string[]; maxOver?: number; tagsOf?: (p: string) => readonly string[] | undefined; extra?: string[] } = {}) {
  const inventory = { paths: origin, completePrefixes: o.complete ?? ALL };
  const requested = [...changed, ...(o.extra ?? [])];
  const tags = tagCandidates({ catalog, changed: requested, inventory, ...(o.tagsOf ? { tagsOf: o.tagsOf } : {}) });
  const p = planInvalidation(requested, inventory, { maxOverInvalidation: o.maxOver ?? 0.05, tags });
  return { items: p.items, tags: p.tags, over: p.stats.overInvalidatedObjects, billed: p.stats.billedPaths, candidates: tags };
}

describe('cache tags in the invalidation planner', () => {
  it('sends one #video tag for a video whose every object changed, across four folders', () => {
    expect(plan(video1)).to.deep.include({ items: ['#video:1'], tags: [{ tag: 'video:1', replaces: 5, unlistedObjects: 0 }], over: 0, billed: 1 });
    expect(planInvalidation(video1, { paths: origin, completePrefixes: ALL }).items).to.deep.equal(['/metadata/videos/1.json', '/thumbnails/1/p.jpg', '/video/1/*']);
  });

  it('keeps paths when one object carrying the tag did not change (the tag would over-invalidate)', () => {
    const changed = video1.filter((p) => p !== '/video/1/master.m3u8');
    const r = plan(changed);
    expect(r.tags).to.deep.equal([]);
    expect(r.items).to.deep.equal(['/metadata/videos/1.json', '/thumbnails/1/p.jpg', '/video/1/a.ts', '/video/1/b.ts']);
    expect(r.candidates.map((c) => [c.tag, [...c.objects].sort()])).to.deep.equal([['video:1', [...video1].sort()]]);
  });

  it('counts a document the inventory cannot list as over-invalidated, within the bound only', () => {
    const changed = video1.filter((p) => !p.startsWith('/metadata/'));
    const complete = ['/video/', '/thumbnails/', '/previews/'];
    expect(plan(changed, { complete })).to.deep.include({ tags: [], over: 0, billed: 2 });
    expect(plan(changed, { complete, maxOver: 0.25 })).to.deep.include({ items: ['#video:1'], tags: [{ tag: 'video:1', replaces: 4, unlistedObjects: 1 }], over: 1, billed: 1 });
  });

  it('prefers the tag on a tie with a wildcard (no wildcard quota, no over-invalidation either way)', () => {
    expect(planInvalidation(video2, { paths: origin, completePrefixes: ALL }).items).to.deep.equal(['/video/2/*']);
    expect(plan(video2)).to.deep.include({ items: ['#video:2'], over: 0, billed: 1 });
  });

  it('does not use a tag that replaces a single path (no saving)', () => {
    expect(plan(['/video/3/a.ts', '/static/app.js'])).to.deep.include({ items: ['/static/app.js', '/video/3/a.ts'], tags: [] });
  });

  it('keeps the path of a changed object that carries no tag (uploaded untagged: its cached copy lacks the tag)', () => {
    const tagsOf = (p: string) => (p === '/video/1/b.ts' ? [] : undefined);
    expect(plan(video1, { tagsOf })).to.deep.include({ items: ['#video:1', '/video/1/b.ts'], billed: 2, over: 0 });
  });

  it('drops the paths a requested tag covers, never repeats it, and sends requested tags as they are', () => {
    expect(plan(video1, { extra: ['#VIDEO:1', '#release:r1'] })).to.deep.include({ items: ['#VIDEO:1', '#release:r1'], tags: [] });
    // Without candidates nothing is known about who carries the tag: the paths stay.
    expect(planInvalidation(['/video/1/a.ts', '#video:1'], undefined).items).to.deep.equal(['#video:1', '/video/1/a.ts']);
  });

  it('uses no tag for a folder the inventory does not cover (over-invalidation could not be counted)', () => {
    expect(plan(video1, { complete: ['/video/', '/metadata/videos/'] }).candidates).to.deep.equal([]);
  });

  it('is exact on seeded random releases: every changed object covered, over-invalidation recounted, tags only for whole videos', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seededRandom(seed);
      const keys: string[] = [];
      const byVideo = new Map<string, string[]>();
      for (let v = 0; v < 12; v++) {
        const id = `v${v}`;
        const objs = [
          ...Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => `/video/${id}/${i}.ts`),
          ...Array.from({ length: Math.floor(r() * 3) }, (_, i) => `/thumbnails/${id}/${i}.jpg`),
          ...(r() < 0.5 ? [`/metadata/videos/${id}.json`] : []),
        ];
        byVideo.set(id, objs);
        keys.push(...objs);
      }
      const changed = new Set<string>();
      for (const objs of byVideo.values()) {
        const x = r();
        if (x < 0.35) objs.forEach((o) => changed.add(o));
        else if (x < 0.6) objs.filter(() => r() < 0.5).forEach((o) => changed.add(o));
      }
      const whole = new Set([...byVideo].filter(([, objs]) => objs.every((o) => changed.has(o))).map(([id]) => id));
      const requested = [...changed];
      const inventory = { paths: keys, completePrefixes: ALL };
      const p = planInvalidation(requested, inventory, { maxOverInvalidation: 0.05, tags: tagCandidates({ catalog, changed: requested, inventory }) });
      let over = 0;
      for (const k of keys) {
        const hit = p.items.some((i) => invalidationMatches(i, { uri: k, tags: derivedTags(catalog, k) }));
        if (changed.has(k)) expect(hit, `seed ${seed}: ${k} changed but not invalidated`).to.equal(true);
        else if (hit) over++;
      }
      expect(over, `seed ${seed}`).to.equal(p.stats.overInvalidatedObjects);
      for (const t of p.tags) expect(whole.has(t.tag.slice('video:'.length)), `seed ${seed}: ${t.tag}`).to.equal(true);
      expect(p.stats.billedPaths, `seed ${seed}`).to.be.at.most(planInvalidation(requested, inventory, { maxOverInvalidation: 0.05 }).stats.billedPaths);
    }
  });
});

describe('cache tag candidates: what to read and what to list', () => {
  it('reads only changed objects that share a bounded tag with another changed object', () => {
    expect(objectsWorthReading(catalog, ['/video/1/a.ts', '/video/1/b.ts?x=1', '/video/2/a.ts', '/static/x.js', '/video/1/*', '#video:1'])).to.deep.equal(['/video/1/a.ts', '/video/1/b.ts']);
  });

  it("lists the tag's folders on S3 origins that the inventory lacks, never a custom origin's", () => {
    expect(tagScopeTargets({ catalog, changed: ['/video/1/a.ts', '/video/1/b.ts'], inventory: { paths: [], completePrefixes: ['/video/'] } }, routing)).to.deep.equal([
      { origin: 'images', keyPrefix: 'previews/1/' },
      { origin: 'images', keyPrefix: 'thumbnails/1/' },
    ]);
    expect(tagScopeTargets({ catalog, changed: ['/video/1/a.ts'], inventory: undefined }, routing)).to.deep.equal([]);
  });

  it('gives each candidate every known carrier, changed or not, and its unlisted documents', () => {
    const c: TagCandidate[] = tagCandidates({ catalog, changed: ['/video/1/a.ts', '/video/1/b.ts'], inventory: { paths: origin, completePrefixes: ['/video/', '/thumbnails/', '/previews/'] } });
    expect(c.map((x) => ({ ...x, objects: [...x.objects].sort() }))).to.deep.equal([
      { tag: 'video:1', objects: ['/thumbnails/1/p.jpg', '/video/1/a.ts', '/video/1/b.ts', '/video/1/master.m3u8'], unlisted: 1 },
    ]);
  });
});

describe('per-second rate pacing (spec §8.4 [3p])', () => {
  const cases: [string, [number, number][], { pathsPerSecond: number; wildcardsPerSecond: number }, number[]][] = [
    // [paths, wildcards] per batch → wait before each, ms
    ['150 paths a second', [[150, 0], [150, 0], [1, 0]], DEFAULT_RATE_LIMITS, [0, 1000, 1000]],
    ['a 1,000-path batch holds the next for 6.7 s', [[1000, 0], [10, 0]], DEFAULT_RATE_LIMITS, [0, 6667]],
    ['wildcards apart from paths', [[0, 5], [100, 0], [0, 1]], DEFAULT_RATE_LIMITS, [0, 0, 5000]],
    ['tags count as paths', [[3, 0], [3, 0]], { pathsPerSecond: 3, wildcardsPerSecond: 1 }, [0, 1000]],
    ['0 turns a limit off', [[1000, 5], [1000, 5]], { pathsPerSecond: 0, wildcardsPerSecond: 0 }, [0, 0]],
  ];
  for (const [name, batches, limits, waits] of cases) {
    it(name, () => {
      const pacer = new RatePacer(limits);
      let now = 0;
      const got: number[] = [];
      for (const [paths, wildcards] of batches) {
        const w = pacer.waitMs({ paths, wildcards }, now);
        got.push(w);
        now += w;
        pacer.record({ paths, wildcards }, now);
      }
      expect(got).to.deep.equal(waits);
    });
  }

  it('counts #tag items with the paths when batching and pacing', () => {
    const items = ['#video:1', '#video:2', '/a', '/b/*'];
    expect(loadOf(items)).to.deep.equal({ paths: 3, wildcards: 1 });
    expect(splitIntoBatches(items, { paths: 2, wildcards: 5 })).to.deep.equal([['#video:1', '#video:2', '/b/*'], ['/a']]);
    expect(sendSeconds({ paths: 300, wildcards: 3 }, DEFAULT_RATE_LIMITS)).to.equal(3);
  });
});
