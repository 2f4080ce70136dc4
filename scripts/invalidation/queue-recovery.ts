/**
 * Getting work out of a damaged, deleted or replaced queue file: `queue export` reads every row that
 * can still be read (row by row where a whole-table read fails), `queue repair` rebuilds the file
 * from them, and a running worker that finds its file gone or replaced saves its open database
 * beside it before stopping.
 */
import type Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { explainQueueError, fileIdentity, ownerAlive, QueueFileError, queueErrorKind, type LockOwner } from './queue-file';
import { callerReference, loadOf } from '../../lib/invalidation';
import { journalFileOf, QueueStore, readJournal, toBatch, toRequest, toSchedule, type JournalLine, type QueuedBatch, type QueuedRequest, type StoredSchedule } from './queue-store';

/** A request as exported: its row (or `status: 'unknown'` when only its batches could be read) and its batches. */
export interface ExportedRequest extends Omit<QueuedRequest, 'status'> {
  readonly status: QueuedRequest['status'] | 'unknown';
  readonly batches: readonly QueuedBatch[];
}

export interface QueueExport {
  readonly file: string;
  /** quick_check's verdict: 'ok', its first problem, or why the file could not be read at all. */
  readonly integrity: string;
  readonly requests: readonly ExportedRequest[];
  readonly schedules: readonly StoredSchedule[];
  /** Rows that could not be read. */
  readonly unreadable: { readonly requests: number; readonly batches: number; readonly schedules: number };
  /** Batches not completed (queued, in progress, failed) and their paths: the work that is left. */
  readonly pending: { readonly batches: number; readonly paths: number };
  /** The request journal: its lines, and the batches only it could name. */
  readonly journal: { readonly lines: number; readonly batchesRecovered: number };
  /** The queue's id (meta `queue_id`, else the journal's), which a repaired file keeps. */
  readonly queueId?: string;
  readonly lock?: LockOwner;
}

/** Stop probing rowids after this many in a row are missing (rows are never deleted from requests and batches). */
const PROBE_GAP = 1000;

/**
 * Every row of `table` that can be read and converted: in one query when the table reads whole,
 * else rowid by rowid, so one damaged page loses only its own rows.
 */
function readRows<T>(db: Database.Database, table: string, convert: (row: never) => T): { rows: T[]; unreadable: number } {
  const rows: T[] = [];
  let unreadable = 0;
  try {
    for (const r of db.prepare(`SELECT * FROM ${table}`).all()) {
      try {
        rows.push(convert(r as never));
      } catch {
        unreadable++;
      }
    }
    return { rows, unreadable };
  } catch {
    rows.length = 0;
    unreadable = 0;
  }
  let max: number | undefined;
  try {
    max = (db.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0;
  } catch {
    max = undefined;
  }
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(`SELECT * FROM ${table} WHERE rowid = ?`);
  } catch {
    return { rows, unreadable: 1 };
  }
  // Without max(rowid), probing stops after PROBE_GAP rowids in a row that hold no readable row; a
  // trailing run of errors (an unreadable end of the table) counts as one unreadable stretch.
  let gap = 0;
  let trailingErrors = 0;
  for (let id = 1; max !== undefined ? id <= max : gap < PROBE_GAP; id++) {
    try {
      const r = stmt.get(id);
      if (r === undefined) {
        gap++;
        continue;
      }
      gap = 0;
      trailingErrors = 0;
      try {
        rows.push(convert(r as never));
      } catch {
        unreadable++;
      }
    } catch {
      gap++;
      trailingErrors++;
      unreadable++;
    }
  }
  if (max === undefined && trailingErrors > 0) unreadable -= trailingErrors - 1;
  return { rows, unreadable };
}

/** What the queue file itself yielded. */
interface FileRows {
  readonly integrity: string;
  readonly queueId?: string;
  readonly requests: readonly QueuedRequest[];
  readonly batches: readonly QueuedBatch[];
  readonly schedules: readonly StoredSchedule[];
  readonly unreadable: QueueExport['unreadable'];
  readonly lock?: LockOwner;
}

