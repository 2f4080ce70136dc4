import { expect } from 'chai';
import { settingsOf, tune, validateSpace } from '../../simulator/tune/search';
import type { Evaluate, Evaluation, Fidelity, Settings, TargetOutcome, TuneSpace } from '../../simulator/tune/types';

/**
 * A synthetic world with a known optimum. Two content types, 'a' and 'b', each with a separable
 * "ttl" level (0..2) that lowers its latency and its origin cost; two global settings: 'regions'
 * (0..3, each Region lowers every latency and costs 30) and 'tier' (cheap / mid / premium: changes
 * the transfer bill and adds latency). Latency targets: a ≤ 50, b ≤ 80.
 */
const COST = { tier: [100, 150, 220], regions: [0, 30, 60, 90], ttl: [12, 8, 5] };
const LAT = { tier: [40, 15, 0], regions: [60, 35, 15, 5], ttlA: [30, 10, 2], ttlB: [25, 20, 18] };

function space(targets = { a: 50, b: 80 }, monotoneRegions = false): { space: TuneSpace; evaluate: Evaluate; calls: { settings: Settings; fidelity: Fidelity }[] } {
  const s: TuneSpace = {
    dimensions: [
      { name: 'a ttl', options: [0, 1, 2].map((i) => ({ label: `a${i}`, settings: { 'a.ttl': i } })), current: 0, separableBy: 'a' },
      { name: 'b ttl', options: [0, 1, 2].map((i) => ({ label: `b${i}`, settings: { 'b.ttl': i } })), current: 0, separableBy: 'b' },
      { name: 'tier', options: [0, 1, 2].map((i) => ({ label: `t${i}`, settings: { tier: i } })), current: 2 },
      { name: 'regions', options: [0, 1, 2, 3].map((i) => ({ label: `r${i}`, settings: { regions: i } })), current: 0, ...(monotoneRegions ? { monotoneFor: 'latency' as const } : {}) },
    ],
  };
  const calls: { settings: Settings; fidelity: Fidelity }[] = [];
  const evaluate: Evaluate = async (settings, fidelity) => {
    calls.push({ settings, fidelity });
    const a = settings['a.ttl'] as number, b = settings['b.ttl'] as number, tier = settings.tier as number, regions = settings.regions as number;
    const latA = LAT.tier[tier]! + LAT.regions[regions]! + LAT.ttlA[a]!;
    const latB = LAT.tier[tier]! + LAT.regions[regions]! + LAT.ttlB[b]!;
    const t = (name: string, group: string, value: number, target: number): TargetOutcome => ({ name, group, value, target, sense: 'atMost', pass: value <= target, unit: 'ms', kind: 'latency' });
    const targetsOut = [t('a p95', 'a', latA, targets.a), t('b p95', 'b', latB, targets.b)];
    const costUsd = COST.tier[tier]! + COST.regions[regions]! + COST.ttl[a]! + COST.ttl[b]!;
    const e: Evaluation = {
      costUsd, costLines: [{ item: 'all', usd: costUsd }], targets: targetsOut, pass: targetsOut.every((x) => x.pass),
      groupCost: { a: COST.ttl[a]!, b: COST.ttl[b]! },
    };
    return e;
  };
  return { space: s, evaluate, calls };
}

/** The optimum by brute force over every point. */
async function bruteForce(s: TuneSpace, evaluate: Evaluate): Promise<{ point: number[]; cost: number } | undefined> {
  let best: { point: number[]; cost: number } | undefined;
  const sizes = s.dimensions.map((d) => d.options.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let r = n;
    const point = sizes.map((k) => { const i = r % k; r = Math.floor(r / k); return i; });
    const e = await evaluate(settingsOf(s, point), 'full');
    if (e.pass && (!best || e.costUsd < best.cost)) best = { point, cost: e.costUsd };
  }
  return best;
}

