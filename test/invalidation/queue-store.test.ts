import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerReference } from '../../lib/invalidation';
import { PARKED, QueueStore, type EnqueueInput } from '../../scripts/invalidation/queue-store';

const request = (id: string, batches: string[][], notBefore = 0): EnqueueInput => ({ id, distributionId: 'E1', source: 'test', notBefore, summary: { billedPaths: batches.flat().length }, batches });

describe('scripts/invalidation/queue-store (SQLite, durable)', () => {
  let dir: string;
  let file: string;
  let store: QueueStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'inv-queue-'));
    file = join(dir, 'q.sqlite');
    store = QueueStore.open(file);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues a request with one row per batch and a CallerReference derived from distribution, items and request id', () => {
    expect(store.enqueue(request('r1', [['/a', '/b*'], ['/c']]), 1000)).to.deep.equal({ created: true });
    const b = store.batches('r1');
    expect(b.map((x) => [x.seq, x.items, x.load, x.state, x.callerReference])).to.deep.equal([
      [0, ['/a', '/b*'], { paths: 1, wildcards: 1 }, 'queued', callerReference('E1', ['/a', '/b*'], 'r1')],
      [1, ['/c'], { paths: 1, wildcards: 0 }, 'queued', callerReference('E1', ['/c'], 'r1')],
    ]);
    expect(store.request('r1')).to.deep.include({ id: 'r1', status: 'queued', createdAt: 1000, notBefore: 0 });
  });

  it('queues the same request id once: re-running a request never adds batches', () => {
    store.enqueue(request('r1', [['/a']]), 1);
    expect(store.enqueue(request('r1', [['/a'], ['/b']]), 2)).to.deep.equal({ created: false });
    expect(store.batches()).to.have.length(1);
  });

  it('hands out due batches oldest request first, holding back --at and backoff times and parked requests', () => {
    store.enqueue(request('later', [['/l']], 5000), 1);
    store.enqueue(request('now', [['/n1'], ['/n2']], 0), 2);
    store.enqueue(request('parked', [['/p']], PARKED), 3);
    expect(store.dueBatches(100).map((b) => `${b.requestId}#${b.seq}`)).to.deep.equal(['now#0', 'now#1']);
    store.markRetry(store.dueBatches(100)[0]!, 200, 'Throttling: Rate exceeded');
    expect(store.dueBatches(100).map((b) => `${b.requestId}#${b.seq}`)).to.deep.equal(['now#1']);
    expect(store.dueBatches(6000).map((b) => `${b.requestId}#${b.seq}`)).to.deep.equal(['later#0', 'now#0', 'now#1']);
    expect(store.nextDueAt()).to.equal(0);
    store.release('parked', 7000);
    expect(store.dueBatches(7000).map((b) => b.requestId)).to.include('parked');
  });

  it('moves batches queued → in progress → completed and marks the request done when all are', () => {
    store.enqueue(request('r1', [['/a'], ['/b']]), 1);
    const [b0, b1] = store.batches('r1');
    store.markSubmitted(b0!, 'I1', 10);
    store.markSubmitted(b1!, 'I2', 11);
    store.markCompleted(b0!, 20);
    expect(store.request('r1')!.status).to.equal('queued');
    store.markCompleted(store.batches('r1')[1]!, 21);
    expect(store.request('r1')!.status).to.equal('done');
    expect(store.batches('r1').map((b) => [b.state, b.invalidationId, b.submittedAt, b.completedAt, b.attempts])).to.deep.equal([['completed', 'I1', 10, 20, 1], ['completed', 'I2', 11, 21, 1]]);
  });

  it('fails a batch, then queues it again with retry', () => {
    store.enqueue(request('r1', [['/a']]), 1);
    store.markFailed(store.batches('r1')[0]!, 'InvalidArgument: bad');
    expect(store.request('r1')!.status).to.equal('failed');
    expect(store.counts()).to.deep.equal({ queued: 0, in_progress: 0, completed: 0, failed: 1 });
    expect(store.requeueFailed('r1', 50)).to.equal(1);
    expect(store.dueBatches(50).map((b) => [b.state, b.attempts])).to.deep.equal([['queued', 0]]);
  });

  it('keeps everything after close and reopen', () => {
    store.enqueue(request('r1', [['/a'], ['/b']]), 1);
    store.markSubmitted(store.batches('r1')[0]!, 'I1', 10);
    store.close();
    store = QueueStore.open(file);
    expect(store.batches('r1').map((b) => b.state)).to.deep.equal(['in_progress', 'queued']);
  });

  it('records a schedule run once: the second record of the same run changes nothing', () => {
    store.addSchedule({ id: 's1', distributionId: 'E1', cron: '0 * * * *', spec: {}, createdAt: 0, nextRunAt: 3_600_000 });
    expect(store.dueSchedules(3_600_000).map((s) => s.id)).to.deep.equal(['s1']);
    expect(store.recordScheduleRun('s1', 3_600_000, 7_200_000, request('sched-s1-1', [['/x']]), 3_600_001)).to.equal(true);
    expect(store.recordScheduleRun('s1', 3_600_000, 7_200_000, request('sched-s1-1b', [['/y']]), 3_600_002)).to.equal(false);
    expect(store.requests().map((r) => r.id)).to.deep.equal(['sched-s1-1']);
    expect(store.schedules()[0]).to.deep.include({ nextRunAt: 7_200_000, lastRunAt: 3_600_000 });
    expect(store.removeSchedule('s1')).to.equal(true);
    expect(store.removeSchedule('s1')).to.equal(false);
  });

  it('lets one worker hold the queue; a lock left by a dead worker is taken over', () => {
    const p = (pid: number) => ({ pid, startedAt: '1' });
    expect(store.acquireWorkerLock(p(100), () => true)).to.deep.equal({ ok: true });
    expect(store.acquireWorkerLock(p(200), (o) => o.pid === 100)).to.deep.equal({ ok: false, holder: p(100) });
    expect(store.acquireWorkerLock(p(200), () => false)).to.deep.equal({ ok: true });
    store.releaseWorkerLock(p(200));
    expect(store.acquireWorkerLock(p(300), () => true)).to.deep.equal({ ok: true });
  });
});
