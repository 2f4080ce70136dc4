import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildImageFunctionCode } from '../../lib/builders';
import {
  emulatedCloudFrontModule, loadViewerRequestHandler, manifestKey, parseManifest, parseOptimizeSettings, parseVariantIndex,
  type ImageManifest, type OptimizeSettings,
} from '../../lib/images';
import { DirObjectStore, S3ObjectStore, type ObjectStore } from '../../scripts/images/object-store';
import { optimizeImages, type OptimizeReport } from '../../scripts/images/optimize';
import { runScript } from '../helpers/run-cli';
import { viewerRequestEvent, type CfRequest } from '../helpers/cloudfront-function';
import { runScriptAsync, sampleImage, startS3rver, tempDir, type LocalS3 } from './helpers';

const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

/** Small settings keep the suite fast: two widths, WebP and AVIF, a relaxed threshold for 100-px images. */
const SETTINGS: OptimizeSettings = parseOptimizeSettings({ sizes: '160,320', formats: 'avif,webp', ssim: '0.95', maxPixels: '50000' });

interface Original { key: string; body: () => Promise<Buffer>; contentType: string }
const ORIGINALS: Original[] = [
  { key: 'thumbnails/show-1/poster.jpg', body: () => sampleImage({ width: 200, height: 120, format: 'jpeg' }), contentType: 'image/jpeg' },
  { key: 'thumbnails/show-1/logo.png', body: () => sampleImage({ width: 90, height: 60, format: 'png', alpha: true }), contentType: 'image/png' },
  { key: 'thumbnails/show-1/empty.jpg', body: async () => Buffer.alloc(0), contentType: 'image/jpeg' },
  { key: 'thumbnails/show-1/notes.jpg', body: async () => Buffer.from('not really a jpeg'), contentType: 'image/jpeg' },
  { key: 'thumbnails/show-1/huge.png', body: () => sampleImage({ width: 300, height: 300, format: 'png' }), contentType: 'image/png' },
];

const EXPECTED_FAILURES = [
  ['thumbnails/show-1/empty.jpg', 'empty'],
  ['thumbnails/show-1/huge.png', 'too-large'],
  ['thumbnails/show-1/notes.jpg', 'unsupported-format'],
];

function failures(r: OptimizeReport): string[][] {
  return r.images.filter((i) => i.status === 'failed').map((i) => [i.key, i.reason!]).sort();
}

/** Counts reads of originals (not manifests) to prove a skip did not download. */
function counting(store: ObjectStore): ObjectStore & { originalReads: number } {
  const c = {
    label: store.label,
    originalReads: 0,
    list: (p: string) => store.list(p),
    head: (k: string) => store.head(k),
    put: (k: string, b: Buffer, o: Parameters<ObjectStore['put']>[2]) => store.put(k, b, o),
    delete: (k: string) => store.delete(k),
    get: (k: string) => {
      if (!k.startsWith('_variants/')) c.originalReads++;
      return store.get(k);
    },
  };
  return c;
}

