/**
 * What the local edge answered to one request — the result types of the access log (spec §11) and
 * the statistics they add up to — and what an origin fill produced for the requests waiting on it.
 */
import type { CacheEntry } from './cache';

/** The edge's answer to one request, for the log and the statistics. */
export interface Outcome {
  resultType: string;
  detailedType: string;
  xCache: string;
  tier: 'pop' | 'regional' | 'origin' | 'edge';
}

/**
 * The outcomes of hits, shared (never mutated: serveEntry copies before changing one). Serving takes
 * the precomputed-headers path (hit-headers.ts) only for these very objects.
 */
export const HIT_AT_POP: Outcome = { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'pop' };
export const HIT_AT_REGION: Outcome = { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'regional' };

/** What a fill (an origin fetch or revalidation) produced: a (stored or not) entry, or a plain response. */
export type FillOutcome =
  | { kind: 'entry'; entry: CacheEntry; stored: boolean; outcome: Outcome }
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer; outcome: Outcome };

export interface EdgeStats {
  requests: number;
  byResult: Record<string, number>;
  originRequests: number;
  originBytes: number;
  /** Origin requests by the origin that answered (the selected regional origin, a group's member…). */
  byOrigin: Record<string, number>;
}
