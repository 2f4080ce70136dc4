/**
 * Shared parts of the invalidation tests: a temp folder, the stack outputs of the staging plan
 * (built once), and the CLI worker's real AWS adapters pointed at 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCatalog } from '../../lib/catalog';
import { contentTypeOutputs, type StackOutputs } from '../../lib/outputs';
import { cloudFrontClient } from '../../adapters/aws-clients';
import { cloudFrontApi } from '../../scripts/invalidation/aws';
import { splitIntoBatches, type InvalidationApi } from '../../lib/invalidation';
import type { QueueStore } from '../../scripts/invalidation/queue-store';

export function tempDir(prefix = 'inv-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bucket names of {@link testOutputs}. */
export const TEST_BUCKETS = { video: 'media-video', images: 'media-images', static: 'media-static' } as const;

/** Stack outputs shaped like a real stack's (lib/outputs.ts), with the real catalog's routing. */
export function testOutputs(distributionId = 'ETESTDIST00001'): StackOutputs {
  const bucket = (name: string) => ({ name, arn: `arn:aws:s3:::${name}`, region: 'us-east-1', replicaName: `${name}-replica`, replicaArn: `arn:aws:s3:::${name}-replica`, replicaRegion: 'us-west-2' });
  return {
    distributionId,
    distributionArn: `arn:aws:cloudfront::123456789012:distribution/${distributionId}`,
    domainName: 'd111111abcdef8.cloudfront.net',
    stagingDistributionId: '',
    buckets: { video: bucket(TEST_BUCKETS.video), images: bucket(TEST_BUCKETS.images), static: bucket(TEST_BUCKETS.static) },
    logBucket: 'media-logs',
    contentTypes: contentTypeOutputs(resolveCatalog()),
    region: 'us-east-1',
  };
}

/** {@link testOutputs} written to `<dir>/outputs.json`. */
export function writeOutputs(dir: string, distributionId?: string): { outputs: StackOutputs; file: string } {
  const outputs = testOutputs(distributionId);
  const file = join(dir, 'outputs.json');
  writeFileSync(file, JSON.stringify(outputs, null, 2));
  return { outputs, file };
}

/** Repository root (the CLI runs from there). */
export const REPO = join(__dirname, '..', '..');

/**
 * `scripts/invalidate.ts` bundled into one file (esbuild, npm packages left external): a child node
 * starts it in ~0.3 s instead of ~0.7 s through tsx's require hook, which keeps the 20-kill crash
 * test fast. Run it with {@link cliEnv} so the packages resolve from the repository.
 */
export function bundleCli(dir: string): string {
  const outfile = join(dir, 'invalidate.cjs');
  buildSync({ entryPoints: [join(REPO, 'scripts', 'invalidate.ts')], absWorkingDir: REPO, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'error' });
  return outfile;
}

/** Environment of a bundled CLI child: packages from the repository's node_modules, no SDK warnings. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: join(REPO, 'node_modules'), NODE_NO_WARNINGS: '1', ...extra };
}

/** The CLI's CloudFront adapter with quick SDK retries, against a local endpoint. */
export function localApi(endpoint: string, o: { sdkMaxAttempts?: number; requestTimeoutMs?: number } = {}): { api: InvalidationApi; destroy(): void } {
  const client = cloudFrontClient({ endpoint, maxAttempts: o.sdkMaxAttempts ?? 2, retryDelayMs: 5, requestTimeoutMs: o.requestTimeoutMs ?? 2000, announce: false });
  return { api: cloudFrontApi(client), destroy: () => client.destroy() };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An s3rver (npm) in a child node, the real S3 origin of the tests. */
export interface LocalS3 {
  readonly endpoint: string;
  /** S3 event notifications (ObjectCreated/ObjectRemoved) s3rver emitted, as S3 sends them. */
  readonly events: unknown[];
  close(): Promise<void>;
}

/** Credentials s3rver checks signatures against. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Starts s3rver on 127.0.0.1 in a child process. The child runs with OpenSSL's legacy provider:
 * s3rver 3 encrypts ListObjectsV2 continuation tokens with DES, which Node 20 refuses otherwise,
 * and without tokens there is no pagination.
 */
export function startS3rver(directory: string, buckets: readonly string[]): Promise<LocalS3> {
  const script = `
    const S3rver = require('s3rver');
    // the scripts sign a stand-in endpoint with LocalStack's 'test' key (adapters/aws-endpoint.ts), as local/origins/s3-origin.ts lets its s3rver accept
    require('s3rver/lib/models/account').DUMMY_ACCOUNT.createKeyPair('test', 'test');
    const s = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(directory)}, configureBuckets: ${JSON.stringify(buckets.map((name) => ({ name })))} });
    s.on('event', (e) => process.stdout.write('EVENT ' + JSON.stringify(e) + '\\n'));
    s.run().then((a) => process.stdout.write('PORT ' + a.port + '\\n'));
    process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const events: unknown[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('EVENT ')) events.push(JSON.parse(line.slice(6)));
        else if (line.startsWith('PORT ')) {
          resolve({
            endpoint: `http://127.0.0.1:${line.slice(5)}`,
            events,
            close: () => new Promise<void>((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
          });
        }
      }
    });
  });
}

/**
 * Queues three release requests (200 segments and 6 thumbnail wildcards each, 64 batches of at most 10
 * paths / 2 wildcards in all) before any worker runs; returns every item asked for.
 */
export function enqueueThreeReleases(store: QueueStore, distributionId: string): string[] {
  const requested: string[] = [];
  for (let r = 0; r < 3; r++) {
    const items = [
      ...Array.from({ length: 200 }, (_, i) => `/video/title-${r}/seg-${String(i).padStart(4, '0')}.ts`),
      ...Array.from({ length: 6 }, (_, i) => `/thumbnails/title-${r}/${i}/*`),
    ];
    requested.push(...items);
    store.enqueue({ id: `release-${r}`, distributionId, source: 'test', notBefore: 0, summary: {}, batches: splitIntoBatches(items, { paths: 10, wildcards: 2 }) }, Date.now() + r);
  }
  return requested;
}
