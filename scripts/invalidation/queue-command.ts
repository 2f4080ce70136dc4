/**
 * `queue check|export|repair|unlock`: the queue file itself, without a stack (no --stack needed).
 */
import { resolve } from 'node:path';
import { InputError } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import { CheckFailed, EXIT_OK, writeJsonFile } from '../lib/cli';
import { checkQueuePath, DEFAULT_QUEUE_FILE, ownerAlive, QueueFileError } from './queue-file';
import { exportQueue, repairQueue } from './queue-recovery';
import { QueueStore } from './queue-store';

type Values = Record<string, string | boolean | string[] | undefined>;

export const QUEUE_ACTIONS = ['check', 'export', 'repair', 'unlock'] as const;

export const QUEUE_SPEC = {
  usage: 'npm run invalidate -- queue check|export|repair|unlock [--queue f] [--json f]',
  summary:
    'The queue file itself. check: integrity check (PRAGMA quick_check) and counts. export: every readable request and batch, even of a damaged ' +
    'file (--json lists their paths). repair: rebuilds a damaged file from every readable row (the old one is kept as <file>.damaged-<time>). ' +
    'unlock: removes the worker lock of a worker that is gone (--force: even if its pid is alive).',
  options: { queue: { type: 'string' }, json: { type: 'string' }, quiet: { type: 'boolean' }, force: { type: 'boolean' } },
  help: {
    queue: `the queue file (default ${DEFAULT_QUEUE_FILE})`,
    json: 'write the export (or the result) as JSON to this file',
    quiet: 'print only errors and the final line',
    force: 'unlock: remove the lock even when its pid is alive',
  },
  allowPositionals: true,
  examples: [
    'npm run invalidate -- queue check',
    'npm run invalidate -- queue export --json left.json',
    'npm run invalidate -- queue repair',
    'npm run invalidate -- queue unlock',
  ],
} as const;

export interface QueueCommandIo {
  readonly out: (line: string) => void;
  readonly now: () => number;
}

export async function queueCommand(v: Values, positionals: readonly string[], io: QueueCommandIo): Promise<number> {
  const action = positionals[0];
  if (positionals.length !== 1 || !(QUEUE_ACTIONS as readonly string[]).includes(action!)) {
    throw new InputError(`give one queue action, ${QUEUE_ACTIONS.join(', ')}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(' ')}; see 'npm run invalidate -- queue --help'.`);
  }
  if (v.force && action !== 'unlock') throw new InputError(`--force applies to 'queue unlock' only; drop it for '${action}'.`);
  const file = resolve(checkQueuePath((v.queue as string | undefined) ?? DEFAULT_QUEUE_FILE));
  const quiet = v.quiet === true;

  if (action === 'unlock') {
    const store = QueueStore.open(file, { check: false });
    try {
      const holder = store.lockOwner();
      if (!holder) {
        io.out(`no worker lock on ${file}.`);
        return EXIT_OK;
      }
      if (ownerAlive(holder) && v.force !== true) {
        throw new CheckFailed(`error: the worker lock of ${file} belongs to pid ${holder.pid}, which is running${holder.startedAt ? ' (and started when the lock was taken)' : ''}; stop that worker, or give --force if it is not one.`);
      }
      store.clearWorkerLock();
      io.out(`removed the worker lock of pid ${holder.pid} on ${file}${ownerAlive(holder) ? ' (--force: the pid is alive)' : ' (that worker is gone)'}.`);
      return EXIT_OK;
    } finally {
      store.close();
    }
  }

  if (action === 'repair') {
    const r = repairQueue(file, io.now());
    const lost = r.unreadable.requests + r.unreadable.batches + r.unreadable.schedules;
    if (v.json) writeJsonFile(v.json as string, r);
    io.out(`repaired ${file}: ${r.requests} requests, ${r.batches} batches and ${r.schedules} schedules kept; ${lost} unreadable rows dropped; the old file is ${r.damagedCopy}.`);
    return EXIT_OK;
  }

  const exp = exportQueue(file);
  const lost = exp.unreadable.requests + exp.unreadable.batches + exp.unreadable.schedules;
  if (action === 'export') {
    if (v.json) writeJsonFile(v.json as string, exp);
    if (!quiet) {
      const rows = exp.requests.flatMap((r) => r.batches.filter((b) => b.state !== 'completed').map((b) => [r.id, String(b.seq + 1), b.state, String(b.items.length), b.callerReference]));
      if (rows.length > 0) io.out(renderTable(['request', 'batch', 'state', 'paths', 'CallerReference'], rows));
    }
    io.out(`${file}: ${exp.requests.length} requests, ${exp.pending.batches} batches with ${exp.pending.paths} paths not completed${lost > 0 ? `, ${lost} rows unreadable` : ''}${v.json ? ` (listed in ${v.json as string})` : "; --json <file> lists their paths"}.`);
    return EXIT_OK;
  }

  // check
  if (v.json) writeJsonFile(v.json as string, { file, integrity: exp.integrity, unreadable: exp.unreadable, pending: exp.pending, requests: exp.requests.length });
  if (exp.integrity !== 'ok' || lost > 0) {
    throw new QueueFileError(`error: queue file '${file}' is damaged (${exp.integrity !== 'ok' ? `quick_check: ${exp.integrity.split('\n')[0]}` : `${lost} rows unreadable`}); 'npm run invalidate -- queue export --json f' lists every readable request, 'queue repair' rebuilds the file from them.`);
  }
  io.out(`${file} is sound (quick_check ok): ${exp.requests.length} requests, ${exp.pending.batches} batches with ${exp.pending.paths} paths not completed${exp.lock ? `; worker lock held by pid ${exp.lock.pid}${ownerAlive(exp.lock) ? '' : ' (gone: queue unlock removes it)'}` : ''}.`);
  return EXIT_OK;
}
