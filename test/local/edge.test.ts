/**
 * The local edge against tables of requests: each table runs in order against a real stack on
 * 127.0.0.1 (s3rver seeded with sample content, the API origin, two edge locations sharing a regional
 * cache) for the staging plan, with a fake clock, and compares status, X-Cache, Age and
 * Content-Encoding with what CloudFront does (spec §1–§11).
 */
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { STANDARD_LOG_FIELDS } from '../../local/edge/access-log';
import { parseCloudFrontLogs, RESULT_TYPES } from '../../simulator/trace';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';
import { signCannedUrl, signCustomPolicyUrl, signedCookies, type Signer } from '../../lib/warming/signed-urls';
import { keyPairIdOf, send, stagingPlanWithTestKey, summary, testKeys, type Answer } from './helpers';

const T0 = Date.UTC(2025, 10, 24, 12, 0, 0);
const BR = { 'accept-encoding': 'gzip, deflate, br' };

interface Step {
  readonly name: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly pop?: 'IAD89-C1' | 'FRA56-C1';
  /** Seconds the clock moves before the request. */
  readonly advance?: number;
  readonly before?: () => void;
  readonly expect: {
    status?: number; xCache?: string | undefined; age?: string | undefined; encoding?: string | undefined;
    bodyLength?: number; contentRange?: string | undefined; originRequests?: number; contentType?: string;
  };
}

