import { expect } from 'chai';
import { buildBehavior, buildDefaultBehavior, buildImageFunctionCode, buildOrderedBehaviors, type BehaviorRefs } from '../../lib/builders';
import { resolveCatalog } from '../../lib/catalog';
import { CLOUDFRONT_MODULE_IMPORT, emulatedCloudFrontModule, loadViewerRequestHandler } from '../../lib/images';
import { CLOUDFRONT_LIMITS } from '../../lib/semantics/limits';
import { queryString, viewerRequestEvent, type CfRequest } from '../helpers/cloudfront-function';

const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const SAFARI_15 = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5';
const FIREFOX = 'image/avif,image/webp,*/*';
const EDGE_LEGACY = 'image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';
const TV_APP = '*/*';

/** The index the pipeline would write for two processed originals (one PNG with an AVIF that did not pay off). */
const INDEX = new Map([
  ['thumbnails/show-1/poster.jpg', 'w=320,640,1000;f=avif,webp;b=jpeg'],
  ['previews/show-1/logo.png', 'w=160,320;f=webp;b=png'],
  ['thumbnails/caf%C3%A9/still.jpg', 'w=320;f=avif,webp;b=jpeg'],
]);

describe('image negotiation CloudFront Function (cloudfront-js-2.0, run in Node with the event shape)', () => {
  const code = buildImageFunctionCode();
  const handler = loadViewerRequestHandler(code, emulatedCloudFrontModule(INDEX));
  const run = async (uri: string, query: Record<string, string> = {}, accept?: string): Promise<CfRequest> =>
    (await handler(viewerRequestEvent(uri, query, accept === undefined ? {} : { accept }))) as CfRequest;

  it('fits in the 10 KB CloudFront Functions size limit', () => {
    expect(Buffer.byteLength(code)).to.be.below(CLOUDFRONT_LIMITS.functionMaxBytes);
  });

  it('imports the cloudfront module on its first line, as KeyValueStore access requires', () => {
    expect(code.split('\n')[0]).to.equal(CLOUDFRONT_MODULE_IMPORT);
    expect(code).to.include('async function handler(event)');
  });

  // Accept header × requested width → rewritten URI. Query strings are always emptied.
  const table: [string, string | undefined, Record<string, string>, string][] = [
    ['Chrome, width 320', CHROME, { width: '320' }, '/_variants/thumbnails/show-1/poster.jpg/320.avif'],
    ['Chrome, width 300 (ladder 320)', CHROME, { width: '300' }, '/_variants/thumbnails/show-1/poster.jpg/320.avif'],
    ['Chrome, width 500 (ladder 640)', CHROME, { width: '500' }, '/_variants/thumbnails/show-1/poster.jpg/640.avif'],
    ['Chrome, width 700 (ladder 960, next variant 1000)', CHROME, { width: '700' }, '/_variants/thumbnails/show-1/poster.jpg/1000.avif'],
    ['Chrome, width 3000 (no upscale)', CHROME, { width: '3000' }, '/_variants/thumbnails/show-1/poster.jpg/1000.avif'],
    ['Chrome, no width', CHROME, {}, '/_variants/thumbnails/show-1/poster.jpg/1000.avif'],
    ['Firefox, width 640', FIREFOX, { width: '640' }, '/_variants/thumbnails/show-1/poster.jpg/640.avif'],
    ['Safari 15, width 320', SAFARI_15, { width: '320' }, '/_variants/thumbnails/show-1/poster.jpg/320.webp'],
    ['Safari 15, width 1280', SAFARI_15, { width: '1280' }, '/_variants/thumbnails/show-1/poster.jpg/1000.webp'],
    ['legacy Edge, width 640', EDGE_LEGACY, { width: '640' }, '/_variants/thumbnails/show-1/poster.jpg/640.jpg'],
    ['a TV app (*/*), width 320', TV_APP, { width: '320' }, '/_variants/thumbnails/show-1/poster.jpg/320.jpg'],
    ['no Accept header, width 320', undefined, { width: '320' }, '/_variants/thumbnails/show-1/poster.jpg/320.jpg'],
    ['Chrome with avif;q=0, width 320', 'image/avif;q=0,image/webp,*/*', { width: '320' }, '/_variants/thumbnails/show-1/poster.jpg/320.webp'],
    ['Chrome asking format=jpg', CHROME, { width: '320', format: 'jpg' }, '/_variants/thumbnails/show-1/poster.jpg/320.jpg'],
    ['Chrome asking Format=WEBP (names and values normalized)', CHROME, { Width: '320', Format: 'WEBP' }, '/_variants/thumbnails/show-1/poster.jpg/320.webp'],
    ['Chrome on a PNG whose AVIF was not kept', CHROME, { width: '320' }, '/_variants/previews/show-1/logo.png/320.webp'],
    ['a TV app on a PNG', TV_APP, { width: '100' }, '/_variants/previews/show-1/logo.png/160.png'],
  ];
  for (const [name, accept, query, want] of table) {
    const uri = name.includes('PNG') ? '/previews/show-1/logo.png' : '/thumbnails/show-1/poster.jpg';
    it(`rewrites for ${name}`, async () => {
      const out = await run(uri, query, accept);
      expect([out.uri, queryString(out)]).to.deep.equal([want, '']);
    });
  }

  it('normalizes the path before looking the original up', async () => {
    const out = await run('/thumbnails//show-1/./poster.jpg', { width: '320' }, CHROME);
    expect(out.uri).to.equal('/_variants/thumbnails/show-1/poster.jpg/320.avif');
  });

  it('looks up percent-encoded paths as the viewer sent them', async () => {
    const out = await run('/thumbnails/caf%C3%A9/still.jpg', { width: '640' }, SAFARI_15);
    expect(out.uri).to.equal('/_variants/thumbnails/caf%C3%A9/still.jpg/320.webp');
  });

  it('serves an original that is not indexed as it is, without parameters', async () => {
    const out = await run('/thumbnails/new/upload.jpg', { width: '320', quality: '80', utm_source: 'mail' }, CHROME);
    expect([out.uri, queryString(out)]).to.deep.equal(['/thumbnails/new/upload.jpg', '']);
  });

  it('serves the original when the index value is unusable', async () => {
    const h = loadViewerRequestHandler(code, emulatedCloudFrontModule(new Map([['thumbnails/a.jpg', 'not an index']])));
    const out = (await h(viewerRequestEvent('/thumbnails/a.jpg', { width: '320' }, { accept: CHROME }))) as CfRequest;
    expect(out.uri).to.equal('/thumbnails/a.jpg');
  });

  it('serves the original when the KeyValueStore cannot be read', async () => {
    const h = loadViewerRequestHandler(code, emulatedCloudFrontModule(INDEX, { failing: true }));
    const out = (await h(viewerRequestEvent('/thumbnails/show-1/poster.jpg', { width: '320' }, { accept: CHROME }))) as CfRequest;
    expect([out.uri, queryString(out)]).to.deep.equal(['/thumbnails/show-1/poster.jpg', '']);
  });

  it('gives one cache key per choice, never one per Accept header', async () => {
    const accepts = [CHROME, FIREFOX, 'image/avif,*/*', 'image/webp,image/avif', 'IMAGE/AVIF;q=0.9'];
    const keys = new Set<string>();
    for (const [i, a] of accepts.entries()) {
      const out = await run('/thumbnails/show-1/poster.jpg', { width: '320', utm: `campaign-${i}` }, a);
      keys.add(`${out.uri}?${queryString(out)}`);
    }
    expect([...keys]).to.deep.equal(['/_variants/thumbnails/show-1/poster.jpg/320.avif?']);
  });

  it('leaves the Accept header itself untouched (it is not in the cache key)', async () => {
    const out = await run('/thumbnails/show-1/poster.jpg', { width: '320' }, CHROME);
    expect(out.headers).to.deep.equal({ accept: { value: CHROME } });
  });
});

