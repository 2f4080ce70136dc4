/**
 * The durable invalidation queue: requests, their batches (each with its CallerReference), cron
 * schedules and the worker lock, in one SQLite file (better-sqlite3, WAL, synchronous=FULL). Every
 * state change is one transaction, so a SIGKILL at any moment leaves either the old or the new
 * state; since a batch's CallerReference is fixed when it is queued, re-sending a batch whose
 * outcome was lost returns the original invalidation (spec §8.3) instead of creating another.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { callerReference, loadOf, type InFlight } from '../../lib/invalidation';
import { explainQueueError, fileIdentity, ownerAlive, QueueFileError, type LockOwner } from './queue-file';

export type BatchState = 'queued' | 'in_progress' | 'completed' | 'failed';
export type RequestStatus = 'queued' | 'done' | 'failed';

export interface QueuedBatch {
  readonly requestId: string;
  readonly seq: number;
  readonly distributionId: string;
  readonly items: readonly string[];
  readonly load: InFlight;
  readonly callerReference: string;
  readonly state: BatchState;
  readonly invalidationId: string | null;
  readonly attempts: number;
  /** Earliest next send, epoch ms (the request's `--at`, then backoff). */
  readonly nextAttemptAt: number;
  readonly submittedAt: number | null;
  readonly completedAt: number | null;
  readonly lastError: string | null;
  /** Estimated paths of this batch beyond the month's free allowance (for metrics). */
  readonly billedPaths: number;
}

export interface QueuedRequest {
  readonly id: string;
  readonly distributionId: string;
  readonly source: string;
  readonly createdAt: number;
  readonly notBefore: number;
  readonly status: RequestStatus;
  /** The plan's figures (planner stats), for status and metrics. */
  readonly summary: Record<string, unknown>;
}

export interface EnqueueInput {
  readonly id: string;
  readonly distributionId: string;
  readonly source: string;
  readonly notBefore: number;
  readonly summary: Record<string, unknown>;
  readonly batches: readonly (readonly string[])[];
  /** Per batch, estimated paths beyond the free allowance. @default 0 each */
  readonly billedPaths?: readonly number[];
}

export interface StoredSchedule {
  readonly id: string;
  readonly distributionId: string;
  readonly cron: string;
  /** The selection and planning options, as the CLI stored them. */
  readonly spec: Record<string, unknown>;
  readonly createdAt: number;
  readonly nextRunAt: number;
  readonly lastRunAt: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY,
  distribution_id TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  status TEXT NOT NULL,
  summary_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
  request_id TEXT NOT NULL REFERENCES requests(id),
  seq INTEGER NOT NULL,
  distribution_id TEXT NOT NULL,
  items_json TEXT NOT NULL,
  paths INTEGER NOT NULL,
  wildcards INTEGER NOT NULL,
  caller_reference TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  invalidation_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  submitted_at INTEGER,
  completed_at INTEGER,
  last_error TEXT,
  billed_paths INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (request_id, seq)
);
CREATE INDEX IF NOT EXISTS batches_state ON batches (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS schedules (
  id TEXT PRIMARY KEY,
  distribution_id TEXT NOT NULL,
  cron TEXT NOT NULL,
  spec_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_run_at INTEGER NOT NULL,
  last_run_at INTEGER
);
CREATE TABLE IF NOT EXISTS invalidation_sizes (
  invalidation_id TEXT PRIMARY KEY,
  paths INTEGER NOT NULL
);
`;

export interface BatchRow {
  request_id: string; seq: number; distribution_id: string; items_json: string; paths: number; wildcards: number;
  caller_reference: string; state: BatchState; invalidation_id: string | null; attempts: number; next_attempt_at: number;
  submitted_at: number | null; completed_at: number | null; last_error: string | null; billed_paths: number;
}

/** A row whose stored JSON cannot be read: the file is damaged (SQLite's own checks pass). */
export class DamagedRow extends Error {
  readonly code = 'SQLITE_CORRUPT';
}

function parseColumn<T>(text: string, what: string, test: (v: unknown) => boolean): T {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  if (v === undefined || !test(v)) throw new DamagedRow(`${what} holds unreadable data ${JSON.stringify(text.slice(0, 40))}`);
  return v as T;
}

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toBatch(r: BatchRow): QueuedBatch {
  return {
    requestId: r.request_id, seq: r.seq, distributionId: r.distribution_id, items: parseColumn<string[]>(r.items_json, `batch ${r.request_id}#${r.seq + 1}`, isStringArray),
    load: { paths: r.paths, wildcards: r.wildcards }, callerReference: r.caller_reference, state: r.state,
    invalidationId: r.invalidation_id, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, submittedAt: r.submitted_at,
    completedAt: r.completed_at, lastError: r.last_error, billedPaths: r.billed_paths,
  };
}