describe('local edge (staging plan, two edge locations, fake clock)', function () {
  this.timeout(60_000);
  let stack: LocalStack;
  let now = T0;
  let logDir: string;
  let keyPairId: string;

  const url = (pop: Step['pop'] = 'IAD89-C1') => stack.edges.find((e) => e.pop === pop)!.url;

  /** Runs steps in order and compares only the fields each step names. */
  async function run(steps: readonly Step[]): Promise<void> {
    const actual: Record<string, unknown>[] = [];
    const expected: Record<string, unknown>[] = [];
    for (const s of steps) {
      now += (s.advance ?? 0) * 1000;
      s.before?.();
      const before = stack.edge.stats.originRequests;
      const a: Answer = await send(url(s.pop), s.path, { method: s.method ?? 'GET', headers: s.headers ?? {} });
      const full: Record<string, unknown> = {
        ...summary(a),
        bodyLength: a.body.length,
        contentRange: a.headers['content-range'],
        originRequests: stack.edge.stats.originRequests - before,
        contentType: a.headers['content-type'],
      };
      actual.push({ step: s.name, ...Object.fromEntries(Object.keys(s.expect).map((k) => [k, full[k]])) });
      expected.push({ step: s.name, ...s.expect });
    }
    expect(actual).to.deep.equal(expected);
  }

  before(async () => {
    const plan = await stagingPlanWithTestKey();
    keyPairId = keyPairIdOf(plan);
    logDir = mkdtempSync(join(tmpdir(), 'media-cdn-edge-logs-'));
    stack = await startLocalStack({
      plan,
      seed: { episodes: 2, segments: 2, segmentBytes: 4096 },
      edge: { clock: () => now, logDir, logFlushIntervalMs: 0, originTimeoutMs: 3000 },
    });
  });

  after(async () => {
    await stack?.close();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  it('caches by the cache policy: hits with Age, one representation per normalized Accept-Encoding, compression only where the rules allow', () =>
    run([
      { name: 'first br viewer misses and gets brotli', path: '/static/app.js', headers: BR, expect: { status: 200, xCache: 'Miss from cloudfront', age: undefined, encoding: 'br' } },
      { name: 'same key 5 s later hits with Age 5', path: '/static/app.js', headers: BR, advance: 5, expect: { status: 200, xCache: 'Hit from cloudfront', age: '5', encoding: 'br', originRequests: 0 } },
      { name: 'gzip-only viewer is another key', path: '/static/app.js', headers: { 'accept-encoding': 'gzip' }, expect: { status: 200, xCache: 'Miss from cloudfront', encoding: 'gzip' } },
      { name: 'no Accept-Encoding is a third key, served uncompressed', path: '/static/app.js', expect: { status: 200, xCache: 'Miss from cloudfront', encoding: undefined, bodyLength: 27_895 } },
      { name: 'deflate only normalizes to the same key as none', path: '/static/app.js', headers: { 'accept-encoding': 'deflate' }, advance: 1, expect: { status: 200, xCache: 'Hit from cloudfront', age: '1', encoding: undefined } },
      { name: 'the URL function rewrites // before keying, behavior chosen on the raw path', path: '/static//app.js', headers: BR, expect: { status: 200, xCache: 'Hit from cloudfront', age: '6', encoding: 'br' } },
      { name: 'a body under 1,000 bytes is not compressed', path: '/api/search?q=zzz', headers: BR, expect: { status: 200, xCache: 'Miss from cloudfront', encoding: undefined } },
      { name: 'video segments: compression off in the behavior', path: '/video/orbital-station/s01e01/720p/seg-00000.ts', headers: BR, expect: { status: 200, xCache: 'Miss from cloudfront', encoding: undefined, bodyLength: 4096 } },
      { name: 'another edge location hits the regional cache', path: '/video/orbital-station/s01e01/720p/seg-00000.ts', pop: 'FRA56-C1', advance: 2, expect: { status: 200, xCache: 'Hit from cloudfront', age: '2', originRequests: 0 } },
      { name: 'HEAD hits the GET entry', path: '/video/orbital-station/s01e01/720p/seg-00000.ts', method: 'HEAD', expect: { status: 200, xCache: 'Hit from cloudfront', bodyLength: 0 } },
    ]));

  it('expires objects by their TTL and revalidates with the stored validators (RefreshHit)', () =>
    run([
      { name: 'manifest miss (max-age=300, stale-while-revalidate=300)', path: '/video/kitchen-wars/s01e01/master.m3u8', headers: BR, expect: { status: 200, xCache: 'Miss from cloudfront', encoding: 'br' } },
      { name: 'fresh at 299 s', path: '/video/kitchen-wars/s01e01/master.m3u8', headers: BR, advance: 299, expect: { xCache: 'Hit from cloudfront', age: '299', originRequests: 0 } },
      { name: 'expired, past its 300 s stale-while-revalidate window at 601 s: conditional request, 304, RefreshHit', path: '/video/kitchen-wars/s01e01/master.m3u8', headers: BR, advance: 302, expect: { status: 200, xCache: 'RefreshHit from cloudfront', age: '0', encoding: 'br', originRequests: 1 } },
      { name: 'fresh again', path: '/video/kitchen-wars/s01e01/master.m3u8', headers: BR, advance: 1, expect: { xCache: 'Hit from cloudfront', age: '1', originRequests: 0 } },
    ]));

  it('serves byte ranges from the cached object; malformed ranges get the whole object and unsatisfiable ones 416', () =>
    run([
      { name: 'first range fills the object', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=0-99' }, expect: { status: 206, xCache: 'Miss from cloudfront', contentRange: 'bytes 0-99/4096', bodyLength: 100 } },
      { name: 'next range is a hit', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=100-199' }, expect: { status: 206, xCache: 'Hit from cloudfront', contentRange: 'bytes 100-199/4096', bodyLength: 100 } },
      { name: 'suffix range', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=-10' }, expect: { status: 206, contentRange: 'bytes 4086-4095/4096', bodyLength: 10 } },
      { name: 'beyond the end: 416', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=5000-' }, expect: { status: 416, xCache: 'Error from cloudfront', contentRange: 'bytes */4096' } },
      { name: 'end before start: whole object', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=9-3' }, expect: { status: 200, bodyLength: 4096 } },
      { name: 'two ranges: multipart', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=0-1,4-5' }, expect: { status: 206, contentType: 'multipart/byteranges; boundary=CloudFrontLocalEdge35s2' } },
      { name: 'descending ranges: whole object', path: '/video/orbital-station/s01e01/720p/seg-00001.ts', headers: { range: 'bytes=4-5,0-1' }, expect: { status: 200, bodyLength: 4096 } },
    ]));

  it('caches errors for the error caching minimum TTL and serves stale content when the origin fails', () => {
    const api = () => stack.api;
    return run([
      { name: 'missing object: 404 from S3', path: '/static/missing.js', expect: { status: 404, xCache: 'Error from cloudfront', originRequests: 1 } },
      { name: '404 cached for 10 s', path: '/static/missing.js', advance: 5, expect: { status: 404, xCache: 'Error from cloudfront', age: '5', originRequests: 0 } },
      { name: '404 refetched after 10 s', path: '/static/missing.js', advance: 6, expect: { status: 404, originRequests: 1 } },
      { name: 'metadata miss (s-maxage=900, stale-while-revalidate=300, stale-if-error=900 from the catalog)', path: '/metadata/videos/orbital-station-s01e01.json', headers: BR, expect: { status: 200, xCache: 'Miss from cloudfront', encoding: 'br' } },
      {
        name: 'past the stale-while-revalidate window, the origin answers 503: stale-if-error copy', path: '/metadata/videos/orbital-station-s01e01.json', headers: BR, advance: 1250,
        before: () => api().setFault('/metadata/', { status: 503 }), expect: { status: 200, xCache: 'Hit from cloudfront', age: '1250', originRequests: 1 },
      },
      {
        name: 'origin back: revalidated', path: '/metadata/videos/orbital-station-s01e01.json', headers: BR, advance: 1,
        before: () => api().setFault('/metadata/', undefined), expect: { status: 200, xCache: 'RefreshHit from cloudfront', age: '0', originRequests: 1 },
      },
      {
        name: 'no stored copy and a 503: error', path: '/metadata/videos/kitchen-wars-s01e01.json', headers: BR,
        before: () => api().setFault('/metadata/', { status: 503 }), expect: { status: 503, xCache: 'Error from cloudfront', originRequests: 1 },
      },
      { name: '503 cached for its 5 s error caching TTL', path: '/metadata/videos/kitchen-wars-s01e01.json', headers: BR, advance: 3, expect: { status: 503, age: '3', originRequests: 0 } },
      {
        name: 'after 5 s the origin is asked again', path: '/metadata/videos/kitchen-wars-s01e01.json', headers: BR, advance: 3,
        before: () => api().setFault('/metadata/', undefined), expect: { status: 200, xCache: 'Miss from cloudfront', originRequests: 1 },
      },
      {
        name: 'unreachable origin: 502', path: '/api/trending', before: () => api().setFault('/api/trending', { reset: true }),
        expect: { status: 502, xCache: 'Error from cloudfront', contentType: 'text/html' },
      },
    ]);
  });

  it('serves stale-while-revalidate content at once and refreshes it in the background', async () => {
    stack.api.setFault('/api/trending', undefined);
    now += 10_000;
    await run([
      { name: 'miss (s-maxage=60, stale-while-revalidate=300 from the catalog)', path: '/api/trending', expect: { status: 200, xCache: 'Miss from cloudfront' } },
      { name: 'expired, inside the window: stale hit, refresh started', path: '/api/trending', advance: 61, expect: { xCache: 'Hit from cloudfront', age: '61' } },
    ]);
    await stack.edge.settle();
    await run([{ name: 'the refreshed copy', path: '/api/trending', expect: { xCache: 'Hit from cloudfront', age: '0', originRequests: 0 } }]);
  });

  it('applies geo restriction, allowed methods and request limits before the cache', () =>
    run([
      { name: 'country outside the allow list', path: '/static/app.css', headers: { 'x-viewer-country': 'FR' }, expect: { status: 403, xCache: 'Error from cloudfront' } },
      { name: 'CloudFront-Viewer-Country header too', path: '/static/app.css', headers: { 'cloudfront-viewer-country': 'fr' }, expect: { status: 403 } },
      { name: 'allowed country', path: '/static/app.css', headers: { 'x-viewer-country': 'US' }, expect: { status: 200, xCache: 'Miss from cloudfront' } },
      { name: 'unknown location is served', path: '/static/app.css', expect: { status: 200, xCache: 'Hit from cloudfront' } },
      { name: 'POST on a GET/HEAD/OPTIONS behavior', path: '/static/app.css', method: 'POST', expect: { status: 403, xCache: 'Error from cloudfront' } },
      { name: 'DELETE on the personalized API is proxied', path: '/api/me/watchlist', method: 'DELETE', expect: { status: 200, xCache: 'Miss from cloudfront', originRequests: 1 } },
      { name: 'URL over 8,192 bytes', path: `/static/${'a'.repeat(8200)}`, expect: { status: 413 } },
    ]));

  it('answers 304 from cache to a matching If-None-Match', async () => {
    const first = await send(url(), '/static/app.css');
    await run([{ name: 'conditional hit', path: '/static/app.css', headers: { 'if-none-match': String(first.headers.etag) }, expect: { status: 304, xCache: 'Hit from cloudfront', bodyLength: 0 } }]);
  });

  it('requires a valid signed URL or cookie from the key group on premium video', () => {
    const path = '/video/premium/midnight-harbor/s01e01/master.m3u8';
    const signer: Signer = { keyPairId, privateKeyPem: testKeys().privateKey };
    const origin = `https://${stack.model.domainName}`;
    const rel = (u: string) => u.slice(origin.length);
    const later = Math.floor(now / 1000) + 600;
    const other = { ...signer, privateKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey };
    const cookie = (c: Record<string, string>) => ({ cookie: Object.entries(c).map(([k, v]) => `${k}=${v}`).join('; ') });
    return run([
      { name: 'no signature', path, expect: { status: 403, xCache: 'Error from cloudfront' } },
      { name: 'canned signed URL', path: rel(signCannedUrl(`${origin}${path}`, later, signer)), expect: { status: 200, xCache: 'Miss from cloudfront' } },
      { name: 'expired signed URL', path: rel(signCannedUrl(`${origin}${path}`, Math.floor(now / 1000) - 1, signer)), expect: { status: 403 } },
      { name: 'signed by a key outside the key group', path: rel(signCannedUrl(`${origin}${path}`, later, other)), expect: { status: 403 } },
      { name: 'unknown Key-Pair-Id', path: rel(signCannedUrl(`${origin}${path}`, later, { ...signer, keyPairId: 'KUNKNOWN' })), expect: { status: 403 } },
      { name: 'parameter added after signing', path: `${rel(signCannedUrl(`${origin}${path}`, later, signer))}&extra=1`, expect: { status: 403 } },
      { name: 'SHA-256 signature', path: rel(signCannedUrl(`${origin}${path}`, later, { ...signer, hash: 'SHA256' })), expect: { status: 200, xCache: 'Hit from cloudfront' } },
      { name: 'custom policy URL with a wildcard resource', path: rel(signCustomPolicyUrl(`${origin}${path}`, { resource: `${origin}/video/premium/midnight-harbor/*`, dateLessThan: later }, signer)), expect: { status: 200 } },
      { name: 'signed cookies', path, headers: cookie(signedCookies({ resource: 'https://*/video/premium/*', dateLessThan: later }, signer)), expect: { status: 200, xCache: 'Hit from cloudfront' } },
      { name: 'cookie policy for another title', path, headers: cookie(signedCookies({ resource: 'https://*/video/premium/other/*', dateLessThan: later }, signer)), expect: { status: 403 } },
    ]);
  });

  it('collapses concurrent misses for one cache key into one origin request', async () => {
    const before = stack.edge.stats.originRequests;
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(url(), '/video/orbital-station/s01e02/480p/seg-00000.ts')));
    expect({ origin: stack.edge.stats.originRequests - before, xCache: answers.map((a) => a.headers['x-cache']).sort() }).to.deep.equal({
      origin: 1, xCache: ['Hit from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront', 'Miss from cloudfront'],
    });
  });

  it('invalidates paths, prefixes and cache tags in every edge location and the regional cache', async () => {
    await send(url(), '/static/logo.svg', { headers: BR });
    await send(url('FRA56-C1'), '/static/logo.svg', { headers: BR });
    await send(url(), '/static/logo.svg');
    const exact = stack.edge.invalidate(['/static/logo.svg']);
    await send(url(), '/video/orbital-station/s01e02/master.m3u8');
    await send(url(), '/video/orbital-station/s01e02/720p/seg-00000.ts');
    const prefix = stack.edge.invalidate(['/video/orbital-station/s01e02/*']);
    await send(url(), '/thumbnails/the-long-road/s01e01.jpg');
    await send(url(), '/video/the-long-road/s01e01/master.m3u8');
    await send(url(), '/previews/the-long-road.webp');
    const tag = stack.edge.invalidate(['#VIDEO:the-long-road']);
    expect({ exact, prefix, tag }).to.deep.equal({
      exact: { 'IAD89-C1': 2, 'FRA56-C1': 1, regional: 2 },
      prefix: { 'IAD89-C1': 3, 'FRA56-C1': 0, regional: 3 },
      tag: { 'IAD89-C1': 2, 'FRA56-C1': 0, regional: 2 },
    });
    await run([
      { name: 'invalidated path misses', path: '/static/logo.svg', headers: BR, expect: { xCache: 'Miss from cloudfront' } },
      { name: 'tagged object misses', path: '/thumbnails/the-long-road/s01e01.jpg', expect: { xCache: 'Miss from cloudfront' } },
      { name: 'object without the tag stays', path: '/previews/the-long-road.webp', expect: { xCache: 'Hit from cloudfront' } },
    ]);
  });

  describe('through the local CloudFront endpoint and the real SDK', () => {
    let endpoint: CloudFrontEndpoint;
    let client: CloudFrontClient;
    before(async () => {
      endpoint = await startCloudFrontEndpoint({ distributions: [stack.model.distributionId], completionDelayMs: 0 });
      endpoint.registerCache(stack.model.distributionId, stack.edge);
      client = new CloudFrontClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    });
    after(async () => {
      client?.destroy();
      await endpoint?.close();
    });

    it('applies CreateInvalidation to the caches and refuses a path without a leading slash', async () => {
      await send(url(), '/fonts/inter.woff2');
      const hitBefore = (await send(url(), '/fonts/inter.woff2')).headers['x-cache'];
      const created = await client.send(new CreateInvalidationCommand({ DistributionId: stack.model.distributionId, InvalidationBatch: { CallerReference: 'edge-test-1', Paths: { Quantity: 1, Items: ['/fonts/*'] } } }));
      const after = (await send(url(), '/fonts/inter.woff2')).headers['x-cache'];
      let error = '';
      try {
        await client.send(new CreateInvalidationCommand({ DistributionId: stack.model.distributionId, InvalidationBatch: { CallerReference: 'edge-test-2', Paths: { Quantity: 1, Items: ['fonts/*'] } } }));
      } catch (e) {
        error = (e as Error).name;
      }
      expect({ hitBefore, created: created.Invalidation?.InvalidationBatch?.Paths?.Items, after, error }).to.deep.equal({
        hitBefore: 'Hit from cloudfront', created: ['/fonts/*'], after: 'Miss from cloudfront', error: 'InvalidArgument',
      });
    });
  });

  it('sends a hit from its precomputed header block exactly as the general path does (headers, order, logged bytes)', async () => {
    const path = '/fonts/inter.woff2';
    const get = (pop: Step['pop'], headers: Record<string, string> = {}) => send(url(pop), path, { headers: { ...BR, ...headers } });
    const shape = (a: Answer) => JSON.stringify(Object.entries(a.headers).filter(([k]) => k !== 'date' && k !== 'x-amz-cf-id'));
    const miss = await get('IAD89-C1');
    now += 3000;
    const built = await get('IAD89-C1'); // builds the block
    const fromBlock = await get('IAD89-C1'); // reuses it
    const general = await get('IAD89-C1', { 'if-none-match': '"not-this-one"' }); // a conditional request takes the general path: the same 200
    const fra = await get('FRA56-C1'); // another edge location: a regional hit with a block (and a Via) of its own
    stack.edge.flushLogs();
    const logged = readdirSync(logDir).flatMap((f) => readFileSync(join(logDir, f), 'utf8').split('\n')).map((l) => l.split('\t'))
      .filter((f) => f[7] === path).map((f) => `${f[2]} ${f[13]} ${f[3]}`);
    const hitBytes = Number(logged[1]!.split(' ')[2]);
    expect({
      xCache: [miss, built, fromBlock, general, fra].map((a) => a.headers['x-cache']),
      sameAsGeneral: [shape(built), shape(fromBlock)].map((h) => h === shape(general)),
      fra: [fra.headers['x-amz-cf-pop'], fra.headers.age, fra.headers.via !== built.headers.via],
      ids: new Set([built, fromBlock, general, fra].map((a) => a.headers['x-amz-cf-id'])).size,
      logged,
    }).to.deep.equal({
      xCache: ['Miss from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront'],
      sameAsGeneral: [true, true],
      fra: ['FRA56-C1', '3', true],
      ids: 4,
      logged: [logged[0], `IAD89-C1 Hit ${hitBytes}`, `IAD89-C1 Hit ${hitBytes}`, `IAD89-C1 Hit ${hitBytes}`, `FRA56-C1 Hit ${hitBytes}`],
    });
    expect(hitBytes).to.be.above(Number(built.headers['content-length']));
  });

  it('writes CloudFront standard access logs (header lines, 33 tab-separated fields) that the simulator reads', () => {
    stack.edge.flushLogs();
    const files = readdirSync(logDir);
    const text = readFileSync(join(logDir, files[0]!), 'utf8');
    const lines = text.trimEnd().split('\n');
    const records = lines.slice(2).map((l) => l.split('\t'));
    const first = Object.fromEntries(STANDARD_LOG_FIELDS.map((f, i) => [f, records[0]![i]]));
    const parsed = parseCloudFrontLogs([text]);
    expect({
      files: files.map((f) => f.replace(/\.[A-Z0-9]+$/, '')),
      header: lines.slice(0, 2),
      fieldCounts: [...new Set(records.map((r) => r.length))],
      lines: records.length,
      simulatorReads: { requests: parsed.length, malformed: parsed.malformed, hits: [...parsed.result].filter((r) => RESULT_TYPES[r] === 'Hit').length },
      first: {
        date: first.date, time: first.time, pop: first['x-edge-location'], method: first['cs-method'], host: first['cs(Host)'], stem: first['cs-uri-stem'],
        status: first['sc-status'], result: first['x-edge-result-type'], detailed: first['x-edge-detailed-result-type'], protocol: first['cs-protocol'],
        type: first['sc-content-type'], query: first['cs-uri-query'],
      },
    }).to.deep.equal({
      files: [`${stack.model.distributionId}.2025-11-24-12`],
      header: ['#Version: 1.0', `#Fields: ${STANDARD_LOG_FIELDS.join(' ')}`],
      fieldCounts: [33],
      lines: stack.edge.stats.requests,
      simulatorReads: { requests: stack.edge.stats.requests, malformed: 0, hits: stack.edge.stats.byResult.Hit },
      first: {
        date: '2025-11-24', time: '12:00:00', pop: 'IAD89-C1', method: 'GET', host: stack.model.domainName, stem: '/static/app.js',
        status: '200', result: 'Miss', detailed: 'Miss', protocol: 'https', type: 'application/javascript', query: '-',
      },
    });
  });
});
