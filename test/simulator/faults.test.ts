import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import { FAULT_SCENARIOS, parseDurationText, parseFaultSpec } from '../../lib/faults/scenarios';
import { modelOrigins, outagesFor, recoverySecondsOf, simulateFault, withInvalidationStorm } from '../../simulator/faults';
import { simModelFromPlan, type SimModel } from '../../simulator/plan-model';
import { SEED_PROFILE, type WorkloadProfile } from '../../simulator/profile';
import { EVENT_INVALIDATE, EVENT_UPDATE } from '../../simulator/workload/arrivals';
import { planFor } from '../helpers/plan';

const SMALL: WorkloadProfile = {
  ...SEED_PROFILE,
  averageGbps: 0.5,
  video: { ...SEED_PROFILE.video, titles: 200, durationMinutes: [20, 40] },
  catalog: { ...SEED_PROFILE.catalog, imagesPerTitle: 2, metadataDocuments: 2000, staticFiles: 100, apiQueries: 1000 },
};

describe('lib/faults: scenario specs', () => {
  it('parses <scenario>@<start>+<duration> with units, and defaults', () => {
    expect(parseFaultSpec('primary-s3-down@10h+30m', 0)).to.include({ startSec: 36_000, durationSec: 1800 });
    expect(parseFaultSpec('error-burst', 600)).to.include({ startSec: 600, durationSec: 120 });
    expect(parseFaultSpec('api-down@1h30m+90s', 0)).to.include({ startSec: 5400, durationSec: 90 });
    expect([parseDurationText('45'), parseDurationText('2d'), parseDurationText('10x')]).to.deep.equal([45, 172_800, NaN]);
  });

  it('names the wrong part of a bad spec', () => {
    const problems = (text: string) => { try { parseFaultSpec(text, 0); return []; } catch (e) { return (e as InputError).problems; } };
    expect(problems('disk-full@1h')).to.deep.equal([`--fault: 'disk-full' is not a fault scenario; use one of ${FAULT_SCENARIOS.map((s) => s.name).join(', ')}.`]);
    expect(problems('api-down@soon+0m')).to.deep.equal([
      "--fault: the start 'soon' must be a time such as 10h, 90m or 3600 (seconds into the measured period).",
      "--fault: the duration '0m' must be a positive time such as 30m, 90s or 2h.",
    ]);
    expect(problems('API DOWN')[0]).to.match(/is not <scenario>@<start>\+<duration>/);
  });

  it('every scenario documents what protects the viewer, and why when its target is not all requests', () => {
    for (const s of FAULT_SCENARIOS) {
      expect(s.protects, s.name).to.have.length.above(20);
      if (s.targetScope !== 'all' || s.targetPct < 99.99) expect(s.targetNote, s.name).to.be.a('string');
    }
  });
});

