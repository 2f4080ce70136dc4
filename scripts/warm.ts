/**
 * npm run warm -- [--stack X | --plan f | --outputs f]
 *                 [--paths file | --content-type t --top N | --from-logs dir | --predict --from-logs dir --window 1h --budget-gb n]
 *                 [--edges a,b] [--priority high|normal|low] [--rate r] [--concurrency c] [--dry-run] [--json f]
 * npm run warm -- (--stack X | --plan f) --predict --evaluate --budget-gb n [--releases manifest.json] [--window 1h] [--now iso]
 *                 [--scale s] [--seed n] [--json f]
 *
 * Warms the CloudFront caches (or the local edge) with the requests viewers will make: for each path,
 * one request per cache-key variant (normalized Accept-Encoding, image format), most valuable first,
 * rate limited, with a progress bar; then a verification pass reports the share of paths now a hit,
 * the bytes pulled from the origin and the requests billed with their cost (docs/warming.md).
 * Traffic goes only to the stack's domain (or its aliases) or to a local edge on 127.0.0.1/localhost.
 * `--evaluate` sends nothing: it measures prediction against no warming and the top-N with the simulator.
 */
import { readFileSync } from 'node:fs';
import { resolveCatalog } from '../lib/catalog';
import { InputError, show, collectProblems } from '../lib/errors';
import { classifyError } from '../lib/error-kinds';
import { renderTable } from '../lib/format/table';
import { GIB } from '../lib/semantics';
import { distributionModelFromCatalog, distributionModelFromPlan, type DistributionModel } from '../lib/distribution';
import { parseDuration, parseReleaseManifest, type ReleaseEntry } from '../lib/warming/predict';
import { orderWarmRequests, pacingFor, PRIORITIES, PRIORITY_PROFILES } from '../lib/warming/schedule';
import type { Signer } from '../lib/warming/signed-urls';
import { parseWarmEdges } from '../lib/warming/targets';
import { DEFAULT_IMAGE_FORMATS, DEFAULT_WARM_ENCODINGS, ENCODING_VARIANTS, expandWarmRequests, type EncodingVariant, type WarmTarget } from '../lib/warming/variants';
import {
  CheckFailed, EXIT_OK, loadStackSource, parseCommandLine, readJsonFile, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, type CommandSpec, type Options, type OptionValues,
} from './lib/cli';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, checkEndpoints, connectionOptions, s3Client } from '../adapters/aws-clients';
import { renderEvaluation, runEvaluation } from './warming/evaluate';
import { readLogDir } from './warming/logs';
import { closeWarmConnections, estimateCostUsd, runWarming, type WarmReport } from './warming/runner';
import { contentTypePatterns, inContentType, predictTargets, standInTargets, targetsFromPathsFile, topTargetsFromBucket, topTargetsFromLogs } from './warming/sources';

export const USAGE = 'npm run warm --';

