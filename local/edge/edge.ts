/**
 * The local CloudFront edge: an HTTP server per edge location (POP) in front of a shared regional
 * cache, applying the plan's distribution with lib/semantics — behavior selection (§1), viewer-request
 * function (§1.2), cache keys (§5), TTLs and stale windows (§2), error caching and custom error
 * responses (§3), revalidation and request collapsing (§4), compression (§6), ranges (§7),
 * invalidation (§8), origin groups (§9.2), geo restriction and signed URLs/cookies (§10), and standard
 * access logs (§11). Responses carry `X-Cache`, `Age`, `Via`, `X-Amz-Cf-Pop` and `X-Amz-Cf-Id`.
 *
 * Simplifications (documented in docs/local-development.md): origin responses are buffered (no
 * cut-through), a range miss fetches and caches the whole object, HEAD misses are forwarded as HEAD and
 * not stored, viewer TLS is assumed (plain HTTP on 127.0.0.1 is treated as HTTPS unless
 * `assumeHttps: false`).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import {
  compileBehaviorSelector, compressionDecision, computeCacheKey, errorCachingDecision, isCacheableSuccessStatus,
  mayServeStaleOnOriginError, normalizeAcceptEncoding, parseCacheControl, parseCookieHeader, parseHttpDate, parseQueryString,
  resolveTtlFromParsed, selectedCookies, selectedQueryParams, staleWindows, weakenEtag, CLOUDFRONT_LIMITS,
  DEFAULT_ERROR_CACHING_MIN_TTL, MAX_TAGS_PER_OBJECT,
} from '../../lib/semantics';
import type { DistributionModel, ModelBehavior } from '../../lib/warming/distribution-model';
import { checkSignedRequest, withoutSigningParams } from '../../lib/warming/signed-urls';
import { AccessLogWriter } from './access-log';
import { CacheTiers, type CacheEntry } from './cache';
import { AGE_SLOT, cachedHitHeaders, ID_SLOT, toHitHeaderBlock } from './hit-headers';
import { OriginClient, type LocalOrigins, type OriginRequest, type OriginResponse } from './origin-client';
import {
  clientIpOf, errorPage, HOP_BY_HOP, internalError, joinQuery, newRequestId, NO_PAIRS, NOT_STORED, readBody, SIGNED_MESSAGES,
  stripWeak, viewerHeadersOf, viewerHttpVersion,
} from './http';
import { decideRange, rangeResponse } from './ranges';
import { compileResponseHeadersPolicy, type CompiledHeadersPolicy } from './response-headers';
import { ViewerRequestFunction, type FunctionOutcome } from './viewer-function';

export interface LocalEdgeOptions {
  readonly model: DistributionModel;
  readonly origins: LocalOrigins;
  /** Edge location codes, one server each. @default ['IAD89-C1'] */
  readonly pops?: readonly string[];
  /** Clock in epoch ms (tests advance it instead of sleeping). @default Date.now */
  readonly clock?: () => number;
  /** Folder for standard access logs; no logs when absent. */
  readonly logDir?: string;
  /** @default 1000 */
  readonly logFlushIntervalMs?: number;
  /** Capacity of each POP cache, bytes. @default 256 MiB */
  readonly popCapacityBytes?: number;
  /** Capacity of the regional edge cache, bytes. @default 1 GiB */
  readonly regionalCapacityBytes?: number;
  /** Treat plain HTTP viewers as HTTPS (no local TLS); false applies the viewer protocol policy. @default true */
  readonly assumeHttps?: boolean;
  /** Origin connect/read timeout, ms. @default 5000 */
  readonly originTimeoutMs?: number;
  /** Cache-tag response header; overrides the plan's CacheTagConfig (spec §8.2). */
  readonly cacheTagHeader?: string;
  /** Items of the KeyValueStore viewer-request functions read (e.g. the image variant index). @default empty */
  readonly keyValueStore?: ReadonlyMap<string, string>;
  /** Add `X-Local-Cache-Tier: pop|regional|origin|edge` to responses (not a CloudFront header). @default false */
  readonly debugHeaders?: boolean;
  /** Request header that picks the edge location on any port. @default 'x-edge-location' */
  readonly popHeader?: string;
  /** Request headers that carry the viewer's country (spec §10.1). @default cloudfront-viewer-country, x-viewer-country */
  readonly viewerCountryHeaders?: readonly string[];
}

/** The edge's answer to one request, for the log and the statistics. */
interface Outcome {
  resultType: string;
  detailedType: string;
  xCache: string;
  tier: 'pop' | 'regional' | 'origin' | 'edge';
}

interface RequestCtx {
  readonly startMs: number;
  readonly t0: number;
  readonly pop: string;
  readonly requestId: string;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly viewerHeaders: Record<string, string>;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly httpVersion: string;
  readonly csBytes: number;
  behavior?: ModelBehavior;
  uri: string;
  query: [string, string][];
  headers: Record<string, string>;
  cookies: [string, string][];
  key?: string;
  keyUri?: string;
}

/** The outcomes of hits, shared (never mutated: serveEntry copies before changing one). */
const HIT_AT_POP: Outcome = { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'pop' };
const HIT_AT_REGION: Outcome = { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'regional' };

type FillOutcome =
  | { kind: 'entry'; entry: CacheEntry; stored: boolean; outcome: Outcome }
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer; outcome: Outcome };

export interface EdgeStats {
  requests: number;
  byResult: Record<string, number>;
  originRequests: number;
  originBytes: number;
}

