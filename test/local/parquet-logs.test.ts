/**
 * The local edge's access logs as CloudFront's standard logging v2 Parquet delivery (`--log-format
 * parquet|both`): the spool lines (pure), then a real edge on 127.0.0.1 with a fake clock whose
 * requests end up as Hive-partitioned Parquet files that `npm run analyze` reads, agreeing line for line
 * with the v1 logs of the same requests; a spool left by a crash is converted on the next start.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openLogDatabase } from '../../adapters/duckdb-logs';
import { hivePartitionColumnsSql, parquetFilesUnder } from '../../adapters/hive-parquet-logs';
import { LOG_FIELD_COLUMNS } from '../../lib/analytics/log-table';
import type { AccessLogRecord } from '../../local/edge/access-log';
import { convertSpool, dropPartialLine, leftoverSpools, ParquetAccessLogWriter, SPOOL_FOLDER } from '../../local/edge/parquet-access-log';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';
import { formatV2Line, parseSpoolFileName, spoolFileName, V2_LOG_FIELDS } from '../../local/edge/v2-log-line';
import { REPO, runScript } from '../helpers/run-cli';
import { send, stagingPlanWithTestKey } from './helpers';

const CLI_ENV = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** 2026-12-04 13:59:50 UTC: the requests straddle the 14:00 hour. */
const T0 = Date.UTC(2026, 11, 4, 13, 59, 50);

const RECORD: AccessLogRecord = {
  startMs: Date.UTC(2026, 2, 1, 12, 5, 7, 250), edgeLocation: 'IAD89-C1', scBytes: 1234, clientIp: '127.0.0.1', clientPort: 50123,
  method: 'GET', distributionDomain: 'd1.cloudfront.net', hostHeader: 'd1.cloudfront.net', uriStem: '/static/a b.js', uriQuery: '',
  status: 200, resultType: 'Hit', responseResultType: 'Hit', detailedResultType: 'Hit', requestId: 'req-1', protocol: 'https',
  protocolVersion: 'HTTP/1.1', csBytes: 80, timeTakenMs: 12.4, timeToFirstByteMs: 3, contentType: 'text/javascript; charset=utf-8',
  contentLength: 1000, country: 'DE',
};

