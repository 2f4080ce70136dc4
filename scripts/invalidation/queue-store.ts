/**
 * The durable invalidation queue: requests, their batches (each with its CallerReference), cron
 * schedules and the worker lock, in one SQLite file (better-sqlite3, WAL, synchronous=FULL). Every
 * state change is one transaction, so a SIGKILL at any moment leaves either the old or the new
 * state; since a batch's CallerReference is fixed when it is queued, re-sending a batch whose
 * outcome was lost returns the original invalidation (spec §8.3) instead of creating another.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { callerReference, loadOf, type InFlight } from '../../lib/invalidation';

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

interface BatchRow {
  request_id: string; seq: number; distribution_id: string; items_json: string; paths: number; wildcards: number;
  caller_reference: string; state: BatchState; invalidation_id: string | null; attempts: number; next_attempt_at: number;
  submitted_at: number | null; completed_at: number | null; last_error: string | null; billed_paths: number;
}

function toBatch(r: BatchRow): QueuedBatch {
  return {
    requestId: r.request_id, seq: r.seq, distributionId: r.distribution_id, items: JSON.parse(r.items_json) as string[],
    load: { paths: r.paths, wildcards: r.wildcards }, callerReference: r.caller_reference, state: r.state,
    invalidationId: r.invalidation_id, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, submittedAt: r.submitted_at,
    completedAt: r.completed_at, lastError: r.last_error, billedPaths: r.billed_paths,
  };
}

interface RequestRow { id: string; distribution_id: string; source: string; created_at: number; not_before: number; status: RequestStatus; summary_json: string }

function toRequest(r: RequestRow): QueuedRequest {
  return { id: r.id, distributionId: r.distribution_id, source: r.source, createdAt: r.created_at, notBefore: r.not_before, status: r.status, summary: JSON.parse(r.summary_json) as Record<string, unknown> };
}

interface ScheduleRow { id: string; distribution_id: string; cron: string; spec_json: string; created_at: number; next_run_at: number; last_run_at: number | null }

function toSchedule(r: ScheduleRow): StoredSchedule {
  return { id: r.id, distributionId: r.distribution_id, cron: r.cron, spec: JSON.parse(r.spec_json) as Record<string, unknown>, createdAt: r.created_at, nextRunAt: r.next_run_at, lastRunAt: r.last_run_at };
}

/** `notBefore` of a request queued but held back until released (rollback: queued before S3 is changed). */
export const PARKED = 8_640_000_000_000_000;

/** Is a process alive? (EPERM means it exists but belongs to someone else.) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class QueueStore {
  private constructor(readonly db: Database.Database, readonly file: string) {}

  /** Opens (creating when needed) the queue file. */
  static open(file: string): QueueStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    return new QueueStore(db, file);
  }

  close(): void {
    this.db.close();
  }

  // ------------------------------------------------------------ requests and batches

  /**
   * Queues a request and its batches in one transaction, deriving each batch's CallerReference from
   * the distribution, its items and the request id. A request id already queued is left as it is
   * (`created: false`), so re-running the same request is harmless.
   */
  enqueue(input: EnqueueInput, now: number): { created: boolean } {
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

  /**
   * Takes the worker lock for `pid` unless a live process holds it. Returns the holder's pid when
   * refused. A lock left by a killed worker is taken over.
   */
  acquireWorkerLock(pid: number, alive: (pid: number) => boolean = processAlive): { ok: true } | { ok: false; holder: number } {
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'worker_pid'`).get() as { value: string } | undefined;
      const holder = row ? Number(row.value) : undefined;
      if (holder !== undefined && holder !== pid && alive(holder)) return { ok: false as const, holder };
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('worker_pid', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(pid));
      return { ok: true as const };
    })();
  }

  releaseWorkerLock(pid: number): void {
    this.db.prepare(`DELETE FROM meta WHERE key = 'worker_pid' AND value = ?`).run(String(pid));
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
