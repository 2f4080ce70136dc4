/**
 * A Lambda function URL on 127.0.0.1: each HTTP request becomes a function URL event (payload format
 * 2.0), the handler's result becomes the HTTP response (base64 bodies decoded). Lets the local edge
 * call the same handler code CloudFront calls in AWS (the images fallback origin).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FunctionUrlEvent, FunctionUrlResult } from '../../functions/image-fallback/handler';
import { listenOnLoopback, readBody } from '../http';

export type FunctionUrlHandler = (event: FunctionUrlEvent & { readonly body?: string; readonly isBase64Encoded?: boolean }) => Promise<FunctionUrlResult>;

export interface FunctionUrlOrigin {
  readonly url: string;
  /** Events handled so far, in order (path and method). */
  readonly invocations: { method: string; path: string }[];
  close(): Promise<void>;
}

/** Request bodies above this are refused, as Lambda refuses payloads over 6 MB. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
/** A buffered function's response payload (the JSON result, base64 body included) is at most 6 MB. */
export const MAX_RESPONSE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** The function URL event of a request (headers lower-cased and joined with ',' as Lambda does). */
export function functionUrlEvent(req: IncomingMessage, body: string) {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    rawPath: q < 0 ? target : target.slice(0, q),
    rawQueryString: q < 0 ? '' : target.slice(q + 1),
    headers,
    requestContext: { http: { method, path: q < 0 ? target : target.slice(0, q), sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' } },
    ...(body ? { body: Buffer.from(body).toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
}

export async function startFunctionUrlOrigin(handler: FunctionUrlHandler, port = 0): Promise<FunctionUrlOrigin> {
  const invocations: { method: string; path: string }[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    let body: string;
    try {
      body = await readBody(req, MAX_REQUEST_BYTES, () => new Error('request too large'), false);
    } catch {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('request payload over 6 MB\n');
      return;
    }
    const event = functionUrlEvent(req, body);
    invocations.push({ method: event.requestContext.http.method, path: event.rawPath });
    let r: FunctionUrlResult;
    try {
      r = await handler(event);
    } catch (e) {
      // What a function URL answers when the function throws.
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Internal Server Error', error: String(e) }));
      return;
    }
    const size = Buffer.byteLength(JSON.stringify(r));
    if (size > MAX_RESPONSE_PAYLOAD_BYTES) {
      // What a function URL answers when the result is over the limit.
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD_BYTES} bytes).` }));
      return;
    }
    const payload = r.isBase64Encoded ? Buffer.from(r.body, 'base64') : Buffer.from(r.body ?? '', 'utf8');
    const headers: Record<string, string> = { ...r.headers };
    if (event.requestContext.http.method !== 'HEAD' || headers['content-length'] === undefined) headers['content-length'] = String(payload.length);
    res.writeHead(r.statusCode, headers);
    res.end(event.requestContext.http.method === 'HEAD' ? undefined : payload);
  };
  const server = createServer((req, res) => void answer(req, res));
  const url = await listenOnLoopback(server, port);
  return {
    url,
    invocations,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
