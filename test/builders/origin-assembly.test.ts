import { expect } from 'chai';
import { buildOriginGroups, buildOrigins, dynamicOriginDomain } from '../../lib/builders';
import { parseStackConfig } from '../../lib/config';
import { readStackConfig } from '../../plan/stack-files';

const PEM = readStackConfig('prod')['media-cdn:signingPublicKeyPem'] as string;

function config(overrides: Record<string, unknown> = {}) {
  return parseStackConfig('staging', 'us-east-1', { environment: 'staging', signingPublicKeyPem: PEM, ...overrides });
}

function resources(regions: readonly string[]) {
  const buckets = Object.fromEntries(['video', 'images', 'static'].map((o) => [o, {
    primary: `${o}.s3.us-east-1`, secondary: `${o}-replica.s3.us-west-2`, regional: new Map(regions.map((r) => [r, `${o}-${r}.s3.${r}`])),
  }]));
  return { buckets, originAccessControlId: 'oac', imageFallback: { domainName: 'fallback.lambda-url', originAccessControlId: 'lambda-oac' } };
}

describe('origin assembly (lib/builders/origin-assembly.ts)', () => {
  it('builds the single-Region origins: S3 primaries and replicas (not the images replica), the fallback, then metadata and API', () => {
    const origins = buildOrigins(config(), resources([]));
    expect(origins.map((o) => o.originId)).to.deep.equal([
      'video-primary', 'video-secondary', 'images-primary', 'static-primary', 'static-secondary', 'images-fallback', 'metadata', 'api',
    ]);
    const video = origins[0]!;
    expect(video).to.deep.equal({
      originId: 'video-primary', domainName: 'video.s3.us-east-1', originAccessControlId: 'oac',
      originShield: { enabled: true, originShieldRegion: 'us-east-1' }, connectionAttempts: 3, connectionTimeout: 10,
    });
    expect(origins.find((o) => o.originId === 'video-secondary')!.originShield).to.deep.equal({ enabled: true, originShieldRegion: 'us-west-2' });
    expect(origins.find((o) => o.originId === 'api')!.domainName).to.equal('api.origin.example.com');
  });

  it('adds one S3 origin per origin Region, signed by the OAC, with Origin Shield in its own Region', () => {
    const regions = ['eu-central-1', 'ap-northeast-1', 'sa-east-1'];
    const origins = buildOrigins(config({ originRegions: ['us-east-1', ...regions] }), resources(regions));
    for (const o of ['video', 'images', 'static']) {
      for (const r of regions) {
        const origin = origins.find((x) => x.originId === `${o}-${r}`);
        expect(origin, `${o}-${r}`).to.deep.equal({
          originId: `${o}-${r}`, domainName: `${o}-${r}.s3.${r}`, originAccessControlId: 'oac',
          originShield: { enabled: true, originShieldRegion: r }, connectionAttempts: 3, connectionTimeout: 10,
        });
      }
    }
    expect(origins).to.have.length(8 + 9);
  });

  it('uses the published nearest shield for a Region without one (us-west-1 → us-west-2)', () => {
    const origins = buildOrigins(config({ originRegions: ['us-west-1'], failoverRegion: 'eu-west-1' }), resources(['us-west-1']));
    expect(origins.find((o) => o.originId === 'video-us-west-1')!.originShield).to.deep.equal({ enabled: true, originShieldRegion: 'us-west-2' });
  });

  it('adds regional metadata and API origins (HTTPS custom origins), shielded where a shield Region is known', () => {
    const c = config({ metadataOriginDomains: { 'eu-central-1': 'metadata.eu.example.com' }, apiOriginDomains: { 'me-central-1': 'api.me.example.com' } });
    const origins = buildOrigins(c, resources([]));
    const meta = origins.find((o) => o.originId === 'metadata-eu-central-1')!;
    expect(meta.domainName).to.equal('metadata.eu.example.com');
    expect(meta.customOriginConfig).to.deep.include({ originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] });
    expect(meta.originShield).to.deep.equal({ enabled: true, originShieldRegion: 'eu-central-1' });
    const api = origins.find((o) => o.originId === 'api-me-central-1')!;
    expect(api.domainName).to.equal('api.me.example.com');
    expect(api.originShield).to.equal(undefined);
    expect(dynamicOriginDomain(c, 'metadata', 'us-east-1')).to.equal('metadata.origin.example.com');
    expect(() => dynamicOriginDomain(c, 'metadata', 'ap-south-1')).to.throw(/no metadata origin configured in ap-south-1/);
  });

  it('refuses to build without a bucket for an origin Region', () => {
    expect(() => buildOrigins(config({ originRegions: ['eu-central-1'] }), resources([]))).to.throw(/no video bucket given for eu-central-1/);
  });

  it('keeps one origin group per S3 origin failing over to the failover Region, and none for a custom origin without a copy', () => {
    expect(buildOriginGroups(config())).to.deep.equal([
      { originId: 'video-group', failoverCriteria: { statusCodes: [500, 502, 503, 504] }, members: [{ originId: 'video-primary' }, { originId: 'video-secondary' }] },
      { originId: 'images-group', failoverCriteria: { statusCodes: [403, 404, 500, 502, 503, 504] }, members: [{ originId: 'images-primary' }, { originId: 'images-fallback' }] },
      { originId: 'static-group', failoverCriteria: { statusCodes: [500, 502, 503, 504] }, members: [{ originId: 'static-primary' }, { originId: 'static-secondary' }] },
    ]);
  });

  it('groups a custom origin with its copy in the failover Region, else with its first copy', () => {
    const c = config({
      metadataOriginDomains: { 'eu-central-1': 'metadata.eu.example.com', 'us-west-2': 'metadata.usw2.example.com' },
      apiOriginDomains: { 'eu-central-1': 'api.eu.example.com', 'ap-northeast-1': 'api.ap.example.com' },
    });
    const custom = buildOriginGroups(c).filter((g) => g.originId === 'metadata-group' || g.originId === 'api-group');
    expect(custom).to.deep.equal([
      { originId: 'metadata-group', failoverCriteria: { statusCodes: [500, 502, 503, 504] }, members: [{ originId: 'metadata' }, { originId: 'metadata-us-west-2' }] },
      { originId: 'api-group', failoverCriteria: { statusCodes: [500, 502, 503, 504] }, members: [{ originId: 'api' }, { originId: 'api-eu-central-1' }] },
    ]);
    // every member is an origin of the distribution
    const ids = new Set(buildOrigins(c, resources([])).map((o) => o.originId));
    for (const g of buildOriginGroups(c)) for (const m of g.members) expect(ids.has(m.originId), m.originId).to.equal(true);
  });

  it('applies originTimeouts to every copy of the named origin, the stack-wide settings to the others', () => {
    const c = config({
      originConnectionAttempts: 2, originConnectionTimeoutSeconds: 3, originReadTimeoutSeconds: 30,
      originTimeouts: { metadata: { connectionAttempts: 1, connectionTimeoutSeconds: 2, readTimeoutSeconds: 4 }, video: { connectionAttempts: 1 } },
      metadataOriginDomains: { 'us-west-2': 'metadata.usw2.example.com' },
    });
    const origins = buildOrigins(c, resources([]));
    const by = (id: string) => origins.find((o) => o.originId === id)!;
    for (const id of ['metadata', 'metadata-us-west-2']) {
      expect(by(id), id).to.include({ connectionAttempts: 1, connectionTimeout: 2 });
      expect(by(id).customOriginConfig!.originReadTimeout, id).to.equal(4);
    }
    expect(by('video-primary')).to.include({ connectionAttempts: 1, connectionTimeout: 3 });
    expect(by('video-secondary')).to.include({ connectionAttempts: 1, connectionTimeout: 3 });
    expect(by('api')).to.include({ connectionAttempts: 2, connectionTimeout: 3 });
    expect(by('api').customOriginConfig!.originReadTimeout).to.equal(30);
    expect(by('images-fallback')).to.include({ connectionAttempts: 2, connectionTimeout: 3 });
  });
});
