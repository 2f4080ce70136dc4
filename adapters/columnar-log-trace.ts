/**
 * CloudFront logs delivered as Parquet or JSON lines (standard logging v2, or the simulator's
 * `--write-logs`) as a trace for `npm run sim -- --trace <folder> --format cloudfront-log`: DuckDB
 * reads the files (adapters/duckdb-logs.ts, the same `cloudfront_logs` view the analyses read) and
 * streams them a chunk of rows at a time as tab-separated lines under a `#Fields:` header into the v1
 * log parser, so every line is checked by one set of rules and memory stays one chunk plus what the
 * sink keeps. Rows come in file order (hourly partitions in name order), as the delivery wrote them.
 */
import { LOG_FIELDS } from '../lib/monitoring/log-fields';
import { logFieldColumn } from '../lib/analytics/log-table';
import { findLogFiles, openLogDatabase } from './duckdb-logs';

/** The log fields the trace readers use, as v1 field names (their `#Fields:` line). */
export const TRACE_LOG_FIELDS: readonly string[] = Object.freeze([
  LOG_FIELDS.date, LOG_FIELDS.time, LOG_FIELDS.edgeLocation, LOG_FIELDS.bytes, LOG_FIELDS.method, LOG_FIELDS.path,
  LOG_FIELDS.status, LOG_FIELDS.resultType, LOG_FIELDS.detailedResultType, LOG_FIELDS.contentType,
]);

/** Whether `path` is a folder holding Parquet or JSON-lines logs (at any depth, e.g. Hive partitions). */
export function holdsColumnarLogs(path: string): boolean {
  try {
    const files = findLogFiles(path, '--trace');
    return files.parquet.length + files.json.length > 0;
  } catch {
    return false;
  }
}

/** Where the lines go: a v1 log parser (CloudFrontLogParser or a trace parser wrapping one). */
export interface LogTextSink {
  startFile(index: number): void;
  pushText(text: string): void;
}

/** The `SELECT` of one tab-separated line per row, '-' for an empty field (as v1 logs write it). */
export function traceLineSql(table = 'cloudfront_logs'): string {
  const cells = TRACE_LOG_FIELDS.map((f) => `coalesce(CAST("${logFieldColumn(f)}" AS VARCHAR), '-')`);
  return `SELECT concat_ws(chr(9), ${cells.join(', ')}) AS line FROM ${table}`;
}

/**
 * Streams the Parquet / JSON / v1 logs under `folder` into `sink` as one v1 log file.
 * @returns the rows read.
 * @throws InputError when the folder holds no logs or a file cannot be read.
 */
export async function streamColumnarLogs(folder: string, sink: LogTextSink): Promise<number> {
  // one thread: rows in file order (a parallel scan interleaves the files' row groups)
  const db = await openLogDatabase(folder, { flag: '--trace', threads: 1 });
  let rows = 0;
  try {
    sink.startFile(0);
    sink.pushText(`#Version: 1.0\n#Fields: ${TRACE_LOG_FIELDS.join(' ')}\n`);
    const result = await db.connection.stream(traceLineSql());
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const lines = chunk.getColumnValues(0) as (string | null)[];
      rows += lines.length;
      sink.pushText(lines.join('\n') + '\n');
    }
  } finally {
    db.close();
  }
  return rows;
}
