/**
 * Request arrivals and object changes over time, deterministic for a seed:
 * - the diurnal curve: each region's traffic is a constant floor plus a von Mises bump peaking at
 *   local 21:00, with a concentration solved so that the global peak is `peakToAverage` × the daily mean;
 * - arrivals: a Poisson process whose rate follows the curve minute by minute (exponential gaps,
 *   so times come out sorted); each request picks a viewer country (by share × its region's curve),
 *   one of the country's edges, an object (Vose alias, by request rate — the independent reference
 *   model) and an Accept-Encoding class;
 * - releases (./releases.ts): each release's sessions follow its popularity shape from its release
 *   time on (a Poisson process per release, rate fixed per minute), with the same daily curve, viewers,
 *   edges and Accept-Encoding mix; they are merged into the seed requests in time order;
 * - changes: at every update interval of a type (from the catalog), each asset changes with the
 *   profile's probability; an invalidation of its paths follows after `invalidationDelaySeconds`.
 */
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { AliasTable } from '../alias';
import { DEFAULT_RELEASE_PROFILE, REGIONS } from '../profile';
import { hashUnit, Rng } from '../rng';
import { shardOfAsset, type Shard } from './shard-of';
import { MAX_AE_CLASSES, type Workload } from './build';
import { releaseShape } from './releases';

export interface RequestLog {
  readonly length: number;
  /** Seconds since 00:00 UTC of the measured day (negative during warm-up). */
  readonly time: Float64Array;
  readonly key: Int32Array;
  /** Viewer (country) index into Topology.viewers. */
  readonly viewer: Uint8Array;
  /** Edge index into Topology.edges. */
  readonly edge: Uint8Array;
}

export const EVENT_UPDATE = 0;
export const EVENT_INVALIDATE = 1;

export interface EventLog {
  readonly length: number;
  readonly time: Float64Array;
  readonly asset: Int32Array;
  /** EVENT_UPDATE or EVENT_INVALIDATE. */
  readonly kind: Uint8Array;
}

/** Modified Bessel function I0 (series), the von Mises normalizer. */
function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 60; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-16 * sum) break;
  }
  return sum;
}

export interface Diurnal {
  readonly kappa: number;
  /** Traffic multiplier of a region at time t (mean 1 over a day). */
  multiplier(region: number, tSec: number): number;
  /** Global multiplier (region shares × curves), mean 1 over a day. */
  global(tSec: number): number;
}

/** The diurnal curve for the workload's regions, solved for the profile's peak-to-average ratio. */
export function diurnalCurve(w: Workload): Diurnal {
  const shares = new Float64Array(REGIONS.length);
  for (const v of w.topology.viewers) shares[REGIONS.indexOf(v.region)] = shares[REGIONS.indexOf(v.region)]! + v.share;
  const peaks = REGIONS.map((r) => w.profile.regions[r].peakHourUtc);
  const floor = Math.min(0.9, Math.max(0, w.profile.diurnalFloor));
  const make = (kappa: number): Diurnal => {
    const norm = besselI0(kappa);
    const multiplier = (region: number, tSec: number) => floor + ((1 - floor) * Math.exp(kappa * Math.cos((2 * Math.PI * (tSec / 3600 - peaks[region]!)) / 24))) / norm;
    const global = (tSec: number) => {
      let s = 0;
      for (let r = 0; r < REGIONS.length; r++) s += shares[r]! * multiplier(r, tSec);
      return s;
    };
    return { kappa, multiplier, global };
  };
  const peakOf = (d: Diurnal) => {
    let m = 0;
    for (let i = 0; i < 1440; i++) m = Math.max(m, d.global(i * 60));
    return m;
  };
  const target = w.profile.peakToAverage;
  if (!(target >= 1)) return make(0);
  let lo = 0, hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (peakOf(make(mid)) < target) lo = mid;
    else hi = mid;
  }
  return make((lo + hi) / 2);
}

/**
 * Where requests come from, shared by the seed and the release generators: each viewer population's
 * weight at a time of day (its share × its region's daily curve) and its edge locations.
 */
