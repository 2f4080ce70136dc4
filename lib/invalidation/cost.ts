/**
 * The invalidation cost model (spec §8.5), as the planner, the Lambda and the reports use it. The
 * prices themselves are lib/semantics/pricing (`FREE_TIER.invalidationPaths`,
 * `OTHER_PRICES.invalidationPerPath`, `invalidationCostUsd`); this module only adds the month
 * boundaries and the split of a plan's paths into free and billed ones.
 */
import { freeInvalidationPathsLeft, invalidationCostUsd } from '../semantics/pricing';

/** How a number of paths is billed given the paths already submitted this month. */
export interface PathBill {
  /** Paths counted (wildcards and `#tag` items count as one each). */
  readonly paths: number;
  /** Of those, paths within the account's free allowance for the month. */
  readonly freePaths: number;
  /** Of those, paths billed (at `OTHER_PRICES.invalidationPerPath` each). */
  readonly billedPaths: number;
  /** Cost in USD (exact to the cent). */
  readonly usd: number;
}

/**
 * Splits `paths` into free and billed paths given `monthToDatePaths` already submitted this month
 * (spec §8.5: the first paths of a month are free, then each is billed).
 */
export function billPaths(paths: number, monthToDatePaths: number): PathBill {
  const usd = invalidationCostUsd(paths, monthToDatePaths);
  const freePaths = Math.min(paths, freeInvalidationPathsLeft(monthToDatePaths));
  return { paths, freePaths, billedPaths: paths - freePaths, usd };
}

/**
 * Billed paths of each batch, sent in order after `monthToDatePaths` this month: the free paths go
 * to the first batches, the rest are billed.
 */
export function billedPathsPerBatch(batches: readonly (readonly string[])[], monthToDatePaths: number): number[] {
  let used = monthToDatePaths;
  return batches.map((b) => {
    const billed = billPaths(b.length, used).billedPaths;
    used += b.length;
    return billed;
  });
}

/** Start of the billing month (UTC) that contains `at`. */
export function monthStartUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Formats USD for reports, rounded to the cent: `$0.00`, `$45.00`. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}
