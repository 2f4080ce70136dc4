import { expect } from 'chai';
import {
  buildCustomErrorResponses, buildDefaultBehavior, buildDistributionSettings, buildOrderedBehaviors,
  buildResponseHeadersPolicyArgs, cachePolicyKey, logBucketPolicy, managedPolicyFor, originBucketPolicy,
  planCachePolicies, toCacheKeyPolicy, failoverStatusCodes, behaviorTargetId, secondaryOriginShield, shieldRegionNear, type BehaviorRefs,
} from '../../lib/builders';
import { resolveCatalog } from '../../lib/catalog';
import { readStackConfig, validateStackFileConfig } from '../../plan/stack-files';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES } from '../../lib/semantics/managed-policies';
import { CLOUDFRONT_LIMITS } from '../../lib/semantics/limits';

const prod = validateStackFileConfig('prod', readStackConfig('prod'));
const staging = validateStackFileConfig('staging', readStackConfig('staging'));
const catalog = resolveCatalog();
const refs: BehaviorRefs<string> = {
  cachePolicyId: (key) => `cp(${key.startsWith('managed:') ? key : 'custom'})`,
  responseHeadersPolicyId: 'rhp',
  trustedKeyGroupId: 'kg',
  normalizeFunctionArn: 'fn',
  imageFunctionArn: 'image-fn',
};

describe('cache policy builder', () => {
  const plans = planCachePolicies(catalog, 'cdn-prod');

  it('shares one custom policy between routes with identical settings', () => {
    const custom = plans.filter((p) => p.kind === 'custom').map((p) => [p.kind === 'custom' ? p.args.name : '', [...p.routeIds].sort()]);
    expect(custom).to.deep.equal([
      ['cdn-prod-video-manifests', ['video-manifests', 'video-protected-manifests']],
      ['cdn-prod-video', ['video', 'video-protected']],
      ['cdn-prod-thumbnails', ['thumbnails']],
      ['cdn-prod-metadata', ['metadata']],
      ['cdn-prod-static', ['static']],
      ['cdn-prod-api', ['api']],
    ]);
  });

  it('uses the managed CachingDisabled policy for personalized routes', () => {
    const managed = plans.filter((p) => p.kind === 'managed');
    expect(managed.map((p) => [p.kind === 'managed' ? p.id : '', p.routeIds])).to.deep.equal([[MANAGED_CACHE_POLICIES.CachingDisabled.id, ['api-private']]]);
  });

  it('stays well under the account quota of custom cache policies, even for two stacks', () => {
    expect(2 * plans.filter((p) => p.kind === 'custom').length).to.be.at.most(CLOUDFRONT_LIMITS.customCachePoliciesPerAccount);
  });

  it('writes TTLs and the allow-listed key into the custom policy', () => {
    const thumbs = plans.find((p) => p.routeIds.includes('thumbnails'));
    expect(thumbs?.kind).to.equal('custom');
    if (thumbs?.kind !== 'custom') return;
    expect(thumbs.args).to.deep.include({ minTtl: 0, defaultTtl: 7200, maxTtl: 28800 });
    expect(thumbs.args.parametersInCacheKeyAndForwardedToOrigin).to.deep.equal({
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
      headersConfig: { headerBehavior: 'none' },
      cookiesConfig: { cookieBehavior: 'none' },
      queryStringsConfig: { queryStringBehavior: 'whitelist', queryStrings: { items: ['width', 'height', 'quality', 'format'] } },
    });
  });

  it('picks a managed policy only when TTLs and key match exactly', () => {
    const optimized = MANAGED_CACHE_POLICIES.CachingOptimized;
    const route = { ...catalog.route('static'), ttl: { minTtl: optimized.minTtl, defaultTtl: optimized.defaultTtl, maxTtl: optimized.maxTtl } };
    expect(managedPolicyFor(route)?.name).to.equal('CachingOptimized');
    expect(managedPolicyFor(catalog.route('static'))).to.equal(undefined);
    expect(cachePolicyKey(route)).to.equal('managed:CachingOptimized');
  });

  it('translates a catalog key into the semantics module cache key policy', () => {
    expect(toCacheKeyPolicy(catalog.route('api').cacheKey)).to.deep.equal({
      headers: [], cookies: { behavior: 'none' },
      queryStrings: { behavior: 'whitelist', names: ['q', 'page', 'limit', 'sort', 'genre', 'lang', 'cursor'] },
      enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: true,
    });
  });
});

