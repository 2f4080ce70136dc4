/**
 * Settings of `images optimize`, validated from command-line strings into one typed object, and the
 * hash that decides whether an image's variants are still current.
 */
import { createHash } from 'node:crypto';
import { IMAGE_SIZE_LADDER } from '../builders/normalize-function';
import { cacheControlFor, resolveCatalog } from '../catalog';
import { InputError, show } from '../errors';
import { MAX_VARIANT_DIMENSION, MODERN_FORMAT_PREFERENCE, isModernFormat, type ModernFormat } from './formats';
import { DEFAULT_SSIM_THRESHOLD, QUALITY_SEARCH_RANGE } from './quality-search';

/** Bump when the transforms change output for the same settings, so every image is redone once. */
export const PIPELINE_VERSION = 1;

export type CropStrategy = 'attention' | 'entropy' | 'center';
export const CROP_STRATEGIES: readonly CropStrategy[] = ['attention', 'entropy', 'center'];

export const DEFAULT_SIZES: readonly number[] = [320, 640, 1280];
export const DEFAULT_FORMATS: readonly ModernFormat[] = ['avif', 'webp'];

/** Encoder effort. AVIF 3 (of 0–9) encodes 4–6× faster than sharp's default 4 for 3–7 % more bytes (measured on the bench photo). */
export const AVIF_EFFORT = 3;
export const WEBP_EFFORT = 4;

/** Inputs larger than this are refused before decoding (a 40 MP photo is ~160 MB of RGBA). */
export const DEFAULT_MAX_INPUT_PIXELS = 40_000_000;

export interface OptimizeSettings {
  /** Modern formats to write, in preference order. The baseline (source family) is always written. */
  readonly formats: readonly ModernFormat[];
  /** Target widths, ascending, each on the edge's size ladder. */
  readonly sizes: readonly number[];
  /** 'auto' searches the lowest quality that keeps `ssimThreshold`; a number fixes it. */
  readonly quality: 'auto' | number;
  readonly ssimThreshold: number;
  /** Width:height every variant is cropped to; undefined keeps the source's aspect ratio. */
  readonly aspect?: { readonly width: number; readonly height: number };
  readonly crop: CropStrategy;
  readonly maxInputPixels: number;
}

/** Raw option strings as the CLI received them. */
export interface RawOptimizeOptions {
  readonly formats?: string;
  readonly sizes?: string;
  readonly quality?: string;
  readonly ssim?: string;
  readonly aspect?: string;
  readonly crop?: string;
  readonly maxPixels?: string;
}

