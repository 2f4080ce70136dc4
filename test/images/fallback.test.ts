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
  FALLBACK_DEFAULTS, FALLBACK_SETTINGS_VARIABLE, fallbackLookups, keyOfUriPath, originalKeyOfVariant, parseFallbackSettings,
} from '../../lib/images/fallback';
import type { Plan } from '../../lib/plan';
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

    it('reads the replica first, then the original of a variant, then the primary', () => {
      expect(fallbackLookups('_variants/thumbnails/a.jpg/640.avif')).to.deep.equal([
        { bucket: 'replica', key: '_variants/thumbnails/a.jpg/640.avif', served: 'replica' },
        { bucket: 'replica', key: 'thumbnails/a.jpg', served: 'original' },
        { bucket: 'primary', key: 'thumbnails/a.jpg', served: 'original' },
      ]);
      expect(fallbackLookups('thumbnails/a.jpg')).to.deep.equal([
        { bucket: 'replica', key: 'thumbnails/a.jpg', served: 'replica' },
        { bucket: 'primary', key: 'thumbnails/a.jpg', served: 'replica' },
      ]);
    });

    it('parses its settings and names what is wrong', () => {
      const ok = { primaryBucket: 'p', primaryRegion: 'us-east-1', replicaBucket: 'r', replicaRegion: 'us-west-2' };
      expect(parseFallbackSettings(JSON.stringify(ok))).to.deep.equal({ ...ok, ...FALLBACK_DEFAULTS });
      expect(() => parseFallbackSettings(undefined)).to.throw(`${FALLBACK_SETTINGS_VARIABLE} is not set`);
      expect(() => parseFallbackSettings('{')).to.throw('is not JSON');
      expect(() => parseFallbackSettings(JSON.stringify({ ...ok, replicaBucket: '' }))).to.throw(`${FALLBACK_SETTINGS_VARIABLE}.replicaBucket must be a non-empty string`);
      expect(() => parseFallbackSettings(JSON.stringify({ ...ok, maxBodyBytes: -1 }))).to.throw('maxBodyBytes must be a non-negative integer');
    });
  });

  describe('the handler against s3rver (real S3 client)', () => {
    let s3: LocalS3;
    let original: Buffer;
    let webp: Buffer;
    const PRIMARY = 'images-primary';
    const REPLICA = 'images-replica';
    const handler = (maxBodyBytes = FALLBACK_DEFAULTS.maxBodyBytes) =>
      createFallbackHandler(s3ObjectReader({ primary: { client: s3.client, bucket: PRIMARY }, replica: { client: s3.client, bucket: REPLICA } }), { maxBodyBytes, originalMaxAgeSeconds: 60 });
    const put = (bucket: string, key: string, body: Buffer, contentType: string, cacheControl?: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...(cacheControl ? { CacheControl: cacheControl } : {}) }));

    before(async () => {
      s3 = await startS3rver([PRIMARY, REPLICA]);
      original = await sampleImage({ width: 320, height: 180, format: 'jpeg' });
      webp = await sampleImage({ width: 160, height: 90, format: 'webp' });
      await put(REPLICA, 'thumbnails/replicated.jpg', original, 'image/jpeg', 'public, max-age=7200');
      await put(REPLICA, '_variants/thumbnails/replicated.jpg/160.webp', webp, 'image/webp', 'public, max-age=7200');
      await put(PRIMARY, 'thumbnails/new.jpg', original, 'image/jpeg', 'public, max-age=7200');
    });
    after(() => s3?.close());

    it('serves the replica copy of a variant (regional failover), with its own Cache-Control', async () => {
      const r = await handler()(get('/_variants/thumbnails/replicated.jpg/160.webp'));
      expect(r.statusCode).to.equal(200);
      expect(r.headers).to.deep.include({ [FALLBACK_HEADER]: 'replica', 'content-type': 'image/webp', 'cache-control': 'public, max-age=7200' });
      expect(Buffer.from(r.body, 'base64').equals(webp)).to.equal(true);
    });

    it('serves the original of a missing variant, cached briefly', async () => {
      const r = await handler()(get('/_variants/thumbnails/replicated.jpg/640.avif'));
      expect(r.statusCode).to.equal(200);
      expect(r.headers).to.deep.include({ [FALLBACK_HEADER]: 'original', 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=60' });
      expect(r.isBase64Encoded).to.equal(true);
      expect(Buffer.from(r.body, 'base64').equals(original)).to.equal(true);
    });

    it('reads the primary for an original that has not replicated yet', async () => {
      const r = await handler()(get('/_variants/thumbnails/new.jpg/320.webp'));
      expect(r.statusCode).to.equal(200);
      expect(r.headers[FALLBACK_HEADER]).to.equal('original');
      expect(Buffer.from(r.body, 'base64').equals(original)).to.equal(true);
    });

    it('answers HEAD with the length and no body, and 304 to a matching If-None-Match', async () => {
      const head = await handler()(get('/thumbnails/replicated.jpg', {}, 'HEAD'));
      expect(head.statusCode).to.equal(200);
      expect(head.headers['content-length']).to.equal(String(original.length));
      expect(head.body).to.equal('');
      const etag = head.headers.etag!;
      expect(etag).to.match(/^"[0-9a-f]{32}"$/);
      const cond = await handler()(get('/thumbnails/replicated.jpg', { 'If-None-Match': etag }));
      expect(cond.statusCode).to.equal(304);
      expect(cond.body).to.equal('');
    });

    it('answers 404 when neither bucket has the object or its original', async () => {
      const r = await handler()(get('/_variants/thumbnails/missing.jpg/640.avif'));
      expect(r.statusCode).to.equal(404);
      expect(r.body).to.equal('not found in the replica or the primary bucket: _variants/thumbnails/missing.jpg/640.avif\n');
    });

    it('refuses bodies over the function URL limit with 502, other methods with 405, bad paths with 400', async () => {
      const big = await handler(1000)(get('/thumbnails/replicated.jpg'));
      expect(big.statusCode).to.equal(502);
      expect(big.body).to.contain(`is ${original.length} bytes; the fallback returns at most 1000`);
      const post = await handler()(get('/thumbnails/replicated.jpg', {}, 'POST'));
      expect(post.statusCode).to.equal(405);
      expect(post.headers.allow).to.equal('GET, HEAD, OPTIONS');
      expect((await handler()(get('/thumbnails/%E0%A4%A'))).statusCode).to.equal(400);
    });

    it('works as the bundle the program deploys (esbuild, the Lambda entry point, settings from the environment)', async () => {
      const dir = tempDir('fallback-bundle');
      try {
        const file = join(dir.dir, 'index.js');
        writeFileSync(file, bundleLambda('image-fallback'));
        const settings = { primaryBucket: PRIMARY, primaryRegion: 'us-east-1', replicaBucket: REPLICA, replicaRegion: 'us-west-2' };
        const script = `require(${JSON.stringify(file)}).handler(${JSON.stringify(get('/_variants/thumbnails/new.jpg/640.avif'))}).then((r) => process.stdout.write('\\n' + JSON.stringify(r)))`;
        const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, ['-e', script], {
          env: {
            PATH: process.env.PATH, NODE_PATH: join(REPO, 'node_modules'), [FALLBACK_SETTINGS_VARIABLE]: JSON.stringify(settings),
            AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-west-2',
          },
          timeout: 30_000,
        }, (e, stdout, stderr) => (e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout))));
        // The handler logs one JSON line per request first; the result is the last line.
        const lines = out.trim().split('\n');
        expect(JSON.parse(lines[0]!)).to.deep.equal({ path: '/_variants/thumbnails/new.jpg/640.avif', status: 200, served: 'original' });
        const r = JSON.parse(lines[lines.length - 1]!) as { statusCode: number; headers: Record<string, string>; body: string };
        expect(r.statusCode).to.equal(200);
        expect(r.headers[FALLBACK_HEADER]).to.equal('original');
        expect(Buffer.from(r.body, 'base64').equals(original)).to.equal(true);
      } finally {
        dir.remove();
      }
    });

    it('rejects when S3 cannot be reached (the Lambda entry point answers 503)', async () => {
      const down = localS3Client('http://127.0.0.1:9');
      const h = createFallbackHandler(s3ObjectReader({ primary: { client: down, bucket: PRIMARY }, replica: { client: down, bucket: REPLICA } }), FALLBACK_DEFAULTS);
      let error: unknown;
      await h(get('/thumbnails/replicated.jpg')).catch((e: unknown) => { error = e; });
      down.destroy();
      expect(error).to.be.instanceOf(Error);
    });
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
      // An object only the replica has: the primary Region "lost" it.
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

    it('fails over to the replica for an object the primary does not have, and 404s when nobody has it', async () => {
      const r = await send(stack.edges[0]!.url, '/thumbnails/only-replica.jpg');
      expect(r.status).to.equal(200);
      expect(r.headers[FALLBACK_HEADER]).to.equal('replica');
      expect(r.body.equals(original)).to.equal(true);
      const missing = await send(stack.edges[0]!.url, '/thumbnails/nobody.jpg');
      expect(missing.status).to.equal(404);
    });
  });
});
