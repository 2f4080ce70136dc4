import { expect } from 'chai';
import { ORIGIN_SHIELD_REGIONS } from '../../lib/config/schema';
import { InputError } from '../../lib/errors';
import {
  AWS_REGIONS, DEFAULT_EDGE_REC, EDGE_RECS, meanHandshakeRtts, NETWORK_PROFILE, recFor, REGIONAL_EDGE_CACHES, rttMs, SAME_REGION_RTT_MS,
  validateNetworkProfile, type NetworkProfile,
} from '../../lib/network';
import { runEngine, type EngineInput } from '../../simulator/engine';
import { hopTable, HIST_BUCKETS, percentileMs } from '../../simulator/latency';
import { SEED_PROFILE, type Region, type WorkloadProfile } from '../../simulator/profile';
import type { KeySpace } from '../../simulator/workload/build';
import { summarize } from '../../simulator/results';
import { resolveCatalog } from '../../lib/catalog';

describe('lib/network: the AWS Region round-trip matrix', () => {
  it('is symmetric, positive, and SAME_REGION_RTT_MS on the diagonal', () => {
    for (const a of AWS_REGIONS) {
      for (const b of AWS_REGIONS) {
        expect(rttMs(a, b), `${a} ↔ ${b}`).to.equal(rttMs(b, a));
        expect(rttMs(a, b)).to.be.greaterThan(0);
      }
      expect(rttMs(a, a)).to.equal(SAME_REGION_RTT_MS);
    }
  });

  // the cited figures (cloudping p50, rounded; lib/network.ts and docs/performance-analysis.md)
  for (const [a, b, ms] of [
    ['us-east-1', 'us-east-2', 12], ['us-east-1', 'eu-west-1', 68], ['us-east-1', 'eu-central-1', 90], ['us-east-1', 'ap-northeast-1', 148],
    ['us-east-1', 'ap-south-1', 185], ['us-east-1', 'sa-east-1', 115], ['us-east-1', 'af-south-1', 225], ['eu-central-1', 'ap-south-1', 115],
  ] as const) {
    it(`${a} ↔ ${b} is the cited ${ms} ms`, () => expect(rttMs(a, b)).to.equal(ms));
  }

  it('covers every Region the config can name for origins and shields', () => {
    const needed = [...ORIGIN_SHIELD_REGIONS, 'us-west-1', 'eu-west-3', 'eu-north-1', 'ap-southeast-3', 'ca-central-1', 'af-south-1', 'me-south-1', 'me-central-1'];
    for (const r of needed) expect(AWS_REGIONS).to.include(r);
  });

  it('rejects an unknown Region with an InputError naming the known ones', () => {
    expect(() => rttMs('us-east-1', 'mars-north-1', 'origin Region')).to.throw(InputError, /origin Region 'mars-north-1'.*use one of us-east-1, us-east-2/);
  });

  it('Asia-Pacific ↔ us-east-1 weighted by the AP viewers of the seed profile is near the issue’s ≈185 ms', () => {
    const ap = SEED_PROFILE.countries.filter((c) => c.region === 'AP');
    const total = ap.reduce((s, c) => s + c.viewerShare, 0);
    const weighted = ap.reduce((s, c) => { const r = recFor(c.edges[0]!, 'AP'); return s + c.viewerShare * (r.rttMs + rttMs(r.rec, 'us-east-1')); }, 0) / total;
    expect(weighted).to.be.within(170, 200);
  });
});

describe('lib/network: regional edge caches', () => {
  it('are the real ones: North America 3, Europe 3, Asia-Pacific 5, South America 1, none in the Middle East or Africa', () => {
    const by = (c: string) => REGIONAL_EDGE_CACHES.filter((r) => r.continent === c).length;
    expect([by('NA'), by('EU'), by('AP'), by('SA')]).to.deep.equal([3, 3, 5, 1]);
    expect(REGIONAL_EDGE_CACHES.some((r) => /^(me|af)-/.test(r.awsRegion))).to.equal(false);
  });

  it('each sits in an Origin Shield Region (a REC is the shield of its Region)', () => {
    for (const r of REGIONAL_EDGE_CACHES) expect(ORIGIN_SHIELD_REGIONS).to.include(r.awsRegion);
  });

  it('Middle-East viewers are served by Mumbai, African viewers by Frankfurt', () => {
    expect(recFor('DXB', 'MEA').rec).to.equal('ap-south-1');
    for (const e of ['JNB', 'LOS', 'CAI']) expect(recFor(e, 'MEA').rec).to.equal('eu-central-1');
    expect(recFor('XYZ', 'MEA')).to.deep.equal(DEFAULT_EDGE_REC.MEA);
  });

  it('every known edge maps to a REC of the list', () => {
    const recs = new Set(REGIONAL_EDGE_CACHES.map((r) => r.awsRegion));
    for (const [code, e] of Object.entries(EDGE_RECS)) expect(recs.has(e.rec), code).to.equal(true);
    for (const e of Object.values(DEFAULT_EDGE_REC)) expect(recs.has(e.rec)).to.equal(true);
  });
});

