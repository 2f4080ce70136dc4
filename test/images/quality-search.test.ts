import { expect } from 'chai';
import sharp from 'sharp';
import { InputError } from '../../lib/errors';
import { searchLowestQuality, QUALITY_SEARCH_RANGE } from '../../lib/images';
import { ssimAgainst } from '../../adapters/image-transform';
import { sampleImage } from './helpers';

/** A fake encoder whose "SSIM" is a known function of quality. */
function fake(score: (q: number) => number) {
  const encoded: number[] = [];
  return {
    encoded,
    encode: async (q: number) => { encoded.push(q); return q; },
    score: async (q: number) => score(q),
  };
}

describe('auto-quality search', () => {
  const linear = (q: number) => 0.9 + q / 1000; // 0.98 reached exactly at q = 80

  const cases: [string, (q: number) => number, number, number, boolean][] = [
    ['finds the lowest passing quality of a monotonic score', linear, 0.98, 80, true],
    ['finds the minimum when everything passes', () => 0.999, 0.98, QUALITY_SEARCH_RANGE.min, true],
    ['returns the maximum, failing, when nothing passes', () => 0.5, 0.98, QUALITY_SEARCH_RANGE.max, false],
    ['finds a quality just below the maximum', (q) => (q >= 94 ? 0.99 : 0.9), 0.98, 94, true],
    ['needs the maximum when only it passes', (q) => (q >= 95 ? 0.99 : 0.9), 0.98, 95, true],
    ['respects a stricter threshold', linear, 0.99, 90, true],
  ];
  for (const [name, score, threshold, quality, passed] of cases) {
    it(name, async () => {
      const f = fake(score);
      const r = await searchLowestQuality({ encode: f.encode, score: f.score, threshold });
      expect({ quality: r.quality, passed: r.passed, candidate: r.candidate }).to.deep.equal({ quality, passed, candidate: quality });
    });
  }

  it('converges in at most 7 encodes over 30-95, whether or not anything passes', async () => {
    const a = fake(linear);
    await searchLowestQuality({ encode: a.encode, score: a.score });
    expect(a.encoded).to.deep.equal([62, 79, 87, 83, 81, 80]);
    const b = fake(() => 0);
    await searchLowestQuality({ encode: b.encode, score: b.score });
    expect(b.encoded).to.deep.equal([62, 79, 87, 91, 93, 94, 95]);
  });

  it('never returns a failing quality when the score is not monotonic', async () => {
    // Passes at 40-49 and at 90+, fails in between: bisection may miss 40, must not return a failure.
    const f = fake((q) => ((q >= 40 && q < 50) || q >= 90 ? 0.99 : 0.9));
    const r = await searchLowestQuality({ encode: f.encode, score: f.score });
    expect(r.passed).to.equal(true);
    expect(r.score).to.be.at.least(0.98);
    expect(r.trials.find((t) => t.quality === r.quality)!.score).to.equal(0.99);
  });

  const bad: [string, object, RegExp][] = [
    ['a threshold above 1', { threshold: 1.5 }, /threshold must be a number in \(0, 1\], got 1\.5/],
    ['a threshold of 0', { threshold: 0 }, /threshold must be a number in \(0, 1\], got 0/],
    ['a fractional min', { min: 2.5 }, /min must be a whole number from 1 to 100, got 2\.5/],
    ['min above max', { min: 90, max: 40 }, /min \(90\) is above its max \(40\)/],
  ];
  for (const [name, opts, message] of bad) {
    it(`rejects ${name}`, async () => {
      const f = fake(linear);
      const err = await searchLowestQuality({ encode: f.encode, score: f.score, ...opts }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
      expect((err as Error).message).to.match(message);
      expect(f.encoded).to.deep.equal([]);
    });
  }

  it('converges on real WebP encodes and keeps SSIM at or above the threshold', async () => {
    const src = await sampleImage({ width: 64, height: 48, format: 'png' });
    const { data, info } = await sharp(src).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const reference = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
    const encode = (q: number) => sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).webp({ quality: q }).toBuffer();
    const r = await searchLowestQuality({ encode, score: (b) => ssimAgainst(reference, b), threshold: 0.95 });
    expect(r.passed).to.equal(true);
    expect(r.score).to.be.at.least(0.95);
    expect(r.trials.length).to.be.at.most(7);
    // Every quality tried below the answer failed, every one at or above it passed.
    for (const t of r.trials) expect(t.score >= 0.95, `q${t.quality}: ${t.score}`).to.equal(t.quality >= r.quality);
  });
});
