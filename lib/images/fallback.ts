/**
 * The images origin group's secondary member: what the fallback origin (a Lambda function URL in the
 * failover Region, `functions/image-fallback`) looks up, in which order, for a request that the
 * primary images bucket answered with a failover status (spec §9.2: 403, 404 or 5xx).
 *
 * CloudFront sends the secondary the same URI as the primary, so a missing variant
 * `/_variants/thumbnails/a.jpg/640.avif` reaches the fallback as that URI; the fallback maps it back
 * to its original `thumbnails/a.jpg` (the key scheme of variant-keys.ts). The primary bucket is the
 * authority whenever it answers, so nothing deleted there comes back from the replica (S3 replication
 * does not replicate lifecycle expirations or deletes of a version):
 *
 *   1. the requested key in the primary, with short timeouts — it answered CloudFront with a 5xx that
 *      has passed, or it has the object now;
 *   2. the primary answered "no such key": for a variant, its original in the primary; otherwise 404;
 *   3. the primary did not answer (the Region failed): the requested key in the replica, then, for a
 *      variant, its original in the replica.
 *
 * Pure: the handler does the reads.
 */
import { FORMATS, type VariantFormat } from './formats';
import { VARIANT_ROOT } from './negotiation';

/** Which bucket a lookup reads. */
export type FallbackBucket = 'replica' | 'primary';

/** What the response was: the object from the primary or the replica, or the original instead of a variant. */
export type FallbackServed = 'primary' | 'replica' | 'original';

export interface FallbackLookup {
  readonly bucket: FallbackBucket;
  readonly key: string;
  readonly served: FallbackServed;
}

/** How the primary answered the first lookup: no such key, or no answer (error, timeout). */
export type PrimaryAnswer = 'missing' | 'unreachable';

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

/**
 * Largest `maxBodyBytes`: 6 MB (a buffered function URL response) less the base64 growth (4/3) and
 * room for headers.
 */
export const FALLBACK_MAX_BODY_BYTES = 4_400_000;

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

/** The first read for every request: the requested key in the primary. */
export function firstLookup(key: string): FallbackLookup {
  return { bucket: 'primary', key, served: 'primary' };
}

/** The reads after the first one, in order, given how the primary answered it (see the file comment). */
export function fallbackLookups(key: string, primary: PrimaryAnswer): FallbackLookup[] {
  const original = originalKeyOfVariant(key);
  if (primary === 'missing') return original === undefined ? [] : [{ bucket: 'primary', key: original, served: 'original' }];
  return [
    { bucket: 'replica', key, served: 'replica' },
    ...(original === undefined ? [] : [{ bucket: 'replica' as const, key: original, served: 'original' as const }]),
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
    return v[k];
  };
  const num = (k: keyof typeof FALLBACK_DEFAULTS, max: number) => {
    const n = v[k] ?? FALLBACK_DEFAULTS[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) throw new Error(`${FALLBACK_SETTINGS_VARIABLE}.${k} must be a whole number from 0 to ${max}`);
    return n;
  };
  return {
    primaryBucket: str('primaryBucket'),
    primaryRegion: str('primaryRegion'),
    replicaBucket: str('replicaBucket'),
    replicaRegion: str('replicaRegion'),
    maxBodyBytes: num('maxBodyBytes', FALLBACK_MAX_BODY_BYTES),
    originalMaxAgeSeconds: num('originalMaxAgeSeconds', 86_400),
  };
}
