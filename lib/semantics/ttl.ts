/**
 * TTL determination, stale-content windows and error caching (spec §2, §3.2, §3.3).
 *
 * All times are in seconds. `nowSec` is the simulation clock (Unix seconds); nothing here reads the
 * wall clock.
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html ,
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HTTPStatusCodes.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/custom-error-pages-expiration.html
 */
import { showValue } from './format';

/** 365 days in seconds: the default MaxTTL and the largest TTL accepted here (spec §2.1). */
export const ONE_YEAR_SECONDS = 31_536_000;

/** Upper end of the accepted `max-age` range, 100 years of 365 days (spec §2.1). */
export const MAX_AGE_LIMIT_SECONDS = 100 * ONE_YEAR_SECONDS;

/** A behaviour's TTL triple, from its cache policy or legacy fields (spec §2.1). */
export interface TtlPolicy {
  /** MinTTL, seconds. Required in a cache policy. */
  readonly minTtl: number;
  /** DefaultTTL, seconds; used only when the origin sent no max-age/s-maxage/Expires. */
  readonly defaultTtl: number;
  /** MaxTTL, seconds; caps header-derived TTLs. */
  readonly maxTtl: number;
}

/**
 * Defaults for omitted cache-policy TTLs (spec §2.1): DefaultTTL 86,400 s, MaxTTL 31,536,000 s.
 * See {@link applyCachePolicyTtlDefaults} for the rules that depend on MinTTL.
 */
export const CACHE_POLICY_DEFAULTS = Object.freeze({ defaultTtl: 86_400, maxTtl: ONE_YEAR_SECONDS });

/**
 * Fills omitted DefaultTTL/MaxTTL the way the cache-policy API does (spec §2.1): DefaultTTL
 * defaults to 86,400, or to MinTTL when MinTTL > 86,400; MaxTTL defaults to 31,536,000, or to
 * DefaultTTL when MinTTL or DefaultTTL exceeds 31,536,000.
 */
export function applyCachePolicyTtlDefaults(partial: {
  readonly minTtl: number;
  readonly defaultTtl?: number;
  readonly maxTtl?: number;
}): TtlPolicy {
  const minTtl = partial.minTtl;
  const defaultTtl =
    partial.defaultTtl ?? (minTtl > CACHE_POLICY_DEFAULTS.defaultTtl ? minTtl : CACHE_POLICY_DEFAULTS.defaultTtl);
  const maxTtl =
    partial.maxTtl ?? (minTtl > ONE_YEAR_SECONDS || defaultTtl > ONE_YEAR_SECONDS ? defaultTtl : CACHE_POLICY_DEFAULTS.maxTtl);
  return { minTtl, defaultTtl, maxTtl };
}

/**
 * Validates a TTL triple (spec §2.1, §2.2 "Validation"): each value a non-negative integer no
 * larger than `maxSeconds`, and MinTTL ≤ DefaultTTL ≤ MaxTTL (the API's `InvalidTTLOrder`; the
 * exact rule is [inferred]). Each message quotes `label`, the values and the fix.
 *
 * `maxSeconds` defaults to {@link ONE_YEAR_SECONDS}, the project's ceiling. Note that spec §2.1
 * implies the API itself accepts longer values ("if Min or Default exceeds 31,536,000…"); raise
 * `maxSeconds` to accept them.
 */
