/**
 * Sends warm requests to the edges with a shared rate limit and a bounded number in flight, then a
 * verification pass (HEAD, which shares the cache entry with GET and does not fill it on a miss)
 * that reports the share of paths now served as hits. Redirects are never followed: traffic goes only
 * to the edges given (validated by lib/warming/targets.ts).
 */
import { mapConcurrent } from '../../lib/concurrency';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { requestCostUsd, tieredTransferCostUsd, GIB } from '../../lib/semantics';
import { TokenBucket, type Pacing } from '../../lib/warming/schedule';
import { signCannedUrl, type Signer } from '../../lib/warming/signed-urls';
import type { WarmEdge } from '../../lib/warming/targets';
import type { WarmRequest } from '../../lib/warming/variants';
import { startProgress } from '../lib/progress';

export interface HttpAnswer {
  readonly status: number;
  readonly xCache?: string;
  /** Body bytes received (GET) or Content-Length (HEAD). */
  readonly bytes: number;
  readonly error?: string;
}

/** Sends one request; replaceable in tests. */
export type HttpSend = (method: 'GET' | 'HEAD', url: string, headers: Record<string, string>, timeoutMs: number) => Promise<HttpAnswer>;

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

export const httpSend: HttpSend = (method, url, headers, timeoutMs) =>
  new Promise((resolve) => {
    const u = new URL(url);
    const isHttps = u.protocol === 'https:';
    const req = (isHttps ? httpsRequest : httpRequest)(
      { protocol: u.protocol, hostname: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, headers, agent: isHttps ? httpsAgent : httpAgent, timeout: timeoutMs },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => { bytes += c.length; });
        res.on('end', () => {
          const xc = res.headers['x-cache'];
          resolve({
            status: res.statusCode ?? 0,
            ...(typeof xc === 'string' ? { xCache: xc } : {}),
            bytes: method === 'HEAD' ? Number(res.headers['content-length'] ?? 0) : bytes,
          });
        });
        res.on('error', (e) => resolve({ status: 0, bytes, error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ status: 0, bytes: 0, error: e.message }));
    req.end();
  });

/** Closes keep-alive sockets so the process can exit. */
export function closeWarmConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}

export interface WarmRunOptions {
  readonly requests: readonly WarmRequest[];
  readonly edges: readonly WarmEdge[];
  readonly pacing: Pacing;
  /** The distribution's domain: signed URLs are signed for it. */
  readonly domainName: string;
  readonly signer?: Signer;
  /** Lifetime of signed warm URLs, seconds. @default 900 */
  readonly signedUrlTtlSec?: number;
  readonly verify: boolean;
  readonly quiet?: boolean;
  readonly timeoutMs?: number;
  readonly send?: HttpSend;
  /** Sleep, replaceable in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface PhaseStats {
  requests: number;
  byXCache: Record<string, number>;
  errors: number;
  /** Body bytes of responses that were misses: what the edges pulled from the origin to fill. */
  originBytes: number;
  bytesReceived: number;
}

export interface WarmReport {
  readonly paths: number;
  readonly variants: number;
  readonly edges: readonly string[];
  readonly warm: PhaseStats;
  readonly verify?: PhaseStats & {
    /** Share of (path, edge) pairs whose every variant answered Hit/RefreshHit. */
    readonly pathHitShare: number;
    readonly variantHitShare: number;
  };
  /**
   * Requests billed and their cost with the bytes served, at US HTTPS rates (spec §13.2, §13.3). For
   * local edges nothing is billed: the figures say what the same run costs on the distribution.
   */
  readonly billing: { readonly requests: number; readonly bytes: number; readonly costUsd: number; readonly local: boolean };
  readonly failures: readonly { readonly url: string; readonly status: number; readonly error?: string }[];
}

function isHit(xCache: string | undefined): boolean {
  return xCache !== undefined && /^(Hit|RefreshHit) from cloudfront$/i.test(xCache);
}

function newPhase(): PhaseStats {
  return { requests: 0, byXCache: {}, errors: 0, originBytes: 0, bytesReceived: 0 };
}

