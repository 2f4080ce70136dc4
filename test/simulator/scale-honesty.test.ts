import { expect } from 'chai';
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { simModelFromPlan } from '../../simulator/plan-model';
import { SEED_PROFILE } from '../../simulator/profile';
import { prepare, runPrepared } from '../../simulator/simulate';
import { planFor } from '../helpers/plan';

/**
 * What --scale costs: object sampling (docs/performance-analysis.md, "--scale") must leave every
 * content type's hit ratio, byte hit ratio and p95 nearly where a 4× larger sample puts them. The docs
 * table compares the default with --scale 0.05 on a full day; this checks the same on a short window.
 */
describe('simulator: --scale honesty (a 4× larger sample moves no content type far)', function () {
  this.timeout(300_000);

  it('hit ratio within 2 points, byte hit ratio within 4 points and p95 within 10 % per content type, scale 0.001 against 0.004', async () => {
    const model = simModelFromPlan(await planFor('prod'));
    const [small, large] = [0.001, 0.004].map((scale) => {
      const p = prepare(model, { seed: 1, scale, hours: 1, warmupHours: 1, profile: SEED_PROFILE });
      return { requests: p.requests.length, result: runPrepared(p) };
    });
    expect(large!.requests).to.be.above(small!.requests); // the larger sample simulates more requests
    for (const t of CONTENT_TYPE_NAMES) {
      const a = small!.result.types[t], b = large!.result.types[t];
      expect(Math.abs(a.hitRatio - b.hitRatio), `${t} hit ratio ${a.hitRatio} vs ${b.hitRatio}`).to.be.below(0.02);
      expect(Math.abs(a.byteHitRatio - b.byteHitRatio), `${t} byte hit ratio ${a.byteHitRatio} vs ${b.byteHitRatio}`).to.be.below(0.04);
      expect(Math.abs(a.p95LatencyMs - b.p95LatencyMs) / b.p95LatencyMs, `${t} p95 ${a.p95LatencyMs} vs ${b.p95LatencyMs} ms`).to.be.below(0.1);
      // full-scale request rates do not depend on the sample
      expect(Math.abs(a.requests - b.requests) / b.requests, `${t} requests/day`).to.be.below(0.05);
    }
  });
});
