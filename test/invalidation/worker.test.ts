import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { expect } from 'chai';
import { join } from 'node:path';
import { splitIntoBatches, type MetricInput } from '../../lib/invalidation';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { startCloudWatchServer } from '../../local/aws-json-server';
import { cloudWatchClient } from '../../adapters/aws-clients';
import { putMetrics } from '../../scripts/invalidation/aws';
import { QueueStore, type StoredSchedule } from '../../scripts/invalidation/queue-store';
import { InvalidationWorker } from '../../scripts/invalidation/worker';
import { localApi, sleep, tempDir } from './helpers';

const paths = (n: number, dir = '/video/a/') => Array.from({ length: n }, (_, i) => `${dir}${String(i).padStart(3, '0')}.ts`);

describe('scripts/invalidation/worker against the local CloudFront endpoint', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: QueueStore;
  let ep: CloudFrontEndpoint;
  let api: ReturnType<typeof localApi>;

  async function setup(o: Parameters<typeof startCloudFrontEndpoint>[0]): Promise<void> {
    ep = await startCloudFrontEndpoint({ distributions: ['E1'], ...o });
    api = localApi(ep.endpoint);
  }
  beforeEach(() => {
    tmp = tempDir();
    store = QueueStore.open(join(tmp.dir, 'q.sqlite'));
  });
  afterEach(async () => {
    store.close();
    api?.destroy();
    await ep?.close();
    tmp.remove();
  });

  it('sends every batch within the in-progress quotas, one invalidation per batch with its own CallerReference', async () => {
    await setup({ completionDelayMs: 40, limits: { maxPaths: 25, maxWildcards: 3 }, limitMode: 'record' });
    const items = [...paths(60), '/w/1/*', '/w/2/*', '/w/3/*', '/w/4/*'];
    store.enqueue({ id: 'r1', distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches: splitIntoBatches(items, { paths: 10, wildcards: 2 }) }, Date.now());
    const worker = new InvalidationWorker({ store, api: api.api }, { limits: { maxPaths: 25, maxWildcards: 3 }, pollIntervalMs: 10, inFlightRefreshMs: 10 });
    expect(await worker.run({ until: () => worker.idle(), deadline: Date.now() + 10_000 })).to.equal(true);
    const invs = ep.model.invalidations('E1');
    expect(store.counts()).to.deep.equal({ queued: 0, in_progress: 0, completed: 6, failed: 0 });
    expect(invs.map((i) => i.callerReference).sort()).to.deep.equal(store.batches('r1').map((b) => b.callerReference).sort());
    expect(invs.flatMap((i) => i.items).sort()).to.deep.equal([...items].sort());
    expect(ep.model.stats.limitViolations).to.equal(0);
    expect(ep.model.stats.peakPaths).to.be.at.most(25);
    expect(ep.model.stats.peakWildcards).to.be.at.most(3);
    expect(store.request('r1')!.status).to.equal('done');
  });

  it('counts invalidations made by others as in flight and waits for them', async () => {
    await setup({ completionDelayMs: 150, limits: { maxPaths: 10, maxWildcards: 15 } });
    const other = new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    await other.send(new CreateInvalidationCommand({ DistributionId: 'E1', InvalidationBatch: { CallerReference: 'someone-else', Paths: { Quantity: 8, Items: paths(8, '/x/') } } }));
    other.destroy();
    store.enqueue({ id: 'r1', distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches: [paths(5)] }, Date.now());
    const worker = new InvalidationWorker({ store, api: api.api }, { limits: { maxPaths: 10, maxWildcards: 15 }, pollIntervalMs: 10, inFlightRefreshMs: 10 });
    await worker.tick();
    expect(store.counts().queued).to.equal(1);
    expect(await worker.run({ until: () => worker.idle(), deadline: Date.now() + 10_000 })).to.equal(true);
    expect(ep.model.stats.limitRejections).to.equal(0);
    expect(store.counts().completed).to.equal(1);
  });

  it('backs off on TooManyInvalidationsInProgress and succeeds with the same CallerReference', async () => {
    await setup({ completionDelayMs: 10 });
    ep.faults.injectOnce('too-many-invalidations', 'CreateInvalidation');
    ep.faults.injectOnce('too-many-invalidations', 'CreateInvalidation');
    store.enqueue({ id: 'r1', distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches: [['/a']] }, Date.now());
    const logs: string[] = [];
    const worker = new InvalidationWorker({ store, api: api.api, log: (l) => logs.push(l), random: () => 0.5 }, { backoff: { baseMs: 20, maxMs: 100, maxAttempts: 3 }, pollIntervalMs: 10 });
    expect(await worker.run({ until: () => worker.idle(), deadline: Date.now() + 10_000 })).to.equal(true);
    const b = store.batches('r1')[0]!;
    expect([b.state, b.attempts]).to.deep.equal(['completed', 3]);
    expect(logs.filter((l) => l.includes('TooManyInvalidationsInProgress'))).to.have.length(2);
    expect(new Set(ep.model.creates.map((c) => c.callerReference))).to.deep.equal(new Set([b.callerReference]));
  });

  it('gives up a batch on a fatal error and reports the failure', async () => {
    await setup({ completionDelayMs: 10 });
    store.enqueue({ id: 'r1', distributionId: 'E404', source: 'test', notBefore: 0, summary: {}, batches: [['/a']] }, Date.now());
    const published: MetricInput[] = [];
    const worker = new InvalidationWorker({ store, api: api.api, publish: async (m) => void published.push(m), metricsNamespace: 'MediaCdn/test' }, { pollIntervalMs: 10 });
    await worker.tick();
    expect(store.batches('r1').map((b) => [b.state, b.lastError])).to.deep.equal([['failed', 'NoSuchDistribution (HTTP 404): The specified distribution does not exist: E404.']]);
    expect(published.flatMap((m) => m.MetricData.map((d) => [d.MetricName, d.Value]))).to.deep.equal([['InvalidationPaths', 1], ['InvalidationFailures', 1], ['InvalidationBilledPaths', 0]]);
  });

  it('holds an --at request until its time', async () => {
    await setup({ completionDelayMs: 10 });
    const at = Date.now() + 300;
    store.enqueue({ id: 'later', distributionId: 'E1', source: 'test', notBefore: at, summary: {}, batches: [['/a']] }, Date.now());
    const worker = new InvalidationWorker({ store, api: api.api }, { pollIntervalMs: 10 });
    await worker.tick();
    expect(ep.model.invalidations('E1')).to.have.length(0);
    await worker.run({ until: () => store.counts().completed === 1, deadline: Date.now() + 5000 });
    expect(ep.model.invalidations('E1')[0]!.createTime.getTime()).to.be.at.least(at);
  });

  it('runs a due cron schedule once, with a request id derived from the run, then moves it to the next run', async () => {
    await setup({ completionDelayMs: 10 });
    const runAt = Date.now() - 1000;
    store.addSchedule({ id: 's1', distributionId: 'E1', cron: '*/5 * * * *', spec: {}, createdAt: 0, nextRunAt: runAt });
    const planned: string[] = [];
    const planSchedule = async (s: StoredSchedule, at: Date) => {
      planned.push(`${s.id}@${at.toISOString()}`);
      return { id: `sched-${s.id}-${at.toISOString()}`, distributionId: 'E1', source: `schedule:${s.id}`, notBefore: at.getTime(), summary: {}, batches: [['/metadata/*']] };
    };
    const worker = new InvalidationWorker({ store, api: api.api, planSchedule, distributionId: 'E1' }, { pollIntervalMs: 10 });
    expect(await worker.run({ until: () => worker.idle(), deadline: Date.now() + 5000 })).to.equal(true);
    expect(planned).to.deep.equal([`s1@${new Date(runAt).toISOString()}`]);
    expect(store.requests().map((r) => [r.id, r.status])).to.deep.equal([[`sched-s1-${new Date(runAt).toISOString()}`, 'done']]);
    expect(store.schedules()[0]!.nextRunAt).to.be.greaterThan(Date.now());
    expect(store.schedules()[0]!.nextRunAt % 300_000).to.equal(0);
  });

  it('publishes the metrics with the real CloudWatch client (PutMetricData) to a local CloudWatch', async () => {
    await setup({ completionDelayMs: 30 });
    const received: any[] = [];
    const cw = await startCloudWatchServer({ PutMetricData: (input: unknown) => { received.push(input); return {}; } });
    const client = cloudWatchClient({ endpoint: cw.endpoint, maxAttempts: 1, announce: false }, 'us-east-1');
    store.enqueue({ id: 'r1', distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches: [['/a', '/b']], billedPaths: [2] }, Date.now());
    const worker = new InvalidationWorker({ store, api: api.api, publish: (m) => putMetrics(client, m), metricsNamespace: 'MediaCdn/staging' }, { pollIntervalMs: 10 });
    await worker.run({ until: () => worker.idle(), deadline: Date.now() + 5000 });
    client.destroy();
    await cw.close();
    expect(received.map((r) => r.Namespace)).to.deep.equal(['MediaCdn/staging', 'MediaCdn/staging']);
    const data = received.flatMap((r) => r.MetricData.map((d: any) => [d.MetricName, d.Dimensions[0].Value, d.Unit]));
    expect(data).to.deep.equal([
      ['InvalidationPaths', 'E1', 'Count'], ['InvalidationFailures', 'E1', 'Count'], ['InvalidationBilledPaths', 'E1', 'Count'],
      ['InvalidationTimeToCompletion', 'E1', 'Seconds'],
    ]);
    expect(received[0].MetricData.map((d: any) => d.Value)).to.deep.equal([2, 0, 2]);
    expect(received[1].MetricData[0].Value).to.be.greaterThan(0);
  });

  it('resumes after a restart: an invalidation created but not recorded is found again by its CallerReference', async () => {
    await setup({ completionDelayMs: 20 });
    store.enqueue({ id: 'r1', distributionId: 'E1', source: 'test', notBefore: 0, summary: {}, batches: [['/a'], ['/b']] }, Date.now());
    // A previous worker sent batch 1 and died before recording it.
    const b0 = store.batches('r1')[0]!;
    await api.api.create('E1', b0.callerReference, b0.items);
    const worker = new InvalidationWorker({ store, api: api.api }, { pollIntervalMs: 10, inFlightRefreshMs: 10 });
    await worker.run({ until: () => worker.idle(), deadline: Date.now() + 5000 });
    expect(ep.model.invalidations('E1')).to.have.length(2);
    expect(ep.model.stats).to.deep.include({ created: 2, replays: 1 });
    expect(store.counts().completed).to.equal(2);
    await sleep(0);
  });
});
