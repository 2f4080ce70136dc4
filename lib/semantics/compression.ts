/**
 * Edge compression eligibility and ETag weakening (spec §6).
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html ,
 * https://github.com/awsdocs/amazon-cloudfront-developer-guide (2023 edition, doc_source/ServingCompressedFiles.md)
 */
import { acceptedEncodings, normalizeAcceptEncoding, type AcceptEncodingOptions } from './cache-key';

/** Smallest compressible body, bytes, inclusive [inferred inclusive] (spec §6.1). */
export const MIN_COMPRESSIBLE_BYTES = 1_000;
/** Largest compressible body, bytes, inclusive [inferred inclusive] (spec §6.1). */
export const MAX_COMPRESSIBLE_BYTES = 10_000_000;

/** Origin statuses CloudFront compresses (spec §6.1 rule 7). */
export const COMPRESSIBLE_STATUSES: readonly number[] = Object.freeze([200, 403, 404]);

/** Media types CloudFront compresses, exact list (spec §6.2; lower case, no parameters). */
export const COMPRESSIBLE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/dash+xml',
  'application/eot',
  'application/font',
  'application/font-sfnt',
  'application/javascript',
  'application/json',
  'application/opentype',
  'application/otf',
  'application/pdf',
  'application/pkcs7-mime',
  'application/protobuf',
  'application/rss+xml',
  'application/truetype',
  'application/ttf',
  'application/vnd.apple.mpegurl',
  'application/vnd.mapbox-vector-tile',
  'application/vnd.ms-fontobject',
  'application/wasm',
  'application/xhtml+xml',
  'application/xml',
  'application/x-font-opentype',
  'application/x-font-truetype',
  'application/x-font-ttf',
  'application/x-httpd-cgi',
  'application/x-javascript',
  'application/x-mpegurl',
  'application/x-opentype',
  'application/x-otf',
  'application/x-perl',
  'application/x-ttf',
  'font/eot',
  'font/opentype',
  'font/otf',
  'font/ttf',
  'image/svg+xml',
  'text/css',
  'text/csv',
  'text/html',
  'text/javascript',
  'text/js',
  'text/plain',
  'text/richtext',
  'text/tab-separated-values',
  'text/xml',
  'text/x-component',
  'text/x-java-source',
  'text/x-script',
  'vnd.apple.mpegurl',
]);

/**
 * True when the Content-Type's media type is in {@link COMPRESSIBLE_CONTENT_TYPES} (spec §6.2).
 * Parameters (`; charset=utf-8`) are stripped and the media type compared case-insensitively
 * [inferred: parameter handling is undocumented].
 */
export function isCompressibleContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const media = (semi >= 0 ? contentType.slice(0, semi) : contentType).trim().toLowerCase();
  return COMPRESSIBLE_CONTENT_TYPES.has(media);
}

/** Why CloudFront does not compress a response (spec §6.1), in the order the rules are checked. */
export type CompressionSkipReason =
  | 'behavior-compress-off'
  | 'policy-no-accept-encoding'
  | 'caching-disabled'
  | 'http-1.0'
  | 'viewer-no-gzip-br'
  | 'viewer-encoding-not-enabled'
  | 'already-encoded'
  | 'size-unknown'
  | 'too-small'
  | 'too-large'
  | 'status-not-compressible'
  | 'range-response'
  | 'content-type-not-compressible';

/** Inputs of {@link compressionDecision} (spec §6.1). */
export interface CompressionInput {
  /** The behaviour's `Compress` flag. */
  readonly behaviorCompress: boolean;
  /** Cache policy EnableAcceptEncodingGzip. */
  readonly policyGzip: boolean;
  /** Cache policy EnableAcceptEncodingBrotli. */
  readonly policyBrotli: boolean;
  /** All TTLs are 0 (e.g. CachingDisabled): no compression. @default false */
  readonly cachingDisabled?: boolean;
  /** Viewer HTTP version: '1.0', '1.1', '2', '3' (an `HTTP/` prefix is accepted). @default '1.1' */
  readonly httpVersion?: string;
  /** Viewer Accept-Encoding. */
  readonly acceptEncoding?: string;
  /** Origin Content-Encoding; any value, even `identity` or empty, blocks compression. */
  readonly contentEncoding?: string;
  /** Origin Content-Length, bytes; `undefined` (e.g. chunked) ⇒ no compression. */
  readonly contentLength?: number;
  /** Origin status. */
  readonly status: number;
  /** Origin Content-Type. */
  readonly contentType?: string;
  /** The response being produced is a 206 / range response. @default false */
  readonly isRangeResponse?: boolean;
  /** Accept-Encoding parsing choices ([inferred]). */
  readonly acceptEncodingOptions?: AcceptEncodingOptions;
}

/** Outcome of {@link compressionDecision}. spec §6.1 */
export interface CompressionDecision {
  /** Whether CloudFront compresses this response. */
  compress: boolean;
  /** The encoding used when compressing (Brotli preferred). */
  encoding?: 'br' | 'gzip';
  /** `'compressed'` or the first rule that failed. */
  reason: CompressionSkipReason | 'compressed';
}

