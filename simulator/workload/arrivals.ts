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
    const last = this.cumulative.length - 1;
    let v = 0;
    while (v < last && this.cumulative[v]! <= u) v++;
    return v;
  }

  /** One of the viewer population's edge locations (drawn only when it has several). */
  edgeOf(v: number, rng: Rng): number {
    const edges = this.edges[v]!;
    return edges.length === 1 ? edges[0]! : edges[rng.int(edges.length)]!;
  }
}

/**
 * Generates the requests of [fromSec, toSec). `onProgress` receives the simulated seconds done.
 * Allocates the typed arrays once (grown if the Poisson draw runs over the estimate).
 */
export function generateRequests(w: Workload, fromSec: number, toSec: number, seed: number, onProgress?: (secondsDone: number) => void): RequestLog {
  const rng = new Rng(seed, 11);
  const mix = new ViewerMix(w);
  const objects = new AliasTable(w.objectRate);
  let baseRate = 0;
  for (let o = 0; o < w.objects; o++) baseRate += w.objectRate[o]!;
  const aeShares = w.profile.acceptEncodings.slice(0, MAX_AE_CLASSES).map((a) => a.share);
  const ae = new AliasTable(aeShares);

  let cap = Math.ceil(baseRate * (toSec - fromSec) * 1.05) + 1024;
  let time = new Float64Array(cap), key = new Int32Array(cap), viewer = new Uint8Array(cap), edge = new Uint8Array(cap);
  let n = 0;
  const BUCKET = 60;
  let t = fromSec;
  for (let b0 = fromSec; b0 < toSec; b0 += BUCKET) {
    const b1 = Math.min(toSec, b0 + BUCKET);
    const total = mix.weigh((b0 + b1) / 2);
    const rate = baseRate * total;
    if (rate <= 0) { t = b1; continue; }
    for (;;) {
      t += rng.exp() / rate;
      if (t >= b1) { t = b1; break; }
      if (n === cap) {
        cap = Math.ceil(cap * 1.5);
        const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (m: number) => T): T => { const x = make(cap); x.set(a); return x; };
        time = grow(time, (m) => new Float64Array(m)); key = grow(key, (m) => new Int32Array(m));
        viewer = grow(viewer, (m) => new Uint8Array(m)); edge = grow(edge, (m) => new Uint8Array(m));
      }
      const v = mix.viewerAt(rng.next() * total);
      const o = objects.sample(rng);
      time[n] = t;
      viewer[n] = v;
      edge[n] = mix.edgeOf(v, rng);
      key[n] = w.objectKeys[o * MAX_AE_CLASSES + ae.sample(rng)]!;
      n++;
    }
    if (onProgress && (b1 - fromSec) % 3600 === 0) onProgress(b1 - fromSec);
  }
  const seedRequests: RequestLog = { length: n, time: time.subarray(0, n), key: key.subarray(0, n), viewer: viewer.subarray(0, n), edge: edge.subarray(0, n) };
  return w.releases.length === 0 ? seedRequests : mergeRequests(seedRequests, generateReleaseRequests(w, fromSec, toSec, seed));
}

/**
 * Requests of the releases' objects in [fromSec, toSec), sorted by time: per release, minute by minute
 * from its release time, a Poisson process at its peak rate × its popularity shape × the daily curve.
 * Deterministic for a seed (one random stream per release).
 */
export function generateReleaseRequests(w: Workload, fromSec: number, toSec: number, seed: number): RequestLog {
  const rp = w.profile.releases ?? DEFAULT_RELEASE_PROFILE;
  const mix = new ViewerMix(w);
  const ae = new AliasTable(w.profile.acceptEncodings.slice(0, MAX_AE_CLASSES).map((a) => a.share));
  const time: number[] = [], key: number[] = [], viewer: number[] = [], edge: number[] = [];
  const BUCKET = 60;
  w.releases.forEach((rel, ri) => {
    if (rel.objects.length === 0) return;
    const objects = new AliasTable(rel.peakRate);
    let peak = 0;
    for (let i = 0; i < rel.peakRate.length; i++) peak += rel.peakRate[i]!;
    const rng = new Rng(seed, 1000 + ri);
    const start = Math.max(fromSec, rel.at);
    let t = start;
    for (let b0 = start; b0 < toSec; b0 += BUCKET) {
      const b1 = Math.min(toSec, b0 + BUCKET);
      const mid = (b0 + b1) / 2;
      const total = mix.weigh(mid);
      const rate = peak * releaseShape(rp, mid - rel.at) * total;
      if (!(rate > 0)) { t = b1; continue; }
      for (;;) {
        t += rng.exp() / rate;
        if (t >= b1) { t = b1; break; }
        const v = mix.viewerAt(rng.next() * total);
        const o = rel.objects[objects.sample(rng)]!;
        time.push(t);
        viewer.push(v);
        edge.push(mix.edgeOf(v, rng));
        key.push(w.objectKeys[o * MAX_AE_CLASSES + ae.sample(rng)]!);
      }
    }
  });
  const order = Int32Array.from(time, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
  return {
    length: order.length,
    time: Float64Array.from(order, (i) => time[i]!),
    key: Int32Array.from(order, (i) => key[i]!),
    viewer: Uint8Array.from(order, (i) => viewer[i]!),
    edge: Uint8Array.from(order, (i) => edge[i]!),
  };
}

/** Two time-sorted request logs as one (a first on equal times). */
export function mergeRequests(a: RequestLog, b: RequestLog): RequestLog {
  const n = a.length + b.length;
  const time = new Float64Array(n), key = new Int32Array(n), viewer = new Uint8Array(n), edge = new Uint8Array(n);
  let i = 0, j = 0;
  for (let k = 0; k < n; k++) {
    const fromA = j >= b.length || (i < a.length && a.time[i]! <= b.time[j]!);
    const src = fromA ? a : b;
    const x = fromA ? i++ : j++;
    time[k] = src.time[x]!; key[k] = src.key[x]!; viewer[k] = src.viewer[x]!; edge[k] = src.edge[x]!;
  }
  return { length: n, time, key, viewer, edge };
}

/** Update and invalidation events of [fromSec, toSec), sorted by time. */
export function generateEvents(w: Workload, fromSec: number, toSec: number, seed: number): EventLog {
  const times: number[] = [];
  const assets: number[] = [];
  const kinds: number[] = [];
  const delay = w.profile.invalidationDelaySeconds;
  for (let a = 0; a < w.assets; a++) {
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
