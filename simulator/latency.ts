/**
 * Latency model: time to first byte (TTFB) at the viewer is the sum of the round trips and processing
 * of every tier a request crosses, each delay lognormal around its median (lib/network.ts holds every
 * network assumption with its source):
 *   viewer ↔ edge (plus the handshakes on the first request of a connection), then on a miss
 *   edge ↔ its regional edge cache, REC ↔ Origin Shield (none when the REC is the shield),
 *   shield ↔ origin plus the origin's own first-byte time. The last mile, the AWS backbone and the
 *   origin each have their own σ. Fills stream through (cut-through, spec §7), so TTFB does
 *   not wait for the body; total time adds the body at the viewer's throughput.
 * Percentiles come from log-spaced histograms (1 % wide buckets), filled without allocation.
 */
import { recFor, rttMs } from '../lib/network';
import type { WorkloadProfile } from './profile';
import type { SimOrigin } from './plan-model';
import type { Edge } from './workload/topology';
import { inverseNormal } from './rng';

/** Histogram buckets: 1 % wide from 0.1 ms up to 100 s. */
export const HIST_MIN_MS = 0.1;
export const HIST_RATIO = 1.01;
export const HIST_BUCKETS = Math.ceil(Math.log(1e6) / Math.log(HIST_RATIO)) + 1;
const INV_LN_RATIO = 1 / Math.log(HIST_RATIO);

function exactBucket(ms: number): number {
  if (ms <= HIST_MIN_MS) return 0;
  const b = Math.floor(Math.log(ms / HIST_MIN_MS) * INV_LN_RATIO) + 1;
  return b >= HIST_BUCKETS ? HIST_BUCKETS - 1 : b;
}

/** Buckets of 0–1000 ms in 0.01 ms steps: the hot loop's lookup instead of a logarithm (off by at most one 1 % bucket). */
const BUCKET_TABLE = (() => {
  const t = new Uint16Array(100_000);
  for (let i = 0; i < t.length; i++) t[i] = exactBucket(i / 100);
  return t;
})();

/** Bucket of a duration in ms. */
export function histBucket(ms: number): number {
  return ms < 1000 && ms >= 0 ? BUCKET_TABLE[(ms * 100) | 0]! : exactBucket(ms);
}

/**
 * Bucket of a duration given in whole hundredths of a millisecond (an integer, so that hot loops pass
 * a small integer rather than a boxed double).
 */
export function histBucketCentiMs(centiMs: number): number {
  return centiMs < 100_000 ? BUCKET_TABLE[centiMs < 0 ? 0 : centiMs]! : exactBucket(centiMs / 100);
}

/** Upper bound of a bucket, ms. */
export function bucketUpperMs(b: number): number {
  return HIST_MIN_MS * Math.pow(HIST_RATIO, b);
}

/**
 * The q-quantile (0–1) of histogram `h[offset .. offset + HIST_BUCKETS)`, ms; 0 when empty. Linear
 * within the bucket where the cumulative weight reaches q (the weight spread evenly over its 1 %
 * width), so the figure is within a small fraction of a bucket of the exact quantile of the
 * durations recorded, not up to a whole bucket above it.
 */
export function percentileMs(h: Float64Array, offset: number, q: number): number {
  let total = 0;
  for (let b = 0; b < HIST_BUCKETS; b++) total += h[offset + b]!;
  if (total <= 0) return 0;
  const target = q * total;
  let acc = 0;
  for (let b = 0; b < HIST_BUCKETS; b++) {
    const w = h[offset + b]!;
    if (w > 0 && acc + w >= target) {
      const lower = b === 0 ? 0 : bucketUpperMs(b - 1);
      return lower + (bucketUpperMs(b) - lower) * Math.min(1, Math.max(0, (target - acc) / w));
    }
    acc += w;
  }
  return bucketUpperMs(HIST_BUCKETS - 1);
}

