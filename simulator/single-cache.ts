/**
 * Single-cache mode, for comparison with other simulators (libCacheSim's cachesim): one cache, one
 * policy, a trace; miss ratio and byte miss ratio. No TTLs, no tiers.
 */
import { InputError, show } from '../lib/errors';
import { createCache, type Cache, type PolicyName } from './caches';
import type { RequestSink, Trace } from './trace/trace';

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

/**
 * Distinct objects and their bytes (the size at first appearance), counted as requests go by: one
 * byte per object seen, nothing per request.
 */
export class WorkingSetCounter implements RequestSink {
  private seen = new Uint8Array(1 << 16);
  objects = 0;
  bytes = 0;

  request(_time: number, id: number, size: number): void {
    if (id >= this.seen.length) this.grow(id);
    if (this.seen[id] === 0) {
      this.seen[id] = 1;
      this.objects++;
      this.bytes += size;
    }
  }

  private grow(id: number): void {
    let n = this.seen.length * 2;
    while (n <= id) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.seen);
    this.seen = next;
  }
}

/** Distinct objects of a trace and their bytes (the size at first appearance). */
export function workingSet(trace: Trace): { objects: number; bytes: number } {
  const ws = new WorkingSetCounter();
  for (let i = 0; i < trace.length; i++) ws.request(0, trace.id[i]!, trace.size[i]!);
  return { objects: ws.objects, bytes: ws.bytes };
}

/** Capacity (objects or bytes) of a size; a share of the working set needs the working set. */
function capacityOf(size: CacheSize, ignoreSize: boolean, ws?: { objects: number; bytes: number }): { capacity: number; unit: 'objects' | 'bytes' } {
  if (size.kind === 'objects') return { capacity: size.value, unit: 'objects' };
  if (size.kind === 'bytes') return { capacity: size.value, unit: ignoreSize ? 'objects' : 'bytes' };
  if (ws === undefined) throw new Error('a share of the working set needs the working set');
  return ignoreSize
    ? { capacity: Math.max(1, Math.floor(ws.objects * size.value)), unit: 'objects' }
    : { capacity: Math.max(1, Math.floor(ws.bytes * size.value)), unit: 'bytes' };
}

/** Capacity (objects or bytes) of a size for a trace. */
export function resolveCapacity(trace: Trace, size: CacheSize, ignoreSize: boolean): { capacity: number; unit: 'objects' | 'bytes' } {
  return capacityOf(size, ignoreSize, size.kind === 'fraction' ? workingSet(trace) : undefined);
}

/**
 * One cache replaying requests as they come (a RequestSink): the hot path of single-cache mode. Per
 * request: one cache access and a few additions; nothing allocated.
 */
export class SingleCacheRun implements RequestSink {
  private readonly cache: Cache;
  private readonly ws = new WorkingSetCounter();
  private readonly countObjects: boolean;
  requests = 0;
  misses = 0;
  bytes = 0;
  missBytes = 0;

  constructor(readonly policy: PolicyName, readonly capacity: number, unit: 'objects' | 'bytes', private readonly ignoreSize: boolean, expectedObjects = 1 << 16) {
    this.countObjects = unit === 'objects' || ignoreSize;
    // Object ids are dense (0 … objects − 1, as the readers number them): the cache indexes its slots
    // by id in an array, one entry per object, instead of hashing.
    this.cache = createCache(policy, capacity, this.countObjects ? Math.min(capacity, expectedObjects) : expectedObjects, { denseKeys: expectedObjects });
  }

  request(_time: number, id: number, size: number): void {
    const sz = this.ignoreSize ? 1 : size;
    this.requests++;
    this.bytes += sz;
    this.ws.request(0, id, size);
    if (!this.cache.access(id, this.countObjects ? 1 : sz)) {
      this.misses++;
      this.missBytes += sz;
    }
  }

  /** A block of requests (the oracleGeneral reader's path): the same as `request` on each, in one loop. */
  requestBlock(_time: Float64Array, id: Int32Array, size: Float64Array, n: number): void {
    const cache = this.cache, ws = this.ws;
    const ignoreSize = this.ignoreSize, countObjects = this.countObjects;
    let bytes = 0, misses = 0, missBytes = 0;
    for (let i = 0; i < n; i++) {
      const k = id[i]!;
      const sz = ignoreSize ? 1 : size[i]!;
      bytes += sz;
      ws.request(0, k, size[i]!);
      if (!cache.access(k, countObjects ? 1 : sz)) {
        misses++;
        missBytes += sz;
      }
    }
    this.requests += n;
    this.bytes += bytes;
    this.misses += misses;
    this.missBytes += missBytes;
  }

