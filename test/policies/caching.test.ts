import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES } from '../../lib/semantics/managed-policies';
import {
  apiPublicGetTtl, behaviorsUseKnownCachePolicies, cachePolicyKeyValid, cacheTagConfigSet, customCachePoliciesWithinQuota, defaultTtlWithinUpdateInterval,
  errorCachingTtlsFor5xx, everyContentTypeHasBehavior, maxTtlBounded, minTtlHonorsNoStore, monitoringSubscriptionEnabled,
  noAllViewerForwardingOnCachedBehaviors, noShadowedBehaviors, originShieldOnVideoOrigin, personalizedRoutesUncached,
  queryStringsAllowListed, staticCacheKeyExcludesCookiesAndAuthorization, textTypesCompressed, declaredStaleWindows, staleWindowsWithinUpdateInterval,
} from '../../policies/caching';
import { prodFixture, type Fixture } from './fixtures';
import { messagesOf, resourceOf, violationsOf } from './helpers';

type Props = Record<string, any>;

const policyProps = (f: Fixture, name: string): Props => f.find(aws.cloudfront.CachePolicy, name).props;
const keyParams = (f: Fixture, name: string): Props => policyProps(f, name).parametersInCacheKeyAndForwardedToOrigin;
const primary = (f: Fixture): Props => f.find(aws.cloudfront.Distribution, 'cdn-distribution').props;
function behavior(d: Props, pattern: string): Props {
  return (d.orderedCacheBehaviors as Props[]).find((b) => b.pathPattern === pattern)!;
}
/** The primary distribution as a resource rule sees it. */
const distributionOf = (props: Props) => [resourceOf(aws.cloudfront.Distribution, 'cdn-distribution', props)];

const PD = "distribution 'cdn-distribution'";

