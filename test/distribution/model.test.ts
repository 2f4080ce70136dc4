import { expect } from 'chai';
import {
  buildDistributionModel, CLOUDFRONT_TYPES, distributionModelFromPlan, managedCachePolicy, resourcesOfPlan, resourcesOfStack,
  type ModelCachePolicy, type ModelResource,
} from '../../lib/distribution';
import { InputError } from '../../lib/errors';
import type { Plan } from '../../lib/plan';
import { AMPLIFY_HOSTING_CACHE_POLICIES, MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES } from '../../lib/semantics/managed-policies';
import { validateTtlTriple } from '../../lib/semantics/ttl';

type Props = Record<string, unknown>;

const ORIGIN = { originId: 'static', domainName: 'static-bucket.s3.us-east-1.amazonaws.com', originAccessControlId: 'oac' };

function distribution(defaultBehavior: Props, extra: Props = {}): ModelResource {
  return {
    type: CLOUDFRONT_TYPES.distribution, urn: 'urn:dist', name: 'cdn', id: 'E1TEST',
    props: { origins: [ORIGIN], defaultCacheBehavior: { targetOriginId: 'static', ...defaultBehavior }, ...extra },
  };
}

function cachePolicyResource(id: string, props: Props): ModelResource {
  return { type: CLOUDFRONT_TYPES.cachePolicy, urn: `urn:cp:${id}`, name: `cp-${id}`, id, props };
}

/** The default behavior's cache policy of a one-behavior distribution. */
function policyOf(behavior: Props, resources: ModelResource[] = []): ModelCachePolicy {
  const d = distribution(behavior);
  return buildDistributionModel([...resources, d], d).defaultBehavior.cachePolicy;
}

const ttl = (p: ModelCachePolicy) => [p.minTtl, p.defaultTtl, p.maxTtl];
const NO_KEY = { headers: [], cookies: { behavior: 'none' }, queryStrings: { behavior: 'none' }, enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false };