describe('tune (simulator/tune/search.ts) on a synthetic space with a known optimum', () => {
  it('finds the cheapest point that meets every target', async () => {
    const { space: s, evaluate } = space();
    const known = await bruteForce(s, evaluate);
    // a: max ttl (2), b: max ttl (2); tier 1 (mid) with 2 Regions: a 15+15+2 = 32, b 15+15+18 = 48; cost 150+60+5+5 = 220.
    // The cheapest: tier 0 (cheap, +40 ms) with 1 Region: a 40+35+2 = 77 > 50 fails; tier 0 with 3 Regions: a 40+5+2 = 47, b 63 → cost 100+90+10 = 200.
    expect(known).to.deep.equal({ point: [2, 2, 0, 3], cost: 200 });
    const r = await tune(s, evaluate);
    expect(r.status).to.equal('ok');
    expect(r.best!.point).to.deep.equal(known!.point);
    expect(r.best!.evaluation.costUsd).to.equal(200);
    expect(r.baseline.point).to.deep.equal([0, 0, 2, 0]);
    expect(r.baseline.evaluation.pass).to.equal(false);
  });

  it('is deterministic: the same evaluations in the same order give the same answer and log', async () => {
    const one = space(), two = space();
    const r1 = await tune(one.space, one.evaluate);
    const r2 = await tune(two.space, two.evaluate);
    expect(r2.best!.point).to.deep.equal(r1.best!.point);
    expect(r2.log).to.deep.equal(r1.log);
    expect(two.calls).to.deep.equal(one.calls);
  });

  it('evaluates each distinct point once per fidelity (cache) and chooses separable dimensions in slices', async () => {
    const { space: s, evaluate, calls } = space();
    const r = await tune(s, evaluate);
    const keys = calls.map((c) => `${c.fidelity}|${JSON.stringify(c.settings)}`);
    expect(new Set(keys).size).to.equal(keys.length);
    // 3 slices for both ttl dimensions at once (not 3 × 3), 12 global combinations, 3 again at the best Regions.
    expect(r.log.filter((l) => l.phase === 'per-type settings')).to.have.length(3);
    expect(r.evaluations.coarse).to.be.at.most(3 + 12 + 4);
  });

  it('reports infeasibility: no point meets a ≤ 5 ms; the closest is the least-shortfall point', async () => {
    const { space: s, evaluate } = space({ a: 5, b: 80 });
    const r = await tune(s, evaluate);
    expect(r.status).to.equal('infeasible');
    expect(r.best).to.equal(undefined);
    // the fastest a is tier 2 (0) + 3 Regions (5) + ttl 2 (2) = 7 ms.
    const a = r.closest.evaluation.targets.find((t) => t.name === 'a p95')!;
    expect(a.value).to.equal(7);
    expect(a.pass).to.equal(false);
    expect(r.closest.evaluation.targets.find((t) => t.name === 'b p95')!.pass).to.equal(true);
  });

  it('honors the budget: over-budget when every feasible point costs more, ok when the cap allows the optimum', async () => {
    const tight = space();
    const r = await tune(tight.space, tight.evaluate, { budgetUsd: 199 });
    expect(r.status).to.equal('over-budget');
    expect(r.best).to.equal(undefined);
    expect(r.cheapestFeasible!.evaluation.costUsd).to.equal(200);
    const loose = space();
    expect((await tune(loose.space, loose.evaluate, { budgetUsd: 200 })).best!.evaluation.costUsd).to.equal(200);
  });

  it('descends over pairs of global settings when the combinations exceed maxCombinations, still reaching the optimum here', async () => {
    const { space: s, evaluate } = space();
    const r = await tune(s, evaluate, { maxCombinations: 4 });
    expect(r.best!.point).to.deep.equal([2, 2, 0, 3]);
  });

  it('bisects a monotone dimension (Regions) per combination of the others: the optimum with fewer runs', async () => {
    const { space: s, evaluate } = space({ a: 50, b: 80 }, true);
    const r = await tune(s, evaluate);
    expect(r.best!.point).to.deep.equal([2, 2, 0, 3]);
    expect(r.log.filter((l) => l.phase === 'global settings').length).to.be.below(12);
    // a ≤ 5 ms is out of reach: the bisection still finds, per tier, the lowest Regions rung that
    // meets what the top rung meets (b), rather than stopping at the top rung.
    const hard = space({ a: 5, b: 80 }, true);
    const h = await tune(hard.space, hard.evaluate);
    expect(h.status).to.equal('infeasible');
    const globals = h.log.filter((l) => l.phase === 'global settings').map((l) => l.point.slice(2));
    expect(globals).to.deep.include([0, 1]); // tier 0: b = 40 + 35 + 18 = 93 > 80 at 1 Region …
    expect(globals).to.deep.include([0, 2]); // … 73 at 2 Regions: the lowest rung meeting b
    expect(h.closest.evaluation.targets.find((t) => t.name === 'b p95')!.pass).to.equal(true);
  });

  it('rejects a space with an empty dimension or a current option out of range', () => {
    expect(() => validateSpace({ dimensions: [{ name: 'x', options: [], current: 0 }] })).to.throw("dimension 'x' has no options");
    expect(() => validateSpace({ dimensions: [{ name: 'y', options: [{ label: 'a', settings: {} }], current: 3 }] })).to.throw("dimension 'y' has current option 3, outside 0..0");
  });

  it('keeps the stack\'s value of a per-type setting when every option meets the targets at the same cost', async () => {
    const s: TuneSpace = {
      dimensions: [
        { name: 'a stale', options: [0, 1, 2].map((i) => ({ label: `s${i}`, settings: { 'a.stale': i } })), current: 1, separableBy: 'a' },
        { name: 'tier', options: [0, 1].map((i) => ({ label: `t${i}`, settings: { tier: i } })), current: 1 },
      ],
    };
    const evaluate: Evaluate = async (settings) => {
      const costUsd = 100 + 10 * (settings.tier as number);
      const t: TargetOutcome = { name: 'a p95', group: 'a', value: 10, target: 50, sense: 'atMost', pass: true, unit: 'ms', kind: 'latency' };
      return { costUsd, costLines: [{ item: 'all', usd: costUsd }], targets: [t], pass: true, groupCost: { a: 7 } };
    };
    const r = await tune(s, evaluate);
    expect(r.status).to.equal('ok');
    expect(r.best!.point).to.deep.equal([1, 0]);
  });
});
