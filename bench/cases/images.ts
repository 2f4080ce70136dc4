/**
 * Image pipeline and text compression on an offline corpus (docs/images-and-compression.md, "Benchmark corpus"):
 * - photos: seven real photos (six camera JPEGs from 0.2 to 24 megapixels and the USC-SIPI Mandrill
 *   PNG), committed under test/data/photos with their sources and licenses (its README);
 * - text: Chart.js's UMD bundle (dependency), mocha's browser bundle and stylesheet, and the minified
 *   browser bundles of js-yaml, pako, lodash and async (dependencies of the dev tools).
 *
 * Figures:
 * - images.webpSavingsPct / images.avifSavingsPct: bytes saved against the source files by the full-size
 *   variants at the auto quality (lowest with SSIM ≥ 0.98), summed over the corpus (byte-weighted, so
 *   the 24-megapixel photo weighs most); *MedianPct: the median photo's saving;
 * - images.webpVsJpegPct: WebP against a mozjpeg re-encode of the same pixels at the same SSIM (JPEG
 *   sources only);
 * - images.minSsim: the lowest SSIM of any variant the pipeline kept;
 * - images.perSec: originals fully optimized per second with the default settings (3 widths, AVIF +
 *   WebP + baseline, auto quality), on this machine;
 * - compression.*SavedPct: bytes saved on the text corpus by Brotli 11 / gzip 9 (precompressed copies)
 *   and by the levels assumed for the edge (Brotli 5 / gzip 6).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureCompression } from '../../lib/compression';
import { parseOptimizeSettings, type OptimizeSettings } from '../../lib/images';
import { probeImage, renderImage } from '../../adapters/image-transform';
import type { BenchCase, Figures } from '../types';

const NODE_MODULES = join(__dirname, '..', '..', 'node_modules');
const PHOTOS = join(__dirname, '..', '..', 'test', 'data', 'photos');

export const PHOTO_CORPUS: readonly string[] = [
  'j5.jpeg',
  'sony-alpha-6000.jpg',
  'short-ascii-II.jpg',
  'short-ascii-MM.jpg',
  'evil1.jpg',
  'starfish.jpg',
  'baboon.png',
];
export const TEXT_CORPUS: readonly string[] = [
  'chart.js/dist/chart.umd.min.js',
  'mocha/mocha.js',
  'mocha/mocha.css',
  'js-yaml/dist/js-yaml.min.js',
  'pako/dist/pako.min.js',
  'lodash/lodash.min.js',
  'async/dist/async.min.js',
];

/** Reads the corpus files found under `root` (photos: test/data/photos; text: node_modules). */
function load(paths: readonly string[], root: string): { path: string; body: Buffer }[] {
  const found = paths.filter((p) => existsSync(join(root, p)));
  if (found.length === 0) throw new Error(`none of the corpus files is under ${root} (${paths.join(', ')}); run npm ci, or check out test/data.`);
  return found.map((p) => ({ path: p, body: readFileSync(join(root, p)) }));
}

const pct = (saved: number, of: number) => Math.round((1000 * saved) / of) / 10;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const at = (i: number): number => {
    const v = s[i];
    if (v === undefined) throw new Error(`median of an empty list`);
    return v;
  };
  return s.length % 2 ? at(m) : Math.round(((at(m - 1) + at(m)) / 2) * 10) / 10;
}

/** One photo's full-size bytes: source, WebP and AVIF at SSIM ≥ 0.98, and a mozjpeg re-encode (JPEG sources). */
interface PhotoRow {
  readonly path: string;
  readonly megapixels: number;
  readonly source: number;
  readonly webp: number;
  readonly avif: number;
  readonly jpeg: number | null;
}

export const benchCase: BenchCase = {
  name: 'images',
  description: 'image variants at SSIM ≥ 0.98 and text compression on files shipped in npm packages',
  async run(): Promise<Figures> {
    const photos = load(PHOTO_CORPUS, PHOTOS);
    const rows: PhotoRow[] = [];
    let minSsim = 1;
    for (const p of photos) {
      const info = await probeImage(p.body, 40_000_000);
      // Full size: the same pixels as the source, so the byte counts compare like for like.
      const full: OptimizeSettings = { ...parseOptimizeSettings({}), sizes: [info.width] };
      const r = await renderImage(p.body, info, { ...full, formats: ['avif', 'webp'] });
      // A format the pipeline dropped for this image (not smaller than the next one) still counts here.
      const bytes = (f: string) => r.variants.filter((v) => v.format === f).reduce((n, v) => n + v.data.length, 0) + (r.dropped.find((d) => d.format === f)?.bytes ?? 0);
      // The baseline at full width may be the source itself; a real mozjpeg re-encode at the same SSIM, JPEG sources only.
      const reencoded = r.variants.find((v) => v.format === 'jpeg' && v.quality !== null);
      rows.push({ path: p.path, megapixels: (info.width * info.height) / 1e6, source: p.body.length, webp: bytes('webp'), avif: bytes('avif'), jpeg: info.format === 'jpeg' && reencoded ? reencoded.data.length : null });
      for (const v of r.variants) if (v.quality !== null) minSsim = Math.min(minSsim, v.ssim);
    }
    for (const r of rows) {
      const jpegNote = r.jpeg === null ? 'png source' : `WebP vs mozjpeg ${pct(r.jpeg - r.webp, r.jpeg)} %`;
      console.error(`  ${r.path} (${r.megapixels.toFixed(1)} MP, ${r.source} B): WebP −${pct(r.source - r.webp, r.source)} %, AVIF −${pct(r.source - r.avif, r.source)} %, ${jpegNote}`);
    }
    const sum = (xs: readonly PhotoRow[], f: (r: PhotoRow) => number) => xs.reduce((n, r) => n + f(r), 0);
    const source = sum(rows, (r) => r.source);
    const webp = sum(rows, (r) => r.webp);
    const avif = sum(rows, (r) => r.avif);
    const jpegRows = rows.filter((r) => r.jpeg !== null);
    const jpeg = sum(jpegRows, (r) => r.jpeg ?? 0);
    const jpegRowsWebp = sum(jpegRows, (r) => r.webp);

    const defaults = parseOptimizeSettings({});
    const started = process.hrtime.bigint();
    for (const p of photos) {
      const r = await renderImage(p.body, await probeImage(p.body, defaults.maxInputPixels), defaults);
      for (const v of r.variants) if (v.quality !== null) minSsim = Math.min(minSsim, v.ssim);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const texts = load(TEXT_CORPUS, NODE_MODULES);
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
      'images.webpSavingsMedianPct': { value: median(rows.map((r) => pct(r.source - r.webp, r.source))), unit: '% vs source, median photo' },
      'images.avifSavingsMedianPct': { value: median(rows.map((r) => pct(r.source - r.avif, r.source))), unit: '% vs source, median photo' },
      'images.webpVsJpegPct': { value: pct(jpeg - jpegRowsWebp, jpeg), unit: '% vs mozjpeg at same SSIM (JPEG sources)' },
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