describe('lib/distribution: one model of a planned distribution', () => {
  describe('omitted TTLs get CloudFront\'s defaults (spec §2.1), in cache policies and legacy settings alike', () => {
    const cases: [string, Props, number[]][] = [
      ['all omitted', {}, [0, 86_400, 31_536_000]],
      ['only MinTTL 0', { minTtl: 0 }, [0, 86_400, 31_536_000]],
      ['MinTTL above a day: DefaultTTL follows it', { minTtl: 172_800 }, [172_800, 172_800, 31_536_000]],
      ['MinTTL above a year: both follow it', { minTtl: 40_000_000 }, [40_000_000, 40_000_000, 40_000_000]],
      ['DefaultTTL above a year: MaxTTL follows it', { minTtl: 0, defaultTtl: 40_000_000 }, [0, 40_000_000, 40_000_000]],
      ['only DefaultTTL', { defaultTtl: 600 }, [0, 600, 31_536_000]],
      ['only MaxTTL', { minTtl: 0, maxTtl: 3_600 }, [0, 86_400, 3_600]],
      ['all given', { minTtl: 1, defaultTtl: 300, maxTtl: 900 }, [1, 300, 900]],
      ['numeric strings', { minTtl: '0', defaultTtl: '300', maxTtl: '900' }, [0, 300, 900]],
    ];
    for (const [name, ttls, expected] of cases) {
      it(`custom cache policy, ${name} → ${expected.join('/')}`, () => {
        const p = policyOf({ cachePolicyId: 'cp1' }, [cachePolicyResource('cp1', { name: 'mine', ...ttls })]);
        expect([p.kind, p.name, p.urn, ...ttl(p)]).to.deep.equal(['custom', 'mine', 'urn:cp:cp1', ...expected]);
      });
      it(`legacy behavior TTLs, ${name} → ${expected.join('/')}`, () => {
        const p = policyOf({ forwardedValues: { queryString: false, cookies: { forward: 'none' } }, ...ttls });
        expect([p.kind, p.name, ...ttl(p)]).to.deep.equal(['legacy', 'legacy ForwardedValues', ...expected]);
      });
    }

    it('a MinTTL of two days resolves to a triple our own validator accepts', () => {
      const p = policyOf({ cachePolicyId: 'cp1' }, [cachePolicyResource('cp1', { minTtl: 172_800 })]);
      expect(validateTtlTriple(p, 'cp1')).to.deep.equal([]);
    });

    it('MaxTTL 0 means nothing is cached', () => {
      const p = policyOf({ cachePolicyId: 'cp1' }, [cachePolicyResource('cp1', { minTtl: 0, defaultTtl: 0, maxTtl: 0 })]);
      expect(p.cachingDisabled).to.equal(true);
      expect(policyOf({ cachePolicyId: 'cp1' }, [cachePolicyResource('cp1', { minTtl: 0, maxTtl: 1 })]).cachingDisabled).to.equal(false);
    });
  });

  describe('legacy cache keys: everything forwarded is keyed, gzip when the behavior compresses, never Brotli (spec §5.5)', () => {
    const cases: [string, Props, Partial<Record<keyof typeof NO_KEY, unknown>>, boolean][] = [
      ['nothing forwarded, no compression', { forwardedValues: { queryString: false, cookies: { forward: 'none' } } }, {}, false],
      ['compression on: gzip in the key, not Brotli', { compress: true, forwardedValues: { queryString: false, cookies: { forward: 'none' } } }, { enableAcceptEncodingGzip: true }, false],
      ['no forwardedValues at all', {}, {}, false],
      ['all query strings', { forwardedValues: { queryString: true } }, { queryStrings: { behavior: 'all' } }, false],
      ['query strings with cache keys', { forwardedValues: { queryString: true, queryStringCacheKeys: ['w', 'h'] } }, { queryStrings: { behavior: 'whitelist', names: ['w', 'h'] } }, false],
      ['cache keys ignored without queryString', { forwardedValues: { queryString: false, queryStringCacheKeys: ['w'] } }, {}, false],
      ['whitelisted cookies', { forwardedValues: { cookies: { forward: 'whitelist', whitelistedNames: ['session'] } } }, { cookies: { behavior: 'whitelist', names: ['session'] } }, false],
      ['all cookies', { forwardedValues: { cookies: { forward: 'all' } } }, { cookies: { behavior: 'all' } }, false],
      ['named headers', { forwardedValues: { headers: ['Origin', 'Accept-Language'] } }, { headers: ['Origin', 'Accept-Language'] }, false],
      ['all headers: kept as "*", nothing cached', { compress: true, forwardedValues: { headers: ['*'] } }, { headers: ['*'], enableAcceptEncodingGzip: true }, true],
    ];
    for (const [name, behavior, key, disabled] of cases) {
      it(name, () => {
        const p = policyOf(behavior);
        expect([p.kind, p.key, p.cachingDisabled]).to.deep.equal(['legacy', { ...NO_KEY, ...key }, disabled]);
      });
    }
  });

  describe('custom cache policy keys (spec §5.2)', () => {
    it('reads header, cookie and query-string lists and the encoding flags', () => {
      const p = policyOf({ cachePolicyId: 'cp1' }, [cachePolicyResource('cp1', {
        minTtl: 0,
        parametersInCacheKeyAndForwardedToOrigin: {
          enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: false,
          headersConfig: { headerBehavior: 'whitelist', headers: { items: ['Origin'] } },
          cookiesConfig: { cookieBehavior: 'allExcept', cookies: { items: ['tracking'] } },
          queryStringsConfig: { queryStringBehavior: 'whitelist', queryStrings: { items: ['w', 'h'] } },
        },
      })]);
      expect(p.key).to.deep.equal({
        headers: ['Origin'], cookies: { behavior: 'allExcept', names: ['tracking'] }, queryStrings: { behavior: 'whitelist', names: ['w', 'h'] },
        enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: false,
      });
    });
    it('keys on no header unless the behavior is whitelist', () => {
      const p = policyOf({ cachePolicyId: 'cp1' }, [cachePolicyResource('cp1', { minTtl: 0, parametersInCacheKeyAndForwardedToOrigin: { headersConfig: { headerBehavior: 'none', headers: { items: ['Origin'] } } } })]);
      expect(p.key).to.deep.equal(NO_KEY);
    });
  });

  describe('every managed cache policy resolves by id (spec §5.6)', () => {
    const AE_BOTH = { enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: true };
    const ORIGIN_HEADERS = ['Host', 'Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'];
    const table: [string, string, number[], object, boolean][] = [
      ['CachingOptimized', '658327ea-f89d-4fab-a63d-7e88639e58f6', [1, 86_400, 31_536_000], { ...NO_KEY, ...AE_BOTH }, false],
      ['CachingOptimizedForUncompressedObjects', 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d', [1, 86_400, 31_536_000], NO_KEY, false],
      ['CachingDisabled', '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', [0, 0, 0], NO_KEY, true],
      ['Elemental-MediaPackage', '08627262-05a9-4f76-9ded-b50ca2e3a84f', [0, 86_400, 31_536_000],
        { ...NO_KEY, headers: ['Origin'], queryStrings: { behavior: 'whitelist', names: ['aws.manifestfilter', 'start', 'end', 'm'] }, enableAcceptEncodingGzip: true }, false],
      ['UseOriginCacheControlHeaders', '83da9c7e-98b4-4e11-a168-04f0df8e2c65', [0, 0, 31_536_000], { ...NO_KEY, headers: ORIGIN_HEADERS, cookies: { behavior: 'all' }, ...AE_BOTH }, false],
      ['UseOriginCacheControlHeaders-QueryStrings', '4cc15a8a-d715-48a4-82b8-cc0b614638fe', [0, 0, 31_536_000],
        { headers: ORIGIN_HEADERS, cookies: { behavior: 'all' }, queryStrings: { behavior: 'all' }, ...AE_BOTH }, false],
      ['Amplify', '2e54312d-136d-493c-8eb9-b001f22f67d2', [2, 2, 600],
        { headers: ['Authorization', 'CloudFront-Viewer-Country', 'Host'], cookies: { behavior: 'all' }, queryStrings: { behavior: 'all' }, ...AE_BOTH }, false],
      // Amplify Hosting's own policies: the spec gives TTLs only, so the key is the default one.
      ['Amplify-Default', '4d1d2f1d-3a71-49ad-9e08-7ea5d843a556', [0, 0, 31_536_000], NO_KEY, false],
      ['Amplify-DefaultNoCookies', 'a6bad946-36c3-4c33-aa98-362c74a7fb13', [0, 0, 31_536_000], NO_KEY, false],
      ['Amplify-ImageOptimization', '1c6db51a-a33f-469a-8245-dae26771f530', [0, 0, 31_536_000], NO_KEY, false],
      ['Amplify-StaticContent', '7e5fad67-ee98-4ad0-b05a-394999eefc1a', [0, 0, 31_536_000], NO_KEY, false],
    ];
    for (const [name, id, ttls, key, disabled] of table) {
      it(`${name} (${id})`, () => {
        const p = policyOf({ cachePolicyId: id });
        expect([p.kind, p.id, p.name, ...ttl(p), p.cachingDisabled]).to.deep.equal(['managed', id, name, ...ttls, disabled]);
        expect(p.key).to.deep.equal(key);
        expect(managedCachePolicy(id.toUpperCase())?.name, 'ids are case-insensitive').to.equal(name);
      });
    }
    it('the table covers every managed cache policy lib/semantics knows', () => {
      const known = [...Object.values(MANAGED_CACHE_POLICIES), ...AMPLIFY_HOSTING_CACHE_POLICIES].map((p) => p.id).sort();
      expect(table.map(([, id]) => id).sort()).to.deep.equal(known);
    });
    it('an id that is neither managed nor in the stack is rejected with the behavior and the fix', () => {
      expect(() => policyOf({ cachePolicyId: 'not-a-policy' })).to.throw(InputError, "the default cache behavior uses cache policy 'not-a-policy', which is neither a managed policy nor a CachePolicy of the stack; rebuild the plan");
    });
  });

  describe('origin request policies (spec §5.4, §5.7)', () => {
    for (const p of Object.values(MANAGED_ORIGIN_REQUEST_POLICIES)) {
      it(`managed ${p.name} by id`, () => {
        const d = distribution({ cachePolicyId: MANAGED_CACHE_POLICIES.CachingDisabled.id, originRequestPolicyId: p.id });
        const orp = buildDistributionModel([d], d).defaultBehavior.originRequestPolicy!;
        expect([orp.kind, orp.name, orp.forwards]).to.deep.equal(['managed', p.name, p.forwards]);
      });
    }
    it('a custom one from the stack, with the names it forwards', () => {
      const orp: ModelResource = {
        type: CLOUDFRONT_TYPES.originRequestPolicy, urn: 'urn:orp', name: 'orp', id: 'orp1',
        props: { name: 'api-orp', headersConfig: { headerBehavior: 'whitelist', headers: { items: ['X-Client'] } }, cookiesConfig: { cookieBehavior: 'all' }, queryStringsConfig: { queryStringBehavior: 'none' } },
      };
      const d = distribution({ cachePolicyId: MANAGED_CACHE_POLICIES.CachingDisabled.id, originRequestPolicyId: 'orp1' });
      expect(buildDistributionModel([orp, d], d).defaultBehavior.originRequestPolicy).to.deep.equal({
        kind: 'custom', id: 'orp1', name: 'api-orp', urn: 'urn:orp',
        forwards: { headers: { behavior: 'whitelist', names: ['X-Client'] }, cookies: { behavior: 'all' }, queryStrings: { behavior: 'none' } },
      });
    });
  });

  describe('the builder', () => {
    it('reads behaviors in order, origins with their Region and Origin Shield, groups and functions', () => {
      const fn: ModelResource = { type: CLOUDFRONT_TYPES.function, urn: 'urn:fn', name: 'fn', id: 'normalize', props: { name: 'normalize', code: 'function handler(e) { return e.request; }' } };
      const d: ModelResource = {
        type: CLOUDFRONT_TYPES.distribution, urn: 'urn:dist', name: 'cdn', id: 'E1TEST',
        props: {
          priceClass: 'PriceClass_100',
          origins: [
            { ...ORIGIN, originShield: { enabled: true, originShieldRegion: 'us-east-1' } },
            { originId: 'replica', domainName: 'replica-bucket.s3.us-west-2.amazonaws.com' },
            { originId: 'api', domainName: 'api.example.com', connectionAttempts: 1, connectionTimeout: 4, customOriginConfig: { originProtocolPolicy: 'https-only', originReadTimeout: 12 }, originShield: { enabled: false } },
          ],
          originGroups: [{ originId: 'static-group', members: [{ originId: 'static' }, { originId: 'replica' }], failoverCriteria: { statusCodes: [500, 503] } }],
          orderedCacheBehaviors: [
            { pathPattern: '/api/*', targetOriginId: 'api', cachePolicyId: MANAGED_CACHE_POLICIES.CachingDisabled.id, allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'] },
            { pathPattern: '/static/*', targetOriginId: 'static-group', cachePolicyId: MANAGED_CACHE_POLICIES.CachingOptimized.id, compress: true, trustedKeyGroups: ['kg1'] },
          ],
          defaultCacheBehavior: {
            targetOriginId: 'static', cachePolicyId: MANAGED_CACHE_POLICIES.CachingOptimized.id,
            functionAssociations: [{ eventType: 'viewer-request', functionArn: 'arn:aws:cloudfront::1:function/normalize' }],
            lambdaFunctionAssociations: [{ eventType: 'origin-response', lambdaArn: 'arn:aws:lambda:us-east-1:1:function:resize:3' }],
          },
        },
      };
      const m = buildDistributionModel([fn, d], d);
      expect(m.behaviors.map((b) => [b.pathPattern, b.isDefault, b.targetOriginId, b.cachePolicy.name])).to.deep.equal([
        ['/api/*', false, 'api', 'CachingDisabled'], ['/static/*', false, 'static-group', 'CachingOptimized'],
      ]);
      expect([m.defaultBehavior.pathPattern, m.defaultBehavior.isDefault, m.priceClass, m.distributionId, m.domainName]).to.deep.equal(['*', true, 'PriceClass_100', 'E1TEST', 'e1test.cloudfront.net']);
      expect([...m.origins.values()]).to.deep.equal([
        { id: 'static', domainName: ORIGIN.domainName, kind: 's3', bucket: 'static-bucket', awsRegion: 'us-east-1', originShield: { awsRegion: 'us-east-1' }, connection: { attempts: 3, connectTimeoutSec: 10, readTimeoutSec: 30 } },
        { id: 'replica', domainName: 'replica-bucket.s3.us-west-2.amazonaws.com', kind: 's3', bucket: 'replica-bucket', awsRegion: 'us-west-2', connection: { attempts: 3, connectTimeoutSec: 10, readTimeoutSec: 30 } },
        // the planned connection settings; CloudFront's defaults where the plan sets none (spec §9.1)
        { id: 'api', domainName: 'api.example.com', kind: 'custom', connection: { attempts: 1, connectTimeoutSec: 4, readTimeoutSec: 12 } },
      ]);
      expect(m.originGroups.get('static-group')).to.deep.equal({ id: 'static-group', primaryOriginId: 'static', secondaryOriginId: 'replica', statusCodes: [500, 503] });
      expect(m.behaviors[0]!.allowedMethods).to.have.length(7);
      expect(m.behaviors[1]!.trustedKeyGroupIds).to.deep.equal(['kg1']);
      expect(m.defaultBehavior.functions.map((f) => [f.runtime, f.eventType, f.name])).to.deep.equal([
        ['cloudfront-function', 'viewer-request', 'normalize'], ['lambda-edge', 'origin-response', 'resize'],
      ]);
      expect(m.defaultBehavior.viewerRequestFunction).to.deep.equal({ name: 'normalize', code: 'function handler(e) { return e.request; }' });
      expect(m.defaultBehavior.originSelection).to.equal(undefined);
    });

    const bad: [string, Props, string][] = [
      ['an unknown target origin', { targetOriginId: 'nowhere', cachePolicyId: MANAGED_CACHE_POLICIES.CachingDisabled.id }, "the default cache behavior of distribution 'cdn' targets origin 'nowhere', which the distribution does not define"],
      ['a viewer-request function without code', { cachePolicyId: MANAGED_CACHE_POLICIES.CachingDisabled.id, functionAssociations: [{ eventType: 'viewer-request', functionArn: 'arn:aws:cloudfront::1:function/missing' }] }, "associates function 'arn:aws:cloudfront::1:function/missing', which the stack does not define with code"],
    ];
    for (const [name, behavior, message] of bad) {
      it(`rejects ${name}`, () => {
        const d = distribution(behavior);
        expect(() => buildDistributionModel([d], d)).to.throw(InputError, message);
      });
    }
    it('rejects a distribution without a default behavior', () => {
      const d: ModelResource = { ...distribution({}), props: { origins: [ORIGIN] } };
      expect(() => buildDistributionModel([d], d)).to.throw(InputError, "distribution 'cdn' has no default cache behavior");
    });

    it('gives the same model from plan resources and from CrossGuard resources (id in props.id)', () => {
      const cp = cachePolicyResource('cp1', { name: 'mine', minTtl: 0, defaultTtl: 60 });
      const d = distribution({ cachePolicyId: 'cp1' });
      const plan: Plan = {
        formatVersion: 1, project: 'media-cdn', stack: 'test', config: {}, outputs: {},
        resources: [cp, d].map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: '', custom: true, inputs: r.props, id: r.id! })),
      };
      const stack = resourcesOfStack([cp, d].map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: { ...r.props, id: r.id } })));
      const fromPlan = distributionModelFromPlan(plan);
      const fromStack = buildDistributionModel(stack, stack[1]!);
      expect(fromStack.defaultBehavior.cachePolicy).to.deep.equal(fromPlan.defaultBehavior.cachePolicy);
      expect(ttl(fromPlan.defaultBehavior.cachePolicy)).to.deep.equal([0, 60, 31_536_000]);
      expect(resourcesOfPlan(plan).map((r) => r.id)).to.deep.equal(['cp1', 'E1TEST']);
    });
  });
});
