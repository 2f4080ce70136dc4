/**
 * `images prune`: the pure rule (which folders and index keys belong to removed originals), and the
 * CLI on a local folder and on s3rver with the local KeyValueStore endpoint (real SDK clients).
 */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findOrphans, pruneInvalidationPaths } from '../../lib/images';
import { DirObjectStore, type ObjectStore } from '../../scripts/images/object-store';
import { pruneImages } from '../../scripts/images/prune';
import { startKvsEndpoint, type KvsEndpoint } from '../../local/kvs-endpoint';
import { newStoreArn, runScriptAsync, startS3rver, tempDir, type LocalS3 } from './helpers';

describe('images prune: which leftovers belong to removed originals (pure)', () => {
  const variants = [
    '_variants/thumbnails/a.jpg/320.avif', '_variants/thumbnails/a.jpg/manifest.json',
    '_variants/thumbnails/gone.jpg/manifest.json', '_variants/thumbnails/gone.jpg/320.avif', '_variants/thumbnails/gone.jpg/320.jpg',
    '_variants/thumbnails/show 1/x.png/640.webp',
    '_variants/previews/p.jpg/320.webp',
  ];

  it('finds the folders of originals that are gone, manifest last, and only under the prefix', () => {
    const r = findOrphans('thumbnails/', ['thumbnails/a.jpg'], variants);
    expect(r.orphans).to.deep.equal([
      { original: 'thumbnails/gone.jpg', objects: ['_variants/thumbnails/gone.jpg/320.avif', '_variants/thumbnails/gone.jpg/320.jpg', '_variants/thumbnails/gone.jpg/manifest.json'] },
      { original: 'thumbnails/show 1/x.png', objects: ['_variants/thumbnails/show 1/x.png/640.webp'] },
    ]);
  });

  it('finds index keys (URI-path form) under the prefix without an original, with or without variants', () => {
    const r = findOrphans('thumbnails/', ['thumbnails/a.jpg', 'thumbnails/show 1/x.png'], variants, ['thumbnails/a.jpg', 'thumbnails/show%201/x.png', 'thumbnails/gone.jpg', 'thumbnails/ghost.jpg', 'previews/p.jpg']);
    expect(r.staleIndexKeys).to.deep.equal(['thumbnails/ghost.jpg', 'thumbnails/gone.jpg']);
    expect(r.orphans.map((o) => o.original)).to.deep.equal(['thumbnails/gone.jpg']);
  });

  it('does not take a longer original\'s variants for a shorter one\'s', () => {
    // 'thumbnails/a.jpg/b.jpg' is an original whose folder sits inside 'thumbnails/a.jpg''s.
    const r = findOrphans('thumbnails/', ['thumbnails/a.jpg/b.jpg'], ['_variants/thumbnails/a.jpg/b.jpg/320.avif', '_variants/thumbnails/a.jpg/320.avif']);
    expect(r.orphans).to.deep.equal([{ original: 'thumbnails/a.jpg', objects: ['_variants/thumbnails/a.jpg/320.avif'] }]);
  });

  it('lists the paths to invalidate: removed originals with variants, and index keys without (already URI paths)', () => {
    expect(pruneInvalidationPaths({ orphans: [{ original: 'thumbnails/show 1/x.png', objects: [] }], staleIndexKeys: ['thumbnails/ghost%20a.jpg'] })).to.deep.equal([
      '/thumbnails/show%201/x.png', '/_variants/thumbnails/show%201/x.png/*', '/thumbnails/ghost%20a.jpg', '/_variants/thumbnails/ghost%20a.jpg/*',
    ]);
  });

  it('finds nothing when every original is there', () => {
    expect(findOrphans('thumbnails/', ['thumbnails/a.jpg'], ['_variants/thumbnails/a.jpg/320.avif'], ['thumbnails/a.jpg'])).to.deep.equal({ orphans: [], staleIndexKeys: [] });
  });
});

