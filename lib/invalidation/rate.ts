/**
 * Pacing CreateInvalidation calls within the per-second rates some 2026 sources give for the
 * invalidation quota (spec §8.4 [3p]): 150 paths-or-tags a second and one wildcard a second per
 * account — on top of, not instead of, the in-progress quotas (lib/invalidation/batching). Both
 * rates are configurable; 0 turns one off. A batch of n paths may go once the previous ones have
 * "drained" at the rate: after it, the next waits n / rate seconds (no burst beyond one batch).
 */
import { INVALIDATION_LIMITS } from '../semantics';
import type { InFlight } from './batching';

export interface RateLimits {
  /** Plain paths and `#tag` items per second; 0 = no limit. */
  readonly pathsPerSecond: number;
  /** Wildcard paths per second; 0 = no limit. */
  readonly wildcardsPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  pathsPerSecond: INVALIDATION_LIMITS.ratePathsPerSecond,
  wildcardsPerSecond: INVALIDATION_LIMITS.rateWildcardsPerSecond,
});

export const NO_RATE_LIMITS: RateLimits = Object.freeze({ pathsPerSecond: 0, wildcardsPerSecond: 0 });

/** Problems of a rate setting (each names the option, the value and the range). */
export function validateRateLimits(r: RateLimits, names = { paths: '--rate-paths-per-second', wildcards: '--rate-wildcards-per-second' }): string[] {
  const problems: string[] = [];
  for (const [name, v] of [[names.paths, r.pathsPerSecond], [names.wildcards, r.wildcardsPerSecond]] as const) {
    if (!Number.isFinite(v) || v < 0) problems.push(`${name} must be a number ≥ 0 (0 turns the limit off), got ${String(v)}.`);
  }
  return problems;
}

/** Seconds the rates need to let `load` through, at best (for plans and reports). */
export function sendSeconds(load: InFlight, r: RateLimits): number {
  const p = r.pathsPerSecond > 0 ? load.paths / r.pathsPerSecond : 0;
  const w = r.wildcardsPerSecond > 0 ? load.wildcards / r.wildcardsPerSecond : 0;
  return Math.max(p, w);
}

/** When the next batch may be sent, given what was sent (one per account: share it between distributions). */
export class RatePacer {
  private pathsFreeAt = -Infinity;
  private wildcardsFreeAt = -Infinity;

  constructor(readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {}

  /** Milliseconds until a batch with this load may be sent; 0 = now. */
  waitMs(load: InFlight, now: number): number {
    let at = now;
    if (load.paths > 0 && this.limits.pathsPerSecond > 0) at = Math.max(at, this.pathsFreeAt);
    if (load.wildcards > 0 && this.limits.wildcardsPerSecond > 0) at = Math.max(at, this.wildcardsFreeAt);
    return Math.max(0, Math.ceil(at - now));
  }

  /** Records a batch sent at `now`. */
  record(load: InFlight, now: number): void {
    if (load.paths > 0 && this.limits.pathsPerSecond > 0) this.pathsFreeAt = Math.max(now, this.pathsFreeAt) + (1000 * load.paths) / this.limits.pathsPerSecond;
    if (load.wildcards > 0 && this.limits.wildcardsPerSecond > 0) this.wildcardsFreeAt = Math.max(now, this.wildcardsFreeAt) + (1000 * load.wildcards) / this.limits.wildcardsPerSecond;
  }
}
