/**
 * The CLI worker within the per-second rates (spec §8.4 [3p]) on a virtual clock, against the local
 * CloudFront endpoint with the real SDK: `#tag` items count with the paths, wildcards apart, and a
 * batch held back by the rate goes exactly when the rate allows — never earlier.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { splitIntoBatches, type InvalidationApi } from '../../lib/invalidation';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { QueueStore } from '../../scripts/invalidation/queue-store';
import { InvalidationWorker } from '../../scripts/invalidation/worker';
import { localApi, tempDir } from '../invalidation/helpers';

describe('the worker within the per-second rates (virtual clock, local endpoint)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: QueueStore;
  let ep: CloudFrontEndpoint;
  let api: ReturnType<typeof localApi>;
  beforeEach(async () => {
    tmp = tempDir('tags-rate-');
    store = QueueStore.open(join(tmp.dir, 'q.sqlite'));
    ep = await startCloudFrontEndpoint({ distributions: ['E1'], completionDelayMs: 0 });
    api = localApi(ep.endpoint);
  });
  afterEach(async () => {
    store.close();
    api.destroy();
    await ep.close();
    tmp.remove();
  });

  const cases: [string, { pathsPerSecond: number; wildcardsPerSecond: number } | undefined, number[]][] = [
    ['10 paths/s and one wildcard every 2 s', { pathsPerSecond: 10, wildcardsPerSecond: 0.5 }, [0, 2000, 3000]],
    ['no rates: as fast as the quotas allow', undefined, [0, 0, 0]],
  ];
  for (const [name, rates, times] of cases) {
    it(`sends at ${times.join(', ')} ms with ${name}`, async () => {
      let t = 0;
      const sent: number[] = [];
      const timed: InvalidationApi = { ...api.api, create: (d, r, items) => { sent.push(t); return api.api.create(d, r, items); } };
      // 26 paths and 4 tags (30 plain items) and 2 wildcards in 3 batches: [10 + 1 wildcard], [10 + 1 wildcard], [10].
      const items = [...Array.from({ length: 26 }, (_, i) => `/video/a/${String(i).padStart(2, '0')}.ts`), '#video:1', '#video:2', '#video:3', '#video:4', '/w/1/*', '/w/2/*'];
      const batches = splitIntoBatches(items, { paths: 10, wildcards: 1 });
      expect(batches.map((b) => b.length)).to.deep.equal([11, 11, 10]);
      store.enqueue({ id: 'r1', distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches }, 0);
      const worker = new InvalidationWorker(
        { store, api: timed, now: () => t, sleep: async (ms) => { t += ms; } },
        { ...(rates ? { rates } : {}), pollIntervalMs: 60_000, inFlightRefreshMs: 0 },
      );
      expect(await worker.run({ until: () => worker.idle(), deadline: 600_000 })).to.equal(true);
      expect(sent).to.deep.equal(times);
      expect(ep.model.invalidations('E1').flatMap((i) => i.items).sort()).to.deep.equal([...items].sort());
    });
  }
});
