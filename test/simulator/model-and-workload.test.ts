import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import type { Plan } from '../../lib/plan';
import { replayLog } from '../../simulator/log-replay';
import { simModelFromPlan, type SimModel } from '../../simulator/plan-model';
import { SEED_PROFILE } from '../../simulator/profile';
import { simulatePlan } from '../../simulator/simulate';
import { predictMonthlyUsage } from '../../simulator/usage';
import { planFromJson, planFromStackExport } from '../../simulator/stack-export';
import { parseCloudFrontLogs } from '../../simulator/trace';
import { applyWhatIf, parseSetOptions } from '../../simulator/what-if';
import { computeCacheKey } from '../../lib/semantics/cache-key';
import { buildWorkload, MAX_AE_CLASSES, type Workload } from '../../simulator/workload/build';
import { buildPlanSerially, planFor } from '../helpers/plan';
import { LOG_HEADER, logLine } from './log-lines';

describe('simulator/plan-model: the simulated behaviors come from the plan', function () {
  this.timeout(60_000);
  let plan: Plan;
  let model: SimModel;
  before(async () => {
    plan = await planFor('prod');
    model = simModelFromPlan(plan);
  });

  it('reads the ordered behaviors, their cache policies and Origin Shield', () => {
    expect(model.behaviors.length).to.equal(15);
    expect(model.defaultBehavior.pathPattern).to.equal('*');
    const video = model.behaviors.find((b) => b.pathPattern === '/video/*')!;
    expect([video.ttl, video.cachingDisabled, video.compress, video.origin.id, video.origin.shieldAwsRegion]).to.deep.equal([{ minTtl: 0, defaultTtl: 21600, maxTtl: 86400 }, false, false, 'video-primary', 'us-east-1']);
    const me = model.behaviors.find((b) => b.pathPattern === '/api/me/*')!;
    expect([me.cachePolicyName, me.cachingDisabled, me.contentType]).to.deep.equal(['CachingDisabled', true, 'api']);
  });

  it('selects behaviors first match wins, through the semantics module', () => {
    const cases: [string, string][] = [
      ['/video/premium/t1/master.m3u8', '/video/premium/*.m3u8'],
      ['/video/premium/t1/1080p.mp4', '/video/premium/*'],
      ['/video/t1/1080p.mp4', '/video/*'],
      ['/api/me/list', '/api/me/*'],
      ['/api/search', '/api/*'],
      ['/index.html', '*'],
    ];
    for (const [path, pattern] of cases) expect(model.select(path).pathPattern, path).to.equal(pattern);
  });

  it('reads a pulumi stack export the same way as the plan', () => {
    const exported = {
      version: 3,
      deployment: {
        resources: [
          { urn: 'urn:pulumi:prod::media-cdn::pulumi:pulumi:Stack::media-cdn-prod', type: 'pulumi:pulumi:Stack', outputs: plan.outputs },
          { urn: 'urn:pulumi:prod::media-cdn::pulumi:providers:aws::default', type: 'pulumi:providers:aws', inputs: { region: 'us-east-1' } },
          ...plan.resources.map((r) => ({ urn: r.urn, type: r.type, id: r.id, custom: r.custom, inputs: r.inputs })),
        ],
      },
    };
    const fromExport = simModelFromPlan(planFromJson(exported, 'state.json'));
    expect(fromExport.stack).to.equal('prod');
    expect(fromExport.behaviors.map((b) => [b.pathPattern, b.ttl, b.cachePolicyName])).to.deep.equal(model.behaviors.map((b) => [b.pathPattern, b.ttl, b.cachePolicyName]));
    expect(() => planFromStackExport({ deployment: {} }, 'x.json')).to.throw(InputError, /not a 'pulumi stack export' file/);
  });

  it('a what-if rebuilds the plan through the stack config and changes the simulated TTL', async () => {
    const w = parseSetOptions(['static.defaultTtl=3600', 'priceClass=PriceClass_100']);
    const config = applyWhatIf(plan.config, w);
    expect((config['media-cdn:contentTypes'] as Record<string, unknown>).static).to.deep.equal({ defaultTtl: 3600 });
    const m = simModelFromPlan(await buildPlanSerially({ stack: 'prod', config }));
    expect([m.defaultBehavior.ttl.defaultTtl, m.priceClass]).to.deep.equal([3600, 'PriceClass_100']);
  });
});

