/**
 * What to do when a CloudFront invalidation call fails (spec §8.3, §15.2): which errors are worth
 * retrying and how long to wait. CloudFront sends no Retry-After, so callers back off themselves:
 * bounded exponential backoff with full jitter, on top of the SDK's own retry strategy.
 */

/** Why a call failed, as far as retrying is concerned. */
export type FailureKind =
  /** TooManyInvalidationsInProgress: wait for in-flight invalidations to finish; never gives up. */
  | 'in-flight-limit'
  /** Throttling / rate exceeded. */
  | 'throttled'
  /** 5xx from CloudFront. */
  | 'server'
  /** No answer: connection refused or reset, timeout. */
  | 'network'
  /** Anything else (InvalidArgument, NoSuchDistribution, AccessDenied, InvalidationBatchAlreadyExists, ...): retrying cannot help. */
  | 'fatal';

/** The parts of an SDK (or any) error that classification reads. */
export interface ErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

/** Classifies a failed call (spec §8.3 error codes; §15.2 throttling and 503). */
export function classifyFailure(error: unknown): FailureKind {
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const code = e.code ?? '';
  if (name === 'TooManyInvalidationsInProgress' || code === 'TooManyInvalidationsInProgress') return 'in-flight-limit';
  if (THROTTLING.has(name) || THROTTLING.has(code)) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'server';
  if (name === 'ServiceUnavailable' || name === 'InternalError' || name === 'InternalFailure') return 'server';
  if (NETWORK_CODES.has(code) || NETWORK_NAMES.has(name)) return 'network';
  if (status === undefined && /socket hang up|ECONNRESET|ECONNREFUSED|timed? ?out/i.test(e.message ?? '')) return 'network';
  return 'fatal';
}

export interface BackoffPolicy {
  /** First delay, ms. @default 1000 */
  readonly baseMs: number;
  /** Cap of any one delay, ms. @default 60000 */
  readonly maxMs: number;
  /** Attempts before a retryable failure (other than the in-flight limit) is given up. @default 8 */
  readonly maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 1000, maxMs: 60_000, maxAttempts: 8 });

/**
 * Delay before attempt `attempt + 1` after `attempt` failures (1-based): "full jitter",
 * uniform in [0, min(maxMs, baseMs × 2^(attempt−1))]. `random` returns [0, 1).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.floor(random() * exp);
}

/** Decision after a failure: retry after `delayMs`, or give up. */
export type RetryDecision = { readonly retry: true; readonly delayMs: number; readonly kind: FailureKind } | { readonly retry: false; readonly kind: FailureKind };

/**
 * Whether to retry after the `attempt`-th failure (1-based). The in-flight limit is retried without
 * an attempt cap (it clears as invalidations complete); other retryable kinds stop after
 * `maxAttempts`; fatal errors are never retried.
 */
export function retryDecision(error: unknown, attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): RetryDecision {
  const kind = classifyFailure(error);
  if (kind === 'fatal') return { retry: false, kind };
  if (kind !== 'in-flight-limit' && attempt >= policy.maxAttempts) return { retry: false, kind };
  return { retry: true, delayMs: backoffDelayMs(attempt, policy, random), kind };
}

/** One line describing an error for logs and the queue: `Name: message`. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const status = e.$metadata?.httpStatusCode;
  return `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`;
}

/** A retryable failure that persisted through every attempt of {@link withRetries}. */
export class RetriesExhausted extends Error {
  constructor(readonly last: unknown, readonly kind: FailureKind, readonly attempts: number) {
    super(`${describeError(last)} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`);
    this.name = 'RetriesExhausted';
  }
}

export interface RetryOptions {
  readonly policy?: BackoffPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (info: { attempt: number; delayMs: number; kind: FailureKind; error: string }) => void;
}

/**
 * Runs a read (ListInvalidations, GetInvalidation, ...) until it succeeds, retrying throttling, 5xx and
 * network failures with the policy's backoff, at most `maxAttempts` times (the in-flight limit, which
 * reads never meet, counts as any other retryable failure here). A fatal failure is thrown as it came;
 * a retryable one that persists is thrown as {@link RetriesExhausted}, so a caller never mistakes a
 * transient failure for bad input.
 */
export async function withRetries<T>(call: () => Promise<T>, o: RetryOptions): Promise<T> {
  const policy = o.policy ?? DEFAULT_BACKOFF;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const kind = classifyFailure(e);
      if (kind === 'fatal') throw e;
      if (attempt >= policy.maxAttempts) throw new RetriesExhausted(e, kind, attempt);
      const delayMs = backoffDelayMs(attempt, policy, o.random);
      o.onRetry?.({ attempt, delayMs, kind, error: describeError(e) });
      await o.sleep(delayMs);
    }
  }
}