describe('images optimize on a local folder', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let first: OptimizeReport;
  const run = (over: Partial<Parameters<typeof optimizeImages>[0]> = {}) =>
    optimizeImages({ store: new DirObjectStore(tmp.dir), prefix: 'thumbnails/', settings: SETTINGS, concurrency: 2, dryRun: false, force: false, ...over });

  before(async () => {
    tmp = tempDir('optimize');
    for (const o of ORIGINALS) {
      mkdirSync(join(tmp.dir, 'thumbnails/show-1'), { recursive: true });
      writeFileSync(join(tmp.dir, o.key), await o.body());
    }
    first = await run();
  });
  after(() => tmp.remove());

  it('processes the good originals and reports each bad one with its key and reason, going on', () => {
    expect(first.counts).to.deep.equal({ listed: 5, processed: 2, skipped: 0, planned: 0, failed: 3 });
    expect(failures(first)).to.deep.equal(EXPECTED_FAILURES);
  });

  it('writes every variant a manifest lists, in the key scheme, and the manifest itself', () => {
    const m = parseManifest(JSON.parse(readFileSync(join(tmp.dir, manifestKey('thumbnails/show-1/poster.jpg')), 'utf8')), 'manifest');
    expect(m.index.widths).to.deep.equal([160, 200]);
    expect(m.index.baseline).to.equal('jpeg');
    expect(m.variants.map((v) => v.key)).to.include('_variants/thumbnails/show-1/poster.jpg/160.jpg');
    for (const v of m.variants) {
      expect(v.key).to.equal(`_variants/thumbnails/show-1/poster.jpg/${v.width}.${v.format === 'jpeg' ? 'jpg' : v.format}`);
      expect(statSync(join(tmp.dir, v.key)).size).to.equal(v.bytes);
    }
    expect(m.srcset).to.equal('/thumbnails/show-1/poster.jpg?width=160 160w, /thumbnails/show-1/poster.jpg?width=200 200w');
  });

  it('indexes exactly the processed originals for the edge', () => {
    expect(first.index.map((i) => i.key)).to.deep.equal(['thumbnails/show-1/logo.png', 'thumbnails/show-1/poster.jpg']);
    expect(first.index[0]!.value).to.match(/^w=90;f=[a-z,]*;b=png$/);
    expect(first.invalidationPaths).to.deep.equal([
      '/thumbnails/show-1/logo.png', '/_variants/thumbnails/show-1/logo.png/*',
      '/thumbnails/show-1/poster.jpg', '/_variants/thumbnails/show-1/poster.jpg/*',
    ]);
  });

  it('skips originals whose content and settings did not change', async () => {
    const manifest = join(tmp.dir, manifestKey('thumbnails/show-1/poster.jpg'));
    const before = statSync(manifest).mtimeMs;
    const again = await run();
    expect(again.counts).to.deep.equal({ listed: 5, processed: 0, skipped: 2, planned: 0, failed: 3 });
    expect(again.index).to.deep.equal(first.index);
    expect(statSync(manifest).mtimeMs).to.equal(before);
  });

  it('resumes: an original without a manifest (interrupted run) is redone, the others skipped', async () => {
    rmSync(join(tmp.dir, manifestKey('thumbnails/show-1/logo.png')));
    const resumed = await run();
    expect([resumed.counts.processed, resumed.counts.skipped]).to.deep.equal([1, 1]);
    expect(resumed.images.find((i) => i.status === 'processed')!.key).to.equal('thumbnails/show-1/logo.png');
  });

  it('redoes an original whose content changed', async () => {
    writeFileSync(join(tmp.dir, 'thumbnails/show-1/poster.jpg'), await sampleImage({ width: 180, height: 120, format: 'jpeg' }));
    const changed = await run();
    expect(changed.images.filter((i) => i.status === 'processed').map((i) => i.key)).to.deep.equal(['thumbnails/show-1/poster.jpg']);
    expect(changed.images.find((i) => i.key === 'thumbnails/show-1/poster.jpg')!.widths).to.deep.equal([160, 180]);
  });

  it('redoes everything when the settings change', async () => {
    const r = await run({ settings: parseOptimizeSettings({ sizes: '160', formats: 'webp', ssim: '0.95', maxPixels: '50000' }) });
    expect([r.counts.processed, r.counts.skipped]).to.deep.equal([2, 0]);
  });

  it('writes nothing in a dry run and lists what it would process', async () => {
    const fresh = tempDir('dry');
    try {
      mkdirSync(join(fresh.dir, 'thumbnails'), { recursive: true });
      writeFileSync(join(fresh.dir, 'thumbnails/a.jpg'), await sampleImage({ width: 64, height: 48, format: 'jpeg' }));
      const r = await optimizeImages({ store: new DirObjectStore(fresh.dir), prefix: 'thumbnails/', settings: SETTINGS, concurrency: 1, dryRun: true, force: false });
      expect(r.images.map((i) => [i.key, i.status, i.message])).to.deep.equal([['thumbnails/a.jpg', 'planned', 'jpeg 64×48']]);
      expect(existsSync(join(fresh.dir, '_variants'))).to.equal(false);
    } finally {
      fresh.remove();
    }
  });

  it('refuses a prefix under the variants root', async () => {
    const err = await run({ prefix: '_variants/thumbnails/' }).catch((e: unknown) => e as Error);
    expect((err as Error).message).to.match(/--prefix '_variants\/thumbnails\/' must name originals/);
  });
});

