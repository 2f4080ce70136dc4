/**
 * Seeded, deterministic random numbers for the workload generator and the latency model. Nothing in
 * the simulator reads Math.random or the clock, so one seed always gives the same run.
 *
 * Generator: xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), seeded
 * through splitmix32. Pure 32-bit integer arithmetic; no allocation per draw.
 */

/** splitmix32 step: a good 32-bit mixer, also used to hash integers deterministically. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A deterministic hash of up to three integers to a uint32 (for per-entity choices that must not depend on draw order). */
export function hash32(a: number, b = 0, c = 0): number {
  return mix32(mix32(mix32(a | 0) ^ (b | 0)) ^ (c | 0));
}

/** The same hash as a fraction in [0, 1). */
export function hashUnit(a: number, b = 0, c = 0): number {
  return hash32(a, b, c) / 4294967296;
}

const NORMAL_TABLE_BITS = 12;
/** Standard normal quantiles at (i + 0.5) / 4096: a table lookup instead of Box–Muller in hot loops. */
const NORMAL_TABLE = (() => {
  const n = 1 << NORMAL_TABLE_BITS;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = inverseNormal((i + 0.5) / n);
  return t;
})();

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export class Rng {
  // State in a typed array: int32 values outside the small-integer range would otherwise be boxed
  // (a heap allocation per draw) when stored in object fields.
  private readonly s = new Int32Array(4);

  constructor(seed: number, stream = 0) {
    let x = (Math.floor(seed) ^ Math.imul(stream + 1, 0x632be5ab)) >>> 0;
    const next = () => (x = mix32(x));
    for (let i = 0; i < 4; i++) this.s[i] = next();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next uint32. */
  nextUint32(): number {
    const st = this.s;
    const s0 = st[0]!, s1 = st[1]!, s2 = st[2]!, s3 = st[3]!;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    st[1] = s1 ^ n2;
    st[0] = s0 ^ n3;
    n2 ^= t;
    st[2] = n2;
    st[3] = rotl(n3, 11);
    return r >>> 0;
  }

  /** The top 12 bits of the next draw, 0–4095: a small integer, so hot loops can index tables without boxing. */
  top12(): number {
    return this.nextUint32() >>> 20;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponential with mean 1. */
  exp(): number {
    return -Math.log(1 - this.next());
  }

  /** Standard normal, from a 4096-entry quantile table (enough for latency jitter). */
  normal(): number {
    return NORMAL_TABLE[this.nextUint32() >>> (32 - NORMAL_TABLE_BITS)]!;
  }

  /** Lognormal with the given median and log-space sigma. */
  lognormal(median: number, sigma: number): number {
    return sigma === 0 ? median : median * Math.exp(sigma * this.normal());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
