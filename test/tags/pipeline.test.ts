/**
 * The event pipeline with cache tags: the Lambda handler fed with s3rver's real event notifications
 * reads the changed objects' tags (HeadObject through the function's own reader), lists the tag's
 * folders and invalidates a re-encoded video by its tag; objects uploaded without tags, and objects
 * rewritten by a copy (`npm run tag` in place), keep their paths.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CopyObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { join } from 'node:path';
import { resolveCatalog } from '../../lib/catalog';
import type { HandlerSettings } from '../../lib/invalidation';
import { contentTypeOutputs } from '../../lib/outputs';
import { parsePipelineMessage } from '../../lib/invalidation';
import { tagSettings } from '../../lib/tagging';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { createHandler, type SqsEvent } from '../../functions/invalidation-handler/handler';
import { folderLister, invalidationApi, metadataReader, monthToDateReader } from '../../functions/invalidation-handler/index';
import { putTaggedObject } from '../../scripts/tagging/upload';
import { S3RVER_CREDENTIALS, sleep, startS3rver, tempDir, type LocalS3 } from '../invalidation/helpers';

describe('the invalidation pipeline with cache tags (s3rver events → handler → local endpoint)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let s3rver: LocalS3;
  let ep: CloudFrontEndpoint;
  let s3: S3Client;
  let cf: CloudFrontClient;
  let handle: ReturnType<typeof createHandler>;
  const logs: string[] = [];
  const settings: HandlerSettings = {
    distributionId: 'ETAGS1',
    buckets: { 'origin-video': 'video', 'origin-images': 'images' },
    contentTypes: contentTypeOutputs(resolveCatalog()),
    maxOverInvalidation: 0.05,
    metricsNamespace: 'MediaCdn/test',
    maxListedObjects: 1000,
    batchPaths: 1000,
    batchWildcards: 5,
    cacheTagHeader: 'x-amz-meta-cache-tags',
  };
  const tags = tagSettings(resolveCatalog(), 'x-amz-meta-cache-tags');
  const segments = (video: string, n: number) => Array.from({ length: n }, (_, i) => `video/${video}/720p/seg-${String(i).padStart(3, '0')}.ts`);
  const sqs = (bodies: unknown[], prefix: string): SqsEvent => ({ Records: bodies.map((b, i) => ({ messageId: `${prefix}-${i}`, body: JSON.stringify(b) })) });

  /** Runs `change`, then feeds the events it caused to the handler; returns the items of the new invalidations. */
  async function afterEvents(prefix: string, change: () => Promise<void>): Promise<string[][]> {
    await sleep(20);
    s3rver.events.length = 0;
    await change();
    await sleep(50);
    const before = ep.model.invalidations('ETAGS1').length;
    const r = await handle(sqs([...s3rver.events], prefix));
    expect(r.batchItemFailures).to.deep.equal([]);
    return ep.model.invalidations('ETAGS1').slice(before).map((i) => [...i.items].sort());
  }

  before(async () => {
    tmp = tempDir('tags-pipeline-');
    s3rver = await startS3rver(join(tmp.dir, 's3'), ['origin-video', 'origin-images']);
    ep = await startCloudFrontEndpoint({ distributions: ['ETAGS1'], completionDelayMs: 20 });
    s3 = new S3Client({ endpoint: s3rver.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    cf = new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
    handle = createHandler({
      settings, api: invalidationApi(cf), monthToDatePaths: monthToDateReader(cf, 'ETAGS1'), listFolder: folderLister(s3), headMetadata: metadataReader(s3),
      log: (l) => logs.push(l), sleep: () => sleep(1), backoff: { baseMs: 1, maxMs: 5, maxAttempts: 3 },
    });
    // Two tagged videos already at the origin.
    for (const key of [...segments('5', 24), 'video/5/master.m3u8', ...segments('6', 3)]) {
      await putTaggedObject(s3, tags, { bucket: 'origin-video', key, body: 'v0', contentType: 'video/mp2t' });
    }
    await putTaggedObject(s3, tags, { bucket: 'origin-images', key: 'thumbnails/5/poster.jpg', body: 'v0', contentType: 'image/jpeg' });
  });
  after(async () => {
    s3?.destroy();
    cf?.destroy();
    await ep?.close();
    await s3rver?.close();
    tmp?.remove();
  });

  it('invalidates a re-encoded video (tagged uploads over two buckets) by its tag', async () => {
    const items = await afterEvents('reencode', async () => {
      for (const key of [...segments('5', 24), 'video/5/master.m3u8']) await putTaggedObject(s3, tags, { bucket: 'origin-video', key, body: 'v1', contentType: 'video/mp2t' });
      await putTaggedObject(s3, tags, { bucket: 'origin-images', key: 'thumbnails/5/poster.jpg', body: 'v1', contentType: 'image/jpeg' });
    });
    expect(items).to.deep.equal([['#video:5']]);
    expect(logs).to.include('cache tags: #video:5 replaces 26 paths');
  });

  it('keeps paths when a video is re-encoded only in part (the tag would over-invalidate)', async () => {
    const items = await afterEvents('partial', async () => {
      for (const key of segments('5', 24)) await putTaggedObject(s3, tags, { bucket: 'origin-video', key, body: 'v2', contentType: 'video/mp2t' });
    });
    expect(items).to.deep.equal([['/video/5/720p/*']]);
  });

  it('keeps paths for objects uploaded without tags (their cached copies carry none)', async () => {
    const items = await afterEvents('untagged', async () => {
      for (const key of segments('6', 3)) await s3.send(new PutObjectCommand({ Bucket: 'origin-video', Key: key, Body: 'v1' }));
    });
    expect(items).to.deep.equal([['/video/6/720p/*']]);
  });

  it('keeps paths for objects rewritten by a copy (npm run tag in place): the event says Copy', async () => {
    const keys = segments('6', 3);
    const items = await afterEvents('retag', async () => {
      for (const key of keys) {
        await s3.send(new CopyObjectCommand({ Bucket: 'origin-video', Key: key, CopySource: `origin-video/${key}`, MetadataDirective: 'REPLACE', Metadata: { 'cache-tags': 'type:video,video:6' } }));
      }
    });
    expect(items).to.deep.equal([['/video/6/720p/*']]);
    const parsed = parsePipelineMessage(JSON.stringify(s3rver.events[0]));
    expect(parsed).to.deep.equal({ kind: 'object-changes', changes: [{ bucket: 'origin-video', key: keys[0], removed: false, copy: true }] });
  });

  it('reads EventBridge copies as copies too', () => {
    const event = { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: 'b' }, object: { key: 'video/1/a.ts' }, reason: 'CopyObject' } };
    expect(parsePipelineMessage(JSON.stringify(event))).to.deep.equal({ kind: 'object-changes', changes: [{ bucket: 'b', key: 'video/1/a.ts', removed: false, copy: true }] });
    expect(parsePipelineMessage(JSON.stringify({ ...event, detail: { ...event.detail, reason: 'PutObject' } }))).to.deep.equal({ kind: 'object-changes', changes: [{ bucket: 'b', key: 'video/1/a.ts', removed: false }] });
  });
});
