import { expect } from 'chai';
import { isKnownAwsRegion } from '../../lib/network';
import {
  countriesByRegionalOrigin, homeRegionOf, nearestRegion, planOriginRouting, selectOrigin, VIEWER_AREAS, VIEWER_COUNTRIES,
} from '../../lib/routing';

const PRIMARY_ONLY = { region: 'us-east-1', originRegions: [], metadataOriginDomains: {}, apiOriginDomains: {} };
const REGIONAL = {
  region: 'us-east-1',
  originRegions: ['eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ap-southeast-2'],
  metadataOriginDomains: { 'eu-central-1': 'metadata.eu.example.com' },
  apiOriginDomains: {},
};

describe('regional origin routing (lib/routing)', () => {
  it('places each country in one viewer area, with ISO alpha-2 codes', () => {
    const all = VIEWER_AREAS.flatMap((a) => a.countries.split(' '));
    expect(new Set(all).size).to.equal(all.length);
    for (const c of all) expect(c).to.match(/^[A-Z]{2}$/);
    expect(VIEWER_COUNTRIES.length).to.be.greaterThan(230);
  });

  it('gives every area a home Region the round-trip matrix knows (African viewers home in Frankfurt, Gulf viewers in Mumbai)', () => {
    for (const a of VIEWER_AREAS) expect(isKnownAwsRegion(a.home), a.name).to.equal(true);
    expect(homeRegionOf('ZA')).to.equal('eu-central-1');
    expect(homeRegionOf('AE')).to.equal('ap-south-1');
    expect(homeRegionOf('ZZ')).to.equal(undefined);
  });

  const regions = ['us-east-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ap-southeast-2'];
  const cases: [string | undefined, string][] = [
    ['US', 'us-east-1'], ['CA', 'us-east-1'], ['MX', 'us-east-1'],
    ['DE', 'eu-central-1'], ['GB', 'eu-central-1'], ['FR', 'eu-central-1'], ['EG', 'eu-central-1'], ['ZA', 'eu-central-1'],
    ['JP', 'ap-northeast-1'], ['KR', 'ap-northeast-1'], ['CN', 'ap-northeast-1'],
    ['BR', 'sa-east-1'], ['AR', 'sa-east-1'],
    ['AU', 'ap-southeast-2'], ['NZ', 'ap-southeast-2'],
    ['jp', 'ap-northeast-1'],
    [undefined, 'us-east-1'], ['', 'us-east-1'], ['XX', 'us-east-1'], ['EU', 'us-east-1'],
  ];
  for (const [country, expected] of cases) {
    it(`routes a viewer in ${JSON.stringify(country)} to ${expected}`, () => {
      expect(nearestRegion(country, regions)).to.equal(expected);
    });
  }

  it('measures with the given distance: a table that puts São Paulo nearest sends South Africa there', () => {
    expect(nearestRegion('ZA', regions)).to.equal('eu-central-1');
    const rtt: Record<string, number> = { 'us-east-1': 230, 'eu-central-1': 160, 'ap-northeast-1': 330, 'sa-east-1': 150, 'ap-southeast-2': 280 };
    expect(nearestRegion('ZA', regions, (_home, region) => rtt[region]!)).to.equal('sa-east-1');
  });

  it('keeps the primary on equal round trips', () => {
    expect(nearestRegion('DE', ['us-east-1', 'eu-central-1'], () => 100)).to.equal('us-east-1');
  });

  it('answers the primary when it is the only Region, and needs one', () => {
    expect(nearestRegion('JP', ['us-east-1'])).to.equal('us-east-1');
    expect(() => nearestRegion('JP', [])).to.throw(/at least one Region/);
  });

  it('plans no routing for a single-Region stack', () => {
    expect(planOriginRouting(PRIMARY_ONLY).size).to.equal(0);
  });

  it('plans routing for the S3 origins from originRegions and for metadata from its domain map', () => {
    const r = planOriginRouting(REGIONAL);
    expect([...r.keys()]).to.deep.equal(['video', 'images', 'static', 'metadata']);
    expect(r.get('video')).to.deep.equal({
      origin: 'video',
      primaryRegion: 'us-east-1',
      regional: REGIONAL.originRegions.map((region) => ({ region, originId: `video-${region}` })),
      failoverOriginId: 'video-primary',
      failoverStatusCodes: [500, 502, 503, 504],
    });
    // Images fail over to the fallback origin (it also serves the original of a missing variant).
    expect(r.get('images')!.failoverOriginId).to.equal('images-fallback');
    expect(r.get('images')!.failoverStatusCodes).to.deep.equal([403, 404, 500, 502, 503, 504]);
    expect(r.get('metadata')!.regional).to.deep.equal([{ region: 'eu-central-1', originId: 'metadata-eu-central-1' }]);
    expect(r.get('metadata')!.failoverOriginId).to.equal('metadata');
  });

  it('keeps the behavior target for viewers nearest the primary and builds the failover group for the others', () => {
    const video = planOriginRouting(REGIONAL).get('video')!;
    expect(selectOrigin(video, 'US')).to.deep.equal({ region: 'us-east-1', regional: false });
    expect(selectOrigin(video, 'DE')).to.deep.equal({
      region: 'eu-central-1', regional: true, originId: 'video-eu-central-1',
      failover: { originIds: ['video-eu-central-1', 'video-primary'], statusCodes: [500, 502, 503, 504] },
    });
  });

  it('lists, per regional origin, exactly the countries routed to it', () => {
    const video = planOriginRouting(REGIONAL).get('video')!;
    const table = countriesByRegionalOrigin(video);
    expect(table.get('video-ap-northeast-1')).to.include.members(['JP', 'KR']);
    expect(table.get('video-eu-central-1')).to.include('DE').and.not.include('US');
    const routed = [...table.values()].flat();
    expect(routed).to.not.include('US');
    for (const c of routed) expect(selectOrigin(video, c).regional, c).to.equal(true);
  });
});
