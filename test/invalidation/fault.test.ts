/**
 * Fault tolerance: the worker (real SDK client through the CLI's adapter, the SDK's own retries
 * turned down to 2 attempts) against a local CloudFront that injects a fault into 30 % of all
 * calls — throttling, TooManyInvalidationsInProgress, 500, 503, answers slower than the client's
 * timeout, reset connections, and invalidations created but answered with a 500. The endpoint
 * accepts batches over the quotas but records them, so the test sees whether the worker kept within.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { splitIntoBatches } from '../../lib/invalidation';
import { ALL_FAULT_KINDS, startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { QueueStore } from '../../scripts/invalidation/queue-store';
import { InvalidationWorker } from '../../scripts/invalidation/worker';
import { localApi, tempDir } from './helpers';

const LIMITS = { maxPaths: 30, maxWildcards: 3 };

describe('fault tolerance: 30 % injected faults (local CloudFront endpoint)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let ep: CloudFrontEndpoint;
  let api: ReturnType<typeof localApi>;
  let store: QueueStore;

  before(async () => {
    tmp = tempDir('inv-fault-');
    ep = await startCloudFrontEndpoint({ distributions: ['E1'], limits: LIMITS, limitMode: 'record', completionDelayMs: 250 });
    api = localApi(ep.endpoint, { sdkMaxAttempts: 2, requestTimeoutMs: 150 });
    store = QueueStore.open(join(tmp.dir, 'q.sqlite'));
  });
  after(async () => {
    store.close();
    api.destroy();
    await ep.close();
    tmp.remove();
  });

  it('completes every batch, never exceeds the in-progress quotas and never invalidates a path twice', async () => {
    const requested: string[] = [];
    for (let r = 0; r < 2; r++) {
      const items = [...Array.from({ length: 100 }, (_, i) => `/static/r${r}/asset-${i}.js`), ...Array.from({ length: 6 }, (_, i) => `/video/r${r}/t${i}/*`)];
      requested.push(...items);
      store.enqueue({ id: `r${r}`, distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches: splitIntoBatches(items, { paths: 5, wildcards: 1 }) }, Date.now() + r);
    }
    // 30 % of all calls fail; CreateInvalidation's faults lean to ambiguous outcomes (the invalidation
    // may exist although the call failed: a 500 after creating it, an answer slower than the timeout).
    ep.setFaults({
      rate: 0.3,
      kinds: ['throttling', 'internal-error', 'service-unavailable', 'slow', 'reset'],
      kindsByOperation: { CreateInvalidation: [...ALL_FAULT_KINDS, 'create-then-fail', 'create-then-fail', 'slow'] },
      slowMs: 400,
      seed: 11,
    });
    const worker = new InvalidationWorker(
      { store, api: api.api, random: () => 0.5 },
      { limits: LIMITS, backoff: { baseMs: 5, maxMs: 60, maxAttempts: 8 }, pollIntervalMs: 15, inFlightRefreshMs: 15 },
    );
    expect(await worker.run({ until: () => worker.idle(), deadline: Date.now() + 45_000 }), 'the worker finished').to.equal(true);
    ep.setFaults(undefined);

    expect(store.counts()).to.deep.equal({ queued: 0, in_progress: 0, completed: 40, failed: 0 });
    expect(ep.model.stats.limitViolations, 'no batch was sent over the in-progress quotas').to.equal(0);
    expect(ep.model.stats.peakPaths).to.be.at.most(LIMITS.maxPaths);
    expect(ep.model.stats.peakWildcards).to.be.at.most(LIMITS.maxWildcards);
    const invalidations = ep.model.invalidations('E1');
    expect(invalidations.map((i) => i.callerReference).sort()).to.deep.equal(store.batches().map((b) => b.callerReference).sort());
    const sent = invalidations.flatMap((i) => i.items);
    expect(sent.length).to.equal(new Set(sent).size);
    expect([...sent].sort()).to.deep.equal([...requested].sort());
    expect(ep.model.stats.alreadyExists).to.equal(0);
    const injected = Object.values(ep.faults.injected).reduce((a, b) => a + b, 0);
    expect(injected, `faults injected: ${JSON.stringify(ep.faults.injected)}`).to.be.at.least(10);
    expect(ep.faults.injected['create-then-fail'] + ep.faults.injected.slow, 'ambiguous outcomes were injected').to.be.at.least(1);
  });
});