describe('caching rules', function () {
  this.timeout(60_000);
  let f: Fixture;
  beforeEach(async () => {
    f = await prodFixture();
  });

  describe('default-ttl-within-update-interval', () => {
    it('passes the prod stack', async () => {
      expect(await messagesOf(defaultTtlWithinUpdateInterval, f.stack)).to.deep.equal([]);
    });

    it('accepts a default TTL equal to the update interval (900 s for metadata)', async () => {
      policyProps(f, 'cdn-prod-metadata').defaultTtl = 900;
      expect(await messagesOf(defaultTtlWithinUpdateInterval, f.primaryStack)).to.deep.equal([]);
    });

    it('reports a metadata default TTL of 901 s on the cache policy, with the bound', async () => {
      policyProps(f, 'cdn-prod-metadata').defaultTtl = 901;
      expect(await violationsOf(defaultTtlWithinUpdateInterval, f.primaryStack)).to.deep.equal([{
        urn: f.find(aws.cloudfront.CachePolicy, 'cdn-prod-metadata').urn,
        message: `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata') with cache policy 'cdn-prod-metadata', ` +
          'whose default TTL is 901 s; the bound for metadata is its update interval, 900 s (15m) (lib/catalog/content-types.ts). ' +
          'Lower defaultTtl to 900 or less (media-cdn:contentTypes.metadata.defaultTtl), or declare metadata immutable in the catalog if its objects are versioned.',
      }]);
    });

    it('leaves the API to api-public-get-ttl', async () => {
      Object.assign(policyProps(f, 'cdn-prod-api'), { defaultTtl: 3600, maxTtl: 3600 });
      expect(await messagesOf(defaultTtlWithinUpdateInterval, f.primaryStack)).to.deep.equal([]);
    });
  });

  describe('max-ttl-bounded', () => {
    it('accepts the bound itself (4 × 900 s for metadata)', async () => {
      policyProps(f, 'cdn-prod-metadata').maxTtl = 3600;
      expect(await messagesOf(maxTtlBounded, f.stack)).to.deep.equal([]);
    });

    it('reports a metadata max TTL of 3601 s', async () => {
      policyProps(f, 'cdn-prod-metadata').maxTtl = 3601;
      expect(await messagesOf(maxTtlBounded, f.primaryStack)).to.deep.equal([
        `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata') with cache policy 'cdn-prod-metadata', ` +
        'whose max TTL is 3601 s; the bound for metadata is 3600 s (1h), 4 × its update interval of 900 s (15m) ' +
        '(lib/catalog/content-types.ts, MAX_TTL_INTERVALS). Lower maxTtl to 3600 or less (media-cdn:contentTypes.metadata.maxTtl).',
      ]);
    });

    it('judges a behavior by the content its paths serve: video segments may not use the static policy (4 days)', async () => {
      behavior(primary(f), '/video/*').cachePolicyId = f.find(aws.cloudfront.CachePolicy, 'cdn-prod-static').props.id;
      expect(await messagesOf(maxTtlBounded, f.primaryStack)).to.deep.equal([
        `cache behavior '/video/*' of ${PD} serves video content (catalog route 'video') with cache policy 'cdn-prod-static', ` +
        'whose max TTL is 345600 s (4d); the bound for video is 86400 s (1d), 4 × its update interval of 21600 s (6h) ' +
        '(lib/catalog/content-types.ts, MAX_TTL_INTERVALS). Lower maxTtl to 86400 or less (media-cdn:contentTypes.video.maxTtl).',
      ]);
    });
  });

  describe('api-public-get-ttl', () => {
    it('passes the prod stack (300 s / 300 s)', async () => {
      expect(await messagesOf(apiPublicGetTtl, f.stack)).to.deep.equal([]);
    });

    it('reports both TTLs when they exceed 5 minutes', async () => {
      Object.assign(policyProps(f, 'cdn-prod-api'), { defaultTtl: 301, maxTtl: 600 });
      expect(await messagesOf(apiPublicGetTtl, f.primaryStack)).to.deep.equal([
        `cache behavior '/api/*' of ${PD} serves api content (catalog route 'api') with cache policy 'cdn-prod-api': defaultTtl 301 s, maxTtl 600 s (10m); ` +
        'public API GETs may be cached for at most 300 s (5m). Lower defaultTtl and maxTtl to 300 or less (media-cdn:contentTypes.api).',
      ]);
    });

    it('takes the bound from its config', async () => {
      policyProps(f, 'cdn-prod-api').maxTtl = 600;
      expect(await messagesOf(apiPublicGetTtl, f.primaryStack, { maxSeconds: 600 })).to.deep.equal([]);
    });
  });

  describe('personalized-routes-uncached', () => {
    it('passes the prod stack (CachingDisabled on /api/me/*, /api/user/*, /api/auth/*)', async () => {
      expect(await messagesOf(personalizedRoutesUncached, f.stack)).to.deep.equal([]);
    });

    it('reports a personalized behavior that caches', async () => {
      behavior(primary(f), '/api/me/*').cachePolicyId = policyProps(f, 'cdn-prod-api').id;
      expect(await messagesOf(personalizedRoutesUncached, f.primaryStack)).to.deep.equal([
        `paths like '/api/me/x' of the personalized route 'api-private' (pattern '/api/me/*') are served by cache behavior '/api/me/*' of ${PD}, ` +
        "using cache policy 'cdn-prod-api' with a max TTL of 300 s (5m); personalized and authenticated responses must never be cached (max TTL 0). " +
        `Use the managed CachingDisabled policy (${MANAGED_CACHE_POLICIES.CachingDisabled.id}) on it.`,
      ]);
    });

    it('reports personalized paths that fall through to the cached /api/* behavior', async () => {
      const d = primary(f);
      d.orderedCacheBehaviors = (d.orderedCacheBehaviors as Props[]).filter((b) => b.pathPattern !== '/api/user/*');
      expect(await messagesOf(personalizedRoutesUncached, f.primaryStack)).to.deep.equal([
        `paths like '/api/user/x' of the personalized route 'api-private' (pattern '/api/user/*') are served by cache behavior '/api/*' of ${PD}, ` +
        "using cache policy 'cdn-prod-api' with a max TTL of 300 s (5m); personalized and authenticated responses must never be cached (max TTL 0). " +
        `Add a behavior for '/api/user/*' before '/api/*', with the managed CachingDisabled policy (${MANAGED_CACHE_POLICIES.CachingDisabled.id}).`,
      ]);
    });
  });

  describe('min-ttl-honors-no-store', () => {
    it('passes the prod stack (minimum 0 everywhere)', async () => {
      expect(await messagesOf(minTtlHonorsNoStore, f.stack)).to.deep.equal([]);
    });

    it('reports managed CachingOptimized (minimum 1 s) on the metadata behavior', async () => {
      behavior(primary(f), '/metadata/*').cachePolicyId = MANAGED_CACHE_POLICIES.CachingOptimized.id;
      expect(await messagesOf(minTtlHonorsNoStore, f.primaryStack)).to.deep.equal([
        `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata') with managed cache policy CachingOptimized, ` +
        "whose minimum TTL is 1 s; the bound is 0 s (the catalog's minimum), because a minimum above 0 makes CloudFront cache responses " +
        'the origin marked no-store or private. Set minTtl to 0.',
      ]);
    });

    it('allows the slack its config gives', async () => {
      policyProps(f, 'cdn-prod-static').minTtl = 1;
      expect(await messagesOf(minTtlHonorsNoStore, f.primaryStack, { extraSeconds: 1 })).to.deep.equal([]);
    });
  });

  describe('every-content-type-has-behavior', () => {
    it('passes the prod distribution', async () => {
      expect(await messagesOf(everyContentTypeHasBehavior, [f.distribution])).to.deep.equal([]);
    });

    it('reports a content type whose paths fall to the default behavior', async () => {
      behavior(f.distribution.props, '/metadata/*').pathPattern = '/meta/*';
      expect(await messagesOf(everyContentTypeHasBehavior, distributionOf(f.distribution.props))).to.deep.equal([
        "paths like '/metadata/x' of content type 'metadata' (pattern '/metadata/*', route 'metadata') are served by the default cache behavior (*), " +
        "which serves 'static' content; every content type needs behaviors of its own. Add an ordered cache behavior for '/metadata/*' with the metadata settings.",
      ]);
    });

    it('reports previews served by no behavior of their own only when thumbnails are checked', async () => {
      const d = f.distribution.props;
      d.orderedCacheBehaviors = (d.orderedCacheBehaviors as Props[]).filter((b) => b.pathPattern !== '/previews/*');
      expect(await messagesOf(everyContentTypeHasBehavior, distributionOf(d), { contentTypes: ['video'] })).to.deep.equal([]);
      expect(await messagesOf(everyContentTypeHasBehavior, distributionOf(d))).to.have.length(1);
    });
  });

  describe('no-shadowed-behaviors', () => {
    it('passes the prod distribution (most specific first)', async () => {
      expect(await messagesOf(noShadowedBehaviors, [f.distribution])).to.deep.equal([]);
    });

    it('reports each pattern a general one placed first shadows', async () => {
      const d = f.distribution.props;
      const list = d.orderedCacheBehaviors as Props[];
      const general = list.find((b) => b.pathPattern === '/video/*')!;
      d.orderedCacheBehaviors = [general, ...list.filter((b) => b !== general)];
      const shadowed = ['/video/premium/*.m3u8', '/video/premium/*.mpd', '/video/premium/*', '/video/*.m3u8', '/video/*.mpd'];
      const positions = shadowed.map((p) => (d.orderedCacheBehaviors as Props[]).findIndex((b) => b.pathPattern === p) + 1);
      expect(await messagesOf(noShadowedBehaviors, distributionOf(d))).to.deep.equal(shadowed.map((p, i) =>
        `cache behavior '${p}' (position ${positions[i]}) can never be selected: '/video/*' at position 1 matches every path it matches ` +
        `and comes first (first match wins, spec §1.2). Move '${p}' before '/video/*' or remove it.`));
    });

    it('reports a repeated pattern as a duplicate', async () => {
      behavior(f.distribution.props, '/video/*.mpd').pathPattern = 'video/premium/*.mpd';
      expect(await messagesOf(noShadowedBehaviors, distributionOf(f.distribution.props))).to.deep.equal([
        "cache behavior 'video/premium/*.mpd' (position 6) can never be selected: it repeats '/video/premium/*.mpd' at position 2, " +
        'which comes first (first match wins, spec §1.2). Remove one of the two.',
      ]);
    });
  });

  describe('static-cache-key-excludes-cookies-and-authorization', () => {
    it('passes the prod stack', async () => {
      expect(await messagesOf(staticCacheKeyExcludesCookiesAndAuthorization, f.stack)).to.deep.equal([]);
    });

    it('reports Authorization in the thumbnails key, once per behavior', async () => {
      keyParams(f, 'cdn-prod-thumbnails').headersConfig = { headerBehavior: 'whitelist', headers: { items: ['authorization'] } };
      const message = (pattern: string) =>
        `cache behavior '${pattern}' of ${PD} serves thumbnails content (catalog route 'thumbnails') with cache policy 'cdn-prod-thumbnails', ` +
        "which puts 'authorization' in the cache key; thumbnails objects are the same for every viewer, so the key must not contain 'Authorization'. " +
        'Remove it from headersConfig.';
      expect(await messagesOf(staticCacheKeyExcludesCookiesAndAuthorization, f.primaryStack)).to.deep.equal([message('/thumbnails/*'), message('/previews/*')]);
    });

    it('reports cookies in the video key but not in the metadata key', async () => {
      keyParams(f, 'cdn-prod-video').cookiesConfig = { cookieBehavior: 'all' };
      keyParams(f, 'cdn-prod-metadata').cookiesConfig = { cookieBehavior: 'all' };
      const message = (pattern: string) =>
        `cache behavior '${pattern}' of ${PD} serves video content (catalog route '${pattern === '/video/*' ? 'video' : 'video-protected'}') with cache policy 'cdn-prod-video', ` +
        "which puts cookies in the cache key (cookie behavior 'all'); video objects are the same for every viewer, so the key must have no cookies. Set cookieBehavior to 'none'.";
      expect(await messagesOf(staticCacheKeyExcludesCookiesAndAuthorization, f.primaryStack)).to.deep.equal([message('/video/premium/*'), message('/video/*')]);
    });
  });

  describe('query-strings-allow-listed', () => {
    it('passes the prod stack', async () => {
      expect(await messagesOf(queryStringsAllowListed, f.stack)).to.deep.equal([]);
    });

    it("reports 'all' query strings on the API", async () => {
      keyParams(f, 'cdn-prod-api').queryStringsConfig = { queryStringBehavior: 'all' };
      expect(await messagesOf(queryStringsAllowListed, f.primaryStack)).to.deep.equal([
        `cache behavior '/api/*' of ${PD} serves api content (catalog route 'api') with cache policy 'cdn-prod-api', whose query-string behavior is 'all': ` +
        "any parameter a client adds splits the cache. Use 'whitelist' with the catalog's names ('q', 'page', 'limit', 'sort', 'genre', 'lang' and 'cursor').",
      ]);
    });

    it('reports a name outside the catalog allow-list unless the config allows it', async () => {
      keyParams(f, 'cdn-prod-metadata').queryStringsConfig = { queryStringBehavior: 'whitelist', queryStrings: { items: ['v'] } };
      expect(await messagesOf(queryStringsAllowListed, f.primaryStack)).to.deep.equal([
        `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata') with cache policy 'cdn-prod-metadata', which keys on ` +
        "query parameters 'v' that are not in the catalog allow-list of route 'metadata' (none). Remove them, or add them to the route's cacheKey.queryStrings in lib/catalog/content-types.ts.",
      ]);
      expect(await messagesOf(queryStringsAllowListed, f.primaryStack, { extraAllowed: ['v'] })).to.deep.equal([]);
    });
  });

  describe('no-all-viewer-forwarding-on-cached-behaviors', () => {
    it('passes the prod stack (AllViewerExceptHostHeader only on never-cached routes)', async () => {
      expect(await messagesOf(noAllViewerForwardingOnCachedBehaviors, f.stack)).to.deep.equal([]);
    });

    it('reports AllViewerExceptHostHeader on the cached metadata behavior', async () => {
      behavior(primary(f), '/metadata/*').originRequestPolicyId = MANAGED_ORIGIN_REQUEST_POLICIES.AllViewerExceptHostHeader.id;
      expect(await messagesOf(noAllViewerForwardingOnCachedBehaviors, f.primaryStack)).to.deep.equal([
        `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata') and is cached (max TTL 3600 s (1h)), but its managed origin ` +
        "request policy AllViewerExceptHostHeader forwards every viewer header (header behavior 'allExcept') and every cookie (cookie behavior 'all') to the origin: " +
        'responses then vary per viewer and forwarded cookies stop request collapsing (spec §5.4). Use CORS-S3Origin or CORS-CustomOrigin, or a policy listing only the headers the origin needs.',
      ]);
    });

    it('reports legacy forwarding of all headers', async () => {
      const b = behavior(primary(f), '/metadata/*');
      b.forwardedValues = { queryString: false, headers: ['*'], cookies: { forward: 'none' } };
      expect(await messagesOf(noAllViewerForwardingOnCachedBehaviors, f.primaryStack)).to.deep.equal([
        `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata') with legacy forwarded values that forward all headers ('*'), ` +
        'which disables caching; use a cache policy and an origin request policy that name only what the origin needs.',
      ]);
    });
  });

  describe('text-types-compressed', () => {
    it('passes the prod stack', async () => {
      expect(await messagesOf(textTypesCompressed, f.stack)).to.deep.equal([]);
    });

    it('reports a JSON behavior with compression off, and not a video one', async () => {
      behavior(primary(f), '/metadata/*').compress = false;
      behavior(primary(f), '/video/*.m3u8').compress = false;
      expect(await violationsOf(textTypesCompressed, f.primaryStack)).to.deep.equal([{
        urn: f.find(aws.cloudfront.Distribution, 'cdn-distribution').urn,
        message: `cache behavior '/metadata/*' of ${PD} serves metadata content (catalog route 'metadata'), a text type, but CloudFront would not compress ` +
          'its application/json responses: the cache behaviour has Compress (compress objects automatically) turned off. ' +
          "Turn on the behavior's compress flag and gzip/Brotli in its cache policy.",
      }]);
    });

    it('reports a cache policy without gzip or Brotli on the cache policy', async () => {
      Object.assign(keyParams(f, 'cdn-prod-api'), { enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false });
      expect(await violationsOf(textTypesCompressed, f.primaryStack)).to.deep.equal([{
        urn: f.find(aws.cloudfront.CachePolicy, 'cdn-prod-api').urn,
        message: `cache behavior '/api/*' of ${PD} serves api content (catalog route 'api'), a text type, but CloudFront would not compress ` +
          'its application/json responses: the cache policy enables neither gzip nor Brotli (EnableAcceptEncodingGzip/Brotli). ' +
          "Turn on the behavior's compress flag and gzip/Brotli in its cache policy.",
      }]);
    });
  });

  describe('error-caching-ttls-for-5xx', () => {
    it('passes the prod distribution (5 s for 500, 502, 503, 504)', async () => {
      expect(await messagesOf(errorCachingTtlsFor5xx, [f.distribution])).to.deep.equal([]);
    });

    const cases: [string, (e: Props[]) => Props[], string][] = [
      ['a missing 503 entry', (e) => e.filter((x) => x.errorCode !== 503),
        "503 responses have no error-caching TTL (CloudFront's default is 10 s); add a custom error response for 503 with errorCachingMinTtl between 1 and 5 s (the shortest the catalog asks for)."],
      ['502 cached for 300 s', (e) => e.map((x) => (x.errorCode === 502 ? { ...x, errorCachingMinTtl: 300 } : x)),
        '502 responses are cached for 300 s (5m); errorCachingMinTtl must be between 1 and 5 s (the shortest the catalog asks for).'],
      ['500 not cached at all (0 s)', (e) => e.map((x) => (x.errorCode === 500 ? { ...x, errorCachingMinTtl: 0 } : x)),
        '500 responses are cached for 0 s; errorCachingMinTtl must be between 1 and 5 s (the shortest the catalog asks for).'],
    ];
    for (const [what, edit, message] of cases) {
      it(`reports ${what}`, async () => {
        const d = f.distribution.props;
        d.customErrorResponses = edit(d.customErrorResponses as Props[]);
        expect(await messagesOf(errorCachingTtlsFor5xx, distributionOf(d))).to.deep.equal([message]);
      });
    }
  });

  describe('origin-shield-on-video-origin', () => {
    it('passes the prod distribution', async () => {
      expect(await messagesOf(originShieldOnVideoOrigin, [f.distribution])).to.deep.equal([]);
    });

    it('reports the video replica without Origin Shield, not the images origin', async () => {
      const origins = f.distribution.props.origins as Props[];
      delete origins.find((o) => o.originId === 'video-secondary')!.originShield;
      origins.find((o) => o.originId === 'images-primary')!.originShield = { enabled: false };
      expect(await messagesOf(originShieldOnVideoOrigin, distributionOf(f.distribution.props))).to.deep.equal([
        "origin 'video-secondary' serves video (cache behavior '/video/premium/*.m3u8') without Origin Shield (no originShield); " +
        'set originShield { enabled: true, originShieldRegion } to the Region closest to the origin.',
      ]);
    });
  });

  describe('custom-cache-policies-within-quota', () => {
    it('passes the prod stack (6 custom policies)', async () => {
      expect(await messagesOf(customCachePoliciesWithinQuota, f.stack)).to.deep.equal([]);
    });

    it('reports a stack over its configured maximum', async () => {
      expect(await violationsOf(customCachePoliciesWithinQuota, f.stack, { max: 5 })).to.deep.equal([{
        urn: '',
        message: 'the stack defines 6 custom cache policies; the account quota is 5 (spec §15.1). Merge policies with identical settings or use managed ones.',
      }]);
    });
  });

  describe('monitoring-subscription-enabled', () => {
    it('passes the prod stack (both distributions subscribed)', async () => {
      expect(await messagesOf(monitoringSubscriptionEnabled, f.stack)).to.deep.equal([]);
    });

    it('reports a distribution without a subscription, unless it is a staging one that is exempt', async () => {
      const stack = f.stack.filter((r) => r.name !== 'cdn-staging-metrics');
      expect(await messagesOf(monitoringSubscriptionEnabled, stack)).to.deep.equal([
        "staging distribution 'cdn-staging' has no monitoring subscription, so CacheHitRate and OriginLatency are not published; add an aws.cloudfront.MonitoringSubscription with status 'Enabled'.",
      ]);
      expect(await messagesOf(monitoringSubscriptionEnabled, stack, { includeStaging: false })).to.deep.equal([]);
    });
  });

  describe('behaviors-use-known-cache-policies', () => {
    it('passes the prod stack', async () => {
      expect(await messagesOf(behaviorsUseKnownCachePolicies, f.stack)).to.deep.equal([]);
    });

    it('reports legacy settings and a policy defined elsewhere', async () => {
      const d = primary(f);
      const api = behavior(d, '/api/*');
      delete api.cachePolicyId;
      api.forwardedValues = { queryString: false, cookies: { forward: 'none' } };
      behavior(d, '/metadata/*').cachePolicyId = 'a5b9d7c4-0000-4000-8000-000000000000';
      expect(await messagesOf(behaviorsUseKnownCachePolicies, f.primaryStack)).to.deep.equal([
        `cache behavior '/metadata/*' of ${PD} uses cache policy 'a5b9d7c4-0000-4000-8000-000000000000', which is neither AWS-managed nor defined in this program, so its TTLs and key cannot be checked; define it here or use a managed one.`,
        `cache behavior '/api/*' of ${PD} uses legacy cache settings (forwardedValues, per-behavior TTLs) instead of a cache policy; set a cachePolicyId.`,
      ]);
      expect(await messagesOf(behaviorsUseKnownCachePolicies, f.primaryStack, { allowedExternalPolicyIds: ['a5b9d7c4-0000-4000-8000-000000000000'] })).to.have.length(1);
    });
  });

  describe('cache-policy-key-valid', () => {
    it('passes every cache policy of the prod stack', async () => {
      expect(await messagesOf(cachePolicyKeyValid, f.all(aws.cloudfront.CachePolicy))).to.deep.equal([]);
    });

    it('reports Accept-Encoding and Cookie as key headers', async () => {
      const p = policyProps(f, 'cdn-prod-metadata');
      p.parametersInCacheKeyAndForwardedToOrigin.headersConfig = { headerBehavior: 'whitelist', headers: { items: ['Accept-Encoding', 'Cookie'] } };
      expect(await messagesOf(cachePolicyKeyValid, [resourceOf(aws.cloudfront.CachePolicy, 'cdn-prod-metadata', p)])).to.deep.equal([
        "cache policy 'cdn-prod-metadata': header 'Accept-Encoding' as a cache-key header disables CloudFront compression; remove it and set enableAcceptEncodingGzip/enableAcceptEncodingBrotli instead.",
        "cache policy 'cdn-prod-metadata': header 'Cookie' cannot be part of a cache key; use the cookies setting instead.",
      ]);
    });
  });

  describe('cache-tag-config-set', () => {
    it('passes the prod stack (x-amz-meta-cache-tags on both distributions)', async () => {
      expect(await messagesOf(cacheTagConfigSet, f.stack)).to.deep.equal([]);
      expect(await messagesOf(cacheTagConfigSet, f.primaryStack, { headerName: 'X-Amz-Meta-Cache-Tags' })).to.deep.equal([]);
    });

    const cases: [string, (d: Props) => void, object, string][] = [
      ['no cacheTagConfig', (d) => { delete d.cacheTagConfig; }, {},
        "distribution 'cdn-distribution' has no cacheTagConfig, but the catalog declares cache tags for 'video', 'thumbnails' and 'metadata' (lib/catalog/content-types.ts, tagRules): " +
        "CloudFront would ignore the origins' tags and reject '#tag' invalidations. Set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags'."],
      ['an empty header name', (d) => { d.cacheTagConfig = { headerName: '' }; }, {},
        "distribution 'cdn-distribution' has no cacheTagConfig, but the catalog declares cache tags for 'video', 'thumbnails' and 'metadata' (lib/catalog/content-types.ts, tagRules): " +
        "CloudFront would ignore the origins' tags and reject '#tag' invalidations. Set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags'."],
      ['a header S3 cannot send', (d) => { d.cacheTagConfig = { headerName: 'surrogate-key' }; }, {},
        "distribution 'cdn-distribution' reads cache tags from 'surrogate-key', which the S3 origins cannot send (they return user metadata as x-amz-meta-<key>); set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags'."],
      ['another header than the configured one', (d) => { d.cacheTagConfig = { headerName: 'x-amz-meta-tags' }; }, { headerName: 'x-amz-meta-cache-tags' },
        "distribution 'cdn-distribution' reads cache tags from 'x-amz-meta-tags', but the origins send them in 'x-amz-meta-cache-tags' (policy config headerName); set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags'."],
    ];
    for (const [name, change, config, message] of cases) {
      it(`reports ${name}, with the catalog's tagged types and the fix`, async () => {
        const d = primary(f);
        change(d);
        expect(await messagesOf(cacheTagConfigSet, distributionOf(d), config)).to.deep.equal([message]);
      });
    }
  });
});

