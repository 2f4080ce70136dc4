import { expect } from 'chai';
import {
  CLOUDFRONT_LIMITS,
  computeCacheKey,
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  managedCachePolicyById,
  managedOriginRequestPolicyById,
  resolveTtl,
  validateCacheKeyPolicy,
  validatePathPattern,
  validateTtlTriple,
  type ManagedCachePolicyName,
} from '../../lib/semantics';

describe('semantics/managed-policies (spec §5.6, §5.7) and limits (spec §15.1)', () => {
  const expected: [ManagedCachePolicyName, string, number, number, number][] = [
    ['CachingOptimized', '658327ea-f89d-4fab-a63d-7e88639e58f6', 1, 86_400, 31_536_000],
    ['CachingOptimizedForUncompressedObjects', 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d', 1, 86_400, 31_536_000],
    ['CachingDisabled', '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', 0, 0, 0],
    ['Elemental-MediaPackage', '08627262-05a9-4f76-9ded-b50ca2e3a84f', 0, 86_400, 31_536_000],
    ['UseOriginCacheControlHeaders', '83da9c7e-98b4-4e11-a168-04f0df8e2c65', 0, 0, 31_536_000],
    ['UseOriginCacheControlHeaders-QueryStrings', '4cc15a8a-d715-48a4-82b8-cc0b614638fe', 0, 0, 31_536_000],
    ['Amplify', '2e54312d-136d-493c-8eb9-b001f22f67d2', 2, 2, 600],
  ];
  for (const [name, id, min, def, max] of expected) {
    it(`${name} has ID ${id} and TTLs ${min}/${def}/${max}, a valid triple and a valid key`, () => {
      const p = MANAGED_CACHE_POLICIES[name];
      expect([p.id, p.name, p.minTtl, p.defaultTtl, p.maxTtl]).to.deep.equal([id, name, min, def, max]);
      expect(managedCachePolicyById(id)).to.equal(p);
      expect(validateTtlTriple(p, name)).to.deep.equal([]);
      expect(validateCacheKeyPolicy(p.key, name)).to.deep.equal([]);
    });
  }

  it('looks up IDs case-insensitively and returns undefined for custom IDs', () => {
    expect(managedCachePolicyById('4135EA2D-6DF8-44A3-9DF3-4B5A84BE39AD')?.name).to.equal('CachingDisabled');
    expect(managedCachePolicyById('00000000-0000-0000-0000-000000000000')).to.equal(undefined);
  });

  it('Elemental-MediaPackage keys on Origin and aws.manifestfilter,start,end,m with gzip only', () => {
    const k = MANAGED_CACHE_POLICIES['Elemental-MediaPackage'].key;
    expect([k.headers, k.queryStrings.names, k.enableAcceptEncodingGzip, k.enableAcceptEncodingBrotli]).to.deep.equal([
      ['Origin'],
      ['aws.manifestfilter', 'start', 'end', 'm'],
      true,
      false,
    ]);
    const key = (q: string) => computeCacheKey('d.cloudfront.net', k, { method: 'GET', path: '/out/v1/index.m3u8', query: q });
    expect(key('start=1&token=a')).to.equal(key('start=1&token=b'));
  });

  it('CachingOptimized caches private for 1 s and header-less responses for 24 h (spec §2.2)', () => {
    const p = MANAGED_CACHE_POLICIES.CachingOptimized;
    expect(resolveTtl(p, { cacheControl: 'private' }, 0).ttl).to.equal(1);
    expect(resolveTtl(p, {}, 0).ttl).to.equal(86_400);
  });

  it('names the managed origin request policies with their IDs', () => {
    expect(MANAGED_ORIGIN_REQUEST_POLICIES.AllViewer.id).to.equal('216adef6-5c7f-47e4-b989-5492eafa07d3');
    expect(MANAGED_ORIGIN_REQUEST_POLICIES['CORS-S3Origin'].id).to.equal('88a5eaf4-2fd4-4709-b370-b4c650ea3fcf');
    expect(managedOriginRequestPolicyById('b689b0a8-53d0-40ab-baf2-68738e2966ac')?.name).to.equal('AllViewerExceptHostHeader');
    expect(Object.keys(MANAGED_ORIGIN_REQUEST_POLICIES)).to.have.length(8);
  });

  it('marks the managed ORPs that drop S3 response-override parameters', () => {
    const dropping = Object.values(MANAGED_ORIGIN_REQUEST_POLICIES).filter((p) => p.s3DropsResponseOverrideParams).map((p) => p.name);
    expect(dropping).to.deep.equal(['AllViewer', 'AllViewerExceptHostHeader', 'AllViewerAndCloudFrontHeaders-2022-06', 'Elemental-MediaTailor-PersonalizedManifests']);
  });

  it('exposes the current quota table values', () => {
    const l = CLOUDFRONT_LIMITS;
    expect([l.maxCacheBehaviors, l.maxOrigins, l.maxOriginGroups, l.customCachePoliciesPerAccount, l.customOriginRequestPolicies, l.responseHeadersPolicies, l.maxPathPatternLength]).to.deep.equal([75, 100, 10, 20, 20, 20, 255]);
    expect(l.maxCacheableBytes).to.equal(50 * 2 ** 30);
    expect([l.keysPerKeyGroup, l.keyGroupsPerBehavior, l.keyGroupsPerAccount]).to.deep.equal([5, 4, 10]);
    expect(l.functionMaxBytes).to.equal(10_240);
  });

  it('path-pattern validation uses the 255-character quota', () => {
    expect(validatePathPattern('a'.repeat(CLOUDFRONT_LIMITS.maxPathPatternLength))).to.deep.equal([]);
    expect(validatePathPattern('a'.repeat(CLOUDFRONT_LIMITS.maxPathPatternLength + 1))).to.have.length(1);
  });
});
