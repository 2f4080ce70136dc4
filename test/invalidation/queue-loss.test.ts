/**
 * The queue survives its file: the real CLI worker (a child process) runs against the local
 * CloudFront endpoint while its queue file is deleted, replaced or overwritten with garbage. Each
 * run ends with a clear exit code and one line, and every requested path is either invalidated (the
 * endpoint created it) or listed by `queue export` as not yet completed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { seededRandom, startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import type { QueueExport } from '../../scripts/invalidation/queue-recovery';
import { QueueStore } from '../../scripts/invalidation/queue-store';
import { bundleCli, cliEnv, REPO, sleep, tempDir, writeOutputs, enqueueThreeReleases } from './helpers';

const LIMITS = { maxPaths: 100, maxWildcards: 10 };

/** The lines a command printed on stderr, but the one line saying where AWS requests go. */
const messages = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('aws: '));

function runCli(cli: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string; stdout: string }> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd: REPO, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => child.once('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stderr, stdout });
  }));
  return { child, done };
}

describe('the queue survives its file: deleted, replaced or corrupted while the worker runs (child processes)', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof tempDir>;
  let ep: CloudFrontEndpoint | undefined;
  let cli: string;

  before(() => {
    tmp = tempDir('inv-loss-');
    cli = bundleCli(tmp.dir);
  });
  afterEach(async () => {
    await ep?.close();
    ep = undefined;
  });
  after(() => tmp?.remove());

  /** A queue of 3 requests (60 batches, 618 paths) and a worker sending it against a fresh endpoint. */
  async function setUp(name: string) {
    const dir = join(tmp.dir, name);
    mkdirSync(dir);
    const { outputs, file } = writeOutputs(dir);
    const delays = seededRandom(11);
    ep = await startCloudFrontEndpoint({ distributions: [outputs.distributionId], limits: LIMITS, completionDelayMs: () => 40 + Math.floor(delays() * 80) });
    const queue = join(dir, 'queue.sqlite');
    const store = QueueStore.open(queue);
    const requested = enqueueThreeReleases(store, outputs.distributionId);
    store.close();
    const workerArgs = [
      '--outputs', file, '--queue', queue, '--endpoint', ep.endpoint, '--no-metrics', '--quiet',
      'worker', '--exit-when-idle', '--poll-ms', '15', '--backoff-base-ms', '10', '--backoff-max-ms', '100',
      '--max-paths-in-flight', String(LIMITS.maxPaths), '--max-wildcards-in-flight', String(LIMITS.maxWildcards), '--sdk-max-attempts', '1',
      '--rate-paths-per-second', '0', '--rate-wildcards-per-second', '0',
    ];
    const worker = runCli(cli, workerArgs);
    const endpoint = ep;
    const sentAtLeast = async (n: number) => {
      const deadline = Date.now() + 20_000;
      while (endpoint.model.invalidations(outputs.distributionId).length < n && worker.child.exitCode === null && Date.now() < deadline) await sleep(5);
      expect(endpoint.model.invalidations(outputs.distributionId).length, 'the worker was sending when the file went').to.be.within(n, 59);
    };
    const invalidated = () => endpoint.model.invalidations(outputs.distributionId).flatMap((i) => i.items);
    return { dir, queue, requested, worker, workerArgs, sentAtLeast, invalidated, distributionId: outputs.distributionId };
  }

  async function exported(queue: string): Promise<QueueExport> {
    const json = `${queue}.export.json`;
    const r = await runCli(cli, ['queue', 'export', '--queue', queue, '--json', json, '--quiet']).done;
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(readFileSync(json, 'utf8')) as QueueExport;
  }

  const pendingPaths = (e: QueueExport) => e.requests.flatMap((r) => r.batches.filter((b) => b.state !== 'completed').flatMap((b) => b.items));

  for (const how of ['deleted', 'replaced'] as const) {
    it(`${how}: the worker stops with exit 1 and one line, saves its queue, and nothing is lost`, async () => {
      const s = await setUp(how);
      await s.sentAtLeast(10);
      if (how === 'deleted') for (const f of [s.queue, `${s.queue}-wal`, `${s.queue}-shm`]) rmSync(f, { force: true });
      else {
        copyFileSync(s.queue, `${s.queue}.new`);
        renameSync(`${s.queue}.new`, s.queue);
      }
      const end = await s.worker.done;
      const rescued = join(s.dir, `queue.sqlite.rescued-${s.worker.child.pid}.sqlite`);
      expect(end.code).to.equal(1);
      expect(messages(end.stderr)).to.deep.equal([
        `error: queue file '${s.queue}' was ${how} while the worker ran; the worker stopped and saved its queue to '${rescued}': ` +
        `'npm run invalidate -- queue export --queue ${rescued}' lists what is left; move it to '${s.queue}' to resume.`,
      ]);
      const left = pendingPaths(await exported(rescued));
      const covered = new Set([...s.invalidated(), ...left]);
      expect(s.requested.filter((p) => !covered.has(p)), 'paths neither invalidated nor exported').to.deep.equal([]);
      expect(left.length, 'work was left when the file went').to.be.greaterThan(0);
      if (how === 'replaced') expect(statSync(s.queue).isFile(), 'the replacing file is left alone').to.equal(true);
      // Moved back, the rescued queue resumes: every path invalidated, none twice.
      renameSync(rescued, s.queue);
      for (const f of [`${s.queue}-wal`, `${s.queue}-shm`]) rmSync(f, { force: true });
      const again = runCli(cli, s.workerArgs);
      const r2 = await again.done;
      expect(r2.code, r2.stderr).to.equal(0);
      const sent = s.invalidated();
      expect([...new Set(sent)].sort()).to.deep.equal([...s.requested].sort());
      expect(sent.length, 'no path invalidated twice').to.equal(new Set(sent).size);
    });
  }

  it('corrupted and killed: garbage over the file, then SIGKILL; check and the worker say so in one line, export lists every path left, repair resumes without a duplicate', async () => {
    const s = await setUp('corrupted');
    await s.sentAtLeast(10);
    const random = seededRandom(5);
    const garbage = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
    // The header page (SQLite then calls it "not a database"), one page in the middle, and the start
    // of the write-ahead log (else its fresh copies of those pages would hide the damage).
    for (const f of [s.queue, `${s.queue}-wal`]) {
      const size = statSync(f).size;
      const fd = openSync(f, 'r+');
      writeSync(fd, garbage, 0, Math.min(4096, size), 0);
      if (size > 8192) writeSync(fd, garbage, 0, 4096, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
    }
    await sleep(50);
    s.worker.child.kill('SIGKILL');
    const end = await s.worker.done;
    expect(end.stderr, 'no stack trace, no raw SqliteError').not.to.match(/\n\s+at |SqliteError|SyntaxError/);

    const check = await runCli(cli, ['queue', 'check', '--queue', s.queue]).done;
    expect(check.code, check.stderr).to.be.oneOf([1, 2]);
    expect(messages(check.stderr), check.stderr).to.have.length(1);
    expect(check.stderr).to.match(/^error: (queue file '.*' is damaged|--queue '.*' is not a queue file)/);
    const again = await runCli(cli, s.workerArgs).done;
    expect(again.code, again.stderr).to.be.oneOf([1, 2]);
    expect(messages(again.stderr), again.stderr).to.have.length(1);

    const exp = await exported(s.queue);
    const left = pendingPaths(exp);
    const covered = new Set([...s.invalidated(), ...left]);
    expect(s.requested.filter((p) => !covered.has(p)), 'paths neither invalidated nor exported').to.deep.equal([]);
    expect(exp.journal.batchesRecovered, 'the journal named what the file lost').to.be.greaterThan(0);

    const repair = await runCli(cli, ['queue', 'repair', '--queue', s.queue]).done;
    expect(repair.code, repair.stderr).to.equal(0);
    expect(repair.stdout).to.match(/^repaired .*: 3 requests, 60 batches and 0 schedules kept;/);
    const resumed = await runCli(cli, s.workerArgs).done;
    expect(resumed.code, resumed.stderr).to.equal(0);
    const invalidations = ep!.model.invalidations(s.distributionId);
    const refs = invalidations.map((i) => i.callerReference);
    expect(new Set(refs).size, 'no CallerReference made two invalidations').to.equal(refs.length);
    const sent = s.invalidated();
    expect([...new Set(sent)].sort()).to.deep.equal([...s.requested].sort());
    expect(sent.length, 'no path invalidated twice').to.equal(new Set(sent).size);
  });
});
