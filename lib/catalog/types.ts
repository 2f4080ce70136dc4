/**
 * Types of the content-type catalog: the one place that says how each kind of content is cached.
 * Components, policies, the simulator and the scripts all read these shapes; none keeps a copy.
 */

/** The five kinds of content the platform serves. */
export type ContentTypeName = 'video' | 'thumbnails' | 'metadata' | 'static' | 'api';

/** Origins of the distribution. `video`, `images` and `static` are S3 buckets; `metadata` and `api` are custom (HTTPS) origins. */
export type OriginName = 'video' | 'images' | 'static' | 'metadata' | 'api';

export const S3_ORIGINS: readonly OriginName[] = ['video', 'images', 'static'];
export const CUSTOM_ORIGINS: readonly OriginName[] = ['metadata', 'api'];

/** CloudFront's three allowed-method sets (spec §3.1). */
export type AllowedMethods = 'GET_HEAD' | 'GET_HEAD_OPTIONS' | 'ALL';

export const ALLOWED_METHOD_LISTS: Readonly<Record<AllowedMethods, readonly string[]>> = {
  GET_HEAD: ['GET', 'HEAD'],
  GET_HEAD_OPTIONS: ['GET', 'HEAD', 'OPTIONS'],
  ALL: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
};

/** Min/default/max TTL in seconds, as in a CloudFront cache policy. */
export interface TtlSeconds {
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
}

/**
 * What goes into the cache key (and so is forwarded to the origin). Mirrors CloudFront's
 * `ParametersInCacheKeyAndForwardedToOrigin` (spec §5.2). Lists are allow-lists; empty means none.
 */
export interface CacheKeySpec {
  readonly queryStrings: readonly string[];
  readonly headers: readonly string[];
  readonly cookies: readonly string[];
  /** Normalized Accept-Encoding (gzip and br) in the key, needed for edge compression (spec §6.1). */
  readonly acceptEncoding: boolean;
}

/**
 * How a route is cached. `custom` builds (or reuses) a cache policy from the TTLs and key;
 * `disabled` uses the managed CachingDisabled policy with the managed AllViewerExceptHostHeader
 * origin request policy (personalized routes: never cached, everything forwarded but Host).
 */
export type CachingMode = 'custom' | 'disabled';

/** Error-caching minimum TTLs (seconds) by origin status code (spec §3.3, §3.4). */
export type ErrorCachingTtls = Readonly<Partial<Record<400 | 403 | 404 | 405 | 414 | 416 | 500 | 501 | 502 | 503 | 504, number>>>;

/**
 * One route of a content type: a set of path patterns that share one cache behavior setting.
 * A content type has a main route whose id is the type's own name and may have more
 * (video manifests, signed video, personalized API).
 */
export interface RouteSpec {
  /** Unique id; the main route of a type has the type's name. Used as config override key and resource name. */
  readonly id: string;
  readonly contentType: ContentTypeName;
  readonly description: string;
  /** Path patterns (spec §1.2); leading '/' kept for readability. */
  readonly pathPatterns: readonly string[];
  readonly origin: OriginName;
  readonly caching: CachingMode;
  /** TTLs; for `disabled` routes these are 0/0/0. */
  readonly ttl: TtlSeconds;
  readonly cacheKey: CacheKeySpec;
  /** Compress objects automatically (edge gzip/brotli). */
  readonly compress: boolean;
  readonly allowedMethods: AllowedMethods;
  /** Requires a signed URL or signed cookie from the trusted key group. */
  readonly signed: boolean;
  /** Viewer-request URL normalization function attached. */
  readonly normalizeUrl: boolean;
  /**
   * Which viewer-request function normalizes the URL (a behavior takes one): `normalize` only
   * normalizes; `image` also negotiates the image format and width against the variant index
   * (lib/builders/image-function.ts). Ignored when `normalizeUrl` is false. @default 'normalize'
   */
  readonly viewerFunction?: 'normalize' | 'image';
  /**
   * `stale-while-revalidate` seconds the origins send for this route (spec §2.3): after expiry,
   * CloudFront serves the stale copy at once and revalidates in the background. At most the type's
   * update interval (`maxStaleSeconds`); 0 on never-cached routes.
   */
  readonly staleWhileRevalidate: number;
  /**
   * `stale-if-error` seconds the origins send (spec §2.3): when the origin fails (5xx, unreachable)
   * a stale copy is served for up to this long after expiry. At most the type's update interval.
   */
  readonly staleIfError: number;
}

/**
 * How objects of a content type derive cache tags (spec §8.2) from their keys: a path template in
 * which `{name}` captures one path segment (no '/') and `*` matches anything, the whole path
 * matching; `tags` are templates filled from the captures (`video:{video}`).
 */
export interface TagRule {
  readonly path: string;
  readonly tags: readonly string[];
}

/** A content type: what it is, how often it changes, what it must achieve, and its routes. */
export interface ContentTypeSpec {
  readonly name: ContentTypeName;
  readonly description: string;
  /** Object size range in bytes. */
  readonly sizeBytes: { readonly min: number; readonly max: number };
  /** How often objects of this type change; the TTLs are derived from it. */
  readonly updateIntervalSeconds: number;
  /**
   * Objects never change under the same name (hashed or versioned keys); TTLs may then exceed the
   * update interval. False for every type by default: updates replace objects in place and are
   * followed by an invalidation.
   */
  readonly immutable: boolean;
  /** Hit-ratio target, a fraction (0.95 = 95 %), measured as CloudFront's CacheHitRate. */
  readonly targetHitRatio: number;
  /** Latency target in milliseconds (time to first byte at the viewer, p95). */
  readonly targetLatencyMs: number;
  /** Text types whose bodies must be compressed by the edge. */
  readonly textual: boolean;
  /** Typical Content-Type values served for this type. */
  readonly mediaTypes: readonly string[];
  readonly errorCachingTtls: ErrorCachingTtls;
  /**
   * Cache-tag rules beyond `type:<name>` (which every object gets), tried in order; the first whose
   * path matches applies (lib/catalog/tags.ts `deriveObjectTags`). Empty: only the type tag.
   */
  readonly tagRules: readonly TagRule[];
  readonly routes: readonly RouteSpec[];
}
