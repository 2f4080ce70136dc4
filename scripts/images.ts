/**
 * npm run images -- [--dir <folder> | --stack <name> | --plan <file> | --outputs <file>] optimize [options]
 * Makes AVIF/WebP/baseline variants of the originals under a prefix of the images bucket (or a local
 * folder laid out like it), at the lowest quality that keeps SSIM ≥ 0.98, with a manifest per image and
 * the KeyValueStore index the thumbnails' CloudFront Function negotiates against.
 * docs/images-and-compression.md describes the design.
 */
import { cpus } from 'node:os';
import { InputError } from '../lib/errors';
import { kvsBytes, parseOptimizeSettings, type OptimizeSettings } from '../lib/images';
import { CLOUDFRONT_LIMITS } from '../lib/semantics/limits';
import { renderTable } from '../lib/format/table';
import { CheckFailed, parseCommandLine, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, type CommandSpec } from './lib/cli';
import { startProgress } from './lib/progress';
import { optimizeImages, type OptimizeReport } from './images/optimize';
import { openSource } from './images/source';

const USAGE = 'npm run images -- [--dir <folder> | --stack <name> | --plan <file> | --outputs <file>] optimize';
const SUBCOMMANDS = ['optimize'] as const;

const spec = {
  usage: USAGE,
  summary: 'Optimizes originals into AVIF/WebP/baseline variants at the sizes the pages ask for, with a manifest per image and the edge index.',
  allowPositionals: true,
  options: {
    ...STACK_SOURCE_OPTIONS,
    dir: { type: 'string' },
    endpoint: { type: 'string' },
    prefix: { type: 'string' },
    formats: { type: 'string' },
    sizes: { type: 'string' },
    quality: { type: 'string' },
    ssim: { type: 'string' },
    aspect: { type: 'string' },
    crop: { type: 'string' },
    'max-pixels': { type: 'string' },
    concurrency: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'string' },
    'kvs-index': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: {
    ...STACK_SOURCE_HELP,
    dir: 'work on a local folder laid out like the bucket instead of the stack\'s images bucket',
    endpoint: 'S3 endpoint URL (s3rver, LocalStack); AWS_ENDPOINT_URL[_S3] also works',
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
    'dry-run': 'list what would be processed; write nothing to the bucket',
    json: 'write the run report as JSON to this file',
    'kvs-index': 'write the KeyValueStore index ({"data":[{key,value}]}, CloudFront import format) to this file',
    quiet: 'no progress bar',
  },
  examples: [
    'npm run images -- --stack prod optimize --prefix thumbnails/ --dry-run',
    'npm run images -- --outputs outputs.json optimize --prefix previews/ --formats webp --sizes 320,640 --kvs-index kvs.json',
    'npm run images -- --dir ./media optimize --aspect 16:9 --crop attention --json report.json',
  ],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

function parseConcurrency(raw: string | undefined): number {
  if (raw === undefined) return Math.max(1, cpus().length);
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 64)) throw new InputError(`--concurrency must be a whole number from 1 to 64, got '${raw}'.`);
  return n;
}

function kb(n: number): string {
  return `${(n / 1000).toFixed(1)} kB`;
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

runMain(async () => {
  const { values, positionals } = parseCommandLine(spec);
  if (positionals.length !== 1 || !(SUBCOMMANDS as readonly string[]).includes(positionals[0]!)) {
    throw new InputError(`give one subcommand, ${SUBCOMMANDS.join(' or ')}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(' ')}; see '${USAGE} --help'.`);
  }
  const problems: string[] = [];
  let settings: OptimizeSettings | undefined;
  let concurrency = 1;
  try {
    settings = parseOptimizeSettings({
      formats: values.formats as string | undefined, sizes: values.sizes as string | undefined, quality: values.quality as string | undefined,
      ssim: values.ssim as string | undefined, aspect: values.aspect as string | undefined, crop: values.crop as string | undefined,
      maxPixels: values['max-pixels'] as string | undefined,
    });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(...e.problems);
  }
  try {
    concurrency = parseConcurrency(values.concurrency as string | undefined);
  } catch (e) {
    problems.push(...(e as InputError).problems);
  }
  if (problems.length > 0) throw new InputError(problems);

  const { store } = await openSource(values as Record<string, string | undefined>, 'images', USAGE);
  const progress = startProgress('optimize', 0, { quiet: values.quiet === true });
  const report = await optimizeImages({
    store, prefix: (values.prefix as string | undefined) ?? 'thumbnails/', settings: settings!, concurrency,
    dryRun: values['dry-run'] === true, force: values.force === true, progress,
  });
  printReport(report);
  if (values.json) writeJsonFile(values.json as string, report);
  if (values['kvs-index']) {
    if (report.dryRun) console.log(`dry run: ${values['kvs-index']} not written.`);
    else writeJsonFile(values['kvs-index'] as string, { data: report.index });
  }
  if (report.counts.failed > 0) throw new CheckFailed(`${report.counts.failed} of ${report.counts.listed} originals failed; the others were processed.`);
});
