/**
 * Which static objects CloudFront compresses, which it does not and why, and how much gzip and Brotli
 * save on them. The decision itself is the semantics module's (`compressionDecision`, spec §6.1);
 * this module feeds it each object with the settings of the behavior that serves the object's path
 * (from the catalog) and explains the outcome with a fix.
 */
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Catalog, RouteSpec } from '../catalog';
import { uriPathOfKey } from '../images/variant-keys';
import {
  compressionDecision, describeCompressionReason, isCompressibleContentType,
  type CompressionDecision, type CompressionSkipReason,
} from '../semantics/compression';
import { selectBehavior } from '../semantics/path-pattern';
import { bareMediaType, mediaTypeForKey, precompressedCopyOf } from './media-types';

/**
 * Levels assumed for CloudFront's own compression. AWS does not publish them [inferred]: zlib's
 * default gzip level and a mid Brotli quality, as edge compressors run per response.
 */
export const EDGE_LEVELS = Object.freeze({ gzip: 6, brotli: 5 });
/** Levels of precompressed copies: the slowest, smallest settings, paid once at upload. */
export const PRECOMPRESS_LEVELS = Object.freeze({ gzip: 9, brotli: 11 });
/** Precompress when Brotli 11 is at least this much smaller than the edge's Brotli... */
export const PRECOMPRESS_MIN_GAIN = 0.05;
/** ...and saves at least this many bytes per response. */
export const PRECOMPRESS_MIN_BYTES = 1_000;
/** Objects larger than this are not downloaded to be measured. */
export const MAX_MEASURED_BYTES = 50_000_000;

/** A static object as listed (S3 GET/HEAD metadata or a local file). */
export interface StaticObject {
  readonly key: string;
  readonly bytes: number;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly cacheControl?: string;
}

/** The compression settings of the cache behavior that serves a path. */
export interface BehaviorCompression {
  readonly routeId: string;
  readonly origin: string;
  readonly compress: boolean;
  readonly policyGzip: boolean;
  readonly policyBrotli: boolean;
  readonly cachingDisabled: boolean;
}

/** Selects the behavior for `/<key>` as CloudFront does (spec §1.2) and returns its compression settings. */
export function behaviorCompressionFor(catalog: Catalog, key: string): BehaviorCompression {
  const route: RouteSpec = selectBehavior(catalog.behaviors, `/${uriPathOfKey(key)}`)?.route ?? catalog.defaultRoute;
  return {
    routeId: route.id,
    origin: route.origin,
    compress: route.compress,
    policyGzip: route.caching !== 'disabled' && route.cacheKey.acceptEncoding,
    policyBrotli: route.caching !== 'disabled' && route.cacheKey.acceptEncoding,
    cachingDisabled: route.caching === 'disabled',
  };
}

/** Bytes after gzip and Brotli at the edge's levels and at the precompression levels. */
export interface CompressedSizes {
  readonly gzipEdge: number;
  readonly brotliEdge: number;
  readonly gzipMax: number;
  readonly brotliMax: number;
}

export function gzipBytes(body: Buffer, level: number): Buffer {
  return gzipSync(body, { level });
}

export function brotliBytes(body: Buffer, quality: number): Buffer {
  return brotliCompressSync(body, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT },
  });
}

export function measureCompression(body: Buffer): CompressedSizes {
  return {
    gzipEdge: gzipBytes(body, EDGE_LEVELS.gzip).length,
    brotliEdge: brotliBytes(body, EDGE_LEVELS.brotli).length,
    gzipMax: gzipBytes(body, PRECOMPRESS_LEVELS.gzip).length,
    brotliMax: brotliBytes(body, PRECOMPRESS_LEVELS.brotli).length,
  };
}

/** A typical browser's Accept-Encoding; the verdict per object is for this viewer. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** The edge's decision for one object and one viewer (spec §6.1). */
export function edgeDecision(obj: StaticObject, behavior: BehaviorCompression, acceptEncoding: string | undefined, contentType = obj.contentType): CompressionDecision {
  return compressionDecision({
    behaviorCompress: behavior.compress,
    policyGzip: behavior.policyGzip,
    policyBrotli: behavior.policyBrotli,
    cachingDisabled: behavior.cachingDisabled,
    httpVersion: '2',
    acceptEncoding,
    contentEncoding: obj.contentEncoding,
    contentLength: obj.bytes,
    status: 200,
    contentType,
  });
}

export interface ObjectAnalysis {
  readonly key: string;
  readonly bytes: number;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  /** The behavior (catalog route) that serves the object's path. */
  readonly routeId: string;
  /** Whether the object's path is routed to the static origin at all. */
  readonly reachable: boolean;
  /** For a browser (`gzip, deflate, br`): CloudFront compresses it, with which encoding, or why not. */
  readonly edge: { readonly compressed: boolean; readonly encoding?: 'br' | 'gzip'; readonly reason: CompressionSkipReason | 'compressed'; readonly why: string };
  /** The change that would get it compressed, when there is one. */
  readonly fix?: string;
  /** The Content-Type its extension calls for, when that differs from the stored one. */
  readonly suggestedContentType?: string;
  /** The key this object is a precompressed copy of (`app.js.br` → `app.js`). */
  readonly copyOf?: string;
  /** Sizes after compression; absent for binary formats, copies and objects too large to download. */
  readonly sizes?: CompressedSizes;
  /** Whether a Brotli 11 / gzip 9 copy beats what the edge delivers, and why (not). */
  readonly precompress: { readonly recommended: boolean; readonly why: string };
}

