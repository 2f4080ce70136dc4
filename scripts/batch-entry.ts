/**
 * The SimulationBatch container's entry (components/simulation-batch.ts): one child of the AWS Batch
 * array job. Reads the job's environment (lib/batch/job-contract.ts: SIM_INPUT_URI, SIM_OUTPUT_URI,
 * SIM_SHARDS, SIM_REGION, SIM_ARGS, and AWS_BATCH_JOB_ARRAY_INDEX / _SIZE / AWS_BATCH_JOB_ID from Batch),
 * downloads the run's plan.json from the input prefix, runs `npm run sim -- --plan plan.json --shard
 * i/n --json part.json`, and uploads the part to `<output prefix><job id>/part-NNNN.json`, where
 * `npm run sim -- merge` adds the parts up (docs/simulation-batch.md).
 * S3 requests follow the scripts' endpoint rules (adapters/aws-endpoint.ts: --endpoint,
 * AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; on Fargate none, so the job role's credentials and AWS's S3).
 * Exit codes: 0 the part is uploaded, 2 bad environment or input, 3 S3 refused, 4 internal error.
 */
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, checkEndpoints, connectionOptions, s3Client } from '../adapters/aws-clients';
import { BATCH_ENV, JOB_ENV, logsPrefix, partKey, planKey, readJobEnvironment, simArgsFor, type JobEnvironment } from '../lib/batch';
import { InputError } from '../lib/errors';
import { EXIT_OK, parseCommandLine, runMain } from './lib/cli';
import { main as simMain } from './sim';

export const spec = {
  usage: 'node scripts/launch.js batch-entry',
  summary:
    'One child of the SimulationBatch array job (docs/simulation-batch.md): reads the job\'s environment, downloads plan.json from the input prefix, ' +
    `runs its shard of the seed workload with npm run sim (or, when the input prefix holds logs/, downloads them and replays its shard of them), and uploads the part to <output prefix><job id>/part-NNNN.json. Environment: ${JOB_ENV.input}, ` +
    `${JOB_ENV.output}, ${JOB_ENV.shards}, ${JOB_ENV.region}, ${JOB_ENV.simArgs} (optional JSON array of extra sim options); AWS Batch sets ${BATCH_ENV.index}, ${BATCH_ENV.size} and ${BATCH_ENV.jobId}.`,
  options: { ...AWS_CONNECTION_OPTIONS },
  help: { ...AWS_CONNECTION_HELP },
  examples: [
    `${JOB_ENV.input}=s3://sim/inputs/ ${JOB_ENV.output}=s3://sim/results/ ${JOB_ENV.shards}=2 ${JOB_ENV.region}=us-east-1 ${BATCH_ENV.index}=0 ${BATCH_ENV.size}=2 ${BATCH_ENV.jobId}=local-1:0 node scripts/launch.js batch-entry --endpoint http://127.0.0.1:4568   (one child against a local S3)`,
  ],
} as const;

function isMissing(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
}

/** Downloads the run's plan to `file`. @throws InputError when the input prefix holds none. */
async function downloadPlan(s3: S3Client, job: JobEnvironment, file: string): Promise<void> {
  const key = planKey(job.input.prefix);
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: job.input.bucket, Key: key }));
    writeFileSync(file, await r.Body!.transformToByteArray());
  } catch (e) {
    if (!isMissing(e)) throw e;
    throw new InputError(`s3://${job.input.bucket}/${key} does not exist; upload the run's plan first: 'npm run plan -- --stack prod --json plan.json' then 'aws s3 cp plan.json s3://${job.input.bucket}/${key}'.`);
  }
}

/**
 * Downloads the CloudFront logs under `<input prefix>logs/` into `dir`, keeping their relative paths
 * (Hive partitions included). Returns the number of files; 0 when the run has no logs.
 */
async function downloadLogs(s3: S3Client, job: JobEnvironment, dir: string): Promise<number> {
  const prefix = logsPrefix(job.input.prefix);
  let n = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: job.input.bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) {
      const rel = o.Key!.slice(prefix.length);
      if (rel === '' || rel.endsWith('/') || rel.split('/').includes('..')) continue;
      const file = join(dir, rel);
      mkdirSync(dirname(file), { recursive: true });
      const r = await s3.send(new GetObjectCommand({ Bucket: job.input.bucket, Key: o.Key! }));
      writeFileSync(file, await r.Body!.transformToByteArray());
      n++;
    }
  }
  return n;
}

/**
 * Runs one child. `env` is the job's environment; `client` an S3 client to use instead of building one
 * (tests). Returns the exit code of the shard run (0; a shard writes its part whatever the targets).
 */
export async function main(argv = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env, client?: S3Client): Promise<number> {
  const { values: v } = parseCommandLine(spec, argv);
  const job = readJobEnvironment(env);
  const connection = { ...connectionOptions(v), env };
  checkEndpoints(['S3'], connection);
  const s3 = client ?? s3Client(connection, job.region);
  const dir = mkdtempSync(join(tmpdir(), 'media-cdn-batch-'));
  try {
    const planFile = join(dir, 'plan.json');
    const partFile = join(dir, 'part.json');
    await downloadPlan(s3, job, planFile);
    const logsDir = join(dir, 'logs');
    const logFiles = await downloadLogs(s3, job, logsDir);
    if (logFiles > 0) console.log(`downloaded ${logFiles} log file(s) from s3://${job.input.bucket}/${logsPrefix(job.input.prefix)}: replaying shard ${job.shard.index}/${job.shard.count} of them`);
    const code = await simMain(simArgsFor(job, planFile, partFile, logFiles > 0 ? logsDir : undefined));
    if (code !== EXIT_OK) return code;
    const key = partKey(job.output.prefix, job.jobId, job.shard.index);
    await s3.send(new PutObjectCommand({ Bucket: job.output.bucket, Key: key, Body: readFileSync(partFile), ContentType: 'application/json' }));
    console.log(`uploaded shard ${job.shard.index}/${job.shard.count} to s3://${job.output.bucket}/${key}`);
    return EXIT_OK;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function cli(): void {
  runMain(() => main());
}

if (require.main === module) cli();
