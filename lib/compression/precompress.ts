/**
 * Precompressed copies of static assets: Brotli 11 and gzip 9 bodies stored next to the asset
 * (`app.js.br`, `app.js.gz`) with Content-Encoding set, for the assets where that beats what the edge
 * delivers (analysis.ts). CloudFront never recompresses them (an origin Content-Encoding blocks edge
 * compression, spec §6.1 rule 5); how viewers reach them is in docs/images-and-compression.md.
 */
import { brotliBytes, gzipBytes, PRECOMPRESS_LEVELS, type ObjectAnalysis, type StaticObject } from './analysis';
import { precompressedKey } from './media-types';

export interface PrecompressedCopy {
  readonly key: string;
  readonly sourceKey: string;
  readonly encoding: 'br' | 'gzip';
  readonly body: Buffer;
  /** The asset's media type (its extension's when the stored one was wrong or missing). */
  readonly contentType: string;
  readonly cacheControl?: string;
}

/** The Brotli and gzip copies of an asset whose analysis recommends precompression; none otherwise. */
export function precompressedCopies(obj: StaticObject, analysis: ObjectAnalysis, body: Buffer): PrecompressedCopy[] {
  if (!analysis.precompress.recommended) return [];
  const contentType = analysis.suggestedContentType ?? obj.contentType ?? 'application/octet-stream';
  const common = { sourceKey: obj.key, contentType, ...(obj.cacheControl !== undefined ? { cacheControl: obj.cacheControl } : {}) };
  return [
    { ...common, key: precompressedKey(obj.key, 'br'), encoding: 'br', body: brotliBytes(body, PRECOMPRESS_LEVELS.brotli) },
    { ...common, key: precompressedKey(obj.key, 'gzip'), encoding: 'gzip', body: gzipBytes(body, PRECOMPRESS_LEVELS.gzip) },
  ];
}
