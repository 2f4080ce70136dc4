/**
 * Cache keys: cache-policy model, Accept-Encoding normalisation, query/cookie parsing, the
 * emulator key recipe and cache-policy validation (spec §3.1, §5).
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-the-cache-key.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-the-cache-key.html ,
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ParametersInCacheKeyAndForwardedToOrigin.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/QueryStringParameters.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Cookies.html
 */
import { CLOUDFRONT_LIMITS } from './limits';
import { showValue } from './format';

/** Cookie / query-string behaviours of a cache policy (spec §5.2). */
export type KeyListBehavior = 'none' | 'whitelist' | 'allExcept' | 'all';

/**
 * The cache-key part of a cache policy (`ParametersInCacheKeyAndForwardedToOrigin`, spec §5.2).
 * `headers` is the whitelist (empty = `none`; a cache policy has no "all headers").
 */
export interface CacheKeyPolicy {
  /** Header names in the key (matched case-insensitively). */
  readonly headers: readonly string[];
  /** Cookies in the key (names case-sensitive). */
  readonly cookies: { behavior: KeyListBehavior; names?: readonly string[] };
  /** Query-string parameters in the key (names case-sensitive, order preserved). */
  readonly queryStrings: { behavior: KeyListBehavior; names?: readonly string[] };
  /** EnableAcceptEncodingGzip. */
  readonly enableAcceptEncodingGzip: boolean;
  /** EnableAcceptEncodingBrotli. */
  readonly enableAcceptEncodingBrotli: boolean;
}

/** Viewer HTTP versions as far as the key is concerned (spec §5.3, §10.5). */
export type ViewerHttpVersion = '1.0' | '1.1' | '2' | '3';

/** Normalised Accept-Encoding values that enter the key (spec §5.3). */
export type NormalizedAcceptEncoding = 'br,gzip' | 'gzip' | 'br';

/** A viewer request as the key builder sees it (spec §5.1, §5.2). */
export interface ViewerRequest {
  /** HTTP method, e.g. `GET`; only `OPTIONS` enters the key (exact, case-sensitive comparison). */
  method: string;
  /** Raw URL path as received (no query string; a `?` in it is kept as part of the path). */
  path: string;
  /** Raw query string without the leading `?` (a leading `?` is tolerated). */
  query?: string;
  /** Request headers keyed by lower-case name. */
  headers?: Record<string, string | undefined>;
  /** Cookies by name; when absent they are parsed from `headers.cookie`. */
  cookies?: Record<string, string>;
  /** Viewer HTTP version; HTTP/1.0 has Accept-Encoding removed (spec §5.3). @default '1.1' */
  httpVersion?: ViewerHttpVersion;
}

/**
 * Signed-URL query parameters that CloudFront strips before forwarding — and therefore before
 * keying [inferred] (spec §5.8, §10.2; stripping of `Hash-Algorithm` is [inferred]). Case-sensitive.
 */
export const SIGNED_URL_PARAMS: readonly string[] = Object.freeze(['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm']);
const SIGNED_URL_PARAM_SET: ReadonlySet<string> = new Set(SIGNED_URL_PARAMS);

/**
 * Header names (lower case) that can never be cache-key headers (spec §5.2): `connection`, `cookie`
 * (use the cookie setting), `proxy-authorization`, `te`, `upgrade`, plus the CloudFront viewer
 * headers that can only be forwarded by an origin request policy (`cloudfront-viewer-address`,
 * `-asn`, `-ja3-fingerprint`, `-tls`; `-ja4-fingerprint` by analogy [inferred]).
 */
export const headersNeverInKey: readonly string[] = Object.freeze([
  'connection',
  'cookie',
  'proxy-authorization',
  'te',
  'upgrade',
  'cloudfront-viewer-address',
  'cloudfront-viewer-asn',
  'cloudfront-viewer-ja3-fingerprint',
  'cloudfront-viewer-ja4-fingerprint',
  'cloudfront-viewer-tls',
]);
const HEADERS_NEVER_IN_KEY_SET: ReadonlySet<string> = new Set(headersNeverInKey);

