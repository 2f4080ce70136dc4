/**
 * The contract between the SimulationBatch job definition and its container (scripts/batch-entry.ts):
 * the environment the job sets, what AWS Batch adds, where a child reads its input and writes its part,
 * and the `npm run sim` arguments it runs. Pure: the entry script reads process.env and passes it in.
 *
 * AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX (0-based), AWS_BATCH_JOB_ARRAY_SIZE and AWS_BATCH_JOB_ID
 * (`<parent id>:<index>` in an array child) in every child of an array job; the AWS_BATCH_ prefix is
 * reserved, so the job's own variables start with SIM_.
 * Source: https://docs.aws.amazon.com/batch/latest/userguide/job_env_vars.html
 */
import { InputError, show } from '../errors';

/** The job definition's variables (overridable per submission with `--container-overrides`). */
export const JOB_ENV = {
  /** s3://bucket/prefix/ holding the run's input: `plan.json` (npm run plan -- --json, or a pulumi stack export). */
  input: 'SIM_INPUT_URI',
  /** s3://bucket/prefix/ under which each child writes `<job id>/part-NNNN.json`. */
  output: 'SIM_OUTPUT_URI',
  /** The shard count; the array size must equal it. */
  shards: 'SIM_SHARDS',
  /** Region of the bucket. */
  region: 'SIM_REGION',
  /** Optional: extra `npm run sim` options as a JSON array of strings, e.g. ["--scale","1","--seed","7"]. */
  simArgs: 'SIM_ARGS',
} as const;

/** What AWS Batch sets in an array child. */
export const BATCH_ENV = { index: 'AWS_BATCH_JOB_ARRAY_INDEX', size: 'AWS_BATCH_JOB_ARRAY_SIZE', jobId: 'AWS_BATCH_JOB_ID' } as const;

/** The input object every run reads from the input prefix. */
export const PLAN_OBJECT = 'plan.json';
/**
 * The folder under the input prefix for CloudFront logs: when it holds objects, every child
 * downloads them and replays its shard of them through the plan (`--trace … --format cloudfront-log`)
 * instead of simulating the seed workload.
 */
export const LOGS_FOLDER = 'logs/';
/** Default prefixes in the SimulationBatch bucket. */
export const INPUT_PREFIX = 'inputs/';
export const OUTPUT_PREFIX = 'results/';

/** Array jobs have 2 to 10,000 children (AWS Batch); `--shard` allows up to 4096 shards (simulator/shard.ts). */
export const MIN_SHARDS = 2;
export const MAX_SHARDS = 4096;

export interface S3Location {
  readonly bucket: string;
  /** '' or ending in '/'. */
  readonly prefix: string;
}

export interface JobEnvironment {
  readonly input: S3Location;
  readonly output: S3Location;
  readonly region: string;
  readonly shard: { readonly index: number; readonly count: number };
  /** The parent array job's id: the children of one submission share it. */
  readonly jobId: string;
  readonly simArgs: readonly string[];
}

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;
const JOB_ID_RE = /^[A-Za-z0-9-]{1,128}$/;

/** `s3://bucket/prefix/` as bucket and prefix ('' or ending in '/'). @throws InputError naming `what`. */
export function parseS3Uri(uri: string, what: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !BUCKET_RE.test(m[1]!)) throw new InputError(`${what} must be s3://<bucket>/<prefix>/, such as s3://media-cdn-sim/inputs/, got ${show(uri)}.`);
  const prefix = m[2]!;
  if (prefix !== '' && !prefix.endsWith('/')) throw new InputError(`${what} ${show(uri)} must end with '/': it names a prefix (folder), not an object.`);
  return { bucket: m[1]!, prefix };
}

/** The s3:// URI of a location. */
export function s3Uri(l: S3Location): string {
  return `s3://${l.bucket}/${l.prefix}`;
}

/** Options the job sets itself, or that do not run in a shard: never accepted in SIM_ARGS. */
export const RESERVED_SIM_OPTIONS = [
  '--plan', '--stack', '--shard', '--json', '--quiet', '--trace', '--format', '--cache-size', '--compare', '--workers',
  '--html', '--write-trace', '--write-logs', '--fault', '--sweep', '--help',
] as const;

/** SIM_ARGS: a JSON array of strings with none of the reserved options. @throws InputError */
export function parseSimArgs(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  if (!Array.isArray(parsed) || parsed.some((a) => typeof a !== 'string')) {
    throw new InputError(`${JOB_ENV.simArgs} must be a JSON array of strings such as ["--scale","1","--seed","7"], got ${show(text)}.`);
  }
  const args = parsed as string[];
  const reserved = args.filter((a) => (RESERVED_SIM_OPTIONS as readonly string[]).includes(a.split('=')[0]!));
  if (reserved.length > 0) {
    throw new InputError(`${JOB_ENV.simArgs} contains ${reserved.join(', ')}, which the job sets itself or which cannot run in a shard; leave out ${RESERVED_SIM_OPTIONS.join(', ')}.`);
  }
  return args;
}

