/**
 * The three CloudFront invalidation calls as an interface, and the orchestration shared by the CLI
 * worker and the pipeline's Lambda: sending a batch with backoff, measuring what is in flight and
 * the month-to-date usage. No SDK here: callers adapt their CloudFront client to `InvalidationApi`.
 */
import { retryDecision, type BackoffPolicy, DEFAULT_BACKOFF, describeError } from './backoff';
import { addLoad, loadOf, type InFlight } from './batching';

export interface InvalidationSummary {
  readonly id: string;
  readonly status: string;
  readonly createTime: Date;
}

export interface InvalidationDetail extends InvalidationSummary {
  readonly callerReference: string;
  readonly items: readonly string[];
}

/** CreateInvalidation, GetInvalidation, ListInvalidations (spec §8.3). */
export interface InvalidationApi {
  create(distributionId: string, callerReference: string, items: readonly string[]): Promise<InvalidationDetail>;
  get(distributionId: string, id: string): Promise<InvalidationDetail>;
  /** One page, newest first. */
  list(distributionId: string, marker?: string): Promise<{ readonly items: readonly InvalidationSummary[]; readonly nextMarker?: string }>;
}

export const STATUS_COMPLETED = 'Completed';

export interface SendOptions {
  readonly policy?: BackoffPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Clock, ms. */
  readonly now: () => number;
  /** Give up (and report the last failure) rather than sleep past this time, ms. */
  readonly deadline?: number;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: string }) => void;
}

export type SendResult =
  | { readonly ok: true; readonly invalidation: InvalidationDetail; readonly attempts: number }
  | { readonly ok: false; readonly error: string; readonly retryable: boolean; readonly attempts: number };

/**
 * Sends one batch, retrying TooManyInvalidationsInProgress, throttling, 5xx and network failures
 * with bounded exponential backoff and jitter (lib/invalidation/backoff). The CallerReference makes
 * every retry idempotent (spec §8.3).
 */
export async function sendWithBackoff(api: InvalidationApi, distributionId: string, callerReference: string, items: readonly string[], o: SendOptions): Promise<SendResult> {
  const policy = o.policy ?? DEFAULT_BACKOFF;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, invalidation: await api.create(distributionId, callerReference, items), attempts: attempt };
    } catch (e) {
      const d = retryDecision(e, attempt, policy, o.random);
      if (!d.retry) return { ok: false, error: describeError(e), retryable: d.kind !== 'fatal', attempts: attempt };
      if (o.deadline !== undefined && o.now() + d.delayMs > o.deadline) return { ok: false, error: describeError(e), retryable: true, attempts: attempt };
      o.onRetry?.({ attempt, delayMs: d.delayMs, error: describeError(e) });
      await o.sleep(d.delayMs);
    }
  }
}

/** Cache of invalidation sizes (they never change once created). */
export type LoadCache = Map<string, InFlight>;

/**
 * Quota load of the distribution's in-progress invalidations, read from CloudFront (ListInvalidations,
 * newest first, then GetInvalidation for sizes not in `cache`). Paging stops at the first page
 * without an in-progress invalidation or after `maxPages`. `exclude` skips ids the caller already counts.
 */
export async function inFlightLoad(api: InvalidationApi, distributionId: string, cache: LoadCache, opts: { exclude?: ReadonlySet<string>; maxPages?: number } = {}): Promise<{ load: InFlight; ids: string[] }> {
  let load: InFlight = { paths: 0, wildcards: 0 };
  const ids: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < (opts.maxPages ?? 5); page++) {
    const res = await api.list(distributionId, marker);
    const inProgress = res.items.filter((s) => s.status !== STATUS_COMPLETED);
    for (const s of inProgress) {
      if (opts.exclude?.has(s.id)) continue;
      let l = cache.get(s.id);
      if (!l) {
        l = loadOf((await api.get(distributionId, s.id)).items);
        cache.set(s.id, l);
      }
      load = addLoad(load, l);
      ids.push(s.id);
    }
    if (inProgress.length === 0 || !res.nextMarker) break;
    marker = res.nextMarker;
  }
  return { load, ids };
}

/** The ListInvalidations pages of one distribution through `api.list`, newest first, at most `maxPages`. */
export async function* invalidationPages(api: InvalidationApi, distributionId: string, maxPages = 100): AsyncGenerator<readonly InvalidationSummary[]> {
  let marker: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await api.list(distributionId, marker);
    yield res.items;
    if (!res.nextMarker) return;
    marker = res.nextMarker;
  }
}

/**
 * Paths submitted since `since`, from ListInvalidations pages (newest first: reading stops at the
 * page holding an older invalidation) and `sizeOf` (GetInvalidation) for sizes not in `sizes`,
 * which caches them by id (an invalidation's size never changes). Every item counts as one path, as
 * billed (spec §8.5). The pages are the caller's: the CLI pages through its `InvalidationApi`, the
 * Lambda through the SDK's `paginateListInvalidations`.
 */
export async function pathsSinceInPages(pages: AsyncIterable<readonly InvalidationSummary[]>, since: Date, sizeOf: (id: string) => Promise<number>, sizes: Map<string, number>): Promise<number> {
  let total = 0;
  for await (const items of pages) {
    let older = false;
    for (const s of items) {
      if (s.createTime.getTime() < since.getTime()) {
        older = true;
        continue;
      }
      let n = sizes.get(s.id);
      if (n === undefined) {
        n = await sizeOf(s.id);
        sizes.set(s.id, n);
      }
      total += n;
    }
    if (older) break;
  }
  return total;
}

/**
 * Paths submitted since `since` to the given distributions (see {@link pathsSinceInPages}). The
 * free allowance is per account: invalidations of other distributions are not seen here.
 */
export async function pathsSince(api: InvalidationApi, distributionIds: readonly string[], since: Date, sizes: Map<string, number>, maxPages = 100): Promise<number> {
  let total = 0;
  for (const distributionId of distributionIds) {
    total += await pathsSinceInPages(invalidationPages(api, distributionId, maxPages), since, async (id) => (await api.get(distributionId, id)).items.length, sizes);
  }
  return total;
}