/** Header names (lower case) not allowed in the key for S3 (and MediaStore) origins (spec §5.2). */
export const HEADERS_NOT_IN_KEY_FOR_S3: readonly string[] = Object.freeze(['host']);

// ---------------------------------------------------------------------------------------------
// Accept-Encoding
// ---------------------------------------------------------------------------------------------

/** Options for {@link normalizeAcceptEncoding}; both choices are [inferred] (spec §5.3). */
export interface AcceptEncodingOptions {
  /**
   * Treat `gzip;q=0` / `br;q=0` as "not accepted". The spec says q-values are dropped, so the
   * default counts the token as present. @default false
   */
  readonly honorQZero?: boolean;
}

/**
 * Which of `gzip` / `br` a viewer's Accept-Encoding lists. Tokens are compared case-insensitively;
 * parameters (`;q=…`) are dropped unless `honorQZero` is set. spec §5.3
 */
export function acceptedEncodings(
  acceptEncoding: string | undefined,
  options: AcceptEncodingOptions = {},
): { gzip: boolean; br: boolean } {
  let gzip = false;
  let br = false;
  if (acceptEncoding === undefined || acceptEncoding === '') return { gzip, br };
  for (const part of acceptEncoding.split(',')) {
    const semi = part.indexOf(';');
    const token = (semi >= 0 ? part.slice(0, semi) : part).trim().toLowerCase();
    if (token !== 'gzip' && token !== 'br') continue;
    if (options.honorQZero === true && semi >= 0 && isQZero(part.slice(semi + 1))) continue;
    if (token === 'gzip') gzip = true;
    else br = true;
  }
  return { gzip, br };
}

function isQZero(params: string): boolean {
  for (const p of params.split(';')) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === 'q') {
      const q = Number(p.slice(eq + 1).trim());
      return q === 0;
    }
  }
  return false;
}

/**
 * The normalised Accept-Encoding CloudFront puts in the key and sends to the origin when
 * EnableAcceptEncodingGzip/Brotli is on (spec §5.3 table): `'br,gzip'`, `'gzip'`, `'br'`, or
 * `undefined` ("not in key"; the origin then gets `identity`, or nothing when the viewer sent no
 * header). Returns `undefined` when both flags are off and for HTTP/1.0 viewers (header removed).
 * Other tokens (`deflate`, `*`, q-values) are ignored.
 */
export function normalizeAcceptEncoding(
  acceptEncoding: string | undefined,
  gzip: boolean,
  brotli: boolean,
  httpVersion?: ViewerHttpVersion,
  options: AcceptEncodingOptions = {},
): NormalizedAcceptEncoding | undefined {
  if (httpVersion === '1.0') return undefined;
  if (!gzip && !brotli) return undefined;
  const acc = acceptedEncodings(acceptEncoding, options);
  const useBr = brotli && acc.br;
  const useGzip = gzip && acc.gzip;
  if (useBr && useGzip) return 'br,gzip';
  if (useGzip) return 'gzip';
  if (useBr) return 'br';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Query strings and cookies
// ---------------------------------------------------------------------------------------------

/**
 * Splits a raw query string into `[name, value]` pairs in original order, without decoding (spec
 * §5.2: names and values are case-sensitive, order matters, only `&` separates — `;` is part of a
 * value). One leading `?` is ignored; empty segments (`a=1&&b=2`) are dropped; a parameter without
 * `=` gets the value `''` [inferred].
 */
export function parseQueryString(q: string): [string, string][] {
  const out: [string, string][] = [];
  if (q === '') return out;
  const s = q.charCodeAt(0) === 63 ? q.slice(1) : q;
  let start = 0;
  const n = s.length;
  while (start <= n) {
    let end = s.indexOf('&', start);
    if (end < 0) end = n;
    if (end > start) {
      const eq = s.indexOf('=', start);
      if (eq >= 0 && eq < end) out.push([s.slice(start, eq), s.slice(eq + 1, end)]);
      else out.push([s.slice(start, end), '']);
    }
    start = end + 1;
  }
  return out;
}

/**
 * Parses a `Cookie` request header into `[name, value]` pairs in header order, keeping duplicates
 * (spec §5.2). Pairs are separated by `;`; names and values are trimmed and not decoded; a pair
 * without `=` becomes `[pair, '']` [inferred]; empty pairs are dropped.
 */
export function parseCookieHeader(header: string | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (header === undefined || header === '') return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq >= 0 ? part.slice(0, eq) : part).trim();
    const value = eq >= 0 ? part.slice(eq + 1).trim() : '';
    if (name === '' && value === '') continue;
    out.push([name, value]);
  }
  return out;
}

