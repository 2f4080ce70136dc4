/**
 * Writes the simulator's day as CloudFront v2 logs in Parquet, laid out as CloudFront's S3 delivery
 * with Hive-compatible paths (`DistributionId=…/year=…/month=…/day=…/hour=…/*.parquet`), so that
 * `npm run analyze -- --logs <folder>` and `npm run sim -- --trace <folder> --format cloudfront-log`
 * read them like production's. The rows come from simulator/access-logs.ts as CSV tables in a temp
 * folder; DuckDB joins them and writes the Parquet files.
 *
 * Nothing half-written is left at the destination: the files go to a sibling temp folder that is
 * renamed into place once DuckDB has finished; the destination must be new or empty.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../lib/errors';
import { parquetFilesUnder, writeHiveParquet } from './hive-parquet-logs';
import { simulatedLogSelectSql, type SimulatedLogFiles, type SimulatedLogTables } from '../simulator/access-logs';

/**
 * Checks that `folder` can take the logs: it does not exist yet (its parent does), or it is an empty folder.
 * @throws InputError naming the fix.
 */
export function checkLogFolder(folder: string, flag = '--write-logs'): void {
  const dest = resolve(folder);
  if (existsSync(dest)) {
    if (!statSync(dest).isDirectory()) throw new InputError(`${flag} '${folder}' is a file; give a new or empty folder for the Parquet logs.`);
    if (readdirSync(dest).length > 0) throw new InputError(`${flag} '${folder}' already holds files; give a new or empty folder (the logs of one run go in one folder).`);
  } else if (!existsSync(dirname(dest))) {
    throw new InputError(`${flag} '${folder}': its parent folder ${dirname(dest)} does not exist; create it or give another path.`);
  }
}

/** What was written. */
export interface WrittenLogs {
  readonly folder: string;
  readonly lines: number;
  readonly files: number;
}

/** Writes `tables` as Hive-partitioned Parquet logs into `folder` (new or empty). */
export async function writeSimulatedLogs(folder: string, tables: SimulatedLogTables): Promise<WrittenLogs> {
  checkLogFolder(folder);
  const dest = resolve(folder);
  const work = mkdtempSync(join(tmpdir(), 'media-cdn-sim-logs-'));
  const staging = join(dirname(dest), `.${basename(dest)}.partial-${process.pid}`);
  try {
    const files: SimulatedLogFiles = { keys: join(work, 'keys.csv'), viewers: join(work, 'viewers.csv'), edges: join(work, 'edges.csv'), requests: join(work, 'requests.csv') };
    writeFileSync(files.keys, tables.keysCsv);
    writeFileSync(files.viewers, tables.viewersCsv);
    writeFileSync(files.edges, tables.edgesCsv);
    const fd = openSync(files.requests, 'w');
    try {
      for (const chunk of tables.requestsCsv()) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    rmSync(staging, { recursive: true, force: true });
    await writeHiveParquet(staging, 'simulated-{i}', () => simulatedLogSelectSql(files, tables));
    if (!existsSync(staging)) mkdirSync(staging);
    const count = parquetFilesUnder(staging).length;
    if (existsSync(dest)) rmdirSync(dest); // empty, checked above
    renameSync(staging, dest);
    return { folder: dest, lines: tables.lines, files: count };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}
