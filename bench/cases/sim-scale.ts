/**
 * The simulator as whole processes, start-up and reading included (`npm run sim`, through the bundle
 * in dist/ as users run it):
 * - sim.e2eReqPerSec / sim.e2ePeakMiB: single-cache LRU at 1 % of the objects (7,320, sizes ignored) on
 *   the sim case's 5,000,000-request Zipf 0.9 oracleGeneral trace — the command libCacheSim's
 *   `cachesim` was compared on (docs/performance-analysis.md);
 * - sim.streamPeakMiB / sim.streamReqPerSec: the same on a 100,000,000-request trace (Zipf 0.9 over
 *   10,000,000 objects, 2.4 GB), generated block by block into a temp file and deleted afterwards.
 * Peak memory is the child's own maxRSS (bench/peak-rss.js, preloaded).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AliasTable, zipfWeights } from '../../simulator/alias';
import { hashUnit, Rng } from '../../simulator/rng';
import { ORACLE_RECORD_BYTES, writeOracleGeneral } from '../../simulator/trace';
import type { BenchCase, Figures } from '../types';
import { BENCH_TRACE, BENCH_TRACE_FILE, generateZipfTrace } from './sim';

const ROOT = join(__dirname, '..', '..');
export const STREAM_TRACE = { requests: 100_000_000, objects: 10_000_000, alpha: 0.9, seed: 42 } as const;

/**
 * Writes a Zipf trace as oracleGeneral, one block of requests at a time (memory: one block and the
 * alias table, not the trace). Next access is -1 throughout: computing it needs the whole trace, and
 * single-cache mode does not read it.
 */
export function writeZipfTraceStreamed(file: string, requests: number, objects: number, alpha: number, seed: number, block = 1 << 20): void {
  const alias = new AliasTable(zipfWeights(objects, alpha));
  const rng = new Rng(seed, 1);
  const buf = new Uint8Array(block * ORACLE_RECORD_BYTES);
  const view = new DataView(buf.buffer);
  const fd = openSync(file, 'w');
  try {
    for (let start = 0; start < requests; start += block) {
      const n = Math.min(block, requests - start);
      for (let j = 0; j < n; j++) {
        const rank = alias.sample(rng);
        const id = rank * 7919 + 1;
        const o = j * ORACLE_RECORD_BYTES;
        view.setUint32(o, Math.floor((start + j) / 1000), true);
        view.setUint32(o + 4, id % 4294967296, true);
        view.setUint32(o + 8, Math.floor(id / 4294967296), true);
        view.setUint32(o + 12, 1000 + Math.floor(hashUnit(seed, rank) * 99_000), true);
        view.setInt32(o + 16, -1, true);
        view.setInt32(o + 20, -1, true);
      }
      writeSync(fd, buf, 0, n * ORACLE_RECORD_BYTES);
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs `npm run sim` as a child process; its wall time and peak RSS. */
export function measuredSim(args: string[], dir: string): { seconds: number; peakMiB: number; stdout: string } {
  const peakFile = join(dir, 'peak-rss');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', join(ROOT, 'bench', 'peak-rss.js'), join(ROOT, 'scripts', 'launch.js'), 'sim', '--quiet', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, MEDIA_CDN_PEAK_RSS_FILE: peakFile }, maxBuffer: 1 << 24,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`npm run sim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, peakMiB: Number(readFileSync(peakFile, 'utf8')) / 1024, stdout: r.stdout };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Builds the bundle (dist/, as `npm run sim` runs) and writes the 5 M-request bench trace when it is missing. */
export function prepareE2e(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-dist.js')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build-dist.js failed: ${build.stderr}`);
  if (!existsSync(BENCH_TRACE_FILE)) {
    const g = generateZipfTrace(BENCH_TRACE.requests, BENCH_TRACE.objects, BENCH_TRACE.alpha, BENCH_TRACE.seed);
    writeFileSync(BENCH_TRACE_FILE, writeOracleGeneral(g.time, g.id, g.size, BENCH_TRACE.requests));
  }
}

/** The single-cache command compared with libCacheSim's cachesim: LRU at 1 % of the objects, sizes ignored. */
export const E2E_ARGS: readonly string[] = ['--trace', BENCH_TRACE_FILE, '--format', 'oracle-general', '--cache-size', '7320', '--ignore-size', '--policy', 'lru'];

export const benchCase: BenchCase = {
  name: 'sim-scale',
  description: 'npm run sim as a whole process: single-cache LRU on the 5 M-request trace (start-up and reading included) and on a generated 100 M-request trace (peak memory)',
  async run(): Promise<Figures> {
    prepareE2e();
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-sim-scale-'));
    const figures: Figures = {};
    try {
      const runs = [0, 1, 2].map(() => measuredSim([...E2E_ARGS], dir));
      if (!runs[0]!.stdout.includes('3,157,318')) throw new Error(`unexpected miss count (libCacheSim counts 3,157,318):\n${runs[0]!.stdout}`);
      const seconds = median(runs.map((r) => r.seconds));
      figures['sim.e2eSeconds'] = { value: Number(seconds.toFixed(2)), unit: 's' };
      figures['sim.e2eReqPerSec'] = { value: Math.round(BENCH_TRACE.requests / seconds), unit: 'req/s' };
      figures['sim.e2ePeakMiB'] = { value: Math.round(median(runs.map((r) => r.peakMiB))), unit: 'MiB' };
      console.error(`bench sim-scale: 5 M requests in ${runs.map((r) => r.seconds.toFixed(2)).join(' / ')} s, peak ${runs.map((r) => r.peakMiB.toFixed(0)).join(' / ')} MiB`);

      const big = join(dir, 'stream.oracleGeneral.bin');
      const t0 = Date.now();
      writeZipfTraceStreamed(big, STREAM_TRACE.requests, STREAM_TRACE.objects, STREAM_TRACE.alpha, STREAM_TRACE.seed);
      console.error(`bench sim-scale: wrote ${STREAM_TRACE.requests.toLocaleString('en-US')} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      const capacity = String(STREAM_TRACE.objects / 100);
      const s = measuredSim(['--trace', big, '--format', 'oracle-general', '--cache-size', capacity, '--ignore-size', '--policy', 'lru'], dir);
      rmSync(big);
      figures['sim.streamPeakMiB'] = { value: Math.round(s.peakMiB), unit: 'MiB' };
      figures['sim.streamReqPerSec'] = { value: Math.round(STREAM_TRACE.requests / s.seconds), unit: 'req/s' };
      console.error(`bench sim-scale: 100 M requests in ${s.seconds.toFixed(1)} s, peak ${s.peakMiB.toFixed(0)} MiB\n${s.stdout}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
