/**
 * The local edge's access logs as CloudFront's standard logging v2 delivers them to S3 in Parquet:
 * `<dir>/DistributionId=<id>/year=YYYY/month=MM/day=DD/hour=HH/<name>.parquet`, the columns of
 * lib/analytics/log-table.ts (all strings, NULL for an absent value), so `npm run analyze -- --logs
 * <dir>` and `npm run sim -- --trace <dir> --format cloudfront-log` read them like production's.
 *
 * Lines are appended to a spool file per hour (`<dir>/.spool/*.spool`, v2-log-line.ts) as the v1
 * writer appends its files: in batches of 256 lines, at least every flush interval and on close. An
 * hour's spool is converted to Parquet once the hour is over (a line of a later hour arrives, or the
 * clock passes the hour) and on close; a line arriving late for a converted hour starts another spool.
 * A conversion writes to a staging folder and renames the file into place, then deletes the spool:
 * a crash leaves either the spool (converted on the next start) or the finished file, never half a
 * file, and a spool converted twice replaces its own file rather than adding a copy.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hivePartitionColumnsSql, moveHiveParquet, writeHiveParquet } from '../../adapters/hive-parquet-logs';
import { logViewSql } from '../../adapters/duckdb-logs';
import { LOG_TABLE } from '../../lib/analytics/analyses';
import { LOG_FIELD_COLUMNS } from '../../lib/analytics/log-table';
import { sqlString } from '../../lib/analytics/sql-expressions';
import type { AccessLogRecord } from './access-log';
import { formatV2Line, parseSpoolFileName, spoolFileName, V2_SPOOL_HEADER } from './v2-log-line';

/** Lines buffered before they are appended to their spool. */
const BATCH_LINES = 256;
const HOUR_MS = 3_600_000;

/** Folder of the spool files under the log folder (hidden: readers of the logs skip it). */
export const SPOOL_FOLDER = '.spool';

export interface ParquetAccessLogOptions {
  /** Appends buffered lines (and converts finished hours) this often; 0 = only on flush/close. @default 1000 */
  readonly flushIntervalMs?: number;
  /** Names this writer's files; letters, digits, `_` and `-`. @default LOCAL<pid><start time> */
  readonly writerId?: string;
  /** The edge's clock (epoch ms), to notice an hour is over when no request comes. @default Date.now */
  readonly clock?: () => number;
  /** Told when a conversion fails (the spool stays and is converted on the next start). @default prints to stderr */
  readonly onError?: (spool: string, error: Error) => void;
}

/**
 * Cuts a spool after its last complete line (a crash mid-append leaves a partial one), reading only its
 * tail; returns the size kept.
 */
export function dropPartialLine(spool: string): number {
  const size = statSync(spool).size;
  const fd = openSync(spool, 'r');
  let end = size;
  try {
    const buf = Buffer.alloc(1 << 16);
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      readSync(fd, buf, 0, end - start, start);
      const nl = buf.subarray(0, end - start).lastIndexOf(0x0a);
      if (nl >= 0) {
        end = start + nl + 1;
        break;
      }
      end = start;
    }
  } finally {
    closeSync(fd);
  }
  if (end < size) truncateSync(spool, end);
  return end;
}

