/**
 * A small, hand-countable set of CloudFront log lines and writers for the three formats the analyses
 * read: v1 standard logs (gzip, `#Fields` header), v2 JSON lines, and v2 Parquet with Hive-compatible
 * partitions (written by DuckDB's COPY, as CloudFront's delivery lays them out).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { logFieldColumn } from '../../lib/analytics/log-table';
import { STANDARD_LOG_FIELDS } from '../../lib/semantics/logs';

export const DIST = 'E1TESTDIST';
export const OTHER_DIST = 'E2OTHERDIST';

export interface Line {
  readonly dist?: string;
  readonly date?: string;
  readonly time: string;
  readonly path: string;
  readonly result: string;
  readonly status?: number;
  readonly bytes: number;
  readonly ttfbMs: number;
  readonly country: string;
  readonly edge: string;
  readonly method?: string;
}

function repeat(n: number, f: (i: number) => Line): Line[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/**
 * The lines, on 2026-03-01 between 12:00 and 13:59 (plus one at 15:00 and one of another distribution):
 * - video `/video/t1/seg-001.ts`: 8 GETs, 6 Hit + 1 RefreshHit (1,000 B each) + 1 Miss (4,000 B); TTFB 10…80 ms; US ×4 then DE ×4
 * - thumbnails `/thumbnails/a.jpg`: 4 GETs, 2 Hit + 2 Miss, 100 B, TTFB 5 ms, DE
 * - api `/api/search`: 1 Hit + 1 Miss, 50 B; `/api/me/profile` (never cached): 2 Miss, 60 B; US
 * - static `/app.js` 1 Hit 200 B; `/index.html` 1 Error 404 30 B; BR
 */
export function sampleLines(): Line[] {
  return [
    ...repeat(8, (i) => ({
      time: `12:0${i}:00`, path: '/video/t1/seg-001.ts', result: i < 6 ? 'Hit' : i === 6 ? 'RefreshHit' : 'Miss',
      bytes: i === 7 ? 4000 : 1000, ttfbMs: 10 * (i + 1), country: i < 4 ? 'US' : 'DE', edge: i < 4 ? 'IAD89-C1' : 'FRA56-P1',
    })),
    ...repeat(4, (i) => ({ time: `12:1${i}:00`, path: '/thumbnails/a.jpg', result: i < 2 ? 'Hit' : 'Miss', bytes: 100, ttfbMs: 5, country: 'DE', edge: 'FRA56-P1' })),
    { time: '13:00:00', path: '/api/search', result: 'Hit', bytes: 50, ttfbMs: 20, country: 'US', edge: 'IAD89-C1' },
    { time: '13:01:00', path: '/api/search', result: 'Miss', bytes: 50, ttfbMs: 120, country: 'US', edge: 'IAD89-C1' },
    ...repeat(2, (i) => ({ time: `13:0${2 + i}:00`, path: '/api/me/profile', result: 'Miss', bytes: 60, ttfbMs: 90, country: 'US', edge: 'IAD89-C1' })),
    { time: '13:10:00', path: '/app.js', result: 'Hit', bytes: 200, ttfbMs: 3, country: 'BR', edge: 'GRU3-C1' },
    { time: '13:11:00', path: '/index.html', result: 'Error', status: 404, bytes: 30, ttfbMs: 40, country: 'BR', edge: 'GRU3-C1' },
    // Outside [12:00, 14:00) and of another distribution: left out by the range and the distribution filter.
    { time: '15:00:00', path: '/video/t1/seg-001.ts', result: 'Miss', bytes: 9999, ttfbMs: 900, country: 'US', edge: 'IAD89-C1' },
    { dist: OTHER_DIST, time: '12:30:00', path: '/video/t1/seg-001.ts', result: 'Miss', bytes: 7777, ttfbMs: 700, country: 'US', edge: 'IAD89-C1' },
  ];
}

