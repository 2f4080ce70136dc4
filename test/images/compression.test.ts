import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { resolveCatalog } from '../../lib/catalog';
import {
  analyzeObject, behaviorCompressionFor, brotliBytes, DEFAULT_STATIC_VOLUME, gzipBytes, marginalTransferUsd, measureCompression,
  mediaTypeForKey, monthlySavings, precompressedCopyOf, totals, type ObjectAnalysis, type StaticObject,
} from '../../lib/compression';
import { GIB } from '../../lib/semantics/pricing';
import { analyzeStaticObjects, checkProblems } from '../../scripts/images/compression-run';
import { DirObjectStore, S3ObjectStore } from '../../scripts/images/object-store';
import type { Plan } from '../../lib/plan';
import { predictStaticVolume } from '../../simulator/usage';
import { planFor } from '../helpers/plan';
import { runScript } from '../helpers/run-cli';
import { runScriptAsync, startS3rver, tempDir, type LocalS3 } from './helpers';

const catalog = resolveCatalog();
const STATIC = behaviorCompressionFor(catalog, 'static/app.js');
/** Real text shipped in npm packages (mocha's): js-yaml's minified browser bundle and mocha's stylesheet. */
const REAL_JS = readFileSync(join(__dirname, '../../node_modules/js-yaml/dist/js-yaml.min.js'));
const MOCHA_CSS = readFileSync(join(__dirname, '../../node_modules/mocha/mocha.css'));

describe('compression analysis: which behavior serves a key', () => {
  const cases: [string, string, object][] = [
    ['a static asset', 'static/app.js', { routeId: 'static', origin: 'static', compress: true, policyGzip: true, policyBrotli: true, cachingDisabled: false }],
    ['a font', 'fonts/a.woff2', { routeId: 'static', origin: 'static', compress: true }],
    ['the app shell (default behavior)', 'index.html', { routeId: 'static', origin: 'static' }],
    ['a key that /api/* routes elsewhere', 'api/config.json', { routeId: 'api', origin: 'api' }],
  ];
  for (const [name, key, want] of cases) it(`selects the route of ${name}`, () => expect(behaviorCompressionFor(catalog, key)).to.deep.include(want));
});