class ViewerMix {
  private readonly diurnal: ReturnType<typeof diurnalCurve>;
  private readonly shares: Float64Array;
  private readonly region: Int32Array;
  private readonly edges: readonly Int32Array[];
  private readonly cumulative: Float64Array;

  constructor(w: Workload) {
    const viewers = w.topology.viewers;
    this.diurnal = diurnalCurve(w);
    this.shares = Float64Array.from(viewers, (v) => v.share);
    this.region = Int32Array.from(viewers.map((v) => REGIONS.indexOf(v.region)));
    this.edges = viewers.map((v) => Int32Array.from(v.edges));
    this.cumulative = new Float64Array(viewers.length);
  }

  /** The viewers' total weight at `sec`; remembers the running sums for `viewerAt`. */
  weigh(sec: number): number {
    let total = 0;
    for (let v = 0; v < this.shares.length; v++) {
      total += this.shares[v]! * this.diurnal.multiplier(this.region[v]!, sec);
      this.cumulative[v] = total;
    }
    return total;
  }

  /** The viewer population at `u` in [0, total) of the last `weigh`. */
  viewerAt(u: number): number {
    // the first population whose running sum exceeds u (the last one for rounding leftovers): a
    // binary search over the non-decreasing sums
    const c = this.cumulative;
    let lo = 0, hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! <= u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** One of the viewer population's edge locations (drawn only when it has several). */
  edgeOf(v: number, rng: Rng): number {
    const edges = this.edges[v]!;
    return edges.length === 1 ? edges[0]! : edges[rng.int(edges.length)]!;
  }
}

/** Width of the Poisson process's constant-rate steps, seconds (the daily curve is sampled at their middle). */
const BUCKET = 60;

/** Growable request arrays, reused from batch to batch (no allocation per request). */
class RequestBuffer {
  time = new Float64Array(1024);
  key = new Int32Array(1024);
  viewer = new Uint8Array(1024);
  edge = new Uint8Array(1024);
  length = 0;

  /** Room for one more request. */
  reserve(): void {
    if (this.length < this.time.length) return;
    const cap = Math.ceil(this.time.length * 1.5);
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (m: number) => T): T => { const x = make(cap); x.set(a); return x; };
    this.time = grow(this.time, (m) => new Float64Array(m)); this.key = grow(this.key, (m) => new Int32Array(m));
    this.viewer = grow(this.viewer, (m) => new Uint8Array(m)); this.edge = grow(this.edge, (m) => new Uint8Array(m));
  }

  /** The filled part as a RequestLog (views: valid until the buffer is refilled). */
  view(): RequestLog {
    const n = this.length;
    return { length: n, time: this.time.subarray(0, n), key: this.key.subarray(0, n), viewer: this.viewer.subarray(0, n), edge: this.edge.subarray(0, n) };
  }
}

/**
 * One Poisson arrival process over a set of objects, resumable: `fill(until)` appends its requests
 * before `until` and keeps the first later one (already drawn) for the next call, so cutting the day
 * into batches draws exactly the same numbers in the same order as one pass. The rate is fixed per
 * BUCKET-second step from `start`: `rateAt(mid)` × the viewers' weight at the step's middle.
 */
class ArrivalProcess {
  private readonly mix: ViewerMix;
  private readonly objects: AliasTable;
  /** The keys of alias entry i: keys[i * MAX_AE_CLASSES + Accept-Encoding class] (the workload's objectKeys when entries are objects). */
  private readonly keys: Int32Array;
  private readonly ae: AliasTable;
  private b0: number;
  private b1 = 0;
  private t: number;
  private total = 0;
  private rate = 0;
  private inStep = false;
  private pending = false;
  private pTime = 0; private pKey = 0; private pViewer = 0; private pEdge = 0;

