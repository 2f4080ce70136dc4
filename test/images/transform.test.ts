import { expect } from 'chai';
import sharp from 'sharp';
import { parseOptimizeSettings, type OptimizeSettings } from '../../lib/images';
import { baselineFormatFor, ImageError, probeImage, renderImage, ssimAgainst, targetSizes, type ImageFailureReason } from '../../adapters/image-transform';
import { animatedGif, sampleImage } from './helpers';

async function rgba(b: Buffer) {
  const { data, info } = await sharp(b).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

describe('image transforms: probing originals', () => {
  it('reads format and displayed dimensions of a good image', async () => {
    expect(await probeImage(await sampleImage({ width: 48, height: 32, format: 'jpeg' }), 1e6)).to.deep.equal({ format: 'jpeg', width: 48, height: 32, hasAlpha: false });
    expect(await probeImage(await sampleImage({ width: 48, height: 32, format: 'png', alpha: true }), 1e6)).to.deep.equal({ format: 'png', width: 48, height: 32, hasAlpha: true });
  });

  it('swaps width and height for an EXIF-rotated JPEG', async () => {
    const rotated = await sharp(await sampleImage({ width: 48, height: 32, format: 'jpeg' })).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await probeImage(rotated, 1e6)).to.deep.include({ width: 32, height: 48 });
  });

  const bad: [string, () => Promise<Buffer>, number, ImageFailureReason, RegExp][] = [
    ['a zero-byte object', async () => Buffer.alloc(0), 1e6, 'empty', /empty \(0 bytes\)/],
    ['text that is not an image', async () => Buffer.from('hello, world'), 1e6, 'unsupported-format', /not an image format the pipeline reads/],
    ['an SVG (vector, never rasterized)', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 1e6, 'unsupported-format', /'svg' images are not optimized/],
    ['a PNG whose header is garbled', async () => { const b = Buffer.from(await sampleImage({ width: 32, height: 32, format: 'png' })); b.fill(7, 12, 30); return b; }, 1e6, 'corrupt', /header cannot be read/],
    ['an animated GIF', animatedGif, 1e6, 'animated', /animated gif \(2 frames\)/],
    ['an image over the pixel limit', () => sampleImage({ width: 64, height: 64, format: 'png' }), 4095, 'too-large', /64×64 is 4096 pixels, above the limit of 4095/],
  ];
  for (const [name, make, limit, reason, message] of bad) {
    it(`refuses ${name} with reason '${reason}'`, async () => {
      const err = await probeImage(await make(), limit).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ImageError);
      expect((err as ImageError).reason).to.equal(reason);
      expect((err as ImageError).message).to.match(message);
    });
  }

  it('refuses a truncated JPEG whose header is intact when decoding it', async () => {
    const full = await sampleImage({ width: 64, height: 48, format: 'jpeg' });
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    const info = await probeImage(cut, 1e6);
    const err = await renderImage(cut, info, parseOptimizeSettings({ sizes: '160', formats: 'webp', quality: '50' })).catch((e: unknown) => e);
    expect((err as ImageError).reason).to.equal('corrupt');
  });
});

describe('image transforms: sizes and formats', () => {
  const sizes: [string, { width: number; height: number }, Pick<OptimizeSettings, 'sizes' | 'aspect'>, object[]][] = [
    ['keeps every size below the source width', { width: 2000, height: 1000 }, { sizes: [320, 640, 1280] }, [{ width: 320 }, { width: 640 }, { width: 1280 }]],
    ['caps sizes at the source width without upscaling', { width: 1000, height: 500 }, { sizes: [320, 640, 1280, 1920] }, [{ width: 320 }, { width: 640 }, { width: 1000 }]],
    ['renders a small source once, at its own width', { width: 200, height: 100 }, { sizes: [320, 640] }, [{ width: 200 }]],
    ['crops to the aspect ratio', { width: 2000, height: 2000 }, { sizes: [320, 640], aspect: { width: 16, height: 9 } }, [{ width: 320, height: 180 }, { width: 640, height: 360 }]],
    ['caps a crop at the widest the source allows', { width: 1000, height: 300 }, { sizes: [640, 1280], aspect: { width: 1, height: 1 } }, [{ width: 300, height: 300 }]],
  ];
  for (const [name, info, settings, want] of sizes) it(name, () => expect(targetSizes(info, settings)).to.deep.equal(want));

  const baselines: [string, { format: string; hasAlpha: boolean }, string][] = [
    ['JPEG stays JPEG', { format: 'jpeg', hasAlpha: false }, 'jpeg'],
    ['PNG stays PNG', { format: 'png', hasAlpha: false }, 'png'],
    ['WebP with alpha falls back to PNG', { format: 'webp', hasAlpha: true }, 'png'],
    ['opaque TIFF falls back to JPEG', { format: 'tiff', hasAlpha: false }, 'jpeg'],
  ];
  for (const [name, info, want] of baselines) it(`picks the baseline: ${name}`, () => expect(baselineFormatFor({ ...info, width: 1, height: 1 })).to.equal(want));
});

