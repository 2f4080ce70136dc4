/**
 * The content-type catalog: the five kinds of content, how each is cached and what it must achieve.
 * Every other part of media-cdn (components, policies, simulator, scripts) reads this module.
 *
 * TTLs are derived from each type's update interval (`deriveTtl`): the default TTL equals the update
 * interval (an object is refreshed at most one update late even without an invalidation), the minimum
 * is 0 so that an origin's `no-store`/`private` is honored (spec §2.2), and the maximum lets an origin
 * that knows better ask for up to `maxTtlIntervals` update intervals.
 */
import { ONE_YEAR_SECONDS } from '../semantics/ttl';
import type { CacheKeySpec, ContentTypeName, ContentTypeSpec, ErrorCachingTtls, RouteSpec, TtlSeconds } from './types';

export const SECOND = 1;
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
export const KB = 1000;
export const MB = 1000 * KB;
export const GB = 1000 * MB;

/**
 * TTLs from an update interval: min 0, default = interval, max = interval × `maxTtlIntervals`
 * (one year at most; one year for immutable objects).
 */
export function deriveTtl(updateIntervalSeconds: number, maxTtlIntervals: number, immutable = false): TtlSeconds {
  const maxTtl = immutable ? ONE_YEAR_SECONDS : Math.min(ONE_YEAR_SECONDS, updateIntervalSeconds * maxTtlIntervals);
  return { minTtl: 0, defaultTtl: immutable ? Math.min(ONE_YEAR_SECONDS, Math.max(updateIntervalSeconds, DAY)) : updateIntervalSeconds, maxTtl };
}

const NO_KEY: CacheKeySpec = { queryStrings: [], headers: [], cookies: [], acceptEncoding: false };
const COMPRESSED_KEY: CacheKeySpec = { ...NO_KEY, acceptEncoding: true };

/** Query parameters of the image resize/format API; the only things in the thumbnails key. */
export const IMAGE_QUERY_PARAMS = ['width', 'height', 'quality', 'format'] as const;

/** Query parameters of the public API (search, catalog listings) that select a different response. */
export const PUBLIC_API_QUERY_PARAMS = ['q', 'page', 'limit', 'sort', 'genre', 'lang', 'cursor'] as const;

/**
 * Manifests are short-lived so that a re-encode shows up within five minutes even without an
 * invalidation (ten with their five-minute stale-while-revalidate window).
 */
export const MANIFEST_DEFAULT_TTL = 5 * MINUTE;

/** Prefix of video that needs a signed URL or signed cookie. */
export const PROTECTED_VIDEO_PREFIX = '/video/premium/';

function errorTtls(notFound: number, forbidden: number | undefined, serverError: number): ErrorCachingTtls {
  const ttls: Record<number, number> = { 404: notFound, 500: serverError, 502: serverError, 503: serverError, 504: serverError };
  if (forbidden !== undefined) ttls[403] = forbidden;
  return ttls;
}

/**
 * The longest stale window (`stale-while-revalidate`, `stale-if-error`) a type may declare: one update
 * interval, so that a stale copy is never more than one update behind the copy it replaces. The
 * catalog, the stack-config overrides and the policy pack all check this one bound.
 */
export function maxStaleSeconds(type: Pick<ContentTypeSpec, 'updateIntervalSeconds'>): number {
  return type.updateIntervalSeconds;
}

interface RouteInput extends Omit<RouteSpec, 'contentType' | 'normalizeUrl' | 'signed' | 'staleWhileRevalidate' | 'staleIfError'> {
  readonly signed?: boolean;
  readonly normalizeUrl?: boolean;
  /** @default the update interval (the bound) on cached routes, 0 on never-cached ones */
  readonly staleWhileRevalidate?: number;
  /** @default the update interval on cached routes, 0 on never-cached ones */
  readonly staleIfError?: number;
}

function routes(contentType: ContentTypeName, updateIntervalSeconds: number, inputs: readonly RouteInput[]): RouteSpec[] {
  return inputs.map((r) => {
    const window = r.caching === 'disabled' ? 0 : updateIntervalSeconds;
    return { signed: false, normalizeUrl: false, staleWhileRevalidate: window, staleIfError: window, ...r, contentType };
  });
}

const VIDEO_INTERVAL = 6 * HOUR;
const VIDEO_TTL = deriveTtl(VIDEO_INTERVAL, 4);
const MANIFEST_TTL: TtlSeconds = { minTtl: 0, defaultTtl: MANIFEST_DEFAULT_TTL, maxTtl: VIDEO_INTERVAL };
const VIDEO_MANIFEST_PATTERNS = ['*.m3u8', '*.mpd'];

