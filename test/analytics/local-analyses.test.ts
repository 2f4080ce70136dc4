import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnalyses } from '../../adapters/analytics-sql';
import { openLogDatabase, REQUESTS_SCAN_TABLE, runAnalysesOnDuckDb, runAnalysisOnDuckDb, type LogDatabase } from '../../adapters/duckdb-logs';
import { analysisParameters, ANALYSIS_NAMES, type AnalysisName, type AnalysisScope } from '../../lib/analytics/analyses';
import type { AnalysisResult } from '../../lib/analytics/results';
import { resolveCatalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { DIST, OTHER_DIST, sampleLines, writeJsonLogs, writeParquetLogs, writeV1Logs } from './log-fixtures';

const catalog = resolveCatalog();
const analyses = loadAnalyses(catalog);
const SCOPE: AnalysisScope = { from: new Date('2026-03-01T12:00:00Z'), to: new Date('2026-03-01T14:00:00Z'), distributionId: DIST };

async function run(db: LogDatabase, name: AnalysisName, scope: AnalysisScope = SCOPE): Promise<AnalysisResult> {
  return runAnalysisOnDuckDb(db, analyses.find((a) => a.name === name)!, analysisParameters(scope));
}

function byKey(r: AnalysisResult, key: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(r.rows.map((row) => [String(row[key]), row]));
}

describe('the log analyses on DuckDB (analytics/sql, adapters/duckdb-logs)', function () {
  this.timeout(60_000);
  const root = mkdtempSync(join(tmpdir(), 'analytics-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  // v1 logs have no viewer country (a v2 field): their requests are in the area 'unknown'.
  const formats: [string, (dir: string) => void | Promise<void>, boolean][] = [
    ['v1 gzip logs', (dir) => writeV1Logs(dir, sampleLines()), false],
    ['Parquet with Hive partitions', (dir) => writeParquetLogs(dir, sampleLines()), true],
  ];
  for (const [label, write, hasCountry] of formats) {
    describe(`over ${label}`, () => {
      let db: LogDatabase;
      before(async () => {
        const dir = join(root, label.replace(/\W+/g, '-'));
        await write(dir);
        db = await openLogDatabase(dir);
      });
      after(() => db.close());

      it('gives the same results with one shared scan for every analysis as with each scanning on its own, reports progress, and leaves no table behind', async () => {
        for (const scope of [SCOPE, { ...SCOPE, from: new Date('2026-03-01T13:05:00Z') }]) {
          const params = analysisParameters(scope);
          const separate: AnalysisResult[] = [];
          for (const a of analyses) separate.push(await runAnalysisOnDuckDb(db, a, params));
          const reported: (number | undefined)[] = [];
          const shared = await runAnalysesOnDuckDb(db, analyses, params, (f) => reported.push(f));
          expect(shared).to.deep.equal(separate);
          expect(reported.at(-1)).to.equal(1);
          for (const f of reported) if (f !== undefined) expect(f).to.be.within(0, 1);
          const once: (number | undefined)[] = [];
          expect(await runAnalysesOnDuckDb(db, analyses.slice(0, 1), params, (f) => once.push(f))).to.deep.equal(separate.slice(0, 1));
          expect(once).to.deep.equal([1]);
          expect(shared.find((r) => r.name === 'hit-ratio-by-type')!.rows.length).to.be.greaterThan(0);
        }
        const left = await db.connection.runAndReadAll(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${REQUESTS_SCAN_TABLE}'`);
        expect(Number(left.getRowObjects()[0]!.n)).to.equal(0);
      });

      it('computes hit ratio and byte hit ratio per type over cached routes only', async () => {
        const r = byKey(await run(db, 'hit-ratio-by-type'), 'content_type');
        expect(Object.keys(r).sort()).to.deep.equal(['api', 'static', 'thumbnails', 'video']);
        expect(r.video).to.include({ requests: 8, cacheable_requests: 8, hits: 7, hit_ratio: 7 / 8, bytes: 11000, byte_hit_ratio: 7000 / 11000 });
        expect(r.video!.target_hit_ratio).to.equal(catalog.type('video').targetHitRatio);
        expect(r.thumbnails).to.include({ requests: 4, hits: 2, hit_ratio: 0.5 });
        // /api/me/profile (never cached) is left out: 1 hit of 2, not 1 of 4.
        expect(r.api).to.include({ requests: 2, hits: 1, hit_ratio: 0.5 });
        // The 404 is not cacheable (logged Error): 1 hit of 1 cacheable request.
        expect(r.static).to.include({ requests: 2, cacheable_requests: 1, hit_ratio: 1 });
      });

      it('computes TTFB percentiles per type and area against the p95 target', async () => {
        const rows = (await run(db, 'ttfb-by-type-region')).rows;
        const video = rows.find((x) => x.content_type === 'video' && x.viewer_area === '*')!;
        expect(video).to.include({ requests: 8, p50_ms: 40, p95_ms: 80, p99_ms: 80, target_p95_ms: catalog.type('video').targetLatencyMs });
        expect(video.meets_target).to.equal(80 <= catalog.type('video').targetLatencyMs);
        const areas = rows.filter((x) => x.content_type === 'video' && x.viewer_area !== '*').map((x) => [x.viewer_area, x.requests, x.p95_ms]);
        expect(areas).to.deep.equal(hasCountry ? [['Central Europe', 4, 80], ['United States', 4, 40]] : [['unknown', 8, 80]]);
      });

      it('lists the most-missed paths', async () => {
        const r = await run(db, 'top-missed-paths');
        expect(r.rows.map((x) => [x.path, x.misses, x.miss_bytes])).to.deep.equal([
          ['/thumbnails/a.jpg', 2, 200], ['/api/me/profile', 2, 120], ['/api/search', 1, 50], ['/video/t1/seg-001.ts', 1, 4000],
        ].sort((a, b) => (b[1] as number) - (a[1] as number) || String(a[0]).localeCompare(String(b[0]))));
      });

      it('sums bytes per edge location', async () => {
        const r = byKey(await run(db, 'bytes-by-edge-location'), 'edge_location');
        expect(r['IAD89-C1']).to.include({ requests: 8, bytes: 4000 + 50 + 50 + 120 });
        expect(r['FRA56-P1']).to.include({ requests: 8, bytes: 2000 + 1000 + 4000 + 400 });
        expect(r['GRU3-C1']).to.include({ requests: 2, bytes: 230 });
      });

      it('gives error rates by status', async () => {
        const r = await run(db, 'errors-by-status');
        expect(r.rows).to.deep.equal([{ status: 404, content_type: 'static', requests: 1, share_of_all: 1 / 18, share_of_type: 1 / 2 }]);
      });

      it('gives origin offload per hour', async () => {
        const r = await run(db, 'origin-offload');
        expect(r.rows.map((x) => [x.hour_start, x.requests, x.request_offload])).to.deep.equal([
          ['2026-03-01T12:00:00Z', 12, 9 / 12], ['2026-03-01T13:00:00Z', 6, 2 / 6],
        ]);
      });

      it('gives hit ratios per viewer area and country', async () => {
        const rows = (await run(db, 'hit-ratio-by-region')).rows;
        if (!hasCountry) {
          expect(rows.map((x) => [x.viewer_area, x.country, x.requests])).to.deep.equal([['unknown', '*', 16], ['unknown', '-', 16]]);
          return;
        }
        const de = rows.find((x) => x.country === 'DE')!;
        // DE: video lines 4-7 (Hit, Hit, RefreshHit, Miss) and the 4 thumbnails (2 Hit): 5 hits of 8.
        expect(de).to.include({ viewer_area: 'Central Europe', requests: 8, hit_ratio: 5 / 8 });
        expect(rows.find((x) => x.viewer_area === 'Central Europe' && x.country === '*')).to.include({ requests: 8 });
      });

      it('filters by time range and distribution', async () => {
        const all = byKey(await run(db, 'hit-ratio-by-type', { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') }), 'content_type');
        // Every distribution, the whole day: + the 15:00 miss and the other distribution's miss.
        expect(all.video).to.include({ requests: 10, hits: 7 });
        const other = byKey(await run(db, 'hit-ratio-by-type', { ...SCOPE, distributionId: OTHER_DIST }), 'content_type');
        expect(other.video).to.include({ requests: 1, hits: 0 });
        const late = await run(db, 'hit-ratio-by-type', { ...SCOPE, from: new Date('2026-03-01T13:05:00Z') });
        expect(late.rows.map((x) => [x.content_type, x.requests])).to.deep.equal([['static', 2]]);
      });

      it('runs every analysis', async () => {
        for (const name of ANALYSIS_NAMES) {
          const r = await run(db, name);
          expect(r.columns.length, name).to.be.greaterThan(2);
        }
      });
    });
  }

  it('reads v2 JSON lines with Hive partitions', async () => {
    const dir = join(root, 'json');
    writeJsonLogs(dir, sampleLines());
    const db = await openLogDatabase(dir);
    try {
      const r = byKey(await run(db, 'hit-ratio-by-type'), 'content_type');
      expect(r.video).to.include({ requests: 8, hits: 7, bytes: 11000 });
    } finally {
      db.close();
    }
  });

  it('finds a miss spike after an invalidation', async () => {
    const dir = join(root, 'spike');
    // 13 windows of 20 cacheable requests at 1 miss each (5 %), then a window at 12 misses (60 %).
    const lines = [];
    for (let w = 0; w < 14; w++) {
      for (let i = 0; i < 20; i++) {
        const minute = String(w * 5 % 60).padStart(2, '0');
        const hour = String(12 + Math.floor((w * 5) / 60)).padStart(2, '0');
        const misses = w === 13 ? 12 : 1;
        lines.push({ time: `${hour}:${minute}:${String(i).padStart(2, '0')}`, path: '/video/a.ts', result: i < misses ? 'Miss' : 'Hit', bytes: 10, ttfbMs: 10, country: 'US', edge: 'IAD89-C1' });
      }
    }
    writeV1Logs(dir, lines);
    const db = await openLogDatabase(dir);
    try {
      const r = await run(db, 'invalidation-effect', { from: new Date('2026-03-01T12:00:00Z'), to: new Date('2026-03-01T14:00:00Z') });
      expect(r.rows).to.have.length(1);
      expect(r.rows[0]).to.include({ content_type: 'video', window_start: '2026-03-01T13:05:00Z', misses: 12, miss_ratio: 0.6 });
      expect(r.rows[0]!.baseline_miss_ratio).to.be.closeTo(0.05, 1e-12);
      expect(r.rows[0]!.spike).to.be.closeTo(12, 1e-9);
    } finally {
      db.close();
    }
  });

  it('refuses a folder without logs, naming it', async () => {
    const err = await openLogDatabase(join(root, 'nowhere')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.match(/--logs '.*nowhere' is not a folder/);
  });
});
