/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of a local origin (s3rver, the API origin): it
 * forwards every request unchanged and counts it, unless a fault is set for the request's path, then
 * it fails the request the way the fault says (lib/faults FaultMode): `refused` resets the connection,
 * `timeout` and `slow` hold the request without answering for `holdMs` (past the edge's origin timeout)
 * and then reset it, `http5xx` answers 503. `drills` set and clear faults while viewers load the edge.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultMode } from '../../lib/faults/scenarios';

export interface ProxyFault {
  readonly mode: FaultMode;
  /** Whether a request path fails (e.g. the primary bucket's prefix). */
  readonly matches: (path: string) => boolean;
  /** How long `slow`/`timeout` hold a request before resetting it, ms. @default 2000 */
  readonly holdMs?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** Requests received (forwarded or failed). */
  readonly counts: { forwarded: number; failed: number };
  setFault(fault: ProxyFault | undefined): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (`http://127.0.0.1:port`) on an ephemeral 127.0.0.1 port. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const t = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let fault: ProxyFault | undefined;
  const counts = { forwarded: 0, failed: 0 };
  const held = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const f = fault;
    if (f && f.matches(path)) {
      counts.failed++;
      req.resume();
      if (f.mode === 'http5xx') {
        res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '19', 'cache-control': 'no-store' });
        res.end('Service Unavailable');
      } else if (f.mode === 'refused') {
        req.socket.destroy();
      } else {
        const timer = setTimeout(() => { held.delete(timer); req.socket.destroy(); }, f.holdMs ?? 2000);
        held.add(timer);
      }
      return;
    }
    counts.forwarded++;
    const up = request({ protocol: t.protocol, hostname: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, host: t.host }, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    setFault(f) { fault = f; },
    async close() {
      for (const timer of held) clearTimeout(timer);
      held.clear();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
