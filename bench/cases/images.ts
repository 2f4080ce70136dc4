/**
 * Image pipeline and text compression on a corpus the repository obtains offline, from files shipped
 * inside installed npm packages (docs/images-and-compression.md, "Benchmark corpus"):
 * - photos: autocannon's test photo (a real 1169×584 JPEG, `autocannon/test/j5.jpeg`, devDependency),
 *   the only real photo any installed package ships;
 * - text: Chart.js's UMD bundle (dependency), mocha's browser bundle and stylesheet, and the minified
 *   browser bundles of js-yaml, pako, lodash and async (dependencies of the dev tools).
 *
 * Figures:
 * - images.webpSavingsPct / images.avifSavingsPct: bytes saved against the source file by the full-size
 *   variant at the auto quality (lowest with SSIM ≥ 0.98);
 * - images.webpVsJpegPct: WebP against a mozjpeg re-encode of the same pixels at the same SSIM;
 * - images.minSsim: the lowest SSIM of any variant the pipeline kept;
 * - images.perSec: originals fully optimized per second with the default settings (3 widths, AVIF +
 *   WebP + baseline, auto quality), on this machine;
 * - compression.*SavedPct: bytes saved on the text corpus by Brotli 11 / gzip 9 (precompressed copies)
 *   and by the levels assumed for the edge (Brotli 5 / gzip 6).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureCompression } from '../../lib/compression';
import { parseOptimizeSettings, probeImage, renderImage, type OptimizeSettings } from '../../lib/images';
import type { BenchCase, Figures } from '../types';

const NODE_MODULES = join(__dirname, '..', '..', 'node_modules');

export const PHOTO_CORPUS: readonly string[] = ['autocannon/test/j5.jpeg'];
export const TEXT_CORPUS: readonly string[] = [
  'chart.js/dist/chart.umd.min.js',
  'mocha/mocha.js',
  'mocha/mocha.css',
  'js-yaml/dist/js-yaml.min.js',
  'pako/dist/pako.min.js',
  'lodash/lodash.min.js',
  'async/dist/async.min.js',
];

function load(paths: readonly string[]): { path: string; body: Buffer }[] {
  const found = paths.filter((p) => existsSync(join(NODE_MODULES, p)));
  if (found.length === 0) throw new Error(`none of the corpus files is installed (${paths.join(', ')}); run npm ci.`);
  return found.map((p) => ({ path: p, body: readFileSync(join(NODE_MODULES, p)) }));
}

const pct = (saved: number, of: number) => Math.round((1000 * saved) / of) / 10;

export const benchCase: BenchCase = {
  name: 'images',
  description: 'image variants at SSIM ≥ 0.98 and text compression on files shipped in npm packages',
  async run(): Promise<Figures> {
    const photos = load(PHOTO_CORPUS);
    let source = 0;
    let webp = 0;
    let avif = 0;
    let jpeg = 0;
    let minSsim = 1;
    for (const p of photos) {
      const info = await probeImage(p.body, 40_000_000);
      // Full size: the same pixels as the source, so the byte counts compare like for like.
      const full: OptimizeSettings = { ...parseOptimizeSettings({}), sizes: [info.width] };
      const r = await renderImage(p.body, info, { ...full, formats: ['avif', 'webp'] });
      // A format the pipeline dropped for this image (not smaller than the next one) still counts here.
      const bytes = (f: string) => r.variants.filter((v) => v.format === f).reduce((n, v) => n + v.data.length, 0) + (r.dropped.find((d) => d.format === f)?.bytes ?? 0);
      source += p.body.length;
      webp += bytes('webp');
      avif += bytes('avif');
      // The baseline at full width may be the source itself; measure a real mozjpeg re-encode at the same SSIM.
      const reencoded = r.variants.find((v) => v.format === 'jpeg' && v.quality !== null);
      jpeg += reencoded ? reencoded.data.length : bytes('jpeg');
      for (const v of r.variants) if (v.quality !== null) minSsim = Math.min(minSsim, v.ssim);
    }

    const defaults = parseOptimizeSettings({});
    const started = process.hrtime.bigint();
    for (const p of photos) {
      const r = await renderImage(p.body, await probeImage(p.body, defaults.maxInputPixels), defaults);
      for (const v of r.variants) if (v.quality !== null) minSsim = Math.min(minSsim, v.ssim);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const texts = load(TEXT_CORPUS);
    const t = { bytes: 0, gzipEdge: 0, brotliEdge: 0, gzipMax: 0, brotliMax: 0 };
    for (const x of texts) {
      const s = measureCompression(x.body);
      t.bytes += x.body.length;
      t.gzipEdge += s.gzipEdge;
      t.brotliEdge += s.brotliEdge;
      t.gzipMax += s.gzipMax;
      t.brotliMax += s.brotliMax;
    }

    return {
      'images.corpusPhotos': { value: photos.length, unit: 'photos' },
      'images.webpSavingsPct': { value: pct(source - webp, source), unit: '% vs source' },
      'images.avifSavingsPct': { value: pct(source - avif, source), unit: '% vs source' },
      'images.webpVsJpegPct': { value: pct(jpeg - webp, jpeg), unit: '% vs mozjpeg at same SSIM' },
      'images.minSsim': { value: Math.round(minSsim * 10000) / 10000, unit: 'SSIM' },
      'images.perSec': { value: Math.round((100 * photos.length) / seconds) / 100, unit: 'originals/s' },
      'compression.corpusBytes': { value: t.bytes, unit: 'bytes' },
      'compression.brotliSavedPct': { value: pct(t.bytes - t.brotliMax, t.bytes), unit: '% (Brotli 11)' },
      'compression.gzipSavedPct': { value: pct(t.bytes - t.gzipMax, t.bytes), unit: '% (gzip 9)' },
      'compression.edgeBrotliSavedPct': { value: pct(t.bytes - t.brotliEdge, t.bytes), unit: '% (Brotli 5, edge assumed)' },
      'compression.edgeGzipSavedPct': { value: pct(t.bytes - t.gzipEdge, t.bytes), unit: '% (gzip 6, edge assumed)' },
    };
  },
};