  /**
   * `objectIds[i]`: the object of alias entry i (`rates[i]` its rate; identity when undefined).
   * `onStep(secondsDone)` is called after each step.
   */
  constructor(
    w: Workload,
    rates: ArrayLike<number>,
    objectIds: Int32Array | undefined,
    private readonly rateAt: (midSec: number) => number,
    start: number,
    private readonly toSec: number,
    private readonly rng: Rng,
    private readonly onStep?: (stepEndSec: number) => void,
  ) {
    this.mix = new ViewerMix(w);
    this.objects = new AliasTable(rates);
    // a compact copy for a subset of the objects (a shard's): one random read per request, in a smaller table
    this.keys = objectIds === undefined ? w.objectKeys : keysOf(w.objectKeys, objectIds);
    this.ae = new AliasTable(w.profile.acceptEncodings.slice(0, MAX_AE_CLASSES).map((a) => a.share));
    this.b0 = start;
    this.t = start;
  }

  /** Appends the requests with time < until to `out`, in time order. */
  fill(until: number, out: RequestBuffer): void {
    const { rng, mix, objects, ae, keys } = this;
    if (this.pending) {
      if (this.pTime >= until) return;
      out.reserve();
      const n = out.length++;
      out.time[n] = this.pTime; out.key[n] = this.pKey; out.viewer[n] = this.pViewer; out.edge[n] = this.pEdge;
      this.pending = false;
    }
    let t = this.t;
    for (;;) {
      if (!this.inStep) {
        if (!(this.b0 < this.toSec)) break;
        this.b1 = Math.min(this.toSec, this.b0 + BUCKET);
        const mid = (this.b0 + this.b1) / 2;
        this.total = mix.weigh(mid);
        this.rate = this.rateAt(mid) * this.total;
        if (!(this.rate > 0)) { t = this.b1; this.endStep(); continue; }
        this.inStep = true;
      }
      t += rng.exp() / this.rate;
      if (t >= this.b1) { t = this.b1; this.endStep(); continue; }
      const v = mix.viewerAt(rng.next() * this.total);
      const s = objects.sample(rng);
      const e = mix.edgeOf(v, rng);
      const k = keys[s * MAX_AE_CLASSES + ae.sample(rng)]!;
      if (t >= until) {
        this.pending = true;
        this.pTime = t; this.pKey = k; this.pViewer = v; this.pEdge = e;
        break;
      }
      out.reserve();
      const n = out.length++;
      out.time[n] = t; out.key[n] = k; out.viewer[n] = v; out.edge[n] = e;
    }
    this.t = t;
  }

  private endStep(): void {
    this.inStep = false;
    const end = this.b1;
    this.b0 += BUCKET;
    this.onStep?.(end);
  }
}

/** The keys of the given objects, in their order (objectKeys' layout). */
function keysOf(objectKeys: Int32Array, objectIds: Int32Array): Int32Array {
  const out = new Int32Array(objectIds.length * MAX_AE_CLASSES);
  for (let i = 0; i < objectIds.length; i++) out.set(objectKeys.subarray(objectIds[i]! * MAX_AE_CLASSES, (objectIds[i]! + 1) * MAX_AE_CLASSES), i * MAX_AE_CLASSES);
  return out;
}

/** A stream of requests in time order, one batch at a time. */
export interface RequestBatches {
  /** The next batch (views into reused arrays: valid until the next call), undefined after the last. */
  next(): RequestLog | undefined;
  /** Requests handed out so far. */
  readonly done: number;
}

/** Simulated seconds per batch of a request stream. */
export const STREAM_BATCH_SECONDS = 600;

/** The objects of one shard (assets hashed by shardOfAsset), or every object. */
function shardObjects(w: Workload, ids: ArrayLike<number>, shard?: Shard): Int32Array | undefined {
  if (shard === undefined || shard.count === 1) return undefined;
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const o = ids[i]!;
    if (shardOfAsset(w.objectAsset[o]!, shard.count) === shard.index) out.push(o);
  }
  return Int32Array.from(out);
}

