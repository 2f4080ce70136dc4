/**
 * A small metadata/API origin for the local stack, answering like the real services do: JSON with
 * realistic Cache-Control (s-maxage for the CDN, shorter max-age for browsers, stale-while-revalidate
 * and stale-if-error on metadata), strong ETags and Last-Modified with 304s, `private, no-store` and
 * Set-Cookie on personalized routes, and cacheable 404s. Faults can be injected per path prefix to
 * exercise error caching, stale-on-error and failover. Cacheable answers carry the cache tags the
 * catalog derives for their path in the distribution's cache-tag header, as the S3 origins do
 * (spec §8.2).
 */
import { createHash } from 'node:crypto';
import { deriveObjectTags, DEFAULT_CACHE_TAG_HEADER, formatTagHeader, resolveCatalog, routeForPath, staleDirectives } from '../../lib/catalog';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TITLES } from './sample-content';

/** A fault answered instead of the real response for paths under a prefix. */
export type OriginFault = { readonly status: number } | { readonly reset: true };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ApiOrigin {
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  setFault(prefix: string, fault: OriginFault | undefined): void;
  close(): Promise<void>;
}

/**
 * Freshness part of the Cache-Control of each kind of response; exported so docs and tests quote the
 * same values. Cacheable 200s get the stale windows of their route from the catalog on top
 * (lib/catalog `staleDirectives`), as the real metadata and API services are told to send them.
 */
export const API_CACHE_CONTROL = Object.freeze({
  video: 'public, max-age=60, s-maxage=900',
  playlist: 'public, max-age=60, s-maxage=900',
  profile: 'public, max-age=60, s-maxage=300',
  search: 'public, max-age=30, s-maxage=120',
  catalog: 'public, max-age=60, s-maxage=300',
  trending: 'public, max-age=30, s-maxage=60',
  personal: 'private, no-store',
  notFound: 'public, max-age=10, s-maxage=30',
});

const LAST_MODIFIED = 'Tue, 25 Nov 2025 08:00:00 GMT';

function filler(seed: string, words: number): string {
  const vocab = ['drama', 'series', 'season', 'episode', 'cast', 'director', 'award', 'story', 'night', 'harbor', 'orbit', 'kitchen', 'road', 'family', 'mystery'];
  const h = createHash('sha256').update(seed).digest();
  return Array.from({ length: words }, (_, i) => vocab[h[i % h.length]! % vocab.length]).join(' ');
}

const CATALOG = resolveCatalog();

function send(res: ServerResponse, req: IncomingMessage, status: number, cacheControl: string, data: unknown, extra: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(JSON.stringify(data));
  const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json', 'cache-control': cacheControl, ...extra };
  if (status === 200) {
    headers.etag = etag;
    headers['last-modified'] = LAST_MODIFIED;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
  }
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function route(req: IncomingMessage, res: ServerResponse, path: string, params: URLSearchParams, titles: readonly string[], tagHeader: string): void {
  const json = (r: ServerResponse, q: IncomingMessage, status: number, cacheControl: string, data: unknown, extra: Record<string, string | string[]> = {}) => {
    const tags = tagHeader !== '' && status === 200 && !cacheControl.includes('no-store') ? { [tagHeader]: formatTagHeader(deriveObjectTags(CATALOG, path)) } : {};
    const stale = status === 200 && !cacheControl.includes('no-store') ? staleDirectives(routeForPath(CATALOG, path)) : '';
    send(r, q, status, stale === '' ? cacheControl : `${cacheControl}, ${stale}`, data, { ...tags, ...extra });
  };
  let m: RegExpExecArray | null;
  if ((m = /^\/metadata\/videos\/([a-z0-9-]+)\.json$/.exec(path))) {
    const id = m[1]!;
    const title = titles.find((t) => id.startsWith(t));
    if (!title) return json(res, req, 404, API_CACHE_CONTROL.notFound, { error: 'NotFound', id });
    return json(res, req, 200, API_CACHE_CONTROL.video, {
      id, title, type: 'episode', durationSeconds: 2700, renditions: ['720p', '480p'],
      manifest: `/video/${title}/${id.slice(title.length + 1)}/master.m3u8`, synopsis: filler(id, 160),
    });
  }
  if ((m = /^\/metadata\/playlists\/([a-z0-9-]+)\.json$/.exec(path))) {
    return json(res, req, 200, API_CACHE_CONTROL.playlist, { id: m[1], items: titles.map((t) => ({ title: t, blurb: filler(`${m![1]}:${t}`, 40) })) });
  }
  if ((m = /^\/metadata\/profiles\/([a-z0-9-]+)\.json$/.exec(path))) {
    return json(res, req, 200, API_CACHE_CONTROL.profile, { id: m[1], displayName: m[1], bio: filler(`profile:${m[1]}`, 120) });
  }
  if (path === '/api/search') {
    const q = params.get('q') ?? '';
    return json(res, req, 200, API_CACHE_CONTROL.search, { q, page: Number(params.get('page') ?? 1), results: titles.filter((t) => t.includes(q)).map((t) => ({ title: t, snippet: filler(`${q}:${t}`, 40) })) });
  }
  if (path === '/api/catalog') {
    return json(res, req, 200, API_CACHE_CONTROL.catalog, { genre: params.get('genre') ?? 'all', page: Number(params.get('page') ?? 1), items: titles.map((t) => ({ title: t, summary: filler(`catalog:${t}`, 60) })) });
  }
  if (path === '/api/trending') return json(res, req, 200, API_CACHE_CONTROL.trending, { items: titles, note: filler('trending', 150) });
  if (path === '/api/health') return json(res, req, 200, 'no-store', { ok: true });
  if (/^\/api\/(me|user|auth)\//.test(path)) {
    const extra: Record<string, string | string[]> = path === '/api/auth/login' ? { 'set-cookie': ['session=local-session; Path=/; HttpOnly; Secure'] } : {};
    return json(res, req, 200, API_CACHE_CONTROL.personal, { path, user: 'local-viewer', watchlist: titles.slice(0, 2) }, extra);
  }
  return json(res, req, 404, API_CACHE_CONTROL.notFound, { error: 'NotFound', path });
}

/** Starts the origin on 127.0.0.1 (port 0 = ephemeral); `cacheTagHeader` '' sends no tags (default x-amz-meta-cache-tags). */
export function startApiOrigin(opts: { readonly port?: number; readonly titles?: readonly string[]; readonly cacheTagHeader?: string } = {}): Promise<ApiOrigin> {
  const titles = opts.titles ?? DEFAULT_TITLES;
  const tagHeader = (opts.cacheTagHeader ?? DEFAULT_CACHE_TAG_HEADER).toLowerCase();
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, OriginFault>();
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://origin.local');
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.search.slice(1), headers: req.headers });
    req.resume();
    for (const [prefix, fault] of faults) {
      if (!u.pathname.startsWith(prefix)) continue;
      if ('reset' in fault) {
        req.socket.destroy();
        return;
      }
      res.writeHead(fault.status, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
      return;
    }
    route(req, res, u.pathname, u.searchParams, titles, tagHeader);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        setFault(prefix, fault) {
          if (fault === undefined) faults.delete(prefix);
          else faults.set(prefix, fault);
        },
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}
