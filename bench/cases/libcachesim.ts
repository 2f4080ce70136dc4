/**
 * Side by side with libCacheSim's `cachesim` (https://github.com/1a1a11a/libCacheSim, the reference the
 * miss counts of docs/performance-analysis.md are checked against), as whole processes on the same file:
 * the sim case's 5,000,000-request Zipf 0.9 oracleGeneral trace, LRU at 7,320 objects (1 %), sizes
 * ignored. Five alternating pairs (cachesim, then `npm run sim` through the bundle exactly as the
 * sim-scale case runs it), medians reported:
 * - libcachesim.e2eSeconds / e2eReqPerSec / e2ePeakMiB: cachesim's wall time, requests over it, peak RSS;
 * - libcachesim.simSeconds / simReqPerSec / simPeakMiB: ours, in the same pairs;
 * - sim.e2eVsCachesim: our throughput over cachesim's (above 1: ours is faster);
 * - libcachesim.misses and libcachesim.simMisses: both miss counts, which must be equal (else the case fails);
 * - libcachesim.loadAverage: the 1-minute load average after the pairs (the machine is shared).
 * The binary: $LIBCACHESIM_BIN, else /tmp/libcachesim-build/bin/cachesim (bench/build-libcachesim.sh,
 * which also makes cachesim print its exact miss count). Without it the case reports nothing and says
 * how to build it. cachesim's peak RSS comes from GNU time (/usr/bin/time), ours from bench/peak-rss.js.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase, Figures } from '../types';
import { BENCH_TRACE, BENCH_TRACE_FILE } from './sim';
import { E2E_ARGS, measuredSim, median, prepareE2e } from './sim-scale';

const DEFAULT_BIN = '/tmp/libcachesim-build/bin/cachesim';
const GNU_TIME = '/usr/bin/time';
const PAIRS = 5;
const CAPACITY = 7320;

const HOW_TO_BUILD =
  'bench libcachesim: no cachesim binary ($LIBCACHESIM_BIN or ' + DEFAULT_BIN + '); skipped. Build it with\n' +
  '  apt-get install build-essential cmake pkg-config libglib2.0-dev libzstd-dev libgoogle-perftools-dev\n' +
  '  git clone https://github.com/1a1a11a/libCacheSim /tmp/libCacheSim && git -C /tmp/libCacheSim checkout aa0fc40\n' +
  '  bench/build-libcachesim.sh /tmp/libCacheSim /tmp/libcachesim-build';

/** The cachesim binary to compare with, or undefined. */
export function cachesimBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bin = env.LIBCACHESIM_BIN ?? DEFAULT_BIN;
  return existsSync(bin) ? bin : undefined;
}

/**
 * The miss count in cachesim's result line ("…, 3157318 misses", printed by a build of
 * bench/build-libcachesim.sh), or the miss ratio (4 decimals) an unpatched build prints.
 */
export function cachesimResult(stdout: string): { misses?: number; missRatio: number } {
  const m = /miss ratio ([\d.]+), throughput [\d.]+ MQPS(?:, (\d+) misses)?/.exec(stdout);
  if (!m) throw new Error(`cachesim printed no result line (miss ratio …):\n${stdout}`);
  return { missRatio: Number(m[1]), ...(m[2] !== undefined ? { misses: Number(m[2]) } : {}) };
}

/** The miss count in the single-cache table of `npm run sim`. */
export function simMisses(stdout: string): number {
  const m = /^\w+\s+[\d,]+ objects\s+[\d,]+\s+[\d,]+\s+([\d,]+)\s/m.exec(stdout);
  if (!m) throw new Error(`npm run sim printed no single-cache row:\n${stdout}`);
  return Number(m[1]!.replace(/,/g, ''));
}

