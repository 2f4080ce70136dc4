/**
 * The simulated day as CloudFront standard logs: one log line per measured simulated request, with the
 * outcome the engine recorded (`OutcomeRecord`), so that `npm run analyze` can run the same analyses on
 * the simulator's day as on production's (docs/log-analytics.md, "Closing the loop").
 *
 * The lines are described as four small CSV tables (keys, viewers, edges: one row each; requests: one
 * row per line, streamed in chunks) that adapters/simulated-logs.ts joins into the v2 log columns with
 * `simulatedLogSelectSql` and writes as Hive-partitioned Parquet. Pure: strings in, strings out.
 *
 * Sampling: the simulator runs a SHARDS sample of the objects (simulator/workload/build.ts), each key
 * standing for `weight` full-scale requests per simulated one. Every line carries that weight in the
 * `sample_weight` column (lib/analytics/log-table.ts); CloudFront's own lines have none and count once.
 */
import { LOG_TABLE_COLUMNS, SAMPLE_WEIGHT_COLUMN } from '../lib/analytics/log-table';
import { OUTCOME_ERROR, OUTCOME_HIT, OUTCOME_MISS, OUTCOME_NONE, OUTCOME_REFRESH_HIT, type OutcomeRecord } from './engine';
import type { Prepared } from './simulate';
import { DEFAULT_SIMULATED_DAY_EPOCH_SEC } from './workload/releases';

/** x-edge-result-type of each OUTCOME_* code (index = code). */
export const RESULT_TYPE_OF_OUTCOME: readonly string[] = Object.freeze(
  Object.assign([] as string[], { [OUTCOME_NONE]: '', [OUTCOME_HIT]: 'Hit', [OUTCOME_REFRESH_HIT]: 'RefreshHit', [OUTCOME_MISS]: 'Miss', [OUTCOME_ERROR]: 'Error' }),
);

/** HTTP status the viewer got for an Error outcome (the origin failed: 502 Bad Gateway, spec §3.3). */
export const ERROR_STATUS = 502;

/** Rows of requests per CSV chunk. */
const CHUNK_ROWS = 1 << 16;

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The distribution id the simulated lines are filed under: CloudFront ids are upper-case letters and
 * digits, 'E' first; 'SIM' marks them as simulated.
 */
export function simulatedDistributionId(stack: string): string {
  return `E${stack.toUpperCase().replace(/[^A-Z0-9]/g, '')}SIM`.slice(0, 14);
}

export interface SimulatedLogTables {
  readonly distributionId: string;
  /** Unix seconds of the simulated day's 00:00 UTC (the measured window starts there). */
  readonly dayEpochSec: number;
  /** key,path,query,method,bytes,weight — one row per simulated cache key. */
  readonly keysCsv: string;
  /** viewer,country,mbps — one row per viewer country. */
  readonly viewersCsv: string;
  /** edge,code — one row per edge location. */
  readonly edgesCsv: string;
  /** Measured requests written in `requestsCsv`. */
  readonly lines: number;
  /** i,second,key,viewer,edge,result,ttfb_ms — the measured requests, a chunk at a time (header first). */
  requestsCsv(): Generator<string>;
}

/**
 * The log tables of a simulated run: `p` is the prepared workload, `record` the outcomes of the run
 * whose figures the logs must reproduce (the main run: `SimulateOptions.record`).
 * @throws RangeError when the record does not belong to these requests.
 */
export function simulatedLogTables(p: Prepared, record: OutcomeRecord): SimulatedLogTables {
  const { workload: w, requests: req } = p;
  if (record.result.length !== req.length) throw new RangeError(`outcome record of ${record.result.length} requests for a log of ${req.length}`);
  const k = w.keys;
  const keyRows = ['key,path,query,method,bytes,weight'];
  for (let j = 0; j < k.count; j++) {
    const full = w.keyPath[j]!;
    const q = full.indexOf('?');
    const path = q < 0 ? full : full.slice(0, q);
    const query = q < 0 ? '' : full.slice(q + 1);
    // never-cacheable keys stand for the routes' writes (POST), as their behaviors allow
    keyRows.push(`${j},${csvField(path)},${csvField(query)},${k.cacheableMethod[j] === 1 ? 'GET' : 'POST'},${k.size[j]},${k.weight[j]}`);
  }
  const viewersCsv = ['viewer,country,mbps', ...w.topology.viewers.map((v, i) => `${i},${csvField(v.country)},${v.throughputMbps}`)].join('\n');
  const edgesCsv = ['edge,code', ...w.topology.edges.map((e, i) => `${i},${csvField(e.code)}`)].join('\n');
  let lines = 0;
  for (let i = 0; i < req.length; i++) if (record.result[i] !== OUTCOME_NONE) lines++;
  return {
    distributionId: simulatedDistributionId(w.model.stack),
    dayEpochSec: DEFAULT_SIMULATED_DAY_EPOCH_SEC,
    keysCsv: keyRows.join('\n'),
    viewersCsv,
    edgesCsv,
    lines,
    *requestsCsv() {
      let rows: string[] = ['i,second,key,viewer,edge,result,ttfb_ms'];
      for (let i = 0; i < req.length; i++) {
        const r = record.result[i]!;
        if (r === OUTCOME_NONE) continue;
        // whole seconds, as CloudFront's time field; TTFB to the microsecond (the log field keeps ms)
        rows.push(`${i},${Math.floor(req.time[i]!)},${req.key[i]},${req.viewer[i]},${req.edge[i]},${r},${record.ttfbMs[i]!.toFixed(3)}`);
        if (rows.length >= CHUNK_ROWS) { yield rows.join('\n') + '\n'; rows = []; }
      }
      if (rows.length > 0) yield rows.join('\n') + '\n';
    },
  };
}