const video: ContentTypeSpec = {
  name: 'video',
  description: 'Video renditions (4K/1080p/720p/480p): HLS/DASH manifests, media segments and progressive MP4 files.',
  sizeBytes: { min: 1 * GB, max: 10 * GB },
  updateIntervalSeconds: VIDEO_INTERVAL,
  immutable: false,
  targetHitRatio: 0.95,
  targetLatencyMs: 200,
  textual: false,
  mediaTypes: ['video/mp4', 'video/mp2t', 'video/iso.segment', 'application/vnd.apple.mpegurl', 'application/dash+xml'],
  errorCachingTtls: errorTtls(60, 30, 10),
  // Every rendition, playlist and segment of one video changes with a re-encode: one tag for all.
  tagRules: [
    { path: `${PROTECTED_VIDEO_PREFIX}{video}/*`, tags: ['video:{video}'] },
    { path: '/video/{video}/*', tags: ['video:{video}'] },
  ],
  routes: routes('video', VIDEO_INTERVAL, [
    {
      id: 'video-protected-manifests',
      description: 'Manifests of premium titles; signed URL or cookie required.',
      pathPatterns: VIDEO_MANIFEST_PATTERNS.map((p) => `${PROTECTED_VIDEO_PREFIX}${p}`),
      origin: 'video', caching: 'custom', ttl: MANIFEST_TTL, staleWhileRevalidate: MANIFEST_DEFAULT_TTL, cacheKey: COMPRESSED_KEY, compress: true,
      allowedMethods: 'GET_HEAD_OPTIONS', signed: true,
    },
    {
      id: 'video-protected',
      description: 'Segments and progressive files of premium titles; signed URL or cookie required.',
      pathPatterns: [`${PROTECTED_VIDEO_PREFIX}*`],
      origin: 'video', caching: 'custom', ttl: VIDEO_TTL, cacheKey: NO_KEY, compress: false,
      allowedMethods: 'GET_HEAD_OPTIONS', signed: true,
    },
    {
      id: 'video-manifests',
      description: 'HLS (.m3u8) and DASH (.mpd) manifests: small text, short TTL, compressed.',
      pathPatterns: VIDEO_MANIFEST_PATTERNS.map((p) => `/video/${p}`),
      origin: 'video', caching: 'custom', ttl: MANIFEST_TTL, staleWhileRevalidate: MANIFEST_DEFAULT_TTL, cacheKey: COMPRESSED_KEY, compress: true,
      allowedMethods: 'GET_HEAD_OPTIONS',
    },
    {
      id: 'video',
      description: 'Media segments (.ts, .m4s) and progressive MP4, fetched with byte ranges; nothing in the key but the path.',
      pathPatterns: ['/video/*'],
      origin: 'video', caching: 'custom', ttl: VIDEO_TTL, cacheKey: NO_KEY, compress: false,
      allowedMethods: 'GET_HEAD_OPTIONS',
    },
  ]),
};

const THUMBNAIL_INTERVAL = 2 * HOUR;
const thumbnails: ContentTypeSpec = {
  name: 'thumbnails',
  description: 'Thumbnails and preview images, resized and re-encoded on request (width, height, quality, format).',
  sizeBytes: { min: 50 * KB, max: 500 * KB },
  updateIntervalSeconds: THUMBNAIL_INTERVAL,
  immutable: false,
  targetHitRatio: 0.9,
  targetLatencyMs: 50,
  textual: false,
  mediaTypes: ['image/jpeg', 'image/webp', 'image/avif', 'image/png'],
  errorCachingTtls: errorTtls(60, 30, 10),
  // Thumbnails and previews of a video change with it (new frames after a re-encode).
  tagRules: [
    { path: '/thumbnails/{video}/*', tags: ['video:{video}'] },
    { path: '/previews/{video}/*', tags: ['video:{video}'] },
  ],
  routes: routes('thumbnails', THUMBNAIL_INTERVAL, [
    {
      id: 'thumbnails',
      description: 'Thumbnails and previews; only the resize/format parameters are in the key.',
      pathPatterns: ['/thumbnails/*', '/previews/*'],
      origin: 'images', caching: 'custom', ttl: deriveTtl(THUMBNAIL_INTERVAL, 4),
      cacheKey: { ...NO_KEY, queryStrings: [...IMAGE_QUERY_PARAMS] }, compress: false,
      allowedMethods: 'GET_HEAD_OPTIONS', normalizeUrl: true, viewerFunction: 'image',
    },
  ]),
};

const METADATA_INTERVAL = 15 * MINUTE;
const metadata: ContentTypeSpec = {
  name: 'metadata',
  description: 'Video metadata, public profiles and playlists as JSON documents.',
  sizeBytes: { min: 1 * KB, max: 10 * KB },
  updateIntervalSeconds: METADATA_INTERVAL,
  immutable: false,
  targetHitRatio: 0.85,
  targetLatencyMs: 100,
  textual: true,
  mediaTypes: ['application/json'],
  errorCachingTtls: errorTtls(30, undefined, 5),
  // A video's metadata document (duration, renditions) changes with its re-encode; playlists alone.
  tagRules: [
    { path: '/metadata/videos/{video}.json', tags: ['video:{video}'] },
    { path: '/metadata/playlists/{playlist}.json', tags: ['playlist:{playlist}'] },
  ],
  routes: routes('metadata', METADATA_INTERVAL, [
    {
      id: 'metadata',
      description: 'JSON metadata documents, compressed at the edge.',
      pathPatterns: ['/metadata/*'],
      // a shorter stale-while-revalidate than stale-if-error: titles and summaries at most 5 minutes late
      // in normal operation, while an outage is bridged for a whole update interval
      origin: 'metadata', caching: 'custom', ttl: deriveTtl(METADATA_INTERVAL, 4), staleWhileRevalidate: 5 * MINUTE,
      cacheKey: COMPRESSED_KEY, compress: true, allowedMethods: 'GET_HEAD_OPTIONS',
    },
  ]),
};

