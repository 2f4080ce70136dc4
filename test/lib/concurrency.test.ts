/**
 * mapConcurrent (lib/concurrency.ts), the one bounded-concurrency helper: results in input order
 * whatever order the calls finish in, the limit never exceeded, items started in order, the first
 * failure propagated with nothing started after it, and bad limits refused.
 */
import { expect } from 'chai';
import { mapConcurrent } from '../../lib/concurrency';

/** A call that finishes after `ticks` turns of the event loop, tracking how many are in flight. */
function tracker() {
  const t = { inFlight: 0, peak: 0, started: [] as number[] };
  const run = async (i: number, ticks: number): Promise<number> => {
    t.inFlight++;
    t.peak = Math.max(t.peak, t.inFlight);
    t.started.push(i);
    for (let k = 0; k < ticks; k++) await new Promise<void>((r) => setImmediate(r));
    t.inFlight--;
    return i * 10;
  };
  return { t, run };
}

describe('mapConcurrent (lib/concurrency.ts)', () => {
  // durations chosen so later items finish first
  const ticks = [9, 1, 7, 2, 5, 3, 1, 8, 2, 4];

  it('returns results in input order although the calls finish out of order', async () => {
    const { run } = tracker();
    const done: number[] = [];
    const out = await mapConcurrent(ticks, 3, async (n, i) => {
      const r = await run(i, n);
      done.push(i);
      return r;
    });
    expect(out).to.deep.equal([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(done).to.not.deep.equal([...done].sort((a, b) => a - b));
  });

  const limits: [number, number][] = [[1, 1], [3, 3], [4, 4], [10, 10], [50, 10]];
  for (const [limit, peak] of limits) {
    it(`never has more than ${limit} in flight (peak ${peak} over ${ticks.length} items), starting items in order`, async () => {
      const { t, run } = tracker();
      await mapConcurrent(ticks, limit, (n, i) => run(i, n));
      expect([t.peak, t.inFlight, t.started]).to.deep.equal([peak, 0, ticks.map((_, i) => i)]);
    });
  }

  it('rejects with the first failure, after the calls in flight settle, and starts nothing after it', async () => {
    const { t, run } = tracker();
    const p = mapConcurrent(ticks, 2, async (n, i) => {
      if (i === 3) throw new Error('item 3 failed');
      return run(i, n);
    });
    const e = await p.then(() => undefined, (err: Error) => err);
    expect([e?.message, t.inFlight, t.started]).to.deep.equal(['item 3 failed', 0, [0, 1, 2]]);
  });

  it('propagates a synchronous throw inside fn as a rejection', async () => {
    const e = await mapConcurrent([1], 1, () => {
      throw new TypeError('boom');
    }).then(() => undefined, (err: Error) => err);
    expect(e).to.be.instanceOf(TypeError);
  });

  it('answers an empty list with an empty list without calling fn', async () => {
    let calls = 0;
    expect(await mapConcurrent([], 4, async () => ++calls)).to.deep.equal([]);
    expect(calls).to.equal(0);
  });

  for (const bad of [0, -1, 1.5, Number.NaN]) {
    it(`refuses a limit of ${bad}`, async () => {
      const e = await mapConcurrent([1], bad, async (x) => x).then(() => undefined, (err: Error) => err);
      expect(e).to.be.instanceOf(RangeError);
      expect(e?.message).to.equal(`mapConcurrent: limit must be a whole number ≥ 1, got ${bad}`);
    });
  }
});
