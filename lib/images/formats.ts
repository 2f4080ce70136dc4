/**
 * Image formats the pipeline writes and the edge negotiates: one table, read by the variant key scheme,
 * the negotiation rule (lib/images/negotiation.ts), the transforms and the CLI.
 */

/** Formats a variant can have. `jpeg`/`png` are the baseline (what a viewer without AVIF/WebP gets). */
export type VariantFormat = 'avif' | 'webp' | 'jpeg' | 'png';

/** Modern formats a viewer must announce in `Accept` to receive them. */
export type ModernFormat = 'avif' | 'webp';

/** Baseline formats: the source's own family, resized. */
export type BaselineFormat = 'jpeg' | 'png';

export interface FormatInfo {
  /** Content-Type written on the variant object. */
  readonly contentType: string;
  /** File extension of the variant key, without the dot. */
  readonly extension: string;
  /** The token a viewer's Accept header must list (with q > 0) for the edge to pick it; none for baseline formats. */
  readonly acceptToken?: string;
}

export const FORMATS: Readonly<Record<VariantFormat, FormatInfo>> = Object.freeze({
  avif: { contentType: 'image/avif', extension: 'avif', acceptToken: 'image/avif' },
  webp: { contentType: 'image/webp', extension: 'webp', acceptToken: 'image/webp' },
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
});

/**
 * Modern formats in the order the edge prefers them: AVIF is usually the smaller, and every browser
 * that decodes AVIF also decodes WebP. The pipeline lists a format for an image only when it beats the
 * next one in this order (lib/images/transform.ts), so "first accepted" is also "smallest".
 */
export const MODERN_FORMAT_PREFERENCE: readonly ModernFormat[] = Object.freeze(['avif', 'webp']);

export function isModernFormat(s: string): s is ModernFormat {
  return (MODERN_FORMAT_PREFERENCE as readonly string[]).includes(s);
}

/** Source formats the pipeline reads (sharp's names). SVG is vector and is never rasterized. */
export const SUPPORTED_SOURCE_FORMATS: readonly string[] = Object.freeze(['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff']);

/**
 * Largest width or height any variant format can hold (WebP's limit is 16,383 px; AVIF and JPEG allow
 * more, but a variant must exist in every listed format).
 */
export const MAX_VARIANT_DIMENSION = 16_383;