export interface RequestRow { id: string; distribution_id: string; source: string; created_at: number; not_before: number; status: RequestStatus; summary_json: string }

export function toRequest(r: RequestRow): QueuedRequest {
  return { id: r.id, distributionId: r.distribution_id, source: r.source, createdAt: r.created_at, notBefore: r.not_before, status: r.status, summary: parseColumn<Record<string, unknown>>(r.summary_json, `request ${r.id}`, isObject) };
}

export interface ScheduleRow { id: string; distribution_id: string; cron: string; spec_json: string; created_at: number; next_run_at: number; last_run_at: number | null }

export function toSchedule(r: ScheduleRow): StoredSchedule {
  return { id: r.id, distributionId: r.distribution_id, cron: r.cron, spec: parseColumn<Record<string, unknown>>(r.spec_json, `schedule ${r.id}`, isObject), createdAt: r.created_at, nextRunAt: r.next_run_at, lastRunAt: r.last_run_at };
}

/** `notBefore` of a request queued but held back until released (rollback: queued before S3 is changed). */
export const PARKED = 8_640_000_000_000_000;

export interface OpenOptions {
  /** Run `PRAGMA quick_check` first and refuse a damaged file. @default true */
  readonly check?: boolean;
  /** Open without writing anything (export); the file must exist. @default false */
  readonly readonly?: boolean;
  /** SQLite's page limit of this connection: a full disk, for tests. */
  readonly maxPageCount?: number;
}

export class QueueStore {
  /** Device and inode of the file when opened (to notice it being deleted or replaced). */
  private readonly identity: { dev: number; ino: number } | undefined;

  /** The request journal beside the file (see {@link journalFileOf}); undefined in memory. */
  readonly journalFile: string | undefined;
  /** This queue's id (meta `queue_id`), which its journal lines carry. */
  readonly queueId: string | undefined;

