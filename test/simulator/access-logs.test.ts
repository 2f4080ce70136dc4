/**
 * `npm run sim -- --write-logs <folder>`: the simulated day as CloudFront v2 Parquet logs in the S3
 * delivery's Hive layout, one line per measured request with its sample weight; and those logs read
 * back as a trace (`--trace <folder> --format cloudfront-log`).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TRACE_LOG_FIELDS } from '../../adapters/columnar-log-trace';
import { ANALYSIS_NAMES } from '../../lib/analytics/analyses';
import { LOG_TABLE_COLUMNS, logFieldColumn } from '../../lib/analytics/log-table';
import { csvField, simulatedDistributionId } from '../../simulator/access-logs';
import { readTraceStreamed } from '../../simulator/trace';
import { runScript } from '../helpers/run-cli';

function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).map((f) => join(dir, f)).sort();
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    conn.closeSync();
  }
}

describe('simulator --write-logs: the simulated day as Parquet logs', function () {
  this.timeout(300_000);
  let dir: string;
  let logs: string;
  let stdout: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-sim-logs-test-'));
    logs = join(dir, 'logs');
    const r = runScript('scripts/sim.ts', ['--stack', 'prod', '--scale', '0.002', '--hours', '2', '--warmup-hours', '1', '--quiet', '--json', join(dir, 'sim.json'), '--write-logs', logs], { timeoutMs: 240_000 });
    expect(r.status, r.stderr).to.be.oneOf([0, 1]);
    stdout = r.stdout;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lays the files out as CloudFront's Hive-partitioned S3 delivery, one folder per hour", () => {
    const files = parquetFiles(logs).map((f) => relative(logs, f));
    expect(files).to.deep.equal([
      `DistributionId=${simulatedDistributionId('prod')}/year=2025/month=11/day=24/hour=00/simulated-0.parquet`,
      `DistributionId=${simulatedDistributionId('prod')}/year=2025/month=11/day=24/hour=01/simulated-0.parquet`,
    ]);
    expect(simulatedDistributionId('prod')).to.equal('EPRODSIM');
    expect(simulatedDistributionId('my-very-long-stack-name')).to.match(/^E[A-Z0-9]{1,13}$/);
  });

  it('writes one line per measured request, in time order, with the log columns and the sample weight', async () => {
    const lines = Number(/logs: ([\d,]+) lines/.exec(stdout)![1]!.replace(/,/g, ''));
    expect(lines).to.be.greaterThan(50_000);
    const glob = `'${logs}/**/*.parquet'`;
    const [count] = await query(`SELECT count(*) AS n, count(DISTINCT x_edge_request_id) AS ids, min(time) AS first, max(time) AS last FROM read_parquet(${glob}, hive_partitioning = true)`);
    expect(Number(count!.n)).to.equal(lines);
    expect(Number(count!.ids)).to.equal(lines);
    expect([count!.first, count!.last]).to.deep.equal(['00:00:00', '01:59:59']);
    const described = await query(`DESCRIBE SELECT * FROM read_parquet(${glob}, hive_partitioning = false)`);
    expect(described.map((c) => c.column_name)).to.deep.equal([...LOG_TABLE_COLUMNS]);
    expect(described.every((c) => c.column_type === 'VARCHAR')).to.equal(true); // strings, as the delivery writes them
    const [order] = await query(`SELECT count(*) FILTER (WHERE time < prev) AS backwards FROM (SELECT time, lag(time) OVER (PARTITION BY filename ORDER BY file_row_number) AS prev FROM read_parquet(${glob}, filename = true, file_row_number = true))`);
    expect(Number(order!.backwards)).to.equal(0);
    const results = await query(`SELECT x_edge_result_type AS r, cs_method AS m, count(*) AS n, min(CAST(sample_weight AS DOUBLE)) AS w, min(CAST(time_to_first_byte AS DOUBLE)) AS ttfb FROM read_parquet(${glob}) GROUP BY ALL ORDER BY ALL`);
    expect(results.map((r) => `${r.r} ${r.m}`)).to.include.members(['Hit GET', 'Miss GET', 'Miss POST', 'RefreshHit GET']);
    for (const r of results) {
      expect(r.w, `${r.r} ${r.m} weight`).to.be.at.least(1);
      expect(r.ttfb).to.be.greaterThan(0);
    }
  });

  it('refuses a folder that already holds files (exit 2, the folder untouched, before simulating)', () => {
    const taken = join(dir, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'keep.txt'), 'mine');
    const r = runScript('scripts/sim.ts', ['--stack', 'prod', '--scale', '0.001', '--hours', '1', '--warmup-hours', '0', '--quiet', '--write-logs', taken]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/--write-logs '.*taken' already holds files; give a new or empty folder/);
    expect(readdirSync(taken)).to.deep.equal(['keep.txt']);
    const orphan = runScript('scripts/sim.ts', ['--stack', 'prod', '--quiet', '--write-logs', join(dir, 'no', 'such', 'parent')]);
    expect(orphan.status).to.equal(2);
    expect(orphan.stderr).to.match(/its parent folder .* does not exist/);
    const withTrace = runScript('scripts/sim.ts', ['--quiet', '--trace', logs, '--format', 'cloudfront-log', '--write-logs', join(dir, 'x')]);
    expect(withTrace.status).to.equal(2);
    expect(withTrace.stderr).to.match(/--write-logs writes the seed workload's simulated day/);
    expect(existsSync(join(dir, 'x'))).to.equal(false);
  });

  it('reads the Parquet logs back as a trace: the same requests as the same lines in a v1 log file', async () => {
    const v1 = join(dir, 'v1');
    mkdirSync(v1);
    const cells = TRACE_LOG_FIELDS.map((f) => `coalesce("${logFieldColumn(f)}", '-')`);
    const rows = await query(`SELECT concat_ws(chr(9), ${cells.join(', ')}) AS line FROM read_parquet('${logs}/**/*.parquet', filename = true, file_row_number = true) ORDER BY filename, file_row_number`);
    writeFileSync(join(v1, 'EPRODSIM.2025-11-24-00.log'), `#Version: 1.0\n#Fields: ${TRACE_LOG_FIELDS.join(' ')}\n${rows.map((r) => r.line).join('\n')}\n`);
    const fromParquet = await readTraceStreamed(logs, 'cloudfront-log');
    const fromV1 = await readTraceStreamed(v1, 'cloudfront-log');
    expect(fromParquet.length).to.be.greaterThan(50_000);
    expect(fromParquet.length).to.equal(fromV1.length);
    expect(fromParquet.malformed).to.equal(0);
    expect(Array.from(fromParquet.id)).to.deep.equal(Array.from(fromV1.id));
    expect(Array.from(fromParquet.size)).to.deep.equal(Array.from(fromV1.size));
    expect(Array.from(fromParquet.time)).to.deep.equal(Array.from(fromV1.time));
  });

  it("closes the loop: npm run analyze on these logs gives the simulator's per-type hit ratios, and p95 within 1 ms", () => {
    const out = join(dir, 'analyze.json');
    const r = runScript('scripts/analyze.ts', ['--logs', logs, '--all', '--json', out], { timeoutMs: 240_000 });
    expect(r.status, r.stderr).to.equal(0);
    const analyzed = JSON.parse(readFileSync(out, 'utf8')) as { analyses: Record<string, { rows: Record<string, unknown>[] }> };
    expect(Object.keys(analyzed.analyses)).to.have.members([...ANALYSIS_NAMES]);
    const sim = JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8')) as { types: Record<string, { hitRatio: number; byteHitRatio: number; p50LatencyMs: number; p95LatencyMs: number; p99LatencyMs: number }> };
    const hitRows = analyzed.analyses['hit-ratio-by-type']!.rows;
    expect(hitRows.map((x) => x.content_type)).to.have.members(Object.keys(sim.types));
    const ttfb = analyzed.analyses['ttfb-by-type-region']!.rows.filter((x) => x.viewer_area === '*');
    for (const [type, t] of Object.entries(sim.types)) {
      const hit = hitRows.find((x) => x.content_type === type)!;
      // the simulator's JSON gives ratios to 4 decimals
      expect(Number((hit.hit_ratio as number).toFixed(4)), `${type} hit ratio`).to.equal(t.hitRatio);
      expect(Number((hit.byte_hit_ratio as number).toFixed(4)), `${type} byte hit ratio`).to.equal(t.byteHitRatio);
      const lat = ttfb.find((x) => x.content_type === type)!;
      expect(Math.abs((lat.p95_ms as number) - t.p95LatencyMs), `${type} p95 ${String(lat.p95_ms)} vs ${t.p95LatencyMs}`).to.be.at.most(1);
      expect(Math.abs((lat.p50_ms as number) - t.p50LatencyMs), `${type} p50`).to.be.at.most(1);
    }
  });

  it('quotes CSV fields that need it', () => {
    expect(csvField('/video/a.ts')).to.equal('/video/a.ts');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
  });
});