/** Rows of a log folder as DuckDB reads it for the analyses, by request id. */
async function rows(folder: string, columns: readonly string[]): Promise<Record<string, unknown>[]> {
  const db = await openLogDatabase(folder);
  try {
    const r = await db.connection.runAndReadAll(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM cloudfront_logs ORDER BY x_edge_request_id`);
    return r.getRowObjectsJson();
  } finally {
    db.close();
  }
}

describe('local edge access logs as v2 Parquet (pure parts)', () => {
  it('formats a spool line with the v2 fields, as the v1 writer formats them', () => {
    expect(V2_LOG_FIELDS.slice(0, 3)).to.deep.equal(['date', 'time', 'x-edge-location']);
    expect(formatV2Line(RECORD).split('\t')).to.deep.equal([
      '2026-03-01', '12:05:07', 'IAD89-C1', '1234', 'GET', '/static/a%20b.js', '200', 'Hit', 'req-1', 'https', '0.012', 'Hit', '0.003', 'Hit',
      'text/javascript;%20charset=utf-8', 'DE',
    ]);
    expect(formatV2Line({ ...RECORD, country: undefined, contentType: undefined }).split('\t').slice(-2)).to.deep.equal(['-', '-']);
  });

  it('names spools like v1 files and reads the names back; other names are not spools', () => {
    const name = spoolFileName('E1ABC', RECORD.startMs, 'LOCALX_2');
    expect([name, parseSpoolFileName(name), parseSpoolFileName('E1ABC.2026-03-01-12.LOCALX'), parseSpoolFileName('e1.2026-03-01-12.X.spool')]).to.deep.equal([
      'E1ABC.2026-03-01-12.LOCALX_2.spool', { distributionId: 'E1ABC', hour: '2026-03-01-12', base: 'E1ABC.2026-03-01-12.LOCALX_2' }, undefined, undefined,
    ]);
  });

  it('partitions by zero-padded strings from the date and time', () => {
    expect(hivePartitionColumnsSql("'E1'", 'd', 't')).to.deep.equal([
      "'E1' AS DistributionId", 'substr(d, 1, 4) AS year', 'substr(d, 6, 2) AS month', 'substr(d, 9, 2) AS day', 'substr(t, 1, 2) AS hour',
    ]);
  });
});

describe('local edge access logs as v2 Parquet (edge on 127.0.0.1, fake clock)', function () {
  this.timeout(120_000);
  let root: string;
  let logDir: string;
  let stack: LocalStack | undefined;
  let now = T0;
  let distributionId: string;
  const sent: { path: string; xCache: string }[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'media-cdn-parquet-logs-'));
    logDir = join(root, 'logs');
    const plan = await stagingPlanWithTestKey();
    stack = await startLocalStack({
      plan,
      seed: { episodes: 1, segments: 2, segmentBytes: 4096 },
      edge: { clock: () => now, logDir, logFormat: 'both', logFlushIntervalMs: 0, originTimeoutMs: 3000 },
    });
    distributionId = stack.model.distributionId;
    const url = (pop: string) => stack!.edges.find((e) => e.pop === pop)!.url;
    const get = async (path: string, opts: { pop?: string; country?: string; advance?: number } = {}) => {
      now += (opts.advance ?? 0) * 1000;
      const a = await send(url(opts.pop ?? 'IAD89-C1'), path, { headers: opts.country ? { 'x-viewer-country': opts.country } : {} });
      sent.push({ path, xCache: String(a.headers['x-cache']) });
    };
    // 13:59:50 – 13:59:53
    await get('/static/app.js', { country: 'de' });
    await get('/static/app.js', { country: 'DE', advance: 1 });
    await get('/video/orbital-station/s01e01/720p/seg-00000.ts', { advance: 1 });
    await get('/video/orbital-station/s01e01/720p/seg-00000.ts', { pop: 'FRA56-C1', country: 'US', advance: 1 });
    // 14:00:03 – 14:00:05: the 13:00 hour is over
    await get('/static/app.js', { advance: 10 });
    await get('/api/trending', { advance: 1 });
    await get('/static/no-such-file.js', { advance: 1 });
  });

  after(async () => {
    await stack?.close();
    if (root && !process.env.KEEP_TEST_DIR) rmSync(root, { recursive: true, force: true });
  });

  it('writes the finished hour as Parquet while it runs, and the current hour on close, in the Hive layout', async () => {
    await stack!.edge.logsIdle();
    const whileRunning = parquetFilesUnder(logDir);
    await stack!.close();
    stack = undefined;
    const partition = (hour: string) => new RegExp(`^DistributionId=${distributionId}/year=2026/month=12/day=04/hour=${hour}/${distributionId}\\.2026-12-04-${hour}\\.LOCAL[A-Z0-9]+\\.parquet$`);
    const files = parquetFilesUnder(logDir);
    expect({
      whileRunning: whileRunning.map((f) => partition('13').test(f)),
      files: files.map((f, i) => partition(['13', '14'][i]!).test(f)),
      spools: readdirSync(join(logDir, SPOOL_FOLDER)),
      v1: readdirSync(logDir).filter((f) => f.startsWith(`${distributionId}.`)).length,
      sent: sent.map((s) => s.xCache),
    }).to.deep.equal({
      whileRunning: [true],
      files: [true, true],
      spools: [],
      v1: 2,
      sent: ['Miss from cloudfront', 'Hit from cloudfront', 'Miss from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront', 'Miss from cloudfront', 'Error from cloudfront'],
    });
  });

  it('holds in each file the delivered columns, all strings, in the delivery\'s order (no sample_weight, no partition columns)', async () => {
    const file = join(logDir, parquetFilesUnder(logDir)[0]!);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const r = await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file.replace(/'/g, "''")}', hive_partitioning = false))`);
      expect(r.getRows().map(([name, type]) => `${String(name)} ${String(type)}`)).to.deep.equal(LOG_FIELD_COLUMNS.map((c) => `${c} VARCHAR`));
    } finally {
      conn.closeSync();
    }
  });

  it('npm run analyze over the folder counts the requests and hits made', () => {
    const json = join(root, 'a.json');
    const r = runScript('scripts/analyze.ts', ['--logs', logDir, '--all', '--json', json]);
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { analyses: Record<string, { rows: Record<string, unknown>[] }> };
    const pick = (name: string, keys: string[]) => out.analyses[name]!.rows.map((row) => keys.map((k) => row[k]).join(' '));
    expect({
      byType: pick('hit-ratio-by-type', ['content_type', 'requests', 'cacheable_requests', 'hits']),
      byCountry: pick('hit-ratio-by-region', ['country', 'requests']).filter((x) => !x.startsWith('*')),
      byEdge: pick('bytes-by-edge-location', ['edge_location', 'requests']),
      errors: pick('errors-by-status', ['status', 'content_type', 'requests']),
      byHour: pick('origin-offload', ['hour_start', 'requests']),
    }).to.deep.equal({
      // app.js: miss, hit, hit, and a 404 (an error, not cacheable); the segment: miss, then a regional hit
      byType: ['api 1 1 0', 'static 4 3 2', 'video 2 2 1'],
      byCountry: ['DE 2', 'US 1', '- 4'], // no country header: unknown
      byEdge: ['IAD89-C1 6', 'FRA56-C1 1'],
      errors: ['404 static 1'],
      byHour: ['2026-12-04T13:00:00Z 4', '2026-12-04T14:00:00Z 3'],
    });
  });

  it('logs the same lines in v1 and Parquet (the v2 fields, the country only in v2)', async () => {
    const v1 = join(root, 'v1');
    mkdirSync(v1);
    for (const f of readdirSync(logDir).filter((x) => x.startsWith(`${distributionId}.`))) copyFileSync(join(logDir, f), join(v1, `${f}.log`));
    const shared = LOG_FIELD_COLUMNS.filter((c) => c !== 'c_country');
    const [fromV1, fromParquet, countries] = [await rows(v1, shared), await rows(logDir, shared), await rows(logDir, ['x_edge_location', 'c_country'])];
    expect(fromParquet).to.have.length(sent.length);
    expect(fromParquet).to.deep.equal(fromV1);
    expect(countries.map((c) => c.c_country)).to.have.members(['DE', 'DE', 'US', null, null, null, null]);
  });
});

