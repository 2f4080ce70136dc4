import { expect } from 'chai';
import { parseReleaseManifest } from '../../lib/warming/predict';
import { outcomeRecord } from '../../simulator/engine';
import { simModelFromPlan, type SimModel } from '../../simulator/plan-model';
import { SEED_PROFILE, type WorkloadProfile } from '../../simulator/profile';
import { statsToJson } from '../../simulator/shard';
import { prepare, runPrepared, runPreparedShard } from '../../simulator/simulate';
import { generateRequests, requestStream, type RequestBatches, type RequestLog } from '../../simulator/workload/arrivals';
import { buildWorkload, MAX_AE_CLASSES, type Workload } from '../../simulator/workload/build';
import { episodeReleaseManifest } from '../../simulator/workload/releases';
import { shardOfAsset } from '../../simulator/workload/shard-of';
import { planFor } from '../helpers/plan';

/** A small platform: 200 titles, small catalogs, 0.5 Gbps. */
const SMALL: WorkloadProfile = {
  ...SEED_PROFILE,
  averageGbps: 0.5,
  video: { ...SEED_PROFILE.video, titles: 200, durationMinutes: [20, 40] },
  catalog: { ...SEED_PROFILE.catalog, imagesPerTitle: 2, metadataDocuments: 2000, staticFiles: 100, apiQueries: 1000 },
};
/** A release 17.3 s after a whole minute, so its Poisson steps do not line up with the seed traffic's. */
const RELEASE_AT = Date.UTC(2025, 10, 24) / 1000 + 20 * 3600 + 17.3;

/** Every batch of a stream, copied out of its reused arrays. */
function drain(s: RequestBatches): { time: number[]; key: number[]; viewer: number[]; edge: number[]; batches: number } {
  const out = { time: [] as number[], key: [] as number[], viewer: [] as number[], edge: [] as number[], batches: 0 };
  for (let b = s.next(); b !== undefined; b = s.next()) {
    out.time.push(...b.time); out.key.push(...b.key); out.viewer.push(...b.viewer); out.edge.push(...b.edge);
    out.batches++;
  }
  return out;
}

const plain = (r: RequestLog) => ({ time: [...r.time], key: [...r.key], viewer: [...r.viewer], edge: [...r.edge] });

describe('simulator/workload: requests streamed in batches', function () {
  this.timeout(120_000);
  let model: SimModel;
  let w: Workload;
  before(async () => {
    model = simModelFromPlan(await planFor('prod'));
    const releases = parseReleaseManifest(episodeReleaseManifest(SMALL, { series: ['t0', 't3'], releaseAtSec: RELEASE_AT, minutes: 10 }), 'm');
    w = buildWorkload(model, { seed: 1, scale: 0.05, profile: SMALL, releases });
  });

  for (const batchSeconds of [60, 317, 3600]) {
    it(`gives exactly the one-log requests (seed traffic and releases merged) in batches of ${batchSeconds} s`, () => {
      const from = 19 * 3600 + 7, to = 21 * 3600 - 3;
      const one = generateRequests(w, from, to, 3);
      const s = requestStream(w, from, to, 3, { batchSeconds });
      const got = drain(s);
      expect(one.length).to.be.above(1000);
      expect(got.batches).to.equal(Math.ceil((to - from) / batchSeconds));
      expect(s.done).to.equal(one.length);
      const { batches: _b, ...log } = got;
      expect(log).to.deep.equal(plain(one));
    });
  }

  it("draws one shard's objects only, the same for a seed and shard count, and about its share", () => {
    const from = 0, to = 2 * 3600;
    const all = generateRequests(w, from, to, 3).length;
    const parts = [0, 1, 2].map((index) => drain(requestStream(w, from, to, 3, { shard: { index, count: 3 } })));
    parts.forEach((p, index) => {
      expect(p.key.every((k) => shardOfAsset(w.keys.asset[k]!, 3) === index)).to.equal(true);
      expect(p.time).to.deep.equal([...p.time].sort((a, b) => a - b));
    });
    expect(drain(requestStream(w, from, to, 3, { shard: { index: 1, count: 3 } }))).to.deep.equal(parts[1]);
    expect(Math.abs(parts.reduce((n, p) => n + p.key.length, 0) / all - 1)).to.be.below(0.05);
    // every object's keys are in the stream of its own shard only
    const o = w.objectKeys[0 * MAX_AE_CLASSES]!;
    const home = shardOfAsset(w.keys.asset[o]!, 3);
    parts.forEach((p, index) => { if (index !== home) expect(p.key).not.to.include(o); });
  });
});

describe('simulator/simulate: streamed runs equal replayed ones', function () {
  this.timeout(300_000);
  it('the same statistics and outcome record whether the requests are kept or streamed', async () => {
    const model = simModelFromPlan(await planFor('prod'));
    const opts = { seed: 2, scale: 0.002, hours: 2, warmupHours: 1, profile: SEED_PROFILE };
    const streamed = prepare(model, opts);
    const kept = prepare(model, opts);
    const n = kept.requests.length;
    const [recS, recK] = [outcomeRecord(n), outcomeRecord(n)];
    const a = runPrepared(streamed, { record: recS });
    expect(streamed.materialized).to.equal(false);
    expect(streamed.requestCount).to.equal(n);
    const b = runPrepared(kept, { record: recK });
    expect(JSON.parse(JSON.stringify(a))).to.deep.equal(JSON.parse(JSON.stringify(b)));
    expect([...recS.result]).to.deep.equal([...recK.result]);
    expect([...recS.ttfbMs]).to.deep.equal([...recK.ttfbMs]);
    // one shard of one is the whole run
    expect(statsToJson(runPreparedShard(streamed, { index: 0, count: 1 }))).to.deep.equal(statsToJson(runPreparedShard(kept, { index: 0, count: 1 })));
  });
});

describe('simulator/simulate: a workload built for one shard', function () {
  this.timeout(300_000);
  it("runs that shard exactly as the whole workload's shard does (LRU and S3-FIFO), and refuses the others", async () => {
    const model = simModelFromPlan(await planFor('prod'));
    const opts = { seed: 3, scale: 0.002, hours: 1, warmupHours: 1, profile: SEED_PROFILE };
    const whole = prepare(model, opts);
    const shard = { index: 1, count: 2 };
    const own = prepare(model, { ...opts, shard });
    expect(own.workload.keys.count).to.be.below(whole.workload.keys.count * 0.7);
    expect(own.workload.families).to.deep.equal(whole.workload.families);
    for (const policy of ['lru', 's3fifo'] as const) {
      expect(statsToJson(runPreparedShard(own, shard, { policy }))).to.deep.equal(statsToJson(runPreparedShard(whole, shard, { policy })));
    }
    expect(() => runPreparedShard(own, { index: 0, count: 2 })).to.throw(RangeError, /holds the keys of shard 1\/2 only/);
    expect(() => runPrepared(own)).to.throw(RangeError, /holds the keys of shard 1\/2 only/);
  });
});
