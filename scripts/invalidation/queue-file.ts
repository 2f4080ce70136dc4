/**
 * The queue file as a file: which path may hold a queue, what its SQLite errors mean to a user, which
 * file (device and inode) a running worker has open, and who holds the worker lock (a pid and that
 * process's start time, so a pid reused by another process does not pass for the worker).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError, show } from '../../lib/errors';
import { CheckFailed } from '../lib/cli';

/** The default `--queue`. */
export const DEFAULT_QUEUE_FILE = '.local/invalidation-queue.sqlite';

/**
 * Checks a `--queue` value before SQLite sees it.
 * @throws InputError for an empty value or a directory.
 */
export function checkQueuePath(raw: string): string {
  if (raw.trim() === '') throw new InputError(`--queue ${show(raw)} is empty; give the queue file, e.g. --queue ${DEFAULT_QUEUE_FILE}.`);
  if (existsSync(raw) && statSync(raw).isDirectory()) {
    throw new InputError(`--queue '${raw}' is a directory; give a file in it, e.g. --queue ${raw.replace(/\/+$/, '')}/invalidation-queue.sqlite.`);
  }
  return raw;
}

/** Thrown when the queue file cannot be used: damaged, full, read-only, gone. Exit 1. */
export class QueueFileError extends CheckFailed {}

/** What SQLite (better-sqlite3's SqliteError) or the file system said, as far as the queue is concerned. */
export function queueErrorKind(e: unknown): 'full' | 'readonly' | 'moved' | 'corrupt' | 'not-a-database' | 'cannot-open' | 'io' | undefined {
  const code = String((e as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'full';
  if (code === 'SQLITE_READONLY_DBMOVED') return 'moved';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'readonly';
  if (code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code === 'SQLITE_NOTADB') return 'not-a-database';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot-open';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return undefined;
}

const RECOVER = "'npm run invalidate -- queue export --json f' lists every readable request, 'queue repair' rebuilds the file from them";

/**
 * The error to show for a failure of the queue file: one line naming the file, what happened and the
 * fix. Errors that are not about the file come back unchanged.
 */
export function explainQueueError(e: unknown, file: string): unknown {
  if (e instanceof CheckFailed || e instanceof InputError) return e;
  const kind = queueErrorKind(e);
  const said = ((e as Error)?.message ?? String(e)).split('\n')[0];
  switch (kind) {
    case 'full':
      return new QueueFileError(`error: the disk of queue file '${file}' is full (${said}); the change in progress was rolled back and nothing is lost: free space and run the command again.`);
    case 'readonly':
      return new QueueFileError(`error: queue file '${file}' cannot be written (${said}: a read-only file system or missing permission); nothing was changed: make it writable, or give --queue on a writable disk.`);
    case 'moved':
      return new QueueFileError(`error: queue file '${file}' was deleted or replaced while in use (${said}); stop and check what removed it, then run 'npm run invalidate -- queue export'.`);
    case 'corrupt':
      return new QueueFileError(`error: queue file '${file}' is damaged (${said}); ${RECOVER}.`);
    case 'not-a-database':
      return new InputError(`--queue '${file}' is not a queue file (${said}); give the queue's path, or move this file away to start a new queue.`);
    case 'cannot-open':
      return new QueueFileError(`error: queue file '${file}' cannot be opened (${said}); check that its folder exists and is writable, or give another --queue.`);
    case 'io':
      return new QueueFileError(`error: reading or writing queue file '${file}' failed (${said}); check the disk, then run the command again (nothing committed is lost).`);
    default:
      return e;
  }
}

/** Which file a path names now: device and inode, or undefined when nothing is there. */
export function fileIdentity(file: string): { dev: number; ino: number } | undefined {
  try {
    const s = statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}

/** The holder of the worker lock. */
export interface LockOwner {
  readonly pid: number;
  /** The process's start time (clock ticks since boot, /proc/<pid>/stat field 22); absent where /proc is not. */
  readonly startedAt?: string;
}

/** A process's start time from /proc (Linux), or undefined where it cannot be read. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** This process as a lock owner. */
export function currentProcess(): LockOwner {
  const startedAt = processStartTime(process.pid);
  return startedAt !== undefined ? { pid: process.pid, startedAt } : { pid: process.pid };
}

/** Is a process alive? (EPERM means it exists but belongs to someone else.) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is the lock's owner still running? The pid must be alive and, when the lock recorded a start time
 * and /proc can be read, the process with that pid must have started then: a pid reused by another
 * process does not hold the lock.
 */
export function ownerAlive(owner: LockOwner): boolean {
  if (!processAlive(owner.pid)) return false;
  if (owner.startedAt === undefined) return true;
  const now = processStartTime(owner.pid);
  return now === undefined || now === owner.startedAt;
}
