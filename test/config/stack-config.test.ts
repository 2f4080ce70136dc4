import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { CONFIG_SCHEMA, parseStackConfig } from '../../lib/config';
import { InputError } from '../../lib/errors';
import { PROJECT_DIR, listStacks, readStackConfig, validateStackFileConfig } from '../../plan/stack-files';
import { CONFIG_DOC, configDocWithTable, projectConfigBlock } from '../../scripts/sync-config';

const PEM = readStackConfig('prod')['media-cdn:signingPublicKeyPem'] as string;

/** A valid staging config; each bad case changes one key. */
function staging(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { environment: 'staging', signingPublicKeyPem: PEM, ...overrides };
}

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.problems.join('\n');
    throw e;
  }
  return '';
}

describe('stack config', () => {
  it('has a staging and a prod stack', () => {
    expect(listStacks()).to.deep.equal(['prod', 'staging']);
  });

  for (const stack of ['staging', 'prod']) {
    it(`parses the committed ${stack} stack file`, () => {
      const c = validateStackFileConfig(stack, readStackConfig(stack));
      expect(c.environment).to.equal(stack);
      expect(c.catalog.types).to.have.length(5);
    });
  }

  it('gives prod a custom domain in Route 53 (no placeholder certificate), a geo block list, mandatory policies and a staging distribution', () => {
    const c = validateStackFileConfig('prod', readStackConfig('prod'));
    expect(c.acmCertificateArn).to.equal('');
    expect(c.domain).to.deep.equal({ names: ['cdn.example-stream.com', 'media.example-stream.com'], hostedZone: 'example-stream.com', hostedZoneId: '' });
    expect(c.domainAliases).to.deep.equal(['cdn.example-stream.com', 'media.example-stream.com']);
    expect(c.geoRestrictionType).to.equal('blacklist');
    expect(c.policyEnforcement).to.equal('mandatory');
    expect(c.stagingDistribution).to.equal(true);
    expect(c.httpVersion).to.equal('http2');
  });

  it('gives staging the default certificate, HTTP/3 and advisory policies', () => {
    const c = validateStackFileConfig('staging', readStackConfig('staging'));
    expect(c.acmCertificateArn).to.equal('');
    expect(c.httpVersion).to.equal('http2and3');
    expect(c.policyEnforcement).to.equal('advisory');
    expect(c.stagingDistribution).to.equal(false);
  });

  it('applies schema defaults to keys the stack does not set', () => {
    const c = parseStackConfig('s', 'us-east-1', staging());
    expect(c.domain).to.equal(undefined);
    expect(c.simulationBatch).to.equal(undefined);
    for (const spec of CONFIG_SCHEMA.filter((s) => !['environment', 'signingPublicKeyPem', 'contentTypes', 'domain', 'simulationBatch'].includes(s.key))) {
      expect((c as unknown as Record<string, unknown>)[spec.key], spec.key).to.deep.equal(spec.default);
    }
  });

  it('reads integers and booleans given as strings, as Pulumi config stores them', () => {
    const c = parseStackConfig('s', 'us-east-1', staging({ ipv6: 'false', originReadTimeoutSeconds: '60' }));
    expect(c.ipv6).to.equal(false);
    expect(c.originReadTimeoutSeconds).to.equal(60);
  });

  const bad: [string, string | undefined, Record<string, unknown>, RegExp][] = [
    ['an unknown key', 'us-east-1', staging({ colour: 'blue' }), /media-cdn:colour is not a known setting/],
    ['a missing region', undefined, staging(), /aws:region must be an AWS Region such as 'us-east-1', got undefined/],
    ['a bad environment', 'us-east-1', staging({ environment: 'dev' }), /media-cdn:environment must be one of staging, prod; got 'dev'/],
    ['prod without a certificate', 'us-east-1', staging({ environment: 'prod' }), /acmCertificateArn is empty and media-cdn:domain is not set, but prod must serve .* set media-cdn:domain to \{"names"/],
    ['a domain without a hosted zone', 'us-east-1', staging({ domain: { names: ['cdn.example.com'] } }), /media-cdn:domain needs exactly one of hostedZone .* or hostedZoneId/],
    ['a domain with no names', 'us-east-1', staging({ domain: { hostedZone: 'example.com' } }), /media-cdn:domain.names must be a non-empty list/],
    ['a domain name outside its hosted zone', 'us-east-1', staging({ domain: { names: ['cdn.other.com'], hostedZone: 'example.com' } }), /contains 'cdn.other.com', which is not in the hosted zone 'example.com'/],
    ['a malformed hosted zone id', 'us-east-1', staging({ domain: { names: ['cdn.example.com'], hostedZoneId: 'example.com' } }), /hostedZoneId must be a Route 53 hosted zone id/],
    ['both domain and domainAliases', 'us-east-1', staging({ domain: { names: ['cdn.example.com'], hostedZone: 'example.com' }, domainAliases: ['cdn.example.com'] }), /domainAliases and media-cdn:domain are both set/],
    ['a cache-tag header CloudFront cannot remove', 'us-east-1', staging({ cacheTagHeader: 'X-Cache' }), /cacheTagHeader is 'X-Cache', a header CloudFront cannot remove/],
    ['a certificate outside us-east-1', 'us-east-1', staging({ acmCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d' }), /must be an ACM certificate ARN in us-east-1/],
    ['aliases without a certificate', 'us-east-1', staging({ domainAliases: ['cdn.example.com'] }), /aliases need a certificate/],
    ['an invalid alias', 'us-east-1', staging({ domainAliases: ['not a domain'], acmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d' }), /domainAliases contains 'not a domain'/],
    ['an old TLS policy', 'us-east-1', staging({ minimumProtocolVersion: 'TLSv1' }), /minimumProtocolVersion must be one of TLSv1\.2_2021/],
    ['an unknown price class', 'us-east-1', staging({ priceClass: 'PriceClass_50' }), /priceClass must be one of/],
    ['a custom origin with a scheme', 'us-east-1', staging({ apiOriginDomain: 'https://api.example.com' }), /apiOriginDomain must be a domain name/],
    ['a failover Region equal to the stack Region', 'us-west-2', staging(), /failoverRegion is 'us-west-2', the same as aws:region/],
    ['an Origin Shield Region that has no shield', 'us-east-1', staging({ originShieldRegion: 'us-west-1' }), /originShieldRegion must be one of/],
    ['a lower-case country code', 'us-east-1', staging({ geoRestrictionType: 'blacklist', geoRestrictionLocations: ['kp'] }), /use ISO 3166-1 alpha-2 codes in capitals/],
    ['countries with no restriction type', 'us-east-1', staging({ geoRestrictionLocations: ['KP'] }), /geoRestrictionType is 'none'/],
    ['a restriction type with no countries', 'us-east-1', staging({ geoRestrictionType: 'whitelist' }), /geoRestrictionLocations is empty/],
    ['a missing signing key', 'us-east-1', { environment: 'staging' }, /signingPublicKeyPem must hold a PEM public key/],
    ['a read timeout out of range', 'us-east-1', staging({ originReadTimeoutSeconds: 500 }), /originReadTimeoutSeconds must be between 1 and 120, got 500/],
    ['a non-integer', 'us-east-1', staging({ wafRateLimitPer5Minutes: 'lots' }), /wafRateLimitPer5Minutes must be a whole number, got 'lots'/],
    ['a non-boolean', 'us-east-1', staging({ ipv6: 'maybe' }), /ipv6 must be true or false, got 'maybe'/],
    ['a list that is not a list', 'us-east-1', staging({ corsAllowedOrigins: 'https://a.example' }), /corsAllowedOrigins must be a list of strings/],
    ['a CORS origin with a path', 'us-east-1', staging({ corsAllowedOrigins: ['https://a.example/app'] }), /corsAllowedOrigins contains 'https:\/\/a\.example\/app'/],
    ['a staging header without the CloudFront prefix', 'us-east-1', staging({ stagingHeaderName: 'x-staging' }), /must start with 'aws-cf-cd-'/],
    ['a staging distribution outside prod', 'us-east-1', staging({ stagingDistribution: true, httpVersion: 'http2' }), /enable it in prod only/],
    ['continuous deployment with HTTP/3', 'us-east-1', staging({ stagingDistribution: true }), /cannot be used with HTTP\/3/],
    ['a metadata default TTL over its max TTL', 'us-east-1', staging({ contentTypes: { metadata: { defaultTtl: 86400 } } }), /media-cdn:contentTypes\.metadata.*86400/],
    ['content type overrides that are a list', 'us-east-1', staging({ contentTypes: [1] }), /media-cdn:contentTypes must be an object/],
  ];
  for (const [name, region, raw, message] of bad) {
    it(`rejects ${name}`, () => {
      expect(problemsOf(() => parseStackConfig('s', region, raw))).to.match(message);
    });
  }

  it('refuses a Region that does not exist in every Region setting, naming the key, the value and the fix', () => {
    expect(problemsOf(() => parseStackConfig('s', 'us-moon-1', staging()))).to.equal(
      "aws:region must be an AWS Region such as 'us-east-1', got 'us-moon-1' (not an AWS Region; the list is in lib/aws-regions.ts); set it with 'pulumi config set aws:region us-east-1'.",
    );
    expect(problemsOf(() => parseStackConfig('s', 'us-east-1', staging({ failoverRegion: 'us-moon-2' })))).to.equal(
      "media-cdn:failoverRegion must be an AWS Region such as 'us-west-2', got 'us-moon-2' (not an AWS Region; the list is in lib/aws-regions.ts); set it with 'pulumi config set media-cdn:failoverRegion us-west-2'.",
    );
    expect(problemsOf(() => parseStackConfig('s', 'us-east-1', staging({ failoverRegion: 'us-west2' })))).to.contain("got 'us-west2' (did you mean 'us-west-2'?)");
    // Every setting whose name says Region (and the Region keys of the regional origin maps) refuses one.
    const moon: Record<string, unknown> = { originShieldRegion: 'us-moon-1', failoverRegion: 'us-moon-1', originRegions: ['us-moon-1'], metadataOriginDomains: { 'us-moon-1': 'metadata.moon.example.com' }, apiOriginDomains: { 'us-moon-1': 'api.moon.example.com' } };
    const regionKeys = CONFIG_SCHEMA.filter((k) => /region/i.test(k.key) || /OriginDomains$/.test(k.key)).map((k) => k.key);
    expect(regionKeys.sort()).to.deep.equal(Object.keys(moon).sort());
    for (const key of regionKeys) {
      const problems = problemsOf(() => parseStackConfig('s', 'us-east-1', staging({ [key]: moon[key] })));
      expect(problems, key).to.contain(`media-cdn:${key}`).and.contain("'us-moon-1'");
    }
    // A real Region the latency model has no round trips for is still named as such.
    expect(problemsOf(() => parseStackConfig('s', 'us-east-1', staging({ originRegions: ['mx-central-1'] })))).to.match(/not an AWS Region the latency model knows/);
  });

  it('suggests the setting a misspelled key meant', () => {
    expect(problemsOf(() => parseStackConfig('s', 'us-east-1', staging({ priceclass: 'PriceClass_100' })))).to.equal(
      'media-cdn:priceclass is not a known setting; did you mean media-cdn:priceClass? (docs/configuration.md lists every setting)',
    );
    expect(problemsOf(() => parseStackConfig('s', 'us-east-1', staging({ failoverRegon: 'us-west-2' })))).to.contain('did you mean media-cdn:failoverRegion?');
  });

  it('refuses a stack file key in a namespace nothing reads (a misspelled media-cdn:), with a did-you-mean', () => {
    const config = { ...readStackConfig('staging'), 'mediacdn:priceClass': 'PriceClass_100', 'myteam:owner': 'cdn' };
    expect(problemsOf(() => validateStackFileConfig('staging', config)).split('\n')).to.deep.equal([
      "mediacdn:priceClass is in the namespace 'mediacdn', which nothing here reads (known: media-cdn, aws, pulumi); did you mean media-cdn:priceClass?",
      "myteam:owner is in the namespace 'myteam', which nothing here reads (known: media-cdn, aws, pulumi); use media-cdn:<setting> for this program's settings",
    ]);
    expect(() => validateStackFileConfig('staging', readStackConfig('staging'))).not.to.throw();
  });

  it('declares every schema key in Pulumi.yaml with its type, description and default', () => {
    const project = YAML.parse(readFileSync(join(PROJECT_DIR, 'Pulumi.yaml'), 'utf8')) as { config: unknown };
    expect(project.config).to.deep.equal(projectConfigBlock());
  });

  it('keeps stack files to values only: every media-cdn key is declared in the schema', () => {
    for (const stack of listStacks()) {
      for (const key of Object.keys(readStackConfig(stack))) {
        const [ns, name] = key.split(':');
        if (ns === 'media-cdn') expect(CONFIG_SCHEMA.map((s) => s.key), `${stack}: ${key}`).to.include(name);
      }
    }
  });
});

describe('docs/configuration.md', () => {
  it('has the key table generated from the schema and the stack files', () => {
    const doc = readFileSync(CONFIG_DOC, 'utf8');
    expect(doc, 'run npm run config:sync').to.equal(configDocWithTable(doc));
  });
});