function isHttp10(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toUpperCase();
  return s === '1.0' || s === 'HTTP/1.0' || s === 'HTTP1.0';
}

/**
 * Decides whether CloudFront compresses an origin response (spec §6.1, all rules must hold):
 * behaviour Compress on; a cache policy with gzip and/or Brotli enabled; caching not disabled;
 * viewer HTTP/1.1+; viewer accepts an enabled encoding (gzip/br); no origin Content-Encoding (even
 * `identity`); Content-Length known and within 1,000–10,000,000 bytes inclusive; status 200, 403 or
 * 404 (never 206 / range responses); compressible Content-Type. Brotli is preferred when both are
 * possible. The "best effort under load" rule (§6.1 rule 9) is not modelled here.
 */
export function compressionDecision(input: CompressionInput): CompressionDecision {
  const skip = (reason: CompressionSkipReason): CompressionDecision => ({ compress: false, reason });
  if (!input.behaviorCompress) return skip('behavior-compress-off');
  if (!input.policyGzip && !input.policyBrotli) return skip('policy-no-accept-encoding');
  if (input.cachingDisabled === true) return skip('caching-disabled');
  if (isHttp10(input.httpVersion)) return skip('http-1.0');
  const ae = normalizeAcceptEncoding(input.acceptEncoding, input.policyGzip, input.policyBrotli, '1.1', input.acceptEncodingOptions);
  if (ae === undefined) {
    const acc = acceptedEncodings(input.acceptEncoding, input.acceptEncodingOptions);
    return skip(acc.gzip || acc.br ? 'viewer-encoding-not-enabled' : 'viewer-no-gzip-br');
  }
  if (input.contentEncoding !== undefined) return skip('already-encoded');
  const len = input.contentLength;
  if (len === undefined || typeof len !== 'number' || !Number.isInteger(len) || len < 0) return skip('size-unknown');
  if (len < MIN_COMPRESSIBLE_BYTES) return skip('too-small');
  if (len > MAX_COMPRESSIBLE_BYTES) return skip('too-large');
  if (!COMPRESSIBLE_STATUSES.includes(input.status)) return skip('status-not-compressible');
  if (input.isRangeResponse === true) return skip('range-response');
  if (!isCompressibleContentType(input.contentType)) return skip('content-type-not-compressible');
  return { compress: true, encoding: ae === 'gzip' ? 'gzip' : 'br', reason: 'compressed' };
}

const REASON_TEXT: Readonly<Record<CompressionSkipReason | 'compressed', string>> = {
  compressed: 'CloudFront compresses this response.',
  'behavior-compress-off': 'Not compressed: the cache behaviour has Compress (compress objects automatically) turned off.',
  'policy-no-accept-encoding': 'Not compressed: the cache policy enables neither gzip nor Brotli (EnableAcceptEncodingGzip/Brotli).',
  'caching-disabled': 'Not compressed: caching is disabled (all TTLs 0), and CloudFront only compresses cached objects.',
  'http-1.0': 'Not compressed: the viewer used HTTP/1.0, whose Accept-Encoding CloudFront removes.',
  'viewer-no-gzip-br': 'Not compressed: the viewer\'s Accept-Encoding lists neither gzip nor br.',
  'viewer-encoding-not-enabled': 'Not compressed: the viewer accepts only an encoding the cache policy does not enable.',
  'already-encoded': 'Not compressed: the origin response already has a Content-Encoding header (even identity blocks compression).',
  'size-unknown': 'Not compressed: the origin response has no valid Content-Length (e.g. chunked).',
  'too-small': `Not compressed: the body is smaller than ${MIN_COMPRESSIBLE_BYTES} bytes.`,
  'too-large': `Not compressed: the body is larger than ${MAX_COMPRESSIBLE_BYTES} bytes.`,
  'status-not-compressible': 'Not compressed: only 200, 403 and 404 responses are compressed.',
  'range-response': 'Not compressed: range (206) responses are never compressed.',
  'content-type-not-compressible': 'Not compressed: the Content-Type is not in CloudFront\'s list of compressible types.',
};

/** Human-readable sentence for a {@link compressionDecision} reason (spec §6.1). */
export function describeCompressionReason(reason: CompressionSkipReason | 'compressed'): string {
  return REASON_TEXT[reason] ?? `Unknown compression reason '${String(reason)}'.`;
}

/**
 * ETag rewriting when CloudFront compresses (spec §6.3): a strong ETag (`"…"`) becomes weak
 * (`W/"…"`); a weak ETag is returned unchanged; anything not starting with `"` or `W/` is removed
 * (`undefined`).
 */
export function weakenEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  if (etag.startsWith('W/')) return etag;
  if (etag.startsWith('"')) return `W/${etag}`;
  return undefined;
}
