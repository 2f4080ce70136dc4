/**
 * Cache tags in the simulator: every key carries the tags the catalog derives from its path (checked
 * key by key against lib/semantics `invalidationMatches`), and a tag invalidation removes exactly the
 * keys carrying the tag, from every tier: the second pass over every key misses on those and hits on
 * all others.
 */
import { expect } from 'chai';
import { deriveObjectTags } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { invalidationMatches } from '../../lib/semantics';
import { runEngine, type EngineStats } from '../../simulator/engine';
import { simModelFromPlan } from '../../simulator/plan-model';
import { SEED_PROFILE } from '../../simulator/profile';
import { buildTagIndex, keysOfTag, tagAsset, tagsOfKey, withTagInvalidations, withTagTargets, type TagIndex } from '../../simulator/tags';
import type { EventLog, RequestLog } from '../../simulator/workload/arrivals';
import { buildWorkload, type Workload } from '../../simulator/workload/build';
import { planFor } from '../helpers/plan';

const NO_EVENTS: EventLog = { length: 0, time: new Float64Array(0), asset: new Int32Array(0), kind: new Uint8Array(0) };

describe('cache tags in the simulator', function () {
  this.timeout(120_000);
  let w: Workload;
  let index: TagIndex;
  before(async () => {
    w = buildWorkload(simModelFromPlan(await planFor('prod')), { seed: 1, scale: 0.002, profile: SEED_PROFILE });
    index = buildTagIndex(w.model.catalog, w.keyPath);
  });

  it("gives every key the catalog's tags of its path", () => {
    for (let k = 0; k < w.keys.count; k++) {
      const path = w.keyPath[k]!.split('?')[0]!;
      expect(tagsOfKey(index, k), path).to.deep.equal(deriveObjectTags(w.model.catalog, path));
    }
    expect(index.tags.filter((t) => t.startsWith('type:')).sort()).to.deep.equal(['type:api', 'type:metadata', 'type:static', 'type:thumbnails', 'type:video']);
  });

  // 'playlist:' stands for the first playlist tag the sampled workload has.
  const tags = ['video:t0', 'VIDEO:T1', 'type:thumbnails', 'type:metadata', 'playlist:'];
  for (const given of tags) {
    it(`#${given === 'playlist:' ? 'playlist:<first sampled>' : given} selects exactly the keys invalidationMatches selects`, () => {
      const tag = given === 'playlist:' ? index.tags.find((t) => t.startsWith('playlist:'))! : given;
      const expected: number[] = [];
      for (let k = 0; k < w.keys.count; k++) {
        if (invalidationMatches(`#${tag}`, { uri: w.keyPath[k]!, tags: tagsOfKey(index, k) })) expected.push(k);
      }
      expect(expected.length, 'the workload has keys with this tag').to.be.greaterThan(0);
      expect([...keysOfTag(index, `#${tag}`)]).to.deep.equal(expected);
    });
  }

  it('selects nothing for a tag no key carries, and refuses to plan an invalidation of it', () => {
    expect([...keysOfTag(index, '#video:nope')]).to.deep.equal([]);
    expect(() => tagAsset(w.assets, index, '#video:nope')).to.throw(InputError, "no simulated object carries the cache tag 'video:nope'");
  });

  /** Every cacheable key once at t = 0…, then again from t = 10 (all TTLs are longer). */
  function twoPasses(): RequestLog {
    const keys = Array.from({ length: w.keys.count }, (_, k) => k).filter((k) => w.keys.ttl[k]! >= 60);
    const n = keys.length;
    const time = new Float64Array(2 * n);
    const key = new Int32Array(2 * n);
    keys.forEach((k, i) => {
      time[i] = i * 1e-6;
      time[n + i] = 10 + i * 1e-6;
      key[i] = k;
      key[n + i] = k;
    });
    return { length: 2 * n, time, key, viewer: new Uint8Array(2 * n), edge: new Uint8Array(2 * n) };
  }

  function run(events: EventLog): EngineStats {
    const input = withTagTargets({ ...w, keys: { ...w.keys, weight: new Float64Array(w.keys.count).fill(1) } }, index);
    return runEngine(input, twoPasses(), events, {
      policy: 'lru', capacity: { edge: 1e15, rec: 1e15, shield: 1e15 }, capacityScale: 1, hitLevel: 'cloudfront', refreshHitIsHit: true,
      measureFrom: 0, measureTo: 100, seed: 1,
    });
  }
  const sum = (a: Float64Array | number[]) => Array.from(a).reduce((x, y) => x + y, 0);

  for (const tag of ['video:t0', 'type:thumbnails']) {
    it(`a #${tag} invalidation between the passes refetches exactly its keys, from every tier`, () => {
      const cached = new Set(Array.from({ length: w.keys.count }, (_, k) => k).filter((k) => w.keys.ttl[k]! >= 60));
      const tagged = [...keysOfTag(index, `#${tag}`)].filter((k) => cached.has(k)).length;
      expect(tagged).to.be.greaterThan(0);
      const without = run(NO_EVENTS);
      const withTag = run(withTagInvalidations(NO_EVENTS, w.assets, index, [{ at: 5, tag }]));
      expect({
        originFetches: sum(withTag.originFetches) - sum(without.originFetches),
        hits: sum(withTag.hits) - sum(without.hits),
        invalidations: withTag.invalidations,
      }).to.deep.equal({ originFetches: tagged, hits: -tagged, invalidations: 1 });
      expect(sum(without.originFetches)).to.equal(cached.size);
    });
  }

  it('keeps the workload’s own invalidation targets in front of the tag targets', () => {
    const t = withTagTargets(w, index);
    expect(Array.from(t.invalidStart.subarray(0, w.assets + 1))).to.deep.equal(Array.from(w.invalidStart));
    expect(Array.from(t.invalidKeys.subarray(0, w.invalidKeys.length))).to.deep.equal(Array.from(w.invalidKeys));
    const a = tagAsset(w.assets, index, '#type:video');
    expect(Array.from(t.invalidKeys.subarray(t.invalidStart[a], t.invalidStart[a + 1]))).to.deep.equal([...keysOfTag(index, '#type:video')]);
  });
});
