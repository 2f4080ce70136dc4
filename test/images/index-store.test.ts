import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { expect } from 'chai';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { EnvironmentError } from '../../lib/error-kinds';
import {
  encodeVariantIndex, KVS_QUOTAS, kvsItemProblem, manifestKey, parseKvsArn, parseManifest, parseOptimizeSettings, putBatches, storeBytesAfter,
  type KvsItem, type OptimizeSettings,
} from '../../lib/images';
import { KVS_ERRORS, startKvsEndpoint, type KvsEndpoint } from '../../local/kvs-endpoint';
import { KvsIndexWriter, type IndexWriterOptions } from '../../scripts/images/index-writer';
import { keyValueStoreClient } from '../../adapters/aws-clients';
import { DirObjectStore, type ObjectStore } from '../../scripts/images/object-store';
import { optimizeImages, type OptimizeReport } from '../../scripts/images/optimize';
import { findResource, inputsOf, planFor } from '../helpers/plan';
import { KVS_CREDENTIALS, newStoreArn, runScriptAsync, sampleImage, startS3rver, tempDir, type LocalS3 } from './helpers';

const SETTINGS: OptimizeSettings = parseOptimizeSettings({ sizes: '160,320', formats: 'avif,webp', ssim: '0.95', maxPixels: '50000' });
const item = (key: string, value = 'w=320;f=avif;b=jpeg'): KvsItem => ({ key, value });

describe('KeyValueStore index rules (pure)', () => {
  it('parses a KeyValueStore ARN', () => {
    expect(parseKvsArn('arn:aws:cloudfront::123456789012:key-value-store/25b21f7d-ea73-c3d0-27d1-d83198ae3838', 'x'))
      .to.deep.equal({ partition: 'aws', account: '123456789012', id: '25b21f7d-ea73-c3d0-27d1-d83198ae3838' });
  });

  const badArns: [string, string][] = [
    ['a distribution ARN', 'arn:aws:cloudfront::123456789012:distribution/E1'],
    ['a regional ARN', 'arn:aws:cloudfront:us-east-1:123456789012:key-value-store/abc'],
    ['an 11-digit account', 'arn:aws:cloudfront::12345678901:key-value-store/abc'],
    ['an empty string', ''],
  ];
  for (const [name, arn] of badArns) {
    it(`refuses ${name} as a store ARN, naming the source`, () => {
      expect(() => parseKvsArn(arn, 'imageIndexStoreArn')).to.throw(InputError,
        `imageIndexStoreArn '${arn}' is not a KeyValueStore ARN; expected arn:aws:cloudfront::<12-digit account>:key-value-store/<id>, as the stack output imageIndexStoreArn gives.`);
    });
  }

  const items: [string, KvsItem, string | undefined][] = [
    ['a 512-byte key', item('k'.repeat(512)), undefined],
    ['a 513-byte key', item('k'.repeat(513)), `key '${'k'.repeat(60)}…' is 513 bytes; a KeyValueStore key holds at most 512 bytes (spec §15.1)`],
    ['a key of 256 two-byte characters (512 bytes)', item('é'.repeat(256)), undefined],
    ['a 1,024-byte value', item('a', 'v'.repeat(1024)), undefined],
    ['a 1,025-byte value', item('a', 'v'.repeat(1025)), "the value of key 'a' is 1025 bytes; a KeyValueStore value holds at most 1024 bytes (spec §15.1)"],
    ['an empty key', item(''), 'a KeyValueStore key cannot be empty'],
  ];
  for (const [name, it_, problem] of items) {
    it(`${problem ? 'refuses' : 'accepts'} ${name}`, () => {
      expect(kvsItemProblem(it_)).to.equal(problem);
    });
  }

  const batching: [string, number, Partial<typeof KVS_QUOTAS>, number[]][] = [
    ['no items, no batch', 0, {}, []],
    ['50 items in one UpdateKeys', 50, {}, [50]],
    ['51 items in two', 51, {}, [50, 1]],
    ['120 items in three', 120, {}, [50, 50, 20]],
    // Each put of item('kNN') is 50 bytes of JSON with its comma; the body adds 11.
    ['by payload when it binds first', 5, { maxUpdatePayloadBytes: 11 + 2 * 50 }, [2, 2, 1]],
  ];
  for (const [name, n, quotas, sizes] of batching) {
    it(`batches puts: ${name}`, () => {
      const batches = putBatches(Array.from({ length: n }, (_, i) => item(`k${String(i).padStart(2, '0')}`)), { ...KVS_QUOTAS, ...quotas });
      expect(batches.map((b) => b.length)).to.deep.equal(sizes);
    });
  }

  it('counts a put over an existing key as the difference in size', () => {
    const existing = new Map([['a', '12345']]);
    expect(storeBytesAfter(100, existing, [item('a', '1'), item('bb', '22')])).to.equal(100 - 4 + 4);
  });
});

