/**
 * Ordering and pacing of a warming run. Requests go most valuable first (target weight, then the
 * encoding variant most viewers use); the priority decides how hard the run leans on the edge and the
 * origin: `high` uses the whole rate and concurrency (a release going live now), `normal` half,
 * `low` a quarter (background warming that must not compete with viewers).
 */
import { ENCODING_VARIANTS, type WarmRequest } from './variants';

export type Priority = 'high' | 'normal' | 'low';
export const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low'];

export const PRIORITY_PROFILES: Readonly<Record<Priority, { readonly share: number; readonly description: string }>> = Object.freeze({
  high: { share: 1, description: 'full rate and concurrency: content going live now' },
  normal: { share: 0.5, description: 'half the rate and concurrency' },
  low: { share: 0.25, description: 'a quarter of the rate and concurrency: background warming' },
});

export interface Pacing {
  /** Requests per second across all edges. */
  readonly ratePerSec: number;
  readonly concurrency: number;
}

/** The pacing of a run at a priority, from the user's `--rate` and `--concurrency`. */
export function pacingFor(priority: Priority, rate: number, concurrency: number): Pacing {
  const share = PRIORITY_PROFILES[priority].share;
  return { ratePerSec: rate * share, concurrency: Math.max(1, Math.floor(concurrency * share)) };
}

/** Sending order: higher weight first, then the encoding variant most viewers use, then input order (stable). */
export function orderWarmRequests(requests: readonly WarmRequest[]): WarmRequest[] {
  const rank = (r: WarmRequest) => ENCODING_VARIANTS.indexOf(r.encoding);
  return requests
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.weight - a.r.weight || rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/**
 * A token bucket: `take(now)` returns how long to wait (ms) before sending one request at
 * `ratePerSec`, allowing bursts of `burst`. The caller supplies the clock, so the pacing is testable
 * without sleeping.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(readonly ratePerSec: number, readonly burst = 1) {
    if (!(ratePerSec > 0)) throw new RangeError(`TokenBucket: rate must be positive, got ${ratePerSec}`);
    this.tokens = burst;
  }

  take(nowMs: number): number {
    if (this.last !== undefined) this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) * this.ratePerSec) / 1000);
    this.last = nowMs;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSec);
  }
}
