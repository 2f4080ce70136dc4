import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { EngineStats, runEngine, VIDEO_ROLES, type EngineInput } from '../../simulator/engine';
import { bucketUpperMs, histBucket, HIST_BUCKETS } from '../../simulator/latency';
import { REGIONS, SEED_PROFILE, type Region } from '../../simulator/profile';
import { summarize } from '../../simulator/results';
import { renderVideoTable, videoReportSection, videoTableData } from '../../simulator/video/report';
import { abrLadder, manifestBytesOf, watchSecondsOf } from '../../simulator/video/ladder';
import { histogramSampler, videoExperience, videoExperienceInputs, type VideoExperienceInputs } from '../../simulator/video/experience';
import { DEFAULT_PLAYER_PROFILE, validatePlayerProfile, type PlayerProfile } from '../../simulator/video/player';
import { pickRendition, simulateSession, type Draws, type SessionWorld, type TtfbSampler } from '../../simulator/video/session';
import { videoRoleOf, VIDEO_ROLE_FIRST_SEGMENT, VIDEO_ROLE_MANIFEST, VIDEO_ROLE_NONE, VIDEO_ROLE_SEGMENT, type KeySpace } from '../../simulator/workload/build';

const constant = (ms: number): TtfbSampler => ({ sample: () => ms });
/** Draws that never vary: every normal is 0 (so σ does not matter), every uniform 0.5. */
const still: Draws = { next: () => 0.5, normal: () => 0 };
const player = (over: Partial<PlayerProfile> = {}): PlayerProfile => ({ ...DEFAULT_PLAYER_PROFILE, viewerThroughputSigma: 0, segmentThroughputSigma: 0, ...over });