/** Converts one spool file (lines of one hour of one distribution) to its Parquet file under `dir`. */
export async function convertSpool(dir: string, spool: string): Promise<string[]> {
  const parsed = parseSpoolFileName(basename(spool));
  if (!parsed) throw new Error(`'${spool}' is not a spool file name`);
  if (!existsSync(spool)) return [];
  if (dropPartialLine(spool) <= Buffer.byteLength(V2_SPOOL_HEADER)) {
    unlinkSync(spool); // no line (the header at most)
    return [];
  }
  const staging = join(dir, SPOOL_FOLDER, `${parsed.base}.staging`);
  rmSync(staging, { recursive: true, force: true });
  try {
    await writeHiveParquet(staging, 'part-{i}', async (conn) => {
      await conn.run(await logViewSql(conn, { parquet: [], json: [], v1: [spool] }));
      const columns = LOG_FIELD_COLUMNS.map((c) => `"${c}"`);
      return `SELECT ${[...columns, ...hivePartitionColumnsSql(sqlString(parsed.distributionId), '"date"', '"time"')].join(', ')} FROM ${LOG_TABLE}`;
    });
    const moved = moveHiveParquet(staging, dir, parsed.base);
    unlinkSync(spool);
    return moved;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Spool files left in `dir` (by a run that stopped before converting them), sorted. */
export function leftoverSpools(dir: string): string[] {
  const folder = join(dir, SPOOL_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((f) => parseSpoolFileName(f) !== undefined).sort().map((f) => join(folder, f));
}

/** Buffers v2 log lines into hourly spools and converts each finished hour to Parquet (see the module comment). */
export class ParquetAccessLogWriter {
  private readonly pending = new Map<string, string[]>();
  /** Spool being written, by hour number (epoch ms / 1 h). */
  private readonly openSpools = new Map<number, string>();
  /** Spools sealed so far, by hour number: names the next spool of a late line. */
  private readonly sealedCount = new Map<number, number>();
  private readonly timer?: NodeJS.Timeout;
  private readonly writerId: string;
  private readonly clock: () => number;
  private readonly onError: (spool: string, error: Error) => void;
  private readonly spoolDir: string;
  private queue: Promise<void> = Promise.resolve();
  private newestHour = -Infinity;
  /** Lines appended to spools since start. */
  linesWritten = 0;
  /** Parquet files written since start (leftover spools included). */
  filesWritten = 0;
  /** Leftover spools of an earlier run found at start (converted in the background). */
  readonly leftovers: number;

  constructor(readonly dir: string, readonly distributionId: string, opts: ParquetAccessLogOptions = {}) {
    this.spoolDir = join(dir, SPOOL_FOLDER);
    mkdirSync(this.spoolDir, { recursive: true });
    this.writerId = opts.writerId ?? `LOCAL${process.pid.toString(36).toUpperCase()}${Date.now().toString(36).toUpperCase()}`;
    if (!/^[A-Za-z0-9_]+$/.test(this.writerId)) throw new RangeError(`writerId must be letters, digits and '_', got '${this.writerId}'`);
    this.clock = opts.clock ?? Date.now;
    this.onError = opts.onError ?? ((spool, e) => console.error(`access logs: could not convert ${spool} to Parquet (${e.message.split('\n')[0]}); it is kept and converted on the next start.`));
    const leftovers = leftoverSpools(dir);
    this.leftovers = leftovers.length;
    for (const s of leftovers) this.enqueue(s);
    const every = opts.flushIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => {
        this.flush();
        this.sealFinishedHours();
      }, every);
      this.timer.unref();
    }
  }

  write(r: AccessLogRecord): void {
    const hour = Math.floor(r.startMs / HOUR_MS);
    let spool = this.openSpools.get(hour);
    if (spool === undefined) {
      const n = this.sealedCount.get(hour) ?? 0;
      spool = join(this.spoolDir, spoolFileName(this.distributionId, r.startMs, n === 0 ? this.writerId : `${this.writerId}_${n}`));
      this.openSpools.set(hour, spool);
    }
    let lines = this.pending.get(spool);
    if (lines === undefined) {
      lines = [];
      this.pending.set(spool, lines);
    }
    lines.push(formatV2Line(r));
    if (lines.length >= BATCH_LINES) this.flush();
    if (hour > this.newestHour) {
      this.newestHour = hour;
      this.sealBefore(hour);
    }
  }

  /** Appends every buffered line to its spool (creating spools with the header lines). */
  flush(): void {
    for (const [spool, lines] of this.pending) {
      if (lines.length === 0) continue;
      appendFileSync(spool, `${existsSync(spool) ? '' : V2_SPOOL_HEADER}${lines.join('\n')}\n`);
      this.linesWritten += lines.length;
    }
    this.pending.clear();
  }

  /**
   * Converts the spools of hours the clock has left (the timer does this every flush interval, so an
   * hour is written even when no request of a later hour comes).
   */
  sealFinishedHours(): void {
    this.sealBefore(Math.floor(this.clock() / HOUR_MS));
  }

  /** Waits for the conversions started so far. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Writes every line and converts every spool, the current hour's included. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.sealBefore(Infinity);
    await this.queue;
  }

  /** Closes the spools of hours before `hour` and queues their conversion. */
  private sealBefore(hour: number): void {
    let flushed = false;
    for (const [h, spool] of this.openSpools) {
      if (h >= hour) continue;
      if (!flushed) {
        this.flush();
        flushed = true;
      }
      this.openSpools.delete(h);
      this.sealedCount.set(h, (this.sealedCount.get(h) ?? 0) + 1);
      this.enqueue(spool);
    }
  }

  /** Conversions run one at a time, in the order the hours were sealed. */
  private enqueue(spool: string): void {
    this.queue = this.queue.then(async () => {
      try {
        this.filesWritten += (await convertSpool(this.dir, spool)).length;
      } catch (e) {
        this.onError(spool, e as Error);
      }
    });
  }
}