describe('image transforms: rendering variants', function () {
  this.timeout(20_000);

  it('writes every width in the baseline and each kept format, each at SSIM ≥ the threshold', async () => {
    const src = await sampleImage({ width: 200, height: 120, format: 'jpeg' });
    const settings = parseOptimizeSettings({ sizes: '160,320', formats: 'avif,webp', ssim: '0.95' });
    const r = await renderImage(src, await probeImage(src, 1e6), settings);
    expect(r.widths).to.deep.equal([160, 200]);
    expect(r.baseline).to.equal('jpeg');
    const formats = [r.baseline, ...r.formats, ...r.dropped.map((d) => d.format)].sort();
    expect(formats).to.deep.equal(['avif', 'jpeg', 'webp']);
    expect(r.variants.map((v) => `${v.format}@${v.width}x${v.height}`).sort())
      .to.deep.equal([r.baseline, ...r.formats].flatMap((f) => [`${f}@160x96`, `${f}@200x120`]).sort());
    for (const v of r.variants) {
      const meta = await sharp(v.data).metadata();
      expect([meta.format === 'heif' ? 'avif' : meta.format, meta.width, v.contentType], `${v.format}@${v.width}`)
        .to.deep.equal([v.format, v.width, { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' }[v.format]]);
      if (v.quality !== null) expect(v.ssim, `${v.format}@${v.width}`).to.be.at.least(0.95);
    }
  });

  it('measures SSIM against the resized original (1 for an identical image)', async () => {
    const src = await sampleImage({ width: 40, height: 30, format: 'png' });
    expect(await ssimAgainst(await rgba(src), src)).to.equal(1);
  });

  it('keeps a modern format only when it is smaller than the one a viewer would get instead', async () => {
    const src = await sampleImage({ width: 120, height: 80, format: 'jpeg' });
    const r = await renderImage(src, await probeImage(src, 1e6), parseOptimizeSettings({ sizes: '160', formats: 'avif,webp', quality: '90' }));
    const bytes = (f: string) => r.variants.filter((v) => v.format === f).reduce((n, v) => n + v.data.length, 0);
    const kept = r.formats;
    if (kept.includes('webp')) expect(bytes('webp')).to.be.below(bytes('jpeg'));
    if (kept.includes('avif')) expect(bytes('avif')).to.be.below(kept.includes('webp') ? bytes('webp') : bytes('jpeg'));
    for (const d of r.dropped) expect(d.reason).to.match(/not smaller than|does not reach SSIM/);
    expect(kept.length + r.dropped.length).to.equal(2);
  });

  it('uses a PNG baseline for a transparent source and keeps transparency in every variant', async () => {
    const src = await sampleImage({ width: 90, height: 60, format: 'png', alpha: true });
    const r = await renderImage(src, await probeImage(src, 1e6), parseOptimizeSettings({ sizes: '160', formats: 'webp', quality: '80' }));
    expect(r.baseline).to.equal('png');
    for (const v of r.variants) expect((await sharp(v.data).metadata()).hasAlpha, v.format).to.equal(true);
    const png = r.variants.find((v) => v.format === 'png')!;
    expect([png.quality, png.ssim]).to.deep.equal([null, 1]);
  });

  it('crops to the aspect ratio with the chosen strategy', async () => {
    const src = await sampleImage({ width: 120, height: 120, format: 'jpeg' });
    const r = await renderImage(src, await probeImage(src, 1e6), parseOptimizeSettings({ sizes: '160', formats: 'webp', quality: '70', aspect: '16:9', crop: 'center' }));
    expect(r.variants.map((v) => [v.format, v.width, v.height])).to.deep.include.members([['jpeg', 120, 68]]);
  });

  it('stores the JPEG original itself as the full-width baseline when a re-encode would be bigger', async () => {
    const src = await sampleImage({ width: 64, height: 48, format: 'jpeg', quality: 20 });
    const r = await renderImage(src, await probeImage(src, 1e6), parseOptimizeSettings({ sizes: '640', formats: 'webp', quality: '95' }));
    const full = r.variants.find((v) => v.format === 'jpeg')!;
    expect([full.width, full.quality, full.ssim, full.data.equals(src)]).to.deep.equal([64, null, 1, true]);
  });
});
