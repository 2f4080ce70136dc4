/**
 * npm run compression -- [--dir <folder> | --stack <name> | --plan <file> | --outputs <file>] [--prefix static/]
 * Lists the static objects, predicts with the CloudFront semantics module which ones the edge compresses
 * and why the others are not, measures gzip and Brotli savings, estimates bytes and dollars a month, and
 * with --precompress stores Brotli 11 / gzip 9 copies where they beat edge compression.
 * docs/images-and-compression.md explains the figures and how the copies are kept apart in the cache.
 */
import { DEFAULT_STATIC_VOLUME, TEXT_SAVINGS_TARGET, type StaticVolume } from '../lib/compression';
import { InputError } from '../lib/errors';
import { keyFromArgument } from '../lib/object-key';
import { formatPercent, renderTable } from '../lib/format/table';
import { PRICE_REGION_GROUPS, type PriceRegionGroup } from '../lib/semantics/pricing';
import { CheckFailed, parseCommandLine, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, type CommandSpec, type Options } from './lib/cli';
import { startProgress } from './lib/progress';
import { analyzeStaticObjects, checkProblems, type CompressionReport } from './images/compression-run';
import { openSource } from './images/source';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS } from '../adapters/aws-clients';
import { predictStaticVolume } from '../simulator/usage';

const USAGE = 'npm run compression --';