describe('npm run images -- prune (CLI)', function () {
  this.timeout(60_000);

  describe('on a local folder', () => {
    let tmp: ReturnType<typeof tempDir>;
    const file = (k: string) => join(tmp.dir, k);
    const write = (k: string) => {
      mkdirSync(dirname(file(k)), { recursive: true });
      writeFileSync(file(k), 'x');
    };
    before(() => {
      tmp = tempDir('prune-dir');
      for (const k of ['thumbnails/a.jpg', '_variants/thumbnails/a.jpg/320.avif', '_variants/thumbnails/a.jpg/manifest.json', '_variants/thumbnails/gone.jpg/320.avif', '_variants/thumbnails/gone.jpg/manifest.json']) write(k);
    });
    after(() => tmp?.remove());

    it('--dry-run lists what it would delete and deletes nothing', async () => {
      const r = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--dry-run', '--quiet']);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`Dry run: 1 originals under ${tmp.dir}/thumbnails/; 1 removed original with variants left: 2 objects would be deleted.`);
      expect(r.stdout).to.include('  thumbnails/gone.jpg: 2 objects');
      expect(existsSync(file('_variants/thumbnails/gone.jpg/manifest.json'))).to.equal(true);
    });

    it('deletes the removed original\'s variants and manifest, keeps the others, and lists the paths to invalidate', async () => {
      const json = join(tmp.dir, '..', `prune-${process.pid}.json`);
      const r = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--json', json, '--quiet']);
      expect(r.status, r.stderr).to.equal(0);
      expect(existsSync(file('_variants/thumbnails/gone.jpg/320.avif'))).to.equal(false);
      expect(existsSync(file('_variants/thumbnails/gone.jpg/manifest.json'))).to.equal(false);
      expect(existsSync(file('_variants/thumbnails/a.jpg/320.avif'))).to.equal(true);
      const report = JSON.parse(readFileSync(json, 'utf8')) as { invalidationPaths: string[]; deletedObjects: number };
      expect(report).to.deep.include({ invalidationPaths: ['/thumbnails/gone.jpg', '/_variants/thumbnails/gone.jpg/*'], deletedObjects: 2 });
      const again = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--quiet']);
      expect(again.stdout).to.include('0 removed originals with variants left: 0 objects deleted.');
    });

    it('keeps an original uploaded after it listed the bucket (checked again before deleting)', async () => {
      const dir = new DirObjectStore(tmp.dir);
      write('_variants/thumbnails/late.jpg/320.avif');
      // The listing misses thumbnails/late.jpg; it exists by the time prune checks it again.
      const racing: ObjectStore = { label: dir.label, list: (p) => dir.list(p), get: (k) => dir.get(k), put: (k, b) => dir.put(k, b), delete: (k) => dir.delete(k), head: async (k) => {
        if (k === 'thumbnails/late.jpg') write('thumbnails/late.jpg');
        return dir.head(k);
      } };
      const r = await pruneImages({ store: racing, prefix: 'thumbnails/', dryRun: false });
      expect([r.orphans, r.deletedObjects, existsSync(file('_variants/thumbnails/late.jpg/320.avif'))]).to.deep.equal([[], 0, true]);
    });

    it('refuses optimize-only options, an empty prefix and a prefix under _variants/ (exit 2)', async () => {
      const empty = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--prefix', '']);
      expect([empty.status, empty.stderr.trim()]).to.deep.equal([2, "error: prune needs a --prefix such as 'thumbnails/': with none, every index key that is not an original of the bucket would be deleted."]);
      const opts = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--formats', 'webp', '--force']);
      expect([opts.status, opts.stderr.trim()]).to.deep.equal([2, 'error: --formats, --force apply to optimize only; drop them for prune.']);
      const prefix = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--prefix', '_variants/thumbnails/']);
      expect(prefix.status).to.equal(2);
      expect(prefix.stderr).to.include("--prefix '_variants/thumbnails/' must name originals");
    });
  });

  describe('on s3rver with the stack\'s KeyValueStore', () => {
    const BUCKET = 'prune-images';
    const arn = newStoreArn();
    let s3: LocalS3;
    let kvs: KvsEndpoint;
    let tmp: ReturnType<typeof tempDir>;
    let outputs: string;
    const env = () => ({
      AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_ENDPOINT_URL: '',
      AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: kvs.endpoint,
    });
    const keys = async () => ((await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

    before(async () => {
      [s3, kvs] = await Promise.all([startS3rver([BUCKET]), startKvsEndpoint({ stores: [] })]);
      kvs.model.createStore(arn, [['thumbnails/a.jpg', 'w=320;f=avif;b=jpeg'], ['thumbnails/gone.jpg', 'w=320;f=avif;b=jpeg'], ['thumbnails/ghost.jpg', 'w=320;f=webp;b=jpeg'], ['previews/p.jpg', 'w=320;f=webp;b=jpeg']]);
      for (const k of ['thumbnails/a.jpg', '_variants/thumbnails/a.jpg/320.avif', '_variants/thumbnails/gone.jpg/320.avif', '_variants/thumbnails/gone.jpg/manifest.json']) {
        await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: 'x', ContentType: 'application/octet-stream' }));
      }
      tmp = tempDir('prune-s3');
      const bucket = { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, region: 'us-east-1', replicaName: 'r', replicaArn: 'arn:aws:s3:::r', replicaRegion: 'us-west-2' };
      outputs = join(tmp.dir, 'outputs.json');
      writeFileSync(outputs, JSON.stringify({
        distributionId: 'E1', distributionArn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', logBucket: 'logs',
        region: 'us-east-1', contentTypes: {}, buckets: { video: bucket, images: bucket, static: bucket }, imageIndexStoreArn: arn,
      }));
    });
    after(async () => {
      tmp?.remove();
      await Promise.all([s3?.close(), kvs?.close()]);
    });

    it('--dry-run reads the store and the bucket and changes neither', async () => {
      const before = await keys();
      const r = await runScriptAsync('scripts/images.ts', ['--outputs', outputs, 'prune', '--dry-run', '--quiet'], { env: env() });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`KeyValueStore ${arn}: 2 stale entries would be deleted; the store would hold 2 keys`);
      expect(await keys()).to.deep.equal(before);
      expect([...kvs.model.items(arn).keys()]).to.have.length(4);
    });

    it('deletes the stale index entries first, then the variants', async () => {
      const order: string[] = [];
      const stop = kvs.onCall((c) => { if (c.operation === 'UpdateKeys') order.push(`kvs ${c.status}`); });
      const json = join(tmp.dir, 'prune.json');
      const r = await runScriptAsync('scripts/images.ts', ['--outputs', outputs, 'prune', '--quiet', '--json', json], { env: env() });
      stop();
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`KeyValueStore ${arn}: 2 stale entries deleted; the store holds 2 keys`);
      expect([...kvs.model.items(arn).keys()].sort()).to.deep.equal(['previews/p.jpg', 'thumbnails/a.jpg']);
      expect(await keys()).to.deep.equal(['_variants/thumbnails/a.jpg/320.avif', 'thumbnails/a.jpg']);
      expect(order).to.deep.equal(['kvs 200']);
      const report = JSON.parse(readFileSync(json, 'utf8')) as { status: string; invalidationPaths: string[] };
      expect(report.status).to.equal('done');
      expect(report.invalidationPaths).to.deep.equal([
        '/thumbnails/gone.jpg', '/_variants/thumbnails/gone.jpg/*', '/thumbnails/ghost.jpg', '/_variants/thumbnails/ghost.jpg/*',
      ]);
    });
  });
});
