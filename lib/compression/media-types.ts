/**
 * The Content-Type an uploader should set for a key, from its extension: used to read a local folder
 * (files carry no Content-Type) and to name the fix when an object's stored type keeps CloudFront from
 * compressing it. Which types CloudFront compresses is not decided here (lib/semantics/compression.ts).
 */
import { FORMATS } from '../images/formats';

export const MEDIA_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze({
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.cjs': 'application/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.mpd': 'application/dash+xml',
  '.pdf': 'application/pdf',
  '.jpeg': FORMATS.jpeg.contentType,
  '.gif': 'image/gif',
  ...Object.fromEntries(Object.values(FORMATS).map((f) => [`.${f.extension}`, f.contentType])),
});

/** Content-Codings of precompressed copies, by the extension the copy's key gets. */
export const PRECOMPRESSED_EXTENSIONS: Readonly<Record<string, 'br' | 'gzip'>> = Object.freeze({ '.br': 'br', '.gz': 'gzip' });

function extensionOf(key: string): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Media type for a key by its extension; undefined when the extension is unknown. */
export function mediaTypeForKey(key: string): string | undefined {
  return MEDIA_TYPE_BY_EXTENSION[extensionOf(key)];
}

/**
 * For the key of a precompressed copy (`app.js.br`): the encoding and the key it is a copy of;
 * undefined for any other key.
 */
export function precompressedCopyOf(key: string): { encoding: 'br' | 'gzip'; sourceKey: string } | undefined {
  const ext = extensionOf(key);
  const encoding = PRECOMPRESSED_EXTENSIONS[ext];
  return encoding ? { encoding, sourceKey: key.slice(0, -ext.length) } : undefined;
}

/** Key of the precompressed copy of `key` in `encoding`. */
export function precompressedKey(key: string, encoding: 'br' | 'gzip'): string {
  return `${key}${encoding === 'br' ? '.br' : '.gz'}`;
}

/** Media type without parameters, lower case: `text/css; charset=utf-8` → `text/css`. */
export function bareMediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  return (semi >= 0 ? contentType.slice(0, semi) : contentType).trim().toLowerCase();
}
