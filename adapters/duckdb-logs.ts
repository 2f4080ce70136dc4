/**
 * CloudFront logs on this machine as the `cloudfront_logs` table the analyses read, in DuckDB:
 * Parquet (CloudFront's v2 delivery, Hive-partitioned or not), JSON lines (the v2 JSON delivery) and
 * v1 standard log files (tab-separated with a `#Fields` header, gzip or plain), each mapped onto the
 * columns of lib/analytics/log-table.ts. Used by `npm run analyze` and by the local Athena stand-in.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBListType, type DuckDBStructType } from '@duckdb/node-api';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { analysisOverTable, LOG_TABLE, requestsSelect, type AnalysisParameter, type RenderedAnalysis } from '../lib/analytics/analyses';
import { duckDbCell, type AnalysisResult } from '../lib/analytics/results';
import { LOG_PARTITIONS, LOG_TABLE_COLUMNS, logFieldColumn } from '../lib/analytics/log-table';
import { sqlString } from '../lib/analytics/sql-expressions';
import { InputError } from '../lib/errors';

export type LogFormat = 'parquet' | 'json' | 'v1';

/** Log files found under a folder, by format. */
export type LogFiles = Readonly<Record<LogFormat, readonly string[]>>;

/** The format of a file by its name; undefined for files that are not logs. */
export function logFormatOf(file: string): LogFormat | undefined {
  const name = file.toLowerCase();
  if (name.endsWith('.parquet')) return 'parquet';
  if (/\.(json|jsonl|ndjson)(\.gz)?$/.test(name)) return 'json';
  if (/\.(gz|log|txt)$/.test(name)) return 'v1';
  return undefined;
}

/**
 * Every log file under `folder` (recursively), by format.
 * @throws InputError when the folder does not exist or holds no log file.
 */
export function findLogFiles(folder: string, flag = '--logs'): LogFiles {
  let isDir: boolean;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new InputError(`${flag} '${folder}' is not a folder; give the folder holding the log files (Parquet, JSON lines or v1 .gz).`);
  const out: Record<LogFormat, string[]> = { parquet: [], json: [], v1: [] };
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const f = logFormatOf(e.name);
        if (f) out[f].push(p);
      }
    }
  };
  walk(folder);
  for (const k of Object.keys(out) as LogFormat[]) out[k].sort();
  if (out.parquet.length + out.json.length + out.v1.length === 0) {
    throw new InputError(`${flag} '${folder}' holds no log file (*.parquet, *.json[l][.gz], or v1 *.gz / *.log); check the folder.`);
  }
  return out;
}

/** The `#Fields:` of a v1 log file (first lines; gzip or plain). */
export function v1Fields(file: string): string[] {
  const fd = openSync(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    head = buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  let text: string;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // The header sits in the first few hundred bytes; inflate just enough of the stream.
    try {
      text = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('utf8');
    } catch {
      throw new InputError(`log file '${file}' is not valid gzip; re-download it.`);
    }
  } else {
    text = head.toString('utf8');
  }
  const line = text.split('\n').find((l) => l.startsWith('#Fields:'));
  if (!line) throw new InputError(`log file '${file}' has no '#Fields:' header line; it is not a CloudFront standard (v1) log file.`);
  return line.slice('#Fields:'.length).trim().split(/\s+/);
}