  private constructor(readonly db: Database.Database, readonly file: string, writable: boolean) {
    this.identity = file === ':memory:' ? undefined : fileIdentity(file);
    this.journalFile = file === ':memory:' ? undefined : journalFileOf(file);
    if (writable) db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('queue_id', ?)`).run(randomUUID());
    let id: string | undefined;
    try {
      id = (db.prepare(`SELECT value FROM meta WHERE key = 'queue_id'`).get() as { value: string } | undefined)?.value;
    } catch {
      id = undefined;
    }
    this.queueId = id;
  }

  /**
   * Opens (creating when needed) the queue file, after an integrity check (`PRAGMA quick_check`).
   * @throws QueueFileError (exit 1) or InputError (exit 2) with one line naming the file and the fix.
   */
  static open(file: string, o: OpenOptions = {}): QueueStore {
    let db: Database.Database | undefined;
    try {
      if (file !== ':memory:' && !o.readonly) mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, o.readonly ? { readonly: true, fileMustExist: true } : {});
      if (o.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(o.maxPageCount)}`);
      if (o.check ?? true) {
        const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
        if (problems.length > 0) {
          throw new QueueFileError(`error: queue file '${file}' is damaged (quick_check: ${problems[0]!.split('\n')[0]}); 'npm run invalidate -- queue export --json f' lists every readable request, 'queue repair' rebuilds the file from them.`);
        }
      }
      if (!o.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      if (!o.readonly) db.exec(SCHEMA);
      return new QueueStore(db, file, !o.readonly);
    } catch (e) {
      db?.close();
      throw explainQueueError(e, file);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Whether the path still names the file this store opened: `deleted`, `replaced` or undefined (same file). */
  fileChanged(): 'deleted' | 'replaced' | undefined {
    if (!this.identity) return undefined;
    const now = fileIdentity(this.file);
    if (!now) return 'deleted';
    return now.dev !== this.identity.dev || now.ino !== this.identity.ino ? 'replaced' : undefined;
  }

  /** Writes a consistent copy of the open database to `to` (VACUUM INTO), e.g. when its file was deleted. */
  saveCopy(to: string): void {
    this.db.prepare('VACUUM INTO ?').run(to);
  }

  // ------------------------------------------------------------ requests and batches

  /**
   * Queues a request and its batches in one transaction, deriving each batch's CallerReference from
   * the distribution, its items and the request id. A request id already queued is left as it is
   * (`created: false`), so re-running the same request is harmless.
   */
  enqueue(input: EnqueueInput, now: number): { created: boolean } {
    this.journal(input, now);
    return this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM requests WHERE id = ?').get(input.id);
      if (exists) return { created: false };
      this.db
        .prepare('INSERT INTO requests (id, distribution_id, source, created_at, not_before, status, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(input.id, input.distributionId, input.source, now, input.notBefore, input.batches.length === 0 ? 'done' : 'queued', JSON.stringify(input.summary));
      const insert = this.db.prepare(
        'INSERT INTO batches (request_id, seq, distribution_id, items_json, paths, wildcards, caller_reference, state, next_attempt_at, billed_paths) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      input.batches.forEach((items, seq) => {
        const load = loadOf(items);
        insert.run(input.id, seq, input.distributionId, JSON.stringify(items), load.paths, load.wildcards, callerReference(input.distributionId, items, input.id), 'queued', input.notBefore, input.billedPaths?.[seq] ?? 0);
      });
      return { created: true };
    })();
  }

  request(id: string): QueuedRequest | undefined {
    const r = this.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as RequestRow | undefined;
    return r && toRequest(r);
  }

  requests(limit = 20): QueuedRequest[] {
    return (this.db.prepare('SELECT * FROM requests ORDER BY created_at DESC, id LIMIT ?').all(limit) as RequestRow[]).map(toRequest);
  }

  batches(requestId?: string): QueuedBatch[] {
    const rows = requestId === undefined
      ? this.db.prepare('SELECT * FROM batches ORDER BY request_id, seq').all()
      : this.db.prepare('SELECT * FROM batches WHERE request_id = ? ORDER BY seq').all(requestId);
    return (rows as BatchRow[]).map(toBatch);
  }

  /** Queued batches due at `now`, oldest request first (optionally of some requests only). */
  dueBatches(now: number, requestIds?: readonly string[]): QueuedBatch[] {
    const rows = this.db
      .prepare(`SELECT b.* FROM batches b JOIN requests r ON r.id = b.request_id WHERE b.state = 'queued' AND b.next_attempt_at <= ? ORDER BY r.created_at, b.request_id, b.seq`)
      .all(now) as BatchRow[];
    const keep = requestIds && new Set(requestIds);
    return rows.map(toBatch).filter((b) => !keep || keep.has(b.requestId));
  }

  inProgress(requestIds?: readonly string[]): QueuedBatch[] {
    const rows = this.db.prepare(`SELECT * FROM batches WHERE state = 'in_progress' ORDER BY submitted_at`).all() as BatchRow[];
    const keep = requestIds && new Set(requestIds);
    return rows.map(toBatch).filter((b) => !keep || keep.has(b.requestId));
  }

  /** Queued batches that failed at least once and wait out their backoff (work already started). */
  retrying(requestIds?: readonly string[]): QueuedBatch[] {
    const rows = this.db.prepare(`SELECT * FROM batches WHERE state = 'queued' AND attempts > 0`).all() as BatchRow[];
    const keep = requestIds && new Set(requestIds);
    return rows.map(toBatch).filter((b) => !keep || keep.has(b.requestId));
  }

  /** Earliest time a queued batch becomes due (or undefined when none is queued). */
  nextDueAt(requestIds?: readonly string[]): number | undefined {
    const rows = this.db.prepare(`SELECT request_id, next_attempt_at FROM batches WHERE state = 'queued'`).all() as { request_id: string; next_attempt_at: number }[];
    const keep = requestIds && new Set(requestIds);
    let min: number | undefined;
    for (const r of rows) if (!keep || keep.has(r.request_id)) min = min === undefined ? r.next_attempt_at : Math.min(min, r.next_attempt_at);
    return min;
  }

  /** Counts of batches by state (optionally of some requests only). */
  counts(requestIds?: readonly string[]): Record<BatchState, number> {
    const out: Record<BatchState, number> = { queued: 0, in_progress: 0, completed: 0, failed: 0 };
    const rows = this.db.prepare('SELECT request_id, state, COUNT(*) AS n FROM batches GROUP BY request_id, state').all() as { request_id: string; state: BatchState; n: number }[];
    const keep = requestIds && new Set(requestIds);
    for (const r of rows) if (!keep || keep.has(r.request_id)) out[r.state] += r.n;
    return out;
  }

  markSubmitted(b: QueuedBatch, invalidationId: string, at: number): void {
    this.db
      .prepare(`UPDATE batches SET state = 'in_progress', invalidation_id = ?, submitted_at = ?, attempts = attempts + 1, last_error = NULL WHERE request_id = ? AND seq = ? AND state = 'queued'`)
      .run(invalidationId, at, b.requestId, b.seq);
  }

  markRetry(b: QueuedBatch, nextAttemptAt: number, error: string): void {
    this.db
      .prepare(`UPDATE batches SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE request_id = ? AND seq = ? AND state = 'queued'`)
      .run(nextAttemptAt, error, b.requestId, b.seq);
  }

  markFailed(b: QueuedBatch, error: string): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE batches SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE request_id = ? AND seq = ?`).run(error, b.requestId, b.seq);
      this.db.prepare(`UPDATE requests SET status = 'failed' WHERE id = ?`).run(b.requestId);
    })();
  }

  markCompleted(b: QueuedBatch, at: number): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE batches SET state = 'completed', completed_at = ? WHERE request_id = ? AND seq = ? AND state = 'in_progress'`).run(at, b.requestId, b.seq);
      const open = this.db.prepare(`SELECT COUNT(*) AS n FROM batches WHERE request_id = ? AND state <> 'completed'`).get(b.requestId) as { n: number };
      if (open.n === 0) this.db.prepare(`UPDATE requests SET status = 'done' WHERE id = ?`).run(b.requestId);
    })();
  }

  /** Lets a parked request's batches (queued with `notBefore` = {@link PARKED}) be sent from `at` on. */
  release(requestId: string, at: number): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE batches SET next_attempt_at = ? WHERE request_id = ? AND state = 'queued' AND next_attempt_at = ?`).run(at, requestId, PARKED);
      this.db.prepare(`UPDATE requests SET not_before = ? WHERE id = ? AND not_before = ?`).run(at, requestId, PARKED);
    })();
  }

  /** Puts a request's failed batches back in the queue (`retry` subcommand). Returns how many. */
  requeueFailed(requestId: string, now: number): number {
    return this.db.transaction(() => {
      const n = this.db.prepare(`UPDATE batches SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE request_id = ? AND state = 'failed'`).run(now, requestId).changes;
      if (n > 0) this.db.prepare(`UPDATE requests SET status = 'queued' WHERE id = ?`).run(requestId);
      return n;
    })();
  }

  /**
   * Appends the request to the journal and syncs it to disk before the queue takes it, so a queue file
   * later damaged or lost still lets `queue export` name every request's paths.
   */
  private journal(input: EnqueueInput, now: number): void {
    if (!this.journalFile || !this.queueId) return;
    const line = `${JSON.stringify({ queue: this.queueId, at: now, request: input } satisfies JournalLine)}\n`;
    const fd = openSync(this.journalFile, 'a');
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Drops from the journal the requests this queue has finished, those it never took, and lines of
   * other queues once at this path, keeping it as small as the work left. Atomic (temp file + rename); the worker
   * calls it while it holds the lock.
   */
  compactJournal(): void {
    if (!this.journalFile || !existsSync(this.journalFile)) return;
    const status = new Map((this.db.prepare(`SELECT id, status FROM requests`).all() as { id: string; status: string }[]).map((r) => [r.id, r.status]));
    // A line whose request the (sound) file does not hold was never queued (its transaction failed),
    // unless it is recent: another process may be between its journal line and its transaction.
    const recent = Date.now() - JOURNAL_GRACE_MS;
    const keep = readJournal(this.journalFile).filter((l) => l.queue === this.queueId && (status.has(l.request.id) ? status.get(l.request.id) !== 'done' : l.at >= recent));
    const tmp = `${this.journalFile}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, keep.map((l) => `${JSON.stringify(l)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.journalFile);
  }

  /** Writes a request row as exported (`queue repair`). */
  restoreRequest(r: QueuedRequest): void {
    this.db
      .prepare('INSERT OR REPLACE INTO requests (id, distribution_id, source, created_at, not_before, status, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(r.id, r.distributionId, r.source, r.createdAt, r.notBefore, r.status, JSON.stringify(r.summary));
  }

  /** Writes a batch row as exported, CallerReference, state and invalidation id kept (`queue repair`). */
  restoreBatch(b: QueuedBatch): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO batches (request_id, seq, distribution_id, items_json, paths, wildcards, caller_reference, state, invalidation_id, attempts, next_attempt_at, submitted_at, completed_at, last_error, billed_paths) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(b.requestId, b.seq, b.distributionId, JSON.stringify(b.items), b.load.paths, b.load.wildcards, b.callerReference, b.state, b.invalidationId, b.attempts, b.nextAttemptAt, b.submittedAt, b.completedAt, b.lastError, b.billedPaths);
  }

  restoreSchedule(s: StoredSchedule): void {
    this.db
      .prepare('INSERT OR REPLACE INTO schedules (id, distribution_id, cron, spec_json, created_at, next_run_at, last_run_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(s.id, s.distributionId, s.cron, JSON.stringify(s.spec), s.createdAt, s.nextRunAt, s.lastRunAt);
  }

  // ------------------------------------------------------------ schedules

  addSchedule(s: Omit<StoredSchedule, 'lastRunAt'>): void {
    this.db
      .prepare('INSERT INTO schedules (id, distribution_id, cron, spec_json, created_at, next_run_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.id, s.distributionId, s.cron, JSON.stringify(s.spec), s.createdAt, s.nextRunAt);
  }

  schedules(): StoredSchedule[] {
    return (this.db.prepare('SELECT * FROM schedules ORDER BY created_at, id').all() as ScheduleRow[]).map(toSchedule);
  }

  removeSchedule(id: string): boolean {
    return this.db.prepare('DELETE FROM schedules WHERE id = ?').run(id).changes > 0;
  }

  dueSchedules(now: number): StoredSchedule[] {
    return (this.db.prepare('SELECT * FROM schedules WHERE next_run_at <= ? ORDER BY next_run_at, id').all(now) as ScheduleRow[]).map(toSchedule);
  }

  /**
   * Records a schedule run in one transaction: queues its request (if any) and moves the schedule
   * to its next run, but only if the run is still due — so a run is queued once even when the
   * worker dies between planning and recording.
   */
  recordScheduleRun(scheduleId: string, runAt: number, nextRunAt: number, request: EnqueueInput | undefined, now: number): boolean {
    return this.db.transaction(() => {
      const moved = this.db.prepare('UPDATE schedules SET next_run_at = ?, last_run_at = ? WHERE id = ? AND next_run_at = ?').run(nextRunAt, runAt, scheduleId, runAt).changes;
      if (moved === 0) return false;
      if (request) this.enqueue(request, now);
      return true;
    })();
  }

  // ------------------------------------------------------------ worker lock and caches

  /** The worker lock's holder, if any (locks of earlier versions hold a pid only). */
  lockOwner(): LockOwner | undefined {
    const row = this.db.prepare(`SELECT key, value FROM meta WHERE key IN ('worker_lock', 'worker_pid') ORDER BY key DESC`).get() as { key: string; value: string } | undefined;
    if (!row) return undefined;
    if (row.key === 'worker_pid') return { pid: Number(row.value) };
    const v = parseColumn<LockOwner>(row.value, 'the worker lock', (x) => isObject(x) && typeof (x as LockOwner).pid === 'number');
    return v.startedAt !== undefined ? { pid: v.pid, startedAt: String(v.startedAt) } : { pid: v.pid };
  }

  /**
   * Takes the worker lock for `owner` unless a live process holds it. Returns the holder when refused.
   * A lock left by a killed worker is taken over, and so is one whose pid now belongs to another
   * process (the start time differs).
   */
  acquireWorkerLock(owner: LockOwner, alive: (owner: LockOwner) => boolean = ownerAlive): { ok: true } | { ok: false; holder: LockOwner } {
    return this.db.transaction(() => {
      const holder = this.lockOwner();
      if (holder !== undefined && !sameOwner(holder, owner) && alive(holder)) return { ok: false as const, holder };
      this.db.prepare(`DELETE FROM meta WHERE key = 'worker_pid'`).run();
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('worker_lock', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(owner));
      return { ok: true as const };
    })();
  }

  releaseWorkerLock(owner: LockOwner): void {
    const holder = this.lockOwner();
    if (holder && sameOwner(holder, owner)) this.clearWorkerLock();
  }

  /** Removes the worker lock whoever holds it (`queue unlock`). */
  clearWorkerLock(): void {
    this.db.prepare(`DELETE FROM meta WHERE key IN ('worker_lock', 'worker_pid')`).run();
  }

  /** Sizes of past invalidations (paths), cached for month-to-date usage. */
  sizeCache(): Map<string, number> {
    const rows = this.db.prepare('SELECT invalidation_id, paths FROM invalidation_sizes').all() as { invalidation_id: string; paths: number }[];
    return new Map(rows.map((r) => [r.invalidation_id, r.paths]));
  }

  saveSizes(sizes: ReadonlyMap<string, number>): void {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO invalidation_sizes (invalidation_id, paths) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const [id, n] of sizes) stmt.run(id, n);
    })();
  }
}

function sameOwner(a: LockOwner, b: LockOwner): boolean {
  return a.pid === b.pid && (a.startedAt === undefined || b.startedAt === undefined || a.startedAt === b.startedAt);
}

/** How long a journal line without its request in the file is kept by compaction, ms. */
const JOURNAL_GRACE_MS = 10 * 60_000;

/** One line of the request journal. */
export interface JournalLine {
  readonly queue: string;
  readonly at: number;
  readonly request: EnqueueInput;
}

/** The request journal of a queue file: `<file>.journal`, one JSON line per queued request. */
export function journalFileOf(file: string): string {
  return `${file}.journal`;
}

/** The readable lines of a journal (a torn last line or garbage is skipped); none when there is no journal. */
export function readJournal(journalFile: string): JournalLine[] {
  if (!existsSync(journalFile)) return [];
  const out: JournalLine[] = [];
  for (const text of readFileSync(journalFile, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    try {
      const l = JSON.parse(text) as JournalLine;
      const r = l?.request;
      if (typeof l.queue === 'string' && typeof r?.id === 'string' && typeof r.distributionId === 'string' && Array.isArray(r.batches) && r.batches.every((b) => Array.isArray(b) && b.every((x) => typeof x === 'string'))) out.push(l);
    } catch {
      // a line torn by a crash or a damaged disk: skipped
    }
  }
  return out;
}
