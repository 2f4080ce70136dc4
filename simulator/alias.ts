/**
 * Discrete sampling in O(1) per draw: Vose's alias method
 * (M. D. Vose, "A linear algorithm for generating random numbers with a given distribution", 1991).
 * Built once from weights; drawing allocates nothing.
 */
import type { Rng } from './rng';

export class AliasTable {
  readonly size: number;
  /**
   * Cell i in 16 bytes: its probability (float64 2i of `prob`) and its alias (int32 4i + 2 of `alias`),
   * two views of one buffer: a draw reads one cache line, not one in each of two arrays (tables of
   * millions of objects miss the CPU caches).
   */
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  /** @throws RangeError when there are no weights, a weight is negative or not finite, or all are 0. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('AliasTable needs at least one weight.');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`AliasTable weight ${i} must be a finite number ≥ 0, got ${w}.`);
      total += w;
    }
    if (total <= 0) throw new RangeError('AliasTable weights sum to 0; at least one must be positive.');
    this.size = n;
    const prob = new Float64Array(n);
    const alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      if (scaled[i]! < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[--nl]!;
      prob[s] = scaled[s]!;
      alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) prob[large[--nl]!] = 1;
    while (ns > 0) prob[small[--ns]!] = 1; // rounding leftovers
    const cells = new ArrayBuffer(16 * n);
    this.prob = new Float64Array(cells);
    this.alias = new Int32Array(cells);
    for (let i = 0; i < n; i++) { this.prob[2 * i] = prob[i]!; this.alias[4 * i + 2] = alias[i]!; }
  }

  /** Draws an index with probability proportional to its weight. */
  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[2 * i]! ? i : this.alias[4 * i + 2]!;
  }
}

/** Zipf popularity weights p_i ∝ (i + 1)^-alpha for ranks 0..n-1, normalized to sum 1. */
export function zipfWeights(n: number, alpha: number): Float64Array {
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    w[i] = Math.pow(i + 1, -alpha);
    total += w[i]!;
  }
  for (let i = 0; i < n; i++) w[i] = w[i]! / total;
  return w;
}

/** Generalized harmonic number H(n, alpha) = Σ_{i=1..n} i^-alpha (the Zipf normalizer). */
export function harmonic(n: number, alpha: number): number {
  let h = 0;
  for (let i = 1; i <= n; i++) h += Math.pow(i, -alpha);
  return h;
}