describe('lib/network: the network profile', () => {
  it('the mean handshake cost is (1/requestsPerConnection) × (TCP+TLS 2 RTT, QUIC 1 RTT) mix', () => {
    // 1/50 × (0.7 × 2 + 0.3 × 1) = 0.034
    expect(meanHandshakeRtts(NETWORK_PROFILE)).to.be.closeTo(0.034, 1e-12);
  });

  it('rejects bad fields, naming each', () => {
    const bad: NetworkProfile = { ...NETWORK_PROFILE, requestsPerConnection: 0, http3Share: 2, backboneSigma: -1 };
    expect(() => validateNetworkProfile(bad)).to.throw(InputError, /requestsPerConnection[\s\S]*http3Share|backboneSigma/);
    expect(() => validateNetworkProfile(NETWORK_PROFILE)).not.to.throw();
  });
});

describe('simulator/latency: hop table', () => {
  const edges = [{ code: 'IAD', region: 'NA' as Region }, { code: 'FRA', region: 'EU' as Region }, { code: 'DXB', region: 'MEA' as Region }];
  it('a REC in the shield’s Region adds no hop; others cross to the shield', () => {
    const h = hopTable(SEED_PROFILE, [{ id: 'o', kind: 's3', awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }], edges);
    expect(h.recs).to.deep.equal(['us-east-1', 'eu-central-1', 'ap-south-1']);
    expect(Array.from(h.recShield)).to.deep.equal([0, 90, 185]);
    expect(Array.from(h.colocated)).to.deep.equal([1, 0, 0]);
    expect(Array.from(h.edgeRec)).to.deep.equal([2, 2, 30]);
  });

  it('an origin in an unknown Region is an InputError', () => {
    expect(() => hopTable(SEED_PROFILE, [{ id: 'o', kind: 's3', awsRegion: 'xx-west-9' }], edges)).to.throw(InputError, /origin 'o' Region 'xx-west-9'/);
  });
});

/** One key, one edge with one viewer at 10 ms, one S3 origin with its shield; no noise. */
function tinyWorld(edge: string, region: Region, origin: { awsRegion: string; shieldAwsRegion?: string }, network: Partial<NetworkProfile>): EngineInput {
  const keys: KeySpace = {
    count: 1, size: Float64Array.of(100), originSize: Float64Array.of(100), ttl: Float64Array.of(1000), revalidates: Uint8Array.of(1),
    asset: Int32Array.of(0), type: new Uint8Array(1), behavior: new Uint8Array(1), origin: new Uint8Array(1), weight: Float64Array.of(1),
    cacheableMethod: Uint8Array.of(1), functions: new Uint8Array(1), compressed: new Uint8Array(1),
  };
  const profile: WorkloadProfile = {
    ...SEED_PROFILE,
    network: { ...NETWORK_PROFILE, lastMileSigma: 0, backboneSigma: 0, originSigma: 0, ...network },
  };
  return {
    keys,
    topology: {
      edges: [{ code: edge, region }],
      viewers: [{ country: 'X', region, servedFrom: region, rttMs: 10, throughputMbps: 50, billedGroup: 'US', edges: [0], share: 1 }],
      edgeRegion: Uint8Array.of(['NA', 'EU', 'AP', 'SA', 'MEA'].indexOf(region)),
      regions: ['NA', 'EU', 'AP', 'SA', 'MEA'],
    },
    origins: [{ id: 'o', kind: 's3', ...origin }],
    profile, assets: 1, invalidStart: Int32Array.of(0, 1), invalidKeys: Int32Array.of(0),
  };
}