/** The v2 fields of a line (field name → text), `-` where CloudFront logs nothing. */
export function fieldsOf(l: Line): Record<string, string> {
  const base: Record<string, string> = Object.fromEntries(STANDARD_LOG_FIELDS.map((f) => [f, '-']));
  return {
    ...base,
    date: l.date ?? '2026-03-01', time: l.time, 'x-edge-location': l.edge, 'sc-bytes': String(l.bytes), 'c-ip': '192.0.2.10',
    'cs-method': l.method ?? 'GET', 'cs(Host)': 'd111111abcdef8.cloudfront.net', 'cs-uri-stem': l.path, 'sc-status': String(l.status ?? 200),
    'x-edge-result-type': l.result, 'x-edge-response-result-type': l.result, 'x-edge-detailed-result-type': l.result,
    'x-edge-request-id': `req-${l.time}-${l.path}`, 'cs-protocol': 'https', 'time-taken': ((l.ttfbMs + 1) / 1000).toFixed(3),
    'time-to-first-byte': (l.ttfbMs / 1000).toFixed(3), 'sc-content-type': 'application/octet-stream', 'c-country': l.country,
  };
}

function hourOf(l: Line): string {
  return l.time.slice(0, 2);
}

/** v1 standard log files, one per distribution and hour, named `<dist>.<yyyy-mm-dd-hh>.<id>.gz`. */
export function writeV1Logs(dir: string, lines: readonly Line[]): void {
  mkdirSync(dir, { recursive: true });
  const groups = new Map<string, Line[]>();
  for (const l of lines) {
    const key = `${l.dist ?? DIST}.${l.date ?? '2026-03-01'}-${hourOf(l)}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  for (const [key, group] of groups) {
    const text = [`#Version: 1.0`, `#Fields: ${STANDARD_LOG_FIELDS.join(' ')}`, ...group.map((l) => {
      const f = fieldsOf(l);
      return STANDARD_LOG_FIELDS.map((k) => f[k]).join('\t');
    })].join('\n');
    writeFileSync(join(dir, `${key}.abcd1234.gz`), gzipSync(`${text}\n`));
  }
}

/** v2 JSON lines (field names as keys), under Hive-compatible folders. */
export function writeJsonLogs(dir: string, lines: readonly Line[]): void {
  for (const l of lines) {
    const sub = join(dir, `DistributionId=${l.dist ?? DIST}`, 'year=2026', 'month=03', 'day=01', `hour=${hourOf(l)}`);
    mkdirSync(sub, { recursive: true });
    const f = fieldsOf(l);
    // v2 JSON carries only the delivery's record fields.
    const record = Object.fromEntries(['date', 'time', 'x-edge-location', 'sc-bytes', 'cs-method', 'cs-uri-stem', 'sc-status', 'x-edge-result-type',
      'x-edge-detailed-result-type', 'time-to-first-byte', 'c-country'].map((k) => [k, f[k]]));
    writeFileSync(join(sub, 'part.json'), `${JSON.stringify(record)}\n`, { flag: 'a' });
  }
}

/**
 * v2 Parquet as CloudFront delivers it: string columns named like `x_edge_location`, Hive-compatible
 * folders `DistributionId=…/year=…/month=…/day=…/hour=…/`.
 */
export async function writeParquetLogs(dir: string, lines: readonly Line[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const staging = join(dir, '..', `staging-${process.pid}.json`);
  writeFileSync(staging, lines.map((l) => JSON.stringify({ ...Object.fromEntries(Object.entries(fieldsOf(l)).map(([k, v]) => [logFieldColumn(k), v])), DistributionId: l.dist ?? DIST })).join('\n'));
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const cols = Object.keys(fieldsOf(lines[0]!)).map(logFieldColumn);
    const struct = [...cols, 'DistributionId'].map((c) => `'${c}': 'VARCHAR'`).join(', ');
    await conn.run(`COPY (
      SELECT * EXCLUDE (DistributionId), DistributionId,
        substr("date", 1, 4) AS year, substr("date", 6, 2) AS month, substr("date", 9, 2) AS day, substr("time", 1, 2) AS hour
      FROM read_json('${staging}', format = 'newline_delimited', columns = {${struct}})
    ) TO '${dir}' (FORMAT parquet, PARTITION_BY (DistributionId, year, month, day, hour), OVERWRITE_OR_IGNORE)`);
  } finally {
    conn.closeSync();
  }
}