function selectByBehavior(
  pairs: readonly (readonly [string, string])[],
  spec: { behavior: KeyListBehavior; names?: readonly string[] },
): [string, string][] {
  switch (spec.behavior) {
    case 'none':
      return [];
    case 'all':
      return pairs.map(([n, v]) => [n, v]);
    case 'whitelist': {
      const names = new Set(spec.names ?? []);
      return pairs.filter(([n]) => names.has(n)).map(([n, v]) => [n, v]);
    }
    case 'allExcept': {
      const names = new Set(spec.names ?? []);
      return pairs.filter(([n]) => !names.has(n)).map(([n, v]) => [n, v]);
    }
    default:
      return [];
  }
}

/**
 * The query parameters a policy puts in the key, in original order (spec §5.2), after the
 * signed-URL parameters are removed (unless `stripSignedUrlParams` is false).
 */
export function selectedQueryParams(
  policy: CacheKeyPolicy,
  query: string | undefined,
  options: { readonly stripSignedUrlParams?: boolean } = {},
): [string, string][] {
  if (policy.queryStrings.behavior === 'none' || query === undefined || query === '') return [];
  let pairs = parseQueryString(query);
  if (options.stripSignedUrlParams !== false) pairs = pairs.filter(([n]) => !SIGNED_URL_PARAM_SET.has(n));
  return selectByBehavior(pairs, policy.queryStrings);
}

/**
 * The cookies a policy puts in the key, sorted by name (code-unit order, case-sensitive; stable for
 * duplicate names) (spec §5.2). Uses `req.cookies` when given, else parses `headers.cookie`.
 */
export function selectedCookies(policy: CacheKeyPolicy, req: ViewerRequest): [string, string][] {
  if (policy.cookies.behavior === 'none') return [];
  const pairs: [string, string][] = req.cookies
    ? Object.entries(req.cookies)
    : parseCookieHeader(req.headers?.['cookie']);
  const selected = selectByBehavior(pairs, policy.cookies);
  selected.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return selected;
}

// ---------------------------------------------------------------------------------------------
// Cache key
// ---------------------------------------------------------------------------------------------

/** Options for {@link computeCacheKey} (spec §5.2, §10.2). */
export interface CacheKeyOptions {
  /**
   * Remove {@link SIGNED_URL_PARAMS} from the query string before keying. That CloudFront does so
   * is [inferred] from the origin-request stripping (spec §10.2). @default true
   */
  readonly stripSignedUrlParams?: boolean;
  /** Accept-Encoding parsing choices ([inferred]). */
  readonly acceptEncoding?: AcceptEncodingOptions;
}

const policyHeaderCache = new WeakMap<readonly string[], string[]>();

/** Lower-cased, de-duplicated, sorted key header names (cached per headers array). */
function sortedKeyHeaders(headers: readonly string[]): string[] {
  let h = policyHeaderCache.get(headers);
  if (h === undefined) {
    h = [...new Set(headers.map((x) => x.toLowerCase()))].sort();
    policyHeaderCache.set(headers, h);
  }
  return h;
}

