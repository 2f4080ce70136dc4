/**
 * The local edge honours the origin a viewer-request function selects: a staging plan with regional
 * origins, served from s3rver buckets per Region, viewers told apart by their country header.
 */
import { expect } from 'chai';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readStackConfig } from '../../plan/stack-files';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';
import { localS3Client } from '../../local/origins/s3-origin';
import { buildPlanSerially } from '../helpers/plan';
import { send, testKeys } from './helpers';

describe('local edge with regional origins (staging plan + originRegions)', function () {
  this.timeout(90_000);
  let stack: LocalStack;
  const url = () => stack.edges[0]!.url;

  /** Origin requests per origin id caused by one request. */
  async function originsOf(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; origins: Record<string, number> }> {
    const before = { ...stack.edge.stats.byOrigin };
    const a = await send(url(), path, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
    const origins: Record<string, number> = {};
    for (const [k, v] of Object.entries(stack.edge.stats.byOrigin)) if (v !== (before[k] ?? 0)) origins[k] = v - (before[k] ?? 0);
    return { status: a.status, origins };
  }

  before(async () => {
    const plan = await buildPlanSerially({
      stack: 'staging',
      config: {
        ...readStackConfig('staging'),
        'media-cdn:signingPublicKeyPem': testKeys().publicKey,
        'media-cdn:geoRestrictionType': 'none',
        'media-cdn:geoRestrictionLocations': [],
        'media-cdn:originRegions': ['eu-central-1', 'ap-northeast-1'],
        'media-cdn:apiOriginDomains': { 'eu-central-1': 'api.eu.example.com' },
      },
    });
    stack = await startLocalStack({ plan, seed: { episodes: 1, segments: 3, segmentBytes: 1024 }, edge: { originTimeoutMs: 3000 } });
  });

  after(async () => {
    await stack?.close();
  });

  const cases: [string, string][] = [['DE', 'video-eu-central-1'], ['JP', 'video-ap-northeast-1'], ['US', 'video-primary']];
  for (const [i, [country, origin]] of cases.entries()) {
    it(`fills a ${country} viewer's miss from ${origin}`, async () => {
      // Each viewer asks for a different segment, so each is a miss.
      const r = await originsOf(`/video/orbital-station/s01e01/720p/seg-0000${i}.ts`, { 'x-viewer-country': country });
      expect(r.status).to.equal(200);
      expect(r.origins).to.deep.equal({ [origin]: 1 });
    });
  }

  it('fails a regional images miss over to the fallback origin (the object is only in the primary, not yet replicated)', async () => {
    const client = localS3Client(stack.s3Endpoint);
    await client.send(new PutObjectCommand({ Bucket: stack.buckets.images, Key: 'thumbnails/new-title/poster.jpg', Body: Buffer.from('jpeg'), ContentType: 'image/jpeg' }));
    client.destroy();
    const r = await originsOf('/thumbnails/new-title/poster.jpg', { 'x-viewer-country': 'DE' });
    expect(r.status).to.equal(200);
    expect(r.origins).to.deep.equal({ 'images-eu-central-1': 1, 'images-fallback': 1 });
  });

  it('sends an API write from Germany to the regional API origin (selectRequestOriginById) and one from Brazil to the primary', async () => {
    expect((await originsOf('/api/user/profile', { 'x-viewer-country': 'DE', 'content-type': 'application/json' }, 'POST')).origins).to.deep.equal({ 'api-eu-central-1': 1 });
    expect((await originsOf('/api/user/profile', { 'x-viewer-country': 'BR', 'content-type': 'application/json' }, 'POST')).origins).to.deep.equal({ api: 1 });
  });
});
