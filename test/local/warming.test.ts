/**
 * Warming: the pure parts (cache-key variants, allowed targets, path lists, ordering and pacing,
 * signed URLs) table by table, then a warming run against a real local stack after which viewer
 * traffic hits on every edge location.
 */
import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemsOf } from '../../lib/errors';
import { distributionModelFromPlan, type DistributionModel } from '../../lib/distribution';
import { orderWarmRequests, pacingFor, TokenBucket } from '../../lib/warming/schedule';
import { parseCommandLine } from '../../adapters/command-line';
import { SPEC as WARM_SPEC } from '../../scripts/warm';
import { checkSignedRequest, ipInCidr, signCannedUrl, signCustomPolicyUrl, type Signer } from '../../lib/warming/signed-urls';
import { parsePathList, parseWarmEdges } from '../../lib/warming/targets';
import { expandWarmRequests } from '../../lib/warming/variants';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';
import { runWarming } from '../../scripts/warming/runner';
import { keyPairIdOf, send, stagingPlanWithTestKey, testKeys } from './helpers';


describe('warming', function () {
  this.timeout(60_000);
  let model: DistributionModel;
  let keyPairId: string;
  before(async () => {
    const plan = await stagingPlanWithTestKey();
    model = distributionModelFromPlan(plan);
    keyPairId = keyPairIdOf(plan);
  });

  describe('expandWarmRequests: one request per cache key viewers produce', () => {
    const cases: { name: string; target: { path: string; query?: string }; canSign?: boolean; variants: string[]; skipped?: string }[] = [
      { name: 'compressible static file: br+gzip, gzip and none are three keys', target: { path: '/static/app.js' }, variants: ['|gzip, deflate, br', '|gzip, deflate', '|'] },
      { name: 'video segment: Accept-Encoding is not in the key, one request', target: { path: '/video/show/s01e01/720p/seg-00001.ts' }, variants: ['|'] },
      { name: 'thumbnail: one request per image format in the key', target: { path: '/thumbnails/show/s01e01.jpg', query: 'width=320' }, variants: ['width=320&format=avif|', 'width=320&format=webp|', 'width=320&format=jpeg|'] },
      { name: 'thumbnail with a format already: that one only', target: { path: '/thumbnails/show/s01e01.jpg', query: 'format=webp' }, variants: ['format=webp|'] },
      { name: 'API query parameters in the key are kept', target: { path: '/api/search', query: 'q=night&page=2' }, variants: ['q=night&page=2|gzip, deflate, br', 'q=night&page=2|gzip, deflate', 'q=night&page=2|'] },
      { name: 'never-cached route is skipped', target: { path: '/api/me/profile' }, variants: [], skipped: "behavior '/api/me/*' never caches (cache policy CachingDisabled); there is nothing to warm." },
      { name: 'premium video without a signer is skipped', target: { path: '/video/premium/show/s01e01/720p/seg-00000.ts' }, variants: [], skipped: "behavior '/video/premium/*' requires signed URLs or cookies; pass --signing-key <private key PEM> and --key-pair-id to warm it." },
      { name: 'premium video with a signer is warmed, marked signed', target: { path: '/video/premium/show/s01e01/720p/seg-00000.ts' }, canSign: true, variants: ['|'] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const e = expandWarmRequests(model, [c.target], { canSign: c.canSign ?? false });
        expect({
          variants: e.requests.map((r) => `${r.query}|${r.headers['accept-encoding'] ?? ''}`),
          keys: new Set(e.requests.map((r) => r.cacheKey)).size,
          skipped: e.skipped[0]?.reason,
        }).to.deep.equal({ variants: c.variants, keys: c.variants.length, skipped: c.skipped });
      });
    }

    it('warms a path listed twice once', () => {
      expect(expandWarmRequests(model, [{ path: '/video/a.ts' }, { path: '/video/a.ts' }]).requests.length).to.equal(1);
    });
  });

  describe('parseWarmEdges: only the stack\'s domain or a local edge', () => {
    it('defaults to the distribution over HTTPS and accepts local edges and aliases', () => {
      expect([
        parseWarmEdges(undefined, 'd1.cloudfront.net', []),
        parseWarmEdges('http://127.0.0.1:8080,localhost:8081,cdn.example.com', 'd1.cloudfront.net', ['cdn.example.com']),
      ]).to.deep.equal([
        [{ baseUrl: 'https://d1.cloudfront.net', local: false, label: 'd1.cloudfront.net' }],
        [
          { baseUrl: 'http://127.0.0.1:8080', local: true, label: '127.0.0.1:8080' },
          { baseUrl: 'http://localhost:8081', local: true, label: 'localhost:8081' },
          { baseUrl: 'https://cdn.example.com', local: false, label: 'cdn.example.com' },
        ],
      ]);
    });

    it('refuses any other host, another scheme and a path, naming each', () => {
      expect(problemsOf(() => parseWarmEdges('https://evil.example.com,ftp://127.0.0.1,http://127.0.0.1:8080/x', 'd1.cloudfront.net', []))).to.deep.equal([
        "--edges: 'https://evil.example.com' is neither this stack's distribution (d1.cloudfront.net) nor a local edge on 127.0.0.1/localhost; warming never sends traffic anywhere else.",
        "--edges: 'ftp://127.0.0.1' uses ftp:; only http and https are allowed.",
        "--edges: 'http://127.0.0.1:8080/x' has a path; give only scheme://host[:port].",
      ]);
    });
  });

  describe('parsePathList', () => {
    it('reads paths, queries, weights and URLs on the distribution; skips blanks and // comments', () => {
      const text = '// hot tonight\n/static/app.js\n\n/thumbnails/a.jpg?width=320 12\nhttps://d1.cloudfront.net/video/a/master.m3u8\n';
      expect(parsePathList(text, 'hot.txt', 'd1.cloudfront.net', [])).to.deep.equal([
        { path: '/static/app.js', source: 'hot.txt line 2' },
        { path: '/thumbnails/a.jpg', query: 'width=320', weight: 12, source: 'hot.txt line 4' },
        { path: '/video/a/master.m3u8', source: 'hot.txt line 5' },
      ]);
    });

    it('refuses paths outside the distribution, relative paths and bad weights, with line numbers', () => {
      const text = 'https://other.example.com/x.js\nstatic/app.js\n/a.js -3\n/b.js 1 2\n';
      expect(problemsOf(() => parsePathList(text, 'hot.txt', 'd1.cloudfront.net', []))).to.deep.equal([
        "hot.txt line 1: 'https://other.example.com/x.js' is outside the distribution (its host is not d1.cloudfront.net); list paths of this stack only.",
        "hot.txt line 2: 'static/app.js' must start with '/' (a path of the distribution, e.g. '/video/show/s01e01/master.m3u8').",
        "hot.txt line 3: weight '-3' must be a non-negative number.",
        "hot.txt line 4: '/b.js 1 2' has more than a path and a weight; write '<path> [weight]'.",
      ]);
    });

    it('refuses an empty list', () => {
      expect(problemsOf(() => parsePathList('\n// nothing\n', 'hot.txt', 'd1.cloudfront.net', []))).to.deep.equal(["hot.txt lists no paths; write one path per line, e.g. '/static/app.js'."]);
    });
  });

  describe('ordering and pacing', () => {
    it('sends heavier targets first, then the encoding most viewers use', () => {
      const e = expandWarmRequests(model, [{ path: '/static/a.js', weight: 1 }, { path: '/static/b.js', weight: 5 }]);
      expect(orderWarmRequests(e.requests).map((r) => `${r.path} ${r.encoding}`)).to.deep.equal([
        '/static/b.js br,gzip', '/static/b.js none', '/static/b.js gzip', '/static/a.js br,gzip', '/static/a.js none', '/static/a.js gzip',
      ]);
    });

    it('gives high priority the whole rate and concurrency, normal half, low a quarter', () => {
      expect([pacingFor('high', 100, 8), pacingFor('normal', 100, 8), pacingFor('low', 100, 8), pacingFor('low', 10, 2)]).to.deep.equal([
        { ratePerSec: 100, concurrency: 8 }, { ratePerSec: 50, concurrency: 4 }, { ratePerSec: 25, concurrency: 2 }, { ratePerSec: 2.5, concurrency: 1 },
      ]);
    });

    it('paces with a token bucket: a burst, then one request per 1/rate', () => {
      const b = new TokenBucket(10, 2);
      expect([b.take(0), b.take(0), b.take(0), b.take(0), b.take(300), b.take(300)]).to.deep.equal([0, 0, 100, 200, 0, 100]);
    });

    it('refuses a bad priority, rate and concurrency together', () => {
      expect(problemsOf(() => parseCommandLine(WARM_SPEC, ['--priority', 'urgent', '--rate', '0', '--concurrency', '1.5']))).to.deep.equal([
        "--priority must be 'high', 'normal' or 'low', got 'urgent'.",
        "--rate must be a positive number of requests per second, got '0'.",
        "--concurrency must be a whole number from 1 to 256, got '1.5'.",
      ]);
      expect(parseCommandLine(WARM_SPEC, []).values).to.deep.include({ priority: 'normal', rate: 50, concurrency: 8, 'min-hit-ratio': 0.95 });
    });
  });

  describe('signed URLs (spec §10.2)', () => {
    const url = 'https://d1.cloudfront.net/video/premium/a/master.m3u8';
    const check = (signed: string, nowSec: number, clientIp = '192.0.2.10') => {
      const u = new URL(signed);
      const query = [...u.searchParams.entries()].map(([k]) => [k, u.search.slice(1).split('&').find((kv) => kv.startsWith(`${k}=`))!.slice(k.length + 1)] as [string, string]);
      return checkSignedRequest({ resourceUrls: [url], query, cookies: [], nowSec, clientIp, keys: [{ id: keyPairId, pem: testKeys().publicKey }] });
    };
    const signer = (): Signer => ({ keyPairId, privateKeyPem: testKeys().privateKey });

    it('accepts a canned URL before its expiry and refuses it at and after', () => {
      const signed = signCannedUrl(url, 1000, signer());
      expect([check(signed, 999), check(signed, 1000)]).to.deep.equal([
        { ok: true, via: 'url', keyPairId }, { ok: false, reason: 'expired', via: 'url' },
      ]);
    });

    it('checks a custom policy\'s start date and IP range', () => {
      const signed = signCustomPolicyUrl(url, { resource: 'https://d1.cloudfront.net/video/premium/*', dateLessThan: 2000, dateGreaterThan: 1000, ipAddress: '192.0.2.0/24' }, signer());
      expect([check(signed, 1500), check(signed, 900), check(signed, 1500, '198.51.100.1')].map((r) => (r.ok ? 'ok' : r.reason))).to.deep.equal(['ok', 'not-yet-valid', 'ip-mismatch']);
    });

    it('matches IPv4 CIDRs', () => {
      expect([ipInCidr('10.1.2.3', '10.0.0.0/8'), ipInCidr('11.0.0.1', '10.0.0.0/8'), ipInCidr('10.0.0.1', '10.0.0.1'), ipInCidr('::1', '10.0.0.0/8')]).to.deep.equal([true, false, true, false]);
    });
  });

  describe('a warming run against the local edge', () => {
    let stack: LocalStack;
    before(async () => {
      stack = await startLocalStack({ plan: await stagingPlanWithTestKey(), seed: { episodes: 1, segments: 2, segmentBytes: 4096 } });
    });
    after(() => stack?.close());

    it('reports every request as failed, and no hits, when the edge is not listening', async () => {
      const closed = await new Promise<number>((resolve) => {
        const srv = createServer();
        srv.listen(0, '127.0.0.1', () => {
          const { port } = srv.address() as AddressInfo;
          srv.close(() => resolve(port));
        });
      });
      const e = expandWarmRequests(model, [{ path: '/static/app.css' }], { encodings: ['none'] });
      const report = await runWarming({ requests: e.requests, edges: [{ baseUrl: `http://127.0.0.1:${closed}`, local: true, label: 'closed' }], pacing: { ratePerSec: 1000, concurrency: 1 }, domainName: model.domainName, verify: true, quiet: true, timeoutMs: 2000 });
      expect({ errors: report.warm.errors, requests: report.warm.requests, hitShare: report.verify?.pathHitShare, failures: report.failures.map((f) => f.status) }).to.deep.equal({
        errors: 1, requests: 1, hitShare: 0, failures: [0, 0],
      });
    });

    it('verifies with HEAD, which does not fill the cache: an unwarmed path stays a miss for viewers', async () => {
      const e = expandWarmRequests(model, [{ path: '/static/logo.svg' }], { encodings: ['none'] });
      const head = await send(stack.edges[0]!.url, '/static/logo.svg', { method: 'HEAD' });
      const get = await send(stack.edges[0]!.url, '/static/logo.svg');
      expect({ head: head.headers['x-cache'], get: get.headers['x-cache'], variants: e.requests.length }).to.deep.equal({ head: 'Miss from cloudfront', get: 'Miss from cloudfront', variants: 1 });
    });

    it('warms every variant on every edge location; then viewers hit everywhere', async () => {
      const targets = [
        { path: '/static/app.js' },
        { path: '/video/orbital-station/s01e01/master.m3u8' },
        { path: '/video/orbital-station/s01e01/720p/seg-00001.ts' },
        { path: '/video/premium/midnight-harbor/s01e01/720p/index.m3u8' },
      ];
      const e = expandWarmRequests(model, targets, { canSign: true });
      const edges = stack.edges.map((x) => ({ baseUrl: x.url, local: true, label: x.pop }));
      const report = await runWarming({
        requests: orderWarmRequests(e.requests), edges, pacing: { ratePerSec: 1000, concurrency: 4 }, domainName: model.domainName,
        signer: { keyPairId, privateKeyPem: testKeys().privateKey }, verify: true, quiet: true,
      });
      const viewers = await Promise.all(stack.edges.flatMap((x) => [
        send(x.url, '/static/app.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } }),
        send(x.url, '/static/app.js', { headers: { 'accept-encoding': 'gzip' } }),
        send(x.url, '/static/app.js'),
        send(x.url, '/video/orbital-station/s01e01/master.m3u8', { headers: { 'accept-encoding': 'br, gzip' } }),
        send(x.url, '/video/orbital-station/s01e01/720p/seg-00001.ts', { headers: { range: 'bytes=0-1023' } }),
      ]));
      expect({
        paths: report.paths,
        variants: report.variants,
        warm: report.warm.byXCache,
        errors: report.warm.errors,
        verified: report.verify?.pathHitShare,
        billed: report.billing.requests,
        viewers: [...new Set(viewers.map((v) => v.headers['x-cache']))],
      }).to.deep.equal({
        paths: 4, variants: 10, warm: { 'Miss from cloudfront': 10, 'Hit from cloudfront': 10 }, errors: 0, verified: 1, billed: 40,
        viewers: ['Hit from cloudfront'],
      });
    });
  });
});
