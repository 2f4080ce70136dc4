/**
 * HTTP plumbing shared by the local AWS stand-ins (CloudFront endpoint, KeyValueStore endpoint, JSON
 * protocol server): a bounded body reader and a listener on loopback only.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Reads a request body as UTF-8, rejecting with `tooLarge()` past `limit` bytes. With `destroy`, the
 * request is torn down at once; without it the caller can still answer with an error response.
 */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error, destroy = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(tooLarge());
        if (destroy) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Listens on 127.0.0.1 (port 0 picks a free one) and returns `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