const STATIC_INTERVAL = 24 * HOUR;
const staticAssets: ContentTypeSpec = {
  name: 'static',
  description: 'Web and TV app assets: CSS, JavaScript, fonts, HTML shell.',
  sizeBytes: { min: 10 * KB, max: 1 * MB },
  updateIntervalSeconds: STATIC_INTERVAL,
  immutable: false,
  targetHitRatio: 0.98,
  targetLatencyMs: 50,
  textual: true,
  mediaTypes: ['text/css', 'application/javascript', 'font/woff2', 'text/html', 'image/svg+xml'],
  errorCachingTtls: errorTtls(300, 30, 10),
  tagRules: [],
  routes: routes('static', STATIC_INTERVAL, [
    {
      id: 'static',
      description: 'Static assets; also the settings of the default (*) behavior that serves the app shell.',
      pathPatterns: ['/static/*', '/fonts/*'],
      origin: 'static', caching: 'custom', ttl: deriveTtl(STATIC_INTERVAL, 4),
      cacheKey: COMPRESSED_KEY, compress: true, allowedMethods: 'GET_HEAD_OPTIONS', normalizeUrl: true,
    },
  ]),
};

const API_INTERVAL = 5 * MINUTE;
const api: ContentTypeSpec = {
  name: 'api',
  description:
    'API responses. Public GETs (search, catalog listings) are cached for at most 5 minutes and honor the ' +
    "origin's Cache-Control; personalized and authenticated routes are never cached.",
  sizeBytes: { min: 1 * KB, max: 100 * KB },
  updateIntervalSeconds: API_INTERVAL,
  immutable: false,
  targetHitRatio: 0.8,
  targetLatencyMs: 150,
  textual: true,
  mediaTypes: ['application/json'],
  errorCachingTtls: errorTtls(10, undefined, 5),
  tagRules: [],
  routes: routes('api', API_INTERVAL, [
    {
      id: 'api-private',
      description: 'Personalized and authenticated routes: managed CachingDisabled + AllViewerExceptHostHeader.',
      pathPatterns: ['/api/me/*', '/api/user/*', '/api/auth/*'],
      origin: 'api', caching: 'disabled', ttl: { minTtl: 0, defaultTtl: 0, maxTtl: 0 },
      cacheKey: NO_KEY, compress: true, allowedMethods: 'ALL',
    },
    {
      id: 'api',
      description: 'Public GET routes (search, catalog listings): at most 5 minutes, origin Cache-Control honored.',
      pathPatterns: ['/api/*'],
      origin: 'api', caching: 'custom', ttl: deriveTtl(API_INTERVAL, 1),
      cacheKey: { ...COMPRESSED_KEY, queryStrings: [...PUBLIC_API_QUERY_PARAMS] }, compress: true,
      allowedMethods: 'GET_HEAD_OPTIONS',
    },
  ]),
};

/** Bound on the max TTL, in update intervals, for each mutable type (the policies enforce it). */
export const MAX_TTL_INTERVALS: Readonly<Record<ContentTypeName, number>> = {
  video: 4, thumbnails: 4, metadata: 4, static: 4, api: 1,
};

/**
 * The catalog's bound on a cached route's default TTL: the update interval, or a year for immutable
 * types. The policy pack checks it (default-ttl-within-update-interval) and the tuner searches within it.
 */
export function defaultTtlBound(type: ContentTypeSpec): number {
  return type.immutable ? ONE_YEAR_SECONDS : type.updateIntervalSeconds;
}

/** The catalog's bound on the max TTL: `MAX_TTL_INTERVALS` update intervals (a year at most; a year for immutable types). */
export function maxTtlBound(type: ContentTypeSpec): number {
  return type.immutable ? ONE_YEAR_SECONDS : Math.min(ONE_YEAR_SECONDS, type.updateIntervalSeconds * MAX_TTL_INTERVALS[type.name]);
}

/** The built-in catalog, in the order types are listed to people. */
export const CONTENT_TYPES: readonly ContentTypeSpec[] = [video, thumbnails, metadata, staticAssets, api];

export const CONTENT_TYPE_NAMES: readonly ContentTypeName[] = CONTENT_TYPES.map((t) => t.name);

/** The route whose settings the default (`*`) behavior uses: the app shell is static content. */
export const DEFAULT_ROUTE_ID = 'static';

export function isContentTypeName(s: string): s is ContentTypeName {
  return (CONTENT_TYPE_NAMES as readonly string[]).includes(s);
}
