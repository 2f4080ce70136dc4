/**
 * `npm run warm` and `npm run local` as a user runs them: bad input exits 2 with one `error:` line per
 * problem and sends nothing; a dry run shows the work; an unreachable edge fails the run (exit 1); and
 * one `npm run local` starts everything, serves viewers and the warmer, writes access logs and stops
 * on Ctrl-C.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runScript } from '../helpers/run-cli';
import { send, stagingPlanWithTestKey } from './helpers';

const ENV = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error: '));
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('npm run warm and npm run local (command line)', function () {
  this.timeout(120_000);
  let dir: string;
  let planFile: string;
  let pathsFile: string;
  let domain: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-local-cli-'));
    const plan = await stagingPlanWithTestKey();
    domain = String(plan.outputs.domainName);
    planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    pathsFile = join(dir, 'hot.txt');
    writeFileSync(pathsFile, '/static/app.js\n/video/orbital-station/s01e01/720p/seg-00000.ts 3\n/thumbnails/orbital-station/s01e01.jpg?width=320\n');
  });

  after(() => {
    if (dir && !process.env.KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(dir);
  });

  const warm = (args: string[]) => runScript('scripts/warm.ts', args, { env: ENV });

  it('warm: an unknown stack is bad input (exit 2)', () => {
    const r = warm(['--stack', 'nope', '--paths', pathsFile]);
    expect({ status: r.status, errors: errorLines(r.stderr).map((l) => l.replace(/: \/.*Pulumi\.nope\.yaml does not exist; use one of: .*$/, ': Pulumi.nope.yaml does not exist; use one of: …')) }).to.deep.equal({
      status: 2, errors: ["error: no stack 'nope': Pulumi.nope.yaml does not exist; use one of: …"],
    });
  });

  it('warm: refuses an edge that is neither the stack\'s domain nor local, and paths outside the distribution (exit 2)', () => {
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'https://evil.example.com/static/app.js\nstatic/app.js\n');
    const edge = warm(['--plan', planFile, '--paths', pathsFile, '--edges', 'https://evil.example.com']);
    const paths = warm(['--plan', planFile, '--paths', outside, '--edges', 'http://127.0.0.1:9']);
    expect([edge.status, errorLines(edge.stderr), paths.status, errorLines(paths.stderr)]).to.deep.equal([
      2, [`error: --edges: 'https://evil.example.com' is neither this stack's distribution (${domain}) nor a local edge on 127.0.0.1/localhost; warming never sends traffic anywhere else.`],
      2, [
        `error: ${outside} line 1: 'https://evil.example.com/static/app.js' is outside the distribution (its host is not ${domain}); list paths of this stack only.`,
        `error: ${outside} line 2: 'static/app.js' must start with '/' (a path of the distribution, e.g. '/video/show/s01e01/master.m3u8').`,
      ],
    ]);
  });

  it('warm: needs exactly one source of paths, and --predict needs logs and a budget (exit 2)', () => {
    // numbers are checked while the command line is parsed, before the other rules
    const numbers = warm(['--plan', planFile, '--predict', '--rate', 'fast']);
    const r = warm(['--plan', planFile, '--predict']);
    expect({ numbers: [numbers.status, errorLines(numbers.stderr)], status: r.status, errors: errorLines(r.stderr) }).to.deep.equal({
      numbers: [2, ["error: --rate must be a positive number of requests per second, got 'fast'."]],
      status: 2,
      errors: [
        'error: --predict needs --from-logs <dir> with the access logs to learn from.',
        'error: --predict needs --budget-gb <n>: how many GB warming may pull from the origin.',
      ],
    });
  });

  it('warm --predict --evaluate: bad input exits 2; a run simulates the three strategies and sends nothing (exit 0)', () => {
    const badNumbers = warm(['--plan', planFile, '--evaluate', '--budget-gb', '0', '--scale', '2', '--from-logs', dir]);
    const bad = warm(['--plan', planFile, '--evaluate', '--budget-gb', '1', '--from-logs', dir]);
    const releases = join(dir, 'releases.json');
    const segments = Array.from({ length: 20 }, (_, j) => `/video/t0/s01e09/720p/seg-${String(j).padStart(5, '0')}.ts`);
    writeFileSync(releases, JSON.stringify([{ title: 't0 s01e09', releaseAt: '2025-11-24T20:00:00Z', paths: ['/video/t0/s01e09/master.m3u8', '/video/t0/s01e09/720p/index.m3u8', ...segments] }]));
    const out = join(dir, 'evaluation.json');
    const good = warm(['--plan', planFile, '--predict', '--evaluate', '--budget-gb', '1', '--releases', releases, '--scale', '0.001', '--window', '30m', '--json', out]);
    const ev = JSON.parse(readFileSync(out, 'utf8')) as { windowStart: string; predictive: { warm: { releaseObjects: number } }; none: { warm: { requests: number } } };
    expect({
      badNumbers: [badNumbers.status, errorLines(badNumbers.stderr)],
      bad: [bad.status, errorLines(bad.stderr)],
      good: good.status,
      last: good.stdout.trim().split('\n').pop(),
      window: ev.windowStart, releaseObjects: ev.predictive.warm.releaseObjects, noWarmRequests: ev.none.warm.requests,
    }).to.deep.equal({
      badNumbers: [2, [
        "error: --budget-gb must be a positive number of GB, got '0'.",
        "error: --scale must be a number in (0, 1], e.g. 0.005 (0.5 % of the objects), got '2'.",
      ]],
      bad: [2, [
        'error: --evaluate evaluates the predictor: add --predict.',
        'error: --evaluate learns from simulated logs and sends nothing; drop --from-logs.',
      ]],
      good: 0,
      last: 'hit-ratio uplift of prediction: +0.100 percentage points vs no warming, +0.100 vs the top-N',
      window: '2025-11-24T20:00:00.000Z', releaseObjects: 22, noWarmRequests: 0,
    });
  });

  it('warm --dry-run shows the variants, pacing and cost and sends nothing (exit 0)', () => {
    const r = warm(['--plan', planFile, '--paths', pathsFile, '--edges', 'http://127.0.0.1:9', '--dry-run', '--priority', 'low', '--rate', '40']);
    const last = r.stdout.trim().split('\n').pop();
    expect({ status: r.status, last }).to.deep.equal({
      status: 0,
      last: 'dry run: 3 paths → 7 variants × 1 edge(s) (127.0.0.1:9); 14 requests at 10/s, 2 in flight (priority low); about $0.000014 on the distribution. Nothing was sent.',
    });
  });

  it('warm: an edge that does not answer fails the run (exit 1)', async () => {
    const r = warm(['--plan', planFile, '--paths', pathsFile, '--edges', `http://127.0.0.1:${await closedPort()}`, '--quiet']);
    expect({ status: r.status, failed: /check failed: every warm request failed .*is the edge running\?/.test(r.stderr) }).to.deep.equal({ status: 1, failed: true });
  });

  it('local: an unknown stack and an unreachable --s3-endpoint are bad input; --dry-run starts nothing', async () => {
    const stack = runScript('scripts/local.ts', ['--stack', 'nope'], { env: ENV });
    const port = await closedPort();
    const s3 = runScript('scripts/local.ts', ['--plan', planFile, '--s3-endpoint', `http://127.0.0.1:${port}`, '--port', '0'], { env: ENV });
    const dry = runScript('scripts/local.ts', ['--plan', planFile, '--dry-run', '--pops', 'IAD89-C1'], { env: ENV });
    expect([stack.status, s3.status, errorLines(s3.stderr).map((l) => l.replace(/\(.*?\)/, '(…)')), dry.status, /Nothing was started\.$/.test(dry.stdout.trim())]).to.deep.equal([
      2, 2, [`error: --s3-endpoint http://127.0.0.1:${port} is not reachable (…); start LocalStack (or drop --s3-endpoint to use the built-in s3rver).`], 0, true,
    ]);
  });

  it('local: one command starts everything; viewers, the warmer and the predictor (from its own logs) use it; Ctrl-C stops it all', async () => {
    const data = join(dir, 'local');
    const endpoints = join(dir, 'endpoints.json');
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO, 'scripts/local.ts'), '--plan', planFile, '--port', '0', '--s3-port', '0', '--api-port', '0', '--cloudfront-port', '0', '--seed-content', '--data-dir', data, '--json', endpoints], {
      cwd: REPO, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 240 && !existsSync(endpoints); i++) await new Promise((r) => setTimeout(r, 250));
      const ep = JSON.parse(readFileSync(endpoints, 'utf8')) as { edges: { url: string }[]; logDir: string; seededObjects: number; s3Endpoint: string; imageFallbackOrigin?: string };
      expect(ep.imageFallbackOrigin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const before = await send(ep.edges[0]!.url, '/static/app.css', { headers: { 'accept-encoding': 'br' } });
      const w = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const c = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO, 'scripts/warm.ts'), '--plan', planFile, '--paths', pathsFile, '--edges', ep.edges.map((e) => e.url).join(','), '--priority', 'high', '--quiet'], { cwd: REPO, env: { ...process.env, ...ENV } });
        let stdout = '';
        c.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        c.on('exit', (status) => resolve({ status, stdout }));
      });
      const after = await Promise.all(ep.edges.map((e) => send(e.url, '/static/app.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } })));
      // the edge flushes its access logs every second
      for (let i = 0; i < 40 && readdirSync(ep.logDir).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1100));
      const releases = join(dir, 'releases.json');
      writeFileSync(releases, JSON.stringify([{ title: 'the-long-road', releaseAt: new Date().toISOString(), paths: ['/video/the-long-road/s01e02/master.m3u8', '/video/the-long-road/s01e02/720p/index.m3u8'] }]));
      const predicted = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const c = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO, 'scripts/warm.ts'), '--plan', planFile, '--predict', '--from-logs', ep.logDir, '--window', '1h', '--budget-gb', '0.001', '--releases', releases, '--edges', ep.edges[0]!.url, '--quiet', '--json', join(dir, 'predicted.json')], { cwd: REPO, env: { ...process.env, ...ENV } });
        let stdout = '';
        c.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        c.on('exit', (status) => resolve({ status, stdout }));
      });
      const release = await send(ep.edges[0]!.url, '/video/the-long-road/s01e02/master.m3u8', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      const newest = runScript('scripts/warm.ts', ['--plan', planFile, '--content-type', 'thumbnails', '--top', '2', '--endpoint', ep.s3Endpoint, '--edges', ep.edges[0]!.url, '--dry-run', '--json', join(dir, 'newest.json')], { env: ENV });
      if (newest.status !== 0) throw new Error(`warm --content-type failed: ${newest.stderr}`);
      const newestPlan = JSON.parse(readFileSync(join(dir, 'newest.json'), 'utf8')) as { paths: number; variants: number; requests: { path: string; query: string }[] };
      child.kill('SIGINT');
      const code = await exited;
      const logs = readdirSync(ep.logDir).map((f) => readFileSync(join(ep.logDir, f), 'utf8')).join('');
      expect({
        seeded: ep.seededObjects,
        before: before.headers['x-cache'],
        warmStatus: w.status,
        verified: /verified: 100\.0 % of paths now hit/.test(w.stdout),
        after: after.map((a) => a.headers['x-cache']),
        predictedStatus: predicted.status,
        predictedVerified: /verified: 100\.0 % of paths now hit/.test(predicted.stdout),
        releaseFirstViewer: release.headers['x-cache'],
        newestThumbnails: { status: newest.status, paths: newestPlan.paths, variants: newestPlan.variants, formats: newestPlan.requests.map((r) => r.query.replace(/^.*format=/, '')).sort() },
        exit: code,
        logged: logs.split('\n').filter((l) => l.includes('\t/static/app.js\t200\t')).map((l) => l.split('\t')[13]).slice(-2),
      }).to.deep.equal({
        seeded: 166, before: 'Miss from cloudfront', warmStatus: 0, verified: true,
        after: ['Hit from cloudfront', 'Hit from cloudfront'], predictedStatus: 0, predictedVerified: true, releaseFirstViewer: 'Hit from cloudfront',
        newestThumbnails: { status: 0, paths: 2, variants: 6, formats: ['avif', 'avif', 'jpeg', 'jpeg', 'webp', 'webp'] },
        exit: 0, logged: ['Hit', 'Hit'],
      });
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  });
});