  result(): SingleCacheResult {
    const n = this.requests;
    return {
      policy: this.policy, capacity: this.capacity, capacityUnit: this.countObjects ? 'objects' : 'bytes', requests: n, misses: this.misses,
      missRatio: n > 0 ? this.misses / n : 0, bytes: this.bytes, missBytes: this.missBytes, byteMissRatio: this.bytes > 0 ? this.missBytes / this.bytes : 0,
      workingSetObjects: this.ws.objects, workingSetBytes: this.ignoreSize ? this.ws.objects : this.ws.bytes, evictions: this.cache.evictions,
    };
  }
}

const EMPTY_TRACE = 'the trace has no readable requests; check --trace and --format.';

/** Replays a trace through one cache. Objects count 1 each when the capacity is in objects. */
export function runSingleCache(trace: Trace, opts: SingleCacheOptions): SingleCacheResult {
  if (trace.length === 0) throw new InputError(EMPTY_TRACE);
  const ignoreSize = opts.ignoreSize ?? false;
  const { capacity, unit } = resolveCapacity(trace, opts.size, ignoreSize);
  const run = new SingleCacheRun(opts.policy, capacity, unit, ignoreSize, Math.max(16, trace.objects));
  const { id, size, time } = trace;
  for (let i = 0; i < trace.length; i++) run.request(time[i]!, id[i]!, size[i]!);
  return run.result();
}

/** Sends a trace's requests to a sink, from the start; callable more than once. */
export type Replay = (sink: RequestSink) => Promise<unknown>;

/**
 * Replays a streamed trace through one cache. A share of the working set as the size needs the
 * working set first: the trace is then read twice (as libCacheSim does), once to count, once to run.
 */
export async function runSingleCacheStream(replay: Replay, opts: SingleCacheOptions): Promise<SingleCacheResult> {
  const ignoreSize = opts.ignoreSize ?? false;
  let ws: WorkingSetCounter | undefined;
  if (opts.size.kind === 'fraction') {
    ws = new WorkingSetCounter();
    await replay(ws);
    if (ws.objects === 0) throw new InputError(EMPTY_TRACE);
  }
  const { capacity, unit } = capacityOf(opts.size, ignoreSize, ws);
  const run = new SingleCacheRun(opts.policy, capacity, unit, ignoreSize, ws ? Math.max(16, ws.objects) : undefined);
  await replay(run);
  if (run.requests === 0) throw new InputError(EMPTY_TRACE);
  return run.result();
}

/**
 * A plain Map-based LRU (JavaScript Maps iterate in insertion order: delete + set moves a key to the
 * most recent end; the oldest key is the next one a live iterator yields). An independent
 * implementation to check the typed-array LRU against, and the bench's naive baseline. Counts objects
 * (every size is 1). The eviction iterator is kept across evictions: a fresh `keys()` per eviction
 * rescans the deleted slots at the front of V8's table and becomes quadratic.
 */
export function naiveLruMisses(ids: ArrayLike<number>, length: number, capacity: number): number {
  const lru = new MapLru(capacity);
  for (let i = 0; i < length; i++) lru.request(0, ids[i]!, 1);
  return lru.misses;
}

/** The Map-based LRU as a RequestSink (sizes ignored: it counts objects), for --verify on a stream. */
export class MapLru implements RequestSink {
  private readonly m = new Map<number, true>();
  private oldest = this.m.keys();
  misses = 0;

  constructor(private readonly capacity: number) {}

  request(_time: number, k: number, _size?: number): void {
    const m = this.m;
    if (m.has(k)) {
      m.delete(k);
      m.set(k, true);
      return;
    }
    this.misses++;
    if (m.size >= this.capacity) {
      let next = this.oldest.next();
      if (next.done) { this.oldest = m.keys(); next = this.oldest.next(); }
      m.delete(next.value as number);
    }
    m.set(k, true);
  }
}
