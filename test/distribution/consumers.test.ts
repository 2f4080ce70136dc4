import { expect } from 'chai';
import { CLOUDFRONT_TYPES } from '../../lib/distribution';
import type { Plan, PlanResource } from '../../lib/plan';
import { behaviorRows } from '../../lib/plan-summary';
import { MANAGED_CACHE_POLICIES } from '../../lib/semantics/managed-policies';
import { resolveCachePolicy } from '../../policies/lib/cache-policies';
import { planResources, stackArgs } from '../../policies/offline';
import type { BehaviorShape, DistributionShape } from '../../policies/lib/shapes';
import { simModelFromPlan } from '../../simulator/plan-model';

function resource(type: string, name: string, id: string, inputs: Record<string, unknown>): PlanResource {
  return { urn: `urn:pulumi:test::media-cdn::${type}::${name}`, type, name, parent: '', custom: true, inputs, id };
}

/** A plan whose readers used to disagree: omitted TTLs above a day, and legacy settings with compression. */
const PLAN: Plan = {
  formatVersion: 1, project: 'media-cdn', stack: 'test', config: { 'aws:region': 'us-east-1' }, outputs: {},
  resources: [
    resource(CLOUDFRONT_TYPES.cachePolicy, 'long-min', 'cp-long', { name: 'long-min', minTtl: 172_800 }),
    resource(CLOUDFRONT_TYPES.distribution, 'cdn', 'E1TEST', {
      origins: [{ originId: 'static', domainName: 'static-bucket.s3.us-east-1.amazonaws.com' }],
      orderedCacheBehaviors: [
        { pathPattern: '/legacy/*', targetOriginId: 'static', compress: true, forwardedValues: { queryString: true, queryStringCacheKeys: ['v'], cookies: { forward: 'none' } }, minTtl: 0 },
        { pathPattern: '/managed/*', targetOriginId: 'static', cachePolicyId: MANAGED_CACHE_POLICIES.CachingOptimized.id },
      ],
      defaultCacheBehavior: { targetOriginId: 'static', cachePolicyId: 'cp-long' },
    }),
  ],
};

describe('lib/distribution consumers give one answer for the same plan', () => {
  // [pattern, TTL triple, gzip in key, Brotli in key, summary TTL, summary policy label]
  const expected: [string, number[], boolean, boolean, string, string][] = [
    ['/legacy/*', [0, 86_400, 31_536_000], true, false, '0/1d/365d', 'legacy ForwardedValues'],
    ['/managed/*', [1, 86_400, 31_536_000], true, true, '1s/1d/365d', 'managed CachingOptimized'],
    ['*', [172_800, 172_800, 31_536_000], false, false, '2d/2d/365d', 'long-min'],
  ];

  it('the simulator', () => {
    const m = simModelFromPlan(PLAN);
    expect([...m.behaviors, m.defaultBehavior].map((b) => [b.pathPattern, [b.ttl.minTtl, b.ttl.defaultTtl, b.ttl.maxTtl], b.key.enableAcceptEncodingGzip, b.key.enableAcceptEncodingBrotli]))
      .to.deep.equal(expected.map(([p, t, g, br]) => [p, t, g, br]));
    expect(m.behaviors[0]!.key.queryStrings).to.deep.equal({ behavior: 'whitelist', names: ['v'] });
  });

  it('the policies (resources as CrossGuard gives them)', () => {
    const resources = stackArgs(planResources(PLAN).forStack).resources;
    const d = resources.find((r) => r.type === CLOUDFRONT_TYPES.distribution)!.props as DistributionShape;
    const behaviors: BehaviorShape[] = [...d.orderedCacheBehaviors!, d.defaultCacheBehavior!];
    expect(behaviors.map((b) => {
      const p = resolveCachePolicy(b, resources)!;
      return [b.pathPattern ?? '*', [p.ttl.minTtl, p.ttl.defaultTtl, p.ttl.maxTtl], p.key.enableAcceptEncodingGzip, p.key.enableAcceptEncodingBrotli];
    })).to.deep.equal(expected.map(([p, t, g, br]) => [p, t, g, br]));
    expect(resolveCachePolicy({ cachePolicyId: 'not-in-the-stack' }, resources)).to.equal(undefined);
  });

  it('the plan summary', () => {
    expect(behaviorRows(PLAN).map((r) => [r.pathPattern, r.ttl, r.cachePolicy])).to.deep.equal(
      expected.map(([p, , , , ttl, label]) => [p === '*' ? '* (default)' : p, ttl, label]));
  });
});
