import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { main as entryMain } from '../../scripts/batch-entry';
import { main as simMain } from '../../scripts/sim';
import { startS3rver, type LocalS3 } from '../invalidation/helpers';
import { planFor } from '../helpers/plan';

const ROOT = join(__dirname, '..', '..');
const BUCKET = 'media-cdn-sim-test';
const SETTINGS = ['--scale', '0.0005', '--hours', '1', '--warmup-hours', '0'];

describe('scripts/batch-entry.ts: one array child against a real local S3 (s3rver)', function () {
  this.timeout(600_000);
  let s3: LocalS3;
  let client: S3Client;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // as runMain does for every command
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-batch-entry-'));
    s3 = await startS3rver(join(dir, 's3'), [BUCKET]);
    client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const plan = JSON.stringify(await planFor('prod'));
    writeFileSync(join(dir, 'plan.json'), plan);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'inputs/plan.json', Body: plan }));
    env = {
      SIM_INPUT_URI: `s3://${BUCKET}/inputs/`, SIM_OUTPUT_URI: `s3://${BUCKET}/results/`, SIM_SHARDS: '2', SIM_REGION: 'us-east-1',
      SIM_ARGS: JSON.stringify(SETTINGS), AWS_BATCH_JOB_ARRAY_SIZE: '2', AWS_ENDPOINT_URL_S3: s3.endpoint,
    };
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function keys(prefix: string): Promise<string[]> {
    const r = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (r.Contents ?? []).map((o) => o.Key!);
  }
  async function download(key: string, file: string): Promise<Record<string, any>> {
    const r = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const text = await r.Body!.transformToString();
    writeFileSync(file, text);
    return JSON.parse(text);
  }

  it('runs shards 0 and 1 of 2 from the plan in S3, uploads results/<job id>/part-NNNN.json, and the parts merge', async () => {
    for (const i of [0, 1]) {
      const code = await entryMain([], { ...env, AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ID: `job-1:${i}` });
      expect(code).to.equal(0);
    }
    expect(await keys('results/')).to.deep.equal(['results/job-1/part-0000.json', 'results/job-1/part-0001.json']);
    const parts = await Promise.all([0, 1].map((i) => download(`results/job-1/part-000${i}.json`, join(dir, `s3-part-${i}.json`))));
    expect(parts.map((p) => p.shard)).to.deep.equal([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    expect(parts[0]!.settings).to.deep.include({ scale: 0.0005, hours: 1, warmupHours: 0 });

    // The same shard run here, without Batch or S3, gives the same statistics: the child only moves files.
    expect(await simMain(['--plan', join(dir, 'plan.json'), ...SETTINGS, '--shard', '0/2', '--json', join(dir, 'local-0.json'), '--quiet'])).to.equal(0);
    expect(parts[0]!.stats).to.deep.equal(JSON.parse(readFileSync(join(dir, 'local-0.json'), 'utf8')).stats);

    const total = join(dir, 'total.json');
    const code = await simMain(['merge', join(dir, 's3-part-0.json'), join(dir, 's3-part-1.json'), '--json', total]);
    const merged = JSON.parse(readFileSync(total, 'utf8'));
    expect(code).to.equal(merged.pass ? 0 : 1);
    expect(merged).to.deep.include({ mode: 'seed-workload', shards: 2 });
    expect(parts[0]!.stats.simulated + parts[1]!.stats.simulated).to.be.greaterThan(0);
  });

  it('replays its shard of the logs under inputs/logs/ when there are any; the parts merge as a log replay', async () => {
    const logs = join(dir, 'sim-logs');
    expect([0, 1]).to.include(await simMain(['--plan', join(dir, 'plan.json'), ...SETTINGS, '--write-logs', logs, '--quiet']));
    const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet'));
    expect(files.length).to.be.greaterThan(0);
    for (const f of files) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inputs/logs/${f}`, Body: readFileSync(join(logs, f)) }));
    const replayEnv = { ...env, SIM_ARGS: JSON.stringify(['--warmup-hours', '0']) };
    for (const i of [0, 1]) {
      expect(await entryMain([], { ...replayEnv, AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ID: `job-logs:${i}` })).to.equal(0);
    }
    const parts = await Promise.all([0, 1].map((i) => download(`results/job-logs/part-000${i}.json`, join(dir, `replay-part-${i}.json`))));
    expect(parts.map((p) => p.mode)).to.deep.equal(['log-replay-part', 'log-replay-part']);
    const total = join(dir, 'replay-total.json');
    expect([0, 1]).to.include(await simMain(['merge', join(dir, 'replay-part-0.json'), join(dir, 'replay-part-1.json'), '--json', total, '--quiet']));
    const whole = join(dir, 'replay-whole.json');
    expect([0, 1]).to.include(await simMain(['--plan', join(dir, 'plan.json'), '--trace', logs, '--format', 'cloudfront-log', '--warmup-hours', '0', '--json', whole, '--quiet']));
    const merged = JSON.parse(readFileSync(total, 'utf8'));
    expect(merged.mode).to.equal('log-replay');
    expect(merged.observed).to.deep.equal(JSON.parse(readFileSync(whole, 'utf8')).observed);
    // the seed-workload run's inputs stay as they were for the other jobs
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: files.map((f) => ({ Key: `inputs/logs/${f}` })) } }));
  });

  it('refuses a child without the array variables AWS Batch sets, naming the submit option, before any request', async () => {
    let error: unknown;
    try { await entryMain([], { ...env, AWS_BATCH_JOB_ID: 'job-2:0' }); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(InputError);
    expect((error as InputError).problems).to.deep.equal(['AWS_BATCH_JOB_ARRAY_INDEX must be a whole number, got undefined; AWS Batch sets it in the children of an array job: submit with --array-properties size=<shards>.']);
    expect(await keys('results/job-2/')).to.deep.equal([]);
  });

  it('says how to upload the plan when the input prefix has none, and uploads nothing', async () => {
    let error: unknown;
    try { await entryMain([], { ...env, SIM_INPUT_URI: `s3://${BUCKET}/inputs/run-9/`, AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ID: 'job-3:0' }); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(InputError);
    expect((error as Error).message).to.equal(`s3://${BUCKET}/inputs/run-9/plan.json does not exist; upload the run's plan first: 'npm run plan -- --stack prod --json plan.json' then 'aws s3 cp plan.json s3://${BUCKET}/inputs/run-9/plan.json'.`);
    expect(await keys('results/job-3/')).to.deep.equal([]);
  });

  it('sends nothing to an S3 endpoint on another machine unless allowed', async () => {
    let error: unknown;
    try { await entryMain([], { ...env, AWS_ENDPOINT_URL_S3: 'http://s3.example.com', AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ID: 'job-4:0' }); } catch (e) { error = e; }
    expect((error as Error).message).to.match(/AWS_ENDPOINT_URL_S3 'http:\/\/s3.example.com' is not on this machine/);
  });

  it('prints its help with the environment contract and exits 0; exits 2 on a bad environment', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'batch-entry.ts'), '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(help.status).to.equal(0);
    expect(help.stdout).to.match(/^Usage: node scripts\/launch.js batch-entry/);
    expect(help.stdout).to.include('SIM_INPUT_URI').and.include('AWS_BATCH_JOB_ARRAY_INDEX').and.include('--endpoint');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'batch-entry.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    expect(bad.status, bad.stderr).to.equal(2);
    expect(bad.stderr).to.match(/^error: SIM_INPUT_URI is not set; the job definition sets it/m);
  });

  it('is bundled into dist/ by scripts/build-dist.js (npm ci\'s prepare, in the image), and launch.js runs the bundle', () => {
    const build = spawnSync(process.execPath, ['scripts/build-dist.js'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(build.status, build.stderr).to.equal(0);
    expect(existsSync(join(ROOT, 'dist', 'batch-entry.js'))).to.equal(true);
    const inputs = JSON.parse(readFileSync(join(ROOT, 'dist', 'batch-entry.inputs.json'), 'utf8')) as string[];
    expect(inputs).to.include.members(['scripts/batch-entry.ts', 'scripts/sim.ts', 'lib/batch/job-contract.ts']);
    expect(inputs.some((f) => f.startsWith('plan/run-plan'))).to.equal(false);
    const help = spawnSync(process.execPath, ['scripts/launch.js', 'batch-entry', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(help.status).to.equal(0);
    expect(help.stdout).to.match(/^Usage: node scripts\/launch.js batch-entry/);
  });
});
