import { expect } from 'chai';
import {
  buildImageFunctionCode, buildNormalizeFunctionCode, buildOriginSelectFunctionCode, planRegionalViewerFunctions, viewerFunctionKey,
} from '../../lib/builders';
import { resolveCatalog } from '../../lib/catalog';
import { emulatedCloudFrontModule, loadOriginAwareHandler, type OriginSelection } from '../../lib/images/edge-runtime';
import { CLOUDFRONT_LIMITS } from '../../lib/semantics/limits';
import { planOriginRouting, selectOrigin } from '../../lib/routing';
import { viewerRequestEvent } from '../helpers/cloudfront-function';

const CONFIG = {
  region: 'us-east-1',
  originRegions: ['eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ap-southeast-2', 'ap-south-1'],
  metadataOriginDomains: { 'eu-central-1': 'metadata.eu.example.com' },
  apiOriginDomains: { 'eu-central-1': 'api.eu.example.com', 'ap-northeast-1': 'api.jp.example.com' },
};
const ROUTING = planOriginRouting(CONFIG);
/** Every origin id of the planned distribution (the emulation rejects others, as CloudFront does). */
const ORIGIN_IDS = [
  'video-primary', 'video-secondary', 'images-primary', 'images-fallback', 'static-primary', 'static-secondary', 'metadata', 'api',
  ...[...ROUTING.values()].flatMap((r) => r.regional.map((o) => o.originId)),
];

function event(uri: string, country: string | undefined, method = 'GET') {
  const e = viewerRequestEvent(uri, {}, country === undefined ? {} : { 'CloudFront-Viewer-Country': country });
  e.request.method = method;
  return e;
}

async function run(code: string, e: ReturnType<typeof event>, items: ReadonlyMap<string, string> = new Map()) {
  return loadOriginAwareHandler(code, items, { originIds: ORIGIN_IDS })(e);
}

describe('origin selection function (CloudFront Functions runtime emulation)', () => {
  const video = buildOriginSelectFunctionCode(ROUTING.get('video')!);

  // One viewer per Region, plus the primary's: each gets the group [regional, primary] or no change.
  const viewers: [string, string | undefined][] = [
    ['DE', 'video-eu-central-1'], ['JP', 'video-ap-northeast-1'], ['BR', 'video-sa-east-1'], ['AU', 'video-ap-southeast-2'], ['IN', 'video-ap-south-1'],
    ['US', undefined],
  ];
  for (const [country, originId] of viewers) {
    it(`sends a GET from ${country} to ${originId ?? 'the behavior target (primary group)'}`, async () => {
      const out = await run(video, event('/video/a/seg-1.ts', country));
      expect((out.result as { uri: string }).uri).to.equal('/video/a/seg-1.ts');
      if (originId === undefined) {
        expect(out.origin).to.equal(undefined);
      } else {
        expect(out.origin).to.deep.equal({
          kind: 'group', originIds: [originId, 'video-primary'], statusCodes: [500, 502, 503, 504], selectionCriteria: 'default',
        } satisfies OriginSelection);
      }
    });
  }

  it('agrees with the routing rule for every country it knows', async () => {
    const r = ROUTING.get('video')!;
    for (const country of ['DE', 'FR', 'GB', 'JP', 'KR', 'BR', 'AR', 'AU', 'NZ', 'IN', 'SG', 'ZA', 'US', 'CA', 'MX']) {
      const out = await run(video, event('/video/x.ts', country));
      const choice = selectOrigin(r, country);
      expect(out.origin?.kind === 'group' ? out.origin.originIds[0] : undefined, country).to.equal(choice.regional ? choice.originId : undefined);
    }
  });

  it('leaves the origin alone without the country header or for an unknown code', async () => {
    expect((await run(video, event('/video/x.ts', undefined))).origin).to.equal(undefined);
    expect((await run(video, event('/video/x.ts', 'ZZ'))).origin).to.equal(undefined);
  });

  it('fails images over to the fallback origin, on its failover statuses', async () => {
    const code = buildImageFunctionCode(ROUTING.get('images'));
    const out = await run(code, event('/thumbnails/a.jpg', 'JP'));
    expect(out.origin).to.deep.equal({
      kind: 'group', originIds: ['images-ap-northeast-1', 'images-fallback'], statusCodes: [403, 404, 500, 502, 503, 504], selectionCriteria: 'default',
    });
  });

  it('selects the regional API origin by id for a POST (origin groups fail over for GET, HEAD and OPTIONS only)', async () => {
    const code = buildOriginSelectFunctionCode(ROUTING.get('api')!);
    expect((await run(code, event('/api/user/profile', 'DE', 'POST'))).origin).to.deep.equal({ kind: 'origin', originId: 'api-eu-central-1' });
    expect((await run(code, event('/api/user/profile', 'JP', 'GET'))).origin).to.deep.include({ kind: 'group', originIds: ['api-ap-northeast-1', 'api'] });
    expect((await run(code, event('/api/user/profile', 'BR', 'POST'))).origin).to.equal(undefined);
  });

  it('still normalizes when composed with the URL normalization function', async () => {
    const code = buildNormalizeFunctionCode({}, ROUTING.get('static'));
    const e = event('/static//js/./app.js', 'DE');
    const out = await run(code, e);
    expect((out.result as { uri: string }).uri).to.equal('/static/js/app.js');
    expect(out.origin).to.deep.include({ kind: 'group', originIds: ['static-eu-central-1', 'static-primary'] });
  });

  it('still negotiates the image variant when composed with the image function', async () => {
    const code = buildImageFunctionCode(ROUTING.get('images'));
    const index = new Map([['thumbnails/show-1/poster.jpg', 'w=320,640,1000;f=avif,webp;b=jpeg']]);
    const e = viewerRequestEvent('/thumbnails/show-1/poster.jpg', { width: '300' }, { accept: 'image/avif,image/webp,*/*', 'CloudFront-Viewer-Country': 'BR' });
    const out = await loadOriginAwareHandler(code, index, { originIds: ORIGIN_IDS })(e);
    expect((out.result as { uri: string }).uri).to.equal('/_variants/thumbnails/show-1/poster.jpg/320.avif');
    expect(out.origin).to.deep.include({ originIds: ['images-sa-east-1', 'images-fallback'] });
  });

  it('keeps every regional function within the 10 KB code limit', () => {
    for (const f of planRegionalViewerFunctions(resolveCatalog({}), ROUTING)) {
      expect(Buffer.byteLength(f.code), f.key).to.be.at.most(CLOUDFRONT_LIMITS.functionMaxBytes);
      expect(f.code.split('\n')[0], f.key).to.equal("import cf from 'cloudfront';");
    }
  });
});