export function validateTtlTriple(
  t: TtlPolicy,
  label: string,
  options: { readonly maxSeconds?: number } = {},
): string[] {
  const max = options.maxSeconds ?? ONE_YEAR_SECONDS;
  const errors: string[] = [];
  const fields: [keyof TtlPolicy, string][] = [
    ['minTtl', 'MinTTL'],
    ['defaultTtl', 'DefaultTTL'],
    ['maxTtl', 'MaxTTL'],
  ];
  let allValid = true;
  for (const [key, name] of fields) {
    const v = t[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      errors.push(`${label}: ${name} must be a whole number of seconds, got ${showValue(v)}; use an integer such as 86400.`);
      allValid = false;
    } else if (v < 0) {
      errors.push(`${label}: ${name} must not be negative, got ${v}; use 0 or more seconds.`);
      allValid = false;
    } else if (v > max) {
      errors.push(`${label}: ${name} is ${v} s, more than the maximum of ${max} s (one year); lower it to at most ${max}.`);
    }
  }
  if (allValid) {
    if (t.minTtl > t.defaultTtl) {
      errors.push(
        `${label}: MinTTL (${t.minTtl}) is greater than DefaultTTL (${t.defaultTtl}); set MinTTL ≤ DefaultTTL ≤ MaxTTL (e.g. raise DefaultTTL to ${t.minTtl}).`,
      );
    }
    if (t.defaultTtl > t.maxTtl) {
      errors.push(
        `${label}: DefaultTTL (${t.defaultTtl}) is greater than MaxTTL (${t.maxTtl}); set MinTTL ≤ DefaultTTL ≤ MaxTTL (e.g. raise MaxTTL to ${t.defaultTtl}).`,
      );
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Cache-Control parsing
// ---------------------------------------------------------------------------------------------

/** Parsed origin `Cache-Control` response header (spec §2.1, §2.2). */
export interface CacheControl {
  /** `max-age` in seconds (first occurrence), capped at {@link MAX_AGE_LIMIT_SECONDS}. */
  maxAge?: number;
  /** `s-maxage` in seconds (first occurrence); wins over max-age for CloudFront. */
  sMaxage?: number;
  /** Unqualified `no-cache` only; `no-cache="Set-Cookie"` does not set this (spec §2.2). */
  noCache: boolean;
  /** Field names of qualified `no-cache="A, B"` directives, as written. */
  noCacheFields: string[];
  /** `no-store`. */
  noStore: boolean;
  /** Unqualified `private` (see {@link ParseCacheControlOptions.qualifiedPrivateIsPrivate}). */
  private: boolean;
  /** Field names of qualified `private="A"` directives, as written. */
  privateFields: string[];
  /** `stale-while-revalidate` in seconds (spec §2.3). */
  staleWhileRevalidate?: number;
  /** `stale-if-error` in seconds (spec §2.3); 0 disables serving stale on origin failure (§2.4). */
  staleIfError?: number;
  /** `must-revalidate`; no CloudFront-specific effect is documented (spec §2.2, [unverified]). */
  mustRevalidate: boolean;
  /** `proxy-revalidate`; no CloudFront-specific effect is documented (spec §2.2, [unverified]). */
  proxyRevalidate: boolean;
  /** `public`. */
  public: boolean;
  /** `immutable`. */
  immutable: boolean;
  /** `no-transform`. */
  noTransform: boolean;
}

/** Options for {@link parseCacheControl}; every choice here is [inferred] (spec §2.2). */
export interface ParseCacheControlOptions {
  /**
   * What to do with a delta-seconds directive whose value is not a non-negative integer
   * (`max-age=abc`, `max-age=-1`, `max-age=1.5`, `max-age` without a value): `'ignore'` drops the
   * directive (as if absent), `'zero'` treats it as 0 (RFC 9111 encourages "stale").
   * CloudFront's behaviour is undocumented. @default 'ignore'
   */
  readonly invalidDelta?: 'ignore' | 'zero';
  /**
   * Whether a field-qualified `private="X"` counts as `private`. RFC 9111 says a qualified private
   * still lets shared caches store the response; CloudFront's handling is undocumented.
   * @default false
   */
  readonly qualifiedPrivateIsPrivate?: boolean;
}

interface RawDirective {
  name: string;
  value: string | undefined;
  quoted: boolean;
}

/** Splits a Cache-Control value into directives, honouring quoted strings; tolerant of junk. */
function splitDirectives(v: string): RawDirective[] {
  const out: RawDirective[] = [];
  const n = v.length;
  let i = 0;
  while (i < n) {
    // skip separators and whitespace
    while (i < n && (v[i] === ',' || v[i] === ' ' || v[i] === '\t')) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && v[i] !== '=' && v[i] !== ',') i++;
    const name = v.slice(nameStart, i).trim().toLowerCase();
    let value: string | undefined;
    let quoted = false;
    if (i < n && v[i] === '=') {
      i++;
      while (i < n && (v[i] === ' ' || v[i] === '\t')) i++;
      if (i < n && v[i] === '"') {
        quoted = true;
        i++;
        let s = '';
        while (i < n && v[i] !== '"') {
          if (v[i] === '\\' && i + 1 < n) i++;
          s += v[i];
          i++;
        }
        i++; // closing quote (or end)
        value = s;
        while (i < n && v[i] !== ',') i++; // junk after the quoted string
      } else {
        const vs = i;
        while (i < n && v[i] !== ',') i++;
        value = v.slice(vs, i).trim();
      }
    }
    if (name !== '') out.push({ name, value, quoted });
  }
  return out;
}

const DIGITS = /^[0-9]+$/;

function parseDelta(value: string | undefined, mode: 'ignore' | 'zero'): number | undefined {
  if (value !== undefined && DIGITS.test(value)) {
    const n = Number(value);
    return n > MAX_AGE_LIMIT_SECONDS ? MAX_AGE_LIMIT_SECONDS : n;
  }
  return mode === 'zero' ? 0 : undefined;
}

function splitFieldNames(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Parses an origin `Cache-Control` header (spec §2.1, §2.2). Directive names are
 * case-insensitive; quoted values may contain commas; unknown directives and junk are ignored;
 * for repeated delta-seconds directives the first valid occurrence wins. `no-cache="Set-Cookie"`
 * is recorded in `noCacheFields` and does **not** set `noCache` (spec §2.2). `undefined` or an empty
 * string yields an empty result.
 */
export function parseCacheControl(value: string | undefined, options: ParseCacheControlOptions = {}): CacheControl {
  const cc: CacheControl = {
    noCache: false,
    noCacheFields: [],
    noStore: false,
    private: false,
    privateFields: [],
    mustRevalidate: false,
    proxyRevalidate: false,
    public: false,
    immutable: false,
    noTransform: false,
  };
  if (value === undefined || value === '') return cc;
  const mode = options.invalidDelta ?? 'ignore';
  for (const d of splitDirectives(value)) {
    switch (d.name) {
      case 'max-age':
        if (cc.maxAge === undefined) {
          const n = parseDelta(d.value, mode);
          if (n !== undefined) cc.maxAge = n;
        }
        break;
      case 's-maxage':
        if (cc.sMaxage === undefined) {
          const n = parseDelta(d.value, mode);
          if (n !== undefined) cc.sMaxage = n;
        }
        break;
      case 'stale-while-revalidate':
        if (cc.staleWhileRevalidate === undefined) {
          const n = parseDelta(d.value, mode);
          if (n !== undefined) cc.staleWhileRevalidate = n;
        }
        break;
      case 'stale-if-error':
        if (cc.staleIfError === undefined) {
          const n = parseDelta(d.value, mode);
          if (n !== undefined) cc.staleIfError = n;
        }
        break;
      case 'no-cache':
        if (d.value === undefined || (d.value === '' && !d.quoted)) cc.noCache = true;
        else {
          const fields = splitFieldNames(d.value);
          if (fields.length === 0) cc.noCache = true;
          else cc.noCacheFields.push(...fields);
        }
        break;
      case 'private':
        if (d.value === undefined || (d.value === '' && !d.quoted)) cc.private = true;
        else {
          const fields = splitFieldNames(d.value);
          if (fields.length === 0) cc.private = true;
          else {
            cc.privateFields.push(...fields);
            if (options.qualifiedPrivateIsPrivate === true) cc.private = true;
          }
        }
        break;
      case 'no-store':
        cc.noStore = true;
        break;
      case 'must-revalidate':
        cc.mustRevalidate = true;
        break;
      case 'proxy-revalidate':
        cc.proxyRevalidate = true;
        break;
      case 'public':
        cc.public = true;
        break;
      case 'immutable':
        cc.immutable = true;
        break;
      case 'no-transform':
        cc.noTransform = true;
        break;
      default:
        break;
    }
  }
  return cc;
}

/**
 * True when the response carries one of the directives that stop caching at MinTTL = 0 (and are
 * overridden to MinTTL when MinTTL > 0): `no-store`, unqualified `no-cache`, `private` (spec §2.2).
 */
export function hasNoStoreDirective(cc: CacheControl): boolean {
  return cc.noStore || cc.noCache || cc.private;
}

// ---------------------------------------------------------------------------------------------
// HTTP dates
// ---------------------------------------------------------------------------------------------

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utcSeconds(y: number, mon: number | undefined, d: number, h: number, mi: number, s: number): number | undefined {
  if (mon === undefined || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, mon, d, h, mi, s);
  const check = new Date(Date.UTC(y, mon, d));
  if (check.getUTCMonth() !== mon) return undefined; // e.g. 31 Feb
  return ms / 1000;
}

/**
 * Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime; RFC 9110 §5.6.7) to Unix seconds, or
 * `undefined` when invalid (spec §2.2: an invalid `Expires` counts as already expired [inferred]).
 * Stricter than `Date.parse`, which accepts values such as "0". Names are matched
 * case-insensitively. Two-digit RFC 850 years more than 50 years after `nowSec`'s year belong to the
 * previous century (RFC 9110); without `nowSec`, years 70–99 are 19xx and 00–69 are 20xx.
 */
export function parseHttpDate(value: string, nowSec?: number): number | undefined {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) {
    return utcSeconds(Number(m[3]), MONTHS[m[2]!.toLowerCase()], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = RFC850_DATE.exec(v);
  if (m) {
    const yy = Number(m[3]);
    let year: number;
    if (nowSec !== undefined && Number.isFinite(nowSec)) {
      const nowYear = new Date(nowSec * 1000).getUTCFullYear();
      year = Math.floor(nowYear / 100) * 100 + yy;
      if (year > nowYear + 50) year -= 100;
    } else {
      year = yy < 70 ? 2000 + yy : 1900 + yy;
    }
    return utcSeconds(year, MONTHS[m[2]!.toLowerCase()], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(v);
  if (m) {
    return utcSeconds(Number(m[6]), MONTHS[m[1]!.toLowerCase()], Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// TTL decision table
// ---------------------------------------------------------------------------------------------

/** Which row of the decision table produced the TTL (spec §2.2). */
export type TtlSource = 'no-store' | 'min-ttl-override' | 's-maxage' | 'max-age' | 'expires' | 'default';

/**
 * Outcome of {@link resolveTtl} (spec §2.2).
 *
 * `cacheable` means "the response is stored". With a header-derived TTL of 0 (`max-age=0`, a past
 * `Expires`) the object is stored but immediately stale, so every request revalidates
 * (`cacheable: true, ttl: 0`); a policy with MaxTTL = 0 never stores anything; a DefaultTTL of 0 on
 * a header-less response means "not cached" (the UseOriginCacheControlHeaders pair, spec §5.6).
 */
export interface TtlDecision {
  /** Whether CloudFront stores the response. */
  cacheable: boolean;
  /** Freshness lifetime in seconds (0 when not cacheable). May be fractional only for `expires` with a fractional `nowSec`. */
  ttl: number;
  /** The decision-table row used. */
  source: TtlSource;
}

/** Options for {@link resolveTtl}: the Cache-Control parsing choices ([inferred], spec §2.2). */
export type ResolveTtlOptions = ParseCacheControlOptions;

/**
 * Applies the TTL decision table to an already-parsed Cache-Control (spec §2.2); `expires` is the
 * raw `Expires` header (`undefined` = absent). See {@link resolveTtl}.
 */
export function resolveTtlFromParsed(
  policy: TtlPolicy,
  cc: CacheControl,
  expires: string | undefined,
  nowSec: number,
): TtlDecision {
  const { minTtl, defaultTtl, maxTtl } = policy;
  if (hasNoStoreDirective(cc)) {
    return minTtl > 0
      ? { cacheable: true, ttl: minTtl, source: 'min-ttl-override' }
      : { cacheable: false, ttl: 0, source: 'no-store' };
  }
  let base: number;
  let source: TtlSource;
  if (cc.sMaxage !== undefined) {
    base = cc.sMaxage;
    source = 's-maxage';
  } else if (cc.maxAge !== undefined) {
    base = cc.maxAge;
    source = 'max-age';
  } else if (expires !== undefined) {
    const at = parseHttpDate(expires, nowSec);
    base = at === undefined ? 0 : Math.max(0, at - nowSec);
    source = 'expires';
  } else {
    const ttl = Math.max(minTtl, defaultTtl);
    return ttl > 0 ? { cacheable: true, ttl, source: 'default' } : { cacheable: false, ttl: 0, source: 'default' };
  }
  if (maxTtl <= 0) return { cacheable: false, ttl: 0, source };
  return { cacheable: true, ttl: Math.min(Math.max(base, minTtl), maxTtl), source };
}

/**
 * Computes how long CloudFront caches a cacheable 2xx/3xx response (spec §2.2 decision table and
 * reference algorithm):
 * - `no-store`, unqualified `no-cache` or `private`: not cached when MinTTL = 0, else cached for
 *   MinTTL (the directive is overridden — CachingOptimized caches `private` for 1 s);
 * - otherwise `s-maxage` > `max-age` > `Expires` (invalid date ⇒ 0 [inferred]), clamped to
 *   [MinTTL, MaxTTL];
 * - no freshness header: `max(MinTTL, DefaultTTL)` (MaxTTL is not consulted).
 * Viewer Cache-Control/Pragma never matter (spec §2.1). Status-code rules are separate:
 * {@link isCacheableSuccessStatus}, {@link errorCachingDecision}.
 */
export function resolveTtl(
  policy: TtlPolicy,
  headers: { readonly cacheControl?: string; readonly expires?: string },
  nowSec: number,
  options: ResolveTtlOptions = {},
): TtlDecision {
  return resolveTtlFromParsed(policy, parseCacheControl(headers.cacheControl, options), headers.expires, nowSec);
}

// ---------------------------------------------------------------------------------------------
// Stale content
// ---------------------------------------------------------------------------------------------

/**
 * How the MaxTTL cap on stale windows is anchored (spec §2.3, [unverified]):
 * - `'expiry'` (default): `staleUntil = expiresAt + min(N, MaxTTL)`;
 * - `'stored'`: `staleUntil = min(expiresAt + N, storedAt + MaxTTL)`.
 */
export type StaleAnchoring = 'expiry' | 'stored';

/** Absolute end times (Unix seconds) of the stale windows; absent when the directive is absent. spec §2.3 */
export interface StaleWindows {
  /** Until when a stale copy is served immediately while refreshing in the background. */
  staleWhileRevalidateUntil?: number;
  /** Until when a stale copy is served after a 5xx/unreachable origin. */
  staleIfErrorUntil?: number;
}

/**
 * Stale-content windows for a stored object (spec §2.3): `stale-while-revalidate=N` and
 * `stale-if-error=N`, each capped by MaxTTL. The anchoring of the cap is [unverified]; the default
 * (`anchoring: 'expiry'`) follows the spec's default emulator rule, `'stored'` is the alternative.
 * A window with N = 0 ends at `expiresAtSec` (no stale serving).
 */
export function staleWindows(
  policy: TtlPolicy,
  cc: CacheControl,
  times: { readonly storedAtSec: number; readonly expiresAtSec: number },
  options: { readonly anchoring?: StaleAnchoring } = {},
): StaleWindows {
  const anchoring = options.anchoring ?? 'expiry';
  const until = (n: number): number =>
    anchoring === 'expiry'
      ? times.expiresAtSec + Math.min(n, policy.maxTtl)
      : Math.max(times.expiresAtSec, Math.min(times.expiresAtSec + n, times.storedAtSec + policy.maxTtl));
  const out: StaleWindows = {};
  if (cc.staleWhileRevalidate !== undefined) out.staleWhileRevalidateUntil = until(cc.staleWhileRevalidate);
  if (cc.staleIfError !== undefined) out.staleIfErrorUntil = until(cc.staleIfError);
  return out;
}

/**
 * Whether an expired copy may be served when the origin fails (5xx/unreachable) and the response
 * had no `stale-if-error` window (spec §2.4): yes when MinTTL or MaxTTL > 0 — even for responses
 * that arrived with no-cache/no-store/private — unless the origin sent `stale-if-error=0`. The copy
 * is then served for the error caching minimum TTL (default 10 s) before the origin is retried.
 */
export function mayServeStaleOnOriginError(policy: TtlPolicy, cc: CacheControl): boolean {
  if (cc.staleIfError === 0) return false;
  return policy.minTtl > 0 || policy.maxTtl > 0;
}

// ---------------------------------------------------------------------------------------------
// Status codes and error caching
// ---------------------------------------------------------------------------------------------

/**
 * Whether a 2xx/3xx origin status is cached per §2 (spec §3.2): 2xx and 3xx except 304 (used only
 * for revalidation); 307 and 308 only when the response carries a `Cache-Control` header.
 * 206 returns true (partial ranges are cached, spec §7).
 */
export function isCacheableSuccessStatus(status: number, hasCacheControl: boolean): boolean {
  if (!Number.isInteger(status) || status < 200 || status > 399 || status === 304) return false;
  if (status === 307 || status === 308) return hasCacheControl;
  return true;
}

/** Status codes that may have a custom error page (spec §3.4). */
export const CUSTOM_ERROR_PAGE_CODES: readonly number[] = Object.freeze([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);

/** Primary-origin statuses selectable as origin-group failover criteria (spec §9.2). */
export const ORIGIN_FAILOVER_STATUS_CODES: readonly number[] = Object.freeze([400, 403, 404, 416, 500, 502, 503, 504]);

/** Error codes cached even without freshness headers (spec §3.3). 410 is handled by an option. */
export const ALWAYS_CACHED_ERROR_CODES: readonly number[] = Object.freeze([404, 414, 500, 501, 502, 503, 504]);

/** Error codes cached only when the origin sends `max-age` or `s-maxage` (spec §3.3). */
export const CONDITIONALLY_CACHED_ERROR_CODES: readonly number[] = Object.freeze([400, 403, 405, 412, 415]);

/** Error codes for which no-store/no-cache/private prevents caching (spec §3.3). */
export const NO_STORE_SUPPRESSIBLE_ERROR_CODES: readonly number[] = Object.freeze([404, 410, 414, 501]);

/** Default ErrorCachingMinTTL, seconds (spec §3.3). */
export const DEFAULT_ERROR_CACHING_MIN_TTL = 10;

/** Machine-friendly reason of an {@link errorCachingDecision}. spec §3.3 */
export type ErrorCachingReason =
  | 'caching-disabled'
  | 'never-cached-416'
  | 'status-not-cacheable'
  | 'directive-prevents-caching'
  | 'requires-max-age'
  | 'zero-ttl'
  | 'cached';

/** Inputs of {@link errorCachingDecision}. spec §3.3 */
export interface ErrorCachingOptions {
  /** ErrorCachingMinTTL for this status (CustomErrorResponses). @default 10 */
  readonly errorCachingMinTtl?: number;
  /** Origin `Cache-Control`. */
  readonly cacheControl?: string;
  /** Origin `Expires` (invalid ⇒ 0 [inferred]). */
  readonly expires?: string;
  /** The behaviour's MaxTTL; caps the header TTL. */
  readonly maxTtl: number;
  /** The origin is S3: an ErrorCachingMinTTL of 0 becomes an effective 1 s. @default false */
  readonly s3Origin?: boolean;
  /** The behaviour uses CachingDisabled (errors are not cached). @default false */
  readonly cachingDisabled?: boolean;
  /**
   * Treat 410 like the "always cached" class. The docs are ambiguous ([inferred], spec §3.3).
   * @default true
   */
  readonly treat410AsAlwaysCached?: boolean;
  /** Cache-Control parsing choices ([inferred]). */
  readonly parse?: ParseCacheControlOptions;
}

/**
 * Whether and how long an origin error response is cached (spec §3.3):
 * - CachingDisabled ⇒ never; 416 ⇒ never;
 * - 404, 414, 500–504 (and 410 unless `treat410AsAlwaysCached: false`) are always cacheable;
 *   400, 403, 405, 412, 415 only when the origin sent `max-age` or `s-maxage`; others never;
 * - no-store / unqualified no-cache / private prevent caching of 404, 410, 414 and 501 (which also
 *   covers the S3-501 special case); for other codes they are ignored and the error is cached for
 *   ErrorCachingMinTTL;
 * - otherwise TTL = `max(ErrorCachingMinTTL, header TTL)` with header TTL =
 *   s-maxage/max-age/Expires capped at MaxTTL; an S3 origin raises an ErrorCachingMinTTL of 0 to 1.
 * A resulting TTL of 0 means "not cached" (`reason: 'zero-ttl'`).
 */
export function errorCachingDecision(
  status: number,
  opts: ErrorCachingOptions,
  nowSec: number,
): { cacheable: boolean; ttl: number; reason: ErrorCachingReason } {
  const no = (reason: ErrorCachingReason) => ({ cacheable: false, ttl: 0, reason });
  if (opts.cachingDisabled === true) return no('caching-disabled');
  if (status === 416) return no('never-cached-416');
  const treat410 = opts.treat410AsAlwaysCached ?? true;
  const always = ALWAYS_CACHED_ERROR_CODES.includes(status) || (status === 410 && treat410);
  const conditional = CONDITIONALLY_CACHED_ERROR_CODES.includes(status);
  if (!always && !conditional) return no('status-not-cacheable');
  const cc = parseCacheControl(opts.cacheControl, opts.parse);
  const noStore = hasNoStoreDirective(cc);
  if (noStore && NO_STORE_SUPPRESSIBLE_ERROR_CODES.includes(status)) return no('directive-prevents-caching');
  if (conditional && cc.maxAge === undefined && cc.sMaxage === undefined) return no('requires-max-age');
  let minTtl = opts.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL;
  if (minTtl === 0 && opts.s3Origin === true) minTtl = 1;
  let headerTtl = 0;
  if (!noStore) {
    if (cc.sMaxage !== undefined) headerTtl = cc.sMaxage;
    else if (cc.maxAge !== undefined) headerTtl = cc.maxAge;
    else if (opts.expires !== undefined) {
      const at = parseHttpDate(opts.expires, nowSec);
      headerTtl = at === undefined ? 0 : Math.max(0, at - nowSec);
    }
    headerTtl = Math.min(headerTtl, Math.max(0, opts.maxTtl));
  }
  const ttl = Math.max(minTtl, headerTtl);
  return ttl > 0 ? { cacheable: true, ttl, reason: 'cached' } : no('zero-ttl');
}