describe('simulator/faults: scenarios on the prod plan', function () {
  this.timeout(120_000);
  let model: SimModel;
  before(async () => { model = simModelFromPlan(await planFor('prod')); });

  it('knows the origin groups, their secondaries and the connection settings of the plan', () => {
    const video = model.behaviors.find((b) => b.pathPattern === '/video/*')!.origin;
    expect([video.failover?.origin.id, video.failover?.origin.role, video.failover?.statusCodes, video.connection]).to.deep.equal([
      'video-secondary', 'secondary', [500, 502, 503, 504], { attempts: 2, connectTimeoutSec: 3, readTimeoutSec: 30 },
    ]);
    // metadata and the public API fail over to their copies in the failover Region, with short timeouts
    const metadata = model.behaviors.find((b) => b.pathPattern === '/metadata/*')!.origin;
    expect([metadata.failover?.origin.id, metadata.failover?.origin.awsRegion, metadata.connection]).to.deep.equal([
      'metadata-us-west-2', 'us-west-2', { attempts: 1, connectTimeoutSec: 2, readTimeoutSec: 4 },
    ]);
    expect(model.behaviors.find((b) => b.pathPattern === '/api/*')!.origin.failover?.origin.id).to.equal('api-us-west-2');
    // a behavior that proxies writes cannot target a group (spec §9.2): the private API has no failover
    expect(model.behaviors.find((b) => b.pathPattern === '/api/me/*')!.origin.failover).to.equal(undefined);
    expect(model.errorCachingMinTtl).to.be.a('number').and.to.be.at.least(0);
  });

  it('takes down the origins each scenario names', () => {
    const ids = (name: string) => outagesFor(model, parseFaultSpec(`${name}@1h+10m`, 0)).flatMap((o) => o.origins ?? []).sort();
    expect(ids('primary-s3-down')).to.deep.equal(['images-primary', 'static-primary', 'video-primary']);
    expect(ids('api-down')).to.deep.equal(['api']);
    // the stack's Region: every origin there, none of the copies and secondaries in us-west-2 (the images fallback included)
    expect(ids('region-origin-down')).to.deep.equal(['api', 'images-primary', 'metadata', 'static-primary', 'video-primary']);
    expect(ids('origin-slow')).to.deep.equal(['api', 'images-primary', 'metadata', 'static-primary', 'video-primary']);
    expect(ids('release-herd')).to.deep.equal([]);
    expect(modelOrigins(model).map((o) => o.id)).to.include.members(['video-secondary', 'images-fallback']);
  });

  it('primary S3 down: origin groups keep every request answered, through the secondaries', () => {
    const { result } = simulateFault(model, parseFaultSpec('primary-s3-down@2h+30m', 0), { scale: 0.05, hours: 4, warmupHours: 2, profile: SMALL });
    expect(result.availabilityPct).to.equal(100);
    expect(result.failovers).to.be.above(0);
    expect(result.pass).to.equal(true);
    expect(result.phases.during.p95TtfbMs).to.be.above(result.phases.before.p95TtfbMs);
  });

  it('the API down: public API GETs fail over and meet the target; proxied API calls fail during the window only', () => {
    const { result } = simulateFault(model, parseFaultSpec('api-down@2h+30m', 0), { scale: 0.05, hours: 4, warmupHours: 2, profile: SMALL });
    expect(result.phases.before.availabilityPct).to.equal(100);
    expect(result.phases.during.availabilityPct).to.be.below(99);
    expect(result.phases.after.availabilityPct).to.be.above(99.9);
    expect(Object.keys(result.errorsByStatus)).to.deep.equal(['502']);
    expect(result.failovers).to.be.above(0);
    expect(result.phases.during.cacheableAvailabilityPct).to.equal(100);
    expect([result.targetScope, result.pass]).to.deep.equal(['cacheable', true]);
  });

  for (const name of ['region-origin-down', 'origin-slow', 'error-burst']) {
    it(`${name}: the groups fail every cacheable request over (metadata and API included), the target is met and nothing fails after the window`, () => {
      const { result } = simulateFault(model, parseFaultSpec(`${name}@2h+10m`, 0), { scale: 0.05, hours: 4, warmupHours: 2, profile: SMALL });
      expect(result.phases.during.cacheableAvailabilityPct, 'cacheable during').to.equal(100);
      expect([result.pass, result.recoverySeconds, result.errorCacheHits]).to.deep.equal([true, 0, 0]);
      expect(result.failovers).to.be.above(0);
    });
  }

  it('refuses a window that ends after the measured hours', () => {
    expect(() => simulateFault(model, parseFaultSpec('api-down@3h+2h', 0), { scale: 0.05, hours: 4, warmupHours: 0, profile: SMALL })).to.throw(InputError, /after the 4 measured hours/);
  });
});

describe('simulator/faults: pure helpers', () => {
  it('merges an invalidation storm into the events in time order', () => {
    const ev = { length: 2, time: Float64Array.of(5, 30), asset: Int32Array.of(1, 0), kind: Uint8Array.of(EVENT_UPDATE, EVENT_UPDATE) };
    const s = withInvalidationStorm(ev, 2, 10, 40, 20);
    expect([...s.time]).to.deep.equal([5, 10, 10, 30, 30, 30]);
    expect([...s.kind]).to.deep.equal([EVENT_UPDATE, EVENT_INVALIDATE, EVENT_INVALIDATE, EVENT_UPDATE, EVENT_INVALIDATE, EVENT_INVALIDATE]);
    expect([...s.asset]).to.deep.equal([1, 0, 1, 0, 0, 1]);
  });

  it('time to recover: from the end of the window to the end of the last bucket with errors', () => {
    expect(recoverySecondsOf(Float64Array.of(0, 3, 2, 0, 1, 0), 10, 30)).to.equal(20);
    expect(recoverySecondsOf(Float64Array.of(0, 3, 0, 0), 10, 30)).to.equal(0);
    expect(recoverySecondsOf(new Float64Array(4), 10, 30)).to.equal(0);
  });
});