describe('the index writer against the local KeyValueStore endpoint', function () {
  this.timeout(30_000);
  let kvs: KvsEndpoint;
  let client: CloudFrontKeyValueStoreClient;
  let folder: ReturnType<typeof tempDir>;

  before(async () => {
    kvs = await startKvsEndpoint();
    client = keyValueStoreClient({ endpoint: kvs.endpoint, env: {}, credentials: KVS_CREDENTIALS, announce: false });
    folder = tempDir('index-store');
    mkdirSync(join(folder.dir, 'thumbnails/show-1'), { recursive: true });
    writeFileSync(join(folder.dir, 'thumbnails/show-1/poster.jpg'), await sampleImage({ width: 200, height: 120, format: 'jpeg' }));
    writeFileSync(join(folder.dir, 'thumbnails/show-1/logo.png'), await sampleImage({ width: 90, height: 60, format: 'png', alpha: true }));
    writeFileSync(join(folder.dir, 'thumbnails/show-1/empty.jpg'), Buffer.alloc(0));
    writeFileSync(join(folder.dir, 'thumbnails/show-1/notes.jpg'), Buffer.from('not really a jpeg'));
  });
  after(async () => {
    client?.destroy();
    await kvs?.close();
    folder?.remove();
  });

  const fresh = (items?: Iterable<[string, string]>) => {
    const arn = newStoreArn();
    kvs.model.createStore(arn, items);
    return arn;
  };
  const open = (arn: string, over: Partial<IndexWriterOptions> = {}) => KvsIndexWriter.open({ client, arn, dryRun: false, ...over });
  const callsOn = (arn: string) => kvs.calls.filter((c) => c.arn === arn).map((c) => `${c.operation} ${c.status}`);
  const optimize = (store: ObjectStore, writer: KvsIndexWriter, over: Partial<Parameters<typeof optimizeImages>[0]> = {}) =>
    optimizeImages({ store, prefix: 'thumbnails/', settings: SETTINGS, concurrency: 1, dryRun: false, force: false, indexSink: writer, ...over });

  describe('optimize over a local folder', () => {
    const arn = newStoreArn();
    const events: string[] = [];
    let report: OptimizeReport;
    let writer: KvsIndexWriter;

    before(async () => {
      kvs.model.createStore(arn);
      const dir: ObjectStore = new DirObjectStore(folder.dir);
      // One log of the folder's writes and the store's, in the order they happened.
      const logged: ObjectStore = { label: dir.label, list: (p) => dir.list(p), get: (k) => dir.get(k), head: (k) => dir.head(k), delete: (k) => dir.delete(k), put: async (k, b, o) => {
        await dir.put(k, b, o);
        events.push(`put ${k}`);
      } };
      const stop = kvs.onCall((c) => { if (c.arn === arn && c.keys) events.push(`${c.operation} ${c.keys.join(',')}`); });
      // One entry per write, so each shows where it falls between the images' writes.
      writer = await open(arn, { quotas: { maxItemsPerUpdate: 1 } });
      report = await optimize(logged, writer);
      stop();
    });

    it('fills the store with exactly the originals whose variants and manifest were all written', () => {
      expect(report.counts).to.deep.equal({ listed: 4, processed: 2, skipped: 0, planned: 0, failed: 2 });
      const poster = parseManifest(JSON.parse(readFileSync(join(folder.dir, manifestKey('thumbnails/show-1/poster.jpg')), 'utf8')), 'manifest');
      expect(Object.fromEntries(kvs.model.items(arn))).to.deep.equal(Object.fromEntries(report.index.map((i) => [i.key, i.value])));
      expect([...kvs.model.items(arn).keys()].sort()).to.deep.equal(['thumbnails/show-1/logo.png', 'thumbnails/show-1/poster.jpg']);
      expect(kvs.model.items(arn).get('thumbnails/show-1/poster.jpg')).to.equal(encodeVariantIndex(poster.index));
    });

    it('writes an entry right after its image\'s manifest, never before one of its variants', () => {
      for (const key of ['thumbnails/show-1/logo.png', 'thumbnails/show-1/poster.jpg']) {
        const write = events.indexOf(`PutKey ${key}`);
        const own = events.map((e, i) => [e, i] as const).filter(([e]) => e.startsWith(`put _variants/${key}/`));
        expect(own.at(-1)![0], key).to.equal(`put ${manifestKey(key)}`);
        expect(write, key).to.equal(own.at(-1)![1] + 1);
      }
    });

    it('reports what it wrote', () => {
      const s = writer.summary();
      expect([s.written, s.unchanged, s.requests, s.retries, s.itemCount, s.unwritten, s.rejected, s.failure])
        .to.deep.equal([2, 0, 2, 0, 2, 0, [], undefined]);
    });

    it('writes nothing on a second run: every entry is unchanged', async () => {
      const again = await open(arn);
      const r = await optimize(new DirObjectStore(folder.dir), again);
      expect(r.counts.skipped).to.equal(2);
      expect([again.summary().written, again.summary().unchanged, again.summary().requests]).to.deep.equal([0, 2, 0]);
    });

    it('in a dry run, reads the store, counts what it would write and writes nothing', async () => {
      const empty = fresh();
      const files = () => readdirSync(folder.dir, { recursive: true }).map(String).sort();
      const before = files();
      const dry = await open(empty, { dryRun: true });
      const r = await optimize(new DirObjectStore(folder.dir), dry, { dryRun: true });
      expect([r.counts.skipped, dry.summary().written, dry.summary().dryRun]).to.deep.equal([2, 2, true]);
      expect(callsOn(empty)).to.deep.equal(['DescribeKeyValueStore 200', 'ListKeys 200']);
      expect([kvs.model.items(empty).size, files()]).to.deep.equal([0, before]);
    });
  });

  describe('retries and limits', () => {
    const sleeps: number[] = [];
    const retry = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 1 };
    beforeEach(() => { sleeps.length = 0; });

    it('retries a write refused with ConflictException, reading the ETag again, after a growing backoff', async () => {
      const arn = fresh();
      const w = await open(arn, { retry });
      kvs.failNext(2, KVS_ERRORS.conflict);
      for (const k of ['a', 'b', 'c']) await w.add(item(k));
      await w.flush();
      expect(callsOn(arn)).to.deep.equal([
        'DescribeKeyValueStore 200', 'ListKeys 200', 'UpdateKeys 409', 'DescribeKeyValueStore 200', 'UpdateKeys 409', 'DescribeKeyValueStore 200', 'UpdateKeys 200',
      ]);
      expect([w.summary().written, w.summary().retries, sleeps, [...kvs.model.items(arn).keys()]]).to.deep.equal([3, 2, [100, 200], ['a', 'b', 'c']]);
    });

    it('retries after another writer changed the store (stale ETag, "Pre-Condition failed"), keeping that writer\'s key', async () => {
      const arn = fresh();
      const w = await open(arn, { retry });
      kvs.model.writeAsAnotherClient(arn, 'other', 'x');
      await w.add(item('a'));
      await w.flush();
      expect(callsOn(arn).slice(2)).to.deep.equal(['PutKey 400', 'DescribeKeyValueStore 200', 'PutKey 200']);
      expect([w.summary().retries, [...kvs.model.items(arn).keys()].sort()]).to.deep.equal([1, ['a', 'other']]);
    });

    it('gives up after the bounded number of attempts and reports the entries it could not write', async () => {
      const arn = fresh();
      const w = await open(arn, { retry: { ...retry, attempts: 3 } });
      kvs.failNext(3, KVS_ERRORS.conflict);
      await w.add(item('a'));
      await w.add(item('b'));
      await w.flush();
      const s = w.summary();
      expect([s.failure, s.unwritten, s.written, sleeps, kvs.model.items(arn).size]).to.deep.equal([
        `KeyValueStore '${arn}' kept changing during cloudfront-keyvaluestore:UpdateKeys (ConflictException: Resource is not in a state that can be modified.); gave up after 3 attempts. Another writer is busy with the store: run again later.`,
        2, 0, [100, 200], 0,
      ]);
    });

    it('refuses an entry over the key quota with the reason and writes the others', async () => {
      const arn = fresh();
      const w = await open(arn);
      await w.add(item('k'.repeat(513)));
      await w.add(item('ok'));
      await w.flush();
      expect([w.summary().rejected, [...kvs.model.items(arn).keys()]]).to.deep.equal([
        [`key '${'k'.repeat(60)}…' is 513 bytes; a KeyValueStore key holds at most 512 bytes (spec §15.1); the original is served as it is.`], ['ok'],
      ]);
    });

    // 5,120 items of 1,024 bytes = 5 MB, the last one 40 bytes short.
    const nearlyFull = () => Array.from({ length: 5120 }, (_, i): [string, string] => [`k${String(i).padStart(5, '0')}`, 'v'.repeat(i === 5119 ? 978 : 1018)]);

    it('stops before a write that would take the store over 5 MB, without sending it', async () => {
      const arn = fresh(nearlyFull());
      const w = await open(arn);
      // 16 + 19 = 35 bytes each: one would fit, the batch of both (70) does not.
      await w.add(item('thumbnails/a.jpg'));
      await w.add(item('thumbnails/b.jpg'));
      await w.flush();
      expect([w.summary().failure, w.summary().unwritten, callsOn(arn)]).to.deep.equal([
        `KeyValueStore '${arn}' would hold 5242910 bytes after this write, over the 5242880-byte store quota (spec §15.1); nothing more was written. Remove keys of deleted originals ('images prune') or split the index (docs/images-and-compression.md).`,
        2, ['DescribeKeyValueStore 200', ...Array<string>(103).fill('ListKeys 200')],
      ]);
    });

    it("reports the service's own quota refusal, naming it", async () => {
      const arn = fresh(nearlyFull());
      const w = await open(arn, { quotas: { maxStoreBytes: Number.MAX_SAFE_INTEGER } });
      await w.add(item('thumbnails/a.jpg', 'v'.repeat(100)));
      await w.flush();
      expect(w.summary().failure).to.equal(`KeyValueStore '${arn}' refused cloudfront-keyvaluestore:PutKey: Limit exceeded. The store would hold 5242956 bytes, over 5242880. (quotas: key 512 B, value 1 KB, store 5 MB, spec §15.1); remove stale keys or split the index (docs/images-and-compression.md).`);
    });

    const openErrors: [string, () => Promise<unknown>, string | RegExp][] = [
      ['a store that does not exist', () => open(newStoreArn()), /^KeyValueStore 'arn:aws:cloudfront::123456789012:key-value-store\/\d{8}-aaaa-4bbb-8ccc-000000000000' does not exist \(Key value store '.*' was not found\.\); check the imageIndexStoreArn stack output and --endpoint \/ AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE\.$/],
      ['a malformed ARN', () => open('arn:aws:cloudfront::123456789012:distribution/E1'), "imageIndexStoreArn 'arn:aws:cloudfront::123456789012:distribution/E1' is not a KeyValueStore ARN; expected arn:aws:cloudfront::<12-digit account>:key-value-store/<id>, as the stack output imageIndexStoreArn gives."],
      ['a missing permission', () => {
        kvs.failNext(1, () => KVS_ERRORS.accessDenied('cloudfront-keyvaluestore:DescribeKeyValueStore'), ['DescribeKeyValueStore']);
        return open(fresh());
      }, /^missing permission cloudfront-keyvaluestore:DescribeKeyValueStore on KeyValueStore '.*' \(AWS said: User is not authorized to perform: cloudfront-keyvaluestore:DescribeKeyValueStore\); grant it to the caller's role \(docs\/deployment\.md lists what each script needs\)\.$/],
    ];
    for (const [name, run, message] of openErrors) {
      it(`refuses to open on ${name}, as ${name === 'a missing permission' ? 'the environment (exit 3)' : 'bad input'} (the CLI opens the writer before processing any image)`, async () => {
        const e = await run().then(() => undefined, (err: unknown) => err);
        expect(e).to.be.instanceOf(name === 'a missing permission' ? EnvironmentError : InputError);
        if (typeof message === 'string') expect((e as Error).message).to.equal(message);
        else expect((e as Error).message).to.match(message);
      });
    }
  });

  it('exports the ARN of the store the image function reads as imageIndexStoreArn', async () => {
    const plan = await planFor('prod');
    const fn = inputsOf<{ keyValueStoreAssociations: string[] }>(findResource(plan, 'aws:cloudfront/function:Function', 'cdn-image-negotiation'));
    const arn = (plan.outputs as { imageIndexStoreArn?: string }).imageIndexStoreArn!;
    expect([arn, parseKvsArn(arn, 'plan').account]).to.deep.equal([fn.keyValueStoreAssociations[0], '123456789012']);
  });
});