describe('thumbnails behaviors get the image function', () => {
  const catalog = resolveCatalog();
  const refs: BehaviorRefs<string> = {
    cachePolicyId: () => 'cp', responseHeadersPolicyId: 'rhp', trustedKeyGroupId: 'kg', normalizeFunctionArn: 'normalize-fn', imageFunctionArn: 'image-fn',
  };

  it('associates the image function with /thumbnails/* and /previews/*, the normalization elsewhere', () => {
    const byPattern = Object.fromEntries(buildOrderedBehaviors(catalog, refs).filter((b) => b.functionAssociations).map((b) => [b.pathPattern, b.functionAssociations!.map((f) => f.functionArn)]));
    expect(byPattern).to.deep.equal({
      '/thumbnails/*': ['image-fn'], '/previews/*': ['image-fn'], '/static/*': ['normalize-fn'], '/fonts/*': ['normalize-fn'],
    });
    expect(buildDefaultBehavior(catalog, refs).functionAssociations).to.deep.equal([{ eventType: 'viewer-request', functionArn: 'normalize-fn' }]);
  });

  it('uses the normalization function for a route that does not ask for the image one', () => {
    const route = { ...catalog.route('thumbnails'), viewerFunction: undefined };
    expect(buildBehavior(route, refs).functionAssociations).to.deep.equal([{ eventType: 'viewer-request', functionArn: 'normalize-fn' }]);
  });
});