const spec = {
  usage: USAGE,
  summary: 'Shows which static objects CloudFront compresses and why not, the gzip/Brotli savings and their monthly value; optionally writes precompressed copies.',
  options: {
    ...STACK_SOURCE_OPTIONS,
    dir: { type: 'string' },
    ...AWS_CONNECTION_OPTIONS,
    prefix: { type: 'string' },
    precompress: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'requests-per-month': { type: 'number', integer: true, min: 1 },
    'price-group': { type: 'choice', choices: PRICE_REGION_GROUPS },
    check: { type: 'boolean' },
    json: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: {
    ...STACK_SOURCE_HELP,
    dir: 'analyze a local folder laid out like the static bucket (Content-Type from extensions)',
    ...AWS_CONNECTION_HELP,
    prefix: 'key prefix to analyze (default static/)',
    precompress: 'write Brotli 11 (.br) and gzip 9 (.gz) copies with Content-Encoding where they beat the edge',
    'dry-run': 'with --precompress: list the copies, write nothing',
    'requests-per-month': `static requests a month for the savings estimate (default: the simulator's, with --stack or --plan; else ${DEFAULT_STATIC_VOLUME.requestsPerMonth})`,
    'price-group': `price group of the transfer (default ${DEFAULT_STATIC_VOLUME.priceGroup}; ${PRICE_REGION_GROUPS.join(', ')})`,
    check: `exit 1 when a text object is left uncompressed for a fixable reason or text saves under ${100 * TEXT_SAVINGS_TARGET} %`,
    json: 'write the full analysis as JSON to this file',
    quiet: 'no progress bar',
  },
  examples: [
    'npm run compression -- --stack prod --prefix static/',
    'npm run compression -- --dir ./dist --prefix static/ --precompress --dry-run',
    'npm run compression -- --outputs outputs.json --endpoint http://127.0.0.1:4569 --json compression.json',
  ],
} satisfies CommandSpec<Options>;

function parseVolume(values: { 'requests-per-month'?: number; 'price-group'?: PriceRegionGroup }): StaticVolume {
  const rpm = values['requests-per-month'];
  const group = values['price-group'];
  return { ...DEFAULT_STATIC_VOLUME, ...(rpm !== undefined ? { requestsPerMonth: rpm } : {}), ...(group !== undefined ? { priceGroup: group } : {}) };
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
const usd = (n: number) => `$${n.toFixed(2)}`;

function printReport(r: CompressionReport, volumeSource: string): void {
  const t = r.totals;
  console.log(`${t.objects} objects (${kb(t.bytes)}) under ${r.source}/${r.prefix}: ${t.compressed} compressed by CloudFront for a browser, ${t.objects - t.compressed} not.`);
  const notCompressed = r.objects.filter((o) => !o.edge.compressed);
  if (notCompressed.length > 0) {
    console.log('\nNot compressed, and why:');
    console.log(renderTable(['key', 'bytes', 'Content-Type', 'reason', 'fix'], notCompressed.map((o) => [
      o.key, String(o.bytes), o.contentType ?? '-', o.copyOf ? `precompressed copy (${o.contentEncoding})` : o.edge.reason, o.fix ?? '-',
    ]), ['left', 'right']));
  }
  if (t.measured.objects > 0) {
    const s = t.savedShare;
    console.log(`\nMeasured on ${t.measured.objects} text objects (${kb(t.measured.bytes)}):`);
    console.log(renderTable(['encoding', 'bytes', 'saved'], [
      ['gzip 6 (edge, assumed)', kb(t.measured.gzipEdge), formatPercent(s.gzipEdge)],
      ['Brotli 5 (edge, assumed)', kb(t.measured.brotliEdge), formatPercent(s.brotliEdge)],
      ['gzip 9 (precompressed)', kb(t.measured.gzipMax), formatPercent(s.gzipMax)],
      ['Brotli 11 (precompressed)', kb(t.measured.brotliMax), formatPercent(s.brotliMax)],
    ], ['left', 'right', 'right']));
  }
  const m = r.monthly;
  console.log(`\nA month at ${r.volume.requestsPerMonth.toLocaleString('en-US')} static requests (from ${volumeSource}; ${r.volume.priceGroup} prices, at the margin of ${Math.round(r.volume.monthlyTransferGb).toLocaleString('en-US')} GB/month):`);
  console.log(renderTable(['', 'bytes', 'USD'], [
    ['saved by edge compression', gb(m.savedByEdge.bytes), usd(m.savedByEdge.usd)],
    ['saved on top by precompressed copies', gb(m.savedByPrecompression.bytes), usd(m.savedByPrecompression.usd)],
    ['lost to text left uncompressed (fixable)', gb(m.lostToUncompressedText.bytes), usd(m.lostToUncompressedText.usd)],
  ], ['left', 'right', 'right']));
  if (r.copies.length > 0) console.log(`\n${r.dryRun ? 'Would write' : 'Wrote'} ${r.copies.length} precompressed copies: ${r.copies.map((c) => c.key).join(', ')}`);
  else if (t.precompressRecommended > 0) console.log(`\n${t.precompressRecommended} objects would gain from precompression; run with --precompress.`);
}

runMain(async () => {
  const { values } = parseCommandLine(spec);
  let volume = parseVolume(values);
  if (values['dry-run'] && !values.precompress) throw new InputError(`--dry-run only applies to --precompress (the analysis itself writes nothing); see '${USAGE} --help'.`);
  const prefix = values.prefix !== undefined ? keyFromArgument(values.prefix, '--prefix', { prefix: true }) : 'static/';
  const { store, catalog, plan } = await openSource(values, 'static', USAGE);
  // The simulator's static volume when there is a plan and no --requests-per-month.
  let volumeSource = values['requests-per-month'] !== undefined ? '--requests-per-month' : 'assumed (give --stack or --plan for the simulator\'s figure)';
  if (plan && values['requests-per-month'] === undefined) {
    if (values.quiet !== true) process.stderr.write(`simulating the seed workload of '${plan.stack}' for its static volume…\n`);
    const v = predictStaticVolume(plan);
    volume = { ...volume, requestsPerMonth: v.requestsPerMonth, monthlyTransferGb: v.monthlyTransferGb };
    volumeSource = `the simulator (seed workload of '${plan.stack}')`;
  }
  const report = await analyzeStaticObjects({
    store, catalog, prefix, volume,
    precompress: values.precompress === true, dryRun: values['dry-run'] === true,
    progress: startProgress('compression', 0, { quiet: values.quiet === true }),
  });
  printReport(report, volumeSource);
  if (values.json) writeJsonFile(values.json, { ...report, volumeSource });
  if (values.check) {
    const problems = checkProblems(report);
    if (problems.length > 0) throw new CheckFailed(problems.map((p) => `check failed: ${p}`).join('\n'));
  }
});