function readFileRows(file: string): FileRows {
  const store = QueueStore.open(file, { readonly: true, check: false });
  try {
    const db = store.db;
    let integrity: string;
    try {
      integrity = (db.pragma('quick_check(1)') as { quick_check: string }[])[0]?.quick_check ?? 'ok';
    } catch (e) {
      if (queueErrorKind(e) === 'not-a-database') throw e;
      integrity = ((e as Error).message ?? String(e)).split('\n')[0]!;
    }
    const req = readRows(db, 'requests', toRequest);
    const bat = readRows(db, 'batches', toBatch);
    const sch = readRows(db, 'schedules', toSchedule);
    let lock: LockOwner | undefined;
    try {
      lock = store.lockOwner();
    } catch {
      lock = undefined;
    }
    return {
      integrity, requests: req.rows, batches: bat.rows, schedules: sch.rows,
      unreadable: { requests: req.unreadable, batches: bat.unreadable, schedules: sch.unreadable },
      ...(store.queueId ? { queueId: store.queueId } : {}), ...(lock ? { lock } : {}),
    };
  } finally {
    store.close();
  }
}

/** A batch known only from the journal: queued, with the CallerReference it was queued with. */
function journalBatch(l: JournalLine, seq: number): QueuedBatch {
  const r = l.request;
  const items = r.batches[seq]!;
  return {
    requestId: r.id, seq, distributionId: r.distributionId, items: [...items], load: loadOf(items), callerReference: callerReference(r.distributionId, items, r.id),
    state: 'queued', invalidationId: null, attempts: 0, nextAttemptAt: r.notBefore, submittedAt: null, completedAt: null,
    lastError: 'recovered from the journal: its row in the queue file could not be read', billedPaths: r.billedPaths?.[seq] ?? 0,
  };
}

/**
 * Reads what can be read of a queue file without changing it, completed by its request journal
 * (`<file>.journal`): a batch whose row is unreadable, or a request the file lost, is listed from the
 * journal as queued, with the CallerReference it was queued with (resending it cannot duplicate it).
 * @throws QueueFileError / InputError when neither the file nor a journal can be read.
 */
export function exportQueue(file: string): QueueExport {
  const journal = readJournal(journalFileOf(file));
  let rows: FileRows;
  if (!existsSync(file)) {
    if (journal.length === 0) throw new QueueFileError(`error: queue file '${file}' does not exist; check --queue (a worker that lost its file saved it as <file>.rescued-<pid>.sqlite).`);
    rows = { integrity: 'the file does not exist (from the journal only)', requests: [], batches: [], schedules: [], unreadable: { requests: 0, batches: 0, schedules: 0 } };
  } else {
    try {
      rows = readFileRows(file);
    } catch (e) {
      const kind = queueErrorKind(e);
      if (journal.length === 0 || (kind !== 'not-a-database' && kind !== 'corrupt')) throw explainQueueError(e, file);
      rows = { integrity: `${((e as Error).message ?? String(e)).split('\n')[0]} (from the journal only)`, requests: [], batches: [], schedules: [], unreadable: { requests: 0, batches: 0, schedules: 0 } };
    }
  }
  const byId = new Map<string, { request: Omit<ExportedRequest, 'batches'>; batches: Map<number, QueuedBatch> }>();
  for (const r of rows.requests) byId.set(r.id, { request: r, batches: new Map() });
  for (const b of rows.batches) {
    let entry = byId.get(b.requestId);
    if (!entry) {
      entry = { request: { id: b.requestId, distributionId: b.distributionId, source: 'unknown (request row unreadable)', createdAt: 0, notBefore: 0, status: 'unknown', summary: {} }, batches: new Map() };
      byId.set(b.requestId, entry);
    }
    entry.batches.set(b.seq, b);
  }
  let fromJournal = 0;
  for (const l of journal) {
    if (rows.queueId !== undefined && l.queue !== rows.queueId) continue;
    const r = l.request;
    let entry = byId.get(r.id);
    if (!entry) {
      entry = { request: { id: r.id, distributionId: r.distributionId, source: r.source, createdAt: l.at, notBefore: r.notBefore, status: 'unknown', summary: r.summary }, batches: new Map() };
      byId.set(r.id, entry);
    }
    for (let seq = 0; seq < r.batches.length; seq++) {
      if (entry.batches.has(seq)) continue;
      entry.batches.set(seq, journalBatch(l, seq));
      fromJournal++;
    }
  }
  const queueId = rows.queueId ?? journal.at(-1)?.queue;
  const requests = [...byId.values()]
    .map((e) => ({ ...e.request, batches: [...e.batches.values()].sort((a, z) => a.seq - z.seq) }))
    .sort((a, z) => a.createdAt - z.createdAt || (a.id < z.id ? -1 : 1));
  const open = requests.flatMap((r) => r.batches).filter((b) => b.state !== 'completed');
  return {
    file, integrity: rows.integrity, requests, schedules: rows.schedules, unreadable: rows.unreadable,
    pending: { batches: open.length, paths: open.reduce((n, b) => n + b.items.length, 0) },
    journal: { lines: journal.length, batchesRecovered: fromJournal },
    ...(queueId ? { queueId } : {}),
    ...(rows.lock ? { lock: rows.lock } : {}),
  };
}

