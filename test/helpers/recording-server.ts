/**
 * A 127.0.0.1 HTTP server that records every request (method, URL, headers and the access key id of
 * its SigV4/SigV4a Authorization header) and answers with what the test's responder says: a stand-in
 * AWS endpoint for checking where the real SDK clients send their requests and whose keys sign them.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** `Credential=<id>/...` of the Authorization header; undefined when unsigned. */
  readonly accessKeyId?: string;
  readonly body: string;
}

export interface Answer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface RecordingServer {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** The access key id an Authorization header was signed with. */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the server on an ephemeral port; `respond` sees each request after it is recorded.
 * @param host the address to listen on. @default 127.0.0.1
 */
export async function startRecordingServer(respond: (r: RecordedRequest, index: number) => Answer = () => ({}), host = '127.0.0.1'): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      const accessKeyId = accessKeyIdOf(req.headers.authorization);
      const r: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, ...(accessKeyId ? { accessKeyId } : {}) };
      requests.push(r);
      const a = respond(r, requests.length - 1);
      res.writeHead(a.status ?? 200, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An empty ListObjectsV2 answer. */
export const EMPTY_LISTING = {
  headers: { 'content-type': 'application/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>',
} as const;
