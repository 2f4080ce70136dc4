/**
 * npm run images -- [--dir <folder> | --stack <name> | --plan <file> | --outputs <file>] optimize|prune [options]
 * optimize: makes AVIF/WebP/baseline variants of the originals under a prefix of the images bucket (or a local
 * folder laid out like it), at the lowest quality that keeps SSIM ≥ 0.98, with a manifest per image and
 * the KeyValueStore index the thumbnails' CloudFront Function negotiates against: written into the
 * stack's store (output imageIndexStoreArn) as images finish, and/or to an import file (--kvs-index).
 * prune: removes the index entries and variants of originals that no longer exist.
 * docs/images-and-compression.md describes the design.
 */
import { cpus } from 'node:os';
import { InputError } from '../lib/errors';
import { galleryWidth, kvsBytes, manifestKey, optimizeReportPage, parseManifest, parseOptimizeSettings, type GalleryImage, type OptimizeSettings } from '../lib/images';
import { renderHtmlReport } from '../lib/report/html';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, connectionOptions, keyValueStoreClient } from '../adapters/aws-clients';
import { chartJsSource } from '../adapters/chart-js';
import { CLOUDFRONT_LIMITS } from '../lib/semantics/limits';
import { renderTable } from '../lib/format/table';
import { CheckFailed, parseCommandLine, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, writeTextFile, type CommandSpec, type Options, type OptionValues } from './lib/cli';
import { startProgress } from './lib/progress';
import { KvsIndexWriter, type IndexWriteSummary } from './images/index-writer';
import type { ObjectStore } from './images/object-store';
import { optimizeImages, type OptimizeReport } from './images/optimize';
import { pruneImages } from './images/prune';
import { openSource, type OpenedSource } from './images/source';

const USAGE = 'npm run images -- [--dir <folder> | --stack <name> | --plan <file> | --outputs <file>] optimize|prune';
const SUBCOMMANDS = ['optimize', 'prune'] as const;
/** Options that only `optimize` reads. */
const OPTIMIZE_ONLY = ['formats', 'sizes', 'quality', 'ssim', 'aspect', 'crop', 'max-pixels', 'concurrency', 'force', 'kvs-index', 'html'] as const;
/** Images shown in the --html page, and the widest width shown. */
const GALLERY_IMAGES = 12;
const GALLERY_MAX_WIDTH = 640;

const spec = {
  usage: USAGE,
  summary: 'optimize: makes AVIF/WebP/baseline variants at the sizes the pages ask for, with a manifest per image and the edge index. prune: removes the variants and index entries of deleted originals.',
  allowPositionals: true,
  options: {
    ...STACK_SOURCE_OPTIONS,
    dir: { type: 'string' },
    ...AWS_CONNECTION_OPTIONS,
    prefix: { type: 'string' },
    formats: { type: 'string' },
    sizes: { type: 'string' },
    quality: { type: 'string' },
    ssim: { type: 'string' },
    aspect: { type: 'string' },
    crop: { type: 'string' },
    'max-pixels': { type: 'string' },
    concurrency: { type: 'number', integer: true, min: 1, max: 64 },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'string' },
    html: { type: 'string' },
    'kvs-index': { type: 'string' },
    'skip-index-store': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  help: {
    ...STACK_SOURCE_HELP,
    dir: 'work on a local folder laid out like the bucket instead of the stack\'s images bucket',
    ...AWS_CONNECTION_HELP,
    prefix: 'key prefix of the originals (default thumbnails/)',
    formats: 'modern formats to write, subset of avif,webp (default avif,webp); the source\'s family is always written',
    sizes: 'target widths on the edge ladder (default 320,640,1280); never upscaled',
    quality: "'auto' (default): lowest quality with SSIM ≥ --ssim; or a fixed 1-100",
    ssim: 'SSIM threshold of --quality auto (default 0.98)',
    aspect: 'crop every variant to width:height, e.g. 16:9 (default: keep the source aspect)',
    crop: 'crop strategy with --aspect: attention (default), entropy or center',
    'max-pixels': 'refuse originals with more pixels (default 40000000)',
    concurrency: 'images processed at once (default: number of CPUs)',
    force: 'redo images whose manifest is current',
    'dry-run': 'list what would be processed (prune: deleted) and which index entries would be written (deleted); change nothing in the bucket or the store',
    json: 'write the run report as JSON to this file',
    html: `write a self-contained HTML page: bytes per format, and the variants of up to ${GALLERY_IMAGES} images side by side (optimize)`,
    'kvs-index': 'also write the KeyValueStore index ({"data":[{key,value}]}, CloudFront import format) to this file',
    'skip-index-store': "do not write the stack's KeyValueStore (imageIndexStoreArn); the edge keeps serving originals for new images",
    quiet: 'no progress bar',
  },
  examples: [
    'npm run images -- --stack prod optimize --prefix thumbnails/ --dry-run',
    'npm run images -- --outputs outputs.json optimize --prefix thumbnails/ --json report.json',
    'npm run images -- --outputs outputs.json optimize --prefix previews/ --formats webp --sizes 320,640 --kvs-index kvs.json',
    'npm run images -- --dir ./media optimize --aspect 16:9 --crop attention --json report.json --html variants.html',
    'npm run images -- --stack prod prune --prefix thumbnails/ --dry-run',
  ],
} satisfies CommandSpec<Options>;

