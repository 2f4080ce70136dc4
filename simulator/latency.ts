/**
 * Latency model: time to first byte (TTFB) at the viewer is the sum of the round trips and processing
 * of every tier a request crosses, each delay lognormal around its median (profile.ts):
 *   viewer ↔ edge, then on a miss edge ↔ regional edge cache, REC ↔ Origin Shield, shield ↔ origin
 *   plus the origin's own first-byte time. Fills stream through (cut-through, spec §7), so TTFB does
 *   not wait for the body; total time adds the body at the viewer's throughput.
 * Percentiles come from log-spaced histograms (1 % wide buckets), filled without allocation.
 */
import { REGIONS, type WorkloadProfile } from './profile';
import { regionOfAwsRegion, type SimOrigin } from './plan-model';
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

/** The q-quantile (0–1) of histogram `h[offset .. offset + HIST_BUCKETS)`, ms; 0 when empty. */
export function percentileMs(h: Float64Array, offset: number, q: number): number {
  let total = 0;
  for (let b = 0; b < HIST_BUCKETS; b++) total += h[offset + b]!;
  if (total <= 0) return 0;
  const target = q * total;
  let acc = 0;
  for (let b = 0; b < HIST_BUCKETS; b++) {
    acc += h[offset + b]!;
    if (acc >= target) return bucketUpperMs(b);
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

/** Median delays between tiers, precomputed as flat arrays for the engine. */
export interface HopTable {
  /** Edge ↔ REC RTT by edge region. */
  readonly edgeRec: Float64Array;
  /** REC (region r) ↔ shield s: recShield[r * S + s]. */
  readonly recShield: Float64Array;
  /** Shield s ↔ origin o: shieldOrigin[s * O + o]. */
  readonly shieldOrigin: Float64Array;
  /** REC (region r) ↔ origin o without a shield: recOrigin[r * O + o]. */
  readonly recOrigin: Float64Array;
  /** Origin o's own first-byte time. */
  readonly originFirstByte: Float64Array;
  /** Whether REC region r is co-located with shield s (its requests are not billed, spec §9.4). */
  readonly colocated: Uint8Array;
  readonly processing: number;
  readonly shields: readonly string[];
}

function awsRtt(profile: WorkloadProfile, a: string, b: string): number {
  return a === b ? profile.sameAwsRegionRttMs : profile.interRegionRttMs[regionOfAwsRegion(a)][regionOfAwsRegion(b)];
}

export function hopTable(profile: WorkloadProfile, origins: readonly SimOrigin[]): HopTable {
  const shields = [...new Set(origins.map((o) => o.shieldAwsRegion).filter((s): s is string => s !== undefined))];
  const R = REGIONS.length, S = shields.length, O = origins.length;
  const edgeRec = Float64Array.from(REGIONS, (r) => profile.regions[r].edgeToRecRttMs);
  const recShield = new Float64Array(R * S);
  const colocated = new Uint8Array(R * S);
  REGIONS.forEach((r, ri) => shields.forEach((s, si) => {
    recShield[ri * S + si] = profile.interRegionRttMs[r][regionOfAwsRegion(s)];
    colocated[ri * S + si] = regionOfAwsRegion(s) === r ? 1 : 0;
  }));
  const shieldOrigin = new Float64Array(Math.max(1, S * O));
  shields.forEach((s, si) => origins.forEach((o, oi) => { shieldOrigin[si * O + oi] = awsRtt(profile, s, o.awsRegion); }));
  const recOrigin = new Float64Array(R * O);
  REGIONS.forEach((r, ri) => origins.forEach((o, oi) => { recOrigin[ri * O + oi] = profile.interRegionRttMs[r][regionOfAwsRegion(o.awsRegion)]; }));
  const originFirstByte = Float64Array.from(origins, (o) => profile.originFirstByteMs[o.kind]);
  return { edgeRec, recShield, shieldOrigin, recOrigin, originFirstByte, colocated, processing: profile.tierProcessingMs, shields };
}