describe('simulator/video: the player-session model', () => {
  describe('pickRendition', () => {
    const ladder = [{ name: 'low', bitrateMbps: 1 }, { name: 'mid', bitrateMbps: 4 }, { name: 'high', bitrateMbps: 10 }];
    for (const [estimate, expected] of [[0.5, 0], [1.19, 0], [1.2, 0], [4.79, 0], [4.8, 1], [11.99, 1], [12, 2], [1000, 2]] as const) {
      it(`picks rung ${expected} at an estimate of ${estimate} Mbps (bitrate × 1.2 must fit)`, () => expect(pickRendition(ladder, estimate, 1.2)).to.equal(expected));
    }
  });

  describe('simulateSession, computed by hand', () => {
    // 12,500 bytes = 0.1 Mbit: 10 ms at 10 Mbps.
    const base: SessionWorld = {
      ladder: [{ name: 'low', bitrateMbps: 1 }, { name: 'high', bitrateMbps: 4 }], segmentSeconds: 2, watchSeconds: 4, manifestBytes: 12_500,
      player: player({ initSegmentBytes: 12_500, startupBufferSeconds: 2, initialEstimateMbps: 4.194304, estimateWeight: 0.5 }),
      ttfb: { manifest: constant(100), firstSegment: constant(50), segment: constant(50) },
    };

    it('startup = two playlists + init + the first segment, each TTFB + body at the throughput', () => {
      // master 100 + 10, media playlist 100 + 10, init 50 + 10, segment 0 on 'low' (4 × 1.2 > 4.19): 50 + 2 Mbit / 10 Mbps = 250 → 530 ms
      const o = simulateSession(base, 10, still);
      expect(o.startupMs).to.be.closeTo(530, 1e-9);
      expect(o.startupTtfbMs).to.be.closeTo(300, 1e-9);
    });

    it('switches up after measuring the first segment and pays the new playlist and init segment, without a stall', () => {
      // segment 0 measured 2 Mbit / 0.25 s = 8 Mbps ≥ 4 × 1.2: segment 1 on 'high' costs 110 + 60 + 50 + 8 Mbit / 10 Mbps = 1,020 ms < 2 s of buffer
      const o = simulateSession(base, 10, still);
      expect(o.stallMs).to.equal(0);
      expect(o.watchMs).to.equal(4000);
      expect(o.meanBitrateMbps).to.be.closeTo((1 * 2 + 4 * 2) / 4, 1e-9);
    });

    it('stalls by the time each segment takes beyond the buffer: 3 × 0.667 s over 8 s watched is a ratio of 0.2', () => {
      // one 4 Mbps rendition at 3 Mbps, no TTFB: each 2 s segment takes 8/3 s; startup is one segment (2.667 s),
      // then segments 1–3 each find 2 s of buffer and stall 0.667 s
      const w: SessionWorld = {
        ...base, ladder: [{ name: 'only', bitrateMbps: 4 }], watchSeconds: 8, manifestBytes: 0, player: player({ initSegmentBytes: 0, startupBufferSeconds: 2 }),
        ttfb: { manifest: constant(0), firstSegment: constant(0), segment: constant(0) },
      };
      const o = simulateSession(w, 3, still);
      expect(o.startupMs).to.be.closeTo(8000 / 3, 1e-9);
      expect(o.stallMs).to.be.closeTo(2000, 1e-9);
      expect(o.stallMs / (o.stallMs + o.watchMs)).to.be.closeTo(0.2, 1e-12);
    });

    it('buffers whole segments for the startup buffer (5 s of 2 s segments is three) and rounds the watched media up', () => {
      const w: SessionWorld = {
        ...base, ladder: [{ name: 'only', bitrateMbps: 2 }], watchSeconds: 9, manifestBytes: 0, player: player({ initSegmentBytes: 0, startupBufferSeconds: 5 }),
        ttfb: { manifest: constant(10), firstSegment: constant(20), segment: constant(30) },
      };
      // 10 + 10 + 20 (init) + (20 + 400) + 2 × (30 + 400) = 1,320 ms; 9 s is 5 segments
      const o = simulateSession(w, 10, still);
      expect(o.startupMs).to.be.closeTo(1320, 1e-9);
      expect(o.watchMs).to.equal(10_000);
    });

    it('never stalls when every segment arrives within one segment duration, however long the session', () => {
      const w: SessionWorld = { ...base, watchSeconds: 3600, player: player({ maxBufferSeconds: 30, startupBufferSeconds: 2 }) };
      const o = simulateSession(w, 50, still);
      expect(o.stallMs).to.equal(0);
      expect(o.watchMs).to.equal(3_600_000);
    });
  });

  describe('histogramSampler', () => {
    it('returns bucket upper bounds in proportion to the weights, and nothing for an empty histogram', () => {
      const h = new Float64Array(2 * HIST_BUCKETS);
      const b10 = histBucket(10), b100 = histBucket(100);
      h[HIST_BUCKETS + b10] = 1;
      h[HIST_BUCKETS + b100] = 3;
      const s = histogramSampler(h, HIST_BUCKETS)!;
      expect(s.sample(0)).to.equal(bucketUpperMs(b10));
      expect(s.sample(0.2499)).to.equal(bucketUpperMs(b10));
      expect(s.sample(0.25)).to.equal(bucketUpperMs(b100));
      expect(s.sample(0.9999)).to.equal(bucketUpperMs(b100));
      expect(histogramSampler(h, 0)).to.equal(undefined);
    });
  });

  describe('videoExperience per region', () => {
    /** Histograms with every request of `regions` at `ms`, in the given roles (0 manifest, 1 first segment, 2 later segment). */
    function histograms(regions: readonly Region[], ms: number, roles: readonly number[] = [0, 1, 2]): Float64Array {
      const h = new Float64Array(REGIONS.length * VIDEO_ROLES * HIST_BUCKETS);
      for (const r of regions) for (const role of roles) h[(REGIONS.indexOf(r) * VIDEO_ROLES + role) * HIST_BUCKETS + histBucket(ms)] = 5;
      return h;
    }
    const inputs = (over: Partial<VideoExperienceInputs> = {}): VideoExperienceInputs => ({
      ladder: [{ name: 'only', bitrateMbps: 1 }], segmentSeconds: 2, watchSeconds: 4, manifestBytes: 0,
      viewerMbps: { NA: 8, EU: 8, AP: 8, SA: 8, MEA: 2 / 3 }, player: player({ initSegmentBytes: 0, startupBufferSeconds: 2, sessionsPerRegion: 3 }), seed: 1, ...over,
    });

    it('startup p95 = 4 first-byte times + the first segment at the throughput; regions without video are left out', () => {
      const T = bucketUpperMs(histBucket(100));
      const r = videoExperience(histograms(['EU', 'MEA'], 100), inputs());
      expect(Object.keys(r.regions)).to.deep.equal(['EU', 'MEA']);
      // EU: 2 Mbit at 8 Mbps = 250 ms; segment 1 takes T + 250 < 2 s: no stall
      expect(r.regions.EU!.startupP95Ms).to.be.closeTo(4 * T + 250, 0.05);
      expect(r.regions.EU!.startupTtfbShare).to.be.closeTo(4 * T / (4 * T + 250), 1e-4);
      expect(r.regions.EU!.rebufferingRatio).to.equal(0);
      expect(r.regions.EU!.startupPass).to.equal(true);
      // MEA: 2 Mbit at 2/3 Mbps = 3 s per segment + T; segment 1 stalls T + 1 s of 4 s watched
      expect(r.regions.MEA!.startupP95Ms).to.be.closeTo(4 * T + 3000, 0.05);
      expect(r.regions.MEA!.rebufferingRatio).to.be.closeTo((T + 1000) / (T + 1000 + 4000), 1e-6);
      expect(r.regions.MEA!.sessionsWithStall).to.equal(1);
      expect(r.regions.MEA!.startupPass).to.equal(false);
      expect(r.regions.MEA!.rebufferingPass).to.equal(false);
      expect(r.pass).to.equal(false);
      expect(r.regions.EU!.ttfbStandIns).to.deep.equal([]);
    });

    it('pools the regions for all viewers, each weighted by its segment requests', () => {
      const T = bucketUpperMs(histBucket(100));
      const h = histograms(['EU', 'MEA'], 100);
      const equal = videoExperience(h, inputs()).overall!;
      // three EU sessions at 4T + 250, three MEA sessions at 4T + 3,000, equal weights: the p50 is EU's, the p95 MEA's
      expect(equal.startupP50Ms).to.be.closeTo(4 * T + 250, 0.05);
      expect(equal.startupP95Ms).to.be.closeTo(4 * T + 3000, 0.05);
      expect(equal.rebufferingRatio).to.be.closeTo((T + 1000) / (T + 9000), 1e-6);
      // MEA with three times EU's segment requests: 0.5 of the weight is reached inside MEA's sessions
      for (const role of [1, 2]) h[(REGIONS.indexOf('MEA') * VIDEO_ROLES + role) * HIST_BUCKETS + histBucket(100)] = 15;
      const heavy = videoExperience(h, inputs()).overall!;
      expect(heavy.startupP50Ms).to.be.closeTo(4 * T + 3000, 0.05);
      expect(heavy.rebufferingRatio).to.be.closeTo((3 * (T + 1000)) / (4000 + 3 * (T + 1000 + 4000)), 1e-6);
      expect(videoExperience(histograms([], 100), inputs()).overall).to.equal(undefined);
    });

    it('judges against configurable targets', () => {
      const T = bucketUpperMs(histBucket(100));
      const at = (startupP95Ms: number) => videoExperience(histograms(['EU'], 100), inputs({ player: player({ initSegmentBytes: 0, startupBufferSeconds: 2, sessionsPerRegion: 3, targets: { startupP95Ms, rebufferingRatio: 0 } }) }));
      expect(at(4 * T + 251).pass).to.equal(true);
      expect(at(4 * T + 249).regions.EU!.startupPass).to.equal(false);
    });

    it('lets the segment TTFB stand in for a missing manifest or first-segment histogram, and says so', () => {
      const r = videoExperience(histograms(['NA'], 100, [2]), inputs());
      expect(r.regions.NA!.ttfbStandIns).to.deep.equal(['first segment: segment TTFB', 'manifest: segment TTFB']);
      expect(videoExperience(histograms(['NA'], 100, [0]), inputs()).regions).to.deep.equal({});
    });

    it('is deterministic for a seed and varies with the throughput spread', () => {
      const x = inputs({ player: { ...DEFAULT_PLAYER_PROFILE, sessionsPerRegion: 200 } });
      const a = videoExperience(histograms(['AP'], 80), x), b = videoExperience(histograms(['AP'], 80), x);
      expect(a).to.deep.equal(b);
      expect(a.regions.AP!.startupP95Ms).to.be.greaterThan(a.regions.AP!.startupP50Ms);
    });

    it('rejects histograms of the wrong size and bad inputs, naming the field', () => {
      expect(() => videoExperience(new Float64Array(10), inputs())).to.throw(InputError, /must hold \d+ buckets .* got 10/);
      const h = histograms(['EU'], 100);
      expect(() => videoExperience(h, inputs({ ladder: [] }))).to.throw(InputError, /at least one rendition/);
      expect(() => videoExperience(h, inputs({ ladder: [{ name: 'a', bitrateMbps: 4 }, { name: 'b', bitrateMbps: 1 }] }))).to.throw(InputError, /lowest bitrate first: 'b'/);
      expect(() => videoExperience(h, inputs({ ladder: [{ name: 'a', bitrateMbps: 0 }] }))).to.throw(InputError, /rendition 'a' must have a bitrate/);
      expect(() => videoExperience(h, inputs({ segmentSeconds: 0 }))).to.throw(InputError, /segmentSeconds must be .* got 0/);
      expect(() => videoExperience(h, inputs({ segmentSeconds: 60 }))).to.throw(InputError, /maxBufferSeconds \(30\) must hold at least one segment of 60 s/);
      expect(() => videoExperience(h, inputs({ watchSeconds: Number.NaN }))).to.throw(InputError, /watched media .* got NaN/);
      expect(() => videoExperience(h, inputs({ viewerMbps: { NA: 8, EU: -1, AP: 8, SA: 8, MEA: 8 } }))).to.throw(InputError, /regions\.EU\.viewerMbps .* got -1/);
    });
  });

  describe('in the result, the terminal and the HTML report', () => {
    const x: VideoExperienceInputs = {
      ladder: [{ name: 'only', bitrateMbps: 1 }], segmentSeconds: 2, watchSeconds: 4, manifestBytes: 0,
      viewerMbps: { NA: 8, EU: 8, AP: 8, SA: 8, MEA: 2 / 3 }, player: player({ initSegmentBytes: 0, startupBufferSeconds: 2, sessionsPerRegion: 3 }), seed: 1,
    };
    function stats(): EngineStats {
      const s = new EngineStats(300, 3600);
      for (const r of ['EU', 'MEA'] as const) for (const role of [0, 1, 2]) s.videoTtfbByRegion[(REGIONS.indexOf(r) * VIDEO_ROLES + role) * HIST_BUCKETS + histBucket(100)] = 5;
      return s;
    }

    it('summarize adds `video` when given the model\'s inputs, and leaves `pass` to the CDN targets', () => {
      const catalog = resolveCatalog();
      const without = summarize({ stack: 't', stats: stats(), catalog, invalidationPathsPerMonth: 0 });
      const withVideo = summarize({ stack: 't', stats: stats(), catalog, invalidationPathsPerMonth: 0, videoExperience: x });
      expect(without.video).to.equal(undefined);
      expect(withVideo.video!.regions.MEA!.startupPass).to.equal(false);
      expect(withVideo.pass).to.equal(without.pass);
    });

    it('prints a row per region with its result, and draws startup p95 bars red where the target is missed', () => {
      const v = videoExperience(stats().videoTtfbByRegion, x);
      const { headers, rows } = videoTableData(v);
      expect(headers[3]).to.equal('startup p95 ms (< 2,000)');
      expect(rows.map((r) => [r[0], r[8]])).to.deep.equal([['Europe', 'pass'], ['Middle East & Africa', 'FAIL'], ['all viewers', 'FAIL']]);
      expect(renderVideoTable(v)).to.match(/Middle East & Africa .* FAIL/);
      const section = videoReportSection(v);
      const data = (section.chart!.config as { data: { datasets: { backgroundColor: unknown }[] } }).data;
      expect(data.datasets[0]!.backgroundColor).to.deep.equal(['#2ca02c', '#d62728']);
      expect(section.table!.rows).to.have.length(3);
    });
  });

  describe('validatePlayerProfile', () => {
    it('accepts the default profile', () => expect(() => validatePlayerProfile(DEFAULT_PLAYER_PROFILE)).not.to.throw());
    for (const [field, over, message] of [
      ['startupBufferSeconds', { startupBufferSeconds: 0 }, /player\.startupBufferSeconds must be a number of seconds > 0, got 0/],
      ['maxBufferSeconds', { maxBufferSeconds: 4 }, /player\.maxBufferSeconds must be a number of seconds ≥ startupBufferSeconds \(6\), got 4/],
      ['bandwidthVariance', { bandwidthVariance: 0.9 }, /player\.bandwidthVariance must be a factor ≥ 1, got 0\.9/],
      ['initialEstimateMbps', { initialEstimateMbps: 0 }, /initialEstimateMbps .* got 0/],
      ['estimateWeight', { estimateWeight: 0 }, /estimateWeight must be a weight in \(0, 1\], got 0/],
      ['initSegmentBytes', { initSegmentBytes: -1 }, /initSegmentBytes .* got -1/],
      ['viewerThroughputSigma', { viewerThroughputSigma: 3 }, /viewerThroughputSigma must be a lognormal σ from 0 to 2, got 3/],
      ['segmentThroughputSigma', { segmentThroughputSigma: Number.NaN }, /segmentThroughputSigma .* got NaN/],
      ['sessionsPerRegion', { sessionsPerRegion: 1.5 }, /sessionsPerRegion must be a whole number from 1 to 1,000,000, got 1\.5/],
      ['targets.startupP95Ms', { targets: { startupP95Ms: 0, rebufferingRatio: 0.005 } }, /targets\.startupP95Ms must be a number of ms > 0, got 0/],
      ['targets.rebufferingRatio', { targets: { startupP95Ms: 2000, rebufferingRatio: 1 } }, /targets\.rebufferingRatio must be a fraction in \[0, 1\) \(0\.005 = 0\.5 %\), got 1/],
    ] as const) {
      it(`rejects a bad ${field}`, () => expect(() => validatePlayerProfile({ ...DEFAULT_PLAYER_PROFILE, ...over })).to.throw(InputError, message));
    }
  });

  describe('the seed workload\'s ladder and session', () => {
    it('has the catalog\'s four renditions at their files\' bitrates: 1–10 GB over 90 minutes, geometric', () => {
      const ladder = abrLadder(SEED_PROFILE, resolveCatalog());
      expect(ladder.map((r) => r.name)).to.deep.equal(['480p', '720p', '1080p', '2160p']);
      // 1 GB × 8 / 5,400 s = 1.4815 Mbps; × 10^(1/3) each rung; 10 GB = 14.815 Mbps
      const expected = [0, 1, 2, 3].map((i) => (8e9 * Math.pow(10, i / 3)) / 5400 / 1e6);
      ladder.forEach((r, i) => expect(r.bitrateMbps).to.be.closeTo(expected[i]!, 1e-9));
    });

    it('watches 45 % of a 90-minute title (2,430 s) with 6,325-byte playlists', () => {
      expect(watchSecondsOf(SEED_PROFILE)).to.be.closeTo(2430, 1e-9);
      expect(manifestBytesOf(SEED_PROFILE)).to.equal(6325);
      const x = videoExperienceInputs(SEED_PROFILE, resolveCatalog(), 7);
      expect(x.segmentSeconds).to.equal(6);
      expect(x.viewerMbps).to.deep.equal({ NA: 50, EU: 50, AP: 40, SA: 25, MEA: 20 });
      expect(x.player).to.equal(DEFAULT_PLAYER_PROFILE);
    });
  });

  describe('the engine\'s TTFB histograms by player role', () => {
    it('videoRoleOf: manifests, first segments and later segments of video; nothing else', () => {
      expect(videoRoleOf('video', { rangeIndex: -1, compressionFamily: 'manifest' })).to.equal(VIDEO_ROLE_MANIFEST);
      expect(videoRoleOf('video', { rangeIndex: 0 })).to.equal(VIDEO_ROLE_FIRST_SEGMENT);
      expect(videoRoleOf('video', { rangeIndex: 7 })).to.equal(VIDEO_ROLE_SEGMENT);
      expect(videoRoleOf('video', { rangeIndex: -1 })).to.equal(VIDEO_ROLE_NONE);
      expect(videoRoleOf('thumbnails', { rangeIndex: 0 })).to.equal(VIDEO_ROLE_NONE);
    });

    it('counts each request in its viewer region\'s histogram of its role, and keys without a role nowhere', () => {
      const roles = [VIDEO_ROLE_MANIFEST, VIDEO_ROLE_FIRST_SEGMENT, VIDEO_ROLE_SEGMENT, VIDEO_ROLE_NONE];
      const n = roles.length;
      const keys: KeySpace = {
        count: n, size: new Float64Array(n).fill(100), originSize: new Float64Array(n).fill(100), ttl: new Float64Array(n).fill(3600),
        revalidates: new Uint8Array(n).fill(1), asset: Int32Array.from(roles, (_, i) => i), type: new Uint8Array(n), behavior: new Uint8Array(n),
        origin: new Uint8Array(n), weight: new Float64Array(n).fill(2), cacheableMethod: new Uint8Array(n).fill(1), functions: new Uint8Array(n),
        compressed: new Uint8Array(n), videoRole: Uint8Array.from(roles),
      };
      const edges = [{ code: 'FRA', region: 'EU' as const }];
      const input: EngineInput = {
        keys,
        topology: {
          edges,
          viewers: [{ country: 'DE', region: 'EU', servedFrom: 'EU', rttMs: 10, throughputMbps: 50, billedGroup: 'EU' as const, edges: [0], share: 1 }],
          edgeRegion: Uint8Array.from([1]), regions: ['NA', 'EU', 'AP', 'SA', 'MEA'],
        },
        origins: [{ id: 'o', kind: 's3', awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }],
        profile: SEED_PROFILE, assets: n, invalidStart: Int32Array.from([0, 0, 0, 0, 0]), invalidKeys: new Int32Array(0),
      };
      // key 1 (first segment) twice, the others once
      const req = [[1, 0], [2, 1], [3, 1], [4, 2], [5, 3]] as const;
      const stats = runEngine(input, {
        length: req.length, time: Float64Array.from(req, (r) => r[0]), key: Int32Array.from(req, (r) => r[1]),
        viewer: new Uint8Array(req.length), edge: new Uint8Array(req.length),
      }, { length: 0, time: new Float64Array(0), asset: new Int32Array(0), kind: new Uint8Array(0) }, {
        policy: 'lru', capacity: { edge: 1e15, rec: 1e15, shield: 1e15 }, capacityScale: 1, hitLevel: 'cloudfront', refreshHitIsHit: true, measureFrom: 0, measureTo: 100, seed: 1,
      });
      const sum = (region: number, role: number) => {
        let s = 0;
        for (let b = 0; b < HIST_BUCKETS; b++) s += stats.videoTtfbByRegion[(region * VIDEO_ROLES + role) * HIST_BUCKETS + b]!;
        return s;
      };
      const eu = REGIONS.indexOf('EU');
      expect([sum(eu, 0), sum(eu, 1), sum(eu, 2)]).to.deep.equal([2, 4, 2]);
      for (const r of REGIONS) if (r !== 'EU') expect([0, 1, 2].map((role) => sum(REGIONS.indexOf(r), role))).to.deep.equal([0, 0, 0]);
      // the type's histogram has all five requests (weight 2 each), the roles four of them
      let typeTotal = 0;
      for (let b = 0; b < HIST_BUCKETS; b++) typeTotal += stats.ttfbByRegion[eu * 5 * HIST_BUCKETS + b]!;
      expect(typeTotal).to.equal(10);
    });
  });
});