function list(files: readonly string[]): string {
  return `[${files.map(sqlString).join(', ')}]`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Columns (name → original name) of a relation, with names normalized to log-table columns. */
async function describe(conn: DuckDBConnection, relation: string): Promise<Map<string, string>> {
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  const names = reader.getRowObjectsJson().map((r) => String(r.column_name));
  return new Map(names.map((n) => [logFieldColumn(n), n]));
}

/** `SELECT` of the table's columns from a relation whose columns are `have` (normalized → original). */
function projection(relation: string, have: ReadonlyMap<string, string>, distributionFromFile: boolean): string {
  const col = (c: string) => (have.has(c) ? `CAST(${quoteIdent(have.get(c)!)} AS VARCHAR)` : undefined);
  // v1 logs write '-' for an empty field.
  const text = (c: string) => {
    const v = col(c);
    return v ? `nullif(${v}, '-')` : 'CAST(NULL AS VARCHAR)';
  };
  const fields = LOG_TABLE_COLUMNS.map((c) => `${text(c)} AS ${quoteIdent(c)}`);
  const dateCol = text('date');
  const timeCol = text('time');
  const derived: Record<string, string> = {
    distributionid: distributionFromFile
      ? `coalesce(regexp_extract(filename, '([A-Z0-9]+)\\.[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}\\.', 1), '')`
      : `''`,
    year: `CAST(substr(${dateCol}, 1, 4) AS INTEGER)`,
    month: `CAST(substr(${dateCol}, 6, 2) AS INTEGER)`,
    day: `CAST(substr(${dateCol}, 9, 2) AS INTEGER)`,
    hour: `CAST(substr(${timeCol}, 1, 2) AS INTEGER)`,
  };
  const parts = LOG_PARTITIONS.map((p) => {
    const given = have.get(p.column);
    const expr = given ? `CAST(${quoteIdent(given)} AS ${p.type === 'int' ? 'INTEGER' : 'VARCHAR'})` : derived[p.column]!;
    return `${expr} AS ${p.column}`;
  });
  return `SELECT ${[...fields, ...parts].join(', ')} FROM ${relation}`;
}

/** The DuckDB table functions reading each format (all columns as text where the format allows). */
function relations(files: LogFiles): { relation: string; fromFile: boolean }[] {
  const out: { relation: string; fromFile: boolean }[] = [];
  if (files.parquet.length) out.push({ relation: `read_parquet(${list(files.parquet)}, hive_partitioning = true, union_by_name = true, filename = true)`, fromFile: false });
  if (files.json.length) out.push({ relation: `read_json(${list(files.json)}, format = 'newline_delimited', union_by_name = true, hive_partitioning = true, filename = true, sample_size = -1)`, fromFile: false });
  // v1 files grouped by their #Fields line: files with different headers are read separately.
  const byHeader = new Map<string, string[]>();
  for (const f of files.v1) {
    const key = v1Fields(f).join(' ');
    byHeader.set(key, [...(byHeader.get(key) ?? []), f]);
  }
  for (const [header, group] of byHeader) {
    const columns = header.split(' ').map((f) => `${sqlString(f)}: 'VARCHAR'`).join(', ');
    out.push({
      relation: `read_csv(${list(group)}, delim = '\\t', header = false, comment = '#', quote = '', escape = '', columns = {${columns}}, auto_detect = false, filename = true, compression = 'auto', null_padding = true)`,
      fromFile: true,
    });
  }
  return out;
}

/** The SQL that defines the `cloudfront_logs` view over the files. */
export async function logViewSql(conn: DuckDBConnection, files: LogFiles): Promise<string> {
  const selects: string[] = [];
  for (const r of relations(files)) {
    const have = await describe(conn, r.relation);
    selects.push(projection(r.relation, have, r.fromFile && !have.has('distributionid')));
  }
  return `CREATE OR REPLACE VIEW ${LOG_TABLE} AS\n${selects.join('\nUNION ALL\n')}`;
}

/**
 * Athena's `approx_percentile(x, p)`, which the analyses use, as DuckDB's exact discrete quantile
 * (the smallest value with at least a fraction p of the values at or below it).
 */
export const APPROX_PERCENTILE_MACRO = 'CREATE OR REPLACE MACRO approx_percentile(x, p) AS quantile_disc(x, p)';

export interface LogDatabase {
  readonly connection: DuckDBConnection;
  readonly files: LogFiles;
  close(): void;
}

/**
 * An in-memory DuckDB with the `cloudfront_logs` view over the log files under `folder` and the
 * functions the analyses need.
 * @throws InputError when the folder holds no logs or a file cannot be read as its format.
 */
export async function openLogDatabase(folder: string, opts: { flag?: string; threads?: number } = {}): Promise<LogDatabase> {
  const files = findLogFiles(folder, opts.flag);
  // Larger-than-memory intermediates (a day of a busy distribution's requests) spill to the OS temp
  // folder, not to DuckDB's default `.tmp` in the working directory.
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: join(tmpdir(), `media-cdn-duckdb-${process.pid}`), ...(opts.threads ? { threads: String(opts.threads) } : {}) });
  const connection = await instance.connect();
  try {
    await connection.run(APPROX_PERCENTILE_MACRO);
    // Track each statement's progress (read by runAnalysesOnDuckDb), without DuckDB printing a bar.
    await connection.run('SET enable_progress_bar = true');
    await connection.run('SET enable_progress_bar_print = false');
    await connection.run(await logViewSql(connection, files));
  } catch (e) {
    connection.closeSync();
    if (e instanceof InputError) throw e;
    throw new InputError(`the logs under '${folder}' cannot be read (${(e as Error).message.split('\n')[0]}); check that every file is Parquet, JSON lines or a CloudFront v1 log.`);
  }
  return { connection, files, close: () => connection.closeSync() };
}