export const SPEC = {
  usage: USAGE,
  summary: 'Warms the caches with the exact cache-key variants viewers will request, then verifies the share of hits.',
  options: {
    ...STACK_SOURCE_OPTIONS,
    paths: { type: 'string' },
    'content-type': { type: 'string' },
    top: { type: 'number', integer: true, min: 1, max: 100_000 },
    'from-logs': { type: 'string' },
    predict: { type: 'boolean' },
    window: { type: 'string' },
    'budget-gb': { type: 'number', min: 0, exclusiveMin: true, describe: 'a positive number of GB' },
    releases: { type: 'string' },
    now: { type: 'string' },
    evaluate: { type: 'boolean' },
    scale: { type: 'number', min: 0, exclusiveMin: true, max: 1, describe: 'a number in (0, 1], e.g. 0.005 (0.5 % of the objects)' },
    seed: { type: 'number', integer: true, min: 0, max: 0xffffffff },
    edges: { type: 'string' },
    priority: { type: 'choice', choices: PRIORITIES, default: 'normal' },
    rate: { type: 'number', min: 0, exclusiveMin: true, describe: 'a positive number of requests per second', default: 50 },
    concurrency: { type: 'number', integer: true, min: 1, max: 256, default: 8 },
    encodings: { type: 'string' },
    'image-formats': { type: 'string' },
    'signing-key': { type: 'string' },
    'key-pair-id': { type: 'string' },
    ...AWS_CONNECTION_OPTIONS,
    'min-hit-ratio': { type: 'number', min: 0, max: 1, describe: 'a share between 0 and 1', default: 0.95 },
    'no-verify': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    offline: { type: 'boolean' },
    json: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: {
    ...STACK_SOURCE_HELP,
    paths: "file with one path per line ('/a/b.m3u8', '/img.jpg?width=320', or a URL on the stack's domain), optionally followed by a weight",
    'content-type': 'warm objects of this content type (video, thumbnails, metadata, static, api); with --top',
    top: 'how many objects: the newest of the type\'s bucket, or the most requested in --from-logs (default 100)',
    'from-logs': 'folder of CloudFront standard access logs (the local edge writes them to .local/logs)',
    predict: 'predict the next window\'s hot objects from --from-logs (and --releases) and warm them within --budget-gb',
    window: 'prediction window and log window for --top, e.g. 30m, 1h (default 1h)',
    'budget-gb': 'bytes the warming may pull from the origin, in GB (2^30 bytes); required with --predict',
    releases: 'release manifest: JSON list of {title, releaseAt, paths, expectedRequests?, bytes?}',
    now: 'start of the predicted window, ISO time (default: the end of the logs; with --evaluate the first release)',
    evaluate: 'with --predict: send nothing; simulate the held-out window with no warming, the last window\'s top-N and the predictor at --budget-gb, on the seed workload with the --releases episodes (docs/warming.md)',
    scale: 'with --evaluate: share of the seed workload\'s objects simulated (default 0.005)',
    seed: 'with --evaluate: seed of the simulated workload (default 1)',
    edges: 'comma-separated edges: the stack\'s domain or aliases (default) or local edges such as http://127.0.0.1:8080',
    priority: `high | normal | low: ${Object.entries(PRIORITY_PROFILES).map(([k, v]) => `${k} = ${v.description}`).join('; ')} (default normal)`,
    rate: 'requests per second across all edges at high priority (default 50)',
    concurrency: 'requests in flight at high priority (default 8)',
    encodings: `normalized Accept-Encoding variants to warm (${ENCODING_VARIANTS.join(' | ')}), separated by ';' (default '${DEFAULT_WARM_ENCODINGS.join(';')}')`,
    'image-formats': `image format variants where the key holds 'format' (default ${DEFAULT_IMAGE_FORMATS.join(',')}; 'none' for none)`,
    'signing-key': 'PEM private key of the trusted key group, to warm signed (premium) paths',
    'key-pair-id': 'public key id for signed URLs (default: the plan\'s key group key)',
    ...AWS_CONNECTION_HELP,
    'min-hit-ratio': 'fail (exit 1) when the verified share of paths that hit is below this (default 0.95)',
    'no-verify': 'skip the verification pass',
    'dry-run': 'show the requests that would be sent, the budget and the cost, and send nothing (without AWS credentials, --content-type plans with a stand-in object per behavior and says so)',
    offline: 'with --dry-run --content-type: do not list the bucket; plan with a stand-in object per behavior of the type',
    json: 'write the report as JSON to this file',
    quiet: 'no progress bars',
  },
  examples: [
    'npm run warm -- --stack prod --paths hot.txt --priority high',
    'npm run warm -- --plan plan.json --edges http://127.0.0.1:8080,http://127.0.0.1:8081 --content-type video --top 50 --endpoint http://127.0.0.1:4568',
    'npm run warm -- --stack prod --predict --from-logs .local/logs --window 1h --budget-gb 5 --releases releases.json --dry-run',
    'npm run warm -- --stack prod --predict --evaluate --budget-gb 10 --releases releases.json --json evaluation.json',
  ],
} satisfies CommandSpec<Options>;

type Values = OptionValues<typeof SPEC.options>;

/** Dollars with cents, or six decimals below a cent (a warming run often costs fractions of one). */
/** --now: an ISO time, as epoch seconds; undefined when not given. */
function parseNow(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (!Number.isFinite(t)) throw new InputError(`--now must be an ISO time such as 2025-11-24T20:00:00Z, got ${show(raw)}.`);
  return t / 1000;
}

function usd(x: number): string {
  return `$${x < 0.01 ? x.toFixed(6) : x.toFixed(2)}`;
}

function parseEncodings(raw: string | undefined): EncodingVariant[] {
  if (raw === undefined) return [...DEFAULT_WARM_ENCODINGS];
  const list = raw.split(';').map((s) => s.trim().replace(/\s+/g, '')).filter((s) => s !== '');
  const bad = list.filter((e) => !(ENCODING_VARIANTS as readonly string[]).includes(e));
  if (bad.length > 0 || list.length === 0) {
    throw new InputError(`--encodings must list variants from ${ENCODING_VARIANTS.join(', ')} separated by ';' (e.g. 'br,gzip;none'), got ${show(raw)}.`);
  }
  return list as EncodingVariant[];
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values: v } = parseCommandLine(SPEC, argv);
  if (v.evaluate === true) return evaluate(v);
  const problems: string[] = [];
  const modes = [v.paths !== undefined && '--paths', v['content-type'] !== undefined && !v['from-logs'] && '--content-type', v['from-logs'] !== undefined && !v.predict && '--from-logs', v.predict === true && '--predict'].filter(Boolean);
  if (modes.length !== 1) {
    problems.push(`choose exactly one source of paths: --paths <file>, --content-type <t> --top <N>, --from-logs <dir> or --predict --from-logs <dir> (got ${modes.length === 0 ? 'none' : modes.join(' and ')}); see '${USAGE} --help'.`);
  }
  if (v.predict === true && v['from-logs'] === undefined) problems.push(`--predict needs --from-logs <dir> with the access logs to learn from.`);
  const { top, 'budget-gb': budgetGb, 'min-hit-ratio': minHit } = v;
  if (v.predict === true && budgetGb === undefined) problems.push('--predict needs --budget-gb <n>: how many GB warming may pull from the origin.');
  let windowSec = 3600;
  let nowSec: number | undefined;
  let encodings: EncodingVariant[] = [];
  const collect = (f: () => void) => collectProblems(problems, f);
  const pacing = { priority: v.priority, rate: v.rate, concurrency: v.concurrency };
  collect(() => { if (v.window !== undefined) windowSec = parseDuration(v.window, '--window'); });
  collect(() => { nowSec = parseNow(v.now); });
  collect(() => { encodings = parseEncodings(v.encodings); });
  const formats = v['image-formats'];
  const imageFormats = formats === undefined ? [...DEFAULT_IMAGE_FORMATS] : formats === 'none' ? [] : formats.split(',').map((s) => s.trim()).filter(Boolean);
  if (v['signing-key'] === undefined && v['key-pair-id'] !== undefined) problems.push('--key-pair-id needs --signing-key <private key PEM file>.');
  const connection = connectionOptions(v);
  collect(() => checkEndpoints(['S3'], connection));
  if (v.offline === true && (v['dry-run'] !== true || v['content-type'] === undefined || v.paths !== undefined || v['from-logs'] !== undefined)) problems.push('--offline plans --content-type without listing its bucket and sends nothing: use it with --content-type X --dry-run (and no --paths or --from-logs).');
  if (problems.length > 0) throw new InputError(problems);

  const source = await loadStackSource(v, USAGE);
  const model: DistributionModel = source.plan ? distributionModelFromPlan(source.plan) : distributionModelFromCatalog(resolveCatalog(), source.outputs);
  const edges = parseWarmEdges(v.edges, model.domainName, model.aliases);

  let signer: Signer | undefined;
  const signingKey = v['signing-key'];
  if (signingKey !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(signingKey, 'utf8');
    } catch {
      throw new InputError(`--signing-key file '${v['signing-key']}' cannot be read; give the PEM private key of the trusted key group.`);
    }
    if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) throw new InputError(`--signing-key file '${v['signing-key']}' holds no PEM private key.`);
    const keyPairId = v['key-pair-id'] ?? [...model.keyGroups.values()].flat()[0]?.id;
    if (!keyPairId) throw new InputError('--key-pair-id is required: the stack source has no key group to take the public key id from.');
    signer = { keyPairId, privateKeyPem: pem };
  }

  // Where the paths come from
  let targets: WarmTarget[];
  let predictionNote: Record<string, unknown> | undefined;
  let offline: { objects: number; bucket: string; note: string } | undefined;
  const typeFilter = v['content-type'] !== undefined ? contentTypePatterns(source.outputs, v['content-type']) : undefined;
  const filter = typeFilter ? inContentType(model, typeFilter.patterns) : undefined;
  if (v.paths !== undefined) {
    targets = targetsFromPathsFile(v.paths, model);
  } else if (v['from-logs'] !== undefined) {
    const records = readLogDir(v['from-logs']);
    if (v.predict === true) {
      let releases: ReleaseEntry[] = [];
      if (v.releases !== undefined) releases = parseReleaseManifest(readJsonFile(v.releases, 'release manifest'), v.releases);
      const variantsPerObject = Math.max(1, encodings.length);
      const sel = predictTargets(model, records, { ...(nowSec !== undefined ? { nowSec } : {}), windowSec, budgetBytes: budgetGb! * GIB, releases, variantsPerObject, ...(filter ? { filter } : {}) });
      targets = sel.targets;
      predictionNote = {
        windowStart: new Date(sel.nowSec * 1000).toISOString(), windowSec, budgetBytes: budgetGb! * GIB,
        candidates: sel.predictions.length, chosen: sel.chosen.length,
        predictedRequests: sel.chosen.reduce((s, p) => s + p.predictedRequests, 0),
        chosenBytes: sel.chosen.reduce((s, p) => s + p.bytes * variantsPerObject, 0),
      };
    } else {
      targets = topTargetsFromLogs(records, top ?? 100, windowSec, filter);
    }
  } else {
    const t = typeFilter!;
    const bucket = (source.outputs.buckets as Record<string, { name: string } | undefined>)[t.origin]?.name;
    if (!bucket) throw new InputError(`--content-type ${t.name} is served by the custom origin '${t.origin}', which has no bucket to list; use --from-logs <dir> --content-type ${t.name} --top N instead.`);
    const withoutListing = (why: string) => {
      // a dry run plans without the listing: what each object of the type expands to, said so
      offline = { objects: top ?? 100, bucket, note: `planned without listing s3://${bucket} (${why}): which ${top ?? 100} objects are newest is not known, so each behavior of '${t.name}' is shown with a stand-in object; with credentials (and without --offline) the dry run lists the bucket and shows the real paths.` };
      return standInTargets(t.patterns, top ?? 100);
    };
    const client = v.offline === true ? undefined : s3Client(connection, source.outputs.region);
    try {
      targets = client === undefined ? withoutListing('--offline') : await topTargetsFromBucket(client, bucket, top ?? 100, filter!);
    } catch (e) {
      const kind = classifyError(e).kind;
      if (kind === 'credentials' && v['dry-run'] === true) {
        targets = withoutListing('no AWS credentials');
      } else if (kind !== 'internal') {
        throw e; // credentials, access denied, throttling, unreachable: one line from the error boundary (exit 3)
      } else {
        throw new InputError(`listing bucket '${bucket}' failed (${(e as Error).message}); check --endpoint / AWS_ENDPOINT_URL_S3 and the bucket name in the stack outputs.`);
      }
    } finally {
      client?.destroy();
    }
  }
  if (targets.length === 0) throw new InputError('no paths to warm were found; check the source (--paths, --content-type/--top, --from-logs).');

  const expansion = expandWarmRequests(model, targets, { encodings, imageFormats, canSign: signer !== undefined });
  const requests = orderWarmRequests(expansion.requests);
  const p = pacingFor(pacing.priority, pacing.rate, pacing.concurrency);
  for (const s of expansion.skipped) console.error(`warning: skipped ${s.path}: ${s.reason}`);
  for (const n of expansion.notes) console.error(`note: ${n}`);
  const expectedBytes = requests.reduce((s, r) => s + (r.bytes ?? 0), 0) * edges.length;
  const plannedRequests = requests.length * edges.length * (v['no-verify'] === true ? 1 : 2);

  if (v['dry-run'] === true) {
    const rows = requests.slice(0, 25).map((r) => [r.path + (r.query ? `?${r.query}` : ''), r.encoding, r.behaviorPattern, r.weight.toFixed(2)]);
    console.log(renderTable(['path', 'accept-encoding', 'behavior', 'weight'], rows, ['left', 'left', 'left', 'right']));
    if (requests.length > 25) console.log(`… and ${requests.length - 25} more`);
    if (offline) {
      const perObject = requests.length / targets.length;
      const variants = Math.round(perObject * offline.objects);
      const planned = variants * edges.length * (v['no-verify'] === true ? 1 : 2);
      console.error(`note: ${offline.note}`);
      console.log(`\ndry run (offline): up to ${offline.objects} objects × about ${perObject.toFixed(1)} variants each = ${variants} variants × ${edges.length} edge(s) (${edges.map((e) => e.label).join(', ')}); ` +
        `${planned} requests at ${p.ratePerSec}/s, ${p.concurrency} in flight (priority ${pacing.priority}); about ${usd(estimateCostUsd(planned, 0))} in requests on the distribution, plus the bytes pulled. Nothing was sent.`);
      if (v.json) writeJsonFile(v.json, { dryRun: true, offline: { ...offline, variantsPerObject: perObject, plannedRequests: planned }, edges: edges.map((e) => e.label), pacing: p, requests });
      return EXIT_OK;
    }
    console.log(`\ndry run: ${targets.length} paths → ${requests.length} variants × ${edges.length} edge(s) (${edges.map((e) => e.label).join(', ')}); ` +
      `${plannedRequests} requests at ${p.ratePerSec}/s, ${p.concurrency} in flight (priority ${pacing.priority}); ` +
      `about ${usd(estimateCostUsd(plannedRequests, expectedBytes))} on the distribution. Nothing was sent.`);
    if (v.json) writeJsonFile(v.json, { dryRun: true, paths: targets.length, variants: requests.length, edges: edges.map((e) => e.label), skipped: expansion.skipped, pacing: p, prediction: predictionNote, requests });
    return EXIT_OK;
  }

  let report: WarmReport;
  try {
    report = await runWarming({ requests, edges, pacing: p, domainName: model.domainName, ...(signer ? { signer } : {}), verify: v['no-verify'] !== true, quiet: v.quiet === true });
  } finally {
    closeWarmConnections();
  }
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `warmed ${fmt(report.paths)} paths (${fmt(report.variants)} variants) on ${report.edges.join(', ')}: ${fmt(report.warm.requests)} requests, ${JSON.stringify(report.warm.byXCache)}`,
    `bytes pulled from the origin: ${fmt(report.warm.originBytes)}`,
  ];
  if (report.verify) lines.push(`verified: ${(100 * report.verify.pathHitShare).toFixed(1)} % of paths now hit (${(100 * report.verify.variantHitShare).toFixed(1)} % of variants)`);
  lines.push(`requests billed: ${fmt(report.billing.requests)}, ${fmt(report.billing.bytes)} bytes, ${usd(report.billing.costUsd)}${report.billing.local ? ' if run on the distribution (local edges bill nothing)' : ''}`);
  if (report.failures.length > 0) lines.push(`failed requests: ${report.failures.length} (first: ${report.failures[0]!.url} → ${report.failures[0]!.status || report.failures[0]!.error})`);
  console.log(lines.join('\n'));
  if (v.json) writeJsonFile(v.json, { ...report, skipped: expansion.skipped, pacing: p, priority: pacing.priority, prediction: predictionNote, minHitRatio: minHit });
  if (report.warm.requests > 0 && report.warm.errors === report.warm.requests) {
    throw new CheckFailed(`check failed: every warm request failed (first: ${report.failures[0]?.url} → ${report.failures[0]?.error ?? report.failures[0]?.status}); is the edge running?`);
  }
  if (report.verify && report.verify.pathHitShare < minHit) {
    throw new CheckFailed(`check failed: ${(100 * report.verify.pathHitShare).toFixed(1)} % of paths hit after warming, below --min-hit-ratio ${minHit}.`);
  }
  return EXIT_OK;
}