describe('npm run images with the stack\'s KeyValueStore (CLI)', function () {
  this.timeout(60_000);
  const BUCKET = 'kvs-cli-images';
  let s3: LocalS3;
  let kvs: KvsEndpoint;
  let tmp: ReturnType<typeof tempDir>;
  let outputs: string;
  const arn = newStoreArn();
  const env = () => ({
    // s3rver checks its own fake key; the KeyValueStore endpoint takes any.
    AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_ENDPOINT_URL: '',
    AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: kvs.endpoint,
  });
  const args = ['--outputs', '', 'optimize', '--prefix', 'thumbnails/', '--sizes', '160', '--formats', 'webp', '--quiet'];
  const variantCount = async () => (await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: '_variants/' }))).KeyCount ?? 0;

  before(async () => {
    [s3, kvs] = await Promise.all([startS3rver([BUCKET]), startKvsEndpoint({ stores: [arn] })]);
    tmp = tempDir('images-kvs-cli');
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'thumbnails/ok.jpg', Body: await sampleImage({ width: 100, height: 60, format: 'jpeg' }), ContentType: 'image/jpeg' }));
    const bucket = { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, region: 'us-east-1', replicaName: 'r', replicaArn: 'arn:aws:s3:::r', replicaRegion: 'us-west-2' };
    outputs = join(tmp.dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({
      distributionId: 'E1', distributionArn: 'arn:aws:cloudfront::1:distribution/E1', domainName: 'd1.cloudfront.net', logBucket: 'logs',
      region: 'us-east-1', contentTypes: {}, buckets: { video: bucket, images: bucket, static: bucket }, imageIndexStoreArn: arn,
    }));
    args[1] = outputs;
  });
  after(async () => {
    tmp?.remove();
    await Promise.all([s3?.close(), kvs?.close()]);
  });

  it('--dry-run reads the store through AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE and writes nothing', async () => {
    const r = await runScriptAsync('scripts/images.ts', [...args, '--dry-run'], { env: env() });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include(`Dry run: KeyValueStore ${arn}: 0 entries would be written, 0 unchanged; the store would hold 0 keys, 0 bytes.`);
    expect([kvs.calls.map((c) => c.operation), await variantCount()]).to.deep.equal([['DescribeKeyValueStore', 'ListKeys'], 0]);
  });

  it('writes the entry of each processed original into the store and reports it', async () => {
    const json = join(tmp.dir, 'report.json');
    const r = await runScriptAsync('scripts/images.ts', [...args, '--json', json], { env: env() });
    expect(r.status, r.stderr).to.equal(0);
    const value = kvs.model.items(arn).get('thumbnails/ok.jpg');
    expect(r.stdout).to.include(`KeyValueStore ${arn}: 1 entries written in 1 request, 0 unchanged; the store holds 1 keys, ${17 + value!.length} bytes.`);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { index: KvsItem[]; indexStore: { written: number; requests: number } };
    expect([[...kvs.model.items(arn).keys()], report.index, report.indexStore.written]).to.deep.equal([['thumbnails/ok.jpg'], [{ key: 'thumbnails/ok.jpg', value }], 1]);
  });
});