export class LocalEdge {
  readonly model: DistributionModel;
  readonly caches: CacheTiers;
  readonly stats: EdgeStats = { requests: 0, byResult: {}, originRequests: 0, originBytes: 0 };
  private readonly opts: LocalEdgeOptions;
  private readonly clock: () => number;
  private readonly select: (path: string) => ModelBehavior | undefined;
  private readonly functions = new Map<string, ViewerRequestFunction>();
  private readonly origin: OriginClient;
  private readonly log?: AccessLogWriter;
  private readonly inflight = new Map<string, Promise<FillOutcome>>();
  private readonly servers: { pop: string; server: Server }[] = [];
  private readonly tagHeader?: string;
  private readonly popHeader: string;
  private readonly countryHeaders: readonly string[];
  private readonly viaIds = new Map<string, string>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(opts: LocalEdgeOptions) {
    this.opts = opts;
    this.model = opts.model;
    this.clock = opts.clock ?? Date.now;
    this.select = compileBehaviorSelector(this.model.behaviors);
    const pops = opts.pops && opts.pops.length > 0 ? opts.pops : ['IAD89-C1'];
    this.caches = new CacheTiers(pops, opts.popCapacityBytes ?? 256 * 2 ** 20, opts.regionalCapacityBytes ?? 2 ** 30);
    this.origin = new OriginClient(this.model, opts.origins, opts.originTimeoutMs ?? 5000);
    if (opts.logDir) this.log = new AccessLogWriter(opts.logDir, this.model.distributionId, { flushIntervalMs: opts.logFlushIntervalMs ?? 1000 });
    const tag = opts.cacheTagHeader ?? this.model.cacheTagHeader;
    if (tag) this.tagHeader = tag.toLowerCase();
    this.popHeader = (opts.popHeader ?? 'x-edge-location').toLowerCase();
    this.countryHeaders = (opts.viewerCountryHeaders ?? ['cloudfront-viewer-country', 'x-viewer-country']).map((h) => h.toLowerCase());
    for (const b of [...this.model.behaviors, this.model.defaultBehavior]) {
      const f = b.viewerRequestFunction;
      if (f && !this.functions.has(f.name)) {
        this.functions.set(f.name, new ViewerRequestFunction(f.name, f.code, { distributionDomainName: this.model.domainName, distributionId: this.model.distributionId }, opts.keyValueStore));
      }
    }
  }

  /** Edge location names. */
  get pops(): string[] {
    return this.caches.popNames();
  }

