/**
 * What the origin receives for a request (spec §5.2, §5.4, §5.8): the headers, cookies and query
 * parameters of the cache key and of the origin request policy, the edge's own headers, and the
 * validators of a stored copy when revalidating it (spec §4.1). Pure; origin-client.ts sends it.
 */
import { normalizeAcceptEncoding, selectedCookies, selectedQueryParams } from '../../lib/semantics';
import type { CacheEntry } from './cache';
import { HOP_BY_HOP, joinQuery, viewerHttpVersion } from './http';
import type { OriginRequest } from './origin-client';
import type { RequestCtx } from './request-context';

/**
 * Headers, cookies and query string the origin receives (spec §5.2, §5.4, §5.8). `popHeader` (the
 * local edge-location header) is never forwarded; `via` is the edge's Via value for the request.
 */
export function buildOriginRequest(ctx: RequestCtx, method: string, body: Buffer | undefined, popHeader: string, via: string): OriginRequest {
  const b = ctx.behavior!;
  const key = b.cachePolicy.key;
  const fwd = b.originRequestPolicy?.forwards;
  const h = ctx.headers;
  const names = new Set(key.headers.map((x) => x.toLowerCase()));
  const fwdNames = new Set((fwd?.headers.names ?? []).map((x) => x.toLowerCase()));
  const allViewer = fwd?.headers.behavior === 'allViewer' || fwd?.headers.behavior === 'allViewerAndWhitelistCloudFront';
  for (const n of Object.keys(h)) {
    if (HOP_BY_HOP.has(n) || n === 'cookie' || n === popHeader) continue;
    if (allViewer || (fwd?.headers.behavior === 'allExcept' && !fwdNames.has(n)) || (fwd?.headers.behavior === 'whitelist' && fwdNames.has(n))) names.add(n);
  }
  const out: Record<string, string> = {};
  for (const n of names) if (h[n] !== undefined && n !== 'host') out[n] = h[n]!;
  if (key.enableAcceptEncodingGzip || key.enableAcceptEncodingBrotli) {
    delete out['accept-encoding'];
    const ae = normalizeAcceptEncoding(h['accept-encoding'], key.enableAcceptEncodingGzip, key.enableAcceptEncodingBrotli, viewerHttpVersion(ctx.httpVersion));
    if (ae !== undefined) out['accept-encoding'] = ae;
    else if (h['accept-encoding'] !== undefined) out['accept-encoding'] = 'identity';
  }
  const cookieNames = new Set(selectedCookies(key, { method, path: ctx.uri, headers: h }).map(([n]) => n));
  const cb = fwd?.cookies;
  const cookies = ctx.cookies.filter(([n]) =>
    cookieNames.has(n) || cb?.behavior === 'all' || (cb?.behavior === 'whitelist' && (cb.names ?? []).includes(n)) || (cb?.behavior === 'allExcept' && !(cb.names ?? []).includes(n)));
  if (cookies.length > 0) out.cookie = cookies.map(([k, v]) => `${k}=${v}`).join('; ');
  if (out['user-agent'] === undefined) out['user-agent'] = 'Amazon CloudFront';
  out.via = via;
  out['x-amz-cf-id'] = ctx.requestId;
  out['x-forwarded-for'] = h['x-forwarded-for'] ? `${h['x-forwarded-for']}, ${ctx.clientIp}` : ctx.clientIp;
  const qb = fwd?.queryStrings;
  const keyQuery = new Set(selectedQueryParams(key, joinQuery(ctx.query)).map(([n]) => n));
  const query = ctx.query.filter(([n]) =>
    keyQuery.has(n) || qb?.behavior === 'all' || (qb?.behavior === 'whitelist' && (qb.names ?? []).includes(n)) || (qb?.behavior === 'allExcept' && !(qb.names ?? []).includes(n)));
  return { method, path: ctx.uri, query: joinQuery(query), headers: out, ...(body ? { body } : {}) };
}

/** May the stored copy be revalidated with a conditional request? Not errors, not when cookies are forwarded (spec §4.1). */
export function canRevalidate(stale: CacheEntry | undefined): stale is CacheEntry {
  return stale !== undefined && !stale.isError && !stale.noRevalidation;
}

/** Adds the stored copy's validators (the origin's, not a weakened served ETag) as If-None-Match / If-Modified-Since. */
export function addValidators(headers: Record<string, string>, stale: CacheEntry): void {
  const etag = stale.validators?.etag ?? stale.headers.etag;
  const lastModified = stale.validators?.lastModified ?? stale.headers['last-modified'];
  if (etag) headers['if-none-match'] = etag;
  if (lastModified) headers['if-modified-since'] = lastModified;
}
