/**
 * Warm-request expansion: for each path to warm, the requests whose cache keys are the ones viewers
 * will hit — one per normalized Accept-Encoding value the behavior's cache policy keys on (`br,gzip`,
 * `gzip`, none) and per image `format` when the policy keys on that query parameter — de-duplicated by
 * the cache key lib/semantics `computeCacheKey` gives (spec §5.2, §5.3). Paths that cannot be warmed
 * (never cached, signed without a signer, method not allowed) are reported, not sent.
 */
import { compileBehaviorSelector, computeCacheKey, type CacheKeyPolicy, type NormalizedAcceptEncoding } from '../semantics';
import type { DistributionModel, ModelBehavior } from '../distribution';

/** The Accept-Encoding variants viewers produce: each is a distinct key when the policy enables compression. */
export type EncodingVariant = NormalizedAcceptEncoding | 'none';

/** Encoding variants, most common first (browsers send br and gzip; players, TVs and curl often nothing). */
export const ENCODING_VARIANTS: readonly EncodingVariant[] = ['br,gzip', 'none', 'gzip', 'br'];

/** What a warm request sends for each variant: a typical viewer header that normalizes to it. */
export const VARIANT_ACCEPT_ENCODING: Readonly<Record<EncodingVariant, string | undefined>> = Object.freeze({
  'br,gzip': 'gzip, deflate, br',
  gzip: 'gzip, deflate',
  br: 'br',
  none: undefined,
});

/** Default encodings to warm: what browsers and players send. */
export const DEFAULT_WARM_ENCODINGS: readonly EncodingVariant[] = ['br,gzip', 'gzip', 'none'];

/** Image formats the thumbnails behavior keys on (the normalize function's list, without `auto`). */
export const DEFAULT_IMAGE_FORMATS: readonly string[] = ['avif', 'webp', 'jpeg'];

/** A path the user (or the predictor) wants warm. */
export interface WarmTarget {
  readonly path: string;
  /** Raw query string without `?`. */
  readonly query?: string;
  /** Relative importance (predicted requests, request count); orders the work. @default 1 */
  readonly weight?: number;
  /** Expected object size, bytes, when known. */
  readonly bytes?: number;
  /** Where the target came from, for messages ("paths.txt line 3"). */
  readonly source?: string;
}

/** One request of the warming run. */
export interface WarmRequest {
  readonly path: string;
  readonly query: string;
  /** Request headers (lower case) that make up the cache key. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cacheKey: string;
  readonly behaviorPattern: string;
  readonly encoding: EncodingVariant;
  /** Image format variant, when one was added. */
  readonly format?: string;
  readonly weight: number;
  readonly bytes?: number;
  /** The behavior needs a signed URL or cookie (spec §10.2). */
  readonly signed: boolean;
  /** Index of the target this request warms. */
  readonly target: number;
}

export interface SkippedTarget {
  readonly path: string;
  readonly reason: string;
}

export interface WarmExpansion {
  readonly requests: WarmRequest[];
  readonly skipped: SkippedTarget[];
  /** Remarks about behaviors whose keys hold things warming cannot supply (headers, cookies). */
  readonly notes: string[];
}

export interface ExpandOptions {
  /** Encoding variants to warm. @default DEFAULT_WARM_ENCODINGS */
  readonly encodings?: readonly EncodingVariant[];
  /** Image formats to warm where the key holds `format`; empty for none. @default DEFAULT_IMAGE_FORMATS */
  readonly imageFormats?: readonly string[];
  /** A signer is available for behaviors with trusted key groups. @default false */
  readonly canSign?: boolean;
}

function keysQueryParam(p: CacheKeyPolicy, name: string): boolean {
  const q = p.queryStrings;
  if (q.behavior === 'all') return true;
  if (q.behavior === 'whitelist') return (q.names ?? []).includes(name);
  if (q.behavior === 'allExcept') return !(q.names ?? []).includes(name);
  return false;
}

function hasParam(query: string, name: string): boolean {
  return query.split('&').some((kv) => kv.split('=')[0] === name);
}

/**
 * Expands targets into warm requests, one per distinct cache key, in target order (see
 * {@link orderWarmRequests} in schedule.ts for the sending order).
 */
export function expandWarmRequests(model: DistributionModel, targets: readonly WarmTarget[], opts: ExpandOptions = {}): WarmExpansion {
  const select = compileBehaviorSelector(model.behaviors);
  const encodings = opts.encodings ?? DEFAULT_WARM_ENCODINGS;
  const formats = opts.imageFormats ?? DEFAULT_IMAGE_FORMATS;
  const requests: WarmRequest[] = [];
  const skipped: SkippedTarget[] = [];
  const notes = new Set<string>();
  const seen = new Set<string>();
  targets.forEach((t, index) => {
    const b: ModelBehavior = select(t.path) ?? model.defaultBehavior;
    const policy = b.cachePolicy;
    const where = `behavior '${b.pathPattern}'`;
    if (policy.cachingDisabled) {
      skipped.push({ path: t.path, reason: `${where} never caches (cache policy ${policy.name}); there is nothing to warm.` });
      return;
    }
    if (!b.allowedMethods.includes('GET') || !b.cachedMethods.includes('GET')) {
      skipped.push({ path: t.path, reason: `${where} does not cache GET.` });
      return;
    }
    const signed = b.trustedKeyGroupIds.length > 0;
    if (signed && opts.canSign !== true) {
      skipped.push({ path: t.path, reason: `${where} requires signed URLs or cookies; pass --signing-key <private key PEM> and --key-pair-id to warm it.` });
      return;
    }
    if (policy.key.headers.length > 0) notes.add(`${where} keys on headers ${policy.key.headers.join(', ')}; warm requests send none of them, so they warm the header-less variant only.`);
    if (policy.key.cookies.behavior !== 'none') notes.add(`${where} keys on cookies; warm requests send none, so they warm the cookie-less variant only.`);
    const base = t.query ?? '';
    const queries: { query: string; format?: string }[] = [];
    if (formats.length > 0 && keysQueryParam(policy.key, 'format') && !hasParam(base, 'format')) {
      for (const f of formats) queries.push({ query: base ? `${base}&format=${f}` : `format=${f}`, format: f });
    } else queries.push({ query: base });
    const compressionKeyed = policy.key.enableAcceptEncodingGzip || policy.key.enableAcceptEncodingBrotli;
    const encs: EncodingVariant[] = compressionKeyed ? [...encodings] : ['none'];
    for (const q of queries) {
      for (const enc of encs) {
        const ae = VARIANT_ACCEPT_ENCODING[enc];
        const headers: Record<string, string> = ae === undefined ? {} : { 'accept-encoding': ae };
        const cacheKey = computeCacheKey(model.domainName, policy.key, { method: 'GET', path: t.path, query: q.query, headers });
        if (seen.has(cacheKey)) continue;
        seen.add(cacheKey);
        requests.push({
          path: t.path, query: q.query, headers, cacheKey, behaviorPattern: b.pathPattern, encoding: enc,
          ...(q.format !== undefined ? { format: q.format } : {}),
          weight: t.weight ?? 1,
          ...(t.bytes !== undefined ? { bytes: t.bytes } : {}),
          signed, target: index,
        });
      }
    }
  });
  return { requests, skipped, notes: [...notes] };
}