/** --predict --evaluate: the simulator's held-out evaluation, nothing sent. */
async function evaluate(v: Values): Promise<number> {
  const problems: string[] = [];
  if (v.predict !== true) problems.push('--evaluate evaluates the predictor: add --predict.');
  for (const o of ['paths', 'content-type', 'from-logs', 'edges', 'outputs'] as const) {
    if (v[o] !== undefined) problems.push(`--evaluate learns from simulated logs and sends nothing; drop --${o}.`);
  }
  const budgetGb = v['budget-gb'];
  if (budgetGb === undefined) problems.push('--evaluate needs --budget-gb <n>: how many GB each strategy may pull from the origin.');
  let windowSec = 3600;
  let nowSec: number | undefined;
  const sim = { ...(v.scale !== undefined ? { scale: v.scale } : {}), ...(v.seed !== undefined ? { seed: v.seed } : {}) };
  let releases: ReleaseEntry[] = [];
  const collect = (f: () => void) => collectProblems(problems, f);
  collect(() => { if (v.window !== undefined) windowSec = parseDuration(v.window, '--window'); });
  collect(() => { nowSec = parseNow(v.now); });
  collect(() => { if (v.releases !== undefined) releases = parseReleaseManifest(readJsonFile(v.releases, 'release manifest'), v.releases); });
  if (problems.length > 0) throw new InputError(problems);
  const source = await loadStackSource(v, USAGE);
  if (!source.plan) throw new InputError('--evaluate needs a plan: give --stack <name> or --plan <file>.');
  const ev = runEvaluation({ plan: source.plan, releases, budgetBytes: budgetGb! * GIB, windowSec, ...(nowSec !== undefined ? { nowSec } : {}), ...sim });
  console.log(renderEvaluation(ev, `${source.label}, seed workload at scale ${sim.scale ?? 0.005}, seed ${sim.seed ?? 1}, ${releases.length} release(s)`));
  if (v.json) writeJsonFile(v.json, ev);
  return EXIT_OK;
}

if (require.main === module) runMain(() => main());