describe('compression analysis: one object', () => {
  const body = Buffer.from('body { color: red; }\n'.repeat(200)); // 4,200 bytes of CSS
  const cases: [string, StaticObject, Buffer | undefined, Partial<ObjectAnalysis>][] = [
    ['compresses CSS with Brotli for a browser', { key: 'static/a.css', bytes: body.length, contentType: 'text/css; charset=utf-8' }, body,
      { edge: { compressed: true, encoding: 'br', reason: 'compressed', why: 'CloudFront compresses this response.' } }],
    ['blames a generic Content-Type and names the right one', { key: 'static/a.css', bytes: body.length, contentType: 'binary/octet-stream' }, body,
      { edge: { compressed: false, reason: 'content-type-not-compressible', why: "Not compressed: the Content-Type is not in CloudFront's list of compressible types." },
        suggestedContentType: 'text/css', fix: "store it with Content-Type 'text/css' (its extension's type; 'binary/octet-stream' is not in CloudFront's list), e.g. aws s3 cp --content-type text/css." }],
    ['blames a missing Content-Type', { key: 'static/app.js', bytes: body.length }, body,
      { suggestedContentType: 'application/javascript', fix: "store it with Content-Type 'application/javascript' (its extension's type; it has none), e.g. aws s3 cp --content-type application/javascript." }],
    ['explains a body over 10,000,000 bytes', { key: 'static/huge.js', bytes: 10_000_001, contentType: 'application/javascript' }, undefined,
      { edge: { compressed: false, reason: 'too-large', why: 'Not compressed: the body is larger than 10000000 bytes.' },
        fix: 'upload a Brotli/gzip copy with Content-Encoding (npm run compression -- --precompress), or split the bundle under 10,000,000 bytes.',
        precompress: { recommended: false, why: 'not measured (too large to download).' } }],
    ['explains an object stored already encoded', { key: 'static/a.css', bytes: body.length, contentType: 'text/css', contentEncoding: 'gzip' }, body,
      { edge: { compressed: false, reason: 'already-encoded', why: 'Not compressed: the origin response already has a Content-Encoding header (even identity blocks compression).' },
        precompress: { recommended: false, why: "already stored with Content-Encoding 'gzip'." } }],
    ['leaves a tiny file alone', { key: 'static/a.txt', bytes: 999, contentType: 'text/plain' }, Buffer.alloc(999, 97),
      { edge: { compressed: false, reason: 'too-small', why: 'Not compressed: the body is smaller than 1000 bytes.' },
        precompress: { recommended: false, why: 'under 1,000 bytes: a copy would save too little to matter.' } }],
    ['does not measure a JPEG', { key: 'static/hero.jpg', bytes: 50_000, contentType: 'image/jpeg' }, undefined,
      { edge: { compressed: false, reason: 'content-type-not-compressible', why: "Not compressed: the Content-Type is not in CloudFront's list of compressible types." },
        precompress: { recommended: false, why: 'not text: images, fonts and media are compressed formats already.' } }],
    ['recognizes its own precompressed copy', { key: 'static/a.css.br', bytes: 300, contentType: 'text/css', contentEncoding: 'br' }, undefined,
      { copyOf: 'static/a.css', precompress: { recommended: false, why: 'this is the br copy of static/a.css.' } }],
  ];
  for (const [name, obj, b, want] of cases) it(name, () => expect(analyzeObject(obj, STATIC, b)).to.deep.include(want));

  it('measures gzip and Brotli at the edge levels and the precompression levels', () => {
    expect(measureCompression(MOCHA_CSS)).to.deep.equal({
      gzipEdge: gzipBytes(MOCHA_CSS, 6).length, brotliEdge: brotliBytes(MOCHA_CSS, 5).length,
      gzipMax: gzipBytes(MOCHA_CSS, 9).length, brotliMax: brotliBytes(MOCHA_CSS, 11).length,
    });
  });

  it('recommends precompressing a real JS bundle where Brotli 11 beats the edge by 5 % or more', () => {
    const a = analyzeObject({ key: 'static/js-yaml.min.js', bytes: REAL_JS.length, contentType: 'application/javascript' }, STATIC, REAL_JS);
    const gain = 1 - a.sizes!.brotliMax / a.sizes!.brotliEdge;
    expect(a.precompress.recommended).to.equal(gain >= 0.05);
    expect(a.precompress.why).to.match(/Brotli 11 is .* smaller than the edge/);
    expect(1 - a.sizes!.brotliMax / REAL_JS.length, 'real minified JS shrinks by more than 60 %').to.be.above(0.6);
  });

  const keys: [string, string | undefined][] = [['a/b.CSS', 'text/css'], ['a/b.min.js', 'application/javascript'], ['a/b', undefined], ['a/.env', undefined], ['x.woff2', 'font/woff2'], ['x.jpg', 'image/jpeg']];
  for (const [key, want] of keys) it(`types '${key}' by extension as ${want}`, () => expect(mediaTypeForKey(key)).to.equal(want));

  it('names copies by encoding', () => {
    expect([precompressedCopyOf('s/a.js.br'), precompressedCopyOf('s/a.js.gz'), precompressedCopyOf('s/a.js')])
      .to.deep.equal([{ encoding: 'br', sourceKey: 's/a.js' }, { encoding: 'gzip', sourceKey: 's/a.js' }, undefined]);
  });
});

