/**
 * Single-cache LRU speed and miss ratios on a generated trace: 5,000,000 requests, Zipf 0.9 over
 * 1,000,000 objects (seeded), written and read back as libCacheSim oracleGeneral, replayed at 0.1 %,
 * 1 % and 10 % of the working set (objects, sizes ignored — libCacheSim's --ignore-obj-size 1).
 * The typed-array LRU is checked against a plain Map-based LRU (an independent implementation) on the
 * same trace, and timed side by side with it. The trace file stays in the temp folder so that other
 * simulators (libCacheSim's cachesim) can replay it.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AliasTable, zipfWeights } from '../../simulator/alias';
import { LruCache, S3FifoCache } from '../../simulator/caches';
import { hashUnit, Rng } from '../../simulator/rng';
import { naiveLruMisses } from '../../simulator/single-cache';
import { readOracleGeneral, writeOracleGeneral } from '../../simulator/trace';
import type { BenchCase, Figures } from '../types';

export const BENCH_TRACE = { requests: 5_000_000, objects: 1_000_000, alpha: 0.9, seed: 42 } as const;
export const BENCH_TRACE_FILE = join(tmpdir(), 'media-cdn-bench-zipf0.9.oracleGeneral.bin');
const FRACTIONS: readonly [string, number][] = [['0_1pct', 0.001], ['1pct', 0.01], ['10pct', 0.1]];

/** The bench trace: ids drawn from Zipf(alpha) over `objects` (rank order shuffled by a hash), one request per ms. */
export function generateZipfTrace(requests: number, objects: number, alpha: number, seed: number): { time: Float64Array; id: Float64Array; size: Float64Array } {
  const alias = new AliasTable(zipfWeights(objects, alpha));
  const rng = new Rng(seed, 1);
  const time = new Float64Array(requests), id = new Float64Array(requests), size = new Float64Array(requests);
  for (let i = 0; i < requests; i++) {
    const rank = alias.sample(rng);
    time[i] = Math.floor(i / 1000);
    id[i] = rank * 7919 + 1; // ids unrelated to popularity order
    size[i] = 1000 + Math.floor(hashUnit(seed, rank) * 99_000);
  }
  return { time, id, size };
}

function timeIt(f: () => number, repeats: number): { ms: number; value: number } {
  let best = Infinity, value = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    value = f();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: best, value };
}

function lruMisses(ids: Int32Array, capacity: number): number {
  const cache = new LruCache(capacity, capacity);
  let misses = 0;
  for (let i = 0; i < ids.length; i++) if (!cache.access(ids[i]!, 1)) misses++;
  return misses;
}

function s3fifoMisses(ids: Int32Array, capacity: number): number {
  const cache = new S3FifoCache(capacity, capacity);
  let misses = 0;
  for (let i = 0; i < ids.length; i++) if (!cache.access(ids[i]!, 1)) misses++;
  return misses;
}

export const benchCase: BenchCase = {
  name: 'sim',
  description: 'single-cache LRU on a 5,000,000-request Zipf 0.9 trace over 1,000,000 objects (typed arrays vs a Map LRU)',
  async run(): Promise<Figures> {
    const g = generateZipfTrace(BENCH_TRACE.requests, BENCH_TRACE.objects, BENCH_TRACE.alpha, BENCH_TRACE.seed);
    writeFileSync(BENCH_TRACE_FILE, writeOracleGeneral(g.time, g.id, g.size, BENCH_TRACE.requests));
    const trace = readOracleGeneral(readFileSync(BENCH_TRACE_FILE));
    const ids = trace.id;
    const figures: Figures = {};
    let fastMs = 0, naiveMs = 0, identical = 1;
    for (const [label, f] of FRACTIONS) {
      const capacity = Math.max(1, Math.floor(trace.objects * f));
      const fast = timeIt(() => lruMisses(ids, capacity), 3);
      const naive = timeIt(() => naiveLruMisses(ids, ids.length, capacity), 1);
      fastMs += fast.ms;
      naiveMs += naive.ms;
      if (fast.value !== naive.value) identical = 0;
      figures[`sim.missRatio.${label}`] = { value: Number((fast.value / ids.length).toFixed(6)), unit: 'ratio' };
      figures[`sim.s3fifoMissRatio.${label}`] = { value: Number((s3fifoMisses(ids, capacity) / ids.length).toFixed(6)), unit: 'ratio' };
      console.error(`bench sim: ${label} = ${capacity} objects: LRU ${fast.value} misses in ${fast.ms.toFixed(0)} ms, Map LRU ${naive.value} misses in ${naive.ms.toFixed(0)} ms`);
    }
    const total = ids.length * FRACTIONS.length;
    figures['sim.reqPerSec'] = { value: Math.round((total / fastMs) * 1000), unit: 'req/s' };
    figures['sim.naiveReqPerSec'] = { value: Math.round((total / naiveMs) * 1000), unit: 'req/s' };
    figures['sim.lruMatchesMapLru'] = { value: identical, unit: 'boolean' };
    figures['sim.workingSetObjects'] = { value: trace.objects, unit: 'objects' };
    console.error(`bench sim: trace written to ${BENCH_TRACE_FILE} (oracleGeneral, ${BENCH_TRACE.requests} requests)`);
    return figures;
  },
};