describe('caching rules: stale-windows-within-update-interval', function () {
  this.timeout(60_000);
  it('passes the catalog’s own windows and a stack override within the bound', async () => {
    const f = await prodFixture();
    expect(await messagesOf(staleWindowsWithinUpdateInterval, f.stack)).to.deep.equal([]);
    const within = declaredStaleWindows({ metadata: { staleWhileRevalidate: 900, staleIfError: 60 } });
    expect(within).to.include('metadata:staleWhileRevalidate=900,staleIfError=60');
    expect(await messagesOf(staleWindowsWithinUpdateInterval, f.stack, { staleWindows: within })).to.deep.equal([]);
  });

  it('reports a window beyond the update interval and one on a never-cached route, naming the fix', async () => {
    const f = await prodFixture();
    const windows = declaredStaleWindows({ metadata: { staleIfError: 86400 }, 'api-private': { staleWhileRevalidate: 30 } });
    expect(await messagesOf(staleWindowsWithinUpdateInterval, f.stack, { staleWindows: windows })).to.deep.equal([
      'media-cdn:contentTypes.metadata.staleIfError is 86400 s, more than the content type\'s update interval (900 s), which bounds every stale window; set it to at most 900. (lib/catalog/content-types.ts, maxStaleSeconds)',
      "media-cdn:contentTypes.api-private.staleWhileRevalidate: route 'api-private' is never cached (managed CachingDisabled), so it has no stale copies; set staleWhileRevalidate to 0 or remove it. (lib/catalog/content-types.ts, maxStaleSeconds)",
    ]);
  });
});
