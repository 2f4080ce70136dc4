import { expect } from 'chai';
import {
  applyCachePolicyTtlDefaults,
  CUSTOM_ERROR_PAGE_CODES,
  errorCachingDecision,
  isCacheableSuccessStatus,
  mayServeStaleOnOriginError,
  MANAGED_CACHE_POLICIES,
  ONE_YEAR_SECONDS,
  ORIGIN_FAILOVER_STATUS_CODES,
  parseCacheControl,
  parseHttpDate,
  resolveTtl,
  staleWindows,
  validateTtlTriple,
  type ErrorCachingOptions,
  type ResolveTtlOptions,
  type TtlDecision,
  type TtlPolicy,
} from '../../lib/semantics';

const NOW = 1_700_000_000; // 2023-11-14T22:13:20Z
const httpDate = (sec: number) => new Date(sec * 1000).toUTCString();

const CACHING_OPTIMIZED: TtlPolicy = MANAGED_CACHE_POLICIES.CachingOptimized;
const MIN0: TtlPolicy = { minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000 };

describe('semantics/ttl (spec §2, §3)', () => {
  describe('resolveTtl decision table (spec §2.2)', () => {
    const cases: {
      name: string;
      policy: TtlPolicy;
      cacheControl?: string;
      expires?: string;
      options?: ResolveTtlOptions;
      expected: TtlDecision;
    }[] = [
      { name: 'CachingOptimized (MinTTL 1) caches a private response for 1 s', policy: CACHING_OPTIMIZED, cacheControl: 'private', expected: { cacheable: true, ttl: 1, source: 'min-ttl-override' } },
      { name: 'CachingOptimized caches a no-store response for 1 s', policy: CACHING_OPTIMIZED, cacheControl: 'no-store', expected: { cacheable: true, ttl: 1, source: 'min-ttl-override' } },
      { name: 'CachingOptimized caches a header-less response for 24 h', policy: CACHING_OPTIMIZED, expected: { cacheable: true, ttl: 86_400, source: 'default' } },
      { name: 'MinTTL 0 honours private (not cached)', policy: MIN0, cacheControl: 'private, max-age=600', expected: { cacheable: false, ttl: 0, source: 'no-store' } },
      { name: 'MinTTL 0 honours unqualified no-cache', policy: MIN0, cacheControl: 'no-cache', expected: { cacheable: false, ttl: 0, source: 'no-store' } },
      { name: 'no-cache="Set-Cookie" is not an unqualified no-cache', policy: MIN0, cacheControl: 'no-cache="Set-Cookie", max-age=600', expected: { cacheable: true, ttl: 600, source: 'max-age' } },
      { name: 's-maxage beats max-age', policy: MIN0, cacheControl: 'max-age=60, s-maxage=3600', expected: { cacheable: true, ttl: 3600, source: 's-maxage' } },
      { name: 'max-age beats Expires', policy: MIN0, cacheControl: 'max-age=60', expires: httpDate(NOW + 3600), expected: { cacheable: true, ttl: 60, source: 'max-age' } },
      { name: 'Expires alone gives the time until Expires', policy: MIN0, expires: httpDate(NOW + 7200), expected: { cacheable: true, ttl: 7200, source: 'expires' } },
      { name: 'Expires in the past: stored but immediately stale', policy: MIN0, expires: httpDate(NOW - 10), expected: { cacheable: true, ttl: 0, source: 'expires' } },
      { name: 'Expires in the past is raised to MinTTL', policy: { minTtl: 5, defaultTtl: 86_400, maxTtl: 31_536_000 }, expires: httpDate(NOW - 10), expected: { cacheable: true, ttl: 5, source: 'expires' } },
      { name: 'an invalid Expires date counts as 0', policy: MIN0, expires: 'garbage', expected: { cacheable: true, ttl: 0, source: 'expires' } },
      { name: "Expires: 0 is invalid, not the year 2000", policy: MIN0, expires: '0', expected: { cacheable: true, ttl: 0, source: 'expires' } },
      { name: 'Expires beyond MaxTTL is capped', policy: { minTtl: 0, defaultTtl: 60, maxTtl: 3600 }, expires: httpDate(NOW + 86_400), expected: { cacheable: true, ttl: 3600, source: 'expires' } },
      { name: 'max-age above MaxTTL is capped at MaxTTL', policy: { minTtl: 0, defaultTtl: 60, maxTtl: 3600 }, cacheControl: 'max-age=86400', expected: { cacheable: true, ttl: 3600, source: 'max-age' } },
      { name: 'max-age below MinTTL is raised to MinTTL', policy: { minTtl: 300, defaultTtl: 86_400, maxTtl: 31_536_000 }, cacheControl: 'max-age=60', expected: { cacheable: true, ttl: 300, source: 'max-age' } },
      { name: 'max-age=0 with MinTTL 0 is stored but stale', policy: MIN0, cacheControl: 'max-age=0', expected: { cacheable: true, ttl: 0, source: 'max-age' } },
      { name: 'CachingDisabled (MaxTTL 0) never caches, even with max-age', policy: MANAGED_CACHE_POLICIES.CachingDisabled, cacheControl: 'max-age=600', expected: { cacheable: false, ttl: 0, source: 'max-age' } },
      { name: 'UseOriginCacheControlHeaders does not cache header-less responses (DefaultTTL 0)', policy: MANAGED_CACHE_POLICIES.UseOriginCacheControlHeaders, expected: { cacheable: false, ttl: 0, source: 'default' } },
      { name: 'header-less response with MinTTL > DefaultTTL uses MinTTL', policy: { minTtl: 100, defaultTtl: 50, maxTtl: 1000 }, expected: { cacheable: true, ttl: 100, source: 'default' } },
      { name: 'directive names are case-insensitive', policy: MIN0, cacheControl: 'MAX-AGE=120', expected: { cacheable: true, ttl: 120, source: 'max-age' } },
      { name: 'a quoted max-age value is accepted', policy: MIN0, cacheControl: 'max-age="120"', expected: { cacheable: true, ttl: 120, source: 'max-age' } },
      { name: 'junk max-age is ignored by default; s-maxage still applies', policy: MIN0, cacheControl: 'max-age=abc, s-maxage=30', expected: { cacheable: true, ttl: 30, source: 's-maxage' } },
      { name: 'junk max-age alone falls back to DefaultTTL by default', policy: MIN0, cacheControl: 'max-age=-5', expected: { cacheable: true, ttl: 86_400, source: 'default' } },
      { name: "junk max-age counts as 0 with invalidDelta: 'zero'", policy: MIN0, cacheControl: 'max-age=1.5', options: { invalidDelta: 'zero' }, expected: { cacheable: true, ttl: 0, source: 'max-age' } },
      { name: 'must-revalidate does not change the TTL', policy: MIN0, cacheControl: 'max-age=60, must-revalidate', expected: { cacheable: true, ttl: 60, source: 'max-age' } },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const headers: { cacheControl?: string; expires?: string } = {};
        if (c.cacheControl !== undefined) headers.cacheControl = c.cacheControl;
        if (c.expires !== undefined) headers.expires = c.expires;
        expect(resolveTtl(c.policy, headers, NOW, c.options)).to.deep.equal(c.expected);
      });
    }
  });

  describe('parseCacheControl', () => {
    it('records a qualified no-cache as fields, not as no-cache', () => {
      const cc = parseCacheControl('no-cache="Set-Cookie, Set-Cookie2", max-age=5');
      expect(cc.noCache).to.equal(false);
      expect(cc.noCacheFields).to.deep.equal(['Set-Cookie', 'Set-Cookie2']);
      expect(cc.maxAge).to.equal(5);
    });

    it('reads no-store and private case-insensitively', () => {
      const cc = parseCacheControl('No-Store, PRIVATE');
      expect([cc.noStore, cc.private, cc.noCache]).to.deep.equal([true, true, false]);
    });

    it('reads the stale-* directives (spec §2.3 example)', () => {
      const cc = parseCacheControl('max-age=3600, stale-while-revalidate=600, stale-if-error=86400');
      expect([cc.maxAge, cc.staleWhileRevalidate, cc.staleIfError]).to.deep.equal([3600, 600, 86_400]);
    });

    it('returns an empty result for undefined and tolerates junk separators', () => {
      expect(parseCacheControl(undefined).maxAge).to.equal(undefined);
      expect(parseCacheControl(',,, ;;; =, max-age=5').maxAge).to.equal(5);
    });

    it('keeps the first of repeated max-age directives', () => {
      expect(parseCacheControl('max-age=10, max-age=20').maxAge).to.equal(10);
    });

    it('treats a qualified private as fields unless qualifiedPrivateIsPrivate is set', () => {
      expect(parseCacheControl('private="X-User"').private).to.equal(false);
      expect(parseCacheControl('private="X-User"').privateFields).to.deep.equal(['X-User']);
      expect(parseCacheControl('private="X-User"', { qualifiedPrivateIsPrivate: true }).private).to.equal(true);
    });

    it('caps max-age at 100 years', () => {
      expect(parseCacheControl('max-age=99999999999').maxAge).to.equal(3_153_600_000);
    });
  });

  describe('parseHttpDate', () => {
    const cases = [
      { name: 'parses IMF-fixdate', input: 'Sun, 06 Nov 1994 08:49:37 GMT', expected: 784_111_777 },
      { name: 'parses RFC 850 dates', input: 'Sunday, 06-Nov-94 08:49:37 GMT', expected: 784_111_777 },
      { name: 'parses asctime dates', input: 'Sun Nov  6 08:49:37 1994', expected: 784_111_777 },
      { name: 'rejects "0"', input: '0', expected: undefined },
      { name: 'rejects 31 February', input: 'Sun, 31 Feb 1994 08:49:37 GMT', expected: undefined },
      { name: 'rejects an ISO date', input: '1994-11-06T08:49:37Z', expected: undefined },
    ];
    for (const c of cases) it(c.name, () => expect(parseHttpDate(c.input, NOW)).to.equal(c.expected));
  });

  describe('staleWindows (spec §2.3)', () => {
    const policy: TtlPolicy = { minTtl: 0, defaultTtl: 86_400, maxTtl: 1000 };
    const cc = parseCacheControl('max-age=100, stale-while-revalidate=600, stale-if-error=5000');
    const times = { storedAtSec: 1000, expiresAtSec: 1100 };

    it('anchors the MaxTTL cap at expiry by default: expiresAt + min(N, MaxTTL)', () => {
      expect(staleWindows(policy, cc, times)).to.deep.equal({ staleWhileRevalidateUntil: 1700, staleIfErrorUntil: 2100 });
    });

    it("offers the alternative anchoring min(expiresAt + N, storedAt + MaxTTL)", () => {
      expect(staleWindows(policy, cc, times, { anchoring: 'stored' })).to.deep.equal({ staleWhileRevalidateUntil: 1700, staleIfErrorUntil: 2000 });
    });

    it('omits windows whose directive is absent and closes a window of 0 at expiry', () => {
      expect(staleWindows(policy, parseCacheControl('stale-if-error=0'), times)).to.deep.equal({ staleIfErrorUntil: 1100 });
    });

    it('stale-if-error=0 stops serving stale on origin failure (spec §2.4)', () => {
      expect(mayServeStaleOnOriginError(CACHING_OPTIMIZED, parseCacheControl('stale-if-error=0'))).to.equal(false);
      expect(mayServeStaleOnOriginError(CACHING_OPTIMIZED, parseCacheControl('no-store'))).to.equal(true);
      expect(mayServeStaleOnOriginError(MANAGED_CACHE_POLICIES.CachingDisabled, parseCacheControl(undefined))).to.equal(false);
    });
  });

  describe('validateTtlTriple', () => {
    const cases: { name: string; t: TtlPolicy; errors: number; mentions?: string[] }[] = [
      { name: 'accepts CachingOptimized', t: { minTtl: 1, defaultTtl: 86_400, maxTtl: 31_536_000 }, errors: 0 },
      { name: 'accepts 0/0/0', t: { minTtl: 0, defaultTtl: 0, maxTtl: 0 }, errors: 0 },
      { name: 'rejects a negative MinTTL, quoting it', t: { minTtl: -1, defaultTtl: 0, maxTtl: 0 }, errors: 1, mentions: ['behavior images', 'MinTTL', '-1'] },
      { name: 'rejects a non-integer DefaultTTL', t: { minTtl: 0, defaultTtl: 1.5, maxTtl: 10 }, errors: 1, mentions: ['DefaultTTL', '1.5', 'whole number'] },
      { name: 'rejects NaN', t: { minTtl: 0, defaultTtl: Number.NaN, maxTtl: 10 }, errors: 1, mentions: ['NaN'] },
      { name: 'rejects more than one year', t: { minTtl: 0, defaultTtl: 0, maxTtl: ONE_YEAR_SECONDS + 1 }, errors: 1, mentions: ['31536001', '31536000'] },
      { name: 'rejects MinTTL > DefaultTTL', t: { minTtl: 100, defaultTtl: 50, maxTtl: 1000 }, errors: 1, mentions: ['MinTTL (100) is greater than DefaultTTL (50)'] },
      { name: 'rejects DefaultTTL > MaxTTL', t: { minTtl: 0, defaultTtl: 2000, maxTtl: 1000 }, errors: 1, mentions: ['DefaultTTL (2000) is greater than MaxTTL (1000)', 'MinTTL ≤ DefaultTTL ≤ MaxTTL'] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const errors = validateTtlTriple(c.t, 'behavior images');
        expect(errors).to.have.length(c.errors);
        for (const m of c.mentions ?? []) expect(errors.join(' ')).to.include(m);
      });
    }
  });

  describe('applyCachePolicyTtlDefaults (spec §2.1)', () => {
    const cases: { name: string; input: { minTtl: number; defaultTtl?: number; maxTtl?: number }; expected: TtlPolicy }[] = [
      { name: 'defaults to 86,400 / 31,536,000', input: { minTtl: 0 }, expected: { minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000 } },
      { name: 'DefaultTTL defaults to MinTTL when MinTTL > 86,400', input: { minTtl: 100_000 }, expected: { minTtl: 100_000, defaultTtl: 100_000, maxTtl: 31_536_000 } },
      { name: 'MaxTTL defaults to DefaultTTL when MinTTL exceeds one year', input: { minTtl: 40_000_000 }, expected: { minTtl: 40_000_000, defaultTtl: 40_000_000, maxTtl: 40_000_000 } },
      { name: 'MaxTTL defaults to DefaultTTL when DefaultTTL exceeds one year', input: { minTtl: 0, defaultTtl: 40_000_000 }, expected: { minTtl: 0, defaultTtl: 40_000_000, maxTtl: 40_000_000 } },
      { name: 'keeps explicit values', input: { minTtl: 1, defaultTtl: 2, maxTtl: 3 }, expected: { minTtl: 1, defaultTtl: 2, maxTtl: 3 } },
    ];
    for (const c of cases) it(c.name, () => expect(applyCachePolicyTtlDefaults(c.input)).to.deep.equal(c.expected));
  });

  describe('isCacheableSuccessStatus (spec §3.2)', () => {
    const cases: [number, boolean, boolean][] = [
      [200, false, true],
      [206, false, true],
      [301, false, true],
      [302, false, true],
      [304, true, false],
      [307, false, false],
      [307, true, true],
      [308, false, false],
      [308, true, true],
      [404, true, false],
      [199, true, false],
    ];
    for (const [status, hasCc, expected] of cases) {
      it(`${status} ${hasCc ? 'with' : 'without'} Cache-Control is ${expected ? '' : 'not '}cacheable`, () =>
        expect(isCacheableSuccessStatus(status, hasCc)).to.equal(expected));
    }
  });

  describe('errorCachingDecision (spec §3.3)', () => {
    const base: ErrorCachingOptions = { maxTtl: 31_536_000 };
    const cases: { name: string; status: number; opts?: Partial<ErrorCachingOptions>; expected: { cacheable: boolean; ttl: number; reason: string } }[] = [
      { name: '404 without headers is cached for the 10 s default', status: 404, expected: { cacheable: true, ttl: 10, reason: 'cached' } },
      { name: '404 with no-store is not cached', status: 404, opts: { cacheControl: 'no-store' }, expected: { cacheable: false, ttl: 0, reason: 'directive-prevents-caching' } },
      { name: '404 with max-age=300 is cached 300 s', status: 404, opts: { cacheControl: 'max-age=300' }, expected: { cacheable: true, ttl: 300, reason: 'cached' } },
      { name: 'the header TTL of an error is capped at MaxTTL', status: 404, opts: { cacheControl: 'max-age=300', maxTtl: 100 }, expected: { cacheable: true, ttl: 100, reason: 'cached' } },
      { name: 's-maxage wins for errors too', status: 404, opts: { cacheControl: 's-maxage=20, max-age=500' }, expected: { cacheable: true, ttl: 20, reason: 'cached' } },
      { name: '416 is never cached, even with an ErrorCachingMinTTL', status: 416, opts: { errorCachingMinTtl: 300, cacheControl: 'max-age=60' }, expected: { cacheable: false, ttl: 0, reason: 'never-cached-416' } },
      { name: '403 without max-age is not cached', status: 403, expected: { cacheable: false, ttl: 0, reason: 'requires-max-age' } },
      { name: '403 with max-age=60 is cached 60 s', status: 403, opts: { cacheControl: 'max-age=60' }, expected: { cacheable: true, ttl: 60, reason: 'cached' } },
      { name: '403 with only Expires is not cached', status: 403, opts: { expires: httpDate(NOW + 600) }, expected: { cacheable: false, ttl: 0, reason: 'requires-max-age' } },
      { name: '503 with no-store ignores the directive and uses ErrorCachingMinTTL', status: 503, opts: { cacheControl: 'no-store, max-age=600' }, expected: { cacheable: true, ttl: 10, reason: 'cached' } },
      { name: '502 with max-age below ErrorCachingMinTTL uses ErrorCachingMinTTL', status: 502, opts: { cacheControl: 'max-age=5' }, expected: { cacheable: true, ttl: 10, reason: 'cached' } },
      { name: '500 with ErrorCachingMinTTL 0 from a custom origin is not cached', status: 500, opts: { errorCachingMinTtl: 0 }, expected: { cacheable: false, ttl: 0, reason: 'zero-ttl' } },
      { name: 'S3 origin raises an ErrorCachingMinTTL of 0 to 1 s', status: 500, opts: { errorCachingMinTtl: 0, s3Origin: true }, expected: { cacheable: true, ttl: 1, reason: 'cached' } },
      { name: '501 from S3 with no-cache is never cached', status: 501, opts: { cacheControl: 'no-cache', s3Origin: true }, expected: { cacheable: false, ttl: 0, reason: 'directive-prevents-caching' } },
      { name: '410 is cached like 404 by default', status: 410, expected: { cacheable: true, ttl: 10, reason: 'cached' } },
      { name: '410 is not cached with treat410AsAlwaysCached: false', status: 410, opts: { treat410AsAlwaysCached: false }, expected: { cacheable: false, ttl: 0, reason: 'status-not-cacheable' } },
      { name: '401 is not cached', status: 401, opts: { cacheControl: 'max-age=60' }, expected: { cacheable: false, ttl: 0, reason: 'status-not-cacheable' } },
      { name: '429 is not cached', status: 429, expected: { cacheable: false, ttl: 0, reason: 'status-not-cacheable' } },
      { name: 'CachingDisabled caches no errors', status: 404, opts: { cachingDisabled: true }, expected: { cacheable: false, ttl: 0, reason: 'caching-disabled' } },
      { name: '404 with Expires in 2 minutes is cached 120 s', status: 404, opts: { expires: httpDate(NOW + 120) }, expected: { cacheable: true, ttl: 120, reason: 'cached' } },
    ];
    for (const c of cases) it(c.name, () => expect(errorCachingDecision(c.status, { ...base, ...c.opts }, NOW)).to.deep.equal(c.expected));

    it('lists the custom-error-page and failover codes of spec §3.4 and §9.2', () => {
      expect(CUSTOM_ERROR_PAGE_CODES).to.deep.equal([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
      expect(ORIGIN_FAILOVER_STATUS_CODES).to.deep.equal([400, 403, 404, 416, 500, 502, 503, 504]);
    });
  });
});
