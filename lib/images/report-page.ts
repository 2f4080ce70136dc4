/**
 * The picture of an `images optimize` run (`--html`): what each format saved, and the variants of a
 * sample of images side by side at the same width, so people can look at the quality the SSIM search
 * chose instead of reading numbers. Pure: the CLI reads the variant bytes and hands them in.
 */
import type { HtmlReport, ReportSection } from '../report/html';
import { FORMATS, type VariantFormat } from './formats';
import type { ManifestVariant } from './manifest';

/** One image of the gallery: its key and the variants at one width, with their bytes. */
export interface GalleryImage {
  readonly key: string;
  readonly originalBytes: number;
  readonly variants: readonly (ManifestVariant & { readonly data: Buffer })[];
}

export interface OptimizeRunSummary {
  readonly source: string;
  readonly prefix: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly sourceBytes: number;
  readonly bytesByFormat: Partial<Record<VariantFormat, number>>;
}

const FORMAT_ORDER: readonly VariantFormat[] = ['avif', 'webp', 'jpeg', 'png'];
const COLORS: Readonly<Record<VariantFormat, string>> = { avif: '#1a73e8', webp: '#34a853', jpeg: '#f9ab00', png: '#9334e6' };

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** The width shown for an image: the widest its variants share that is at most `maxWidth`. */
export function galleryWidth(variants: readonly ManifestVariant[], maxWidth: number): number | undefined {
  const widths = [...new Set(variants.map((v) => v.width))].sort((a, b) => a - b);
  return widths.filter((w) => w <= maxWidth).pop() ?? widths[0];
}

export function optimizeReportPage(run: OptimizeRunSummary, gallery: readonly GalleryImage[]): HtmlReport {
  const formats = FORMAT_ORDER.filter((f) => (run.bytesByFormat[f] ?? 0) > 0);
  const c = run.counts;
  const sections: ReportSection[] = [
    {
      title: 'Bytes per format (all widths) against the originals',
      text: `${c.listed ?? 0} originals under ${run.source}/${run.prefix}: ${c.processed ?? 0} processed, ${c.skipped ?? 0} current, ${c.failed ?? 0} failed. Each format holds every width the pipeline wrote; the originals are counted once.`,
      chart: {
        id: 'bytes-by-format',
        config: {
          type: 'bar',
          data: {
            labels: ['originals', ...formats.map((f) => f.toUpperCase())],
            datasets: [{ label: 'kB', data: [run.sourceBytes, ...formats.map((f) => run.bytesByFormat[f] ?? 0)].map((n) => Math.round(n / 100) / 10), backgroundColor: ['#5f6368', ...formats.map((f) => COLORS[f])] }],
          },
          options: { plugins: { legend: { display: false } }, scales: { y: { title: { display: true, text: 'kB' } } } },
        },
      },
    },
  ];
  for (const img of gallery) {
    const rows = img.variants.map((v) => [v.format.toUpperCase(), `${v.width}×${v.height}`, kb(v.bytes), v.quality === null ? 'source/lossless' : String(v.quality), v.ssim.toFixed(4)]);
    sections.push({
      title: img.key,
      text: `Original ${kb(img.originalBytes)}. The same width in every format the pipeline kept, at the quality its SSIM search chose.`,
      gallery: img.variants.map((v) => ({
        src: `data:${FORMATS[v.format].contentType};base64,${v.data.toString('base64')}`,
        alt: `${img.key} ${v.format} ${v.width}`,
        caption: `${v.format.toUpperCase()} ${v.width} w · ${kb(v.bytes)} · ${v.quality === null ? 'source' : `q ${v.quality}`} · SSIM ${v.ssim.toFixed(3)}`,
      })),
      table: { headers: ['format', 'size', 'bytes', 'quality', 'SSIM'], rows },
    });
  }
  return { title: 'media-cdn: image variants', subtitle: `${run.source}/${run.prefix}`, sections };
}
