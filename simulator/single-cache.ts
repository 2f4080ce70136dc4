/**
 * Single-cache mode, for comparison with other simulators (libCacheSim's cachesim): one cache, one
 * policy, a trace; miss ratio and byte miss ratio. No TTLs, no tiers.
 */
import { InputError, show } from '../lib/errors';
import { createCache, type PolicyName } from './caches';
import type { Trace } from './trace/trace';

/** A cache size: a number of objects, bytes, or a share of the trace's working set. */
export type CacheSize =
  | { readonly kind: 'objects'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: number }
  | { readonly kind: 'fraction'; readonly value: number };

const UNITS: Readonly<Record<string, number>> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/**
 * Parses `--cache-size`: `1000` (objects), `64MiB` / `10GB` / `512B` (bytes), `1%` (of the working
 * set: its objects with --ignore-size, else its bytes).
 * @throws InputError naming the value and the accepted forms.
 */
export function parseCacheSize(text: string, flag = '--cache-size'): CacheSize {
  const s = text.trim();
  const fix = `use a number of objects (1000), bytes with a unit (64MiB, 10GB, 512B) or a share of the working set (1%)`;
  let m = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (m) {
    const v = Number(m[1]) / 100;
    if (!(v > 0 && v <= 1)) throw new InputError(`${flag} ${show(text)} must be a share above 0 % and at most 100 %; ${fix}.`);
    return { kind: 'fraction', value: v };
  }
  m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/.exec(s);
  if (m) {
    const unit = UNITS[m[2]!.toLowerCase()];
    if (unit === undefined) throw new InputError(`${flag} ${show(text)} has an unknown unit '${m[2]}'; units are B, KB, MB, GB, TB, KiB, MiB, GiB, TiB.`);
    const v = Math.floor(Number(m[1]) * unit);
    if (v < 1) throw new InputError(`${flag} ${show(text)} is less than one byte; ${fix}.`);
    return { kind: 'bytes', value: v };
  }
  if (/^\d+$/.test(s) && Number(s) >= 1 && Number.isSafeInteger(Number(s))) return { kind: 'objects', value: Number(s) };
  throw new InputError(`${flag} ${show(text)} is not a cache size; ${fix}.`);
}

export interface SingleCacheOptions {
  readonly policy: PolicyName;
  readonly size: CacheSize;
  /** Treat every object as 1 byte (libCacheSim's --ignore-obj-size). */
  readonly ignoreSize?: boolean;
}

export interface SingleCacheResult {
  readonly policy: PolicyName;
  /** Capacity used, in `capacityUnit`. */
  readonly capacity: number;
  readonly capacityUnit: 'objects' | 'bytes';
  readonly requests: number;
  readonly misses: number;
  readonly missRatio: number;
  readonly bytes: number;
  readonly missBytes: number;
  readonly byteMissRatio: number;
  /** Distinct objects and their bytes (first size seen). */
  readonly workingSetObjects: number;
  readonly workingSetBytes: number;
  readonly evictions: number;
}

/** Distinct objects of a trace and their bytes (the size at first appearance). */
export function workingSet(trace: Trace): { objects: number; bytes: number } {
  const seen = new Uint8Array(trace.objects);
  let bytes = 0;
  for (let i = 0; i < trace.length; i++) {
    const id = trace.id[i]!;
    if (seen[id] === 0) { seen[id] = 1; bytes += trace.size[i]!; }
  }
  return { objects: trace.objects, bytes };
}

/** Capacity (objects or bytes) of a size for a trace. */
export function resolveCapacity(trace: Trace, size: CacheSize, ignoreSize: boolean): { capacity: number; unit: 'objects' | 'bytes' } {
  if (size.kind === 'objects') return { capacity: size.value, unit: 'objects' };
  if (size.kind === 'bytes') return { capacity: size.value, unit: ignoreSize ? 'objects' : 'bytes' };
  const ws = workingSet(trace);
  return ignoreSize
    ? { capacity: Math.max(1, Math.floor(ws.objects * size.value)), unit: 'objects' }
    : { capacity: Math.max(1, Math.floor(ws.bytes * size.value)), unit: 'bytes' };
}

/** Replays a trace through one cache. Objects count 1 each when the capacity is in objects. */
export function runSingleCache(trace: Trace, opts: SingleCacheOptions): SingleCacheResult {
  if (trace.length === 0) throw new InputError('the trace has no readable requests; check --trace and --format.');
  const ignoreSize = opts.ignoreSize ?? false;
  const { capacity, unit } = resolveCapacity(trace, opts.size, ignoreSize);
  const countObjects = unit === 'objects' || ignoreSize;
  const cache = createCache(opts.policy, capacity, Math.min(trace.objects, countObjects ? capacity : trace.objects));
  const { id, size } = trace;
  const n = trace.length;
  let misses = 0, bytes = 0, missBytes = 0;
  for (let i = 0; i < n; i++) {
    const sz = ignoreSize ? 1 : size[i]!;
    bytes += sz;
    if (!cache.access(id[i]!, countObjects ? 1 : sz)) { misses++; missBytes += sz; }
  }
  const ws = workingSet(trace);
  return {
    policy: opts.policy, capacity, capacityUnit: countObjects ? 'objects' : 'bytes', requests: n, misses, missRatio: misses / n,
    bytes, missBytes, byteMissRatio: bytes > 0 ? missBytes / bytes : 0, workingSetObjects: ws.objects,
    workingSetBytes: ignoreSize ? ws.objects : ws.bytes, evictions: cache.evictions,
  };
}

/**
 * A plain Map-based LRU (JavaScript Maps iterate in insertion order: delete + set moves a key to the
 * most recent end; the oldest key is the next one a live iterator yields). An independent
 * implementation to check the typed-array LRU against, and the bench's naive baseline. Counts objects
 * (every size is 1). The eviction iterator is kept across evictions: a fresh `keys()` per eviction
 * rescans the deleted slots at the front of V8's table and becomes quadratic.
 */
export function naiveLruMisses(ids: ArrayLike<number>, length: number, capacity: number): number {
  const m = new Map<number, true>();
  let oldest = m.keys();
  let misses = 0;
  for (let i = 0; i < length; i++) {
    const k = ids[i]!;
    if (m.has(k)) {
      m.delete(k);
      m.set(k, true);
      continue;
    }
    misses++;
    if (m.size >= capacity) {
      let next = oldest.next();
      if (next.done) { oldest = m.keys(); next = oldest.next(); }
      m.delete(next.value as number);
    }
    m.set(k, true);
  }
  return misses;
}