/** Runs cachesim once in `dir` (it writes its result file into the working directory). */
function measuredCachesim(bin: string, dir: string): { seconds: number; peakMiB?: number; stdout: string } {
  const args = [BENCH_TRACE_FILE, 'oracleGeneral', 'lru', String(CAPACITY), '--ignore-obj-size', '1'];
  const timeFile = join(dir, 'cachesim-time');
  const timed = existsSync(GNU_TIME);
  const t0 = process.hrtime.bigint();
  const r = timed
    ? spawnSync(GNU_TIME, ['-o', timeFile, '-f', '%M', bin, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 })
    : spawnSync(bin, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout, ...(timed ? { peakMiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024 } : {}) };
}

export const benchCase: BenchCase = {
  name: 'libcachesim',
  description: `libCacheSim's cachesim and npm run sim side by side, whole processes on the 5 M-request trace (LRU at ${CAPACITY.toLocaleString('en-US')} objects), ${PAIRS} alternating pairs`,
  async run(): Promise<Figures> {
    const bin = cachesimBinary();
    if (bin === undefined) {
      console.error(HOW_TO_BUILD);
      return {};
    }
    prepareE2e();
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-libcachesim-'));
    try {
      const theirs: ReturnType<typeof measuredCachesim>[] = [];
      const ours: ReturnType<typeof measuredSim>[] = [];
      for (let i = 0; i < PAIRS; i++) {
        theirs.push(measuredCachesim(bin, dir));
        ours.push(measuredSim([...E2E_ARGS], dir));
        console.error(`bench libcachesim: pair ${i + 1}: cachesim ${theirs[i]!.seconds.toFixed(2)} s, npm run sim ${ours[i]!.seconds.toFixed(2)} s (load ${loadavg()[0]!.toFixed(1)})`);
      }
      const their = cachesimResult(theirs[0]!.stdout);
      const our = simMisses(ours[0]!.stdout);
      if (their.misses !== undefined && their.misses !== our) throw new Error(`miss counts differ: cachesim ${their.misses}, npm run sim ${our}; the LRUs must agree.`);
      if (their.misses === undefined) {
        console.error('bench libcachesim: this cachesim prints no miss count (not built by bench/build-libcachesim.sh); comparing the 4-decimal miss ratio only.');
        const ratio = Number((our / BENCH_TRACE.requests).toFixed(4));
        if (ratio !== their.missRatio) throw new Error(`miss ratios differ: cachesim ${their.missRatio}, npm run sim ${ratio}; the LRUs must agree.`);
      }
      const theirSeconds = median(theirs.map((r) => r.seconds));
      const ourSeconds = median(ours.map((r) => r.seconds));
      const figures: Figures = {
        'libcachesim.e2eSeconds': { value: Number(theirSeconds.toFixed(2)), unit: 's' },
        'libcachesim.e2eReqPerSec': { value: Math.round(BENCH_TRACE.requests / theirSeconds), unit: 'req/s' },
        'libcachesim.simSeconds': { value: Number(ourSeconds.toFixed(2)), unit: 's' },
        'libcachesim.simReqPerSec': { value: Math.round(BENCH_TRACE.requests / ourSeconds), unit: 'req/s' },
        'libcachesim.simPeakMiB': { value: Math.round(median(ours.map((r) => r.peakMiB))), unit: 'MiB' },
        'sim.e2eVsCachesim': { value: Number((theirSeconds / ourSeconds).toFixed(2)), unit: 'ratio' },
        'libcachesim.simMisses': { value: our, unit: 'misses' },
        'libcachesim.loadAverage': { value: Number(loadavg()[0]!.toFixed(1)), unit: 'load' },
      };
      const peaks = theirs.flatMap((r) => (r.peakMiB !== undefined ? [r.peakMiB] : []));
      if (peaks.length > 0) figures['libcachesim.e2ePeakMiB'] = { value: Math.round(median(peaks)), unit: 'MiB' };
      else console.error(`bench libcachesim: no ${GNU_TIME} (apt-get install time), so no libcachesim.e2ePeakMiB.`);
      if (their.misses !== undefined) figures['libcachesim.misses'] = { value: their.misses, unit: 'misses' };
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
