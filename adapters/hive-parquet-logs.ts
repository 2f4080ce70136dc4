/**
 * Log rows written as CloudFront's v2 Parquet delivery lays them out on S3 with Hive-compatible paths
 * (`DistributionId=…/year=…/month=…/day=…/hour=…/*.parquet`): DuckDB runs a `SELECT` of the log
 * columns plus the partition columns and `COPY`s it, partitioned, into a folder. Used by the
 * simulator's `--write-logs` (adapters/simulated-logs.ts) and the local edge's Parquet access logs
 * (local/edge/parquet-access-log.ts); both write to a staging folder and move the files into place.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOG_PARTITIONS } from '../lib/analytics/log-table';
import { sqlString } from '../lib/analytics/sql-expressions';

/** The partition columns' names in the Hive paths (`DistributionId`, `year`, `month`, `day`, `hour`). */
export const HIVE_PARTITION_KEYS: readonly string[] = Object.freeze(LOG_PARTITIONS.map((p) => p.pathKey));

/**
 * The partition columns of a log `SELECT` from its `date` (YYYY-MM-DD) and `time` (HH:MM:SS) text
 * expressions: zero-padded strings, as the delivery's paths (and the Glue table's projection) spell them.
 */
export function hivePartitionColumnsSql(distributionIdSql: string, dateSql: string, timeSql: string): string[] {
  return [
    `${distributionIdSql} AS DistributionId`,
    `substr(${dateSql}, 1, 4) AS year`,
    `substr(${dateSql}, 6, 2) AS month`,
    `substr(${dateSql}, 9, 2) AS day`,
    `substr(${timeSql}, 1, 2) AS hour`,
  ];
}

/** The `COPY` of `select` (log columns, then {@link HIVE_PARTITION_KEYS}) into `folder` as partitioned Parquet files. */
export function hiveParquetCopySql(select: string, folder: string, filenamePattern: string): string {
  return `COPY (${select}) TO ${sqlString(folder)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${HIVE_PARTITION_KEYS.join(', ')}), FILENAME_PATTERN ${sqlString(filenamePattern)})`;
}

/**
 * Writes the rows of a `SELECT` as Hive-partitioned Parquet under `folder` (created by DuckDB). `query`
 * gets a connection to an in-memory DuckDB (to define views it reads) and returns the `SELECT`.
 * One thread: a parallel partitioned write does not keep the rows' order within a file.
 */
export async function writeHiveParquet(folder: string, filenamePattern: string, query: (conn: DuckDBConnection) => Promise<string> | string): Promise<void> {
  const conn = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  try {
    await conn.run(hiveParquetCopySql(await query(conn), folder, filenamePattern));
  } finally {
    conn.closeSync();
  }
}

/** The Parquet files under `dir`, as paths relative to it (sorted). */
export function parquetFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : join(rel, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) out.push(p);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Moves the Parquet files written under `staging` into the same partition folders under `dest` (which
 * may hold other hours already), each by one rename (atomic: a reader never sees half a file), naming
 * them `<name>.parquet` (`<name>.<n>.parquet` when a partition got several). An existing file of that
 * name is replaced, so moving the same rows again leaves one copy.
 * @returns the destination paths.
 */
export function moveHiveParquet(staging: string, dest: string, name: string): string[] {
  const byFolder = new Map<string, string[]>();
  for (const f of parquetFilesUnder(staging)) byFolder.set(dirname(f), [...(byFolder.get(dirname(f)) ?? []), f]);
  const moved: string[] = [];
  for (const [folder, files] of byFolder) {
    mkdirSync(join(dest, folder), { recursive: true });
    files.forEach((f, i) => {
      const to = join(dest, folder, files.length === 1 ? `${name}.parquet` : `${name}.${i}.parquet`);
      renameSync(join(staging, f), to);
      moved.push(to);
    });
  }
  return moved;
}