/** Median TTFB of one request (a miss) through the engine; histogram buckets are 1 % wide. */
function missTtfb(input: EngineInput): number {
  const s = runEngine(input, { length: 1, time: Float64Array.of(0), key: Int32Array.of(0), viewer: Uint8Array.of(0), edge: Uint8Array.of(0) },
    { length: 0, time: new Float64Array(0), asset: new Int32Array(0), kind: new Uint8Array(0) },
    { policy: 'lru', capacity: { edge: 1e15, rec: 1e15, shield: 1e15 }, capacityScale: 1, hitLevel: 'cloudfront', refreshHitIsHit: true, measureFrom: 0, measureTo: 10, seed: 1 });
  return percentileMs(s.ttfb, 0 * HIST_BUCKETS, 0.5);
}

describe('simulator/engine: latency on hand-computed examples', () => {
  // processing 1 ms per tier, S3 first byte 25 ms (SEED_PROFILE)
  it('a miss at IAD, whose REC is the us-east-1 shield: no REC ↔ shield hop', () => {
    // viewer 10 + proc 1 + IAD↔REC 2 + proc 1 + REC(=shield)↔origin 2 + first byte 25 = 41
    expect(missTtfb(tinyWorld('IAD', 'NA', { awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }, { requestsPerConnection: 1e9 }))).to.be.closeTo(41, 41 * 0.015);
  });

  it('a miss at FRA crosses to the us-east-1 shield', () => {
    // 10 + 1 + FRA↔REC 2 + 1 + eu-central-1↔us-east-1 90 + 1 + shield↔origin 2 + 25 = 132
    expect(missTtfb(tinyWorld('FRA', 'EU', { awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }, { requestsPerConnection: 1e9 }))).to.be.closeTo(132, 132 * 0.015);
  });

  it('the first request of a connection pays TCP + TLS 1.3 (2 viewer RTTs), or 1 over QUIC', () => {
    const w = (http3Share: number) => tinyWorld('IAD', 'NA', { awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }, { requestsPerConnection: 1, http3Share });
    expect(missTtfb(w(0))).to.be.closeTo(61, 61 * 0.015); // 41 + 2 × 10
    expect(missTtfb(w(1))).to.be.closeTo(51, 51 * 0.015); // 41 + 1 × 10
  });
});

describe('simulator/results: figures by viewer region', () => {
  it('splits TTFB and hit ratio by the viewers’ own region, hand-computed', () => {
    // one key; an NA viewer at IAD asks first (a miss all the way), then an EU viewer at FRA (edge and
    // Frankfurt REC miss, the us-east-1 shield hits: a CloudFront hit, 10 + 1 + 2 + 1 + 90 + 1 = 105 ms)
    const base = tinyWorld('IAD', 'NA', { awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }, { requestsPerConnection: 1e9 });
    const input: EngineInput = {
      ...base,
      topology: {
        ...base.topology,
        edges: [{ code: 'IAD', region: 'NA' }, { code: 'FRA', region: 'EU' }],
        viewers: [base.topology.viewers[0]!, { ...base.topology.viewers[0]!, country: 'Y', region: 'EU', servedFrom: 'EU', billedGroup: 'EU', edges: [1] }],
        edgeRegion: Uint8Array.of(0, 1),
      },
    };
    const s = runEngine(input, { length: 2, time: Float64Array.of(0, 1), key: Int32Array.of(0, 0), viewer: Uint8Array.of(0, 1), edge: Uint8Array.of(0, 1) },
      { length: 0, time: new Float64Array(0), asset: new Int32Array(0), kind: new Uint8Array(0) },
      { policy: 'lru', capacity: { edge: 1e15, rec: 1e15, shield: 1e15 }, capacityScale: 1, hitLevel: 'cloudfront', refreshHitIsHit: true, measureFrom: 0, measureTo: 10, seed: 1 });
    const r = summarize({ stack: 't', stats: s, catalog: resolveCatalog(), invalidationPathsPerMonth: 0 });
    expect(Object.keys(r.regions)).to.deep.equal(['NA', 'EU']);
    expect(r.regions.NA!.types.video.hitRatio).to.equal(0);
    expect(r.regions.EU!.types.video.hitRatio).to.equal(1);
    expect(r.regions.NA!.types.video.p95LatencyMs).to.be.closeTo(41, 41 * 0.015);
    expect(r.regions.EU!.types.video.p95LatencyMs).to.be.closeTo(105, 105 * 0.015);
    expect(r.regions.NA!.shareUnder100Ms).to.equal(1);
    expect(r.regions.EU!.shareUnder100Ms).to.equal(0);
    // the regions add up to the totals
    expect(r.regions.NA!.requests + r.regions.EU!.requests).to.equal(r.totals.requests);
    expect(r.types.video.hitRatio).to.equal(0.5);
  });
});
