/**
 * Bounded concurrency, written once: every script, the local stack and the invalidation Lambda run
 * their parallel calls (HEADs, copies, puts, queries, warm requests, image encodes) through it.
 */

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, starting them in input order; the
 * results come back in input order.
 *
 * The first rejection rejects the whole call once the calls in flight have settled, and no further
 * item is started after it (callers that must carry on after a failure catch inside `fn`).
 * @param limit a whole number ≥ 1.
 * @throws RangeError for a limit that is not a whole number ≥ 1.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`mapConcurrent: limit must be a whole number ≥ 1, got ${limit}`);
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return out;
}