describe('behavior builder', () => {
  const ordered = buildOrderedBehaviors(catalog, refs);

  it('makes one ordered behavior per catalog pattern, in the catalog order', () => {
    expect(ordered.map((b) => b.pathPattern)).to.deep.equal(catalog.behaviors.map((b) => b.pathPattern));
  });

  it('targets origin groups for S3 origins and the origin for custom ones', () => {
    const targets = Object.fromEntries(ordered.map((b) => [b.pathPattern, b.targetOriginId]));
    expect(targets['/video/*']).to.equal('video-group');
    expect(targets['/thumbnails/*']).to.equal('images-group');
    expect(targets['/metadata/*']).to.equal('metadata');
    expect(targets['/api/*']).to.equal('api');
    expect(behaviorTargetId({ origin: 'static', allowedMethods: 'GET_HEAD' })).to.equal('static-group');
    // a custom origin with a group: its GET/HEAD/OPTIONS behaviors target the group, a behavior that proxies writes the origin
    const grouped = new Set(['api'] as const);
    expect(behaviorTargetId({ origin: 'api', allowedMethods: 'GET_HEAD_OPTIONS' }, grouped)).to.equal('api-group');
    expect(behaviorTargetId({ origin: 'api', allowedMethods: 'ALL' }, grouped)).to.equal('api');
    expect(behaviorTargetId({ origin: 'metadata', allowedMethods: 'GET_HEAD_OPTIONS' }, grouped)).to.equal('metadata');
  });

  it('redirects HTTP to HTTPS everywhere and caches GET/HEAD only', () => {
    for (const b of ordered) {
      expect(b.viewerProtocolPolicy).to.equal('redirect-to-https');
      expect(b.cachedMethods).to.deep.equal(['GET', 'HEAD']);
    }
  });

  it('requires the trusted key group on premium video only', () => {
    const signed = ordered.filter((b) => b.trustedKeyGroups).map((b) => b.pathPattern);
    expect(signed).to.deep.equal(['/video/premium/*.m3u8', '/video/premium/*.mpd', '/video/premium/*']);
  });

  it('attaches the normalization function to static and thumbnails behaviors', () => {
    const withFn = ordered.filter((b) => b.functionAssociations).map((b) => b.pathPattern).sort();
    expect(withFn).to.deep.equal(['/fonts/*', '/previews/*', '/static/*', '/thumbnails/*']);
    expect(buildDefaultBehavior(catalog, refs).functionAssociations).to.deep.equal([{ eventType: 'viewer-request', functionArn: 'fn' }]);
  });

  it('forwards everything but Host to personalized API routes and nothing extra elsewhere', () => {
    const orp = Object.fromEntries(ordered.map((b) => [b.pathPattern, b.originRequestPolicyId]));
    expect(orp['/api/me/*']).to.equal(MANAGED_ORIGIN_REQUEST_POLICIES.AllViewerExceptHostHeader.id);
    expect(orp['/api/*']).to.equal(MANAGED_ORIGIN_REQUEST_POLICIES['CORS-CustomOrigin'].id);
    expect(orp['/video/*']).to.equal(MANAGED_ORIGIN_REQUEST_POLICIES['CORS-S3Origin'].id);
  });

  it('allows every method on personalized API routes only', () => {
    for (const b of ordered) {
      const all = b.allowedMethods.includes('POST');
      expect(all, b.pathPattern).to.equal(['/api/me/*', '/api/user/*', '/api/auth/*'].includes(b.pathPattern));
    }
  });

  it('uses the smallest error-caching TTL any type asks for, per status code', () => {
    expect(buildCustomErrorResponses(catalog)).to.deep.equal([
      { errorCode: 403, errorCachingMinTtl: 30 },
      { errorCode: 404, errorCachingMinTtl: 10 },
      { errorCode: 500, errorCachingMinTtl: 5 },
      { errorCode: 502, errorCachingMinTtl: 5 },
      { errorCode: 503, errorCachingMinTtl: 5 },
      { errorCode: 504, errorCachingMinTtl: 5 },
    ]);
  });

  it('fails the images origin over on missing variants as well as on 5xx', () => {
    expect(failoverStatusCodes('images')).to.deep.equal([403, 404, 500, 502, 503, 504]);
    expect(failoverStatusCodes('video')).to.deep.equal([500, 502, 503, 504]);
  });

  it('puts the secondaries\' Origin Shield near the failover Region (AWS\'s mapping where it has no shield)', () => {
    const cases: [string, string | undefined][] = [['us-west-2', 'us-west-2'], ['eu-west-1', 'eu-west-1'], ['us-west-1', 'us-west-2'], ['af-south-1', 'eu-west-1'], ['me-south-1', 'ap-south-1'], ['ca-central-1', undefined]];
    for (const [region, shield] of cases) expect(shieldRegionNear(region), region).to.equal(shield);
    const config = validateStackFileConfig('prod', readStackConfig('prod'));
    expect(secondaryOriginShield({ ...config, failoverRegion: 'us-west-1' })).to.deep.equal({ enabled: true, originShieldRegion: 'us-west-2' });
    // No shield Region known near it: the configured one.
    expect(secondaryOriginShield({ ...config, failoverRegion: 'ca-central-1' })).to.deep.equal({ enabled: true, originShieldRegion: config.originShieldRegion });
  });
});

