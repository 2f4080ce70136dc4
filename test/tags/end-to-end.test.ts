/**
 * Cache tags end to end on 127.0.0.1: the staging plan's local stack (s3rver seeded through the
 * tagging core, the API origin, the local edge), the local CloudFront endpoint with the edge
 * registered, and the real CLI (`npm run invalidate`, in-process) with the real SDK clients. Tags
 * travel from S3 metadata and the API origin's header into the edge's cache entries; `tag
 * video:<id>` and a submit of a whole video's paths both send `#video:<id>`, and exactly that
 * video's objects are refetched.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Plan } from '../../lib/plan';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';
import { localS3Client } from '../../local/origins/s3-origin';
import { main as invalidate } from '../../scripts/invalidate';
import { cloudFrontClient } from '../../adapters/aws-clients';
import { cloudFrontApi } from '../../scripts/invalidation/aws';
import { tempDir } from '../invalidation/helpers';
import { send, stagingPlanWithTestKey } from '../local/helpers';

describe('cache tags end to end: s3rver → local edge → npm run invalidate → local CloudFront endpoint', function () {
  this.timeout(120_000);
  let plan: Plan;
  let stack: LocalStack;
  let endpoint: CloudFrontEndpoint;
  let tmp: ReturnType<typeof tempDir>;
  let outputsFile: string;
  let cf: ReturnType<typeof cloudFrontClient>;
  const out: string[] = [];
  const url = () => stack.edges[0]!.url;
  const xCache = async (path: string) => (await send(url(), path)).headers['x-cache'];

  before(async () => {
    plan = await stagingPlanWithTestKey();
    stack = await startLocalStack({ plan, seed: { episodes: 2, segments: 2, segmentBytes: 1024 } });
    endpoint = await startCloudFrontEndpoint({ distributions: [stack.model.distributionId], completionDelayMs: 0 });
    endpoint.registerCache(stack.model.distributionId, stack.edge);
    tmp = tempDir('tags-e2e-');
    outputsFile = join(tmp.dir, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify(plan.outputs));
    cf = cloudFrontClient({ endpoint: endpoint.endpoint, maxAttempts: 1, announce: false });
  });
  after(async () => {
    cf?.destroy();
    await endpoint?.close();
    await stack?.close();
    tmp?.remove();
  });

  const cli = (args: string[]) => invalidate(['--outputs', outputsFile, '--queue', join(tmp.dir, 'queue.sqlite'), '--no-metrics', '--quiet', ...args], {
    cloudfront: cloudFrontApi(cf),
    s3: () => localS3Client(stack.s3Endpoint),
    out: (l) => out.push(l),
    err: () => {},
  });

  /** Objects of two videos and a static file, each fetched once so the edge caches them. */
  const paths = {
    road: ['/video/the-long-road/s01e01/master.m3u8', '/video/the-long-road/s01e02/720p/seg-00001.ts', '/thumbnails/the-long-road/s01e01.jpg'],
    kitchen: ['/video/kitchen-wars/s01e01/master.m3u8', '/video/kitchen-wars/s01e02/480p/index.m3u8', '/thumbnails/kitchen-wars/s01e02.jpg'],
    other: ['/static/app.css', '/previews/the-long-road.webp'],
  };
  const all = [...paths.road, ...paths.kitchen, ...paths.other];

  it('carries the catalog tags from S3 metadata and the API origin into the edge cache entries, not to viewers', async () => {
    expect(stack.model.cacheTagHeader).to.equal('x-amz-meta-cache-tags');
    const answers = await Promise.all([...all, '/metadata/videos/the-long-road-s01e01.json'].map((p) => send(url(), p)));
    // The response headers policy removes the tag header: it is for CloudFront, not for viewers.
    expect(answers.map((a) => a.headers['x-amz-meta-cache-tags'])).to.deep.equal(answers.map(() => undefined));
    const tagsOf = (uri: string) => [...stack.edge.caches.regional.entries()].find((e) => e.uri === uri)?.tags;
    expect(tagsOf('/thumbnails/the-long-road/s01e01.jpg')).to.deep.equal(['type:thumbnails', 'video:the-long-road']);
    expect(tagsOf('/video/kitchen-wars/s01e01/master.m3u8')).to.deep.equal(['type:video', 'video:kitchen-wars']);
    expect(tagsOf('/static/app.css')).to.deep.equal(['type:static', 'release:app']);
  });

  it("'tag VIDEO:the-long-road' sends one #tag item and removes exactly that video's objects", async () => {
    for (const p of all) await send(url(), p);
    expect(await Promise.all(all.map(xCache))).to.deep.equal(all.map(() => 'Hit from cloudfront'));
    const before = endpoint.model.invalidations(stack.model.distributionId).length;
    expect(await cli(['tag', 'VIDEO:the-long-road', '--wait', '--month-to-date', '0', '--request-id', 'tag-road'])).to.equal(0);
    expect(endpoint.model.invalidations(stack.model.distributionId).slice(before).map((i) => i.items)).to.deep.equal([['#VIDEO:the-long-road']]);
    expect(Object.fromEntries(await Promise.all(all.map(async (p) => [p, await xCache(p)] as const)))).to.deep.equal({
      ...Object.fromEntries(paths.road.map((p) => [p, 'Miss from cloudfront'])),
      ...Object.fromEntries([...paths.kitchen, ...paths.other].map((p) => [p, 'Hit from cloudfront'])),
    });
  });

  it('plans a submit of every path of one video as its #tag (read from S3 metadata, folders listed) and removes only that video', async () => {
    const s3 = localS3Client(stack.s3Endpoint);
    const keys: string[] = [];
    for (const [bucket, prefix] of [[stack.buckets.video, 'video/kitchen-wars/'], [stack.buckets.images, 'thumbnails/kitchen-wars/']] as const) {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      keys.push(...(r.Contents ?? []).map((c) => `/${c.Key}`));
    }
    s3.destroy();
    expect(keys).to.have.length(2 * 8 + 2);
    for (const p of all) await send(url(), p);
    const dryRun = async (items: string[]) => {
      const file = join(tmp.dir, 'dry.json');
      expect(await cli(['submit', ...items, '--dry-run', '--month-to-date', '0', '--json', file])).to.equal(0);
      const planned = JSON.parse(readFileSync(file, 'utf8')).plan;
      return { items: planned.items, tags: planned.tags, over: planned.stats.overInvalidatedObjects };
    };
    // Without its metadata document (on the API origin, which cannot be listed) the tag could over-invalidate
    // one object, over the 5 % bound of 18 changed objects: folder wildcards instead.
    expect(await dryRun(keys)).to.deep.equal({ items: ['/thumbnails/kitchen-wars/*', '/video/kitchen-wars/*'], tags: [], over: 0 });
    // A re-encode changes the document too: every object carrying the tag changed, so the tag is exact.
    keys.push('/metadata/videos/kitchen-wars.json');
    expect(await dryRun(keys)).to.deep.equal({ items: ['#video:kitchen-wars'], tags: [{ tag: 'video:kitchen-wars', replaces: 19, unlistedObjects: 0 }], over: 0 });
    const before = endpoint.model.invalidations(stack.model.distributionId).length;
    expect(await cli(['submit', ...keys, '--wait', '--month-to-date', '0', '--request-id', 'kitchen'])).to.equal(0);
    expect(endpoint.model.invalidations(stack.model.distributionId).slice(before).map((i) => i.items)).to.deep.equal([['#video:kitchen-wars']]);
    expect(await Promise.all(all.map(xCache))).to.deep.equal([
      ...paths.road.map(() => 'Hit from cloudfront'), ...paths.kitchen.map(() => 'Miss from cloudfront'), ...paths.other.map(() => 'Hit from cloudfront'),
    ]);
  });

  it("plans paths with '--tags off', and refuses a tag item the distribution cannot take", async () => {
    const dry = join(tmp.dir, 'off.json');
    expect(await cli(['submit', '/video/kitchen-wars/s01e01/master.m3u8', '/video/kitchen-wars/s01e02/master.m3u8', '--tags', 'off', '--dry-run', '--month-to-date', '0', '--json', dry])).to.equal(0);
    expect(JSON.parse(readFileSync(dry, 'utf8')).plan.tags).to.deep.equal([]);
    const off = join(tmp.dir, 'outputs-off.json');
    writeFileSync(off, JSON.stringify({ ...plan.outputs, cacheTagHeader: '' }));
    let error: unknown;
    await invalidate(['--outputs', off, '--queue', join(tmp.dir, 'queue.sqlite'), '--no-metrics', 'tag', 'video:x'], { cloudfront: cloudFrontApi(cf), out: () => {}, err: () => {} }).catch((e) => (error = e));
    expect((error as { problems?: string[] }).problems).to.deep.equal([
      `distribution ${stack.model.distributionId} has no CacheTagConfig (media-cdn:cacheTagHeader is ''), so CloudFront rejects tag items; set the header, deploy and tag the objects first.`,
    ]);
  });
});