/** The random stream of a generator: the unsharded one's, else one per shard. */
function streamRng(seed: number, stream: number, shard?: Shard): Rng {
  return shard === undefined || shard.count === 1 ? new Rng(seed, stream) : new Rng(seed ^ Math.imul(shard.index + 1, 0x27d4eb2d), stream + 7919 * shard.count);
}

/**
 * The requests of [fromSec, toSec) as a stream of batches of `batchSeconds` simulated seconds: the seed
 * traffic and the releases' (a first on equal times, releases in manifest order), generated as they are
 * consumed, so memory does not grow with the number of requests. The batches together are exactly
 * `generateRequests`' log. With `shard` (count > 1), only that shard's objects are requested
 * (same rates; a random stream of its own, deterministic for a seed and shard count).
 */
export function requestStream(w: Workload, fromSec: number, toSec: number, seed: number, opts: { shard?: Shard; batchSeconds?: number; onProgress?: (secondsDone: number) => void } = {}): RequestBatches {
  const { shard, onProgress } = opts;
  if (w.shard !== undefined && (shard === undefined || shard.index !== w.shard.index || shard.count !== w.shard.count)) {
    throw new RangeError(`the workload holds the keys of shard ${w.shard.index}/${w.shard.count} only; stream that shard's requests.`);
  }
  const batchSeconds = opts.batchSeconds ?? STREAM_BATCH_SECONDS;
  const processes: ArrivalProcess[] = [];
  const own = shardObjects(w, Int32Array.from({ length: w.objects }, (_, o) => o), shard);
  const seedRates = own === undefined ? w.objectRate : Float64Array.from(own, (o) => w.objectRate[o]!);
  let baseRate = 0;
  for (let o = 0; o < seedRates.length; o++) baseRate += seedRates[o]!;
  const progress = onProgress ? (end: number) => { if ((end - fromSec) % 3600 === 0) onProgress(end - fromSec); } : undefined;
  if (seedRates.length > 0 && baseRate > 0) processes.push(new ArrivalProcess(w, seedRates, own, () => baseRate, fromSec, toSec, streamRng(seed, 11, shard), progress));
  const rp = w.profile.releases ?? DEFAULT_RELEASE_PROFILE;
  w.releases.forEach((rel, ri) => {
    if (rel.objects.length === 0) return;
    const mine = shardObjects(w, rel.objects, shard);
    const ids = mine ?? rel.objects;
    const byObject = new Map<number, number>();
    rel.objects.forEach((o, i) => byObject.set(o, rel.peakRate[i]!));
    const rates = mine === undefined ? rel.peakRate : Float64Array.from(mine, (o) => byObject.get(o)!);
    let peak = 0;
    for (let i = 0; i < rates.length; i++) peak += rates[i]!;
    if (ids.length === 0 || !(peak > 0)) return;
    processes.push(new ArrivalProcess(w, rates, ids, (mid) => peak * releaseShape(rp, mid - rel.at), Math.max(fromSec, rel.at), toSec, streamRng(seed, 1000 + ri, shard)));
  });
  const parts = processes.map(() => new RequestBuffer());
  const merged = [new RequestBuffer(), new RequestBuffer()];
  let from = fromSec;
  let done = 0;
  return {
    get done() { return done; },
    next(): RequestLog | undefined {
      if (!(from < toSec)) return undefined;
      const until = Math.min(toSec, from + batchSeconds);
      // the last batch also takes what the processes draw up to toSec itself (none: steps end there)
      const limit = until >= toSec ? Infinity : until;
      processes.forEach((p, i) => { parts[i]!.length = 0; p.fill(limit, parts[i]!); });
      from = until;
      let out = parts[0] ?? merged[0]!;
      if (processes.length === 0) merged[0]!.length = 0;
      for (let i = 1; i < parts.length; i++) {
        const target = merged[i & 1]!;
        mergeInto(out, parts[i]!, target);
        out = target;
      }
      done += out.length;
      return out.view();
    },
  };
}