/** Whether an object is text the analysis should measure: a compressible stored or expected type. */
export function isTextual(obj: StaticObject): boolean {
  return isCompressibleContentType(obj.contentType) || isCompressibleContentType(mediaTypeForKey(obj.key));
}

const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', '']);

function explainFix(obj: StaticObject, d: CompressionDecision, behavior: BehaviorCompression, suggested: string | undefined): string | undefined {
  switch (d.reason) {
    case 'content-type-not-compressible':
      if (suggested && isCompressibleContentType(suggested)) {
        return `store it with Content-Type '${suggested}' (its extension's type; ${obj.contentType === undefined ? 'it has none' : `'${obj.contentType}' is not in CloudFront's list`}), e.g. aws s3 cp --content-type ${suggested}.`;
      }
      return undefined;
    case 'too-large':
      return 'upload a Brotli/gzip copy with Content-Encoding (npm run compression -- --precompress), or split the bundle under 10,000,000 bytes.';
    case 'behavior-compress-off':
    case 'policy-no-accept-encoding':
    case 'caching-disabled':
      return `turn compression on for route '${behavior.routeId}' (catalog: compress, Accept-Encoding in the cache key).`;
    default:
      return undefined;
  }
}

/**
 * Analyzes one object. `body` is its content when it was downloaded (textual objects up to
 * {@link MAX_MEASURED_BYTES}); without it nothing is measured.
 */
export function analyzeObject(obj: StaticObject, behavior: BehaviorCompression, body?: Buffer): ObjectAnalysis {
  const copy = precompressedCopyOf(obj.key);
  const expected = mediaTypeForKey(copy ? copy.sourceKey : obj.key);
  const stored = bareMediaType(obj.contentType);
  const suggestedContentType = expected !== undefined && expected !== stored && (stored === undefined || GENERIC_TYPES.has(stored) || !isCompressibleContentType(stored)) ? expected : undefined;
  const d = edgeDecision(obj, behavior, BROWSER_ACCEPT_ENCODING);
  const edge = { compressed: d.compress, ...(d.encoding ? { encoding: d.encoding } : {}), reason: d.reason, why: describeCompressionReason(d.reason) };
  const fix = explainFix(obj, d, behavior, suggestedContentType);
  const base = {
    key: obj.key, bytes: obj.bytes,
    ...(obj.contentType !== undefined ? { contentType: obj.contentType } : {}),
    ...(obj.contentEncoding !== undefined ? { contentEncoding: obj.contentEncoding } : {}),
    routeId: behavior.routeId, reachable: behavior.origin === 'static', edge,
    ...(fix ? { fix } : {}),
    ...(suggestedContentType ? { suggestedContentType } : {}),
  };
  if (copy && obj.contentEncoding !== undefined) {
    return { ...base, copyOf: copy.sourceKey, precompress: { recommended: false, why: `this is the ${copy.encoding} copy of ${copy.sourceKey}.` } };
  }
  if (body === undefined) {
    return { ...base, precompress: { recommended: false, why: isTextual(obj) ? 'not measured (too large to download).' : 'not text: images, fonts and media are compressed formats already.' } };
  }
  const sizes = measureCompression(body);
  return { ...base, sizes, precompress: precompressVerdict(obj, d, sizes) };
}

function precompressVerdict(obj: StaticObject, d: CompressionDecision, s: CompressedSizes): { recommended: boolean; why: string } {
  if (obj.contentEncoding !== undefined) return { recommended: false, why: `already stored with Content-Encoding '${obj.contentEncoding}'.` };
  const maxSaved = 1 - s.brotliMax / obj.bytes;
  if (!d.compress) {
    if (d.reason === 'too-small') return { recommended: false, why: 'under 1,000 bytes: a copy would save too little to matter.' };
    if (obj.bytes - s.brotliMax < PRECOMPRESS_MIN_BYTES) return { recommended: false, why: `Brotli 11 saves only ${obj.bytes - s.brotliMax} bytes.` };
    return { recommended: true, why: `CloudFront serves it uncompressed (${d.reason}); Brotli 11 saves ${(100 * maxSaved).toFixed(1)} %.` };
  }
  const edgeBytes = d.encoding === 'gzip' ? s.gzipEdge : s.brotliEdge;
  const gain = 1 - s.brotliMax / edgeBytes;
  if (gain >= PRECOMPRESS_MIN_GAIN && edgeBytes - s.brotliMax >= PRECOMPRESS_MIN_BYTES) {
    return { recommended: true, why: `Brotli 11 is ${(100 * gain).toFixed(1)} % (${edgeBytes - s.brotliMax} bytes) smaller than the edge's Brotli ${EDGE_LEVELS.brotli}.` };
  }
  return { recommended: false, why: `Brotli 11 is only ${(100 * gain).toFixed(1)} % (${edgeBytes - s.brotliMax} bytes) smaller than the edge's output.` };
}
