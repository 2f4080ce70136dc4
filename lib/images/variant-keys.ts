/**
 * Where variants live and how the edge names them: the predictable key scheme shared by the pipeline
 * (which writes the objects), the CloudFront Function (which rewrites viewer URIs to them) and the
 * invalidation planner.
 *
 *   original   thumbnails/show-1/poster.jpg
 *   variant    _variants/thumbnails/show-1/poster.jpg/640.avif      (width.extension)
 *   manifest   _variants/thumbnails/show-1/poster.jpg/manifest.json
 *   index      KeyValueStore key "thumbnails/show-1/poster.jpg" → "w=320,640,1000;f=avif,webp;b=jpeg"
 *
 * Variants sit under one root, away from the originals, so that listing a prefix of originals never
 * returns variants, and all variants of one image are invalidated with one wildcard path.
 */
import { CLOUDFRONT_LIMITS } from '../semantics/limits';
import { MODERN_FORMAT_PREFERENCE, type VariantFormat } from './formats';
import { VARIANT_ROOT, variantPath, type VariantIndexEntry } from './negotiation';

export { VARIANT_ROOT, type VariantIndexEntry };
export const MANIFEST_NAME = 'manifest.json';

export function isVariantKey(key: string): boolean {
  return key.startsWith(VARIANT_ROOT);
}

/** Folder (key prefix) holding every variant of one original, ending in '/'. */
export function variantFolder(originalKey: string): string {
  return `${VARIANT_ROOT}${originalKey}/`;
}

/** Key of one variant: `_variants/<original key>/<width>.<extension>` (the edge builds URIs the same way). */
export function variantKey(originalKey: string, width: number, format: VariantFormat): string {
  return variantPath(originalKey, width, format);
}

export function manifestKey(originalKey: string): string {
  return `${variantFolder(originalKey)}${MANIFEST_NAME}`;
}

// Characters a browser percent-encodes in a URL path (WHATWG URL "path percent-encode set"), plus '%'
// itself so that a key holding a literal '%' round-trips through S3's decoding.
const PATH_ENCODE = new Set([' ', '"', '#', '<', '>', '?', '`', '{', '}', '%']);

/**
 * The URI path (without the leading '/') under which viewers request an S3 key: each character a
 * browser would percent-encode is encoded (as UTF-8), everything else is kept. CloudFront hands the
 * function the path as the viewer sent it, so the KeyValueStore index is keyed by this form.
 */
export function uriPathOfKey(key: string): string {
  let out = '';
  for (const ch of key) {
    const c = ch.codePointAt(0)!;
    if (c <= 0x20 || c === 0x7f || c > 0x7e || PATH_ENCODE.has(ch)) {
      for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Paths to invalidate after an original's variants changed: the original's URI (it may be cached as
 * the original, before the index listed the variants) and every variant of it (the function rewrites
 * the URI, so the variant URI is what is cached; spec §8.1 "invalidate the rewritten URI").
 */
export function invalidationPathsFor(originalKey: string): string[] {
  return [`/${uriPathOfKey(originalKey)}`, `/${uriPathOfKey(variantFolder(originalKey))}*`];
}

/**
 * The KeyValueStore value for an original: `w=<widths>;f=<modern formats>;b=<baseline>`, e.g.
 * `w=320,640,1000;f=avif,webp;b=jpeg`. Parsed at the edge by `parseVariantIndex` (negotiation.ts).
 */
export function encodeVariantIndex(entry: VariantIndexEntry): string {
  const widths = [...entry.widths].sort((a, b) => a - b);
  const formats = MODERN_FORMAT_PREFERENCE.filter((f) => entry.formats.includes(f));
  return `w=${widths.join(',')};f=${formats.join(',')};b=${entry.baseline}`;
}

/** One KeyValueStore item, as in CloudFront's import file format (`{"data":[{"key","value"}]}`). */
export interface KvsItem {
  readonly key: string;
  readonly value: string;
}

/**
 * The index item of an original, with the KeyValueStore size limits checked (spec §15.1: key 512 B,
 * value 1 KB). Returns a problem sentence instead when the item cannot be stored.
 */
export function variantIndexItem(originalKey: string, entry: VariantIndexEntry): KvsItem | { problem: string } {
  const key = uriPathOfKey(originalKey);
  const value = encodeVariantIndex(entry);
  if (Buffer.byteLength(key) > CLOUDFRONT_LIMITS.kvsMaxKeyBytes) {
    return { problem: `key '${originalKey}' is ${Buffer.byteLength(key)} bytes as a URI path; a KeyValueStore key holds at most ${CLOUDFRONT_LIMITS.kvsMaxKeyBytes}, so the edge cannot index it (it is served as the original).` };
  }
  if (Buffer.byteLength(value) > CLOUDFRONT_LIMITS.kvsMaxValueBytes) {
    return { problem: `the index value of '${originalKey}' is ${Buffer.byteLength(value)} bytes; a KeyValueStore value holds at most ${CLOUDFRONT_LIMITS.kvsMaxValueBytes}; use fewer sizes.` };
  }
  return { key, value };
}

/** Bytes an import file's items take in the store (keys plus values), to compare with the 5 MB store limit. */
export function kvsBytes(items: readonly KvsItem[]): number {
  return items.reduce((n, i) => n + Buffer.byteLength(i.key) + Buffer.byteLength(i.value), 0);
}
