/**
 * Compression at the edge (spec §6): whether an origin response is compressed for the viewer that
 * asked (lib/semantics `compressionDecision`), the compression itself, and the headers that change
 * with it (Content-Encoding, a weakened ETag, Vary: Accept-Encoding).
 */
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { compressionDecision, weakenEtag } from '../../lib/semantics';
import type { ModelBehavior } from '../../lib/distribution';
import type { OriginResponse } from './origin-client';
import type { RequestCtx } from './request-context';

/**
 * The body and headers to store for a 2xx/3xx origin response: compressed (brotli quality 5 or gzip
 * level 6) when the behavior, the cache policy and the request call for it, else the origin's.
 * `headers` is not changed: a compressed response gets a copy.
 */
export function compressAtEdge(b: ModelBehavior, ctx: Pick<RequestCtx, 'httpVersion' | 'headers'>, r: OriginResponse,
  headers: Record<string, string>): { headers: Record<string, string>; body: Buffer } {
  const policy = b.cachePolicy;
  let body = r.body;
  const cl = r.headers['content-length'];
  const decision = compressionDecision({
    behaviorCompress: b.compress,
    policyGzip: policy.key.enableAcceptEncodingGzip,
    policyBrotli: policy.key.enableAcceptEncodingBrotli,
    cachingDisabled: policy.cachingDisabled,
    httpVersion: ctx.httpVersion,
    acceptEncoding: ctx.headers['accept-encoding'],
    contentEncoding: r.headers['content-encoding'],
    contentLength: cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined,
    status: r.status,
    contentType: r.headers['content-type'],
  });
  if (decision.compress) {
    body = decision.encoding === 'br'
      ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : gzipSync(body, { level: 6 });
    headers = { ...headers, 'content-encoding': decision.encoding! };
    const etag = weakenEtag(headers.etag);
    if (etag === undefined) delete headers.etag;
    else headers.etag = etag;
    headers.vary = headers.vary ? (/accept-encoding/i.test(headers.vary) ? headers.vary : `${headers.vary}, Accept-Encoding`) : 'Accept-Encoding';
  }
  return { headers, body };
}
