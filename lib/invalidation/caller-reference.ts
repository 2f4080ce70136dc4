/**
 * CallerReferences that make CreateInvalidation idempotent (spec §8.3: the same CallerReference with
 * the same batch returns the original invalidation instead of creating a second one).
 */
import { createHash } from 'node:crypto';

/** Prefix of every CallerReference this project makes, so they are recognisable in ListInvalidations. */
export const CALLER_REFERENCE_PREFIX = 'mcdn-';

/**
 * The CallerReference of a batch: a SHA-256 of the distribution, the batch's sorted items and the
 * request id. A retried or resumed batch gets the same reference (so CloudFront returns the
 * original invalidation); another request, or the same request's other batches, get another one.
 */
export function callerReference(distributionId: string, items: readonly string[], requestId: string): string {
  const sorted = [...items].sort();
  const digest = createHash('sha256').update(JSON.stringify([distributionId, sorted, requestId])).digest('hex');
  return `${CALLER_REFERENCE_PREFIX}${digest.slice(0, 40)}`;
}
