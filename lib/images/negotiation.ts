/**
 * The format and width negotiation rule, written once in the dialect of CloudFront Functions
 * (cloudfront-js-2.0, plain ES5 here) so the very same source runs at the edge (embedded by
 * lib/builders/image-function.ts) and in Node (compiled below for the pipeline, the tests and the
 * simulator).
 *
 * Decision table, given the index value of an original (variant-keys.ts) and the viewer request:
 *
 * | `format` parameter      | Accept lists (q > 0)        | served format                          |
 * | ----------------------- | --------------------------- | -------------------------------------- |
 * | `jpeg` / `png`          | anything                    | the baseline (source family)           |
 * | `avif` / `webp`, listed | anything                    | that format                            |
 * | absent, `auto`, other   | `image/avif` (avif listed)  | avif                                   |
 * | absent, `auto`, other   | `image/webp` (webp listed)  | webp                                   |
 * | absent, `auto`, other   | neither (`*∕*`, `image∕*`)  | the baseline                           |
 *
 * Wildcards never select a modern format: `*∕*` is what old clients send. The width is the smallest
 * indexed width ≥ the requested one, else the largest (never an upscale); no width → the largest.
 * An original without an index entry (not processed yet, failed, or unparsable value) is served as is.
 */
import { FORMATS, MODERN_FORMAT_PREFERENCE, type BaselineFormat, type ModernFormat, type VariantFormat } from './formats';

/** Key prefix of every variant and manifest in the images bucket. */
export const VARIANT_ROOT = '_variants/';

/** What the edge knows about one processed original: the variants that exist. */
export interface VariantIndexEntry {
  /** Widths every listed format (and the baseline) exists at, ascending. */
  readonly widths: readonly number[];
  /** Modern formats written for this image, in preference order. */
  readonly formats: readonly ModernFormat[];
  /** The baseline format (the source's family), written at every width. */
  readonly baseline: BaselineFormat;
}

/** The variant the edge serves. */
export interface VariantChoice {
  readonly width: number;
  readonly format: VariantFormat;
}

const EXTENSIONS = Object.fromEntries(Object.entries(FORMATS).map(([f, i]) => [f, i.extension]));
const ACCEPT_TOKENS = Object.fromEntries(MODERN_FORMAT_PREFERENCE.map((f) => [f, FORMATS[f].acceptToken]));

/** The rule's source: ES5 functions, no imports, no globals but the constants it declares. */
export const NEGOTIATION_JS = `var VARIANT_ROOT = ${JSON.stringify(VARIANT_ROOT)};
var EXT = ${JSON.stringify(EXTENSIONS)};
var ACCEPT_TOKEN = ${JSON.stringify(ACCEPT_TOKENS)};
var MODERN = ${JSON.stringify(MODERN_FORMAT_PREFERENCE)};

function parseVariantIndex(value) {
  if (typeof value !== 'string') return null;
  var widths = [], formats = [], baseline = null;
  var parts = value.split(';');
  for (var i = 0; i < parts.length; i++) {
    var eq = parts[i].indexOf('=');
    if (eq < 0) continue;
    var name = parts[i].slice(0, eq), items = parts[i].slice(eq + 1).split(',');
    for (var j = 0; j < items.length; j++) {
      var it = items[j];
      if (name === 'w') { var n = parseInt(it, 10); if (n > 0 && String(n) === it && widths.indexOf(n) < 0) widths.push(n); }
      else if (name === 'f') { if (MODERN.indexOf(it) >= 0 && formats.indexOf(it) < 0) formats.push(it); }
      else if (name === 'b') { if (it === 'jpeg' || it === 'png') baseline = it; }
    }
  }
  if (widths.length === 0 || baseline === null) return null;
  widths.sort(function (a, b) { return a - b; });
  return { widths: widths, formats: MODERN.filter(function (f) { return formats.indexOf(f) >= 0; }), baseline: baseline };
}

function acceptsToken(accept, token) {
  if (!accept) return false;
  var items = String(accept).toLowerCase().split(',');
  var best = -1;
  for (var i = 0; i < items.length; i++) {
    var params = items[i].split(';');
    if (params[0].trim() !== token) continue;
    var q = 1;
    for (var j = 1; j < params.length; j++) {
      var p = params[j].trim();
      if (p.slice(0, 2) === 'q=') { q = parseFloat(p.slice(2)); if (isNaN(q)) q = 0; }
    }
    if (q > best) best = q;
  }
  return best > 0;
}

function chooseVariant(value, width, format, accept) {
  var index = parseVariantIndex(value);
  if (index === null) return null;
  var f = index.baseline;
  if (format === 'jpeg' || format === 'png') f = index.baseline;
  else if (index.formats.indexOf(format) >= 0) f = format;
  else {
    for (var i = 0; i < index.formats.length; i++) {
      if (acceptsToken(accept, ACCEPT_TOKEN[index.formats[i]])) { f = index.formats[i]; break; }
    }
  }
  var ws = index.widths, w = ws[ws.length - 1], want = parseInt(width, 10);
  if (want > 0) {
    for (var k = 0; k < ws.length; k++) { if (ws[k] >= want) { w = ws[k]; break; } }
  }
  return { width: w, format: f };
}

function variantPath(originalPath, width, format) {
  return VARIANT_ROOT + originalPath + '/' + width + '.' + EXT[format];
}
`;

interface EdgeRules {
  parseVariantIndex(value: unknown): VariantIndexEntry | null;
  acceptsToken(accept: string | undefined, token: string): boolean;
  chooseVariant(value: string, width: string | undefined, format: string | undefined, accept: string | undefined): VariantChoice | null;
  variantPath(originalPath: string, width: number, format: VariantFormat): string;
}

const rules = new Function(`${NEGOTIATION_JS}\nreturn { parseVariantIndex: parseVariantIndex, acceptsToken: acceptsToken, chooseVariant: chooseVariant, variantPath: variantPath };`)() as EdgeRules;

/** Parses an index value (`w=320,640;f=avif,webp;b=jpeg`); null when it has no width or no baseline. */
export function parseVariantIndex(value: unknown): VariantIndexEntry | null {
  return rules.parseVariantIndex(value);
}

/** True when `accept` lists `token` (e.g. `image/avif`) with q > 0; wildcards do not count. */
export function acceptsToken(accept: string | undefined, token: string): boolean {
  return rules.acceptsToken(accept, token);
}

/**
 * The variant the edge serves for an indexed original, or null when the index value is unusable.
 * `width` and `format` are the (normalized) query parameter values, `accept` the viewer's header.
 */
export function chooseVariant(indexValue: string, width: string | undefined, format: string | undefined, accept: string | undefined): VariantChoice | null {
  return rules.chooseVariant(indexValue, width, format, accept);
}

/** `_variants/<path>/<width>.<ext>` for a key or a URI path (the scheme is the same for both). */
export function variantPath(originalPath: string, width: number, format: VariantFormat): string {
  return rules.variantPath(originalPath, width, format);
}