type Values = OptionValues<typeof spec.options>;

function kb(n: number): string {
  return `${(n / 1000).toFixed(1)} kB`;
}

function printIndexStore(w: IndexWriteSummary): void {
  const verb = w.dryRun ? 'would be written' : `written in ${w.requests} request${w.requests === 1 ? '' : 's'}${w.retries > 0 ? ` (${w.retries} retried after the store changed)` : ''}`;
  console.log(`\n${w.dryRun ? 'Dry run: ' : ''}KeyValueStore ${w.arn}: ${w.written} entries ${verb}, ${w.unchanged} unchanged; the store ${w.dryRun ? 'would hold' : 'holds'} ${w.itemCount} keys, ${w.totalSizeInBytes} bytes.`);
  for (const r of w.rejected) console.log(`warning: ${r}`);
  if (w.failure) console.error(`failed: index store: ${w.failure} (${w.unwritten} entries not written)`);
}

function printReport(r: OptimizeReport): void {
  const c = r.counts;
  console.log(`${r.dryRun ? 'Dry run: ' : ''}${c.listed} originals under ${r.source}/${r.prefix}: ${c.processed} processed, ${c.skipped} current (skipped), ${c.planned} to process, ${c.failed} failed.`);
  const rows = Object.entries(r.totals.bytesByFormat).map(([f, n]) => [f, kb(n)]);
  if (rows.length > 0) console.log(`\nVariant bytes (all widths) against ${kb(r.totals.sourceBytes)} of originals:\n${renderTable(['format', 'bytes'], rows, ['left', 'right'])}`);
  for (const img of r.images.filter((i) => i.dropped && i.dropped.length > 0)) {
    for (const d of img.dropped!) console.log(`note: ${img.key}: ${d.format} not kept: ${d.reason}.`);
  }
  for (const p of r.indexProblems) console.log(`warning: ${p}`);
  const bytes = kvsBytes(r.index);
  if (bytes > CLOUDFRONT_LIMITS.kvsMaxStoreBytes) console.log(`warning: the index holds ${bytes} bytes, above the ${CLOUDFRONT_LIMITS.kvsMaxStoreBytes}-byte KeyValueStore limit; see docs/images-and-compression.md (scaling).`);
  if (r.invalidationPaths.length > 0) console.log(`\nInvalidate ${r.invalidationPaths.length} paths for the processed images (listed in --json).`);
  for (const f of r.images.filter((i) => i.status === 'failed')) console.error(`failed: ${f.key}: ${f.reason}: ${f.message}`);
}

/** Opens the stack's KeyValueStore when it has one and --skip-index-store is not given. */
async function openIndexWriter(values: Values, stack: OpenedSource['stack'], dryRun: boolean): Promise<KvsIndexWriter | undefined> {
  const arn = stack?.outputs.imageIndexStoreArn;
  if (values['skip-index-store'] === true) return undefined;
  if (arn) return KvsIndexWriter.open({ client: keyValueStoreClient(connectionOptions(values)), arn, dryRun });
  if (stack) console.log(`note: ${stack.label} has no imageIndexStoreArn output (a stack deployed before the index store); no store is ${values['kvs-index'] ? 'written' : 'read or written'}.`);
  return undefined;
}

async function prune(values: Values): Promise<void> {
  const wrong = OPTIMIZE_ONLY.filter((k) => values[k] !== undefined);
  if (wrong.length > 0) throw new InputError(`${wrong.map((k) => `--${k}`).join(', ')} ${wrong.length === 1 ? 'applies' : 'apply'} to optimize only; drop ${wrong.length === 1 ? 'it' : 'them'} for prune.`);
  const { store, stack } = await openSource(values, 'images', USAGE);
  const dryRun = values['dry-run'] === true;
  const index = await openIndexWriter(values, stack, dryRun);
  const progress = startProgress('prune', 0, { quiet: values.quiet === true });
  const json = values.json;
  const report = await pruneImages({
    store, prefix: values.prefix ?? 'thumbnails/', dryRun, progress, ...(index ? { index } : {}),
    // The plan is on disk before anything is deleted: a crash cannot lose the paths to invalidate.
    ...(json && !dryRun ? { onPlanned: (planned) => writeJsonFile(json, { ...planned, status: 'started' }) } : {}),
  });
  const indexStore = index?.summary();
  const would = report.dryRun ? 'would be ' : '';
  console.log(`${report.dryRun ? 'Dry run: ' : ''}${report.originals} originals under ${report.source}/${report.prefix}; ${report.orphans.length} removed original${report.orphans.length === 1 ? '' : 's'} with variants left: ${report.deletedObjects} objects ${would}deleted.`);
  for (const o of report.orphans) console.log(`  ${o.original}: ${o.objects.length} objects`);
  if (indexStore) console.log(`KeyValueStore ${indexStore.arn}: ${indexStore.deleted} stale entr${indexStore.deleted === 1 ? 'y' : 'ies'} ${would}deleted; the store ${report.dryRun ? 'would hold' : 'holds'} ${indexStore.itemCount} keys, ${indexStore.totalSizeInBytes} bytes.`);
  if (report.invalidationPaths.length > 0) console.log(`\nInvalidate ${report.invalidationPaths.length} paths for the removed originals (listed in --json), e.g. npm run invalidate -- ${report.invalidationPaths.slice(0, 2).join(' ')}`);
  if (json) writeJsonFile(json, { ...report, status: 'done', ...(indexStore ? { indexStore } : {}) });
  if (indexStore?.failure) {
    console.error(`failed: index store: ${indexStore.failure}`);
    // The variants were kept: deleting them while the edge still lists them would turn hits into 404s.
    throw new CheckFailed(`the index store was not fully updated (${indexStore.unwritten} keys); run prune again.`);
  }
}