/** Runs one rendered analysis over the database with its parameters bound. */
export async function runAnalysisOnDuckDb(db: Pick<LogDatabase, 'connection'>, analysis: RenderedAnalysis, params: readonly AnalysisParameter[]): Promise<AnalysisResult> {
  const reader = await db.connection.runAndReadAll(analysis.sql, params.map((p) => p.value));
  const columns = reader.columnNames();
  const rows = reader.getRowObjectsJS().map((row) => Object.fromEntries(columns.map((c) => [c, duckDbCell(row[c])])));
  return { name: analysis.name, columns, rows };
}

/** The materialized CTE `runAnalysesOnDuckDb` computes the shared `requests` rows into. */
export const REQUESTS_SCAN_TABLE = 'requests_scan';

/** The column holding each result row's position in the one-statement scan (dropped from the results). */
const ROW_COLUMN = '__row';

/** The alias of an analysis's rows as structs in the one-statement scan. */
const ROWS_ALIAS = '__rows';

/**
 * One DuckDB statement running every analysis over one scan of the logs: the `requests` CTE they
 * share is a MATERIALIZED CTE (computed once, with the five parameters), each analysis reads it in
 * place of its own scan (analysisOverTable), and its rows come back, in the analysis's order, as a
 * list of structs in a column of its own (`a0`, `a1`, …). A materialized CTE is held as plain
 * columns for the statement only: cheaper than a table, and nothing is left behind.
 */
export function sharedScanSql(analyses: readonly RenderedAnalysis[]): string {
  const columns = analyses.map((a, i) => {
    const numbered = `SELECT row_number() OVER () AS ${ROW_COLUMN}, * FROM (\n${analysisOverTable(a, REQUESTS_SCAN_TABLE)}) ordered`;
    // The row alias is named like no analysis column (a column `x` would shadow an alias `x`).
    return `(SELECT list(${ROWS_ALIAS} ORDER BY ${ROWS_ALIAS}.${ROW_COLUMN}) FROM (${numbered}) ${ROWS_ALIAS}) AS a${i}`;
  });
  return `WITH ${REQUESTS_SCAN_TABLE} AS MATERIALIZED (\n${requestsSelect(analyses[0]!)}\n)\nSELECT\n${columns.join(',\n')}`;
}

/** How often `runAnalysesOnDuckDb` asks DuckDB how far the statement is. */
const PROGRESS_POLL_MS = 250;

/**
 * Runs several analyses with one scan of the logs (sharedScanSql): the `requests` CTE they share
 * (the same text in each, rendered for one catalog) is computed once, and the results equal running
 * each analysis on its own; one analysis runs directly. `onProgress` gets DuckDB's estimate of the
 * share of the statement done (0–1, undefined when DuckDB cannot tell) while it runs, and 1 at the end.
 */
export async function runAnalysesOnDuckDb(db: Pick<LogDatabase, 'connection'>, analyses: readonly RenderedAnalysis[], params: readonly AnalysisParameter[], onProgress?: (fraction: number | undefined) => void): Promise<AnalysisResult[]> {
  if (analyses.length <= 1) {
    const one = await Promise.all(analyses.map((a) => runAnalysisOnDuckDb(db, a, params)));
    onProgress?.(1);
    return one;
  }
  const shared = analyses[0]!.requests;
  const differs = analyses.find((a) => a.requests !== shared);
  if (differs) throw new Error(`${differs.name} was rendered with another requests CTE than ${analyses[0]!.name}; render them for one catalog`);
  const statement = await db.connection.prepare(sharedScanSql(analyses));
  statement.bind(params.map((p) => p.value));
  // The statement runs on DuckDB's threads; the event loop stays free to poll its progress.
  // DuckDB reports -1 when it cannot tell (a statement with materialized CTEs often cannot).
  const poll = onProgress && setInterval(() => {
    const percent = db.connection.progress.percentage;
    onProgress(percent >= 0 ? Math.min(1, percent / 100) : undefined);
  }, PROGRESS_POLL_MS);
  let reader: Awaited<ReturnType<typeof statement.runAndReadAll>>;
  try {
    reader = await statement.runAndReadAll();
  } finally {
    if (poll) clearInterval(poll);
  }
  onProgress?.(1);
  const types = reader.columnTypes();
  const row = reader.getRowObjectsJS()[0]!;
  return analyses.map((a, i) => {
    const listType = types[i] as DuckDBListType;
    const columns = (listType.valueType as DuckDBStructType).entryNames.filter((c) => c !== ROW_COLUMN);
    const structs = (row[`a${i}`] ?? []) as Record<string, unknown>[];
    return { name: a.name, columns, rows: structs.map((r) => Object.fromEntries(columns.map((c) => [c, duckDbCell(r[c])]))) };
  });
}
