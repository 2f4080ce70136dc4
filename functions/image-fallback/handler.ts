/**
 * The fallback origin of the images origin group (lib/images/fallback.ts has the rule): a Lambda
 * function URL handler that CloudFront calls with the same URI the primary images bucket failed to
 * serve, and that answers with the replica's copy, or with the original of a missing variant.
 *
 * Pure apart from the injected `ObjectReader`, so the tests and the local stack run the same code
 * against s3rver (functions/image-fallback/s3-reader.ts).
 */
import { fallbackLookups, firstLookup, keyOfUriPath, type FallbackBucket, type FallbackLookup, type FallbackServed, type FallbackSettings, type PrimaryAnswer } from '../../lib/images/fallback';

/** The parts of a function URL event (payload format 2.0) the handler reads. */
export interface FunctionUrlEvent {
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext: { readonly http: { readonly method: string } };
}

/** A function URL response (payload format 2.0). */
export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

export interface StoredObject {
  /** Absent for HEAD. */
  readonly body?: Buffer;
  readonly contentLength: number;
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly etag?: string;
  readonly lastModified?: Date;
}

export type ReadResult =
  | { readonly kind: 'found'; readonly object: StoredObject }
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-modified'; readonly etag?: string }
  | { readonly kind: 'too-large'; readonly contentLength: number };

export interface ReadRequest {
  readonly head: boolean;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  /** Bodies larger than this are not read: `too-large`. */
  readonly maxBytes: number;
}

/** Reads one key from one of the two buckets; throws on anything but found/missing/304/too large. */
export interface ObjectReader {
  read(bucket: FallbackBucket, key: string, request: ReadRequest): Promise<ReadResult>;
}

/** Header the fallback sets on every object it serves: `primary`, `replica`, or `original` (instead of a variant). */
export const FALLBACK_HEADER = 'x-media-cdn-fallback';

function text(statusCode: number, message: string, extra: Record<string, string> = {}): FunctionUrlResult {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra }, body: `${message}\n`, isBase64Encoded: false };
}

function header(event: FunctionUrlEvent, name: string): string | undefined {
  const h = event.headers ?? {};
  return h[name] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
}

/**
 * The handler, given where to read and the settings (caching of originals served for variants, body
 * cap). `onPrimaryError` hears why the primary did not answer (the entry point logs it).
 */
export function createFallbackHandler(reader: ObjectReader, settings: Pick<FallbackSettings, 'maxBodyBytes' | 'originalMaxAgeSeconds'>, onPrimaryError?: (e: unknown) => void) {
  return async (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    const method = event.requestContext.http.method.toUpperCase();
    if (method === 'OPTIONS') return { statusCode: 204, headers: { allow: 'GET, HEAD, OPTIONS' }, body: '', isBase64Encoded: false };
    if (method !== 'GET' && method !== 'HEAD') return text(405, `${method} is not served; the images fallback answers GET and HEAD`, { allow: 'GET, HEAD, OPTIONS' });
    const key = keyOfUriPath(event.rawPath);
    if (key === undefined) return text(400, `not an object path: ${event.rawPath}`);

    const ifNoneMatch = header(event, 'if-none-match');
    const ifModifiedSince = header(event, 'if-modified-since');
    const request: ReadRequest = {
      head: method === 'HEAD',
      maxBytes: settings.maxBodyBytes,
      ...(ifNoneMatch ? { ifNoneMatch } : {}),
      ...(ifModifiedSince ? { ifModifiedSince } : {}),
    };
    const answer = (lookup: FallbackLookup, r: Exclude<ReadResult, { kind: 'missing' }>): FunctionUrlResult => {
      const served: Record<string, string> = { [FALLBACK_HEADER]: lookup.served };
      if (r.kind === 'not-modified') return { statusCode: 304, headers: { ...served, ...(r.etag ? { etag: r.etag } : {}) }, body: '', isBase64Encoded: false };
      if (r.kind === 'too-large') {
        return text(502, `${lookup.key} is ${r.contentLength} bytes; the fallback returns at most ${settings.maxBodyBytes} (function URL response limit)`, served);
      }
      return found(r.object, lookup.served, method === 'HEAD', settings.originalMaxAgeSeconds);
    };
    // The primary first: when it answers, it is the authority (nothing deleted there returns from the replica).
    const first = firstLookup(key);
    let primary: PrimaryAnswer;
    try {
      const r = await reader.read(first.bucket, first.key, request);
      if (r.kind !== 'missing') return answer(first, r);
      primary = 'missing';
    } catch (e) {
      primary = 'unreachable';
      onPrimaryError?.(e);
    }
    const rest = fallbackLookups(key, primary);
    for (const lookup of rest) {
      const r = await reader.read(lookup.bucket, lookup.key, request);
      if (r.kind !== 'missing') return answer(lookup, r);
    }
    const tried = [first, ...rest].map((l) => `${l.bucket} ${l.key}`);
    return text(404, `not found (${primary === 'unreachable' ? 'primary unreachable; ' : ''}looked up: ${tried.join(', ')})`);
  };
}

function found(o: StoredObject, served: FallbackServed, head: boolean, originalMaxAge: number): FunctionUrlResult {
  const headers: Record<string, string> = {
    [FALLBACK_HEADER]: served,
    'content-type': o.contentType ?? 'application/octet-stream',
    // An original standing in for a variant is cached briefly, so the edge picks the variant up soon.
    'cache-control': served === 'original' ? `public, max-age=${originalMaxAge}` : (o.cacheControl ?? `public, max-age=${originalMaxAge}`),
  };
  if (o.etag) headers.etag = o.etag;
  if (o.lastModified) headers['last-modified'] = o.lastModified.toUTCString();
  if (head) return { statusCode: 200, headers: { ...headers, 'content-length': String(o.contentLength) }, body: '', isBase64Encoded: false };
  return { statusCode: 200, headers, body: (o.body ?? Buffer.alloc(0)).toString('base64'), isBase64Encoded: true };
}