describe('local edge access logs as v2 Parquet (crash recovery, command line)', function () {
  this.timeout(120_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'media-cdn-parquet-spool-'));
  });
  after(() => {
    if (root && !process.env.KEEP_TEST_DIR) rmSync(root, { recursive: true, force: true });
  });

  const requestIds = async (dir: string) => (await rows(dir, ['x_edge_request_id', 'time_to_first_byte'])).map((r) => `${String(r.x_edge_request_id)} ${String(r.time_to_first_byte)}`);

  it('converts the spool a crashed run left (its complete lines) when the next run starts', async () => {
    const dir = join(root, 'crash');
    const crashed = new ParquetAccessLogWriter(dir, 'E1CRASH', { flushIntervalMs: 0, writerId: 'RUN1' });
    for (let i = 0; i < 3; i++) crashed.write({ ...RECORD, requestId: `r${i}`, timeToFirstByteMs: 100 + i });
    crashed.flush(); // the process dies here: the lines are in the spool, no Parquet file yet
    const [spool] = leftoverSpools(dir);
    appendFileSync(spool!, '2026-03-01\t12:05:09\tIAD89-C1\t12'); // and a torn last append
    const before = parquetFilesUnder(dir);
    const next = new ParquetAccessLogWriter(dir, 'E1CRASH', { flushIntervalMs: 0, writerId: 'RUN2' });
    await next.close();
    expect({
      before, leftovers: next.leftovers, written: next.filesWritten,
      after: parquetFilesUnder(dir), spools: leftoverSpools(dir), lines: await requestIds(dir),
    }).to.deep.equal({
      before: [], leftovers: 1, written: 1,
      after: ['DistributionId=E1CRASH/year=2026/month=03/day=01/hour=12/E1CRASH.2026-03-01-12.RUN1.parquet'],
      spools: [], lines: ['r0 0.100', 'r1 0.101', 'r2 0.102'],
    });
  });

  it('cuts a spool after its last complete line, however long the torn one', () => {
    const dir = join(root, 'torn');
    mkdirSync(dir);
    const cases = [['a\nb\n', 'a\nb\n'], ['a\nb', 'a\n'], ['partial', ''], [`a\n${'x'.repeat(200_000)}`, 'a\n'], ['', '']];
    const kept = cases.map(([text], i) => {
      const f = join(dir, `s${i}`);
      writeFileSync(f, text!);
      return [dropPartialLine(f), readFileSync(f, 'utf8')];
    });
    expect(kept).to.deep.equal(cases.map(([, want]) => [want!.length, want]));
  });

  it('converting a spool again (a crash after the rename, before the spool was deleted) replaces its file, adds no copy', async () => {
    const dir = join(root, 'twice');
    const w = new ParquetAccessLogWriter(dir, 'E1TWICE', { flushIntervalMs: 0, writerId: 'RUN1' });
    w.write({ ...RECORD, requestId: 'only' });
    w.flush();
    const [spool] = leftoverSpools(dir);
    const text = readFileSync(spool!, 'utf8');
    await convertSpool(dir, spool!);
    writeFileSync(spool!, text);
    await convertSpool(dir, spool!);
    expect([parquetFilesUnder(dir).length, existsSync(spool!), await requestIds(dir)]).to.deep.equal([1, false, ['only 0.003']]);
  });

  it('a late line for an hour already converted goes to a second file of that hour', async () => {
    const dir = join(root, 'late');
    const w = new ParquetAccessLogWriter(dir, 'E1LATE', { flushIntervalMs: 0, writerId: 'RUN1' });
    w.write({ ...RECORD, requestId: 'a' });
    w.write({ ...RECORD, requestId: 'b', startMs: RECORD.startMs + 3_600_000 });
    w.write({ ...RECORD, requestId: 'c' }); // started in the earlier hour, finished late
    await w.close();
    expect([parquetFilesUnder(dir).map((f) => relative('DistributionId=E1LATE/year=2026/month=03/day=01', f)), await requestIds(dir)]).to.deep.equal([
      ['hour=12/E1LATE.2026-03-01-12.RUN1.parquet', 'hour=12/E1LATE.2026-03-01-12.RUN1_1.parquet', 'hour=13/E1LATE.2026-03-01-13.RUN1.parquet'],
      ['a 0.003', 'b 0.003', 'c 0.003'],
    ]);
  });

  it('writes an hour the clock has left even when no later request comes', async () => {
    const dir = join(root, 'idle');
    let now = RECORD.startMs;
    const w = new ParquetAccessLogWriter(dir, 'E1IDLE', { flushIntervalMs: 0, writerId: 'RUN1', clock: () => now });
    w.write(RECORD);
    w.sealFinishedHours(); // still 12:05: nothing to write
    await w.idle();
    const during = parquetFilesUnder(dir);
    now += 3_600_000;
    w.sealFinishedHours();
    await w.idle();
    const after = parquetFilesUnder(dir);
    await w.close();
    expect([during, after]).to.deep.equal([[], ['DistributionId=E1IDLE/year=2026/month=03/day=01/hour=12/E1IDLE.2026-03-01-12.RUN1.parquet']]);
  });

  it('npm run local -- --log-format parquet: Ctrl-C writes the current hour as Parquet before it exits 0', async () => {
    const data = join(root, 'cli');
    const planFile = join(root, 'plan.json');
    const endpoints = join(root, 'endpoints.json');
    writeFileSync(planFile, JSON.stringify(await stagingPlanWithTestKey()));
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO, 'scripts/local.ts'), '--plan', planFile, '--port', '0', '--s3-port', '0', '--api-port', '0', '--cloudfront-port', '0',
      '--data-dir', data, '--log-format', 'parquet', '--json', endpoints], { cwd: REPO, env: { ...process.env, ...CLI_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 240 && !existsSync(endpoints); i++) await new Promise((r) => setTimeout(r, 250));
      const ep = JSON.parse(readFileSync(endpoints, 'utf8')) as { edges: { url: string }[]; logDir: string };
      const answers = [];
      for (const path of ['/api/trending', '/api/trending', '/static/none.js']) answers.push((await send(ep.edges[0]!.url, path)).status);
      child.kill('SIGINT');
      const code = await exited;
      expect({
        answers, code, stopped: /stopped; access logs \(v2 Parquet\) are in /.test(stderr),
        // one file, or two when the run straddles an hour
        files: [...new Set(parquetFilesUnder(ep.logDir).map((f) => /^DistributionId=E[A-Z0-9]+\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/E[A-Z0-9]+\.[-0-9]{13}\.LOCAL[A-Z0-9]+\.parquet$/.test(f)))],
        lines: (await rows(ep.logDir, ['cs_uri_stem', 'x_edge_result_type'])).map((r) => `${String(r.cs_uri_stem)} ${String(r.x_edge_result_type)}`).sort(),
      }).to.deep.equal({
        answers: [200, 200, 404], code: 0, stopped: true, files: [true],
        lines: ['/api/trending Hit', '/api/trending Miss', '/static/none.js Error'],
      });
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  });

  it('npm run local refuses an unknown --log-format (exit 2) and names the choices', () => {
    const r = runScript('scripts/local.ts', ['--log-format', 'csv', '--dry-run'], { env: CLI_ENV });
    expect([r.status, r.stderr.trim()]).to.deep.equal([2, "error: --log-format must be 'v1', 'parquet' or 'both', got 'csv'."]);
  });
});