describe('images optimize against s3rver, end to end through the edge function', function () {
  this.timeout(30_000);
  const BUCKET = 'media-images';
  let s3: LocalS3;
  let store: S3ObjectStore;
  let report: OptimizeReport;

  before(async () => {
    s3 = await startS3rver([BUCKET]);
    for (const o of ORIGINALS) {
      await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: o.key, Body: await o.body(), ContentType: o.contentType }));
    }
    store = new S3ObjectStore(s3.client, BUCKET);
    report = await optimizeImages({ store, prefix: 'thumbnails/', settings: SETTINGS, concurrency: 2, dryRun: false, force: false });
  });
  after(async () => s3?.close());

  const getObject = async (key: string) => {
    const r = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return { contentType: r.ContentType, cacheControl: r.CacheControl, body: Buffer.from(await r.Body!.transformToByteArray()) };
  };

  it('processes the same originals and fails the same bad ones as on a folder', () => {
    expect(report.counts).to.deep.equal({ listed: 5, processed: 2, skipped: 0, planned: 0, failed: 3 });
    expect(failures(report)).to.deep.equal(EXPECTED_FAILURES);
  });

  it('stores variants with their Content-Type and the thumbnails Cache-Control', async () => {
    const m: ImageManifest = parseManifest(JSON.parse((await getObject(manifestKey('thumbnails/show-1/poster.jpg'))).body.toString('utf8')), 'manifest');
    for (const v of m.variants) {
      const o = await getObject(v.key);
      expect([o.contentType, o.cacheControl, o.body.length], v.key).to.deep.equal([v.contentType, 'public, max-age=7200, stale-while-revalidate=7200, stale-if-error=7200', v.bytes]);
    }
    const manifest = await getObject(manifestKey('thumbnails/show-1/poster.jpg'));
    expect([manifest.contentType, manifest.cacheControl]).to.deep.equal(['application/json', 'no-cache']);
    expect(m.original.etag).to.match(/^[0-9a-f]{32}$/);
  });

  it('skips current originals by ETag without downloading them', async () => {
    const c = counting(store);
    const again = await optimizeImages({ store: c, prefix: 'thumbnails/', settings: SETTINGS, concurrency: 2, dryRun: false, force: false });
    expect(again.counts.skipped).to.equal(2);
    // Only the three failed originals (no manifest) are read again.
    expect(c.originalReads).to.equal(3);
  });

  /** What Chrome should get: the first modern format the pipeline kept for the poster, else its baseline. */
  const chromeType = () => {
    const idx = parseVariantIndex(report.index.find((i) => i.key === 'thumbnails/show-1/poster.jpg')!.value)!;
    return `image/${idx.formats[0] ?? idx.baseline}`;
  };
  const requests: [string, string, Record<string, string>, string | undefined, string | (() => string)][] = [
    ['Chrome gets the best kept format at the requested width', '/thumbnails/show-1/poster.jpg', { width: '150' }, CHROME, chromeType],
    ['a TV app gets the JPEG baseline', '/thumbnails/show-1/poster.jpg', { width: '320' }, '*/*', 'image/jpeg'],
    ['a TV app gets the PNG baseline of a PNG', '/thumbnails/show-1/logo.png', {}, '*/*', 'image/png'],
    ['a failed original is served as it is', '/thumbnails/show-1/notes.jpg', { width: '320' }, CHROME, 'image/jpeg'],
  ];
  for (const [name, uri, query, accept, wantType] of requests) {
    it(`serves a stored object for every rewrite: ${name}`, async () => {
      const handler = loadViewerRequestHandler(buildImageFunctionCode(), emulatedCloudFrontModule(new Map(report.index.map((i) => [i.key, i.value]))));
      const out = (await handler(viewerRequestEvent(uri, query, accept ? { accept } : {}))) as CfRequest;
      const o = await getObject(decodeURIComponent(out.uri.slice(1)));
      expect(o.contentType).to.equal(typeof wantType === 'function' ? wantType() : wantType);
      if (out.uri.startsWith('/_variants/')) {
        const meta = await sharp(o.body).metadata();
        expect(o.contentType, 'stored bytes match the Content-Type').to.equal(`image/${meta.format === 'heif' ? 'avif' : meta.format}`);
      }
    });
  }
});

