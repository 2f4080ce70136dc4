import { expect } from 'chai';
import { CANDIDATE_KEYS, parseStackConfig } from '../../lib/config';
import { InputError } from '../../lib/errors';
import { readStackConfig } from '../../plan/stack-files';
import { validateStackFileConfig } from '../../plan/run-plan';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return [...e.problems];
    throw e;
  }
  return [];
}

/** The committed prod stack with a candidate block. */
function prodWith(candidate: unknown, overrides: Record<string, unknown> = {}) {
  return () => validateStackFileConfig('prod', { ...readStackConfig('prod'), 'media-cdn:candidate': candidate, ...overrides });
}

describe('stack config: the candidate block', () => {
  it('is empty in the committed stacks, so both distributions are built alike', () => {
    for (const stack of ['staging', 'prod']) {
      const c = validateStackFileConfig(stack, readStackConfig(stack));
      expect(c.candidate).to.deep.equal({});
      expect(c.candidateConfig).to.equal(undefined);
    }
  });

  it('builds the candidate config: the stack config with the candidate applied', () => {
    const c = prodWith({ priceClass: 'PriceClass_200', contentTypes: { metadata: { defaultTtl: 600 } } })();
    expect(c.priceClass).to.equal('PriceClass_All');
    expect(c.candidateConfig!.priceClass).to.equal('PriceClass_200');
    expect(c.candidateConfig!.catalog.routes.find((r) => r.id === 'metadata')!.ttl.defaultTtl).to.equal(600);
    expect(c.catalog.routes.find((r) => r.id === 'metadata')!.ttl.defaultTtl).to.equal(900);
    expect(c.candidateConfig!.candidateConfig).to.equal(undefined);
  });

  it('accepts every candidate key with a value that differs from the stack', () => {
    const c = prodWith({
      priceClass: 'PriceClass_100', httpVersion: 'http1.1', ipv6: false, geoRestrictionType: 'none', geoRestrictionLocations: [],
      originConnectionAttempts: 3, originConnectionTimeoutSeconds: 5, originReadTimeoutSeconds: 20, originKeepaliveTimeoutSeconds: 10,
      corsAllowedOrigins: ['https://beta.example-stream.com'], contentTypes: { api: { defaultTtl: 60 } },
    })();
    expect(Object.keys(c.candidate).sort()).to.deep.equal([...CANDIDATE_KEYS].sort());
  });

  const bad: [string, () => unknown, string][] = [
    ['a key that cannot be a candidate', prodWith({ domainAliases: ['x.example.com'] }),
      "media-cdn:candidate.domainAliases cannot be tried on the staging distribution; a candidate may set only priceClass, httpVersion, ipv6, geoRestrictionType, geoRestrictionLocations, originConnectionAttempts, originConnectionTimeoutSeconds, originReadTimeoutSeconds, originKeepaliveTimeoutSeconds, corsAllowedOrigins, contentTypes (change other keys with a normal 'pulumi up')."],
    ['a candidate without a staging distribution', prodWith({ priceClass: 'PriceClass_200' }, { 'media-cdn:stagingDistribution': false }),
      'media-cdn:candidate is set (priceClass) but media-cdn:stagingDistribution is false; a candidate is tried on the staging distribution, so set stagingDistribution: true or drop the candidate.'],
    ['a bad value, named as a candidate key', prodWith({ priceClass: 'PriceClass_300' }),
      "media-cdn:candidate.priceClass must be one of PriceClass_100, PriceClass_200, PriceClass_All; got 'PriceClass_300'."],
    ['HTTP/3, which continuous deployment refuses', prodWith({ httpVersion: 'http2and3' }),
      "media-cdn:candidate.httpVersion is 'http2and3' but media-cdn:stagingDistribution is true; CloudFront continuous deployment cannot be used with HTTP/3, so set httpVersion to 'http2' or turn the staging distribution off."],
    ['a value equal to the stack', prodWith({ priceClass: 'PriceClass_All' }),
      "media-cdn:candidate.priceClass is 'PriceClass_All', the same as the stack's media-cdn:priceClass; a candidate lists only what differs, so drop it."],
    ['a list instead of a map', prodWith(['priceClass']), 'media-cdn:candidate must be an object, got ["priceClass"].'],
  ];
  for (const [what, fn, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(problemsOf(fn)).to.deep.equal([message]);
    });
  }

  it('validates the candidate only when the stack config itself is valid', () => {
    const problems = problemsOf(() => parseStackConfig('prod', 'us-east-1', { environment: 'prod', stagingDistribution: true, httpVersion: 'http2', candidate: { priceClass: 'PriceClass_300' } }));
    expect(problems.filter((p) => p.startsWith('media-cdn:candidate'))).to.deep.equal([]);
    expect(problems.length).to.be.greaterThan(0);
  });
});
