/**
 * The images origin group's secondary member: what the fallback origin (a Lambda function URL in the
 * failover Region, `functions/image-fallback`) looks up, in which order, for a request that the
 * primary images bucket answered with a failover status (spec §9.2: 403, 404 or 5xx).
 *
 * CloudFront sends the secondary the same URI as the primary, so a missing variant
 * `/_variants/thumbnails/a.jpg/640.avif` reaches the fallback as that URI; the fallback maps it back
 * to its original `thumbnails/a.jpg` (the key scheme of variant-keys.ts) and serves, in order:
 *
 *   1. the requested key from the replica bucket (beside the function) — the primary Region failed,
 *      the replica has the object: regional failover, for variants and originals alike;
 *   2. for a variant key, its original from the replica — the variant does not exist: the original;
 *   3. the requested original from the primary bucket — the original is newer than replication.
 *
 * Pure: the handler does the reads.
 */
import { FORMATS, type VariantFormat } from './formats';
import { VARIANT_ROOT } from './negotiation';

/** Which bucket a lookup reads. */
export type FallbackBucket = 'replica' | 'primary';

/** What the response was: the requested object from the replica, or the original instead of a variant. */
export type FallbackServed = 'replica' | 'original';

export interface FallbackLookup {
  readonly bucket: FallbackBucket;
  readonly key: string;
  readonly served: FallbackServed;
}

/** Settings of the fallback function (its `MEDIA_CDN_IMAGE_FALLBACK` environment variable). */
export interface FallbackSettings {
  readonly primaryBucket: string;
  readonly primaryRegion: string;
  readonly replicaBucket: string;
  readonly replicaRegion: string;
  /**
   * Largest body the function returns. A buffered function URL response is at most 6 MB including the
   * base64 encoding of a binary body (4/3), so ~4.4 MB of object; larger objects get a 502.
   */
  readonly maxBodyBytes: number;
  /**
   * `Cache-Control: max-age` of an original served in place of a missing variant, so that the edge
   * asks again soon and picks the variant up once the pipeline wrote it.
   */
  readonly originalMaxAgeSeconds: number;
}

export const FALLBACK_SETTINGS_VARIABLE = 'MEDIA_CDN_IMAGE_FALLBACK';

/** Defaults of the two tunables; the buckets and Regions come from the stack. */
export const FALLBACK_DEFAULTS: Readonly<Pick<FallbackSettings, 'maxBodyBytes' | 'originalMaxAgeSeconds'>> = Object.freeze({ maxBodyBytes: 4_000_000, originalMaxAgeSeconds: 60 });

const EXTENSION_FORMATS = new Map<string, VariantFormat>(Object.entries(FORMATS).map(([f, i]) => [i.extension, f as VariantFormat]));
const VARIANT_LEAF = /^([1-9][0-9]{0,4})\.([a-z]+)$/;

/**
 * The original key of a variant key (`_variants/<original>/<width>.<ext>` → `<original>`), or
 * undefined when the key is not a variant (an original, a manifest, anything else under the root).
 */
export function originalKeyOfVariant(key: string): string | undefined {
  if (!key.startsWith(VARIANT_ROOT)) return undefined;
  const slash = key.lastIndexOf('/');
  if (slash <= VARIANT_ROOT.length) return undefined;
  const leaf = VARIANT_LEAF.exec(key.slice(slash + 1));
  if (!leaf || !EXTENSION_FORMATS.has(leaf[2]!)) return undefined;
  return key.slice(VARIANT_ROOT.length, slash);
}

/**
 * The S3 key CloudFront asked for: the URI path without its leading '/', percent-decoded (CloudFront
 * forwards the path as the viewer sent it; S3 stores the decoded key). Undefined for a path that does
 * not decode (malformed escapes) or is empty.
 */
export function keyOfUriPath(path: string): string | undefined {
  if (!path.startsWith('/') || path.length < 2) return undefined;
  try {
    return decodeURIComponent(path.slice(1));
  } catch {
    return undefined;
  }
}

/** The reads for one requested key, in order (see the file comment). */
export function fallbackLookups(key: string): FallbackLookup[] {
  const original = originalKeyOfVariant(key);
  if (original === undefined) {
    return [{ bucket: 'replica', key, served: 'replica' }, { bucket: 'primary', key, served: 'replica' }];
  }
  return [
    { bucket: 'replica', key, served: 'replica' },
    { bucket: 'replica', key: original, served: 'original' },
    { bucket: 'primary', key: original, served: 'original' },
  ];
}

/** Parses and checks the settings variable; throws with the variable's name and what is wrong. */
export function parseFallbackSettings(raw: string | undefined): FallbackSettings {
  if (!raw) throw new Error(`${FALLBACK_SETTINGS_VARIABLE} is not set; the program sets it (components/image-fallback-origin.ts)`);
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new Error(`${FALLBACK_SETTINGS_VARIABLE} is not JSON`);
  }
  const str = (k: string) => {
    if (typeof v[k] !== 'string' || v[k] === '') throw new Error(`${FALLBACK_SETTINGS_VARIABLE}.${k} must be a non-empty string`);
    return v[k] as string;
  };
  const num = (k: keyof typeof FALLBACK_DEFAULTS) => {
    const n = v[k] ?? FALLBACK_DEFAULTS[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`${FALLBACK_SETTINGS_VARIABLE}.${k} must be a non-negative integer`);
    return n;
  };
  return {
    primaryBucket: str('primaryBucket'),
    primaryRegion: str('primaryRegion'),
    replicaBucket: str('replicaBucket'),
    replicaRegion: str('replicaRegion'),
    maxBodyBytes: num('maxBodyBytes'),
    originalMaxAgeSeconds: num('originalMaxAgeSeconds'),
  };
}