/** The CSV files `simulatedLogSelectSql` reads. */
export interface SimulatedLogFiles {
  readonly keys: string;
  readonly viewers: string;
  readonly edges: string;
  readonly requests: string;
}

/** A SQL string literal. */
function lit(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * DuckDB `SELECT` of the log lines from the four CSV files: the log table's columns (strings, as
 * CloudFront's Parquet delivery writes them, `sample_weight` last) and the Hive partition columns
 * (DistributionId, year, month, day, hour) the Parquet writer splits the files by.
 */
export function simulatedLogSelectSql(files: SimulatedLogFiles, t: Pick<SimulatedLogTables, 'distributionId' | 'dayEpochSec'>): string {
  const csv = (file: string, columns: string) => `read_csv(${lit(file)}, header = true, quote = '"', escape = '"', columns = {${columns}})`;
  const resultTypes = `[${RESULT_TYPE_OF_OUTCOME.slice(1).map(lit).join(', ')}]`;
  const ts = `make_timestamp((${Math.floor(t.dayEpochSec)} + r.second) * 1000000)`;
  const columns: Record<string, string> = {
    date: `strftime(${ts}, '%Y-%m-%d')`,
    time: `strftime(${ts}, '%H:%M:%S')`,
    x_edge_location: 'e.code',
    sc_bytes: `CAST(CASE WHEN r.result = ${OUTCOME_ERROR} THEN 0 ELSE k.bytes END AS VARCHAR)`,
    cs_method: 'k.method',
    cs_uri_stem: 'k.path',
    sc_status: `CASE WHEN r.result = ${OUTCOME_ERROR} THEN '${ERROR_STATUS}' ELSE '200' END`,
    x_edge_result_type: `${resultTypes}[r.result]`,
    x_edge_request_id: `'sim-' || CAST(r.i AS VARCHAR)`,
    cs_protocol: `'https'`,
    // time taken: the first byte, then the body at the viewer's throughput (as simulator/engine's total time)
    time_taken: `printf('%.3f', (r.ttfb_ms + CASE WHEN r.result = ${OUTCOME_ERROR} THEN 0 ELSE k.bytes * 8 / (v.mbps * 1000) END) / 1000)`,
    x_edge_response_result_type: `${resultTypes}[r.result]`,
    time_to_first_byte: `printf('%.3f', r.ttfb_ms / 1000)`,
    x_edge_detailed_result_type: `CASE WHEN r.result = ${OUTCOME_ERROR} THEN 'OriginConnectError' ELSE ${resultTypes}[r.result] END`,
    sc_content_type: 'CAST(NULL AS VARCHAR)',
    c_country: 'v.country',
    [SAMPLE_WEIGHT_COLUMN]: 'CAST(k.weight AS VARCHAR)',
  };
  const missing = LOG_TABLE_COLUMNS.filter((c) => !(c in columns));
  if (missing.length > 0) throw new Error(`simulated logs have no value for log column(s) ${missing.join(', ')}`);
  const select = LOG_TABLE_COLUMNS.map((c) => `    ${columns[c]} AS "${c}"`);
  return [
    'SELECT',
    [...select,
      `    ${lit(t.distributionId)} AS DistributionId`,
      `    strftime(${ts}, '%Y') AS year`,
      `    strftime(${ts}, '%m') AS month`,
      `    strftime(${ts}, '%d') AS day`,
      `    strftime(${ts}, '%H') AS hour`].join(',\n'),
    `FROM ${csv(files.requests, `'i': 'BIGINT', 'second': 'BIGINT', 'key': 'INTEGER', 'viewer': 'INTEGER', 'edge': 'INTEGER', 'result': 'INTEGER', 'ttfb_ms': 'DOUBLE'`)} r`,
    `JOIN ${csv(files.keys, `'key': 'INTEGER', 'path': 'VARCHAR', 'query': 'VARCHAR', 'method': 'VARCHAR', 'bytes': 'BIGINT', 'weight': 'DOUBLE'`)} k ON k.key = r.key`,
    `JOIN ${csv(files.viewers, `'viewer': 'INTEGER', 'country': 'VARCHAR', 'mbps': 'DOUBLE'`)} v ON v.viewer = r.viewer`,
    `JOIN ${csv(files.edges, `'edge': 'INTEGER', 'code': 'VARCHAR'`)} e ON e.edge = r.edge`,
    // in request order, i.e. time order within every hourly file (the joins do not keep it)
    'ORDER BY r.i',
  ].join('\n');
}