/** What `queue repair` did. */
export interface RepairResult {
  readonly file: string;
  /** Where the damaged file was moved. */
  readonly damagedCopy: string;
  readonly requests: number;
  readonly batches: number;
  readonly schedules: number;
  readonly unreadable: QueueExport['unreadable'];
}

/**
 * Rebuilds a queue file from every readable row: a new file is written beside it, the damaged one
 * (with its -wal and -shm) is moved to `<file>.damaged-<time>`, and the new one takes its place.
 * CallerReferences, states and invalidation ids are kept, so resending a batch cannot duplicate it.
 * @throws QueueFileError while a live worker holds the lock.
 */
export function repairQueue(file: string, now: number): RepairResult {
  const exp = exportQueue(file);
  if (exp.lock && ownerAlive(exp.lock)) {
    throw new QueueFileError(`error: a worker (pid ${exp.lock.pid}) is running on '${file}'; stop it before 'queue repair'.`);
  }
  const tmp = `${file}.repair-${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const fresh = QueueStore.open(tmp, { check: false });
  let batches = 0;
  try {
    fresh.db.transaction(() => {
      // The journal's lines name the queue by id: the rebuilt file keeps it.
      if (exp.queueId) fresh.db.prepare(`UPDATE meta SET value = ? WHERE key = 'queue_id'`).run(exp.queueId);
      for (const r of exp.requests) {
        const status: QueuedRequest['status'] = r.status !== 'unknown' ? r.status
          : r.batches.every((b) => b.state === 'completed') ? 'done' : r.batches.some((b) => b.state === 'failed') ? 'failed' : 'queued';
        fresh.restoreRequest({ ...r, status });
        for (const b of r.batches) {
          fresh.restoreBatch(b);
          batches++;
        }
      }
      for (const s of exp.schedules) fresh.restoreSchedule(s);
    })();
    fresh.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    fresh.close();
    rmSync(tmp, { force: true });
    throw explainQueueError(e, tmp);
  }
  fresh.close();
  const damagedCopy = `${file}.damaged-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  if (existsSync(file)) renameSync(file, damagedCopy);
  for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, damagedCopy + ext);
  for (const ext of ['-wal', '-shm']) rmSync(tmp + ext, { force: true });
  renameSync(tmp, file);
  return { file, damagedCopy, requests: exp.requests.length, batches, schedules: exp.schedules.length, unreadable: exp.unreadable };
}

/**
 * Watches a running worker's queue file: every `intervalMs` compares the path's device and inode with
 * the file opened. On a change, calls `onChange` once (the worker stops).
 */
export function watchQueueFile(store: QueueStore, intervalMs: number, onChange: (how: 'deleted' | 'replaced') => void): { changed(): 'deleted' | 'replaced' | undefined; stop(): void } {
  let changed: 'deleted' | 'replaced' | undefined;
  const check = () => {
    if (changed) return;
    changed = store.fileChanged();
    if (changed) onChange(changed);
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return {
    changed: () => {
      check();
      return changed;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * After the worker stopped because its file was deleted or replaced: saves the open database to
 * `<file>.rescued-<pid>.sqlite` (or in the temp folder when the file's folder is gone) and returns the
 * error to end with (exit 1).
 */
export function rescueLostQueue(store: QueueStore, how: 'deleted' | 'replaced'): QueueFileError {
  const name = `${store.file.split('/').pop()}.rescued-${process.pid}.sqlite`;
  const dir = fileIdentity(dirname(store.file)) ? dirname(store.file) : tmpdir();
  const to = join(dir, name);
  try {
    rmSync(to, { force: true });
    store.saveCopy(to);
  } catch (e) {
    return new QueueFileError(`error: queue file '${store.file}' was ${how} while the worker ran; the worker stopped, and saving its queue failed too (${(e as Error).message.split('\n')[0]}): batches sent are listed in the log above.`);
  }
  return new QueueFileError(
    `error: queue file '${store.file}' was ${how} while the worker ran; the worker stopped and saved its queue to '${to}': ` +
    `'npm run invalidate -- queue export --queue ${to}' lists what is left; move it to '${store.file}' to resume.`,
  );
}