  /** Starts the server of one edge location on 127.0.0.1 (port 0 = ephemeral). */
  listen(pop: string, port = 0, host = '127.0.0.1'): Promise<{ pop: string; port: number; url: string }> {
    this.caches.pop(pop);
    const server = createServer((req, res) => this.handleSafely(req, res, pop));
    server.keepAliveTimeout = 5000;
    this.servers.push({ pop, server });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const p = (server.address() as AddressInfo).port;
        resolve({ pop, port: p, url: `http://${host}:${p}` });
      });
    });
  }

  /** Starts one server per edge location: ports `basePort`, `basePort+1`, … (or ephemeral ports when 0). */
  async listenAll(basePort = 0, host = '127.0.0.1'): Promise<{ pop: string; port: number; url: string }[]> {
    const out = [];
    let i = 0;
    for (const pop of this.pops) out.push(await this.listen(pop, basePort === 0 ? 0 : basePort + i++, host));
    return out;
  }

  /**
   * Applies an invalidation to every edge location and the regional cache (spec §8.1): paths, trailing
   * `*` prefixes and `#tag` items, via lib/semantics `invalidationMatches`. Returns entries removed per tier.
   */
  invalidate(items: readonly string[]): Record<string, number> {
    return this.caches.invalidate(items);
  }

  /** Writes buffered access-log lines now. */
  flushLogs(): void {
    this.log?.flush();
  }

  /** Waits for background refreshes (stale-while-revalidate) to finish. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map(({ server }) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    })));
    this.servers.length = 0;
    await this.settle();
    this.log?.close();
    this.origin.close();
  }

  // -------------------------------------------------------------------------------------------
  // The request pipeline (spec §4.2)
  // -------------------------------------------------------------------------------------------

  /**
   * {@link handle}, answering 500 when the edge itself fails (a bug, not a CloudFront behavior). Hits
   * are served synchronously; only origin work and async viewer functions return a promise.
   */
  private handleSafely(req: IncomingMessage, res: ServerResponse, pop: string): void {
    try {
      const p = this.handle(req, res, pop);
      if (p !== undefined) p.catch((e: unknown) => internalError(res, e));
    } catch (e) {
      internalError(res, e);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse, serverPop: string): void | Promise<void> {
    const url = req.url ?? '/';
    const viewerHeaders = viewerHeadersOf(req);
    let headerBytes = url.length + 16;
    for (let i = 0; i < req.rawHeaders.length; i++) headerBytes += req.rawHeaders[i]!.length + 2;
    if (Buffer.byteLength(url) > CLOUDFRONT_LIMITS.maxUrlBytes || headerBytes > CLOUDFRONT_LIMITS.maxRequestHeaderBytes) {
      // spec §3.5: 413 and the connection closed; such requests are not logged (spec §11).
      res.writeHead(413, { connection: 'close', 'content-type': 'text/html' });
      res.end(errorPage(413, 'Request Entity Too Large', 'The request line and headers are too large.'));
      return;
    }
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const popFromHeader = viewerHeaders[this.popHeader];
    const pop = popFromHeader && this.pops.includes(popFromHeader) ? popFromHeader : serverPop;
    const ctx: RequestCtx = {
      startMs: this.clock(),
      t0: performance.now(),
      pop,
      requestId: newRequestId(),
      method: req.method ?? 'GET',
      rawPath,
      rawQuery,
      viewerHeaders,
      clientIp: clientIpOf(req.socket.remoteAddress),
      clientPort: req.socket.remotePort ?? 0,
      httpVersion: req.httpVersion,
      csBytes: headerBytes + Number(viewerHeaders['content-length'] ?? 0),
      uri: rawPath,
      query: NO_PAIRS,
      headers: viewerHeaders,
      cookies: NO_PAIRS,
    };

    // 1. behavior selection on the raw path (spec §1.2)
    const b = this.select(rawPath) ?? this.model.defaultBehavior;
    ctx.behavior = b;

    // 2. viewer protocol policy (spec §10.3)
    if (this.opts.assumeHttps === false && viewerHeaders['x-forwarded-proto'] !== 'https') {
      if (b.viewerProtocolPolicy === 'https-only') return this.edgeError(ctx, res, 403, 'Error', 'InvalidRequest', 'Bad request.', 'This distribution only accepts HTTPS.');
      if (b.viewerProtocolPolicy === 'redirect-to-https') {
        const status = ctx.method === 'GET' || ctx.method === 'HEAD' ? 301 : ctx.httpVersion === '1.0' ? 403 : 307;
        const host = viewerHeaders.host ?? this.model.domainName;
        this.send(ctx, res, status, { location: `https://${host}${url}`, 'content-type': 'text/html' }, errorPage(status, 'Moved Permanently', 'The object has moved.'),
          { resultType: 'Redirect', detailedType: 'Redirect', xCache: 'Redirect from cloudfront', tier: 'edge' });
        return;
      }
    }

    // 3. geo restriction (spec §10.1): unknown location is served
    const geo = this.model.geoRestriction;
    if (geo.type !== 'none') {
      let country: string | undefined;
      for (const h of this.countryHeaders) {
        const c = viewerHeaders[h];
        if (c !== undefined) {
          country = c.toUpperCase();
          break;
        }
      }
      if (country !== undefined && (geo.type === 'whitelist') !== geo.locations.includes(country)) {
        return this.edgeError(ctx, res, 403, 'Error', 'ClientGeoBlocked', 'The request could not be satisfied.',
          'The Amazon CloudFront distribution is configured to block access from your country.');
      }
    }

    // 4. allowed methods (spec §3.1) and signed URLs/cookies (spec §10.2)
    if (!b.allowedMethods.includes(ctx.method)) {
      return this.edgeError(ctx, res, 403, 'Error', 'InvalidRequestMethod', 'The request could not be satisfied.',
        'This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    const rawPairs = rawQuery === '' ? NO_PAIRS : parseQueryString(rawQuery);
    const cookiePairs = viewerHeaders.cookie === undefined ? NO_PAIRS : parseCookieHeader(viewerHeaders.cookie);
    if (b.trustedKeyGroupIds.length > 0) {
      const keys = b.trustedKeyGroupIds.flatMap((id) => this.model.keyGroups.get(id) ?? []);
      const strippedQuery = joinQuery(withoutSigningParams(rawPairs));
      const hosts = [...new Set([viewerHeaders.host, this.model.domainName, ...this.model.aliases].filter((h): h is string => !!h))];
      const resourceUrls = hosts.flatMap((h) => ['https', 'http'].map((s) => `${s}://${h}${rawPath}${strippedQuery ? `?${strippedQuery}` : ''}`));
      const check = checkSignedRequest({ resourceUrls, query: rawPairs, cookies: cookiePairs, nowSec: Math.floor(ctx.startMs / 1000), clientIp: ctx.clientIp, keys });
      if (!check.ok) {
        const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${SIGNED_MESSAGES[check.reason]}</Message></Error>`);
        this.send(ctx, res, 403, { 'content-type': 'text/xml' }, body, { resultType: 'Error', detailedType: 'Error', xCache: 'Error from cloudfront', tier: 'edge' });
        return;
      }
    }

    // 5. viewer-request function (spec §1.2: the behavior is not re-selected)
    ctx.query = rawPairs.length === 0 ? rawPairs : withoutSigningParams(rawPairs);
    ctx.cookies = cookiePairs;
    if (b.viewerRequestFunction) {
      const fn = this.functions.get(b.viewerRequestFunction.name)!;
      const ran = fn.run({ method: ctx.method, uri: rawPath, query: ctx.query, headers: viewerHeaders, cookies: cookiePairs, clientIp: ctx.clientIp }, ctx.requestId);
      if (ran instanceof Promise) return ran.then((out) => this.afterFunction(ctx, req, res, out));
      return this.afterFunction(ctx, req, res, ran);
    }
    return this.afterFunction(ctx, req, res, undefined);
  }

  /** Steps after the viewer-request function: cache bypass, key, lookup; misses go to {@link miss}. */
  private afterFunction(ctx: RequestCtx, req: IncomingMessage, res: ServerResponse, out: FunctionOutcome | undefined): void | Promise<void> {
    const b = ctx.behavior!;
    if (out !== undefined) {
      if (out.kind === 'response') {
        this.send(ctx, res, out.status, out.headers, Buffer.from(out.body),
          { resultType: 'FunctionGeneratedResponse', detailedType: 'FunctionGeneratedResponse', xCache: 'FunctionGeneratedResponse from cloudfront', tier: 'edge' });
        return;
      }
      ctx.uri = out.uri;
      ctx.query = out.query;
      if (out.headers !== ctx.viewerHeaders || out.cookies !== ctx.cookies) {
        ctx.headers = out.headers === ctx.viewerHeaders ? { ...ctx.viewerHeaders } : out.headers;
        ctx.cookies = out.cookies;
        if (out.cookies.length > 0) ctx.headers.cookie = out.cookies.map(([k, v]) => `${k}=${v}`).join('; ');
        else delete ctx.headers.cookie;
      }
    }
    if (ctx.uri === '/' && this.model.defaultRootObject) ctx.uri = `/${this.model.defaultRootObject}`;
    const pop = ctx.pop;

    // 6. proxy methods and non-cached policies bypass the caches (spec §3.1, §9.3)
    const policy = b.cachePolicy;
    if (!b.cachedMethods.includes(ctx.method) || policy.cachingDisabled) {
      const withBody = ctx.method !== 'GET' && ctx.method !== 'HEAD';
      if (!withBody) {
        req.resume();
        return this.proxy(ctx, res, undefined);
      }
      return readBody(req).then((body) => this.proxy(ctx, res, body));
    }
    req.resume();

    // 7. cache key (spec §5) and lookup: POP, then the regional cache (spec §9.3)
    const queryString = joinQuery(ctx.query);
    ctx.key = computeCacheKey(this.model.domainName, policy.key, {
      method: ctx.method, path: ctx.uri, query: queryString, headers: ctx.headers, httpVersion: viewerHttpVersion(ctx.httpVersion),
    });
    const keyQuery = policy.key.queryStrings.behavior === 'none' || queryString === '' ? '' : joinQuery(selectedQueryParams(policy.key, queryString));
    ctx.keyUri = keyQuery ? `${ctx.uri}?${keyQuery}` : ctx.uri;
    const now = ctx.startMs;
    const popCache = this.caches.pop(pop);
    const atPop = popCache.get(ctx.key);
    if (atPop && (atPop.expiresAtMs > now || (atPop.staleWhileRevalidateUntilMs ?? 0) > now)) {
      if (atPop.expiresAtMs <= now) this.refreshInBackground(ctx, atPop);
      return this.serveEntry(ctx, res, atPop, HIT_AT_POP);
    }
    const atRegion = this.caches.regional.get(ctx.key);
    if (atRegion && (atRegion.expiresAtMs > now || (atRegion.staleWhileRevalidateUntilMs ?? 0) > now)) {
      popCache.set(atRegion);
      if (atRegion.expiresAtMs <= now) this.refreshInBackground(ctx, atRegion);
      return this.serveEntry(ctx, res, atRegion, HIT_AT_REGION);
    }
    const stale = atPop && atRegion ? (atPop.storedAtMs >= atRegion.storedAtMs ? atPop : atRegion) : atPop ?? atRegion;
    return this.miss(ctx, res, stale);
  }

  /** A miss (or an expired copy): HEAD is proxied, GET fills through {@link fill} with request collapsing. */
  private async miss(ctx: RequestCtx, res: ServerResponse, stale: CacheEntry | undefined): Promise<void> {
    const b = ctx.behavior!;
    const key = ctx.key!;
    const popCache = this.caches.pop(ctx.pop);

    // 8. miss: HEAD is forwarded as HEAD and not stored (spec §3.1 default)
    if (ctx.method === 'HEAD') return this.proxy(ctx, res, undefined);

    // 9. fill, collapsing identical keys unless cookies are forwarded (spec §4.3)
    const collapse = !this.forwardsCookies(b);
    const existing = collapse ? this.inflight.get(key) : undefined;
    if (existing) {
      const shared = await existing;
      if (shared.kind === 'entry' && shared.stored) {
        popCache.set(shared.entry);
        return this.serveEntry(ctx, res, shared.entry, { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'regional' });
      }
      return this.serveFill(ctx, res, shared);
    }
    const fill = this.fill(ctx, stale);
    if (collapse) {
      this.inflight.set(key, fill);
      void fill.finally(() => this.inflight.delete(key)).catch(() => undefined);
    }
    return this.serveFill(ctx, res, await fill);
  }

  private forwardsCookies(b: ModelBehavior): boolean {
    return b.cachePolicy.key.cookies.behavior !== 'none' || (b.originRequest !== undefined && b.originRequest.cookies.behavior !== 'none');
  }

  private refreshInBackground(ctx: RequestCtx, stale: CacheEntry): void {
    const key = ctx.key!;
    if (this.inflight.has(key)) return;
    const p = this.fill({ ...ctx, method: 'GET' }, stale);
    this.inflight.set(key, p);
    const tracked = p.finally(() => {
      this.inflight.delete(key);
      this.pending.delete(tracked);
    }).catch(() => undefined);
    this.pending.add(tracked);
  }

  // -------------------------------------------------------------------------------------------
  // Origin side
  // -------------------------------------------------------------------------------------------

  /** Headers, cookies and query string the origin receives (spec §5.2, §5.4, §5.8). */
  private originRequest(ctx: RequestCtx, method: string, body?: Buffer): OriginRequest {
    const b = ctx.behavior!;
    const key = b.cachePolicy.key;
    const fwd = b.originRequest;
    const h = ctx.headers;
    const names = new Set(key.headers.map((x) => x.toLowerCase()));
    const fwdNames = new Set((fwd?.headers.names ?? []).map((x) => x.toLowerCase()));
    const allViewer = fwd?.headers.behavior === 'allViewer' || fwd?.headers.behavior === 'allViewerAndWhitelistCloudFront';
    for (const n of Object.keys(h)) {
      if (HOP_BY_HOP.has(n) || n === 'cookie' || n === this.popHeader) continue;
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
    out.via = this.via(ctx.pop, ctx.httpVersion);
    out['x-amz-cf-id'] = ctx.requestId;
    out['x-forwarded-for'] = h['x-forwarded-for'] ? `${h['x-forwarded-for']}, ${ctx.clientIp}` : ctx.clientIp;
    const qb = fwd?.queryStrings;
    const keyQuery = new Set(selectedQueryParams(key, joinQuery(ctx.query)).map(([n]) => n));
    const query = ctx.query.filter(([n]) =>
      keyQuery.has(n) || qb?.behavior === 'all' || (qb?.behavior === 'whitelist' && (qb.names ?? []).includes(n)) || (qb?.behavior === 'allExcept' && !(qb.names ?? []).includes(n)));
    return { method, path: ctx.uri, query: joinQuery(query), headers: out, ...(body ? { body } : {}) };
  }

  private async callOrigin(ctx: RequestCtx, req: OriginRequest): Promise<OriginResponse> {
    const r = await this.origin.fetchTarget(ctx.behavior!.targetOriginId, req);
    this.stats.originRequests++;
    this.stats.originBytes += r.body.length;
    return r;
  }

  private isS3Target(b: ModelBehavior): boolean {
    const g = this.model.originGroups.get(b.targetOriginId);
    return this.model.origins.get(g ? g.primaryOriginId : b.targetOriginId)?.kind === 's3';
  }

  /** Fetches (or revalidates) the object for a cache key and stores it when cacheable (spec §2–§4, §6). */
  private async fill(ctx: RequestCtx, stale: CacheEntry | undefined): Promise<FillOutcome> {
    const b = ctx.behavior!;
    const policy = b.cachePolicy;
    const req = this.originRequest(ctx, 'GET');
    const conditional = stale !== undefined && !stale.isError && !stale.noRevalidation;
    if (conditional) {
      const etag = stale.validators?.etag ?? stale.headers.etag;
      const lastModified = stale.validators?.lastModified ?? stale.headers['last-modified'];
      if (etag) req.headers['if-none-match'] = etag;
      if (lastModified) req.headers['if-modified-since'] = lastModified;
    }
    const r = await this.callOrigin(ctx, req);
    const now = this.clock();
    const nowSec = now / 1000;

    // 304: keep the stored copy with a recomputed TTL (spec §4.1)
    if (r.status === 304 && conditional && stale) {
      // a new record, so that headers precomputed from the old one (hit-headers.ts) are rebuilt
      stale.headers = { ...stale.headers };
      for (const h of ['cache-control', 'expires']) if (r.headers[h] !== undefined) stale.headers[h] = r.headers[h]!;
      this.setFreshness(stale, policy, stale.headers['cache-control'], stale.headers.expires, now, stale.headers.vary);
      this.store(ctx.pop, stale);
      return { kind: 'entry', entry: stale, stored: true, outcome: { resultType: 'RefreshHit', detailedType: 'RefreshHit', xCache: 'RefreshHit from cloudfront', tier: 'origin' } };
    }

    // origin failure or 5xx with a stored copy: serve stale (spec §2.3, §2.4)
    if (stale && !stale.isError && (r.failure !== undefined || r.status >= 500)) {
      const maxTtlEnd = stale.storedAtMs + policy.maxTtl * 1000;
      if (stale.staleIfErrorUntilMs !== undefined) {
        if (now < stale.staleIfErrorUntilMs) return { kind: 'entry', entry: stale, stored: true, outcome: { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'regional' } };
      } else if (stale.staleOnError && now < maxTtlEnd) {
        const ecmt = this.model.customErrorResponses.get(r.status)?.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL;
        stale.expiresAtMs = Math.min(now + ecmt * 1000, maxTtlEnd);
        return { kind: 'entry', entry: stale, stored: true, outcome: { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'regional' } };
      }
    }

    if (r.failure === undefined && r.status < 400 && r.status !== 304) return this.successFill(ctx, r, now);
    return this.errorFill(ctx, r, nowSec);
  }

  private setFreshness(e: CacheEntry, policy: ModelBehavior['cachePolicy'], cacheControl: string | undefined, expires: string | undefined, now: number, vary: string | undefined): boolean {
    const cc = parseCacheControl(cacheControl);
    const d = resolveTtlFromParsed(policy, cc, expires, now / 1000);
    if (!d.cacheable) return false;
    const varyStar = vary !== undefined && vary.split(',').some((v) => v.trim() === '*') && policy.minTtl === 0;
    const ttl = varyStar ? 0 : d.ttl;
    e.storedAtMs = now;
    e.expiresAtMs = now + ttl * 1000;
    e.cacheControl = cacheControl;
    const w = staleWindows(policy, cc, { storedAtSec: now / 1000, expiresAtSec: now / 1000 + ttl });
    e.staleWhileRevalidateUntilMs = w.staleWhileRevalidateUntil === undefined ? undefined : w.staleWhileRevalidateUntil * 1000;
    e.staleIfErrorUntilMs = w.staleIfErrorUntil === undefined ? undefined : w.staleIfErrorUntil * 1000;
    e.staleOnError = mayServeStaleOnOriginError(policy, cc);
    return true;
  }

  private storedHeaders(b: ModelBehavior, r: OriginResponse): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (!NOT_STORED.has(k)) out[k] = v;
    // spec §3.6: Set-Cookie is stripped unless cookies are forwarded
    if (r.setCookies.length > 0 && this.forwardsCookies(b)) out['set-cookie'] = r.setCookies.join('\n');
    return out;
  }

  private tagsOf(r: OriginResponse): string[] {
    if (!this.tagHeader) return [];
    const v = r.headers[this.tagHeader];
    if (!v) return [];
    return v.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '').slice(0, MAX_TAGS_PER_OBJECT);
  }

  /** 2xx/3xx from the origin: TTL, compression, store (spec §2.2, §3.2, §6). */
  private successFill(ctx: RequestCtx, r: OriginResponse, now: number): FillOutcome {
    const b = ctx.behavior!;
    const policy = b.cachePolicy;
    let headers = this.storedHeaders(b, r);
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
    const entry: CacheEntry = {
      key: ctx.key!, uri: ctx.keyUri!, tags: this.tagsOf(r), status: r.status, headers, body,
      validators: { ...(r.headers.etag ? { etag: r.headers.etag } : {}), ...(r.headers['last-modified'] ? { lastModified: r.headers['last-modified'] } : {}) },
      storedAtMs: now, expiresAtMs: now, staleOnError: false,
      noRevalidation: this.forwardsCookies(b), isError: false,
    };
    const miss: Outcome = { resultType: 'Miss', detailedType: 'Miss', xCache: 'Miss from cloudfront', tier: 'origin' };
    const cacheableStatus = isCacheableSuccessStatus(r.status, r.headers['cache-control'] !== undefined) && r.status !== 206;
    if (!cacheableStatus || !this.setFreshness(entry, policy, r.headers['cache-control'], r.headers.expires, now, r.headers.vary)) {
      return { kind: 'entry', entry, stored: false, outcome: miss };
    }
    this.store(ctx.pop, entry);
    return { kind: 'entry', entry, stored: true, outcome: miss };
  }

  /** Error from the origin (or no answer): error caching and custom error responses (spec §3.3, §3.4). */
  private async errorFill(ctx: RequestCtx, r: OriginResponse, nowSec: number): Promise<FillOutcome> {
    const b = ctx.behavior!;
    const policy = b.cachePolicy;
    const now = this.clock();
    const custom = this.model.customErrorResponses.get(r.status);
    let status = r.status;
    let headers = r.failure === undefined ? this.storedHeaders(b, r) : { 'content-type': 'text/html' };
    let body = r.failure === undefined ? r.body
      : r.failure === 'timeout'
        ? errorPage(504, 'Gateway Timeout', 'CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.')
        : errorPage(502, 'Bad Gateway', 'CloudFront wasn\'t able to connect to the origin.');
    if (custom?.responsePagePath) {
      const pageBehavior = this.select(custom.responsePagePath) ?? this.model.defaultBehavior;
      const page = await this.origin.fetchTarget(pageBehavior.targetOriginId, { method: 'GET', path: custom.responsePagePath, query: '', headers: { 'user-agent': 'Amazon CloudFront' } });
      if (page.failure === undefined && page.status < 300) {
        body = page.body;
        headers = { ...headers, 'content-type': page.headers['content-type'] ?? 'text/html' };
        delete headers['content-encoding'];
      }
    }
    if (custom?.responseCode !== undefined) status = custom.responseCode;
    const decision = errorCachingDecision(r.status, {
      ...(custom?.errorCachingMinTtl !== undefined ? { errorCachingMinTtl: custom.errorCachingMinTtl } : {}),
      ...(r.headers['cache-control'] !== undefined ? { cacheControl: r.headers['cache-control'] } : {}),
      ...(r.headers.expires !== undefined ? { expires: r.headers.expires } : {}),
      maxTtl: policy.maxTtl,
      s3Origin: this.isS3Target(b),
      cachingDisabled: policy.cachingDisabled,
    }, nowSec);
    const detailed = r.failure === 'connect' ? 'OriginConnectError' : r.failure === 'timeout' ? 'OriginCommError' : 'Error';
    const outcome: Outcome = { resultType: 'Error', detailedType: detailed, xCache: 'Error from cloudfront', tier: 'origin' };
    const entry: CacheEntry = {
      key: ctx.key!, uri: ctx.keyUri!, tags: this.tagsOf(r), status, headers, body,
      storedAtMs: now, expiresAtMs: now + decision.ttl * 1000, staleOnError: false, noRevalidation: true, isError: true,
    };
    if (!decision.cacheable) return { kind: 'entry', entry, stored: false, outcome };
    this.store(ctx.pop, entry);
    return { kind: 'entry', entry, stored: true, outcome };
  }

  private store(pop: string, e: CacheEntry): void {
    this.caches.regional.set(e);
    this.caches.pop(pop).set(e);
  }

  /** Requests that bypass the caches: proxy methods, CachingDisabled, HEAD misses (spec §3.1, §9.3). */
  private async proxy(ctx: RequestCtx, res: ServerResponse, body: Buffer | undefined): Promise<void> {
    const r = await this.callOrigin(ctx, this.originRequest(ctx, ctx.method, body));
    if (r.failure !== undefined) {
      const status = r.failure === 'timeout' ? 504 : 502;
      return this.edgeError(ctx, res, status, 'Error', r.failure === 'timeout' ? 'OriginCommError' : 'OriginConnectError',
        status === 504 ? 'Gateway Timeout' : 'Bad Gateway', 'CloudFront could not get a response from the origin.');
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (!NOT_STORED.has(k)) headers[k] = v;
    if (r.setCookies.length > 0 && this.forwardsCookies(ctx.behavior!)) headers['set-cookie'] = r.setCookies.join('\n');
    const isError = r.status >= 400;
    const outcome: Outcome = isError
      ? { resultType: 'Error', detailedType: 'Error', xCache: 'Error from cloudfront', tier: 'origin' }
      : { resultType: 'Miss', detailedType: 'Miss', xCache: 'Miss from cloudfront', tier: 'origin' };
    const length = ctx.method === 'HEAD' ? r.headers['content-length'] : undefined;
    this.send(ctx, res, r.status, headers, r.body, outcome, length !== undefined ? Number(length) : undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Viewer side
  // -------------------------------------------------------------------------------------------

  private serveFill(ctx: RequestCtx, res: ServerResponse, f: FillOutcome): void {
    if (f.kind === 'entry') return this.serveEntry(ctx, res, f.entry, f.outcome);
    this.send(ctx, res, f.status, f.headers, f.body, f.outcome);
  }

  /** Serves a stored (or just fetched) representation: Age, conditional requests, ranges (spec §7). */
  private serveEntry(ctx: RequestCtx, res: ServerResponse, e: CacheEntry, outcome: Outcome): void {
    // the common hit: a stored 200 sent whole, no conditional or range request, no Origin (CORS)
    const vh = ctx.viewerHeaders;
    if ((outcome === HIT_AT_POP || outcome === HIT_AT_REGION) && e.status === 200 && !e.isError && (ctx.method === 'GET' || ctx.method === 'HEAD') &&
      vh['if-none-match'] === undefined && vh['if-modified-since'] === undefined && vh.range === undefined && vh.origin === undefined &&
      this.sendHit(ctx, res, e, outcome)) return;
    const headers = Object.assign({}, e.headers);
    if (e.isError) outcome = { ...outcome, resultType: 'Error', detailedType: outcome.detailedType === 'Hit' ? 'Error' : outcome.detailedType, xCache: 'Error from cloudfront' };
    if (outcome.tier !== 'origin' || outcome.resultType === 'RefreshHit') headers.age = String(Math.max(0, Math.floor((this.clock() - e.storedAtMs) / 1000)));
    if (e.status === 200 && !e.isError) {
      const inm = ctx.viewerHeaders['if-none-match'];
      const etag = e.headers.etag;
      let notModified = false;
      if (inm !== undefined) notModified = etag !== undefined && inm.split(',').some((t) => t.trim() === '*' || stripWeak(t) === stripWeak(etag));
      else if (ctx.viewerHeaders['if-modified-since'] && e.headers['last-modified']) {
        const since = parseHttpDate(ctx.viewerHeaders['if-modified-since']);
        const lm = parseHttpDate(e.headers['last-modified']);
        notModified = since !== undefined && lm !== undefined && lm <= since;
      }
      if (notModified) {
        delete headers['content-type'];
        this.send(ctx, res, 304, headers, Buffer.alloc(0), outcome, 0);
        return;
      }
      const range = ctx.method === 'GET' && ctx.viewerHeaders.range !== undefined ? decideRange(ctx.viewerHeaders.range, e.body.length) : undefined;
      if (range?.kind === 'ranges') {
        const rr = rangeResponse(e.body, range.ranges, headers['content-type']);
        this.send(ctx, res, 206, Object.assign(headers, rr.headers), rr.body, outcome, undefined, range.ranges[0]!.start, range.ranges[range.ranges.length - 1]!.end);
        return;
      }
      if (range?.kind === 'unsatisfiable') {
        headers['content-range'] = `bytes */${e.body.length}`;
        this.send(ctx, res, 416, headers, Buffer.alloc(0), { ...outcome, resultType: 'Error', detailedType: 'Error', xCache: 'Error from cloudfront' });
        return;
      }
    }
    this.send(ctx, res, e.status, headers, e.body, outcome);
  }

  private edgeError(ctx: RequestCtx, res: ServerResponse, status: number, resultType: string, detailed: string, title: string, message: string): void {
    this.send(ctx, res, status, { 'content-type': 'text/html' }, errorPage(status, title, message),
      { resultType, detailedType: detailed, xCache: 'Error from cloudfront', tier: 'edge' });
  }

  private viaId(pop: string): string {
    let id = this.viaIds.get(pop);
    if (id === undefined) {
      id = createHash('md5').update(`${this.model.distributionId}:${pop}`).digest('hex');
      this.viaIds.set(pop, id);
    }
    return id;
  }

  /**
   * Sends a hit from the entry's precomputed header block (hit-headers.ts), built on first use by the
   * very steps {@link send} takes; only Age and the request id change per request. Returns false, having
   * sent nothing, when the response needs the general path.
   */
  private sendHit(ctx: RequestCtx, res: ServerResponse, e: CacheEntry, o: Outcome): boolean {
    const policyId = ctx.behavior?.responseHeadersPolicyId;
    let block = cachedHitHeaders(e, ctx.pop, ctx.httpVersion, o.xCache, policyId);
    if (block === undefined) {
      const out: Record<string, string | string[]> = Object.assign({}, e.headers);
      out.age = AGE_SLOT;
      this.addEdgeHeaders(out, ctx.pop, ctx.httpVersion, ID_SLOT, o, policyId, undefined, e.body.length);
      block = toHitHeaderBlock(out, { pop: ctx.pop, httpVersion: ctx.httpVersion, xCache: o.xCache, policyId, source: e.headers });
      if (block === undefined) return false;
      e.hitHeaders = block;
    }
    const age = String(Math.max(0, Math.floor((this.clock() - e.storedAtMs) / 1000)));
    const flat = block.flat.slice();
    flat[block.ageAt] = age;
    flat[block.idAt] = ctx.requestId;
    const noBody = ctx.method === 'HEAD';
    res.writeHead(200, flat);
    res.end(noBody ? undefined : e.body);
    this.count(o);
    if (this.log) {
      this.logRequest(ctx, 200, o, block.staticBytes + age.length + ctx.requestId.length + (noBody ? 0 : e.body.length), block.contentType, block.contentLength);
    }
    return true;
  }

  /** Adds the edge's own headers to a response: X-Cache, Via, the POP, the request id, the headers policy, Content-Length. */
  private addEdgeHeaders(out: Record<string, string | string[]>, pop: string, httpVersion: string, requestId: string, o: Outcome,
    policyId: string | undefined, viewerOrigin: string | undefined, contentLength: number): void {
    const cookies = out['set-cookie'];
    if (typeof cookies === 'string') out['set-cookie'] = cookies.split('\n');
    out['x-cache'] = o.xCache;
    out.via = this.via(pop, httpVersion);
    out['x-amz-cf-pop'] = pop;
    out['x-amz-cf-id'] = requestId;
    if (this.opts.debugHeaders === true) out['x-local-cache-tier'] = o.tier;
    if (policyId) this.headersPolicy(policyId)?.apply(out as Record<string, string>, viewerOrigin);
    out['content-length'] = String(contentLength);
  }

  private count(o: Outcome): void {
    this.stats.requests++;
    this.stats.byResult[o.resultType] = (this.stats.byResult[o.resultType] ?? 0) + 1;
  }

  /** Sends a response; takes ownership of `headers` (adds the edge's headers to it). */
  private send(ctx: RequestCtx, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, o: Outcome,
    headLength?: number, rangeStart?: number, rangeEnd?: number): void {
    const out = headers as Record<string, string | string[]>;
    const contentType = headers['content-type'];
    const noBody = ctx.method === 'HEAD' || status === 304 || status === 204;
    const contentLength = status === 304 ? 0 : headLength ?? body.length;
    this.addEdgeHeaders(out, ctx.pop, ctx.httpVersion, ctx.requestId, o, ctx.behavior?.responseHeadersPolicyId, ctx.viewerHeaders.origin, contentLength);
    res.writeHead(status, out);
    res.end(noBody ? undefined : body);
    this.count(o);
    if (!this.log) return;
    let headerBytes = 17;
    for (const k in out) {
      const v = out[k]!;
      headerBytes += k.length + 4 + (typeof v === 'string' ? v.length : v.join('').length);
    }
    this.logRequest(ctx, status, o, headerBytes + (noBody ? 0 : body.length), contentType, contentLength, rangeStart, rangeEnd);
  }

  /** One access-log line (spec §11); time taken runs to now, after the response was handed to the socket. */
  private logRequest(ctx: RequestCtx, status: number, o: Outcome, scBytes: number, contentType: string | undefined, contentLength: number,
    rangeStart?: number, rangeEnd?: number): void {
    const elapsed = performance.now() - ctx.t0;
    this.log!.write({
      startMs: ctx.startMs,
      edgeLocation: ctx.pop,
      scBytes,
      clientIp: ctx.clientIp,
      clientPort: ctx.clientPort,
      method: ctx.method,
      distributionDomain: this.model.domainName,
      hostHeader: ctx.viewerHeaders.host ?? this.model.domainName,
      uriStem: ctx.rawPath,
      uriQuery: ctx.rawQuery,
      status,
      referer: ctx.viewerHeaders.referer,
      userAgent: ctx.viewerHeaders['user-agent'],
      resultType: o.resultType,
      responseResultType: o.resultType,
      detailedResultType: o.detailedType,
      requestId: ctx.requestId,
      protocol: this.opts.assumeHttps === false && ctx.viewerHeaders['x-forwarded-proto'] !== 'https' ? 'http' : 'https',
      protocolVersion: `HTTP/${ctx.httpVersion}`,
      csBytes: ctx.csBytes,
      // responses leave in one write, so the last byte goes when the first does
      timeTakenMs: elapsed,
      timeToFirstByteMs: elapsed,
      contentType,
      contentLength,
      rangeStart,
      rangeEnd,
    });
  }

  private readonly viaCache = new Map<string, string>();

  /** `Via` as CloudFront rewrites it: `<http-version> <id>.cloudfront.net (CloudFront)` (spec §3.6). */
  private via(pop: string, httpVersion: string): string {
    const k = `${pop} ${httpVersion}`;
    let v = this.viaCache.get(k);
    if (v === undefined) {
      v = `${httpVersion === '2.0' ? '2.0' : '1.1'} ${this.viaId(pop)}.cloudfront.net (CloudFront)`;
      this.viaCache.set(k, v);
    }
    return v;
  }

  private readonly compiledPolicies = new Map<string, CompiledHeadersPolicy | undefined>();

  private headersPolicy(id: string): CompiledHeadersPolicy | undefined {
    if (!this.compiledPolicies.has(id)) {
      const p = this.model.responseHeadersPolicies.get(id) as Record<string, any> | undefined;
      this.compiledPolicies.set(id, p ? compileResponseHeadersPolicy(p) : undefined);
    }
    return this.compiledPolicies.get(id);
  }
}
