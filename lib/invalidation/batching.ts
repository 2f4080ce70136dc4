/**
 * Splitting a plan into CreateInvalidation batches and deciding when a batch may be sent, within
 * the per-distribution in-progress quotas (spec §8.4: 3,000 paths and, independently, 15 wildcard
 * paths in progress; `#tag` items count with the paths [inferred]). The quota values are
 * lib/semantics `INVALIDATION_LIMITS`; callers may pass raised quotas.
 */
import { INVALIDATION_LIMITS, classifyInvalidationItems, isWildcardPath } from '../semantics';
import { InputError } from '../errors';

/** In-progress quotas of one distribution (spec §8.4). */
export interface InFlightLimits {
  readonly maxPaths: number;
  readonly maxWildcards: number;
}

export const DEFAULT_IN_FLIGHT_LIMITS: InFlightLimits = Object.freeze({
  maxPaths: INVALIDATION_LIMITS.maxInProgressPaths,
  maxWildcards: INVALIDATION_LIMITS.maxInProgressWildcards,
});

/** Most items of each class one batch carries. */
export interface BatchSizes {
  /** Plain paths and `#tag` items per batch. @default 1000 (three batches can be in flight) */
  readonly paths: number;
  /** Wildcard paths per batch. @default 5 (three batches can be in flight) */
  readonly wildcards: number;
}

export const DEFAULT_BATCH_SIZES: BatchSizes = Object.freeze({ paths: 1000, wildcards: 5 });

/** Load of one batch or of everything in flight. */
export interface InFlight {
  readonly paths: number;
  readonly wildcards: number;
}

/** Quota load of a list of items: wildcards apart, plain paths and tags together (spec §8.4). */
export function loadOf(items: readonly string[]): InFlight {
  const c = classifyInvalidationItems(items);
  return { paths: c.paths + c.tags, wildcards: c.wildcards };
}

/**
 * Checks batch sizes against the quotas: a batch larger than a quota could never be accepted.
 * @throws InputError naming the option, the value and the allowed range.
 */
export function validateBatchSizes(sizes: BatchSizes, limits: InFlightLimits = DEFAULT_IN_FLIGHT_LIMITS, names = { paths: '--batch-paths', wildcards: '--batch-wildcards' }): void {
  const problems: string[] = [];
  if (!Number.isInteger(sizes.paths) || sizes.paths < 1 || sizes.paths > limits.maxPaths) {
    problems.push(`${names.paths} must be a whole number from 1 to ${limits.maxPaths} (the in-progress path quota, spec §8.4), got ${String(sizes.paths)}.`);
  }
  if (!Number.isInteger(sizes.wildcards) || sizes.wildcards < 1 || sizes.wildcards > limits.maxWildcards) {
    problems.push(`${names.wildcards} must be a whole number from 1 to ${limits.maxWildcards} (the in-progress wildcard quota, spec §8.4), got ${String(sizes.wildcards)}.`);
  }
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * Splits items into batches of at most `sizes.paths` plain paths/tags and `sizes.wildcards`
 * wildcards each. Deterministic: items are sorted first, so the same plan always gives the same
 * batches (and so the same CallerReferences).
 */
export function splitIntoBatches(items: readonly string[], sizes: BatchSizes = DEFAULT_BATCH_SIZES): string[][] {
  const sorted = [...new Set(items)].sort();
  const plain = sorted.filter((i) => !isWildcardPath(i));
  const wild = sorted.filter(isWildcardPath);
  const count = Math.max(Math.ceil(plain.length / sizes.paths), Math.ceil(wild.length / sizes.wildcards));
  const batches: string[][] = [];
  for (let b = 0; b < count; b++) {
    batches.push([...plain.slice(b * sizes.paths, (b + 1) * sizes.paths), ...wild.slice(b * sizes.wildcards, (b + 1) * sizes.wildcards)].sort());
  }
  return batches;
}

/** True when a batch can be sent without taking the distribution over its in-progress quotas. */
export function fitsInFlight(inFlight: InFlight, batch: InFlight, limits: InFlightLimits = DEFAULT_IN_FLIGHT_LIMITS): boolean {
  return inFlight.paths + batch.paths <= limits.maxPaths && inFlight.wildcards + batch.wildcards <= limits.maxWildcards;
}

export function addLoad(a: InFlight, b: InFlight): InFlight {
  return { paths: a.paths + b.paths, wildcards: a.wildcards + b.wildcards };
}
