/**
 * analytics.rowsPerSec: log rows per second DuckDB gets through running every analysis of
 * analytics/sql/ (the `npm run analyze` path) over a generated Parquet log set laid out as CloudFront
 * delivers it (one distribution, one day, Hive partitions per hour, string columns). rows ÷ the
 * seconds all analyses took together, with the rows of the shared `requests` CTE computed once
 * (runAnalysesOnDuckDb, as `npm run analyze --all` runs them), beside each analysis scanning the
 * logs on its own (`analytics.rowsPerSecEachScanning`) and the ratio of the two; beside them the
 * rate of merely reading every log column the `requests` CTE reads (`analytics.readFloorRowsPerSec`:
 * one aggregate of each column's lengths, no expressions), the ceiling any SQL over these files
 * reaches on this machine. Goal:
 * ≥ 20 M rows/s on 2 cores at 50 M rows (BENCH_ANALYTICS_ROWS=50000000; the default is 5 M, to keep
 * `npm run bench` short on a shared machine). Generation time is not counted.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnalyses } from '../../adapters/analytics-sql';
import { openLogDatabase, runAnalysesOnDuckDb, runAnalysisOnDuckDb } from '../../adapters/duckdb-logs';
import { analysisParameters, type RenderedAnalysis } from '../../lib/analytics/analyses';
import { LOG_TABLE_COLUMNS } from '../../lib/analytics/log-table';
import { resolveCatalog } from '../../lib/catalog';
import type { BenchCase } from '../types';

const DEFAULT_ROWS = 5_000_000;

/** Writes `rows` synthetic log lines (a day of one distribution) as Hive-partitioned Parquet under `dir`. */
export async function writeSyntheticParquetLogs(dir: string, rows: number): Promise<void> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    await conn.run(`COPY (
      WITH g AS (SELECT i, (i * 86400) // ${rows} AS s, hash(i) AS h FROM range(${rows}) t(i))
      SELECT
        '2026-03-01' AS "date",
        printf('%02d:%02d:%02d', s // 3600, (s % 3600) // 60, s % 60) AS "time",
        (['IAD89-C1', 'FRA56-P1', 'NRT57-P2', 'GRU3-C1', 'LHR61-C2'])[i % 5 + 1] AS x_edge_location,
        CAST(1000 + h % 200000 AS VARCHAR) AS sc_bytes,
        CASE WHEN h % 50 = 0 THEN 'HEAD' ELSE 'GET' END AS cs_method,
        CASE i % 10
          WHEN 6 THEN '/thumbnails/' || (h % 20000) || '.jpg'
          WHEN 7 THEN '/metadata/' || (h % 5000) || '.json'
          WHEN 8 THEN CASE WHEN h % 4 = 0 THEN '/api/me/profile' ELSE '/api/search' END
          WHEN 9 THEN '/static/app-' || (i % 50) || '.js'
          ELSE '/video/t' || (h % 5000) || '/seg-' || (i % 300) || '.ts'
        END AS cs_uri_stem,
        CASE WHEN h % 100 = 0 THEN '404' ELSE '200' END AS sc_status,
        CASE WHEN (h // 7) % 100 < 90 THEN 'Hit' WHEN (h // 7) % 100 < 92 THEN 'RefreshHit' ELSE 'Miss' END AS x_edge_result_type,
        'req-' || i AS x_edge_request_id,
        'https' AS cs_protocol,
        CAST(round(((h // 13) % 400) / 1000.0 + 0.002, 3) AS VARCHAR) AS time_taken,
        'Hit' AS x_edge_response_result_type,
        CAST(round(((h // 13) % 300) / 1000.0, 3) AS VARCHAR) AS time_to_first_byte,
        'Hit' AS x_edge_detailed_result_type,
        'application/octet-stream' AS sc_content_type,
        (['US', 'DE', 'JP', 'BR', 'GB', 'IN'])[i % 6 + 1] AS c_country,
        'E1BENCH' AS DistributionId, '2026' AS year, '03' AS month, '01' AS day, printf('%02d', s // 3600) AS hour
      FROM g
    ) TO '${dir}' (FORMAT parquet, PARTITION_BY (DistributionId, year, month, day, hour), OVERWRITE_OR_IGNORE)`);
  } finally {
    conn.closeSync();
  }
}

/** `SELECT` reading every log column the `requests` CTE reads (its `s.`, `t.` or `l.` references), with one cheap aggregate each. */
export function readFloorSql(requests: RenderedAnalysis['requests']): string {
  const read = LOG_TABLE_COLUMNS.filter((c) => new RegExp(`\\b[lst]\\.("?)${c}\\1(?!\\w)`).test(requests));
  return `SELECT count(*), ${read.map((c) => `sum(length("${c}"))`).join(', ')} FROM cloudfront_logs`;
}

export const benchCase: BenchCase = {
  name: 'analytics',
  description: 'every log analysis with DuckDB over generated Parquet logs',
  async run() {
    const rows = Number(process.env.BENCH_ANALYTICS_ROWS ?? DEFAULT_ROWS);
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-bench-analytics-'));
    try {
      await writeSyntheticParquetLogs(join(dir, 'logs'), rows);
      const db = await openLogDatabase(join(dir, 'logs'));
      try {
        const params = analysisParameters({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z'), distributionId: 'E1BENCH' });
        const analyses = loadAnalyses(resolveCatalog());
        const timed = async (run: () => Promise<unknown>) => {
          const started = process.hrtime.bigint();
          await run();
          return Number(process.hrtime.bigint() - started) / 1e9;
        };
        // Side by side in one run: one shared scan (what `npm run analyze --all` does), then each
        // analysis scanning the logs on its own.
        const shared = await timed(() => runAnalysesOnDuckDb(db, analyses, params));
        const floor = await timed(() => db.connection.run(readFloorSql(analyses[0]!.requests)));
        const separate = await timed(async () => {
          for (const a of analyses) await runAnalysisOnDuckDb(db, a, params);
        });
        return {
          'analytics.rowsPerSec': { value: Math.round(rows / shared), unit: 'rows/s' },
          'analytics.rowsPerSecEachScanning': { value: Math.round(rows / separate), unit: 'rows/s' },
          'analytics.readFloorRowsPerSec': { value: Math.round(rows / floor), unit: 'rows/s' },
          'analytics.sharedScanSpeedup': { value: Math.round((separate / shared) * 100) / 100, unit: 'x' },
          'analytics.rows': { value: rows, unit: 'rows' },
          'analytics.allAnalysesMs': { value: Math.round(shared * 1000), unit: 'ms' },
        };
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
