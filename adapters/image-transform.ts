/**
 * The image transforms, on sharp/libvips: bytes in, variants out, no I/O. Probes and refuses bad input
 * (empty, corrupt, unsupported, animated, too many pixels) with a reason, resizes (and optionally
 * crops) to the target widths, encodes each format at a fixed quality or at the lowest quality whose
 * SSIM (ssim.js) against the resized original stays above the threshold, and keeps a modern format
 * for an image only when it is smaller than the next format in preference order.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { ssim } from 'ssim.js';
import { FORMATS, SUPPORTED_SOURCE_FORMATS, type BaselineFormat, type ModernFormat, type VariantFormat } from '../lib/images/formats';
import { searchLowestQuality } from '../lib/images/quality-search';
import { AVIF_EFFORT, WEBP_EFFORT, type OptimizeSettings } from '../lib/images/settings';

/** Why an original was skipped. */
export type ImageFailureReason = 'empty' | 'unsupported-format' | 'corrupt' | 'too-large' | 'animated';

export class ImageError extends Error {
  constructor(readonly reason: ImageFailureReason, message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface SourceInfo {
  /** sharp's format name: jpeg, png, webp, heif, gif, tiff. */
  readonly format: string;
  /** Width and height as displayed (EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
}

/**
 * Reads an original's header and refuses what the pipeline must not process. Never decodes pixels.
 * @throws ImageError with the reason and a sentence naming the fix.
 */
export async function probeImage(bytes: Buffer, maxInputPixels: number): Promise<SourceInfo> {
  if (bytes.length === 0) throw new ImageError('empty', 'the object is empty (0 bytes); upload the image again.');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    const msg = (e as Error).message;
    if (/unsupported image format/i.test(msg)) throw new ImageError('unsupported-format', `not an image format the pipeline reads (${msg}); use ${SUPPORTED_SOURCE_FORMATS.join(', ')}.`);
    throw new ImageError('corrupt', `the image header cannot be read (${msg}); upload a valid file.`);
  }
  const format = String(meta.format);
  if (!SUPPORTED_SOURCE_FORMATS.includes(format)) {
    throw new ImageError('unsupported-format', `'${format}' images are not optimized (vector or document formats are served as they are); use ${SUPPORTED_SOURCE_FORMATS.join(', ')}.`);
  }
  if ((meta.pages ?? 1) > 1) throw new ImageError('animated', `animated ${format} (${meta.pages} frames) is not optimized: variants would drop the animation; serve it as is.`);
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw new ImageError('corrupt', `the image has no dimensions (${w}×${h}); upload a valid file.`);
  if (w * h > maxInputPixels) {
    throw new ImageError('too-large', `${w}×${h} is ${w * h} pixels, above the limit of ${maxInputPixels}; downscale the original or raise --max-pixels.`);
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return { format, width: rotated ? h : w, height: rotated ? w : h, hasAlpha: meta.hasAlpha === true };
}

/** The baseline format for a source: PNG keeps transparency and PNG sources lossless; JPEG otherwise. */
export function baselineFormatFor(info: SourceInfo): BaselineFormat {
  return info.format === 'png' || info.hasAlpha ? 'png' : 'jpeg';
}

export interface TargetSize {
  readonly width: number;
  /** Set when cropping to an aspect ratio; otherwise the height follows the source's ratio. */
  readonly height?: number;
}

/**
 * Widths to render for a source: each requested size, capped at what the source can give without
 * upscaling (with --aspect: the widest crop of that ratio), duplicates removed, ascending.
 */
export function targetSizes(info: Pick<SourceInfo, 'width' | 'height'>, settings: Pick<OptimizeSettings, 'sizes' | 'aspect'>): TargetSize[] {
  const a = settings.aspect;
  const maxWidth = a ? Math.max(1, Math.min(info.width, Math.floor((info.height * a.width) / a.height))) : info.width;
  const widths = [...new Set(settings.sizes.map((s) => Math.min(s, maxWidth)))].sort((x, y) => x - y);
  return widths.map((width) => (a ? { width, height: Math.max(1, Math.round((width * a.height) / a.width)) } : { width }));
}

export interface RenderedVariant {
  readonly format: VariantFormat;
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
  readonly contentType: string;
  readonly quality: number | null;
  readonly ssim: number;
  /** Whether `ssim` met the threshold (always true for lossless output). */
  readonly passed: boolean;
}

export interface RenderedImage {
  readonly info: SourceInfo;
  readonly baseline: BaselineFormat;
  /** Widths rendered, ascending. */
  readonly widths: readonly number[];
  /** Modern formats kept for this image, in preference order. */
  readonly formats: readonly ModernFormat[];
  /** Variants of the baseline and the kept formats. */
  readonly variants: readonly RenderedVariant[];
  /** Requested formats not kept, why, and what they would have weighed (all widths). */
  readonly dropped: readonly { format: ModernFormat; reason: string; bytes: number }[];
  /** Encodes performed (quality search trials included). */
  readonly encodes: number;
}

interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

/** RGBA view of raw pixels, as ssim.js expects. */
function toRgba(img: RawImage): { data: Uint8ClampedArray; width: number; height: number } {
  const n = img.width * img.height;
  if (img.channels === 4) return { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, n * 4), width: img.width, height: img.height };
  const out = new Uint8ClampedArray(n * 4);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const gray = c <= 2;
    out[i * 4] = img.data[s]!;
    out[i * 4 + 1] = gray ? img.data[s]! : img.data[s + 1]!;
    out[i * 4 + 2] = gray ? img.data[s]! : img.data[s + 2]!;
    out[i * 4 + 3] = c === 2 ? img.data[s + 1]! : 255;
  }
  return { data: out, width: img.width, height: img.height };
}

async function toRaw(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function encoder(format: VariantFormat, quality: number | null): (s: Sharp) => Sharp {
  switch (format) {
    case 'avif': return (s) => s.avif({ quality: quality ?? 50, effort: AVIF_EFFORT });
    case 'webp': return (s) => s.webp({ quality: quality ?? 80, effort: WEBP_EFFORT });
    case 'jpeg': return (s) => s.jpeg({ quality: quality ?? 80, mozjpeg: true });
    case 'png': return (s) => s.png({ compressionLevel: 9, adaptiveFiltering: true });
  }
}

/**
 * How SSIM is computed: ssim.js's Bezkrovny variant (luma, 8×8 windows) at native resolution. Without
 * downsampling every width is judged pixel for pixel (Wang's default downsampling would judge a
 * 1,200 px image at half size and pass visibly worse encodes); Bezkrovny runs ~8× faster than the
 * Weber variant and stays within 0.003 of it, on the low side, over JPEG/WebP/AVIF at q30–90 on the
 * bench photo.
 */
export const SSIM_OPTIONS = Object.freeze({ ssim: 'bezkrovny', downsample: false } as const);

/** SSIM ({@link SSIM_OPTIONS}) of an encoded image against raw reference pixels. */
export async function ssimAgainst(reference: { data: Uint8ClampedArray; width: number; height: number }, encoded: Buffer): Promise<number> {
  const decoded = toRgba(await toRaw(sharp(encoded)));
  return ssim(reference, decoded, SSIM_OPTIONS).mssim;
}

/**
 * Renders every variant of one original. Decodes once per width; each format is encoded from the same
 * resized pixels, which are also the SSIM reference (so the score measures encoding loss, not resizing).
 * @throws ImageError when the pixels cannot be decoded (e.g. a truncated file whose header was fine).
 */
export async function renderImage(bytes: Buffer, info: SourceInfo, settings: OptimizeSettings): Promise<RenderedImage> {
  const baseline = baselineFormatFor(info);
  const sizes = targetSizes(info, settings);
  const formats: VariantFormat[] = [baseline, ...settings.formats];
  const byFormat = new Map<VariantFormat, RenderedVariant[]>(formats.map((f) => [f, []]));
  let encodes = 0;

  for (const size of sizes) {
    let ref: RawImage;
    try {
      const base = sharp(bytes, { limitInputPixels: settings.maxInputPixels, failOn: 'error' }).rotate();
      ref = await toRaw(settings.aspect
        ? base.resize({ width: size.width, height: size.height, fit: 'cover', position: settings.crop === 'center' ? 'centre' : sharp.strategy[settings.crop] })
        : base.resize({ width: size.width, withoutEnlargement: true }));
    } catch (e) {
      throw new ImageError('corrupt', `the pixels cannot be decoded (${(e as Error).message}); upload a valid file.`);
    }
    const refRgba = toRgba(ref);
    const fromRef = () => sharp(ref.data, { raw: { width: ref.width, height: ref.height, channels: ref.channels } });
    const encode = async (format: VariantFormat, quality: number | null) => {
      encodes++;
      return encoder(format, quality)(fromRef()).toBuffer();
    };

    for (const format of formats) {
      const variant = (data: Buffer, quality: number | null, score: number, passed: boolean): RenderedVariant => ({
        format, width: ref.width, height: ref.height, data, contentType: FORMATS[format].contentType, quality, ssim: score, passed,
      });
      let v: RenderedVariant;
      if (format === 'png') {
        v = variant(await encode('png', null), null, 1, true);
      } else if (settings.quality === 'auto') {
        const r = await searchLowestQuality({ encode: (q) => encode(format, q), score: (c) => ssimAgainst(refRgba, c), threshold: settings.ssimThreshold });
        v = variant(r.candidate, r.quality, r.score, r.passed);
      } else {
        const data = await encode(format, settings.quality);
        const score = await ssimAgainst(refRgba, data);
        v = variant(data, settings.quality, score, true); // a fixed quality is the operator's call
      }
      // A JPEG original at full width: never store a re-encode that is bigger than the original itself.
      const untouched = format === 'jpeg' && info.format === 'jpeg' && ref.width === info.width && ref.height === info.height && !settings.aspect;
      if (untouched && v.data.length >= bytes.length) v = variant(bytes, null, 1, true);
      byFormat.get(format)!.push(v);
    }
  }

  const total = (f: VariantFormat) => byFormat.get(f)!.reduce((n, v) => n + v.data.length, 0);
  const allPassed = (f: VariantFormat) => byFormat.get(f)!.every((v) => v.passed);
  const kept: ModernFormat[] = [];
  const dropped: { format: ModernFormat; reason: string; bytes: number }[] = [];
  // Decide from the least preferred modern format up: each must beat the one a viewer would get instead.
  for (const f of [...settings.formats].reverse()) {
    const rival: VariantFormat = kept[0] ?? baseline;
    if (!allPassed(f)) dropped.push({ format: f, reason: `does not reach SSIM ${settings.ssimThreshold} even at the highest quality searched`, bytes: total(f) });
    else if (total(f) >= total(rival)) dropped.push({ format: f, reason: `${total(f)} bytes, not smaller than ${rival} (${total(rival)} bytes)`, bytes: total(f) });
    else kept.unshift(f);
  }
  const variants = [baseline, ...kept].flatMap((f) => byFormat.get(f)!);
  return { info, baseline, widths: byFormat.get(baseline)!.map((v) => v.width), formats: kept, variants, dropped: dropped.reverse(), encodes };
}
