/**
 * `--quality auto`: the lowest encoder quality whose SSIM against the reference stays at or above a
 * threshold. A bisection over integer qualities that only ever returns a quality it measured as
 * passing, so the threshold holds even where SSIM is not monotonic in quality (it nearly is); there it
 * may miss a lower passing quality, never return a failing one.
 */
import { InputError, show } from '../errors';

/** SSIM a variant must keep against the resized original: "looks the same" (the project's default). */
export const DEFAULT_SSIM_THRESHOLD = 0.98;

/** Qualities searched: below 30 every encoder smears detail; above 95 bytes grow for no visible gain. */
export const QUALITY_SEARCH_RANGE = Object.freeze({ min: 30, max: 95 });

export interface QualityTrial<T> {
  readonly quality: number;
  readonly score: number;
  readonly candidate: T;
}

export interface QualitySearchResult<T> extends QualityTrial<T> {
  /** Whether `score` ≥ threshold. False only when even `max` fails; the `max` trial is returned then. */
  readonly passed: boolean;
  /** Every quality measured, in the order tried. */
  readonly trials: readonly { quality: number; score: number }[];
}

export interface QualitySearchOptions<T> {
  /** Encodes at a quality (integer). */
  encode(quality: number): Promise<T>;
  /** Similarity of an encoded candidate to the reference, 0–1 (SSIM). */
  score(candidate: T): Promise<number>;
  readonly threshold?: number;
  readonly min?: number;
  readonly max?: number;
}

/** Checks a threshold and range; InputError naming the bad value. */
export function validateSearchBounds(threshold: number, min: number, max: number): void {
  const problems: string[] = [];
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) problems.push(`the SSIM threshold must be a number in (0, 1], got ${show(threshold)}; 0.98 is "looks the same".`);
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 100) problems.push(`the quality search ${name} must be a whole number from 1 to 100, got ${show(v)}.`);
  }
  if (problems.length === 0 && min > max) problems.push(`the quality search min (${min}) is above its max (${max}); swap them.`);
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * Finds the lowest quality in [min, max] whose score is ≥ threshold by bisection, keeping the lowest
 * passing quality seen. `max` itself (the slowest encode) is only measured when nothing below it passed;
 * if it fails too, that trial is returned with `passed: false`. At most ⌈log2(max − min + 1)⌉ encodes
 * (7 for 30–95).
 */
export async function searchLowestQuality<T>(opts: QualitySearchOptions<T>): Promise<QualitySearchResult<T>> {
  const threshold = opts.threshold ?? DEFAULT_SSIM_THRESHOLD;
  const min = opts.min ?? QUALITY_SEARCH_RANGE.min;
  const max = opts.max ?? QUALITY_SEARCH_RANGE.max;
  validateSearchBounds(threshold, min, max);
  const trials: { quality: number; score: number }[] = [];
  const measure = async (quality: number): Promise<QualityTrial<T>> => {
    const candidate = await opts.encode(quality);
    const score = await opts.score(candidate);
    trials.push({ quality, score });
    return { quality, score, candidate };
  };

  let best: QualityTrial<T> | undefined;
  let lo = min;
  let hi = max;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const t = await measure(mid);
    if (t.score >= threshold) {
      best = t;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (best === undefined) {
    const top = await measure(max);
    return { ...top, passed: top.score >= threshold, trials };
  }
  return { ...best, passed: true, trials };
}
