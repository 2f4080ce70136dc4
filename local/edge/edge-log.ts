/**
 * Where the local edge's access logs go, by format (`npm run local -- --log-format`): CloudFront's
 * standard logs v1 (access-log.ts, hourly text files), v2 Parquet in the S3 delivery's Hive layout
 * (parquet-access-log.ts), or both into the same folder (the v1 files at its top, the Parquet files
 * in the `DistributionId=…` folders).
 */
import { AccessLogWriter, type AccessLogRecord } from './access-log';
import type * as ParquetAccessLog from './parquet-access-log';

export const EDGE_LOG_FORMATS = ['v1', 'parquet', 'both'] as const;
export type EdgeLogFormat = (typeof EDGE_LOG_FORMATS)[number];

/** What the edge needs of a log writer. */
export interface EdgeLogWriter {
  write(r: AccessLogRecord): void;
  /** Appends buffered lines now. */
  flush(): void;
  /** Waits for the background work started so far (Parquet conversions of finished hours). */
  idle?(): Promise<void>;
  /** Writes everything (for Parquet: converts every hour, the current one included). */
  close(): void | Promise<void>;
}

export interface EdgeLogOptions {
  readonly format?: EdgeLogFormat;
  readonly flushIntervalMs?: number;
  readonly clock?: () => number;
}

/** The Parquet writer's module, loaded on first use (an edge writing v1 logs never loads DuckDB). */
function parquetAccessLog(): typeof ParquetAccessLog {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./parquet-access-log') as typeof ParquetAccessLog;
}

/** The writer(s) of `format` into `dir`. */
export function openEdgeLog(dir: string, distributionId: string, opts: EdgeLogOptions = {}): EdgeLogWriter {
  const format = opts.format ?? 'v1';
  const flushIntervalMs = opts.flushIntervalMs ?? 1000;
  const v1 = format === 'parquet' ? undefined : new AccessLogWriter(dir, distributionId, { flushIntervalMs });
  const v2 = format === 'v1' ? undefined : new (parquetAccessLog().ParquetAccessLogWriter)(dir, distributionId, { flushIntervalMs, ...(opts.clock ? { clock: opts.clock } : {}) });
  if (!v2) return v1!;
  if (!v1) return v2;
  return {
    write(r) {
      v1.write(r);
      v2.write(r);
    },
    flush() {
      v1.flush();
      v2.flush();
    },
    idle: () => v2.idle(),
    async close() {
      v1.close();
      await v2.close();
    },
  };
}