/** The --html page: reads back the manifests and variants of the first images that have them. */
async function reportPage(store: ObjectStore, report: OptimizeReport) {
  const gallery: GalleryImage[] = [];
  for (const img of report.images) {
    if (gallery.length >= GALLERY_IMAGES) break;
    if (img.status !== 'processed' && img.status !== 'skipped') continue;
    const raw = await store.get(manifestKey(img.key));
    if (!raw) continue;
    const manifest = parseManifest(JSON.parse(raw.body.toString('utf8')), manifestKey(img.key));
    const width = galleryWidth(manifest.variants, GALLERY_MAX_WIDTH);
    const variants = [];
    for (const v of manifest.variants.filter((x) => x.width === width)) {
      const o = await store.get(v.key);
      if (o) variants.push({ ...v, data: o.body });
    }
    gallery.push({ key: img.key, originalBytes: manifest.original.bytes, variants });
  }
  return optimizeReportPage({ source: report.source, prefix: report.prefix, counts: report.counts, sourceBytes: report.totals.sourceBytes, bytesByFormat: report.totals.bytesByFormat }, gallery);
}

runMain(async () => {
  const { values, positionals } = parseCommandLine(spec);
  if (positionals.length !== 1 || !(SUBCOMMANDS as readonly string[]).includes(positionals[0]!)) {
    throw new InputError(`give one subcommand, ${SUBCOMMANDS.join(' or ')}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(' ')}; see '${USAGE} --help'.`);
  }
  if (positionals[0] === 'prune') return prune(values);
  const problems: string[] = [];
  let settings: OptimizeSettings | undefined;
  const concurrency = values.concurrency ?? Math.min(64, Math.max(1, cpus().length));
  try {
    settings = parseOptimizeSettings({
      formats: values.formats, sizes: values.sizes, quality: values.quality,
      ssim: values.ssim, aspect: values.aspect, crop: values.crop,
      maxPixels: values['max-pixels'],
    });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(...e.problems);
  }
  if (problems.length > 0) throw new InputError(problems);

  const { store, stack } = await openSource(values, 'images', USAGE);
  const dryRun = values['dry-run'] === true;
  // Opened before any image is processed: a wrong ARN, permission or endpoint stops the run here.
  const indexWriter = await openIndexWriter(values, stack, dryRun);
  const progress = startProgress('optimize', 0, { quiet: values.quiet === true });
  const report = await optimizeImages({
    store, prefix: values.prefix ?? 'thumbnails/', settings: settings!, concurrency,
    dryRun, force: values.force === true, progress, ...(indexWriter ? { indexSink: indexWriter } : {}),
  });
  const indexStore = indexWriter?.summary();
  printReport(report);
  if (indexStore) printIndexStore(indexStore);
  if (values.json) writeJsonFile(values.json, { ...report, ...(indexStore ? { indexStore } : {}) });
  if (values.html) {
    if (report.dryRun) console.log(`dry run: ${values.html} not written (no variants yet).`);
    else writeTextFile(values.html, renderHtmlReport(await reportPage(store, report), chartJsSource()));
  }
  if (values['kvs-index']) {
    if (report.dryRun) console.log(`dry run: ${values['kvs-index']} not written.`);
    else writeJsonFile(values['kvs-index'], { data: report.index });
  }
  const failures = [
    ...(report.counts.failed > 0 ? [`${report.counts.failed} of ${report.counts.listed} originals failed; the others were processed.`] : []),
    ...(indexStore?.failure ? [`the index store was not fully written (${indexStore.unwritten} entries); the next run writes them.`] : []),
  ];
  if (failures.length > 0) throw new CheckFailed(failures.join('\n'));
});
