/**
 * The per-image manifest: what was made from one original, written next to its variants
 * (`_variants/<key>/manifest.json`) after every variant is stored. Pages read it for `srcset`,
 * operators for invalidation paths, and the pipeline to skip originals whose inputs did not change.
 */
import { InputError, show } from '../errors';
import { FORMATS, type VariantFormat } from './formats';
import { invalidationPathsFor, uriPathOfKey, type VariantIndexEntry } from './variant-keys';

export const MANIFEST_VERSION = 1;

export interface ManifestVariant {
  readonly key: string;
  readonly format: VariantFormat;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly contentType: string;
  /** Encoder quality used; null for lossless PNG and for the original's bytes reused as is. */
  readonly quality: number | null;
  /** SSIM against the resized original (1 for lossless output). */
  readonly ssim: number;
}

export interface ImageManifest {
  readonly manifestVersion: typeof MANIFEST_VERSION;
  readonly original: {
    readonly key: string;
    readonly bytes: number;
    /** SHA-256 of the original's bytes: the content hash that decides whether work is needed. */
    readonly sha256: string;
    /** S3 ETag when read from a bucket; lets a re-run skip without downloading. */
    readonly etag?: string;
    readonly format: string;
    readonly width: number;
    readonly height: number;
  };
  /** `settingsHash` of the run that made the variants. */
  readonly settingsHash: string;
  /** What the edge index holds for this original. */
  readonly index: VariantIndexEntry;
  readonly variants: readonly ManifestVariant[];
  /** `srcset` of the negotiated URL: one entry per width; the edge picks the format from Accept. */
  readonly srcset: string;
  /** Paths that clear this image from CloudFront's caches after a change. */
  readonly invalidationPaths: readonly string[];
}

/** `srcset` for the widths of an original: `/k?width=320 320w, /k?width=640 640w`. */
export function srcsetFor(originalKey: string, widths: readonly number[]): string {
  const path = `/${uriPathOfKey(originalKey)}`;
  return [...widths].sort((a, b) => a - b).map((w) => `${path}?width=${w} ${w}w`).join(', ');
}

export function buildManifest(input: {
  original: ImageManifest['original'];
  settingsHash: string;
  index: VariantIndexEntry;
  variants: readonly ManifestVariant[];
}): ImageManifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    original: input.original,
    settingsHash: input.settingsHash,
    index: input.index,
    variants: input.variants,
    srcset: srcsetFor(input.original.key, input.index.widths),
    invalidationPaths: invalidationPathsFor(input.original.key),
  };
}

/** Checks a stored manifest's shape. @throws InputError naming the file and what is wrong. */
export function parseManifest(raw: unknown, source: string): ImageManifest {
  const fix = 'delete it and run optimize again';
  const m = raw as Partial<ImageManifest> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new InputError(`${source} is not an image manifest (expected a JSON object), got ${show(raw)}; ${fix}.`);
  if (m.manifestVersion !== MANIFEST_VERSION) throw new InputError(`${source} has manifestVersion ${show(m.manifestVersion)}, this version reads ${MANIFEST_VERSION}; ${fix}.`);
  const o = m.original;
  if (!o || typeof o.key !== 'string' || typeof o.sha256 !== 'string' || !Number.isInteger(o.bytes)) {
    throw new InputError(`${source}: 'original' must have key, bytes and sha256, got ${show(o)}; ${fix}.`);
  }
  if (typeof m.settingsHash !== 'string') throw new InputError(`${source}: 'settingsHash' must be a string, got ${show(m.settingsHash)}; ${fix}.`);
  const idx = m.index;
  if (!idx || !Array.isArray(idx.widths) || idx.widths.length === 0 || !Array.isArray(idx.formats) || !(idx.baseline === 'jpeg' || idx.baseline === 'png')) {
    throw new InputError(`${source}: 'index' must have widths, formats and a baseline of jpeg or png, got ${show(idx)}; ${fix}.`);
  }
  if (!Array.isArray(m.variants) || m.variants.some((v) => typeof v?.key !== 'string' || !(v.format in FORMATS))) {
    throw new InputError(`${source}: 'variants' must be a list of { key, format, width, ... }, got ${show(m.variants)}; ${fix}.`);
  }
  return m as ImageManifest;
}

/**
 * Whether a manifest still describes the output for this source and settings: same settings hash and
 * either the same ETag (no download needed) or the same content hash.
 */
export function manifestIsCurrent(m: ImageManifest, source: { etag?: string; sha256?: string; settingsHash: string }): boolean {
  if (m.settingsHash !== source.settingsHash) return false;
  if (source.etag !== undefined && m.original.etag !== undefined && source.etag === m.original.etag) return true;
  return source.sha256 !== undefined && source.sha256 === m.original.sha256;
}