/**
 * The components of a cache key in recipe order (spec §5.2 "Emulator key recipe"); see
 * {@link computeCacheKey}. Header values are `null` when the header is absent (absent ≠ empty
 * [inferred]); `acceptEncoding` is present only when the policy enables gzip or Brotli.
 */
export interface CacheKeyParts {
  domain: string;
  path: string;
  options: boolean;
  headers: [string, string | null][];
  cookies: [string, string][];
  query: [string, string][];
  acceptEncoding?: NormalizedAcceptEncoding | null;
}

/** Builds the structured key parts (spec §3.1, §5.1, §5.2, §5.3). */
export function cacheKeyParts(
  domain: string,
  policy: CacheKeyPolicy,
  req: ViewerRequest,
  options: CacheKeyOptions = {},
): CacheKeyParts {
  const reqHeaders = req.headers ?? {};
  const headers: [string, string | null][] = sortedKeyHeaders(policy.headers).map((h) => [h, reqHeaders[h] ?? null]);
  const parts: CacheKeyParts = {
    domain,
    path: req.path,
    options: req.method === 'OPTIONS',
    headers,
    cookies: selectedCookies(policy, req),
    query: selectedQueryParams(policy, req.query, options),
  };
  if (policy.enableAcceptEncodingGzip || policy.enableAcceptEncodingBrotli) {
    parts.acceptEncoding =
      normalizeAcceptEncoding(
        reqHeaders['accept-encoding'],
        policy.enableAcceptEncodingGzip,
        policy.enableAcceptEncodingBrotli,
        req.httpVersion,
        options.acceptEncoding,
      ) ?? null;
  }
  return parts;
}

/**
 * Computes a deterministic, injective cache-key string following the spec's emulator recipe
 * (spec §5.2; §3.1 for OPTIONS; §5.3 for Accept-Encoding):
 * `[domain, rawPath, 'OPTIONS'?, headers, cookies, query, normalizedAE?]` rendered as JSON, where
 * - the method enters only when it is exactly `OPTIONS`;
 * - headers are the policy's names lower-cased and sorted, each with the request value or `null`
 *   when absent (absent ≠ empty);
 * - cookies are the selected cookies sorted by name; query parameters are the selected ones in
 *   original order (signed-URL parameters removed first), names/values raw and case-sensitive;
 * - the normalised Accept-Encoding comes last when gzip or Brotli is enabled (`null` = "not in key").
 * Two requests share a cached object iff their keys are equal.
 */
