/**
 * `npm run tag` against s3rver (the real SDK, in-process `main()`): the upload helper's metadata
 * round trip, tagging existing objects in place (headers and bodies kept, paginated), the dry run,
 * resuming from the state file, the audit, and bad input. The >5 GB multipart copy and a concurrent
 * change (ETag precondition) use aws-sdk-client-mock: s3rver implements neither UploadPartCopy nor
 * copy conditions.
 */
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command,
  PutObjectCommand, S3Client, UploadPartCopyCommand, AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveCatalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { tagSettings } from '../../lib/tagging';
import { CheckFailed } from '../../scripts/lib/cli';
import { main } from '../../scripts/tag';
import { copyInPlace } from '../../scripts/tagging/s3';
import { putTaggedObject } from '../../scripts/tagging/upload';
import { S3RVER_CREDENTIALS, startS3rver, tempDir, testOutputs, TEST_BUCKETS, type LocalS3 } from '../invalidation/helpers';

describe('npm run tag: tagging objects at the origin (s3rver)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let s3rver: LocalS3;
  let outputsFile: string;
  let s3: S3Client;
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const client = () => new S3Client({ endpoint: s3rver.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  const run = (args: string[], outputs = outputsFile) => {
    lines.out = [];
    lines.err = [];
    return main(['--outputs', outputs, ...args], { s3: client, out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) });
  };
  const head = async (bucket: string, key: string) => {
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { metadata: h.Metadata, contentType: h.ContentType, cacheControl: h.CacheControl, etag: h.ETag };
  };
  const put = (key: string, metadata: Record<string, string> = {}, bucket: string = TEST_BUCKETS.video) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ContentType: 'video/mp2t', CacheControl: 'public, max-age=86400', Metadata: metadata }));

  before(async () => {
    tmp = tempDir('tags-cli-');
    s3rver = await startS3rver(join(tmp.dir, 's3'), Object.values(TEST_BUCKETS));
    s3 = client();
    outputsFile = join(tmp.dir, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify({ ...testOutputs(), cacheTagHeader: 'x-amz-meta-cache-tags' }));
  });
  after(async () => {
    s3?.destroy();
    await s3rver?.close();
    tmp?.remove();
  });

  it('uploads a new object with its tags (the upload helper): metadata round trip through s3rver', async () => {
    const file = join(tmp.dir, 'master.m3u8');
    writeFileSync(file, '#EXTM3U\n');
    expect(await run(['upload', file, '--key', 'video/123/master.m3u8', '--release', 'r42', '--cache-control', 'public, max-age=60'])).to.equal(0);
    expect(lines.out).to.deep.equal([`uploaded s3://${TEST_BUCKETS.video}/video/123/master.m3u8 tagged type:video,video:123,release:r42.`]);
    expect(await head(TEST_BUCKETS.video, 'video/123/master.m3u8')).to.deep.include({
      metadata: { 'cache-tags': 'type:video,video:123,release:r42', release: 'r42' }, contentType: 'application/vnd.apple.mpegurl', cacheControl: 'public, max-age=60',
    });
    const tags = await putTaggedObject(s3, tagSettings(resolveCatalog(), 'x-amz-meta-cache-tags'), { bucket: TEST_BUCKETS.images, key: 'thumbnails/123/p.jpg', body: 'jpg', contentType: 'image/jpeg' });
    expect(tags).to.deep.equal(['type:thumbnails', 'video:123']);
    expect((await head(TEST_BUCKETS.images, 'thumbnails/123/p.jpg')).metadata).to.deep.equal({ 'cache-tags': 'type:thumbnails,video:123' });
    // without --cache-control the object gets its route's Cache-Control from the catalog (TTL and stale windows)
    expect((await head(TEST_BUCKETS.images, 'thumbnails/123/p.jpg')).cacheControl).to.equal('public, max-age=7200, stale-while-revalidate=7200, stale-if-error=7200');
  });

  it('tags existing objects in place, page by page, keeping headers and bodies; a dry run first changes nothing', async () => {
    for (const k of ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts']) await put(`video/7/${k}`, { owner: 'encoder' });
    await put('video/7/f.ts', { 'cache-tags': 'type:video,video:7' });
    await put('video/7/g.ts', { 'cache-tags': 'type:video,title:7' });
    await put('thumbnails/7/p.jpg', {}, TEST_BUCKETS.images);
    const before = await head(TEST_BUCKETS.video, 'video/7/a.ts');

    expect(await run(['--prefix', 'video/7/', '--prefix', '/thumbnails/7/', '--dry-run', '--page-size', '2', '--quiet'])).to.equal(0);
    expect(lines.out).to.deep.equal(['dry run: 8 objects checked for header x-amz-meta-cache-tags (metadata \'cache-tags\'): would tag 7, 1 already current, 0 failed.']);
    expect((await head(TEST_BUCKETS.video, 'video/7/a.ts')).metadata).to.deep.equal({ owner: 'encoder' });

    const json = join(tmp.dir, 'apply.json');
    const state = join(tmp.dir, 'state.json');
    expect(await run(['apply', '--prefix', 'video/7/', '--prefix', 'thumbnails/7/', '--page-size', '2', '--state', state, '--json', json])).to.equal(0);
    expect(lines.out[lines.out.length - 2]).to.equal('8 objects checked for header x-amz-meta-cache-tags (metadata \'cache-tags\'): tagged 7, 1 already current, 0 failed.');
    expect(lines.out[lines.out.length - 1]).to.match(/^cached copies fetched before now carry no tags: invalidate them once by path \(e\.g\. 'npm run invalidate -- \/video\/7\/\* \/thumbnails\/7\/\*'\)/);
    const after = await head(TEST_BUCKETS.video, 'video/7/a.ts');
    expect(after).to.deep.equal({ ...before, metadata: { owner: 'encoder', 'cache-tags': 'type:video,video:7' } });
    expect((await head(TEST_BUCKETS.video, 'video/7/g.ts')).metadata).to.deep.equal({ 'cache-tags': 'type:video,video:7' });
    expect((await head(TEST_BUCKETS.images, 'thumbnails/7/p.jpg')).metadata).to.deep.equal({ 'cache-tags': 'type:thumbnails,video:7' });
    const body = await (await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKETS.video, Key: 'video/7/a.ts' }))).Body!.transformToString();
    expect(body).to.equal('body of video/7/a.ts');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.changes.map((c: { key: string; state: string }) => `${c.key} ${c.state}`)).to.deep.equal([
      'thumbnails/7/p.jpg missing', 'video/7/a.ts missing', 'video/7/b.ts missing', 'video/7/c.ts missing', 'video/7/d.ts missing', 'video/7/e.ts missing', 'video/7/g.ts stale',
    ]);
    expect(JSON.parse(readFileSync(state, 'utf8')).targets.map((t: { prefix: string; done: boolean }) => [t.prefix, t.done])).to.deep.equal([['video/7/', true], ['thumbnails/7/', true]]);

    expect(await run(['audit', '--prefix', 'video/7/', '--prefix', 'thumbnails/7/', '--quiet'])).to.equal(0);
    expect(lines.out).to.deep.equal(['8 objects audited for header x-amz-meta-cache-tags: 8 current, 0 missing, 0 stale, 0 invalid.']);
  });

  it('resumes after the last finished page, and the audit lists what is left (exit 1) until a full run', async () => {
    for (const k of ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts']) await put(`video/9/${k}`);
    const state = join(tmp.dir, 'resume.json');
    // A run stopped after its page ending at c.ts.
    writeFileSync(state, JSON.stringify({ version: 1, headerName: 'x-amz-meta-cache-tags', targets: [{ bucket: TEST_BUCKETS.video, prefix: 'video/9/', after: 'video/9/c.ts', done: false }], counts: { scanned: 3, tagged: 3, current: 0, failed: 0 } }));
    expect(await run(['--prefix', 'video/9/', '--resume', '--state', state, '--quiet'])).to.equal(0);
    expect(lines.out).to.deep.equal(['5 objects checked for header x-amz-meta-cache-tags (metadata \'cache-tags\'): tagged 5, 0 already current, 0 failed.']);
    const tagged = async (k: string) => (await head(TEST_BUCKETS.video, `video/9/${k}`)).metadata?.['cache-tags'] !== undefined;
    expect(await Promise.all(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts'].map(tagged))).to.deep.equal([false, false, false, true, true]);

    const audit = join(tmp.dir, 'audit.json');
    let error: unknown;
    await run(['audit', '--prefix', 'video/9/', '--json', audit]).catch((e) => (error = e));
    expect(error).to.be.instanceOf(CheckFailed);
    expect((error as Error).message).to.equal("error: 3 objects do not carry their current tags; 'npm run tag -- --prefix video/9/' tags them.");
    expect(JSON.parse(readFileSync(audit, 'utf8')).missing.map((m: { key: string }) => m.key)).to.deep.equal(['a.ts', 'b.ts', 'c.ts'].map((k) => `s3://${TEST_BUCKETS.video}/video/9/${k}`));
    expect(lines.out[0]).to.equal([
      'missing tags (3):',
      'object                         carries  catalog says',
      '-----------------------------  -------  ------------------',
      ...['a', 'b', 'c'].map((k) => `s3://media-video/video/9/${k}.ts  (none)   type:video,video:9`),
      '',
    ].join('\n'));

    expect(await run(['--prefix', 'video/9/', '--quiet'])).to.equal(0);
    expect(await run(['audit', '--prefix', 'video/9/', '--quiet'])).to.equal(0);
  });

  const bad: [string, () => string[], () => string[]][] = [
    ['no prefix', () => [], () => ["give at least one --prefix, e.g. --prefix video/123/ (and --prefix thumbnails/123/ --prefix previews/123/ for all of a video's objects)."]],
    ['a prefix a custom origin serves', () => ['--prefix', 'metadata/videos/'], () => [
      "--prefix 'metadata/videos/' is served by the custom origin 'metadata', which cannot be tagged from here: it must send the cache-tag header itself (docs/invalidation.md, \"Cache tags\").",
    ]],
    // numbers are checked while the command line is parsed, before the stack is loaded
    ['a bad concurrency and page size', () => ['--prefix', '', '--concurrency', '0', '--page-size', '1e3'], () => [
      "--concurrency must be a whole number from 1 to 256, got '0'.",
      "--page-size must be a whole number from 1 to 1000, got '1e3'.",
    ]],
    ['a whole bucket without --origin', () => ['--prefix', ''], () => [
      "--prefix '' (a whole bucket) needs --origin video|images|static to say which bucket.",
    ]],
    ['--resume without a state file', () => ['--prefix', 'video/1/', '--resume', '--state', join(tmp.dir, 'none.json')], () => [`--resume: no state file '${join(tmp.dir, 'none.json')}'; run without --resume to start, or give --state.`]],
    ['a state file of another run', () => {
      const f = join(tmp.dir, 'other.json');
      writeFileSync(f, JSON.stringify({ version: 1, headerName: 'x-amz-meta-tags', targets: [{ bucket: 'b', prefix: 'x/', after: '', done: false }], counts: {} }));
      return ['--prefix', 'video/1/', '--resume', '--state', f];
    }, () => [
      `state file '${join(tmp.dir, 'other.json')}' belongs to a run over b/x/, not ${TEST_BUCKETS.video}/video/1/; run without --resume to start over, or give the same prefixes.`,
      `state file '${join(tmp.dir, 'other.json')}' tagged objects for header 'x-amz-meta-tags', not 'x-amz-meta-cache-tags'; run without --resume to tag them all for the new header.`,
    ]],
    ['an upload without a key', () => ['upload', join(tmp.dir, 'missing.bin')], () => [
      'upload needs --key, the object key, e.g. --key video/123/master.m3u8.',
      `file '${join(tmp.dir, 'missing.bin')}' does not exist; check the path.`,
    ]],
  ];
  for (const [name, args, problems] of bad) {
    it(`refuses ${name} (exit 2), naming the fix, and touches nothing`, async () => {
      let error: unknown;
      await run(args()).catch((e) => (error = e));
      expect(error).to.be.instanceOf(InputError);
      expect((error as InputError).problems).to.deep.equal(problems());
    });
  }

  // Keys that escape the bucket folder of a file-backed S3 (s3rver), or the bucket the key's behavior picks.
  const hostileKeys = (name: string): string[] => [
    `../../${name}.txt`, `../../../${name}.txt`, `../${TEST_BUCKETS.video}/video/${name}/x.m3u8`, `video/../../${name}/x.m3u8`, `/video/../${name}.m3u8`,
    `//${name}.txt`, `static/./${name}.txt`, `static/a\\..\\..\\${name}.txt`, `static/${name}\n.txt`, `static/${name}\u0000.txt`, '..', '.',
  ];
  it('refuses every hostile --key (exit 2) and writes nothing anywhere: not outside the bucket, not into another bucket', async () => {
    const file = join(tmp.dir, 'canary.txt');
    writeFileSync(file, 'canary');
    const name = `trav-${process.pid}`;
    for (const key of hostileKeys(name)) {
      let error: unknown;
      await run(['upload', file, '--key', key, '--content-type', 'text/plain']).catch((e) => (error = e));
      expect(error, key).to.be.instanceOf(InputError);
      const problems = (error as InputError).problems;
      expect(problems, key).to.have.length(1);
      expect(problems[0], key).to.match(/^--key '.*' (has a|starts with|has a control|is empty)/s);
      expect(problems[0]).to.contain('e.g. video/123/master.m3u8');
    }
    const everywhere = [tmp.dir, join(tmp.dir, 's3'), dirname(tmp.dir)].flatMap((d) => readdirSync(d)).filter((f) => f.includes(name));
    expect(everywhere).to.deep.equal([]);
    for (const bucket of Object.values(TEST_BUCKETS)) {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect((listed.Contents ?? []).map((c) => c.Key).filter((k) => k?.includes(name)), bucket).to.deep.equal([]);
    }
  });

  it('refuses hostile --prefix values for apply and audit before listing anything, and keeps /video/ (a viewer path) working', async () => {
    for (const prefix of ['../../', '..', 'video/../', 'video/./7/', '//video/', 'video\\7/', 'video/\t/']) {
      for (const sub of [[], ['audit']]) {
        let error: unknown;
        await run([...sub, '--prefix', prefix]).catch((e) => (error = e));
        expect(error, prefix).to.be.instanceOf(InputError);
        expect((error as InputError).problems[0], prefix).to.match(/^--prefix '.*' (has a|starts with)/s);
      }
    }
    expect(await run(['--prefix', '/video/7/', '--dry-run', '--quiet'])).to.equal(0);
  });

  it('refuses a stack whose cache tags are off unless --header says which header', async () => {
    const off = join(tmp.dir, 'off.json');
    writeFileSync(off, JSON.stringify({ ...testOutputs(), cacheTagHeader: '' }));
    let error: unknown;
    await run(['--prefix', 'video/7/'], off).catch((e) => (error = e));
    expect((error as InputError).problems).to.deep.equal(["the stack has cache tags off (media-cdn:cacheTagHeader is ''); set it to 'x-amz-meta-cache-tags' and deploy, or pass --header to tag anyway."]);
    expect(await run(['--prefix', 'video/7/', '--header', 'x-amz-meta-cache-tags', '--dry-run', '--quiet'], off)).to.equal(0);
    expect(existsSync(off)).to.equal(true);
  });
});

describe('tagging in place: conditions and objects over 5 GB (aws-sdk-client-mock)', () => {
  // Created per test, not at load time: a client mock must not leak into other files.
  let s3: S3Client;
  let mock: ReturnType<typeof mockClient>;
  beforeEach(() => {
    s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    mock = mockClient(s3);
  });
  afterEach(() => mock.restore());

  it('copies a 12 GiB object part by part with its headers and new metadata, conditional on its ETag', async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    mock.on(UploadPartCopyCommand).callsFake((i: { PartNumber: number }) => ({ CopyPartResult: { ETag: `"p${i.PartNumber}"` } }));
    mock.on(CompleteMultipartUploadCommand).resolves({});
    const GiB = 1024 ** 3;
    await copyInPlace(s3, 'b', 'video/1/big.mp4', { size: 12 * GiB, etag: '"e"', contentType: 'video/mp4', cacheControl: 'max-age=60', metadata: {} }, { 'cache-tags': 'type:video,video:1' }, 5 * GiB);
    expect(mock.commandCalls(CopyObjectCommand)).to.have.length(0);
    expect(mock.commandCalls(CreateMultipartUploadCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: 'b', Key: 'video/1/big.mp4', Metadata: { 'cache-tags': 'type:video,video:1' }, ContentType: 'video/mp4', CacheControl: 'max-age=60' },
    ]);
    expect(mock.commandCalls(UploadPartCopyCommand).map((c) => [c.args[0].input.PartNumber, c.args[0].input.CopySourceRange, c.args[0].input.CopySourceIfMatch])).to.deep.equal([
      [1, `bytes=0-${5 * GiB - 1}`, '"e"'], [2, `bytes=${5 * GiB}-${10 * GiB - 1}`, '"e"'], [3, `bytes=${10 * GiB}-${12 * GiB - 1}`, '"e"'],
    ]);
    expect(mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.MultipartUpload).to.deep.equal({ Parts: [{ ETag: '"p1"', PartNumber: 1 }, { ETag: '"p2"', PartNumber: 2 }, { ETag: '"p3"', PartNumber: 3 }] });
  });

  it('aborts the multipart copy when a part fails', async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u2' });
    mock.on(UploadPartCopyCommand).rejects(Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed' }));
    mock.on(AbortMultipartUploadCommand).resolves({});
    let error: unknown;
    await copyInPlace(s3, 'b', 'k', { size: 6 * 1024 ** 3, etag: '"e"', metadata: {} }, {}).catch((e) => (error = e));
    expect((error as Error).name).to.equal('PreconditionFailed');
    expect(mock.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).to.deep.equal([{ Bucket: 'b', Key: 'k', UploadId: 'u2' }]);
  });

  it('reports an object that changed while it was tagged (ETag precondition) and exits 1', async () => {
    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'video/1/a.ts', Size: 1 }] });
    mock.on(HeadObjectCommand).resolves({ Metadata: {}, ETag: '"old"', ContentLength: 1 });
    mock.on(CopyObjectCommand).rejects(Object.assign(new Error('precondition'), { name: 'PreconditionFailed' }));
    const tmp = tempDir('tags-mock-');
    try {
      const outputs = join(tmp.dir, 'o.json');
      writeFileSync(outputs, JSON.stringify(testOutputs()));
      const err: string[] = [];
      let error: unknown;
      await main(['--outputs', outputs, '--prefix', 'video/1/', '--state', join(tmp.dir, 's.json'), '--quiet'], { s3: () => s3, out: () => {}, err: (l) => err.push(l) }).catch((e) => (error = e));
      expect(err).to.deep.equal([`error: s3://${TEST_BUCKETS.video}/video/1/a.ts: the object changed while it was being tagged (ETag mismatch); run again to tag the new version`]);
      expect((error as Error).message).to.equal('error: 1 objects could not be tagged; fix them and run again (--resume continues after the last finished page).');
      expect(mock.commandCalls(CopyObjectCommand)[0]!.args[0].input).to.deep.include({ CopySourceIfMatch: '"old"', MetadataDirective: 'REPLACE', Metadata: { 'cache-tags': 'type:video,video:1' } });
    } finally {
      tmp.remove();
    }
  });
});
