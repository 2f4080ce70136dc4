/**
 * The queue file's failures, each one line with the right exit code and nothing lost: a bad --queue
 * (empty, a directory, not a database), a damaged file (quick_check on open, a row SQLite reads but
 * JSON cannot), a full disk, a read-only file, and the worker lock of a pid that now belongs to
 * another process; `queue check|export|repair|unlock`. In process, through the CLI's `main`.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { CheckFailed } from '../../scripts/lib/cli';
import { main } from '../../scripts/invalidate';
import { explainQueueError, processStartTime, QueueFileError } from '../../scripts/invalidation/queue-file';
import type { QueueExport } from '../../scripts/invalidation/queue-recovery';
import { QueueStore, type EnqueueInput } from '../../scripts/invalidation/queue-store';
import { tempDir, writeOutputs } from './helpers';

const request = (id: string, batches: string[][]): EnqueueInput => ({ id, distributionId: 'ETESTDIST00001', source: 'test', notBefore: 0, summary: {}, batches });

describe('the queue file: bad paths, damage, full and read-only disks, stale locks (queue check|export|repair|unlock)', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let outputsFile: string;
  let n = 0;
  const out: string[] = [];

  async function cli(args: string[]): Promise<{ code?: number; error?: unknown }> {
    out.length = 0;
    try {
      return { code: await main(args, { out: (l) => out.push(l), err: () => undefined, cloudfront: { create: () => Promise.reject(new Error('no')), get: () => Promise.reject(new Error('no')), list: async () => ({ items: [] }) } }) };
    } catch (error) {
      return { error };
    }
  }
  const oneLine = (e: unknown) => {
    const text = e instanceof InputError ? e.problems.join('\n') : (e as Error).message;
    expect(text.split('\n'), text).to.have.length(1);
    return text;
  };
  const fresh = () => join(tmp.dir, `q${++n}`, 'queue.sqlite');

  before(() => {
    tmp = tempDir('inv-qfile-');
    outputsFile = writeOutputs(tmp.dir).file;
  });
  after(() => tmp?.remove());

  it('refuses an empty --queue, a directory and a file that is not a database (exit 2, one line)', async () => {
    const dir = join(tmp.dir, 'a-dir');
    mkdirSync(dir);
    const text = join(tmp.dir, 'notes.txt');
    writeFileSync(text, 'not a database\n'.repeat(100));
    const cases: [string, string][] = [
      ['', "--queue '' is empty; give the queue file, e.g. --queue .local/invalidation-queue.sqlite."],
      [dir, `--queue '${dir}' is a directory; give a file in it, e.g. --queue ${dir}/invalidation-queue.sqlite.`],
      [text, `--queue '${text}' is not a queue file (file is not a database); give the queue's path, or move this file away to start a new queue.`],
    ];
    for (const [queue, message] of cases) {
      for (const args of [['--outputs', outputsFile, '--queue', queue, 'status'], ['queue', 'check', '--queue', queue]]) {
        const r = await cli(args);
        expect(r.error, `${args.join(' ')}`).to.be.instanceOf(InputError);
        expect(oneLine(r.error)).to.equal(message);
      }
    }
    expect(readFileSync(text, 'utf8')).to.equal('not a database\n'.repeat(100));
  });

  it('refuses a damaged file on open (quick_check) in one line; export lists every request, repair rebuilds it', async () => {
    const queue = fresh();
    const store = QueueStore.open(queue);
    for (let r = 0; r < 3; r++) store.enqueue(request(`r${r}`, Array.from({ length: 20 }, (_, b) => Array.from({ length: 10 }, (_, i) => `/video/${r}/${b}/${i}.ts`))), 1000 + r);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Garbage over a page in the middle: some batch rows, or an index, are gone.
    const fd = openSync(queue, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(statSync(queue).size / 2 / 4096) * 4096);
    closeSync(fd);

    const status = await cli(['--outputs', outputsFile, '--queue', queue, 'status']);
    expect(status.error).to.be.instanceOf(QueueFileError);
    expect(oneLine(status.error)).to.match(new RegExp(`^error: queue file '${queue}' is damaged \\(.+\\); 'npm run invalidate -- queue export --json f' lists every readable request, 'queue repair' rebuilds the file from them\\.$`));
    expect((await cli(['queue', 'check', '--queue', queue])).error).to.be.instanceOf(QueueFileError);

    const json = join(tmp.dir, 'export.json');
    expect((await cli(['queue', 'export', '--queue', queue, '--json', json])).code).to.equal(0);
    const exp = JSON.parse(readFileSync(json, 'utf8')) as QueueExport;
    const paths = exp.requests.flatMap((r) => r.batches.flatMap((b) => b.items));
    expect(paths, 'every path, from the file or its journal').to.have.length(600);
    expect(new Set(paths).size).to.equal(600);

    expect((await cli(['queue', 'repair', '--queue', queue])).code).to.equal(0);
    expect(out.join('\n')).to.match(/^repaired .*: 3 requests, 60 batches and 0 schedules kept; \d+ unreadable rows dropped; the old file is .*\.damaged-/);
    expect((await cli(['queue', 'check', '--queue', queue])).code).to.equal(0);
    expect(out).to.deep.equal([`${queue} is sound (quick_check ok): 3 requests, 60 batches with 600 paths not completed.`]);
    expect((await cli(['--outputs', outputsFile, '--queue', queue, 'status'])).code).to.equal(0);
  });

  it('reports a row whose stored JSON is garbage as damage (exit 1, one line), not a SyntaxError; export recovers it from the journal', async () => {
    const queue = fresh();
    const store = QueueStore.open(queue);
    store.enqueue(request('r1', [['/a.js', '/b.js'], ['/c.js']]), 1);
    store.db.prepare(`UPDATE batches SET items_json = '["/a.js", "/b.j' WHERE seq = 0`).run();
    store.close();
    const r = await cli(['--outputs', outputsFile, '--queue', queue, 'status', 'r1']);
    expect(r.error).to.be.instanceOf(QueueFileError);
    expect(oneLine(r.error)).to.equal(`error: queue file '${queue}' is damaged (batch r1#1 holds unreadable data "[\\"/a.js\\", \\"/b.j"); 'npm run invalidate -- queue export --json f' lists every readable request, 'queue repair' rebuilds the file from them.`);
    const json = join(tmp.dir, 'export-json.json');
    expect((await cli(['queue', 'export', '--queue', queue, '--json', json])).code).to.equal(0);
    const exp = JSON.parse(readFileSync(json, 'utf8')) as QueueExport;
    expect(exp.unreadable.batches).to.equal(1);
    expect(exp.journal.batchesRecovered).to.equal(1);
    expect(exp.requests[0]!.batches.map((b) => b.items)).to.deep.equal([['/a.js', '/b.js'], ['/c.js']]);
  });

  it('a full disk (SQLITE_FULL) fails the change in one line, and nothing is lost once space is back', () => {
    const queue = fresh();
    QueueStore.open(queue).close();
    const store = QueueStore.open(queue, { maxPageCount: 12 });
    let failed: unknown;
    let queued = 0;
    const big = (i: number) => request(`big-${i}`, Array.from({ length: 5 }, (_, b) => Array.from({ length: 50 }, (_, p) => `/video/${i}/${b}/segment-${p}-${'x'.repeat(20)}.ts`)));
    for (let i = 0; i < 100 && failed === undefined; i++) {
      try {
        store.enqueue(big(i), i);
        queued++;
      } catch (e) {
        failed = e;
      }
    }
    expect((failed as { code?: string }).code).to.equal('SQLITE_FULL');
    const explained = explainQueueError(failed, queue);
    expect(explained).to.be.instanceOf(QueueFileError);
    expect(oneLine(explained)).to.equal(`error: the disk of queue file '${queue}' is full (database or disk is full); the change in progress was rolled back and nothing is lost: free space and run the command again.`);
    store.close();
    // Space is back: every request queued before is there, the failed one is queued now.
    const later = QueueStore.open(queue);
    expect(later.requests(1000).map((r) => r.id).sort()).to.deep.equal(Array.from({ length: queued }, (_, i) => `big-${i}`).sort());
    expect(later.enqueue(big(queued), 999)).to.deep.equal({ created: true });
    expect(later.batches(`big-${queued}`)).to.have.length(5);
    later.close();
  });

  it('a read-only file (SQLITE_READONLY) fails a submit in one line and changes nothing', async function () {
    const queue = fresh();
    const store = QueueStore.open(queue);
    store.enqueue(request('before', [['/a.js']]), 1);
    store.close();
    // root writes through file modes: the immutable attribute stands in for a read-only file system.
    const root = process.getuid?.() === 0;
    const lock = root ? spawnSync('chattr', ['+i', queue]) : spawnSync('chmod', ['0444', queue]);
    if (lock.status !== 0) this.skip();
    try {
      const r = await cli(['--outputs', outputsFile, '--queue', queue, '--no-metrics', '--quiet', 'submit', '--list-origin', 'none', '--month-to-date', '0', '--at', '2099-01-01T00:00:00Z', '/static/x.js']);
      expect(r.error).to.be.instanceOf(QueueFileError);
      expect(oneLine(r.error)).to.match(new RegExp(`^error: queue file '${queue}' cannot be written \\(.*: a read-only file system or missing permission\\); nothing was changed: make it writable, or give --queue on a writable disk\\.$`));
    } finally {
      spawnSync(root ? 'chattr' : 'chmod', root ? ['-i', queue] : ['0644', queue]);
    }
    const after = QueueStore.open(queue);
    expect(after.requests().map((r) => r.id)).to.deep.equal(['before']);
    after.close();
  });

  it('does not trust a pid alone: a lock whose pid now runs another process is taken over; queue unlock clears a stale lock, and a live one only with --force', async () => {
    const queue = fresh();
    const store = QueueStore.open(queue);
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => other.once('spawn', r));
      const pid = other.pid!;
      const started = processStartTime(pid);
      expect(started, '/proc/<pid>/stat is readable here').to.be.a('string');
      // The pid is alive, but the lock was taken by a process that started at another time: a reused pid.
      store.db.prepare(`INSERT INTO meta (key, value) VALUES ('worker_lock', ?)`).run(JSON.stringify({ pid, startedAt: `${Number(started) - 1000}` }));
      expect(store.acquireWorkerLock({ pid: process.pid, startedAt: processStartTime(process.pid)! })).to.deep.equal({ ok: true });
      // The same pid with its real start time holds the lock.
      store.clearWorkerLock();
      store.db.prepare(`INSERT INTO meta (key, value) VALUES ('worker_lock', ?)`).run(JSON.stringify({ pid, startedAt: started }));
      expect(store.acquireWorkerLock({ pid: process.pid, startedAt: processStartTime(process.pid)! })).to.deep.equal({ ok: false, holder: { pid, startedAt: started } });
      store.close();

      const refused = await cli(['queue', 'unlock', '--queue', queue]);
      expect(refused.error).to.be.instanceOf(CheckFailed);
      expect(oneLine(refused.error)).to.equal(`error: the worker lock of ${queue} belongs to pid ${pid}, which is running (and started when the lock was taken); stop that worker, or give --force if it is not one.`);
      expect((await cli(['queue', 'unlock', '--queue', queue, '--force'])).code).to.equal(0);
      expect(out).to.deep.equal([`removed the worker lock of pid ${pid} on ${queue} (--force: the pid is alive).`]);
      expect((await cli(['queue', 'unlock', '--queue', queue])).code).to.equal(0);
      expect(out).to.deep.equal([`no worker lock on ${queue}.`]);
    } finally {
      other.kill('SIGKILL');
    }
    const gone = other.pid!;
    await new Promise((r) => setTimeout(r, 50));
    const again = QueueStore.open(queue);
    again.db.prepare(`INSERT INTO meta (key, value) VALUES ('worker_lock', ?)`).run(JSON.stringify({ pid: gone, startedAt: '1' }));
    again.close();
    expect((await cli(['queue', 'unlock', '--queue', queue])).code).to.equal(0);
    expect(out).to.deep.equal([`removed the worker lock of pid ${gone} on ${queue} (that worker is gone).`]);
  });

  it('refuses a queue action it does not know, and --force outside unlock (exit 2)', async () => {
    expect(oneLine((await cli(['queue', 'vacuum'])).error)).to.equal("give one queue action, check, export, repair, unlock, got 'vacuum'; see 'npm run invalidate -- queue --help'.");
    expect(oneLine((await cli(['queue', 'export', '--force'])).error)).to.equal("--force applies to 'queue unlock' only; drop it for 'export'.");
  });
});
