import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkPageInChromium, chromiumPath } from '../support/chrome-check';
import { readOracleGeneral, writeOracleGeneral } from '../../simulator/trace';
import { planFor } from '../helpers/plan';
import { LOG_HEADER, logLine } from './log-lines';

const ROOT = join(__dirname, '..', '..');

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'sim.ts'), '--quiet', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run sim (scripts/sim.ts)', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'media-cdn-sim-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help and exits 0', () => {
    const r = sim(['--help']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('Usage: npm run sim --').and.to.contain('--cache-size');
  });

  const bad: [string, string[], string[]][] = [
    ['out-of-range numbers and an unknown policy, one error line each', ['--scale', '2', '--seed=-1', '--policy', 'arc'], [
      "error: --seed must be a whole number from 0 to 4294967295, got '-1'.",
      "error: --scale must be a number in (0, 1], e.g. 0.01, got '2'.",
    ]],
    ['a trace without a format', ['--trace', 'x.csv'], ['error: --trace needs --format (csv, oracle-general, cloudfront-log).']],
    ['an unknown format', ['--trace', 'x', '--format', 'parquet', '--cache-size', '1'], ["error: --format 'parquet' is not a trace format; use one of: csv, oracle-general, cloudfront-log."]],
    ['a CSV trace without a cache size', ['--trace', 'x.csv', '--format', 'csv'], ['error: --format csv traces have no paths or edge locations, so they only run in single-cache mode: add --cache-size (e.g. 1% or 64MiB).']],
    ['a missing trace file', ['--trace', '/nonexistent/t.csv', '--format', 'csv', '--cache-size', '10'], ["error: --trace '/nonexistent/t.csv' does not exist; give a trace file or a folder of CloudFront log files."]],
    ['a bad cache size', ['--trace', 'x.csv', '--format', 'csv', '--cache-size', '12QB'], ["error: --cache-size '12QB' has an unknown unit 'QB'; units are B, KB, MB, GB, TB, KiB, MiB, GiB, TiB."]],
    ['an unknown option', ['--colour', 'red'], []],
    ['an unknown fault scenario', ['--fault', 'disk-full@1h'], ["error: --fault: 'disk-full' is not a fault scenario; use one of primary-s3-down, region-origin-down, origin-slow, error-burst, api-down, release-herd, invalidation-storm."]],
    ['a fault with a trace', ['--fault', 'api-down', '--trace', 'x', '--format', 'cloudfront-log'], ['error: --fault runs on the seed workload: leave out --compare and --trace.']],
  ];
  for (const [what, args, lines] of bad) {
    it(`exits 2 on ${what}`, () => {
      const r = sim(args);
      expect(r.code).to.equal(2);
      const errors = r.stderr.trim().split('\n').filter((l) => l.startsWith('error: '));
      expect(errors.length).to.be.at.least(1);
      for (const l of lines) expect(errors).to.include(l);
    });
  }
  it('simulates a fault scenario: figures per phase in JSON, exit code from its availability target', () => {
    const out = join(dir, 'fault.json');
    const r = sim(['--stack', 'prod', '--fault', 'primary-s3-down@1h+20m', '--scale', '0.002', '--hours', '2', '--warmup-hours', '1', '--json', out]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('failing origins: video-primary, images-primary, static-primary').and.to.contain('against 99.99 %: met');
    const j = JSON.parse(readFileSync(out, 'utf8')) as { mode: string; fault: { scenario: string; pass: boolean; failovers: number; phases: Record<string, { availabilityPct: number }> } };
    expect([j.mode, j.fault.scenario, j.fault.pass, Object.keys(j.fault.phases)]).to.deep.equal(['fault', 'primary-s3-down', true, ['before', 'during', 'after']]);
    expect(j.fault.failovers).to.be.above(0);
  });

  it('names every bad option value in one run', () => {
    const r = sim(['--scale', '2', '--seed=-1', '--policy', 'arc', '--hit-level', 'origin']);
    expect(r.stderr.trim().split('\n')).to.deep.equal([
      "error: --policy must be 'lru', 'fifo' or 's3fifo', got 'arc'.",
      "error: --seed must be a whole number from 0 to 4294967295, got '-1'.",
      "error: --scale must be a number in (0, 1], e.g. 0.01, got '2'.",
      "error: --hit-level must be 'cloudfront' or 'edge', got 'origin'.",
    ]);
  });

  it('single-cache mode on a CSV trace writes missRatio and byteMissRatio at the top level', () => {
    const csv = join(dir, 't.csv');
    writeFileSync(csv, 'time,id,size\n1,a,100\n2,b,300\n3,a,100\n4,c,100\n5,b,300\n6,a,100\n7,x\n');
    const out = join(dir, 'single.json');
    const r = sim(['--trace', csv, '--format', 'csv', '--cache-size', '2', '--json', out]);
    expect(r.code).to.equal(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect([j.missRatio, j.byteMissRatio, j.misses, j.requests, j.trace.malformed, j.naiveLruMisses]).to.deep.equal([5 / 6, 0.9, 5, 6, 1, undefined]);
    expect(r.stdout).to.contain('1 malformed line(s) or record(s) skipped');
    // --verify replays the Map-based LRU as well and reports its misses
    const verified = sim(['--trace', csv, '--format', 'csv', '--cache-size', '2', '--verify', '--json', out]);
    expect(verified.code).to.equal(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).naiveLruMisses).to.equal(5);
    expect(verified.stdout).to.contain('--verify: the Map-based LRU counts 5 misses, the same');
  });

  it('refuses --verify where no Map-based twin exists (S3-FIFO, or a capacity in bytes)', () => {
    const csv = join(dir, 'v.csv');
    writeFileSync(csv, 'time,id,size\n1,a,100\n');
    for (const args of [['--cache-size', '2', '--policy', 's3fifo'], ['--cache-size', '1MiB']]) {
      const r = sim(['--trace', csv, '--format', 'csv', '--verify', ...args]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^error: --verify checks LRU counting objects against a Map-based LRU; use it with --policy lru/m);
    }
  });

  it('single-cache mode reads oracleGeneral and gzip CloudFront logs', () => {
    const bin = join(dir, 't.bin');
    writeFileSync(bin, writeOracleGeneral([1, 2, 3, 4], [5, 6, 5, 7], [10, 10, 10, 10], 4));
    const out = join(dir, 'oracle.json');
    expect(sim(['--trace', bin, '--format', 'oracle-general', '--cache-size', '67%', '--ignore-size', '--policy', 'fifo', '--json', out]).code).to.equal(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).to.include({ missRatio: 0.75, capacity: 2, policy: 'fifo' });
    const gz = join(dir, 'E2EXAMPLE.2026-03-01-12.abcd1234.gz');
    writeFileSync(gz, gzipSync(Buffer.from([LOG_HEADER, logLine({}), logLine({ time: '12:00:05' }), 'broken'].join('\n'))));
    const out2 = join(dir, 'log.json');
    expect(sim(['--trace', gz, '--format', 'cloudfront-log', '--cache-size', '1MiB', '--json', out2]).code).to.equal(0);
    const j = JSON.parse(readFileSync(out2, 'utf8'));
    expect([j.requests, j.misses, j.trace.malformed]).to.deep.equal([2, 1, 1]);
  });

  it('simulates a plan file on the seed workload: JSON contract, exit code from the targets, HTML report', async () => {
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await planFor('prod')));
    const json = join(dir, 'sim.json');
    const html = join(dir, 'report.html');
    const traceOut = join(dir, 'generated.bin');
    const r = sim(['--plan', planFile, '--scale', '0.0005', '--hours', '2', '--warmup-hours', '1', '--sweep', '0.5', '--json', json, '--html', html, '--write-trace', traceOut]);
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(readOracleGeneral(readFileSync(traceOut)).length).to.equal(j.simulatedRequests);
    expect(r.code).to.equal(j.pass ? 0 : 1);
    for (const t of ['video', 'thumbnails', 'metadata', 'static', 'api']) {
      expect(j.types[t]).to.include.keys('requests', 'hitRatio', 'byteHitRatio', 'targetHitRatio', 'p95LatencyMs', 'targetLatencyMs', 'pass');
    }
    expect(j.types.video.targetHitRatio).to.equal(0.95);
    expect(j.totals).to.include.keys('hitRatio', 'byteHitRatio', 'p95LatencyMs', 'peakGbps', 'averageGbps');
    expect(j.costUsdPerMonth).to.be.a('number').and.above(0);
    expect(j.regions.NA.types.video).to.include.keys('requests', 'hitRatio', 'p95LatencyMs', 'latencyPass');
    expect(j.regions.EU.shareUnder100Ms).to.be.within(0, 1);
    expect(r.stdout).to.match(/by viewer region[\s\S]*North America[\s\S]*Middle East & Africa/);
    expect(j.video.targets).to.deep.equal({ startupP95Ms: 2000, rebufferingRatio: 0.005 });
    expect(j.video.regions.EU).to.include.keys('startupP50Ms', 'startupP95Ms', 'rebufferingRatio', 'startupPass', 'rebufferingPass');
    expect(j.video.overall.startupP95Ms).to.be.above(0);
    expect(j.pass).to.equal(Object.values(j.types as Record<string, { pass: boolean }>).every((t) => t.pass) && (j.checks as { pass: boolean }[]).every((c) => c.pass));
    expect(r.stdout).to.match(/video viewer experience by region[\s\S]*startup p95 ms \(< 2,000\)[\s\S]*all viewers/);
    expect(r.stdout).to.match(/report: .*report\.html/);
    if (!chromiumPath()) {
      console.log('    (Chromium check skipped: no /usr/bin/chromium; install with apt-get install -y chromium)');
      return;
    }
    const check = await checkPageInChromium({ file: html });
    expect([check.consoleErrors, check.pageErrors, check.externalRequests, check.charts]).to.deep.equal([[], [], [], 7]);
  });

  it('adds the episodes of a release manifest to the workload (--releases), and names a bad manifest', async () => {
    const planFile = join(dir, 'plan-releases.json');
    writeFileSync(planFile, JSON.stringify(await planFor('prod')));
    const releases = join(dir, 'releases.json');
    const segments = Array.from({ length: 40 }, (_, i) => `/video/new-show/s01e01/1080p/seg-${String(i).padStart(5, '0')}.m4s`);
    writeFileSync(releases, JSON.stringify([{ title: 'new-show s01e01', releaseAt: '2025-11-24T00:30:00Z', paths: ['/video/new-show/s01e01/master.m3u8', ...segments], expectedRequests: 200000 }]));
    const base = ['--plan', planFile, '--scale', '0.0005', '--hours', '2', '--warmup-hours', '0'];
    const without = join(dir, 'without.json');
    const withReleases = join(dir, 'with.json');
    sim([...base, '--json', without]);
    sim([...base, '--releases', releases, '--json', withReleases]);
    const a = JSON.parse(readFileSync(without, 'utf8'));
    const b = JSON.parse(readFileSync(withReleases, 'utf8'));
    // The episode's requests are simulated on top (its objects at full rate: a release is few objects) …
    expect(b.simulatedRequests).to.be.above(a.simulatedRequests);
    // … and the workload stays calibrated to the platform's average bandwidth, release bytes included.
    expect(Math.abs(b.totals.averageGbps - a.totals.averageGbps) / a.totals.averageGbps).to.be.below(0.03);
    writeFileSync(releases, JSON.stringify([{ releaseAt: 'tomorrow', paths: ['video/x'] }]));
    const bad = sim([...base, '--releases', releases]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain(`error: --releases: ${releases} entry 1: releaseAt must be an ISO date or epoch seconds`);
  });

  it('compares two plans on the same workload', async () => {
    const a = join(dir, 'prod.json');
    const b = join(dir, 'staging.json');
    writeFileSync(a, JSON.stringify(await planFor('prod')));
    writeFileSync(b, JSON.stringify(await planFor('staging')));
    const out = join(dir, 'compare.json');
    const r = sim(['--compare', a, b, '--scale', '0.0005', '--hours', '1', '--warmup-hours', '0', '--json', out]);
    expect(r.code).to.equal(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.mode).to.equal('compare');
    expect(j.difference.hitRatio).to.be.closeTo(j.b.totals.hitRatio - j.a.totals.hitRatio, 1e-12);
    expect(r.stdout).to.contain('hit ratio a').and.to.contain('cost/month');
    expect(sim(['--compare', a]).stderr).to.contain('error: --compare needs exactly two plan files after the options (got 1');
  });
});