describe('compression analysis: totals and monthly value', () => {
  const sizes = { gzipEdge: 300, brotliEdge: 250, gzipMax: 290, brotliMax: 200 };
  const css = analyzeObject({ key: 'static/a.css', bytes: 1000, contentType: 'text/css' }, STATIC);
  const objects: ObjectAnalysis[] = [
    { ...css, sizes, precompress: { recommended: true, why: '' } },
    { ...analyzeObject({ key: 'static/b.css', bytes: 2000, contentType: 'binary/octet-stream' }, STATIC), sizes: { gzipEdge: 600, brotliEdge: 500, gzipMax: 580, brotliMax: 400 }, precompress: { recommended: false, why: '' } },
  ];
  const volume = { ...DEFAULT_STATIC_VOLUME, requestsPerMonth: 1000, acceptEncodings: [{ header: 'gzip, br', share: 0.5 }, { header: 'gzip', share: 0.25 }, { header: undefined, share: 0.25 }] };

  it('sums what was measured and counts the reasons', () => {
    const t = totals(objects);
    expect(t).to.deep.include({ objects: 2, bytes: 3000, compressed: 1, notCompressed: { 'content-type-not-compressible': { count: 1, bytes: 2000 } }, precompressRecommended: 1 });
    expect(t.measured).to.deep.equal({ objects: 2, bytes: 3000, gzipEdge: 900, brotliEdge: 750, gzipMax: 870, brotliMax: 600 });
    expect(t.savedShare).to.deep.equal({ gzipEdge: 0.7, brotliEdge: 0.75, gzipMax: 0.71, brotliMax: 0.8 });
  });

  it('estimates bytes served as is, with copies, and with the Content-Type fixed', () => {
    const m = monthlySavings(objects, () => STATIC, volume);
    // 500 requests per object; a.css: br 250 (½), gzip 300 (¼), identity 1000 (¼); b.css: 2000 for all.
    expect(m.requests).to.equal(1000);
    expect(m.identityBytes).to.equal(500 * 3000);
    expect(m.edgeBytes).to.equal(500 * (0.5 * 250 + 0.25 * 300 + 0.25 * 1000) + 500 * 2000);
    expect(m.precompressedBytes).to.equal(500 * (0.5 * 200 + 0.25 * 290 + 0.25 * 1000) + 500 * 2000);
    expect(m.fixedBytes).to.equal(500 * (0.5 * 250 + 0.25 * 300 + 0.25 * 1000) + 500 * (0.5 * 500 + 0.25 * 600 + 0.25 * 2000));
    expect(m.lostToUncompressedText.bytes).to.equal(500 * (2000 - (0.5 * 500 + 0.25 * 600 + 0.25 * 2000)));
  });

  it('prices saved bytes at the margin of the monthly transfer (the >5 PB US tier at 50 Gbps)', () => {
    expect(marginalTransferUsd(1000 * GIB, DEFAULT_STATIC_VOLUME)).to.be.closeTo(20, 1e-6);
    expect(marginalTransferUsd(1000 * GIB, { ...DEFAULT_STATIC_VOLUME, monthlyTransferGb: 1000 })).to.be.closeTo(85, 1e-6);
    expect(marginalTransferUsd(1000 * GIB, { ...DEFAULT_STATIC_VOLUME, monthlyTransferGb: 1000, priceGroup: 'IN' })).to.be.closeTo(109, 1e-6);
  });
});

function writeStaticTree(root: string): void {
  mkdirSync(join(root, 'static/js'), { recursive: true });
  mkdirSync(join(root, 'static/css'), { recursive: true });
  writeFileSync(join(root, 'static/js/js-yaml.min.js'), REAL_JS);
  writeFileSync(join(root, 'static/css/mocha.css'), MOCHA_CSS);
  writeFileSync(join(root, 'static/js/bundle'), REAL_JS); // no extension: no Content-Type
  writeFileSync(join(root, 'static/tiny.txt'), 'ok');
}

