/**
 * Helpers of the image and compression tests: images generated in the test (an SVG scene rendered by
 * sharp, so there is real structure for the encoders and SSIM), an s3rver on 127.0.0.1 with the real
 * S3 client, temporary folders, and KeyValueStore ARNs and fake credentials for the local endpoint.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';
import { STAND_IN_CREDENTIALS } from '../../adapters/aws-clients';
import { REPO } from '../helpers/run-cli';

// The scripts sign a stand-in endpoint with the stand-in key (adapters/aws-endpoint.ts); s3rver knows
// only its own until told, as local/origins/s3-origin.ts tells the local stack's.
DUMMY_ACCOUNT.createKeyPair(STAND_IN_CREDENTIALS.accessKeyId, STAND_IN_CREDENTIALS.secretAccessKey);

/** A small photo-like scene: gradient sky, hills, a sun, film grain; `alpha` cuts a transparent corner. */
export async function sampleImage(opts: { width: number; height: number; format: 'jpeg' | 'png' | 'webp' | 'gif'; alpha?: boolean; quality?: number }): Promise<Buffer> {
  const { width: w, height: h } = opts;
  const stripes = Array.from({ length: 12 }, (_, i) => `<rect x="${(i * w) / 12}" y="${h * 0.8}" width="${w / 24}" height="${h * 0.2}" fill="hsl(${i * 30},60%,40%)"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1e3c72"/><stop offset="1" stop-color="#f0c27b"/></linearGradient></defs>
    <rect width="${w}" height="${h}" fill="url(#sky)"/>
    <circle cx="${w * 0.7}" cy="${h * 0.3}" r="${Math.min(w, h) * 0.12}" fill="#ffd200"/>
    <path d="M0 ${h * 0.75} Q ${w * 0.25} ${h * 0.45} ${w * 0.5} ${h * 0.7} T ${w} ${h * 0.65} V ${h} H 0 Z" fill="#2d5016"/>
    ${stripes}
    ${opts.alpha ? `<rect width="${w / 3}" height="${h / 3}" fill="#000" fill-opacity="0"/>` : ''}
  </svg>`;
  // Fine grain so that the encoders and SSIM see texture, as in a photo.
  const grain = await sharp({ create: { width: w, height: h, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 24 } } }).png().toBuffer();
  let img = sharp(await sharp(Buffer.from(svg)).composite([{ input: grain, blend: 'soft-light' }]).png().toBuffer());
  if (opts.alpha) {
    // Transparent top-left third: composite a cleared rectangle with dest-out.
    img = sharp(await img.png().toBuffer()).composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${Math.round(w / 3)}" height="${Math.round(h / 3)}" fill="#000"/></svg>`), blend: 'dest-out' }]);
  } else {
    img = img.flatten({ background: '#000' });
  }
  switch (opts.format) {
    case 'jpeg': return img.jpeg({ quality: opts.quality ?? 92 }).toBuffer();
    case 'png': return img.png().toBuffer();
    case 'webp': return img.webp({ quality: opts.quality ?? 90 }).toBuffer();
    case 'gif': return img.gif().toBuffer();
  }
}

/** A two-frame animated GIF. */
export async function animatedGif(): Promise<Buffer> {
  const frame = (color: string) => sharp({ create: { width: 16, height: 16, channels: 3, background: color } }).raw().toBuffer();
  const frames = Buffer.concat([await frame('#ff0000'), await frame('#0000ff')]);
  return sharp(frames, { raw: { width: 16, height: 32, channels: 3, pageHeight: 16 } }).gif().toBuffer();
}

export function tempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `media-cdn-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The S3 client as the scripts' tests use it against s3rver. */
export function s3rverClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint, forcePathStyle: true, region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}


export interface LocalS3 {
  readonly endpoint: string;
  readonly client: S3Client;
  close(): Promise<void>;
}

/** An s3rver on 127.0.0.1 (free port) with the given buckets, data in a temp folder removed on close. */
export async function startS3rver(buckets: readonly string[]): Promise<LocalS3> {
  const tmp = tempDir('s3rver');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tmp.dir, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = s3rverClient(endpoint);
  return {
    endpoint, client,
    async close() {
      client.destroy();
      await server.close();
      tmp.remove();
    },
  };
}

/**
 * Runs a repository script as a child process without blocking this process's event loop (an s3rver
 * running in the test process must keep answering the child).
 */
export function runScriptAsync(script: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, ['-r', 'tsx/cjs', join(REPO, script), ...args], {
      cwd: REPO, env: { ...process.env, NODE_NO_WARNINGS: '1', ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      resolvePromise({ status: code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Account of the KeyValueStore ARNs of the tests (the plan's mock account). */
export const KVS_ACCOUNT = '123456789012';
/** Static fake credentials: the local KeyValueStore endpoint needs a SigV4a signature, not a valid one. */
export const KVS_CREDENTIALS = { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' };
let kvsSerial = 0;
/** A new store ARN, so that tests share one local endpoint and one client but not a store. */
export function newStoreArn(): string {
  return `arn:aws:cloudfront::${KVS_ACCOUNT}:key-value-store/${String(kvsSerial++).padStart(8, '0')}-aaaa-4bbb-8ccc-000000000000`;
}
