/**
 * npm run local -- [--stack X | --plan plan.json] [--port n] [--seed-content] [--pops a,b] [--log-format v1|parquet|both] [--json f] [--dry-run]
 *
 * Starts a local CloudFront for the plan on 127.0.0.1: the edge (one port per edge location, a shared
 * regional cache, standard access logs), s3rver holding the plan's buckets (or --s3-endpoint, e.g.
 * LocalStack), the metadata/API origin and the local CloudFront API endpoint whose invalidations
 * reach the edge's caches. Ctrl-C stops everything (docs/local-development.md).
 */
import { join, resolve } from 'node:path';
import { InputError, show } from '../lib/errors';
import { renderTable } from '../lib/format/table';
import { distributionModelFromPlan } from '../lib/distribution';
import { EXIT_OK, loadPlan, parseCommandLine, runMain, writeJsonFile, type CommandSpec, type Options } from './lib/cli';
import { EDGE_LOG_FORMATS, type EdgeLogFormat } from '../local/edge/edge-log';
import { describeLocalStack, probeS3Endpoint, startEverything } from './local/start';

export const USAGE = 'npm run local --';

export const SPEC = {
  usage: USAGE,
  summary: 'Starts a local CloudFront edge for a plan, with its S3 and API origins and the CloudFront invalidation API.',
  options: {
    stack: { type: 'string' },
    plan: { type: 'string' },
    port: { type: 'number', integer: true, min: 0, max: 65_535, describe: 'a port number from 0 to 65535 (0 picks a free one)', default: 8080 },
    pops: { type: 'string' },
    'seed-content': { type: 'boolean' },
    's3-port': { type: 'number', integer: true, min: 0, max: 65_535, describe: 'a port number from 0 to 65535 (0 picks a free one)', default: 4568 },
    's3-endpoint': { type: 'string' },
    'api-port': { type: 'number', integer: true, min: 0, max: 65_535, describe: 'a port number from 0 to 65535 (0 picks a free one)', default: 8090 },
    'cloudfront-port': { type: 'number', integer: true, min: 0, max: 65_535, describe: 'a port number from 0 to 65535 (0 picks a free one)', default: 4580 },
    'data-dir': { type: 'string' },
    'log-dir': { type: 'string' },
    'log-format': { type: 'choice', choices: EDGE_LOG_FORMATS, default: 'v1' },
    'cache-tag-header': { type: 'string' },
    'capacity-mb': { type: 'number', min: 0, exclusiveMin: true, default: 256 },
    'enforce-https': { type: 'boolean' },
    json: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  help: {
    stack: 'build the offline plan of this stack (staging, prod) and serve it (default staging)',
    plan: 'serve a saved plan (npm run plan -- --json f)',
    port: 'port of the first edge location; the others take the next ports (default 8080; 0 = any free port)',
    pops: 'comma-separated edge location codes, one server each (default IAD89-C1,FRA56-C1)',
    'seed-content': 'upload the sample content (episodes, thumbnails, app files) to the buckets first',
    's3-port': 'port of s3rver (default 4568; 0 = any free port)',
    's3-endpoint': 'use this S3 endpoint (e.g. LocalStack http://127.0.0.1:4566) instead of starting s3rver',
    'api-port': 'port of the metadata/API origin (default 8090; 0 = any free port)',
    'cloudfront-port': 'port of the local CloudFront API endpoint (default 4580; 0 = any free port)',
    'data-dir': 'folder for the buckets and logs (default .local)',
    'log-dir': 'folder for the access logs (default <data-dir>/logs)',
    'log-format': "'v1': CloudFront's standard logs v1, hourly text files (default); 'parquet': v2 as the S3 delivery writes them, " +
      "DistributionId=…/year=…/month=…/day=…/hour=…/*.parquet, each hour once it is over and the current one on Ctrl-C (npm run analyze -- --logs reads them); 'both'",
    'cache-tag-header': "response header holding cache tags (default: the plan's CacheTagConfig)",
    'capacity-mb': 'capacity of each edge location cache in MB (default 256; the regional cache holds 4×)',
    'enforce-https': 'apply the viewer protocol policy to plain-HTTP viewers (301 to https) instead of treating 127.0.0.1 as HTTPS',
    json: 'write the endpoints as JSON to this file once everything is up',
    'dry-run': 'print what would start and exit',
  },
  examples: [
    'npm run local -- --stack prod --seed-content',
    'npm run local -- --plan plan.json --port 0 --json .local/endpoints.json',
    'npm run local -- --stack staging --s3-endpoint http://127.0.0.1:4566',
    'npm run local -- --log-format parquet   # then: npm run analyze -- --logs .local/logs',
  ],
} satisfies CommandSpec<Options>;

function logFormatText(format: EdgeLogFormat): string {
  return format === 'v1' ? 'v1' : format === 'parquet' ? 'v2 Parquet' : 'v1 and v2 Parquet';
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values: v } = parseCommandLine(SPEC, argv);
  const problems: string[] = [];
  const { port: edgePort, 's3-port': s3Port, 'api-port': apiPort, 'cloudfront-port': cloudfrontPort, 'capacity-mb': capacityMb } = v;
  const pops = v.pops === undefined ? ['IAD89-C1', 'FRA56-C1'] : v.pops.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of pops) if (!/^[A-Z]{3}[0-9]{1,3}(-[A-Z0-9]{1,4})?$/.test(p)) problems.push(`--pops: ${show(p)} is not an edge location code such as 'IAD89-C1'.`);
  if (pops.length === 0 || pops.length > 16) problems.push(`--pops must list 1 to 16 edge locations, got ${pops.length}.`);
  if (new Set(pops).size !== pops.length) problems.push(`--pops lists an edge location twice: ${show(v.pops)}.`);
  const s3Endpoint = v['s3-endpoint'];
  if (s3Endpoint !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(s3Endpoint)) problems.push(`--s3-endpoint must be a URL such as http://127.0.0.1:4566, got ${show(s3Endpoint)}.`);
  if (problems.length > 0) throw new InputError(problems);

  // `npm run local` alone serves the staging stack
  const source = v.stack === undefined && v.plan === undefined ? { stack: 'staging' } : v;
  const plan = await loadPlan(source, USAGE);
  const model = distributionModelFromPlan(plan);
  const dataDir = resolve(v['data-dir'] ?? '.local');
  const logDir = resolve(v['log-dir'] ?? join(dataDir, 'logs'));
  const logFormat = v['log-format'];
  const settings = {
    plan, pops, edgePort, s3Port, apiPort, cloudfrontPort, logDir, logFormat,
    s3Directory: join(dataDir, 's3'),
    ...(s3Endpoint !== undefined ? { s3Endpoint } : {}),
    seed: v['seed-content'] === true,
    capacityBytes: capacityMb * 2 ** 20,
    ...(v['cache-tag-header'] !== undefined ? { cacheTagHeader: v['cache-tag-header'] } : {}),
    enforceHttps: v['enforce-https'] === true,
  };
  if (v['dry-run'] === true) {
    console.log(`dry run: would serve distribution ${model.distributionId} (${model.domainName}) of stack '${plan.stack}' with ` +
      `${model.behaviors.length} ordered behaviors; edges ${pops.map((p, i) => `${p} on 127.0.0.1:${edgePort === 0 ? 'any' : edgePort + i}`).join(', ')}; ` +
      `${s3Endpoint ?? `s3rver on 127.0.0.1:${s3Port || 'any'} (${settings.s3Directory})`}; API origin on 127.0.0.1:${apiPort || 'any'}; ` +
      `CloudFront API on 127.0.0.1:${cloudfrontPort || 'any'}; ${logFormatText(logFormat)} logs in ${logDir}${settings.seed ? '; sample content seeded' : ''}. Nothing was started.`);
    return EXIT_OK;
  }
  if (s3Endpoint !== undefined) await probeS3Endpoint(s3Endpoint);

  const running = await startEverything(settings);
  const d = describeLocalStack(running);
  console.log(renderTable(['service', 'address'], d.rows, ['left', 'left']));
  const seedHint = settings.seed ? '' : '\n(sample content is uploaded with --seed-content; the buckets keep it between runs)';
  console.log(`\n${d.hints.join('\n')}${seedHint}\n\nCtrl-C stops everything.`);
  if (v.json) writeJsonFile(v.json, d.json);

  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.error(logFormat === 'v1' ? '\nstopping…' : '\nstopping… (writing the current hour\'s access logs as Parquet; a second Ctrl-C leaves them for the next start)');
  await running.close();
  console.error(`stopped; access logs (${logFormatText(logFormat)}) are in ${logDir}`);
  return EXIT_OK;
}

if (require.main === module) runMain(() => main());