describe('simulator/what-if: --set', () => {
  const bad: [string, RegExp][] = [
    ['static.defaultTtl', /must be key=value/],
    ['nosuch.defaultTtl=1', /unknown route 'nosuch'/],
    ['static.colour=red', /unknown setting 'colour'/],
    ['nosuchKey=1', /neither route.setting nor a stack setting/],
  ];
  for (const [arg, message] of bad) {
    it(`rejects '${arg}'`, () => expect(() => parseSetOptions([arg])).to.throw(InputError, message));
  }
  it('parses JSON values and keeps strings as strings', () => {
    expect(parseSetOptions(['api.compress=false', 'static.pathPatterns=["/s/*"]', 'priceClass=PriceClass_200'])).to.deep.equal({
      contentTypes: { api: { compress: false }, static: { pathPatterns: ['/s/*'] } },
      config: { priceClass: 'PriceClass_200' },
      labels: ['api.compress=false', 'static.pathPatterns=["/s/*"]', 'priceClass=PriceClass_200'],
    });
  });
});

describe('simulator/workload: the seed workload through the semantics module', function () {
  this.timeout(60_000);
  let w: Workload;
  before(async () => {
    w = buildWorkload(simModelFromPlan(await planFor('prod')), { seed: 1, scale: 0.002, profile: SEED_PROFILE });
  });

  /** Distinct keys of the first sampled object whose path matches. */
  function keysOf(re: RegExp): { path: string; keys: number[] } {
    for (let o = 0; o < w.objects; o++) {
      const k0 = w.objectKeys[o * MAX_AE_CLASSES]!;
      if (re.test(w.keyPath[k0]!)) {
        const keys = [...new Set(Array.from({ length: 3 }, (_, c) => w.objectKeys[o * MAX_AE_CLASSES + c]!))];
        return { path: w.keyPath[k0]!, keys };
      }
    }
    throw new Error(`no sampled object matches ${re}`);
  }

  it('is calibrated to the 50 Gbps average of the source', () => {
    const gbps = w.families.reduce((s, f) => s + (f.bytesPerSecond * 8) / 1e9, 0);
    expect(gbps).to.be.closeTo(50, 1e-6);
  });

  it('keeps one cache key for every Accept-Encoding when the policy does not key on it (thumbnails, video)', () => {
    expect(keysOf(/^\/thumbnails\//).keys.length).to.equal(1);
    expect(keysOf(/^\/video\/t\d+\/\d+p\.mp4/).keys.length).to.equal(1);
  });

  it('keys JSON on the normalized Accept-Encoding and compresses it: br, gzip, identity', () => {
    const { keys } = keysOf(/^\/metadata\//);
    expect(keys.length).to.equal(3);
    const [br, gzip, identity] = keys.map((k) => w.keys.size[k]!);
    expect(w.keys.compressed[keys[0]!]).to.equal(1);
    expect(br! / identity!).to.be.closeTo(SEED_PROFILE.compressionRatio.json.br, 0.001);
    expect(gzip! / identity!).to.be.closeTo(SEED_PROFILE.compressionRatio.json.gzip, 0.001);
  });

  it('does not cache personalized API routes and POSTs', () => {
    const { keys } = keysOf(/^\/api\/me\//);
    expect(w.keys.ttl[keys[0]!]).to.equal(-1);
  });

  it('collapses the Accept-Encoding classes as the cache keys of each object do (the build decides it once per behavior)', () => {
    const nAe = Math.min(MAX_AE_CLASSES, SEED_PROFILE.acceptEncodings.length);
    let checked = 0;
    for (let o = 0; o < w.objects; o += 7) {
      const k0 = w.objectKeys[o * MAX_AE_CLASSES]!;
      const b = w.behaviors[w.keys.behavior[k0]!]!;
      const [path, query = ''] = w.keyPath[k0]!.split('?');
      // this object's keys per class, as computeCacheKey gives them (the path and query decide nothing here)
      const strings = Array.from({ length: nAe }, (_, c) => computeCacheKey('sim', b.key, { method: 'GET', path: path!, query, headers: { 'accept-encoding': SEED_PROFILE.acceptEncodings[c]!.header }, httpVersion: '2' }));
      const keys = w.objectKeys.subarray(o * MAX_AE_CLASSES, o * MAX_AE_CLASSES + nAe);
      for (let c = 1; c < nAe; c++) {
        const first = strings.indexOf(strings[c]!);
        if (first < c) expect(keys[c], `${path} class ${c}`).to.equal(keys[first]);
        else expect(Array.from(keys.subarray(0, c)), `${path} class ${c}: a key of its own`).not.to.include(keys[c]);
      }
      checked++;
    }
    expect(checked).to.be.greaterThan(100);
  });

  it('gives every cached key the TTL of its behavior (no Cache-Control from origins)', () => {
    expect(w.keys.ttl[keysOf(/^\/video\/t\d+\/\d+p\.mp4/).keys[0]!]).to.equal(21600);
    expect(w.keys.ttl[keysOf(/^\/metadata\//).keys[0]!]).to.equal(900);
    expect(w.keys.ttl[keysOf(/^\/static\//).keys[0]!]).to.equal(86400);
  });
});

describe('simulator: determinism', function () {
  this.timeout(60_000);
  it('gives identical JSON for the same seed and a different result for another seed', async () => {
    const plan = await planFor('prod');
    const opts = { scale: 0.001, hours: 2, warmupHours: 1 };
    const a = JSON.stringify(simulatePlan(plan, { ...opts, seed: 7 }));
    const b = JSON.stringify(simulatePlan(plan, { ...opts, seed: 7 }));
    const c = JSON.stringify(simulatePlan(plan, { ...opts, seed: 8 }));
    expect(a).to.equal(b);
    expect(c).not.to.equal(a);
  });

  it('predicts a month of usage in the shape monthlyCostUsd takes', async () => {
    const plan = await planFor('prod');
    const { usage, invalidationPlan } = await predictMonthlyUsage(plan, { scale: 0.001, seed: 7, simulate: { hours: 2, warmupHours: 1 } });
    const result = simulatePlan(plan, { scale: 0.001, seed: 7, hours: 2, warmupHours: 1 });
    // Everything but the invalidation paths is the simulation's; those are the planner's.
    expect({ ...usage, invalidationPaths: 0 }).to.deep.equal({ ...result.cost.usage, invalidationPaths: 0 });
    expect(usage.transferGbByGroup.US).to.be.above(0);
    expect(usage.invalidationPaths).to.equal(invalidationPlan.plannedPathsPerMonth);
    expect(invalidationPlan.naivePathsPerMonth).to.equal(result.cost.usage.invalidationPaths);
    expect(usage.invalidationPaths).to.be.above(0);
  });
});

describe('simulator/log-replay: CloudFront logs through the plan', function () {
  this.timeout(60_000);
  it('collapses URLs whose only difference is a query parameter outside the cache key', async () => {
    const model = simModelFromPlan(await planFor('prod'));
    const lines = [
      LOG_HEADER,
      logLine({ time: '12:00:00', 'cs-uri-stem': '/thumbnails/t1/img0.jpg', 'cs-uri-query': 'width=320&utm_source=a', 'x-edge-result-type': 'Miss', 'x-edge-detailed-result-type': 'Miss', 'sc-content-type': 'image/webp' }),
      logLine({ time: '12:00:10', 'cs-uri-stem': '/thumbnails/t1/img0.jpg', 'cs-uri-query': 'width=320&utm_source=b', 'x-edge-result-type': 'Miss', 'x-edge-detailed-result-type': 'Miss', 'sc-content-type': 'image/webp' }),
      logLine({ time: '12:00:20', 'cs-uri-stem': '/thumbnails/t1/img0.jpg', 'cs-uri-query': 'width=640', 'x-edge-result-type': 'Hit', 'x-edge-detailed-result-type': 'Hit', 'sc-content-type': 'image/webp' }),
      logLine({ time: '12:00:30', 'x-edge-location': 'ZZZ1-C1' }),
    ];
    const rep = replayLog(parseCloudFrontLogs([lines.join('\n')]), model, SEED_PROFILE, {
      policy: 'lru', capacity: { edge: 1e12, rec: 1e12, shield: 1e12 }, hitLevel: 'cloudfront', refreshHitIsHit: true, warmupSeconds: 0, seed: 1,
    });
    // 3 thumbnail requests over 30 s: 1 hit (the utm variant), 2 misses (two widths)
    const perDay = 86_400 / 31;
    expect(rep.result.types.thumbnails.requests).to.equal(Math.round(3 * perDay));
    expect(rep.result.types.thumbnails.hitRatio).to.equal(0.3333);
    expect(rep.observed.thumbnails).to.deep.equal({ requests: 3, hitRatio: 0.3333 });
    expect(rep.unknownEdges).to.deep.equal(['ZZZ1-C1']);
  });
});
