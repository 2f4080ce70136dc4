/**
 * The `npm run invalidate` command line as a user runs it: a child process (scripts/invalidate.ts
 * bundled once), s3rver as the origin buckets, the local CloudFront endpoint, and the real SDK
 * clients pointed at them through AWS_ENDPOINT_URL_<SERVICE> or --endpoint.
 */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { listObjects } from '../../scripts/invalidation/aws';
import { bundleCli, cliEnv, REPO, S3RVER_CREDENTIALS, sleep, startS3rver, TEST_BUCKETS, tempDir, writeOutputs, type LocalS3 } from './helpers';

const OBJECTS: Record<string, string[]> = {
  [TEST_BUCKETS.video]: [
    ...['ep1', 'ep2'].flatMap((ep) => [`video/2024/show-a/${ep}/master.m3u8`, `video/2024/show-a/${ep}/720p.m3u8`, ...Array.from({ length: 10 }, (_, i) => `video/2024/show-a/${ep}/seg-${i}.ts`)]),
    'video/2023/old/master.m3u8',
  ],
  [TEST_BUCKETS.images]: [...Array.from({ length: 6 }, (_, i) => `thumbnails/x/${i}.jpg`), ...Array.from({ length: 3 }, (_, i) => `previews/x/${i}.jpg`), 'thumbnails/y/1.jpg'],
  [TEST_BUCKETS.static]: ['static/app.js', 'static/app.css', 'index.html'],
};

interface Run { code: number | null; stdout: string; stderr: string }

