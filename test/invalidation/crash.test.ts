/**
 * Crash safety of the durable queue: the real CLI worker (a child process running
 * scripts/invalidate.ts, bundled once for a fast start) is SIGKILLed at random moments 20 times and restarted; afterwards every path was invalidated exactly once and no
 * CallerReference made two invalidations.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { seededRandom, startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { QueueStore } from '../../scripts/invalidation/queue-store';
import { bundleCli, cliEnv, REPO, sleep, tempDir, writeOutputs, enqueueThreeReleases } from './helpers';

const KILLS = 20;
const LIMITS = { maxPaths: 40, maxWildcards: 4 };

function startWorker(cli: string, outputs: string, queue: string, endpoint: string): ChildProcess {
  return spawn(process.execPath, [cli,
    '--outputs', outputs, '--queue', queue, '--endpoint', endpoint, '--no-metrics', '--quiet',
    'worker', '--exit-when-idle', '--poll-ms', '15', '--backoff-base-ms', '10', '--backoff-max-ms', '100',
    '--max-paths-in-flight', String(LIMITS.maxPaths), '--max-wildcards-in-flight', String(LIMITS.maxWildcards),
    '--sdk-max-attempts', '1', '--request-timeout-ms', '2000',
  ], { cwd: REPO, env: cliEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('crash safety: the worker SIGKILLed 20 times at random moments (child processes)', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof tempDir>;
  let ep: CloudFrontEndpoint;
  let cli: string;

  before(async () => {
    tmp = tempDir('inv-crash-');
    cli = bundleCli(tmp.dir);
  });
  after(async () => {
    await ep?.close();
    tmp?.remove();
  });

  it('loses nothing and duplicates nothing: every path invalidated once, one invalidation per CallerReference, lost answers replayed', async () => {
    const random = seededRandom(2024);
    const { outputs, file } = writeOutputs(tmp.dir);
    const delays = seededRandom(7);
    ep = await startCloudFrontEndpoint({ distributions: [outputs.distributionId], limits: LIMITS, completionDelayMs: () => 30 + Math.floor(delays() * 90) });
    const queue = join(tmp.dir, 'queue.sqlite');

    // Three requests, 64 batches in all, queued before any worker runs.
    const store = QueueStore.open(queue);
    const requested = enqueueThreeReleases(store, outputs.distributionId);
    const batchRefs = store.batches().map((b) => b.callerReference);
    store.close();
    expect(batchRefs).to.have.length(60);

    let killsAfterWork = 0;
    let lostAnswers = 0;
    ep.setFaults({ rate: 0, kinds: ['slow'], slowMs: 1000 });
    const stderr: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const callsBefore = ep.calls.length;
      const child = startWorker(cli, file, queue, ep.endpoint);
      child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
      const done = exited(child);
      if (k % 4 === 3) {
        // Kill between CloudFront creating the invalidation and the worker recording it: the
        // answer is held back (slow fault), the invalidation already exists.
        const created = ep.model.stats.created;
        ep.faults.injectOnce('slow', 'CreateInvalidation');
        const deadline = Date.now() + 5000;
        while (ep.model.stats.created === created && child.exitCode === null && Date.now() < deadline) await sleep(2);
        if (ep.model.stats.created > created) lostAnswers++;
      } else if (random() < 0.2) {
        // Sometimes kill during start-up, before any call.
        await Promise.race([sleep(Math.floor(random() * 300)), done]);
      } else {
        // Usually wait for the worker to reach CloudFront, then kill it a random moment later.
        const deadline = Date.now() + 5000;
        while (ep.calls.length === callsBefore && child.exitCode === null && Date.now() < deadline) await sleep(2);
        await Promise.race([sleep(Math.floor(random() * 60)), done]);
        if (ep.calls.length > callsBefore) killsAfterWork++;
      }
      child.kill('SIGKILL');
      const { signal, code } = await done;
      expect(signal === 'SIGKILL' || code === 0, `worker ${k + 1} ended by SIGKILL or finished (code ${code}, signal ${signal}): ${stderr.join('')}`).to.equal(true);
    }

    // A last worker, not killed, finishes the queue.
    const last = startWorker(cli, file, queue, ep.endpoint);
    last.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
    const end = await exited(last);
    expect(end.code, stderr.join('')).to.equal(0);

    const check = QueueStore.open(queue);
    expect(check.counts()).to.deep.equal({ queued: 0, in_progress: 0, completed: 60, failed: 0 });
    check.close();

    const invalidations = ep.model.invalidations(outputs.distributionId);
    const refs = invalidations.map((i) => i.callerReference);
    expect(refs.length, 'one invalidation per batch').to.equal(60);
    expect(new Set(refs).size, 'no CallerReference made two invalidations').to.equal(refs.length);
    expect([...refs].sort()).to.deep.equal([...batchRefs].sort());
    const sent = invalidations.flatMap((i) => i.items);
    expect(sent.length, 'no path invalidated twice').to.equal(new Set(sent).size);
    expect([...sent].sort()).to.deep.equal([...requested].sort());
    expect(ep.model.stats.alreadyExists, 'a CallerReference was never reused for other paths').to.equal(0);
    expect(ep.model.stats.peakPaths).to.be.at.most(LIMITS.maxPaths);
    expect(ep.model.stats.peakWildcards).to.be.at.most(LIMITS.maxWildcards);
    expect(killsAfterWork, 'most kills hit a worker that was talking to CloudFront').to.be.at.least(10);
    // Each lost answer was recovered by sending the same CallerReference again: CloudFront returned the original.
    expect(lostAnswers, 'kills right after CloudFront created an invalidation').to.equal(5);
    expect(ep.model.stats.replays).to.be.at.least(lostAnswers);
  });
});
