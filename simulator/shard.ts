/**
 * Sharded multi-tier runs: the objects are split by a hash of their asset (all cache keys of one
 * asset, and its updates and invalidations, land in one shard); each shard runs the whole day on its
 * own objects with its share (1/n) of every cache's capacity, and the shards' raw statistics add up.
 * Shard i of n is deterministic for a given seed and n, so shards may run anywhere (one process,
 * worker threads, an AWS Batch array job) and `mergeStats` gives the same totals.
 */
import { InputError, show } from '../lib/errors';
import { EngineStats } from './engine';
import type { EventLog, RequestLog } from './workload/arrivals';
import type { SampledObjects } from './workload/sample';
import { shardOfAsset, type Shard } from './workload/shard-of';

export { shardOfAsset, type Shard };

/** Parses `--shard i/n` (0 ≤ i < n ≤ 4096). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1 && count <= 4096) || !(index >= 0 && index < count)) {
    throw new InputError(`--shard ${show(text)} must be i/n with 0 ≤ i < n ≤ 4096 (the 0-based shard and the shard count), e.g. 0/4.`);
  }
  return { index, count };
}

/** The requests and events of one shard's assets (`keyAsset`: the asset of each cache key). */
export function shardWorkload(requests: RequestLog, events: EventLog, keyAsset: Int32Array, shard: Shard): { requests: RequestLog; events: EventLog } {
  if (shard.count === 1) return { requests, events };
  const keep = new Uint8Array(requests.length);
  let n = 0;
  for (let i = 0; i < requests.length; i++) {
    if (shardOfAsset(keyAsset[requests.key[i]!]!, shard.count) === shard.index) { keep[i] = 1; n++; }
  }
  const pick = <A extends Float64Array | Int32Array | Uint8Array>(a: A, mask: Uint8Array, len: number): A => {
    const out = new (a.constructor as new (n: number) => A)(len);
    let j = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] === 1) out[j++] = a[i]!;
    return out;
  };
  const keepEv = Uint8Array.from(events.asset, (a) => (shardOfAsset(a, shard.count) === shard.index ? 1 : 0));
  const m = keepEv.reduce((s, x) => s + x, 0);
  return {
    requests: { length: n, time: pick(requests.time, keep, n), key: pick(requests.key, keep, n), viewer: pick(requests.viewer, keep, n), edge: pick(requests.edge, keep, n) },
    events: { length: m, time: pick(events.time, keepEv, m), asset: pick(events.asset, keepEv, m), kind: pick(events.kind, keepEv, m) },
  };
}

/** The events of one shard's assets. */
export function shardEvents(events: EventLog, shard: Shard): EventLog {
  if (shard.count === 1) return events;
  const keep: number[] = [];
  for (let i = 0; i < events.length; i++) if (shardOfAsset(events.asset[i]!, shard.count) === shard.index) keep.push(i);
  return {
    length: keep.length,
    time: Float64Array.from(keep, (i) => events.time[i]!),
    asset: Int32Array.from(keep, (i) => events.asset[i]!),
    kind: Uint8Array.from(keep, (i) => events.kind[i]!),
  };
}

/**
 * Each shard's request rate (its objects' seed rates and release peak rates, req/s): what its run costs,
 * to start the heaviest shards first. Shards differ (a few assets draw much of the traffic).
 */
export function shardRequestRates(objects: SampledObjects, count: number): Float64Array {
  const rates = new Float64Array(count);
  const add = (o: number, rate: number) => { const i = shardOfAsset(objects.objectAsset[o]!, count); rates[i] = rates[i]! + rate; };
  for (let o = 0; o < objects.count; o++) add(o, objects.objectRate[o]!);
  for (const r of objects.releaseObjects) r.objects.forEach((o, i) => add(o, r.rates[i]!));
  return rates;
}

/** The shards, heaviest first (ties by index): the order that ends n parallel lanes closest together. */
export function heaviestFirst(rates: Float64Array): number[] {
  return Array.from(rates.keys()).sort((a, b) => rates[b]! - rates[a]! || a - b);
}

type Json = Record<string, unknown>;

/** EngineStats as plain JSON (typed arrays as number arrays). */
export function statsToJson(s: EngineStats): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    out[k] = v instanceof Float64Array ? Array.from(v) : v;
  }
  return out;
}

/** EngineStats from `statsToJson`'s output. @throws InputError naming the field that does not fit. */
export function statsFromJson(j: Json, where: string): EngineStats {
  const s = new EngineStats(Number(j.bucketSeconds), Number(j.measuredSeconds));
  const target = s as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(target)) {
    const src = j[k];
    if (v instanceof Float64Array) {
      if (!Array.isArray(src) || src.length !== v.length) throw new InputError(`${where}: stats.${k} must be an array of ${v.length} numbers; write the part again with the same version of npm run sim.`);
      v.set(src as number[]);
    } else if (typeof v === 'number') {
      if (typeof src !== 'number') throw new InputError(`${where}: stats.${k} must be a number.`);
      target[k] = src;
    } else if (typeof v === 'object' && v !== null) {
      Object.assign(v, src);
    }
  }
  return s;
}

/** The sum of the shards' statistics. @throws InputError when their measured windows differ. */
export function mergeStats(parts: readonly EngineStats[]): EngineStats {
  const first = parts[0]!;
  const total = new EngineStats(first.bucketSeconds, first.measuredSeconds);
  const t = total as unknown as Record<string, unknown>;
  for (const p of parts) {
    if (p.bucketSeconds !== first.bucketSeconds || p.measuredSeconds !== first.measuredSeconds) throw new InputError('the parts measure different windows; run every shard with the same --hours and --warmup-hours.');
    for (const [k, v] of Object.entries(p as unknown as Record<string, unknown>)) {
      if (k === 'bucketSeconds' || k === 'measuredSeconds') continue;
      const cur = t[k];
      if (v instanceof Float64Array) {
        const acc = cur as Float64Array;
        for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + v[i]!;
      } else if (typeof v === 'number') t[k] = (cur as number) + v;
      else if (typeof v === 'object' && v !== null) {
        const acc = cur as Record<string, number>;
        for (const [kk, vv] of Object.entries(v as Record<string, number>)) acc[kk] = (acc[kk] ?? 0) + vv;
      }
    }
  }
  return total;
}