describe('distribution settings builder', () => {
  it('serves prod with the certificate created for its domain over SNI and TLSv1.2_2021', () => {
    const created = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000001';
    expect(buildDistributionSettings(prod, created).viewerCertificate).to.deep.equal({
      acmCertificateArn: created, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021',
    });
    const existing = 'arn:aws:acm:us-east-1:123456789012:certificate/8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
    expect(buildDistributionSettings({ ...prod, acmCertificateArn: existing }).viewerCertificate).to.deep.include({ acmCertificateArn: existing });
  });

  it('lets staging use the default certificate', () => {
    expect(buildDistributionSettings(staging).viewerCertificate).to.deep.equal({ cloudfrontDefaultCertificate: true });
  });

  it('sets geo restriction, price class, IPv6, HTTP version and the default root object from config', () => {
    const s = buildDistributionSettings(prod);
    expect(s.restrictions).to.deep.equal({ geoRestriction: { restrictionType: 'blacklist', locations: ['CU', 'IR', 'KP', 'SY'] } });
    expect(s).to.deep.include({ priceClass: 'PriceClass_All', isIpv6Enabled: true, httpVersion: 'http2', defaultRootObject: 'index.html' });
    expect(s.aliases).to.deep.equal(['cdn.example-stream.com', 'media.example-stream.com']);
  });

  it('builds security headers with a two-year HSTS and CORS for the configured players', () => {
    const h = buildResponseHeadersPolicyArgs(prod, 'hdr');
    expect(h.securityHeadersConfig.strictTransportSecurity).to.deep.equal({ accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true });
    expect(h.corsConfig.accessControlAllowOrigins.items).to.deep.equal(['https://www.example-stream.com', 'https://tv.example-stream.com']);
    expect(h.customHeadersConfig.items).to.deep.equal([{ header: 'Timing-Allow-Origin', value: 'https://www.example-stream.com, https://tv.example-stream.com', override: true }]);
  });

  it('sends no X-XSS-Protection (deprecated) and removes the cache-tag header from viewer responses', () => {
    const h = buildResponseHeadersPolicyArgs(prod, 'hdr');
    expect(h.securityHeadersConfig).to.not.have.property('xssProtection');
    expect(h.removeHeadersConfig).to.deep.equal({ items: [{ header: 'x-amz-meta-cache-tags' }] });
    expect(buildResponseHeadersPolicyArgs({ ...prod, cacheTagHeader: '' }, 'hdr')).to.not.have.property('removeHeadersConfig');
  });
});

describe('bucket policy builder', () => {
  it('lets only the listed distributions read an origin bucket, over TLS', () => {
    const p = originBucketPolicy('arn:aws:s3:::b', ['arn:d2', 'arn:d1']);
    expect(p.Statement[0]).to.deep.equal({
      Sid: 'AllowCloudFrontOriginAccessControl', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'AWS:SourceArn': ['arn:d1', 'arn:d2'] } },
    });
    expect(p.Statement[1]).to.deep.include({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('refuses to build an origin policy with no distribution', () => {
    expect(() => originBucketPolicy('arn:aws:s3:::b', [])).to.throw(/at least one distribution ARN/);
  });

  it('lets log delivery write under the account prefix only (plain and Hive-compatible)', () => {
    expect(logBucketPolicy('arn:aws:s3:::logs', '111122223333').Statement[0]).to.deep.include({
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Resource: ['arn:aws:s3:::logs/AWSLogs/111122223333/CloudFront/*', 'arn:aws:s3:::logs/AWSLogs/aws-account-id=111122223333/CloudFront/*'],
    });
  });
});