describe('regional viewer functions per route', () => {
  const catalog = resolveCatalog({});
  it('plans one function per (kind, origin): selection alone, or composed with normalization or image negotiation', () => {
    const keys = planRegionalViewerFunctions(catalog, ROUTING).map((f) => f.key);
    expect(keys.sort()).to.deep.equal(['image-images', 'normalize-static', 'select-api', 'select-metadata', 'select-video']);
    const img = planRegionalViewerFunctions(catalog, ROUTING).find((f) => f.key === 'image-images')!;
    expect(img.usesKeyValueStore).to.equal(true);
  });

  it('keeps the shared functions (or none) for routes whose origin has no regional copy', () => {
    const none = new Map();
    const byId = new Map(catalog.routes.map((r) => [r.id, r]));
    expect(viewerFunctionKey(byId.get('static')!, none)).to.equal('normalize');
    expect(viewerFunctionKey(byId.get('thumbnails')!, none)).to.equal('image');
    expect(viewerFunctionKey(byId.get('video')!, none)).to.equal(undefined);
    expect(viewerFunctionKey(byId.get('video')!, ROUTING)).to.equal('select-video');
  });
});

describe('cloudfront module emulation: origin modification helpers', () => {
  const record: OriginSelection[] = [];
  const cf = emulatedCloudFrontModule(new Map(), { originIds: ['a', 'b'] }, (s) => record.push(s));

  it('records a selection by id and a created group', () => {
    cf.selectRequestOriginById('a');
    cf.createRequestOriginGroup({ originIds: ['b', 'a'], failoverCriteria: { statusCodes: [500, 503] } });
    cf.updateRequestOrigin({ domainName: 'x.example.com' });
    expect(record).to.deep.equal([
      { kind: 'origin', originId: 'a' },
      { kind: 'group', originIds: ['b', 'a'], statusCodes: [500, 503], selectionCriteria: 'default' },
      { kind: 'update', properties: { domainName: 'x.example.com' } },
    ]);
  });

  const bad: [string, () => void, RegExp][] = [
    ['an origin the distribution does not have', () => cf.selectRequestOriginById('c'), /'c' is not an origin of this distribution/],
    ['a group of one origin', () => cf.createRequestOriginGroup({ originIds: ['a'], failoverCriteria: { statusCodes: [500] } }), /exactly two origin ids/],
    ['a group of the same origin twice', () => cf.createRequestOriginGroup({ originIds: ['a', 'a'], failoverCriteria: { statusCodes: [500] } }), /must differ/],
    ['a failover status CloudFront does not offer', () => cf.createRequestOriginGroup({ originIds: ['a', 'b'], failoverCriteria: { statusCodes: [501] } }), /statusCodes must be a non-empty list of 400, 403/],
    ['an unknown selection criteria', () => cf.createRequestOriginGroup({ originIds: ['a', 'b'], failoverCriteria: { statusCodes: [500] }, selectionCriteria: 'fastest' }), /selectionCriteria/],
  ];
  for (const [what, fn, msg] of bad) it(`throws for ${what}`, () => expect(fn).to.throw(msg));

  it('keeps concurrent requests apart: each run reports its own selection', async () => {
    const code = buildOriginSelectFunctionCode(ROUTING.get('video')!);
    const h = loadOriginAwareHandler(code, new Map(), { originIds: ORIGIN_IDS });
    const [de, us, jp] = await Promise.all([h(event('/v', 'DE')), h(event('/v', 'US')), h(event('/v', 'JP'))]);
    expect(de.origin).to.deep.include({ originIds: ['video-eu-central-1', 'video-primary'] });
    expect(us.origin).to.equal(undefined);
    expect(jp.origin).to.deep.include({ originIds: ['video-ap-northeast-1', 'video-primary'] });
  });
});