/** Share of the histogram's weight at or below `ms`. */
export function shareBelowMs(h: Float64Array, offset: number, ms: number): number {
  let total = 0, below = 0;
  const limit = histBucket(ms);
  for (let b = 0; b < HIST_BUCKETS; b++) {
    total += h[offset + b]!;
    if (b < limit) below += h[offset + b]!;
  }
  return total > 0 ? below / total : 0;
}

/** Multipliers exp(σ·z) at 4096 normal quantiles: one table lookup per jittered delay. */
export function jitterTable(sigma: number): Float64Array {
  const t = new Float64Array(4096);
  for (let i = 0; i < 4096; i++) t[i] = Math.exp(sigma * inverseNormal((i + 0.5) / 4096));
  return t;
}

/**
 * Median delays between tiers, precomputed as flat arrays for the engine. The regional edge caches
 * are the real ones (lib/network.ts): each simulated edge uses its nearest REC, and a REC in the same
 * AWS Region as an origin's Origin Shield IS that shield (no hop between them).
 */
export interface HopTable {
  /** AWS Region of each REC the simulated edges use, in first-use order. */
  readonly recs: readonly string[];
  /** REC index (into `recs`) of each edge. */
  readonly edgeRecIndex: Uint8Array;
  /** Edge ↔ its REC round trip by edge. */
  readonly edgeRec: Float64Array;
  /** REC c ↔ shield s: recShield[c * S + s]; 0 when co-located (the REC is the shield). */
  readonly recShield: Float64Array;
  /** Shield s ↔ origin o: shieldOrigin[s * O + o]. */
  readonly shieldOrigin: Float64Array;
  /** REC c ↔ origin o without a shield: recOrigin[c * O + o]. */
  readonly recOrigin: Float64Array;
  /** Origin o's own first-byte time. */
  readonly originFirstByte: Float64Array;
  /** Whether REC c is in shield s's AWS Region: it is the shield (requests not billed, spec §9.4). */
  readonly colocated: Uint8Array;
  readonly processing: number;
  readonly shields: readonly string[];
}

/**
 * Builds the hop table for the edges of a topology and the origins of a plan.
 * @throws InputError when an origin or Origin Shield Region is not in the round-trip matrix.
 */
export function hopTable(profile: WorkloadProfile, origins: readonly SimOrigin[], edges: readonly Edge[]): HopTable {
  const shields = [...new Set(origins.map((o) => o.shieldAwsRegion).filter((s): s is string => s !== undefined))];
  const recs: string[] = [];
  const edgeRecIndex = new Uint8Array(edges.length);
  const edgeRec = new Float64Array(edges.length);
  edges.forEach((e, i) => {
    const r = recFor(e.code, e.region);
    if (!recs.includes(r.rec)) recs.push(r.rec);
    edgeRecIndex[i] = recs.indexOf(r.rec);
    edgeRec[i] = r.rttMs;
  });
  const C = recs.length, S = shields.length, O = origins.length;
  const recShield = new Float64Array(C * S);
  const colocated = new Uint8Array(C * S);
  recs.forEach((c, ci) => shields.forEach((s, si) => {
    const same = c === s;
    recShield[ci * S + si] = same ? 0 : rttMs(c, s, 'Origin Shield Region');
    colocated[ci * S + si] = same ? 1 : 0;
  }));
  const shieldOrigin = new Float64Array(Math.max(1, S * O));
  shields.forEach((s, si) => origins.forEach((o, oi) => { shieldOrigin[si * O + oi] = rttMs(s, o.awsRegion, `origin '${o.id}' Region`); }));
  const recOrigin = new Float64Array(Math.max(1, C * O));
  recs.forEach((c, ci) => origins.forEach((o, oi) => { recOrigin[ci * O + oi] = rttMs(c, o.awsRegion, `origin '${o.id}' Region`); }));
  const originFirstByte = Float64Array.from(origins, (o) => profile.originFirstByteMs[o.kind]);
  return { recs, edgeRecIndex, edgeRec, recShield, shieldOrigin, recOrigin, originFirstByte, colocated, processing: profile.tierProcessingMs, shields };
}
