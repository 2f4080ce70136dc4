/**
 * The figures of a drill from its viewer samples (pure): availability per phase and over the drill,
 * for all requests and for cacheable ones (GET/HEAD on caching behaviors), errors by status, p95 time
 * to first byte per phase, time to recover, origin requests per phase. `local/faults/drill.ts`
 * collects the samples on the local edge; docs/resilience.md explains the figures.
 */

/** One viewer request of a drill. */
export interface DrillSample {
  /** Seconds since the drill started, when the request was sent. */
  readonly atSec: number;
  readonly status: number;
  /** Time to the response headers, ms. */
  readonly ttfbMs: number;
  /** GET/HEAD on a caching behavior. */
  readonly cacheable: boolean;
}

export type DrillPhase = 'before' | 'during' | 'after';
export const DRILL_PHASES: readonly DrillPhase[] = ['before', 'during', 'after'];

export interface DrillPhaseFigures {
  readonly requests: number;
  readonly availabilityPct: number;
  readonly cacheableAvailabilityPct: number;
  readonly p95TtfbMs: number;
  readonly originRequests: number;
}

export interface DrillFigures {
  readonly requests: number;
  readonly availabilityPct: number;
  readonly cacheableAvailabilityPct: number;
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly phases: Readonly<Record<DrillPhase, DrillPhaseFigures>>;
  /** Seconds from the end of the fault to the last failed request (0: none after it). */
  readonly recoverySeconds: number;
  readonly originRequests: number;
}

/** Answered: 2xx, 3xx (304 included) and 206. */
export function isAvailable(status: number): boolean {
  return status >= 200 && status < 400;
}

/** The q-quantile of a list (nearest rank); 0 when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const pct = (ok: number, n: number) => (n > 0 ? (100 * ok) / n : 100);

/**
 * Figures of a drill whose fault ran over [faultFromSec, faultToSec); `originRequests` per phase
 * as counted by the origins.
 */
export function drillFigures(samples: readonly DrillSample[], faultFromSec: number, faultToSec: number, originRequests: Readonly<Record<DrillPhase, number>>): DrillFigures {
  const phaseOf = (s: DrillSample): DrillPhase => (s.atSec < faultFromSec ? 'before' : s.atSec < faultToSec ? 'during' : 'after');
  const of = (list: readonly DrillSample[]) => {
    const cacheable = list.filter((s) => s.cacheable);
    return {
      requests: list.length,
      availabilityPct: pct(list.filter((s) => isAvailable(s.status)).length, list.length),
      cacheableAvailabilityPct: pct(cacheable.filter((s) => isAvailable(s.status)).length, cacheable.length),
    };
  };
  const phases = Object.fromEntries(DRILL_PHASES.map((p) => {
    const list = samples.filter((s) => phaseOf(s) === p);
    return [p, { ...of(list), p95TtfbMs: quantile(list.map((s) => s.ttfbMs), 0.95), originRequests: originRequests[p] }];
  })) as Record<DrillPhase, DrillPhaseFigures>;
  const errorsByStatus: Record<string, number> = {};
  let lastError = -Infinity;
  for (const s of samples) {
    if (isAvailable(s.status)) continue;
    errorsByStatus[String(s.status)] = (errorsByStatus[String(s.status)] ?? 0) + 1;
    lastError = Math.max(lastError, s.atSec + s.ttfbMs / 1000);
  }
  return {
    ...of(samples),
    errorsByStatus,
    phases,
    recoverySeconds: lastError > faultToSec ? Math.round((lastError - faultToSec) * 10) / 10 : 0,
    originRequests: originRequests.before + originRequests.during + originRequests.after,
  };
}
