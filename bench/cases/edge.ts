/**
 * edge.reqPerSec: requests per second the local edge serves for a cached 10 KB object over loopback,
 * measured with autocannon; edge.baselineReqPerSec: a minimal Node `http` server answering the same
 * bytes (the edge's headers and the 10 KB body) from memory, measured the same way in the same run. Each server runs in its own child
 * process so the load generator does not share its event loop; the two are measured alternately in
 * five 2-second rounds, and the medians are kept (the ratio is the median of each round's ratio, which
 * cancels load that other processes put on a shared machine). Goal: ratio ≥ 0.8.
 *
 * Run directly as a child: `node -r tsx/cjs bench/cases/edge.ts --serve edge|baseline` prints the URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import autocannon from 'autocannon';
import { startLocalStack } from '../../local/edge/local-stack';
import { localS3Client } from '../../local/origins/s3-origin';
import { buildPlan } from '../../plan/run-plan';
import type { BenchCase } from '../types';

export const BENCH_PATH = '/static/bench-10k.bin';
const BODY_BYTES = 10_240;
const DURATION_SEC = 2;
const ROUNDS = 5;
const CONNECTIONS = 16;


/**
 * The baseline answers with the very bytes the edge sends for the object — the same headers (captured
 * from an edge hit and passed in BENCH_HEADERS) and body — so that both servers cost the load
 * generator the same to parse and the ratio measures the edge's own work.
 */
async function serveBaseline(): Promise<string> {
  const body = Buffer.alloc(BODY_BYTES, 7);
  const headers = JSON.parse(process.env.BENCH_HEADERS ?? '{}') as Record<string, string>;
  const server = createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}${BENCH_PATH}`;
}

async function serveEdge(): Promise<string> {
  const logDir = mkdtempSync(join(tmpdir(), 'media-cdn-bench-logs-'));
  const plan = await buildPlan({ stack: 'staging' });
  const stack = await startLocalStack({ plan, pops: ['IAD89-C1'], edge: { logDir } });
  const client = localS3Client(stack.s3Endpoint);
  await client.send(new PutObjectCommand({ Bucket: stack.buckets.static, Key: BENCH_PATH.slice(1), Body: Buffer.alloc(BODY_BYTES, 7), ContentType: 'application/octet-stream', CacheControl: 'public, max-age=86400' }));
  client.destroy();
  const url = `${stack.edges[0]!.url}${BENCH_PATH}`;
  await fetch(url).then((r) => r.arrayBuffer());
  process.on('SIGTERM', () => {
    void stack.close().finally(() => {
      rmSync(logDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  return url;
}

/** Starts a server child and resolves with its URL. */
function startChild(kind: 'edge' | 'baseline', env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', __filename, '--serve', kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`bench ${kind} server did not start within 60 s`)); }, 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^URL (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`bench ${kind} server exited with ${code}`)); });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.removeAllListeners('exit');
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

async function measure(url: string): Promise<number> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SEC, pipelining: 1 });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench: ${r.non2xx} non-2xx answers and ${r.errors} errors from ${url}`);
  return r.requests.average;
}

export const benchCase: BenchCase = {
  name: 'edge',
  description: 'local edge vs a minimal Node http server, cached 10 KB object over loopback (autocannon)',
  async run() {
    const edge = await startChild('edge');
    const sample = await fetch(edge.url);
    await sample.arrayBuffer();
    const headers: Record<string, string> = {};
    sample.headers.forEach((value, name) => {
      if (name !== 'date' && name !== 'connection' && name !== 'keep-alive') headers[name] = value;
    });
    const base = await startChild('baseline', { BENCH_HEADERS: JSON.stringify(headers) });
    try {
      await measure(edge.url);
      await measure(base.url);
      const runs = { edge: [] as number[], base: [] as number[], ratio: [] as number[] };
      for (let i = 0; i < ROUNDS; i++) {
        const b = await measure(base.url);
        const e = await measure(edge.url);
        runs.base.push(b);
        runs.edge.push(e);
        runs.ratio.push(e / b);
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      return {
        'edge.reqPerSec': { value: Math.round(median(runs.edge)), unit: 'req/s (median of 5 runs)' },
        'edge.baselineReqPerSec': { value: Math.round(median(runs.base)), unit: 'req/s (median of 5 runs)' },
        'edge.ratio': { value: Math.round(100 * median(runs.ratio)) / 100, unit: 'edge/baseline (median of paired runs)' },
      };
    } finally {
      await stopChild(edge.child);
      await stopChild(base.child);
    }
  },
};

if (require.main === module && process.argv[2] === '--serve') {
  const kind = process.argv[3];
  (kind === 'edge' ? serveEdge() : serveBaseline()).then(
    (url) => {
      process.stdout.write(`URL ${url}\n`);
      if (kind !== 'edge') process.on('SIGTERM', () => process.exit(0));
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