describe('npm run images (CLI)', function () {
  this.timeout(60_000);
  const BUCKET = 'cli-images';
  let s3: LocalS3;
  let tmp: ReturnType<typeof tempDir>;
  let outputs: string;
  const env = () => ({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_ENDPOINT_URL: s3.endpoint });

  before(async () => {
    s3 = await startS3rver([BUCKET]);
    tmp = tempDir('images-cli');
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'thumbnails/ok.jpg', Body: await sampleImage({ width: 100, height: 60, format: 'jpeg' }), ContentType: 'image/jpeg' }));
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'previews/ok.jpg', Body: await sampleImage({ width: 100, height: 60, format: 'jpeg' }), ContentType: 'image/jpeg' }));
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'previews/broken.jpg', Body: Buffer.from('broken'), ContentType: 'image/jpeg' }));
    const bucket = { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, region: 'us-east-1', replicaName: 'r', replicaArn: 'arn:aws:s3:::r', replicaRegion: 'us-west-2' };
    outputs = join(tmp.dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({
      distributionId: 'E1', distributionArn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', logBucket: 'logs',
      region: 'us-east-1', contentTypes: {}, buckets: { video: bucket, images: bucket, static: bucket },
    }));
  });
  after(async () => {
    tmp?.remove();
    await s3?.close();
  });

  it('exits 0 and writes the report and the KeyValueStore import file through AWS_ENDPOINT_URL', async () => {
    const kvs = join(tmp.dir, 'kvs.json');
    const r = await runScriptAsync('scripts/images.ts', ['--outputs', outputs, 'optimize', '--prefix', 'thumbnails/', '--sizes', '160', '--formats', 'webp', '--quiet', '--kvs-index', kvs], { env: env() });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/1 originals under s3:\/\/cli-images\/thumbnails\/: 1 processed/);
    expect(JSON.parse(readFileSync(kvs, 'utf8')).data.map((i: { key: string }) => i.key)).to.deep.equal(['thumbnails/ok.jpg']);
  });

  it('exits 1 after processing the rest when an original is bad, naming its key (--endpoint)', async () => {
    const json = join(tmp.dir, 'report.json');
    const r = await runScriptAsync('scripts/images.ts', ['--outputs', outputs, '--endpoint', s3.endpoint, 'optimize', '--prefix', 'previews/', '--sizes', '160', '--formats', 'webp', '--quiet', '--json', json], { env: { ...env(), AWS_ENDPOINT_URL: '' } });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('failed: previews/broken.jpg: unsupported-format:');
    expect(JSON.parse(readFileSync(json, 'utf8')).counts).to.deep.equal({ listed: 2, processed: 1, skipped: 0, planned: 0, failed: 1 });
  });

  it('exits 2 with one error line per bad option and touches nothing', () => {
    // a bad number is refused while the command line is parsed; the image settings after it
    const number = runScript('scripts/images.ts', ['--outputs', outputs, 'optimize', '--concurrency', '0'], { env: env() });
    expect([number.status, number.stderr.trim()]).to.deep.equal([2, "error: --concurrency must be a whole number from 1 to 64, got '0'."]);
    const r = runScript('scripts/images.ts', ['--outputs', outputs, 'optimize', '--sizes', '300', '--quality', 'max'], { env: env() });
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n').map((l) => l.slice(0, 20))).to.deep.equal(['error: --sizes: \'300', 'error: --quality mus']);
  });

  it('exits 2 for a missing or unknown subcommand and for --dir with --outputs', () => {
    expect(runScript('scripts/images.ts', ['--outputs', outputs], { env: env() }).stderr).to.match(/^error: give one subcommand, optimize or prune, got none/);
    expect(runScript('scripts/images.ts', ['--outputs', outputs, 'shrink'], { env: env() }).status).to.equal(2);
    const both = runScript('scripts/images.ts', ['--outputs', outputs, '--dir', tmp.dir, 'optimize'], { env: env() });
    expect([both.status, both.stderr.trim()]).to.deep.equal([2, `error: --dir reads a local folder; drop --outputs, or drop --dir to use the stack's images bucket; see '${'npm run images -- [--dir <folder> | --stack <name> | --plan <file> | --outputs <file>] optimize|prune'} --help'.`]);
  });

  it('prints help and exits 0', () => {
    const r = runScript('scripts/images.ts', ['--help']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.include('--kvs-index');
  });
});