describe('compression analysis on a local folder', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('compression');
    writeStaticTree(tmp.dir);
  });
  after(() => tmp.remove());

  it('predicts, explains and measures every object under the prefix', async () => {
    const r = await analyzeStaticObjects({ store: new DirObjectStore(tmp.dir), catalog, prefix: 'static/', volume: DEFAULT_STATIC_VOLUME, precompress: false, dryRun: false });
    expect(r.objects.map((o) => [o.key, o.edge.reason])).to.deep.equal([
      ['static/css/mocha.css', 'compressed'],
      ['static/js/bundle', 'content-type-not-compressible'],
      ['static/js/js-yaml.min.js', 'compressed'],
      ['static/tiny.txt', 'too-small'],
    ]);
    expect(r.totals.measured.objects).to.equal(3);
    expect(r.totals.savedShare.brotliMax).to.be.above(0.6);
    expect(r.copies).to.deep.equal([]);
  });

  it('writes Brotli 11 and gzip 9 copies that decode to the asset, and sees them as copies next time', async () => {
    const store = new DirObjectStore(tmp.dir);
    const r = await analyzeStaticObjects({ store, catalog, prefix: 'static/', volume: DEFAULT_STATIC_VOLUME, precompress: true, dryRun: false });
    const js = r.objects.find((o) => o.key === 'static/js/js-yaml.min.js')!;
    expect(js.precompress.recommended).to.equal(true);
    expect(r.copies.map((c) => c.key)).to.include.members(['static/js/js-yaml.min.js.br', 'static/js/js-yaml.min.js.gz']);
    expect(brotliDecompressSync(readFileSync(join(tmp.dir, 'static/js/js-yaml.min.js.br'))).equals(REAL_JS)).to.equal(true);
    expect(gunzipSync(readFileSync(join(tmp.dir, 'static/js/js-yaml.min.js.gz'))).equals(REAL_JS)).to.equal(true);
    const next = await analyzeStaticObjects({ store, catalog, prefix: 'static/js/js-yaml', volume: DEFAULT_STATIC_VOLUME, precompress: false, dryRun: false });
    expect(next.objects.map((o) => [o.key, o.copyOf ?? null, o.edge.reason])).to.deep.equal([
      ['static/js/js-yaml.min.js', null, 'compressed'],
      ['static/js/js-yaml.min.js.br', 'static/js/js-yaml.min.js', 'already-encoded'],
      ['static/js/js-yaml.min.js.gz', 'static/js/js-yaml.min.js', 'already-encoded'],
    ]);
  });

  it('flags text left uncompressed for a fixable reason in --check', async () => {
    const r = await analyzeStaticObjects({ store: new DirObjectStore(tmp.dir), catalog, prefix: 'static/js/bundle', volume: DEFAULT_STATIC_VOLUME, precompress: false, dryRun: false });
    expect(checkProblems(r)).to.deep.equal([]); // unknown extension: nothing to suggest, not measured
    const wrong = await analyzeStaticObjects({ store: { ...new DirObjectStore(tmp.dir), label: 'x', list: async () => [{ key: 'static/css/mocha.css', size: MOCHA_CSS.length }], head: async () => ({ body: Buffer.alloc(0), contentType: 'application/octet-stream' }), get: async () => ({ body: MOCHA_CSS, contentType: 'application/octet-stream' }), put: async () => undefined, delete: async () => undefined }, catalog, prefix: 'static/', volume: DEFAULT_STATIC_VOLUME, precompress: false, dryRun: false });
    expect(checkProblems(wrong)).to.deep.equal([
      "static/css/mocha.css is not compressed (content-type-not-compressible): store it with Content-Type 'text/css' (its extension's type; 'application/octet-stream' is not in CloudFront's list), e.g. aws s3 cp --content-type text/css.",
    ]);
  });
});