describe('npm run invalidate (the command line, child processes)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let cli: string;
  let outputsFile: string;
  let distributionId: string;
  let ep: CloudFrontEndpoint;
  let s3rver: LocalS3;
  let queue: string;

  /**
   * Runs the CLI (asynchronously: the local CloudFront endpoint lives in this process and must keep
   * answering); CloudFront and S3 endpoints come from AWS_ENDPOINT_URL_<SERVICE> unless given.
   */
  function run(args: string[], o: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: REPO,
      env: cliEnv({ AWS_ENDPOINT_URL_CLOUDFRONT: ep.endpoint, AWS_ENDPOINT_URL_S3: s3rver.endpoint, AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey, ...o.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(o.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    return new Promise((resolve) => child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }));
  }
  const common = () => ['--outputs', outputsFile, '--queue', queue, '--no-metrics', '--quiet'];
  const creates = () => ep.model.creates.length;

  before(async () => {
    tmp = tempDir('inv-cli-');
    cli = bundleCli(tmp.dir);
    const w = writeOutputs(tmp.dir);
    outputsFile = w.file;
    distributionId = w.outputs.distributionId;
    ep = await startCloudFrontEndpoint({ distributions: [distributionId], completionDelayMs: 50 });
    s3rver = await startS3rver(join(tmp.dir, 's3'), Object.values(TEST_BUCKETS));
    const s3 = new S3Client({ endpoint: s3rver.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    for (const [bucket, keys] of Object.entries(OBJECTS)) await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))));
    s3.destroy();
  });
  beforeEach(() => {
    queue = join(tmp.dir, `q-${Math.random().toString(36).slice(2)}.sqlite`);
  });
  after(async () => {
    await s3rver?.close();
    await ep?.close();
    tmp?.remove();
  });

  it('--help lists the subcommands and exits 0; a subcommand has its own help', async () => {
    const top = await run(['--help']);
    expect(top.code).to.equal(0);
    expect(top.stdout).to.include('submit [paths...]').and.include('worker').and.include('rollback --to <time|versionId> <paths...>');
    const sub = await run(['submit', '--help']);
    expect(sub.code).to.equal(0);
    expect(sub.stdout).to.include('--max-overinvalidation <val>').and.include('Exit codes: 0 success, 1 a check failed, 2 bad input, 3 the environment refused');
  });

  it('rejects invalid paths with one error line each (exit 2) and sends nothing', async () => {
    const before = creates();
    const r = await run([...common(), 'submit', '/ok.js', 'bad path', '/a~b', '--month-to-date', '0']);
    expect(r.code).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.deep.equal([
      "error: argument 2: Invalidation path 'bad path' must start with '/'; use '/bad path'.",
      `error: argument 2: Invalidation path 'bad path' contains characters that must be URL-encoded (" "); percent-encode them, e.g. 'bad%20path'.`,
      "error: argument 3: Invalidation path '/a~b' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.",
    ]);
    expect(creates()).to.equal(before);
  });

  const badInput: { name: string; args: () => string[]; error: string }[] = [
    { name: 'no stack source', args: () => ['submit', '/a'], error: "error: give exactly one of --stack <name>, --plan <file> or --outputs <file> (got none); see 'npm run invalidate -- --help'." },
    { name: 'an endpoint that is not a URL', args: () => ['--outputs', outputsFile, '--endpoint', 'ftp:/x', 'submit', '/a'], error: "error: --endpoint 'ftp:/x' must be an http:// or https:// URL, such as http://127.0.0.1:4580." },
    { name: 'an endpoint on another machine', args: () => ['--outputs', outputsFile, '--endpoint', 'http://192.168.1.20:4580', 'submit', '/a'], error: "error: --endpoint 'http://192.168.1.20:4580' is not on this machine; the scripts send requests only to a local stand-in (127.0.0.1, ::1, localhost) unless told otherwise: add --allow-remote-endpoint to send them to 192.168.1.20:4580, or give an endpoint such as http://127.0.0.1:4580." },
    { name: 'an unknown subcommand', args: () => ['--outputs', outputsFile, 'purge'], error: "error: unknown subcommand 'purge'; use one of submit, worker, status, schedule, rollback, retry, tag, queue (see 'npm run invalidate -- --help')." },
    { name: 'a bad bound', args: () => [...common(), 'submit', '/a', '--max-overinvalidation', 'lots'], error: "error: --max-overinvalidation must be a percentage from 0 to 1000 such as '5' or '5%', got 'lots'." },
    { name: 'a batch larger than the quota', args: () => [...common(), 'submit', '/a', '--batch-paths', '5000'], error: "error: --batch-paths must be a whole number from 1 to 3000, got '5000'." },
    { name: '--prefix without --content-type', args: () => [...common(), 'submit', '--prefix', 'x/', '--month-to-date', '0'], error: "error: --prefix 'x/' needs --content-type (it is relative to the content type's folders); or use --pattern 'x/**'." },
    { name: 'a --prefix that climbs out of the folders', args: () => [...common(), 'submit', '--content-type', 'video', '--prefix', '../../', '--month-to-date', '0'], error: "error: --prefix '../../' has a '..' segment, which a store or proxy may resolve to another folder or bucket; give the prefix as written in the bucket, e.g. video/123/." },
    { name: 'a --pattern whose listing prefix climbs into another bucket', args: () => [...common(), 'submit', '--pattern', `video/../../${TEST_BUCKETS.static}/**`, '--month-to-date', '0'], error: `error: --pattern 'video/../../${TEST_BUCKETS.static}/**' has a '..' segment, which a store or proxy may resolve to another folder or bucket; give the prefix as written in the bucket, e.g. video/123/.` },
    { name: 'a bad cron', args: () => [...common(), 'schedule', 'add', '--cron', '0 */6 * *', '--content-type', 'video'], error: "error: --cron '0 */6 * *' has 4 fields; give five (minute hour day-of-month month day-of-week), e.g. '0 */6 * * *' for every 6 hours." },
  ];
  for (const b of badInput) {
    it(`exits 2 with one error line for ${b.name}`, async () => {
      const r = await run(b.args());
      expect([r.code, r.stderr.trim()]).to.deep.equal([2, b.error]);
    });
  }

  it('--dry-run prints the plan and its cost from the month-to-date usage read with ListInvalidations, and sends nothing', async () => {
    const cf = new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    for (const [ref, n] of [['earlier-1', 500], ['earlier-2', 498]] as const) {
      await cf.send(new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: ref, Paths: { Quantity: n, Items: Array.from({ length: n }, (_, i) => `/old/${ref}/${i}`) } } }));
    }
    cf.destroy();
    const before = creates();
    const json = join(tmp.dir, 'dry.json');
    const r = await run([...common(), 'submit', '/static/app.js', '/static/app.css', '/index.html', '--dry-run', '--json', json]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('month-to-date paths               998');
    expect(r.stdout).to.include('dry run: nothing was sent');
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.plan.items).to.deep.equal(['/index.html', '/static/*']);
    expect(out.plan.stats).to.deep.include({ monthToDatePaths: 998, billedPaths: 2, estimatedCostUsd: 0, naiveBilledPaths: 3, naiveCostUsd: 0.005, overInvalidatedObjects: 0 });
    expect(creates()).to.equal(before);
  });

  it('--pattern resolves against the bucket listing and sends the matching objects (--wait)', async () => {
    const json = join(tmp.dir, 'pattern.json');
    const r = await run([...common(), 'submit', '--pattern', 'video/2024/**/*.m3u8', '--month-to-date', '0', '--wait', '--poll-ms', '20', '--json', json]);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.status).to.equal('completed');
    const inv = ep.model.invalidations(distributionId).find((i) => i.callerReference === out.batchStates[0].callerReference)!;
    expect([...inv.items].sort()).to.deep.equal(['/video/2024/show-a/ep1/720p.m3u8', '/video/2024/show-a/ep1/master.m3u8', '/video/2024/show-a/ep2/720p.m3u8', '/video/2024/show-a/ep2/master.m3u8']);
  });

  it('--content-type with --prefix collapses fully selected folders into wildcards', async () => {
    const json = join(tmp.dir, 'type.json');
    const r = await run([...common(), 'submit', '--content-type', 'thumbnails', '--prefix', 'x/', '--month-to-date', '0', '--max-overinvalidation', '0', '--json', json]);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.plan.items).to.deep.equal(['/previews/x/*', '/thumbnails/x/*']);
    expect(out.plan.stats).to.deep.include({ requestedItems: 9, billedPaths: 2, overInvalidatedObjects: 0 });
    expect(out.status).to.equal('sent');
  });

  it('reads paths from stdin (-) and from --paths-file, with --endpoint instead of the environment', async () => {
    const file = join(tmp.dir, 'paths.txt');
    writeFileSync(file, '/static/app.js\n#release:9\n');
    const json = join(tmp.dir, 'stdin.json');
    const r = await run(['--outputs', outputsFile, '--queue', queue, '--no-metrics', '--quiet', '--endpoint', ep.endpoint, 'submit', '-', '--paths-file', file, '--list-origin', 'none', '--month-to-date', '0', '--json', json], {
      input: '/video/2023/old/master.m3u8\n\n', env: { AWS_ENDPOINT_URL_CLOUDFRONT: '', AWS_ENDPOINT_URL_S3: '' },
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).plan.items).to.deep.equal(['#release:9', '/static/app.js', '/video/2023/old/master.m3u8']);
  });

  it('--at queues for the worker; the worker and status show it; re-running with the same --request-id queues nothing new', async () => {
    const before = creates();
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const args = [...common(), 'submit', '/static/app.js', '--at', at, '--request-id', 'nightly-1', '--month-to-date', '0', '--list-origin', 'none'];
    const r = await run(args);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include(`queued: request nightly-1, 1 batches, 1 paths, not before ${at}.`);
    expect((await run(args)).stdout).to.include('already queued: request nightly-1');
    const dry = await run([...common(), 'worker', '--dry-run']);
    expect(dry.stdout).to.include('0 batches due, 0 in progress, 0 schedules due (none).');
    const idle = await run([...common(), 'worker', '--exit-when-idle']);
    expect(idle.code).to.equal(0);
    expect(idle.stdout.trim()).to.equal('worker stopped: 0 batches completed, 0 in progress, 1 queued, 0 failed.');
    expect(creates()).to.equal(before);
    const status = await run([...common(), 'status', 'nightly-1']);
    expect(status.code).to.equal(0);
    expect(status.stdout).to.match(/batch 1 +- +queued/);
  });

  it('status --wait follows a request until Completed', async () => {
    const sent = await run([...common(), 'submit', '/static/app.css', '--request-id', 'css-1', '--list-origin', 'none', '--month-to-date', '0']);
    expect(sent.code, sent.stderr).to.equal(0);
    const status = await run([...common(), 'status', 'css-1', '--wait', '--poll-ms', '20', '--timeout', '20']);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/batch 1 +I[A-Z2-7]{13} +Completed/);
  });

  it('schedule add (dry run and real), list and remove', async () => {
    const dry = await run([...common(), 'schedule', 'add', '--cron', '0 */6 * * *', '--content-type', 'video', '--id', 'video-6h', '--dry-run']);
    expect(dry.code).to.equal(0);
    expect(dry.stdout).to.match(/^dry run: schedule video-6h: '0 \*\/6 \* \* \*' \(UTC\) for distribution ETESTDIST00001; next runs \S+, \S+, \S+; each run invalidates objects changed since the previous run\.$/m);
    expect((await run([...common(), 'schedule', 'add', '--cron', '0 */6 * * *', '--content-type', 'video', '--id', 'video-6h'])).code).to.equal(0);
    const json = join(tmp.dir, 'schedules.json');
    expect((await run([...common(), 'schedule', 'list', '--json', json])).code).to.equal(0);
    const list = JSON.parse(readFileSync(json, 'utf8'));
    expect(list.map((s: any) => [s.id, s.cron, s.spec.selection, s.spec.changedOnly])).to.deep.equal([['video-6h', '0 */6 * * *', { contentType: 'video' }, true]]);
    expect(new Date(list[0].nextRunAt).getUTCHours() % 6).to.equal(0);
    expect((await run([...common(), 'schedule', 'remove', 'video-6h'])).code).to.equal(0);
    expect((await run([...common(), 'schedule', 'remove', 'video-6h'])).stderr.trim()).to.equal(`error: no schedule 'video-6h' in ${queue}; see 'schedule list'.`);
  });

  it('refuses a second worker on the same queue (exit 1) while the first runs', async () => {
    const first = spawn(process.execPath, [cli, ...common(), 'worker', '--max-runtime', '20'], { cwd: REPO, env: cliEnv({ AWS_ENDPOINT_URL_CLOUDFRONT: ep.endpoint }), stdio: 'ignore' });
    const exited = new Promise((r) => first.once('exit', r));
    try {
      // Wait until the first worker holds the queue's lock (read from the queue file).
      const holder = () => {
        if (!existsSync(queue)) return undefined;
        const db = new Database(queue, { readonly: true, fileMustExist: true });
        try {
          const row = db.prepare(`SELECT value FROM meta WHERE key = 'worker_lock'`).get() as { value: string } | undefined;
          return row && String((JSON.parse(row.value) as { pid: number }).pid);
        } catch {
          return undefined;
        } finally {
          db.close();
        }
      };
      for (let i = 0; i < 200 && holder() !== String(first.pid); i++) await sleep(50);
      expect(holder(), 'the first worker took the lock').to.equal(String(first.pid));
      const second = await run([...common(), 'worker', '--exit-when-idle']);
      expect(second.code).to.equal(1);
      expect(second.stderr.trim()).to.equal(`error: another worker (pid ${first.pid}) is running on ${queue}; stop it first, or give this one another --queue ('npm run invalidate -- queue unlock' clears a lock whose worker is gone).`);
    } finally {
      first.kill('SIGTERM');
      await exited;
    }
    expect((await run([...common(), 'worker', '--exit-when-idle'])).code, 'the lock is released after SIGTERM').to.equal(0);
  });

  it('lists a bucket page by page (ListObjectsV2 continuation tokens on s3rver)', async () => {
    const s3 = new S3Client({ endpoint: s3rver.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    const pages: number[] = [];
    const all = await listObjects(s3, TEST_BUCKETS.video, 'video/2024/', (n) => pages.push(n), 10);
    s3.destroy();
    expect(pages).to.deep.equal([10, 10, 4]);
    expect(all.map((e) => e.key).sort()).to.deep.equal(OBJECTS[TEST_BUCKETS.video]!.filter((k) => k.startsWith('video/2024/')).sort());
    expect(all.every((e) => e.lastModified instanceof Date)).to.equal(true);
  });
});