export async function runWarming(o: WarmRunOptions): Promise<WarmReport> {
  const send = o.send ?? httpSend;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const timeout = o.timeoutMs ?? 30_000;
  const failures: { url: string; status: number; error?: string }[] = [];
  const jobs = o.edges.flatMap((edge) => o.requests.map((r) => ({ edge, r })));
  const urlOf = (edge: WarmEdge, r: WarmRequest): string => {
    const rel = `${r.path}${r.query ? `?${r.query}` : ''}`;
    if (!r.signed || !o.signer) return `${edge.baseUrl}${rel}`;
    const expires = Math.floor(now() / 1000) + (o.signedUrlTtlSec ?? 900);
    const signed = signCannedUrl(`https://${o.domainName}${rel}`, expires, o.signer);
    return `${edge.baseUrl}${signed.slice(`https://${o.domainName}`.length)}`;
  };
  const headersOf = (r: WarmRequest) => ({ 'user-agent': 'media-cdn-warm/1.0', ...r.headers });

  const phase = async (label: string, method: 'GET' | 'HEAD', stats: PhaseStats, onAnswer?: (i: number, a: HttpAnswer) => void) => {
    const bucket = new TokenBucket(o.pacing.ratePerSec, Math.max(1, Math.min(o.pacing.concurrency, Math.ceil(o.pacing.ratePerSec))));
    const bar = startProgress(label, jobs.length, { quiet: o.quiet ?? false });
    await mapConcurrent(jobs, o.pacing.concurrency, async ({ edge, r }, i) => {
      const wait = bucket.take(now());
      if (wait > 0) await sleep(wait);
      const url = urlOf(edge, r);
      const a = await send(method, url, headersOf(r), timeout);
      stats.requests++;
      stats.bytesReceived += a.bytes;
      const xc = a.xCache ?? (a.error ? 'no answer' : 'no X-Cache');
      stats.byXCache[xc] = (stats.byXCache[xc] ?? 0) + 1;
      if (a.error || a.status === 0 || a.status >= 400) {
        stats.errors++;
        if (failures.length < 100) failures.push({ url, status: a.status, ...(a.error ? { error: a.error } : {}) });
      } else if (!isHit(a.xCache)) stats.originBytes += a.bytes;
      onAnswer?.(i, a);
      bar.increment();
    });
    bar.stop();
  };

  const warm = newPhase();
  await phase('warm', 'GET', warm);
  let verify: WarmReport['verify'];
  if (o.verify) {
    const v = newPhase();
    const hit = new Array<boolean>(jobs.length).fill(false);
    await phase('verify', 'HEAD', v, (i, a) => { hit[i] = isHit(a.xCache); });
    const byPath = new Map<string, boolean>();
    jobs.forEach((j, i) => {
      const k = `${j.edge.label} ${j.r.target}`;
      byPath.set(k, (byPath.get(k) ?? true) && hit[i]!);
    });
    const pathHits = [...byPath.values()].filter(Boolean).length;
    verify = { ...v, originBytes: 0, pathHitShare: byPath.size === 0 ? 1 : pathHits / byPath.size, variantHitShare: jobs.length === 0 ? 1 : hit.filter(Boolean).length / jobs.length };
  }
  const local = o.edges.every((e) => e.local);
  const billedRequests = warm.requests + (verify?.requests ?? 0);
  const billedBytes = warm.bytesReceived;
  const costUsd = estimateCostUsd(billedRequests, billedBytes);
  return {
    paths: new Set(o.requests.map((r) => r.target)).size,
    variants: o.requests.length,
    edges: o.edges.map((e) => e.label),
    warm,
    ...(verify ? { verify } : {}),
    billing: { requests: billedRequests, bytes: billedBytes, costUsd, local },
    failures,
  };
}

/** What the same run costs on the real distribution (US rates, HTTPS), for dry runs and local runs. */
export function estimateCostUsd(requests: number, bytes: number): number {
  return requestCostUsd('US', requests, true) + tieredTransferCostUsd('US', bytes / GIB);
}