function wholeNumber(env: Readonly<Record<string, string | undefined>>, name: string, problems: string[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number, got ${show(raw)}${name.startsWith('AWS_BATCH_') ? '; AWS Batch sets it in the children of an array job: submit with --array-properties size=<shards>' : ''}.`);
    return undefined;
  }
  return Number(raw);
}

/**
 * Reads and checks the job's environment. @throws InputError listing every problem, each naming the
 * variable, the value and the fix.
 */
export function readJobEnvironment(env: Readonly<Record<string, string | undefined>>): JobEnvironment {
  const problems: string[] = [];
  const location = (name: string): S3Location | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') { problems.push(`${name} is not set; the job definition sets it (s3://<bucket>/<prefix>/).`); return undefined; }
    try { return parseS3Uri(raw, name); } catch (e) { if (e instanceof InputError) problems.push(...e.problems); else throw e; return undefined; }
  };
  const input = location(JOB_ENV.input);
  const output = location(JOB_ENV.output);
  const region = env[JOB_ENV.region] ?? '';
  if (!REGION_RE.test(region)) problems.push(`${JOB_ENV.region} must be the bucket's AWS Region such as 'us-east-1', got ${show(env[JOB_ENV.region])}.`);
  const count = wholeNumber(env, JOB_ENV.shards, problems);
  const index = wholeNumber(env, BATCH_ENV.index, problems);
  const size = wholeNumber(env, BATCH_ENV.size, problems);
  if (count !== undefined && (count < MIN_SHARDS || count > MAX_SHARDS)) problems.push(`${JOB_ENV.shards} must be from ${MIN_SHARDS} to ${MAX_SHARDS}, got ${count}.`);
  if (count !== undefined && size !== undefined && size !== count) {
    problems.push(`the array job has ${size} children (${BATCH_ENV.size}) but ${JOB_ENV.shards} is ${count}; submit with --array-properties size=${count}, or override ${JOB_ENV.shards} to ${size}.`);
  }
  if (index !== undefined && count !== undefined && index >= count) problems.push(`${BATCH_ENV.index} is ${index}, outside the ${count} shards (0 to ${count - 1}).`);
  const rawId = env[BATCH_ENV.jobId] ?? '';
  const jobId = rawId.replace(/:\d+$/, '');
  if (!JOB_ID_RE.test(jobId)) problems.push(`${BATCH_ENV.jobId} must be an AWS Batch job id such as '0f1e2d3c-…:3', got ${show(env[BATCH_ENV.jobId])}.`);
  let simArgs: string[] = [];
  try { simArgs = parseSimArgs(env[JOB_ENV.simArgs]); } catch (e) { if (e instanceof InputError) problems.push(...e.problems); else throw e; }
  if (problems.length > 0) throw new InputError(problems);
  return { input: input!, output: output!, region, shard: { index: index!, count: count! }, jobId, simArgs };
}

/** The key of shard `index`'s part: `<output prefix><job id>/part-0003.json` (sorted by shard when listed). */
export function partKey(outputPrefix: string, jobId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SHARDS) throw new InputError(`a part index must be a whole number from 0 to ${MAX_SHARDS - 1}, got ${show(index)}.`);
  return `${outputPrefix}${jobId}/part-${String(index).padStart(4, '0')}.json`;
}

/** The key of the run's plan under the input prefix. */
export function planKey(inputPrefix: string): string {
  return `${inputPrefix}${PLAN_OBJECT}`;
}

/** The prefix of the run's CloudFront logs under the input prefix. */
export function logsPrefix(inputPrefix: string): string {
  return `${inputPrefix}${LOGS_FOLDER}`;
}

/**
 * The `npm run sim` arguments of one child: its shard of the plan (of the seed workload, or of a
 * replay of the logs in `logsDir`), written as a part, quietly.
 */
export function simArgsFor(job: Pick<JobEnvironment, 'shard' | 'simArgs'>, planFile: string, partFile: string, logsDir?: string): string[] {
  const trace = logsDir !== undefined ? ['--trace', logsDir, '--format', 'cloudfront-log'] : [];
  return ['--plan', planFile, ...trace, '--shard', `${job.shard.index}/${job.shard.count}`, '--json', partFile, '--quiet', ...job.simArgs];
}

/** The job definition's own environment: where the input and the parts are, the shard count, the Region. */
export function jobEnvironment(a: { bucket: string; region: string; shards: number; inputPrefix?: string; outputPrefix?: string }): { name: string; value: string }[] {
  return [
    { name: JOB_ENV.input, value: s3Uri({ bucket: a.bucket, prefix: a.inputPrefix ?? INPUT_PREFIX }) },
    { name: JOB_ENV.output, value: s3Uri({ bucket: a.bucket, prefix: a.outputPrefix ?? OUTPUT_PREFIX }) },
    { name: JOB_ENV.shards, value: String(a.shards) },
    { name: JOB_ENV.region, value: a.region },
  ];
}