describe('compression analysis against s3rver', function () {
  this.timeout(30_000);
  const BUCKET = 'media-static';
  let s3: LocalS3;
  let store: S3ObjectStore;
  const put = (Key: string, Body: Buffer, ContentType?: string, ContentEncoding?: string) =>
    s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...(ContentType ? { ContentType } : {}), ...(ContentEncoding ? { ContentEncoding } : {}) }));

  before(async () => {
    s3 = await startS3rver([BUCKET]);
    store = new S3ObjectStore(s3.client, BUCKET);
    await put('static/js/js-yaml.min.js', REAL_JS, 'application/javascript');
    await put('static/css/mocha.css', MOCHA_CSS, 'binary/octet-stream');
    await put('static/css/pre.css', gzipBytes(MOCHA_CSS, 9), 'text/css', 'gzip');
    await put('static/img/logo.png', Buffer.alloc(5000, 1), 'image/png');
  });
  after(async () => s3?.close());

  it('reads Content-Type and Content-Encoding from S3 and explains each object', async () => {
    const r = await analyzeStaticObjects({ store, catalog, prefix: 'static/', volume: DEFAULT_STATIC_VOLUME, precompress: false, dryRun: false });
    expect(r.objects.map((o) => [o.key, o.contentType, o.edge.reason, o.suggestedContentType ?? null])).to.deep.equal([
      ['static/css/mocha.css', 'binary/octet-stream', 'content-type-not-compressible', 'text/css'],
      ['static/css/pre.css', 'text/css', 'already-encoded', null],
      ['static/img/logo.png', 'image/png', 'content-type-not-compressible', null],
      ['static/js/js-yaml.min.js', 'application/javascript', 'compressed', null],
    ]);
    expect(r.monthly.lostToUncompressedText.bytes).to.be.above(0);
    expect(r.monthly.savedByEdge.usd).to.be.above(0);
  });

  it('writes nothing in a dry run', async () => {
    const r = await analyzeStaticObjects({ store, catalog, prefix: 'static/js/', volume: DEFAULT_STATIC_VOLUME, precompress: true, dryRun: true });
    expect(r.copies.map((c) => c.key)).to.deep.equal(['static/js/js-yaml.min.js.br', 'static/js/js-yaml.min.js.gz']);
    expect(await store.head('static/js/js-yaml.min.js.br')).to.equal(undefined);
  });

  it('stores copies with Content-Encoding and the asset\'s (corrected) Content-Type', async () => {
    await analyzeStaticObjects({ store, catalog, prefix: 'static/', volume: DEFAULT_STATIC_VOLUME, precompress: true, dryRun: false });
    const get = async (Key: string) => s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    const br = await get('static/js/js-yaml.min.js.br');
    expect([br.ContentType, br.ContentEncoding]).to.deep.equal(['application/javascript', 'br']);
    expect(brotliDecompressSync(Buffer.from(await br.Body!.transformToByteArray())).equals(REAL_JS)).to.equal(true);
    const css = await get('static/css/mocha.css.gz');
    expect([css.ContentType, css.ContentEncoding]).to.deep.equal(['text/css', 'gzip']);
  });

  it('runs as a CLI against s3rver with --outputs and --endpoint, and --check fails on the wrong Content-Type', async () => {
    const tmp = tempDir('compression-cli');
    try {
      const bucket = { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, region: 'us-east-1', replicaName: 'r', replicaArn: 'arn:aws:s3:::r', replicaRegion: 'us-west-2' };
      const outputs = join(tmp.dir, 'outputs.json');
      writeFileSync(outputs, JSON.stringify({ distributionId: 'E1', distributionArn: 'arn', domainName: 'd.cloudfront.net', logBucket: 'l', region: 'us-east-1', contentTypes: {}, buckets: { video: bucket, images: bucket, static: bucket } }));
      const json = join(tmp.dir, 'c.json');
      const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
      const ok = await runScriptAsync('scripts/compression.ts', ['--outputs', outputs, '--endpoint', s3.endpoint, '--prefix', 'static/js/', '--quiet', '--json', json], { env });
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stdout).to.match(/compressed by CloudFront for a browser/);
      expect(JSON.parse(readFileSync(json, 'utf8')).totals.objects).to.equal(3);
      const check = await runScriptAsync('scripts/compression.ts', ['--outputs', outputs, '--endpoint', s3.endpoint, '--prefix', 'static/css/mocha', '--quiet', '--check'], { env });
      expect(check.status).to.equal(1);
      expect(check.stderr).to.match(/^check failed: static\/css\/mocha\.css is not compressed \(content-type-not-compressible\)/m);
    } finally {
      tmp.remove();
    }
  });
});

