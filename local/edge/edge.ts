/**
 * The local CloudFront edge: an HTTP server per edge location (POP) in front of a shared regional
 * cache, applying the plan's distribution with lib/semantics — behavior selection (§1), viewer-request
 * function (§1.2), cache keys (§5), TTLs and stale windows (§2), error caching and custom error
 * responses (§3), revalidation and request collapsing (§4), compression (§6), ranges (§7),
 * invalidation (§8), origin groups (§9.2), geo restriction and signed URLs/cookies (§10), and standard
 * access logs (§11). Responses carry `X-Cache`, `Age`, `Via`, `X-Amz-Cf-Pop` and `X-Amz-Cf-Id`.
 *
 * This file is the orchestrator: the request pipeline and everything that does I/O (the servers,
 * origin calls, cache writes, responses, logs). The rules it applies live beside it: behaviors.ts,
 * viewer-access.ts, cache-key.ts, freshness.ts, request-collapsing.ts, origin-request.ts,
 * stored-response.ts, compression.ts, error-responses.ts, conditional-requests.ts, ranges.ts,
 * edge-headers.ts, hit-headers.ts, request-log.ts.
 *
 * Simplifications (documented in docs/local-development.md): origin responses are buffered (no
 * cut-through), a range miss fetches and caches the whole object, HEAD misses are forwarded as HEAD and
 * not stored, viewer TLS is assumed (plain HTTP on 127.0.0.1 is treated as HTTPS unless
 * `assumeHttps: false`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCacheableSuccessStatus, parseCookieHeader, parseQueryString, CLOUDFRONT_LIMITS } from '../../lib/semantics';
import type { DistributionModel, ModelBehavior } from '../../lib/distribution';
import { withoutSigningParams } from '../../lib/warming/signed-urls';
import { behaviorSelector, forwardsCookies, isS3Target, viewerRequestFunctions } from './behaviors';
import { CacheTiers, type CacheEntry } from './cache';
import { invalidationUri, requestCacheKey } from './cache-key';
import { compressAtEdge } from './compression';
import { isNotModified } from './conditional-requests';
import { ageOf, EdgeHeaders } from './edge-headers';
import {
  errorCaching, errorPageRequest, GEO_BLOCKED, HTTPS_ONLY, METHOD_NOT_ALLOWED, originErrorOutcome, originErrorResponse, originUnreachable,
  withErrorPage, type EdgeError,
} from './error-responses';
import { isServable, newestOf, refreshAfterNotModified, serveStaleOnError, setFreshness } from './freshness';
import { AGE_SLOT, cachedHitHeaders, ID_SLOT, toHitHeaderBlock } from './hit-headers';
import { clientIpOf, errorPage, internalError, joinQuery, newRequestId, NO_PAIRS, readBody, viewerHeadersOf } from './http';
import type { LocalEdgeOptions } from './options';
import { OriginClient, type OriginRequest, type OriginResponse } from './origin-client';
import { addValidators, buildOriginRequest, canRevalidate } from './origin-request';
import { HIT_AT_POP, HIT_AT_REGION, type EdgeStats, type FillOutcome, type Outcome } from './outcome';
import { decideRange, rangeResponse } from './ranges';
import { InflightFills } from './request-collapsing';
import type { RequestCtx } from './request-context';
import { accessLogRecord } from './request-log';
import { openEdgeLog, type EdgeLogWriter } from './edge-log';
import { storedHeaders, tagsOf, validatorsOf } from './stored-response';
import { httpsRedirectStatus, isGeoBlocked, isPlainHttp, signedAccessDenied, signedDenialBody, viewerCountry } from './viewer-access';
import type { FunctionOutcome, ViewerRequestFunction } from './viewer-function';

export type { LocalEdgeOptions } from './options';
export type { EdgeStats } from './outcome';

export class LocalEdge {
  readonly model: DistributionModel;
  readonly caches: CacheTiers;
  readonly stats: EdgeStats = { requests: 0, byResult: {}, originRequests: 0, originBytes: 0, byOrigin: {} };
  private readonly opts: LocalEdgeOptions;
  private readonly clock: () => number;
  private readonly select: (path: string) => ModelBehavior;
  private readonly functions: Map<string, ViewerRequestFunction>;
  private readonly origin: OriginClient;
  private readonly log?: EdgeLogWriter;
  private readonly inflight = new InflightFills<FillOutcome>();
  private readonly servers: { pop: string; server: Server }[] = [];
  private readonly tagHeader?: string;
  private readonly popHeader: string;
  private readonly countryHeaders: readonly string[];
  private readonly edgeHeaders: EdgeHeaders;

  constructor(opts: LocalEdgeOptions) {
    this.opts = opts;
    this.model = opts.model;
    this.clock = opts.clock ?? Date.now;
    this.select = behaviorSelector(this.model);
    const pops = opts.pops && opts.pops.length > 0 ? opts.pops : ['IAD89-C1'];
    this.caches = new CacheTiers(pops, opts.popCapacityBytes ?? 256 * 2 ** 20, opts.regionalCapacityBytes ?? 2 ** 30);
    this.origin = new OriginClient(this.model, opts.origins, opts.originTimeoutMs ?? 5000);
    if (opts.logDir) {
      this.log = openEdgeLog(opts.logDir, this.model.distributionId, { format: opts.logFormat ?? 'v1', flushIntervalMs: opts.logFlushIntervalMs ?? 1000, clock: this.clock });
    }
    const tag = opts.cacheTagHeader ?? this.model.cacheTagHeader;
    if (tag) this.tagHeader = tag.toLowerCase();
    this.popHeader = (opts.popHeader ?? 'x-edge-location').toLowerCase();
    this.countryHeaders = (opts.viewerCountryHeaders ?? ['cloudfront-viewer-country', 'x-viewer-country']).map((h) => h.toLowerCase());
    this.edgeHeaders = new EdgeHeaders(this.model, opts);
    this.functions = viewerRequestFunctions(this.model, opts.keyValueStore);
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

  /** Waits for the access-log work started so far (the Parquet files of finished hours). */
  async logsIdle(): Promise<void> {
    await this.log?.idle?.();
  }

  /** Waits for background refreshes (stale-while-revalidate) to finish. */
  settle(): Promise<void> {
    return this.inflight.settle();
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map(({ server }) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    })));
    this.servers.length = 0;
    await this.settle();
    await this.log?.close();
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
    const b = this.select(rawPath);
    ctx.behavior = b;

    // 2. viewer protocol policy (spec §10.3)
    if (isPlainHttp(this.opts.assumeHttps, viewerHeaders)) {
      if (b.viewerProtocolPolicy === 'https-only') return this.edgeError(ctx, res, HTTPS_ONLY);
      if (b.viewerProtocolPolicy === 'redirect-to-https') {
        const status = httpsRedirectStatus(ctx.method, ctx.httpVersion);
        const host = viewerHeaders.host ?? this.model.domainName;
        this.send(ctx, res, status, { location: `https://${host}${url}`, 'content-type': 'text/html' }, errorPage(status, 'Moved Permanently', 'The object has moved.'),
          { resultType: 'Redirect', detailedType: 'Redirect', xCache: 'Redirect from cloudfront', tier: 'edge' });
        return;
      }
    }

    // 3. geo restriction (spec §10.1): unknown location is served
    if (isGeoBlocked(this.model.geoRestriction, viewerHeaders, this.countryHeaders)) return this.edgeError(ctx, res, GEO_BLOCKED);

    // 4. allowed methods (spec §3.1) and signed URLs/cookies (spec §10.2)
    if (!b.allowedMethods.includes(ctx.method)) return this.edgeError(ctx, res, METHOD_NOT_ALLOWED);
    const rawPairs = rawQuery === '' ? NO_PAIRS : parseQueryString(rawQuery);
    const cookiePairs = viewerHeaders.cookie === undefined ? NO_PAIRS : parseCookieHeader(viewerHeaders.cookie);
    if (b.trustedKeyGroupIds.length > 0) {
      const denied = signedAccessDenied(this.model, b,
        { host: viewerHeaders.host, rawPath, query: rawPairs, cookies: cookiePairs, nowMs: ctx.startMs, clientIp: ctx.clientIp });
      if (denied !== undefined) {
        this.send(ctx, res, 403, { 'content-type': 'text/xml' }, signedDenialBody(denied), { resultType: 'Error', detailedType: 'Error', xCache: 'Error from cloudfront', tier: 'edge' });
        return;
      }
    }

    // 5. viewer-request function (spec §1.2: the behavior is not re-selected)
    ctx.query = rawPairs.length === 0 ? rawPairs : withoutSigningParams(rawPairs);
    ctx.cookies = cookiePairs;
    if (b.viewerRequestFunction) {
      const fn = this.functions.get(b.viewerRequestFunction.name)!;
      const ran = fn.run({ method: ctx.method, uri: rawPath, query: ctx.query, headers: this.functionHeaders(viewerHeaders), cookies: cookiePairs, clientIp: ctx.clientIp }, ctx.requestId);
      if (ran instanceof Promise) return ran.then((out) => this.afterFunction(ctx, req, res, out));
      return this.afterFunction(ctx, req, res, ran);
    }
    return this.afterFunction(ctx, req, res, undefined);
  }

  /**
   * The headers a viewer-request function sees: the viewer's, plus `cloudfront-viewer-country` when the
   * viewer's country is known locally (from the first of the country headers, e.g. `x-viewer-country`).
   * CloudFront adds the header only for behaviors whose cache or origin request policy includes it —
   * the regional routes' policies do (lib/builders/viewer-functions.ts).
   */
  private functionHeaders(viewerHeaders: Record<string, string>): Record<string, string> {
    if (viewerHeaders['cloudfront-viewer-country'] !== undefined) return viewerHeaders;
    const country = viewerCountry(viewerHeaders, this.countryHeaders);
    return country === undefined ? viewerHeaders : { ...viewerHeaders, 'cloudfront-viewer-country': country };
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
      if (out.origin) ctx.origin = out.origin;
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
    ctx.key = requestCacheKey(this.model.domainName, policy.key, ctx, queryString);
    ctx.keyUri = invalidationUri(policy.key, ctx.uri, queryString);
    const now = ctx.startMs;
    const popCache = this.caches.pop(pop);
    const atPop = popCache.get(ctx.key);
    if (atPop && isServable(atPop, now)) {
      if (atPop.expiresAtMs <= now) this.refreshInBackground(ctx, atPop);
      return this.serveEntry(ctx, res, atPop, HIT_AT_POP);
    }
    const atRegion = this.caches.regional.get(ctx.key);
    if (atRegion && isServable(atRegion, now)) {
      popCache.set(atRegion);
      if (atRegion.expiresAtMs <= now) this.refreshInBackground(ctx, atRegion);
      return this.serveEntry(ctx, res, atRegion, HIT_AT_REGION);
    }
    return this.miss(ctx, res, newestOf(atPop, atRegion));
  }

  /** A miss (or an expired copy): HEAD is proxied, GET fills through {@link fill} with request collapsing. */
  private async miss(ctx: RequestCtx, res: ServerResponse, stale: CacheEntry | undefined): Promise<void> {
    const b = ctx.behavior!;
    const key = ctx.key!;
    const popCache = this.caches.pop(ctx.pop);

    // 8. miss: HEAD is forwarded as HEAD and not stored (spec §3.1 default)
    if (ctx.method === 'HEAD') return this.proxy(ctx, res, undefined);

    // 9. fill, collapsing identical keys unless cookies are forwarded (spec §4.3)
    const collapse = !forwardsCookies(b);
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
    if (collapse) this.inflight.share(key, fill);
    return this.serveFill(ctx, res, await fill);
  }

  private refreshInBackground(ctx: RequestCtx, stale: CacheEntry): void {
    const key = ctx.key!;
    if (this.inflight.has(key)) return;
    this.inflight.background(key, this.fill({ ...ctx, method: 'GET' }, stale));
  }

  // -------------------------------------------------------------------------------------------
  // Origin side
  // -------------------------------------------------------------------------------------------

  /** Headers, cookies and query string the origin receives (spec §5.2, §5.4, §5.8). */
  private originRequest(ctx: RequestCtx, method: string, body?: Buffer): OriginRequest {
    return buildOriginRequest(ctx, method, body, this.popHeader, this.edgeHeaders.via(ctx.pop, ctx.httpVersion));
  }

  private async callOrigin(ctx: RequestCtx, req: OriginRequest): Promise<OriginResponse> {
    const r = await this.origin.fetchTarget(ctx.behavior!.targetOriginId, req, ctx.origin);
    for (const id of r.failedOverFrom === undefined ? [r.originId] : [r.failedOverFrom, r.originId]) this.stats.byOrigin[id] = (this.stats.byOrigin[id] ?? 0) + 1;
    this.stats.originRequests++;
    this.stats.originBytes += r.body.length;
    return r;
  }

  /** Fetches (or revalidates) the object for a cache key and stores it when cacheable (spec §2–§4, §6). */
  private async fill(ctx: RequestCtx, stale: CacheEntry | undefined): Promise<FillOutcome> {
    const b = ctx.behavior!;
    const policy = b.cachePolicy;
    const req = this.originRequest(ctx, 'GET');
    const conditional = canRevalidate(stale);
    if (conditional) addValidators(req.headers, stale);
    const r = await this.callOrigin(ctx, req);
    const now = this.clock();
    const nowSec = now / 1000;

    // 304: keep the stored copy with a recomputed TTL (spec §4.1)
    if (r.status === 304 && conditional && stale) {
      refreshAfterNotModified(stale, r.headers, policy, now);
      this.store(ctx.pop, stale);
      return { kind: 'entry', entry: stale, stored: true, outcome: { resultType: 'RefreshHit', detailedType: 'RefreshHit', xCache: 'RefreshHit from cloudfront', tier: 'origin' } };
    }

    // origin failure or 5xx with a stored copy: serve stale (spec §2.3, §2.4)
    if (stale && serveStaleOnError(stale, r, policy, this.model.customErrorResponses, now)) {
      return { kind: 'entry', entry: stale, stored: true, outcome: { resultType: 'Hit', detailedType: 'Hit', xCache: 'Hit from cloudfront', tier: 'regional' } };
    }

    if (r.failure === undefined && r.status < 400 && r.status !== 304) return this.successFill(ctx, r, now);
    return this.errorFill(ctx, r, nowSec);
  }

  /** 2xx/3xx from the origin: TTL, compression, store (spec §2.2, §3.2, §6). */
  private successFill(ctx: RequestCtx, r: OriginResponse, now: number): FillOutcome {
    const b = ctx.behavior!;
    const policy = b.cachePolicy;
    const { headers, body } = compressAtEdge(b, ctx, r, storedHeaders(b, r));
    const entry: CacheEntry = {
      key: ctx.key!, uri: ctx.keyUri!, tags: tagsOf(this.tagHeader, r), status: r.status, headers, body,
      validators: validatorsOf(r),
      storedAtMs: now, expiresAtMs: now, staleOnError: false,
      noRevalidation: forwardsCookies(b), isError: false,
    };
    const miss: Outcome = { resultType: 'Miss', detailedType: 'Miss', xCache: 'Miss from cloudfront', tier: 'origin' };
    const cacheableStatus = isCacheableSuccessStatus(r.status, r.headers['cache-control'] !== undefined) && r.status !== 206;
    if (!cacheableStatus || !setFreshness(entry, policy, r.headers['cache-control'], r.headers.expires, now, r.headers.vary)) {
      return { kind: 'entry', entry, stored: false, outcome: miss };
    }
    this.store(ctx.pop, entry);
    return { kind: 'entry', entry, stored: true, outcome: miss };
  }

  /** Error from the origin (or no answer): error caching and custom error responses (spec §3.3, §3.4). */
  private async errorFill(ctx: RequestCtx, r: OriginResponse, nowSec: number): Promise<FillOutcome> {
    const b = ctx.behavior!;
    const now = this.clock();
    const custom = this.model.customErrorResponses.get(r.status);
    let response = originErrorResponse(b, r);
    if (custom?.responsePagePath) {
      const pageBehavior = this.select(custom.responsePagePath);
      const page = await this.origin.fetchTarget(pageBehavior.targetOriginId, errorPageRequest(custom.responsePagePath));
      response = withErrorPage(response, page);
    }
    const status = custom?.responseCode !== undefined ? custom.responseCode : r.status;
    const decision = errorCaching(r, custom, b.cachePolicy, isS3Target(this.model, b), nowSec);
    const outcome = originErrorOutcome(r.failure);
    const entry: CacheEntry = {
      key: ctx.key!, uri: ctx.keyUri!, tags: tagsOf(this.tagHeader, r), status, headers: response.headers, body: response.body,
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
    if (r.failure !== undefined) return this.edgeError(ctx, res, originUnreachable(r.failure));
    const headers = storedHeaders(ctx.behavior!, r);
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
    if (outcome.tier !== 'origin' || outcome.resultType === 'RefreshHit') headers.age = ageOf(e, this.clock());
    if (e.status === 200 && !e.isError) {
      if (isNotModified(ctx.viewerHeaders, e.headers)) {
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

  /** Answers with one of the edge's own errors (error-responses.ts): an HTML page, result type `Error`. */
  private edgeError(ctx: RequestCtx, res: ServerResponse, err: EdgeError): void {
    this.send(ctx, res, err.status, { 'content-type': 'text/html' }, errorPage(err.status, err.title, err.message),
      { resultType: 'Error', detailedType: err.detailedType, xCache: 'Error from cloudfront', tier: 'edge' });
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
      this.edgeHeaders.add(out, ctx.pop, ctx.httpVersion, ID_SLOT, o, policyId, undefined, e.body.length);
      block = toHitHeaderBlock(out, { pop: ctx.pop, httpVersion: ctx.httpVersion, xCache: o.xCache, policyId, source: e.headers });
      if (block === undefined) return false;
      e.hitHeaders = block;
    }
    const age = ageOf(e, this.clock());
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
    this.edgeHeaders.add(out, ctx.pop, ctx.httpVersion, ctx.requestId, o, ctx.behavior?.responseHeadersPolicyId, ctx.viewerHeaders.origin, contentLength);
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
    this.log!.write(accessLogRecord(ctx, this.model, isPlainHttp(this.opts.assumeHttps, ctx.viewerHeaders), status, o, scBytes,
      contentType, contentLength, rangeStart, rangeEnd, viewerCountry(ctx.viewerHeaders, this.countryHeaders)));
  }
}