export function computeCacheKey(
  domain: string,
  policy: CacheKeyPolicy,
  req: ViewerRequest,
  options: CacheKeyOptions = {},
): string {
  const p = cacheKeyParts(domain, policy, req, options);
  const arr: unknown[] = [p.domain, p.path];
  if (p.options) arr.push('OPTIONS');
  arr.push(p.headers, p.cookies, p.query);
  if (p.acceptEncoding !== undefined) arr.push(p.acceptEncoding);
  return JSON.stringify(arr);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Options for {@link validateCacheKeyPolicy} (spec §5.2, §15.1). */
export interface ValidateCacheKeyPolicyOptions {
  /** The behaviours using the policy point at an S3 (or MediaStore) origin: `Host` is not allowed. */
  readonly s3Origin?: boolean;
  /** Per-list name limit (adjustable quota). @default 10 */
  readonly maxNamesPerList?: number;
  /** Total characters of all names (adjustable quota). @default 1024 */
  readonly maxTotalNameChars?: number;
}

/**
 * Validates the key part of a cache policy (spec §5.2, §6.1). Reports: more than 10 headers,
 * cookies or query-string names; names totalling more than 1,024 characters; empty or duplicate
 * names; whitelist/allExcept without names; headers that can never be keyed ({@link headersNeverInKey});
 * `Host` for S3 origins; and `Accept-Encoding` as a key header, which disables CloudFront
 * compression (use the EnableAcceptEncoding flags instead). Each message names `label`, the value
 * and the fix.
 */
export function validateCacheKeyPolicy(
  p: CacheKeyPolicy,
  label: string,
  options: ValidateCacheKeyPolicyOptions = {},
): string[] {
  const errors: string[] = [];
  const maxNames = options.maxNamesPerList ?? CLOUDFRONT_LIMITS.maxHeadersPerPolicy;
  const maxChars = options.maxTotalNameChars ?? CLOUDFRONT_LIMITS.maxPolicyNamesTotalChars;

  const headers = p.headers ?? [];
  if (headers.length > maxNames) {
    errors.push(`${label}: ${headers.length} cache-key headers exceed the limit of ${maxNames}; key on fewer headers or move the rest to an origin request policy.`);
  }
  const seenHeaders = new Set<string>();
  for (const h of headers) {
    if (typeof h !== 'string' || h.trim() === '') {
      errors.push(`${label}: cache-key header name ${showValue(h)} is empty; remove it.`);
      continue;
    }
    const lower = h.toLowerCase();
    if (seenHeaders.has(lower)) {
      errors.push(`${label}: cache-key header ${showValue(h)} is listed more than once (names are case-insensitive); list it once.`);
    }
    seenHeaders.add(lower);
    if (HEADERS_NEVER_IN_KEY_SET.has(lower)) {
      const fix =
        lower === 'cookie'
          ? 'use the cookies setting instead'
          : lower.startsWith('cloudfront-viewer-')
            ? 'forward it with an origin request policy instead'
            : 'remove it';
      errors.push(`${label}: header ${showValue(h)} cannot be part of a cache key; ${fix}.`);
    }
    if (options.s3Origin === true && HEADERS_NOT_IN_KEY_FOR_S3.includes(lower)) {
      errors.push(`${label}: header ${showValue(h)} is not allowed in the cache key for an S3 origin; remove it.`);
    }
    if (lower === 'accept-encoding') {
      errors.push(
        `${label}: header ${showValue(h)} as a cache-key header disables CloudFront compression; remove it and set enableAcceptEncodingGzip/enableAcceptEncodingBrotli instead.`,
      );
    }
  }

  const checkList = (
    what: 'cookie' | 'query-string',
    spec: { behavior: KeyListBehavior; names?: readonly string[] },
  ): void => {
    const names = spec.names ?? [];
    const validBehaviors: readonly string[] = ['none', 'whitelist', 'allExcept', 'all'];
    if (!validBehaviors.includes(spec.behavior)) {
      errors.push(`${label}: ${what} behavior ${showValue(spec.behavior)} is not one of none, whitelist, allExcept, all; pick one of those.`);
    }
    if ((spec.behavior === 'whitelist' || spec.behavior === 'allExcept') && names.length === 0) {
      errors.push(`${label}: ${what} behavior '${spec.behavior}' needs at least one name; add names or use '${spec.behavior === 'whitelist' ? 'none' : 'all'}'.`);
    }
    if (names.length > maxNames) {
      errors.push(`${label}: ${names.length} ${what} names exceed the limit of ${maxNames}; list at most ${maxNames}.`);
    }
    const seen = new Set<string>();
    for (const n of names) {
      if (typeof n !== 'string' || n === '') {
        errors.push(`${label}: ${what} name ${showValue(n)} is empty; remove it.`);
        continue;
      }
      if (seen.has(n)) errors.push(`${label}: ${what} name ${showValue(n)} is listed more than once; list it once.`);
      seen.add(n);
    }
  };
  checkList('cookie', p.cookies);
  checkList('query-string', p.queryStrings);

  let total = 0;
  for (const n of [...headers, ...(p.cookies.names ?? []), ...(p.queryStrings.names ?? [])]) {
    if (typeof n === 'string') total += n.length;
  }
  if (total > maxChars) {
    errors.push(`${label}: header, cookie and query-string names total ${total} characters, more than ${maxChars}; shorten or remove names.`);
  }
  return errors;
}