/** a and b (time-sorted) into `out`, a first on equal times. */
function mergeInto(a: RequestBuffer, b: RequestBuffer, out: RequestBuffer): void {
  out.length = 0;
  let i = 0, j = 0;
  const n = a.length + b.length;
  for (let k = 0; k < n; k++) {
    const fromA = j >= b.length || (i < a.length && a.time[i]! <= b.time[j]!);
    const src = fromA ? a : b;
    const x = fromA ? i++ : j++;
    out.reserve();
    out.time[k] = src.time[x]!; out.key[k] = src.key[x]!; out.viewer[k] = src.viewer[x]!; out.edge[k] = src.edge[x]!;
    out.length = k + 1;
  }
}

/**
 * Generates the requests of [fromSec, toSec) as one log (16 bytes a request: for runs that replay the
 * same requests several times, or write them out). `onProgress` receives the simulated seconds done.
 */
export function generateRequests(w: Workload, fromSec: number, toSec: number, seed: number, onProgress?: (secondsDone: number) => void): RequestLog {
  const stream = requestStream(w, fromSec, toSec, seed, { batchSeconds: Math.max(1, toSec - fromSec), ...(onProgress ? { onProgress } : {}) });
  const all = stream.next() ?? { length: 0, time: new Float64Array(0), key: new Int32Array(0), viewer: new Uint8Array(0), edge: new Uint8Array(0) };
  // one batch: copy out of the reused buffers, trimmed
  return { length: all.length, time: all.time.slice(), key: all.key.slice(), viewer: all.viewer.slice(), edge: all.edge.slice() };
}

/**
 * Update and invalidation events of [fromSec, toSec), sorted by time: of the shard's assets only for a
 * workload built for one shard (each asset's events are its own draws, so these are exactly the
 * whole workload's events of those assets).
 */
export function generateEvents(w: Workload, fromSec: number, toSec: number, seed: number): EventLog {
  const times: number[] = [];
  const assets: number[] = [];
  const kinds: number[] = [];
  const delay = w.profile.invalidationDelaySeconds;
  const shard = w.shard;
  for (let a = 0; a < w.assets; a++) {
    if (shard !== undefined && shardOfAsset(a, shard.count) !== shard.index) continue;
    const typeName = CONTENT_TYPE_NAMES[w.assetType[a]!]!;
    const upd = w.profile.updates[typeName];
    if (upd.changedShare <= 0) continue;
    const interval = w.model.catalog.type(typeName).updateIntervalSeconds;
    const offset = hashUnit(seed, 601, w.assetType[a]) * interval;
    const hasTargets = w.invalidStart[a + 1]! > w.invalidStart[a]!;
    for (let k = Math.ceil((fromSec - offset) / interval); k * interval + offset < toSec; k++) {
      if (hashUnit(seed ^ 0x5bd1e995, a, k) >= upd.changedShare) continue;
      const at = k * interval + offset;
      times.push(at); assets.push(a); kinds.push(EVENT_UPDATE);
      if (upd.invalidate && hasTargets && at + delay < toSec) { times.push(at + delay); assets.push(a); kinds.push(EVENT_INVALIDATE); }
    }
  }
  const order = times.map((_, i) => i).sort((x, y) => times[x]! - times[y]! || kinds[x]! - kinds[y]! || assets[x]! - assets[y]!);
  return {
    length: order.length,
    time: Float64Array.from(order, (i) => times[i]!),
    asset: Int32Array.from(order, (i) => assets[i]!),
    kind: Uint8Array.from(order, (i) => kinds[i]!),
  };
}

/**
 * Invalidation paths a month at full scale (spec §8.5 bills them): per family, assets × share changed
 * per interval × intervals per month × items per change, for types that invalidate.
 */
export function invalidationPathsPerMonth(w: Workload, secondsPerMonth: number): number {
  let paths = 0;
  for (const f of w.families) {
    const upd = w.profile.updates[f.type];
    if (!upd.invalidate || f.itemsPerUpdate === 0) continue;
    const interval = w.model.catalog.type(f.type).updateIntervalSeconds;
    paths += f.assets * upd.changedShare * (secondsPerMonth / interval) * f.itemsPerUpdate;
  }
  return paths;
}
