/**
 * Runs CloudFront Function code (cloudfront-js-2.0) in Node: evaluates it in a fresh VM context and
 * calls `handler(event)` with the viewer-request event shape.
 */
import { runInNewContext } from 'node:vm';

export interface CfQueryValue { value: string; multiValue?: { value: string }[] }
export interface CfRequest {
  method: string;
  uri: string;
  querystring: Record<string, CfQueryValue>;
  headers: Record<string, { value: string }>;
  cookies: Record<string, { value: string }>;
}

export function viewerRequestEvent(uri: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'r-1' },
    viewer: { ip: '198.51.100.11' },
    request: {
      method: 'GET',
      uri,
      querystring: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, { value: v }])),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), { value: v }])),
      cookies: {},
    },
  };
}

/** Evaluates `code` and returns its handler. */
export function loadFunction(code: string): (event: ReturnType<typeof viewerRequestEvent>) => CfRequest {
  const sandbox: Record<string, unknown> = {};
  runInNewContext(`${code}\nthis.handler = handler;`, sandbox);
  return sandbox.handler as (event: ReturnType<typeof viewerRequestEvent>) => CfRequest;
}

/** The query string as CloudFront forwards it: parameters in object order. */
export function queryString(req: CfRequest): string {
  return Object.entries(req.querystring).map(([k, v]) => `${k}=${v.value}`).join('&');
}
