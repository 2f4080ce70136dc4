/**
 * Errors at the local edge: the edge's own refusals (spec §3.1, §10.1, §10.3) and its answers when the
 * origin did not respond (502/504, spec §3.5), custom error responses (spec §3.4) and error caching
 * (spec §3.3, lib/semantics `errorCachingDecision`). Pure; fetching a custom error page is the edge's.
 */
import { errorCachingDecision } from '../../lib/semantics';
import type { ModelBehavior, ModelErrorResponse } from '../../lib/distribution';
import { errorPage } from './http';
import type { OriginRequest, OriginResponse } from './origin-client';
import type { Outcome } from './outcome';
import { storedHeaders } from './stored-response';

/** An error the edge answers by itself with an HTML page (result type `Error`). */
export interface EdgeError {
  readonly status: number;
  /** The access log's detailed result type. */
  readonly detailedType: string;
  readonly title: string;
  readonly message: string;
}

/** `https-only` viewer protocol policy, plain HTTP request (spec §10.3). */
export const HTTPS_ONLY: EdgeError = { status: 403, detailedType: 'InvalidRequest', title: 'Bad request.', message: 'This distribution only accepts HTTPS.' };

/** Geo restriction blocks the viewer's country (spec §10.1). */
export const GEO_BLOCKED: EdgeError = {
  status: 403, detailedType: 'ClientGeoBlocked', title: 'The request could not be satisfied.',
  message: 'The Amazon CloudFront distribution is configured to block access from your country.',
};

/** A method the behavior does not allow (spec §3.1). */
export const METHOD_NOT_ALLOWED: EdgeError = {
  status: 403, detailedType: 'InvalidRequestMethod', title: 'The request could not be satisfied.',
  message: 'This distribution is not configured to allow the HTTP request method that was used for this request.',
};

/** No response from the origin for a proxied request: 504 on a timeout, else 502 (spec §3.5). */
export function originUnreachable(failure: 'connect' | 'timeout'): EdgeError {
  const status = failure === 'timeout' ? 504 : 502;
  return {
    status, detailedType: failure === 'timeout' ? 'OriginCommError' : 'OriginConnectError',
    title: status === 504 ? 'Gateway Timeout' : 'Bad Gateway', message: 'CloudFront could not get a response from the origin.',
  };
}

/** The outcome of an error from the origin, or of no answer (connect failure, timeout). */
export function originErrorOutcome(failure: OriginResponse['failure']): Outcome {
  const detailed = failure === 'connect' ? 'OriginConnectError' : failure === 'timeout' ? 'OriginCommError' : 'Error';
  return { resultType: 'Error', detailedType: detailed, xCache: 'Error from cloudfront', tier: 'origin' };
}

/** Headers and body of an error fill before any custom error response: the origin's, or the edge's 502/504 page. */
export function originErrorResponse(b: ModelBehavior, r: OriginResponse): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = r.failure === undefined ? storedHeaders(b, r) : { 'content-type': 'text/html' };
  const body = r.failure === undefined ? r.body
    : r.failure === 'timeout'
      ? errorPage(504, 'Gateway Timeout', 'CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.')
      : errorPage(502, 'Bad Gateway', 'CloudFront wasn\'t able to connect to the origin.');
  return { headers, body };
}

/** The request for a custom error response's page (spec §3.4), sent to the origin of the behavior its path selects. */
export function errorPageRequest(path: string): OriginRequest {
  return { method: 'GET', path, query: '', headers: { 'user-agent': 'Amazon CloudFront' } };
}

/**
 * An error response with the custom error page in place of its body, when the page came back (2xx);
 * else the response unchanged. The page's Content-Type replaces the error's; no Content-Encoding is kept.
 */
export function withErrorPage(resp: { headers: Record<string, string>; body: Buffer }, page: OriginResponse): { headers: Record<string, string>; body: Buffer } {
  if (page.failure !== undefined || page.status >= 300) return resp;
  const headers: Record<string, string> = { ...resp.headers, 'content-type': page.headers['content-type'] ?? 'text/html' };
  delete headers['content-encoding'];
  return { headers, body: page.body };
}

/** Whether and how long an error from the origin is cached (spec §3.3), with the custom error response's minimum TTL. */
export function errorCaching(r: OriginResponse, custom: ModelErrorResponse | undefined, policy: ModelBehavior['cachePolicy'], s3Origin: boolean,
  nowSec: number): { cacheable: boolean; ttl: number } {
  return errorCachingDecision(r.status, {
    ...(custom?.errorCachingMinTtl !== undefined ? { errorCachingMinTtl: custom.errorCachingMinTtl } : {}),
    ...(r.headers['cache-control'] !== undefined ? { cacheControl: r.headers['cache-control'] } : {}),
    ...(r.headers.expires !== undefined ? { expires: r.headers.expires } : {}),
    maxTtl: policy.maxTtl,
    s3Origin,
    cachingDisabled: policy.cachingDisabled,
  }, nowSec);
}