/** Parses and validates every option, reporting all problems at once (InputError). */
export function parseOptimizeSettings(raw: RawOptimizeOptions): OptimizeSettings {
  const problems: string[] = [];

  let formats: ModernFormat[] = [...DEFAULT_FORMATS];
  if (raw.formats !== undefined) {
    const list = raw.formats.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
    const bad = list.filter((f) => !isModernFormat(f));
    if (list.length === 0 || bad.length > 0) {
      problems.push(`--formats: ${list.length === 0 ? 'no format given' : `unknown format ${bad.map((b) => `'${b}'`).join(', ')}`}; use a comma-separated subset of ${MODERN_FORMAT_PREFERENCE.join(',')} (the source's own format is always written as the fallback).`);
    } else {
      formats = MODERN_FORMAT_PREFERENCE.filter((f) => list.includes(f));
    }
  }

  let sizes = [...DEFAULT_SIZES];
  if (raw.sizes !== undefined) {
    const parts = raw.sizes.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
    const off = parts.filter((_, i) => !(IMAGE_SIZE_LADDER as readonly number[]).includes(nums[i]!));
    if (parts.length === 0 || off.length > 0) {
      problems.push(`--sizes: ${parts.length === 0 ? 'no size given' : `${off.map((o) => `'${o}'`).join(', ')} ${off.length === 1 ? 'is' : 'are'} not on the edge's size ladder`}; use widths from ${IMAGE_SIZE_LADDER.join(',')} (the edge rounds requested widths up to that ladder, so other widths would never be picked).`);
    } else {
      sizes = [...new Set(nums)].sort((a, b) => a - b);
    }
  }

  let quality: 'auto' | number = 'auto';
  if (raw.quality !== undefined && raw.quality !== 'auto') {
    const q = /^\d+$/.test(raw.quality) ? Number(raw.quality) : NaN;
    if (!(q >= 1 && q <= 100)) problems.push(`--quality must be 'auto' or a whole number from 1 to 100, got ${show(raw.quality)}.`);
    else quality = q;
  }

  let ssimThreshold = DEFAULT_SSIM_THRESHOLD;
  if (raw.ssim !== undefined) {
    const t = Number(raw.ssim);
    if (!(t > 0 && t <= 1) || raw.ssim.trim() === '') problems.push(`--ssim must be a number in (0, 1], got ${show(raw.ssim)}; ${DEFAULT_SSIM_THRESHOLD} means "looks the same".`);
    else ssimThreshold = t;
    if (raw.quality !== undefined && raw.quality !== 'auto') problems.push(`--ssim only applies with --quality auto, but --quality is ${show(raw.quality)}; drop one of them.`);
  }

  let aspect: OptimizeSettings['aspect'];
  if (raw.aspect !== undefined) {
    const m = /^(\d{1,4}):(\d{1,4})$/.exec(raw.aspect.trim());
    if (!m || Number(m[1]) === 0 || Number(m[2]) === 0) problems.push(`--aspect must be width:height such as 16:9 or 1:1, got ${show(raw.aspect)}.`);
    else aspect = { width: Number(m[1]), height: Number(m[2]) };
  }

  let crop: CropStrategy = 'attention';
  if (raw.crop !== undefined) {
    if (!(CROP_STRATEGIES as readonly string[]).includes(raw.crop)) problems.push(`--crop must be one of ${CROP_STRATEGIES.join(', ')}, got ${show(raw.crop)}.`);
    else crop = raw.crop as CropStrategy;
    if (raw.aspect === undefined) problems.push(`--crop ${raw.crop} needs --aspect (e.g. --aspect 16:9): without a target aspect ratio nothing is cropped.`);
  }

  let maxInputPixels = DEFAULT_MAX_INPUT_PIXELS;
  if (raw.maxPixels !== undefined) {
    const n = /^\d+$/.test(raw.maxPixels) ? Number(raw.maxPixels) : NaN;
    if (!(n >= 1 && n <= MAX_VARIANT_DIMENSION * MAX_VARIANT_DIMENSION)) problems.push(`--max-pixels must be a whole number of pixels from 1 to ${MAX_VARIANT_DIMENSION * MAX_VARIANT_DIMENSION}, got ${show(raw.maxPixels)}.`);
    else maxInputPixels = n;
  }

  if (problems.length > 0) throw new InputError(problems);
  return { formats, sizes, quality, ssimThreshold, ...(aspect ? { aspect } : {}), crop, maxInputPixels };
}

/**
 * Identity of everything that shapes the output besides the source bytes: equal hashes and equal source
 * hashes mean the stored variants are current.
 */
export function settingsHash(s: OptimizeSettings): string {
  const identity = {
    v: PIPELINE_VERSION,
    formats: s.formats,
    sizes: s.sizes,
    quality: s.quality,
    ssim: s.quality === 'auto' ? s.ssimThreshold : null,
    range: s.quality === 'auto' ? QUALITY_SEARCH_RANGE : null,
    aspect: s.aspect ? `${s.aspect.width}:${s.aspect.height}` : null,
    crop: s.aspect ? s.crop : null,
    effort: [AVIF_EFFORT, WEBP_EFFORT],
    cacheControl: variantCacheControl(),
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}

/**
 * Cache-Control written on variants: the thumbnails route's, from the catalog (lib/catalog
 * cacheControlFor: its default TTL and stale windows), so CloudFront and browsers keep a variant as
 * the route keeps its originals (spec §2.2, §2.3).
 */
export function variantCacheControl(): string {
  cacheControl ??= cacheControlFor(resolveCatalog().route('thumbnails'));
  return cacheControl;
}
let cacheControl: string | undefined;