describe('compression analysis priced at the simulator\'s static volume (--plan)', function () {
  this.timeout(90_000);
  let s3: LocalS3;
  let plan: Plan;
  let tmp: ReturnType<typeof tempDir>;

  before(async () => {
    plan = await planFor('staging');
    const bucket = (plan.outputs as { buckets: { static: { name: string } } }).buckets.static.name;
    s3 = await startS3rver([bucket]);
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'static/js/js-yaml.min.js', Body: REAL_JS, ContentType: 'application/javascript' }));
    tmp = tempDir('compression-plan');
  });
  after(async () => {
    tmp?.remove();
    await s3?.close();
  });

  it('predicts the static requests a month and the transfer tier from the seed workload', () => {
    const v = predictStaticVolume(plan);
    expect(v.requestsPerMonth).to.be.above(1e7).and.below(1e10);
    // 50 Gbps on average is about 15 million GB a month.
    expect(v.monthlyTransferGb).to.be.within(1.2e7, 1.9e7);
  });

  it('uses the simulator\'s volume with --plan, and --requests-per-month over it', async () => {
    const file = join(tmp.dir, 'plan.json');
    writeFileSync(file, JSON.stringify(plan));
    const json = join(tmp.dir, 'c.json');
    const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const r = await runScriptAsync('scripts/compression.ts', ['--plan', file, '--endpoint', s3.endpoint, '--quiet', '--json', json], { env });
    expect(r.status, r.stderr).to.equal(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { volume: { requestsPerMonth: number }; volumeSource: string };
    expect(report.volumeSource).to.equal("the simulator (seed workload of 'staging')");
    expect(report.volume.requestsPerMonth).to.equal(predictStaticVolume(plan).requestsPerMonth);
    expect(r.stdout).to.contain(`A month at ${report.volume.requestsPerMonth.toLocaleString('en-US')} static requests (from the simulator (seed workload of 'staging');`);
    const flag = await runScriptAsync('scripts/compression.ts', ['--plan', file, '--endpoint', s3.endpoint, '--quiet', '--requests-per-month', '5000', '--json', json], { env });
    expect(flag.status, flag.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).to.deep.include({ volumeSource: '--requests-per-month' });
  });
});

describe('npm run compression (CLI input checks)', () => {
  it('exits 2 with one error line per bad option', () => {
    const r = runScript('scripts/compression.ts', ['--dir', '/nonexistent-folder', '--requests-per-month', 'many', '--price-group', 'MARS']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.deep.equal([
      "error: --requests-per-month must be a whole number ≥ 1, got 'many'.",
      "error: --price-group must be 'US', 'EU', 'ZA_ME', 'SA', 'JP', 'AU', 'AP' or 'IN', got 'MARS'.",
    ]);
  });

  it('exits 2 for --dry-run without --precompress and for a missing folder', () => {
    expect(runScript('scripts/compression.ts', ['--dir', '.', '--dry-run']).stderr.trim()).to.equal("error: --dry-run only applies to --precompress (the analysis itself writes nothing); see 'npm run compression -- --help'.");
    const r = runScript('scripts/compression.ts', ['--dir', '/nonexistent-folder']);
    expect([r.status, r.stderr.trim()]).to.deep.equal([2, "error: --dir '/nonexistent-folder' is not a folder; give the folder that holds the objects (laid out like the bucket)."]);
  });

  it('prints help and exits 0', () => {
    const r = runScript('scripts/compression.ts', ['--help']);
    expect([r.status, r.stdout.includes('--precompress')]).to.deep.equal([0, true]);
    expect(existsSync('/nonexistent-folder')).to.equal(false);
  });
});
