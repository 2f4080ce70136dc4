import { expect } from 'chai';
import { parseStackConfig } from '../../lib/config';
import { InputError } from '../../lib/errors';
import { readStackConfig } from '../../plan/stack-files';

const PEM = readStackConfig('prod')['media-cdn:signingPublicKeyPem'] as string;

function parse(overrides: Record<string, unknown>) {
  return parseStackConfig('staging', 'us-east-1', { environment: 'staging', signingPublicKeyPem: PEM, ...overrides });
}

function problemsOf(overrides: Record<string, unknown>): string {
  try {
    parse(overrides);
  } catch (e) {
    if (e instanceof InputError) return e.problems.join('\n');
    throw e;
  }
  return '';
}

describe('stack config: regional origins', () => {
  it('defaults to the single-Region design: no extra Regions, no regional dynamic origins', () => {
    const c = parse({});
    expect(c.originRegions).to.deep.equal([]);
    expect(c.metadataOriginDomains).to.deep.equal({});
    expect(c.apiOriginDomains).to.deep.equal({});
  });

  it('accepts aws:region listed first and drops it (the primary is implicit)', () => {
    expect(parse({ originRegions: ['us-east-1', 'eu-central-1', 'ap-northeast-1'] }).originRegions).to.deep.equal(['eu-central-1', 'ap-northeast-1']);
    expect(parse({ originRegions: ['eu-central-1'] }).originRegions).to.deep.equal(['eu-central-1']);
  });

  it('accepts regional metadata and API domains keyed by Region', () => {
    const c = parse({ metadataOriginDomains: { 'eu-central-1': 'metadata.eu.example.com' }, apiOriginDomains: { 'ap-northeast-1': 'api.jp.example.com' } });
    expect(c.metadataOriginDomains).to.deep.equal({ 'eu-central-1': 'metadata.eu.example.com' });
    expect(c.apiOriginDomains).to.deep.equal({ 'ap-northeast-1': 'api.jp.example.com' });
  });

  it('accepts per-origin timeouts', () => {
    const t = { metadata: { connectionAttempts: 1, connectionTimeoutSeconds: 2, readTimeoutSeconds: 4 }, video: { connectionAttempts: 2 } };
    expect(parse({ originTimeouts: t }).originTimeouts).to.deep.equal(t);
    expect(parse({}).originTimeouts).to.deep.equal({});
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown Region', { originRegions: ['eu-middle-9'] }, /originRegions contains 'eu-middle-9' \(not an AWS Region; the list is in lib\/aws-regions\.ts\); list AWS Regions such as 'eu-central-1'\./],
    ['a Region listed twice', { originRegions: ['eu-central-1', 'eu-central-1'] }, /originRegions lists 'eu-central-1' twice/],
    ['aws:region after other Regions', { originRegions: ['eu-central-1', 'us-east-1'] }, /originRegions lists aws:region 'us-east-1' after other Regions; .*list it first or leave it out/],
    ['the failover Region', { originRegions: ['us-west-2'] }, /originRegions contains 'us-west-2', the failoverRegion, .*pick another Region, or move media-cdn:failoverRegion/],
    ['a Region without Origin Shield nearby', { originRegions: ['ca-central-1'] }, /originRegions contains 'ca-central-1', which has no Origin Shield .*use a Region that offers Origin Shield/],
    ['not a list', { originRegions: 'eu-central-1' }, /originRegions must be a list of strings, got 'eu-central-1'/],
    ['a metadata domain keyed by aws:region', { metadataOriginDomains: { 'us-east-1': 'm.example.com' } }, /metadataOriginDomains has an entry for aws:region 'us-east-1'; .*metadataOriginDomain, so remove the entry/],
    ['an API domain keyed by a non-Region', { apiOriginDomains: { europe: 'api.eu.example.com' } }, /apiOriginDomains has the key 'europe' \(not an AWS Region; the list is in lib\/aws-regions\.ts\); key each domain by an AWS Region such as 'eu-central-1'\./],
    ['an API domain that is a URL', { apiOriginDomains: { 'eu-central-1': 'https://api.eu.example.com/' } }, /apiOriginDomains\.eu-central-1 must be a domain name such as 'api\.eu\.example\.com' \(no scheme, no path\), got 'https:\/\/api\.eu\.example\.com\/'/],
    ['domains given as a list', { metadataOriginDomains: ['m.example.com'] }, /metadataOriginDomains must be an object/],
    ['origin timeouts for an unknown origin', { originTimeouts: { metadta: { connectionAttempts: 1 } } }, /originTimeouts has the key 'metadta', which is not an origin; key the settings by one of video, images, static, metadata, api\./],
    ['origin timeouts that are not an object', { originTimeouts: { api: 5 } }, /originTimeouts\.api must be an object such as .*got 5\./],
    ['an unknown origin timeout field', { originTimeouts: { api: { readTimeout: 5 } } }, /originTimeouts\.api has the field 'readTimeout'; use connectionAttempts, connectionTimeoutSeconds, readTimeoutSeconds\./],
    ['an origin timeout out of range', { originTimeouts: { api: { connectionAttempts: 4 } } }, /originTimeouts\.api\.connectionAttempts must be a whole number from 1 to 3 \(as media-cdn:originConnectionAttempts\), got 4\./],
    ['a read timeout on an S3 origin', { originTimeouts: { video: { readTimeoutSeconds: 5 } } }, /originTimeouts\.video\.readTimeoutSeconds is set, but video is an S3 origin, .*remove the field\./],
  ];
  for (const [what, overrides, expected] of bad) {
    it(`rejects ${what}, naming the value and the fix`, () => {
      expect(problemsOf(overrides)).to.match(expected);
    });
  }
});
