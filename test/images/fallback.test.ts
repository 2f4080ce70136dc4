/**
 * The images origin group's fallback: the pure lookup rule, the Lambda handler against s3rver with the
 * real S3 client, and the whole path through the local edge — the thumbnails function rewrites to a
 * variant the bucket does not have, the primary answers 404, the origin group fails over to the
 * fallback function URL, which serves the original.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleLambda } from '../../components/lambda-bundle';
import { createFallbackHandler, FALLBACK_HEADER, type FunctionUrlEvent } from '../../functions/image-fallback/handler';
import { s3ObjectReader } from '../../functions/image-fallback/s3-reader';
import {
  FALLBACK_DEFAULTS, FALLBACK_SETTINGS_VARIABLE, fallbackLookups, firstLookup, keyOfUriPath, originalKeyOfVariant, parseFallbackSettings,
} from '../../lib/images/fallback';
import { resolveCatalog } from '../../lib/catalog';
import type { StackOutputs } from '../../lib/outputs';
import type { Plan } from '../../lib/plan';
import { distributionModelFromCatalog, distributionModelFromPlan } from '../../lib/distribution';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';
import { localS3Client } from '../../local/origins/s3-origin';
import { planFor } from '../helpers/plan';
import { REPO } from '../helpers/run-cli';
import { send } from '../local/helpers';
import { sampleImage, startS3rver, tempDir, type LocalS3 } from './helpers';

const get = (rawPath: string, headers: Record<string, string> = {}, method = 'GET'): FunctionUrlEvent => ({ rawPath, headers, requestContext: { http: { method } } });

describe('images fallback origin', function () {
  this.timeout(60_000);

  describe('the lookup rule (lib/images/fallback)', () => {
    const cases: [string, string | undefined][] = [
      ['_variants/thumbnails/a.jpg/640.avif', 'thumbnails/a.jpg'],
      ['_variants/thumbnails/show 1/poster.png/320.webp', 'thumbnails/show 1/poster.png'],
      ['_variants/previews/x/y/z.jpg/1280.jpg', 'previews/x/y/z.jpg'],
      ['_variants/thumbnails/a.jpg/manifest.json', undefined],
      ['_variants/thumbnails/a.jpg/640.gif', undefined],
      ['_variants/thumbnails/a.jpg/0640.avif', undefined],
      ['_variants/640.avif', undefined],
      ['thumbnails/a.jpg', undefined],
    ];
    for (const [key, original] of cases) {
      it(`maps ${key} → ${original ?? '(not a variant)'}`, () => expect(originalKeyOfVariant(key)).to.equal(original));
    }

    it('decodes the URI path into the S3 key, and refuses malformed escapes', () => {
      expect(keyOfUriPath('/thumbnails/show%201/a%25b.jpg')).to.equal('thumbnails/show 1/a%b.jpg');
      expect(keyOfUriPath('/thumbnails/%E0%A4%A')).to.equal(undefined);
      expect(keyOfUriPath('/')).to.equal(undefined);
      expect(keyOfUriPath('thumbnails/a.jpg')).to.equal(undefined);
    });

    it('asks the primary first; when it has no such key, only the original of a variant, from the primary', () => {
      expect(firstLookup('_variants/thumbnails/a.jpg/640.avif')).to.deep.equal({ bucket: 'primary', key: '_variants/thumbnails/a.jpg/640.avif', served: 'primary' });
      expect(fallbackLookups('_variants/thumbnails/a.jpg/640.avif', 'missing')).to.deep.equal([{ bucket: 'primary', key: 'thumbnails/a.jpg', served: 'original' }]);
      // An original the primary does not have is gone: the replica's copy is not served.
      expect(fallbackLookups('thumbnails/a.jpg', 'missing')).to.deep.equal([]);
    });

    it('reads the replica when the primary does not answer: the key, then the original of a variant', () => {
      expect(fallbackLookups('_variants/thumbnails/a.jpg/640.avif', 'unreachable')).to.deep.equal([
        { bucket: 'replica', key: '_variants/thumbnails/a.jpg/640.avif', served: 'replica' },
        { bucket: 'replica', key: 'thumbnails/a.jpg', served: 'original' },
      ]);
      expect(fallbackLookups('thumbnails/a.jpg', 'unreachable')).to.deep.equal([{ bucket: 'replica', key: 'thumbnails/a.jpg', served: 'replica' }]);
    });

    it('parses its settings and names what is wrong', () => {
      const ok = { primaryBucket: 'p', primaryRegion: 'us-east-1', replicaBucket: 'r', replicaRegion: 'us-west-2' };
      expect(parseFallbackSettings(JSON.stringify(ok))).to.deep.equal({ ...ok, ...FALLBACK_DEFAULTS });
      expect(() => parseFallbackSettings(undefined)).to.throw(`${FALLBACK_SETTINGS_VARIABLE} is not set`);
      expect(() => parseFallbackSettings('{')).to.throw('is not JSON');
      expect(() => parseFallbackSettings(JSON.stringify({ ...ok, replicaBucket: '' }))).to.throw(`${FALLBACK_SETTINGS_VARIABLE}.replicaBucket must be a non-empty string`);
      expect(() => parseFallbackSettings(JSON.stringify({ ...ok, maxBodyBytes: -1 }))).to.throw('maxBodyBytes must be a whole number from 0 to 4400000');
      // Above the cap the base64 body would cross the 6 MB function URL response limit.
      expect(() => parseFallbackSettings(JSON.stringify({ ...ok, maxBodyBytes: 5_000_000 }))).to.throw('maxBodyBytes must be a whole number from 0 to 4400000');
    });
  });

  describe('the handler against s3rver (real S3 client)', () => {
    let s3: LocalS3;
    let original: Buffer;
    let webp: Buffer;
    const PRIMARY = 'images-primary';
    const REPLICA = 'images-replica';
    const down = () => localS3Client('http://127.0.0.1:9');
    const handler = (opts: { maxBodyBytes?: number; primaryDown?: boolean; primaryBucket?: string } = {}) => createFallbackHandler(s3ObjectReader({
      primary: { client: opts.primaryDown ? down() : s3.client, bucket: opts.primaryBucket ?? PRIMARY },
      replica: { client: s3.client, bucket: REPLICA },
    }), { maxBodyBytes: opts.maxBodyBytes ?? FALLBACK_DEFAULTS.maxBodyBytes, originalMaxAgeSeconds: 60 });
    const put = (bucket: string, key: string, body: Buffer, contentType: string, cacheControl?: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...(cacheControl ? { CacheControl: cacheControl } : {}) }));
    const bytes = (r: { body: string }) => Buffer.from(r.body, 'base64');

    before(async () => {
      s3 = await startS3rver([PRIMARY, REPLICA]);
      original = await sampleImage({ width: 320, height: 180, format: 'jpeg' });
      webp = await sampleImage({ width: 160, height: 90, format: 'webp' });
      for (const bucket of [PRIMARY, REPLICA]) await put(bucket, 'thumbnails/a.jpg', original, 'image/jpeg', 'public, max-age=7200');
      await put(REPLICA, '_variants/thumbnails/a.jpg/160.webp', webp, 'image/webp', 'public, max-age=7200');
      // Deleted in the primary (a take-down, a version purge) but still in the replica.
      await put(REPLICA, 'thumbnails/purged.jpg', original, 'image/jpeg');
    });
    after(() => s3?.close());

    describe('primary up (the usual case: a variant is missing)', () => {
      it('serves the original of a missing variant from the primary, cached briefly', async () => {
        const r = await handler()(get('/_variants/thumbnails/a.jpg/640.avif'));
        expect(r.statusCode).to.equal(200);
        expect(r.headers).to.deep.include({ [FALLBACK_HEADER]: 'original', 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=60' });
        expect(r.isBase64Encoded).to.equal(true);
        expect(bytes(r).equals(original)).to.equal(true);
      });

      it('serves an object the primary has again (a passing 5xx) with its own Cache-Control', async () => {
        const r = await handler()(get('/thumbnails/a.jpg'));
        expect(r.statusCode).to.equal(200);
        expect(r.headers).to.deep.include({ [FALLBACK_HEADER]: 'primary', 'cache-control': 'public, max-age=7200' });
      });

      it('does not bring back from the replica what the primary no longer has', async () => {
        const r = await handler()(get('/thumbnails/purged.jpg'));
        expect(r.statusCode).to.equal(404);
        expect(r.body).to.equal('not found (looked up: primary thumbnails/purged.jpg)\n');
        const variant = await handler()(get('/_variants/thumbnails/purged.jpg/640.avif'));
        expect(variant.body).to.equal('not found (looked up: primary _variants/thumbnails/purged.jpg/640.avif, primary thumbnails/purged.jpg)\n');
      });

      it('answers HEAD with the length and no body, and 304 to a matching If-None-Match', async () => {
        const head = await handler()(get('/thumbnails/a.jpg', {}, 'HEAD'));
        expect(head.statusCode).to.equal(200);
        expect(head.headers['content-length']).to.equal(String(original.length));
        expect(head.body).to.equal('');
        const etag = head.headers.etag!;
        expect(etag).to.match(/^"[0-9a-f]{32}"$/);
        const cond = await handler()(get('/thumbnails/a.jpg', { 'If-None-Match': etag }));
        expect([cond.statusCode, cond.body, cond.headers.etag]).to.deep.equal([304, '', undefined]);
      });

      it('refuses bodies over the function URL limit with 502, other methods with 405, bad paths with 400', async () => {
        const big = await handler({ maxBodyBytes: 1000 })(get('/thumbnails/a.jpg'));
        expect(big.statusCode).to.equal(502);
        expect(big.body).to.contain(`is ${original.length} bytes; the fallback returns at most 1000`);
        const post = await handler()(get('/thumbnails/a.jpg', {}, 'POST'));
        expect(post.statusCode).to.equal(405);
        expect(post.headers.allow).to.equal('GET, HEAD, OPTIONS');
        expect((await handler()(get('/thumbnails/%E0%A4%A'))).statusCode).to.equal(400);
      });
    });

    describe('primary unreachable (its Region failed)', () => {
      it('serves the replica copy of a variant', async () => {
        const r = await handler({ primaryDown: true })(get('/_variants/thumbnails/a.jpg/160.webp'));
        expect(r.statusCode).to.equal(200);
        expect(r.headers).to.deep.include({ [FALLBACK_HEADER]: 'replica', 'content-type': 'image/webp', 'cache-control': 'public, max-age=7200' });
        expect(bytes(r).equals(webp)).to.equal(true);
      });

      it('serves the original from the replica when the variant is missing there too', async () => {
        const r = await handler({ primaryDown: true })(get('/_variants/thumbnails/a.jpg/640.avif'));
        expect(r.headers[FALLBACK_HEADER]).to.equal('original');
        expect(bytes(r).equals(original)).to.equal(true);
      });

      it('says the primary was unreachable in its 404', async () => {
        const r = await handler({ primaryDown: true })(get('/thumbnails/nothing.jpg'));
        expect([r.statusCode, r.body]).to.deep.equal([404, 'not found (primary unreachable; looked up: primary thumbnails/nothing.jpg, replica thumbnails/nothing.jpg)\n']);
      });
    });

    it('never takes a bucket that does not exist (a wrong name in the settings) for a missing key', async () => {
      // Primary: NoSuchBucket is an error, reported, and the replica answers as in a Region failure.
      const heard: string[] = [];
      const wrongPrimary = createFallbackHandler(s3ObjectReader({ primary: { client: s3.client, bucket: 'no-such-bucket' }, replica: { client: s3.client, bucket: REPLICA } }), FALLBACK_DEFAULTS, (e) => heard.push((e as Error).name));
      const r = await wrongPrimary(get('/thumbnails/a.jpg'));
      expect([r.statusCode, r.headers[FALLBACK_HEADER], heard]).to.deep.equal([200, 'replica', ['NoSuchBucket']]);
      // Replica (asked only when the primary failed): the error reaches the entry point, which answers 503.
      let error: unknown;
      const wrongReplica = createFallbackHandler(s3ObjectReader({ primary: { client: down(), bucket: PRIMARY }, replica: { client: s3.client, bucket: 'no-such-bucket' } }), FALLBACK_DEFAULTS);
      await wrongReplica(get('/thumbnails/a.jpg')).catch((e: unknown) => { error = e; });
      expect((error as { name?: string }).name).to.equal('NoSuchBucket');
    });

    it('works as the bundle the program deploys (esbuild, the Lambda entry point, settings from the environment)', async () => {
      const dir = tempDir('fallback-bundle');
      try {
        const file = join(dir.dir, 'index.js');
        writeFileSync(file, bundleLambda('image-fallback'));
        const settings = { primaryBucket: PRIMARY, primaryRegion: 'us-east-1', replicaBucket: REPLICA, replicaRegion: 'us-west-2' };
        const script = `require(${JSON.stringify(file)}).handler(${JSON.stringify(get('/_variants/thumbnails/a.jpg/640.avif'))}).then((r) => process.stdout.write('\\n' + JSON.stringify(r)))`;
        const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, ['-e', script], {
          env: {
            PATH: process.env.PATH, NODE_PATH: join(REPO, 'node_modules'), [FALLBACK_SETTINGS_VARIABLE]: JSON.stringify(settings),
            AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-west-2',
          },
          timeout: 30_000,
        }, (e, stdout, stderr) => (e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout))));
        // The handler logs one JSON line per request first; the result is the last line.
        const lines = out.trim().split('\n');
        expect(JSON.parse(lines[0]!)).to.deep.equal({ path: '/_variants/thumbnails/a.jpg/640.avif', status: 200, served: 'original' });
        const r = JSON.parse(lines[lines.length - 1]!) as { statusCode: number; headers: Record<string, string>; body: string };
        expect(r.statusCode).to.equal(200);
        expect(r.headers[FALLBACK_HEADER]).to.equal('original');
        expect(bytes(r).equals(original)).to.equal(true);
      } finally {
        dir.remove();
      }
    });

    it('rejects when neither bucket can be reached (the Lambda entry point answers 503)', async () => {
      const h = createFallbackHandler(s3ObjectReader({ primary: { client: down(), bucket: PRIMARY }, replica: { client: down(), bucket: REPLICA } }), FALLBACK_DEFAULTS);
      let error: unknown;
      await h(get('/thumbnails/a.jpg')).catch((e: unknown) => { error = e; });
      expect(error).to.be.instanceOf(Error);
    });
  });

  it('is the images group\'s secondary in the model the scripts build from stack outputs too, as in the plan', async () => {
    const plan = await planFor('prod');
    const fromPlan = distributionModelFromPlan(plan);
    const fromOutputs = distributionModelFromCatalog(resolveCatalog(), plan.outputs as unknown as StackOutputs);
    for (const m of [fromPlan, fromOutputs]) {
      expect(m.originGroups.get('images-group')).to.deep.include({ primaryOriginId: 'images-primary', secondaryOriginId: 'images-fallback', statusCodes: [403, 404, 500, 502, 503, 504] });
      expect(m.origins.get('images-fallback')?.kind).to.equal('custom');
      expect(m.originGroups.get('video-group')).to.deep.include({ secondaryOriginId: 'video-secondary', statusCodes: [500, 502, 503, 504] });
    }
  });

  describe('through the local edge (prod plan): function → primary 404 → origin group → fallback', () => {
    let plan: Plan;
    let stack: LocalStack;
    let original: Buffer;
    let webp: Buffer;
    const INDEX = new Map([['thumbnails/show-1/poster.jpg', 'w=320,640;f=avif,webp;b=jpeg']]);

    before(async () => {
      plan = await planFor('prod');
      stack = await startLocalStack({ plan, edge: { keyValueStore: INDEX, originTimeoutMs: 5000 } });
      const client = localS3Client(stack.s3Endpoint);
      original = await sampleImage({ width: 640, height: 360, format: 'jpeg' });
      webp = await sampleImage({ width: 640, height: 360, format: 'webp' });
      const images = stack.buckets.images;
      const replica = (plan.outputs as { buckets: { images: { replicaName: string } } }).buckets.images.replicaName;
      // The pipeline wrote WebP at 640 but the AVIF variant is gone (deleted, lifecycle, a stale index).
      await client.send(new PutObjectCommand({ Bucket: images, Key: 'thumbnails/show-1/poster.jpg', Body: original, ContentType: 'image/jpeg' }));
      await client.send(new PutObjectCommand({ Bucket: images, Key: '_variants/thumbnails/show-1/poster.jpg/640.webp', Body: webp, ContentType: 'image/webp' }));
      // An object only the replica has: deleted in the primary (a take-down), not by replication.
      await client.send(new PutObjectCommand({ Bucket: replica, Key: 'thumbnails/only-replica.jpg', Body: original, ContentType: 'image/jpeg' }));
      client.destroy();
    });
    after(() => stack?.close());

    it('starts the fallback origin for the plan\'s images-fallback origin', () => {
      expect(stack.imageFallback?.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('serves the original when the negotiated variant does not exist', async () => {
      const before = stack.imageFallback!.invocations.length;
      const r = await send(stack.edges[0]!.url, '/thumbnails/show-1/poster.jpg?width=600', { headers: { accept: 'image/avif,image/webp,*/*' } });
      expect(r.status).to.equal(200);
      expect(r.headers['content-type']).to.equal('image/jpeg');
      expect(r.headers[FALLBACK_HEADER]).to.equal('original');
      expect(r.body.equals(original)).to.equal(true);
      expect(stack.imageFallback!.invocations.slice(before)).to.deep.equal([{ method: 'GET', path: '/_variants/thumbnails/show-1/poster.jpg/640.avif' }]);
    });

    it('serves an existing variant from the primary without calling the fallback', async () => {
      const before = stack.imageFallback!.invocations.length;
      const r = await send(stack.edges[0]!.url, '/thumbnails/show-1/poster.jpg?width=600', { headers: { accept: 'image/webp,*/*' } });
      expect(r.status).to.equal(200);
      expect(r.headers['content-type']).to.equal('image/webp');
      expect(r.headers[FALLBACK_HEADER]).to.equal(undefined);
      expect(r.body.equals(webp)).to.equal(true);
      expect(stack.imageFallback!.invocations.length).to.equal(before);
    });

    it('answers 404 for an object only the replica has while the primary is up (deleted there), and when nobody has it', async () => {
      const before = stack.imageFallback!.invocations.length;
      const r = await send(stack.edges[0]!.url, '/thumbnails/only-replica.jpg');
      expect(r.status).to.equal(404);
      expect(stack.imageFallback!.invocations.slice(before)).to.deep.equal([{ method: 'GET', path: '/thumbnails/only-replica.jpg' }]);
      const missing = await send(stack.edges[0]!.url, '/thumbnails/nobody.jpg');
      expect(missing.status).to.equal(404);
    });
  });
});
