import { expect } from 'chai';
import { buildNormalizeFunctionCode } from '../../lib/builders';
import { CLOUDFRONT_LIMITS } from '../../lib/semantics/limits';
import { loadFunction, queryString, viewerRequestEvent } from '../helpers/cloudfront-function';

describe('URL normalization CloudFront Function', () => {
  const code = buildNormalizeFunctionCode();
  const handler = loadFunction(code);

  it('fits in the 10 KB CloudFront Functions size limit', () => {
    expect(Buffer.byteLength(code)).to.be.below(CLOUDFRONT_LIMITS.functionMaxBytes);
  });

  const cases: [string, string, Record<string, string>, string, string][] = [
    ['collapses repeated slashes', '/static//js///app.js', {}, '/static/js/app.js', ''],
    ['drops ./ segments', '/static/./css/./site.css', {}, '/static/css/site.css', ''],
    ['adds index.html to a directory path', '/static/docs/', {}, '/static/docs/index.html', ''],
    ['keeps a plain path as it is', '/thumbnails/v1/poster.jpg', {}, '/thumbnails/v1/poster.jpg', ''],
    ['keeps case (paths are case-sensitive)', '/thumbnails/V1/Poster.JPG', {}, '/thumbnails/V1/Poster.JPG', ''],
    ['drops query parameters that are not in the key', '/thumbnails/a.jpg', { utm_source: 'x', width: '320' }, '/thumbnails/a.jpg', 'width=320'],
    ['puts image parameters in a fixed order', '/thumbnails/a.jpg', { format: 'webp', height: '160', width: '320' }, '/thumbnails/a.jpg', 'width=320&height=160&format=webp'],
    ['lower-cases parameter names', '/thumbnails/a.jpg', { Width: '320' }, '/thumbnails/a.jpg', 'width=320'],
    ['rounds a width up to the size ladder', '/thumbnails/a.jpg', { width: '300' }, '/thumbnails/a.jpg', 'width=320'],
    ['caps a width at the largest size', '/thumbnails/a.jpg', { width: '9000' }, '/thumbnails/a.jpg', 'width=3840'],
    ['drops a width that is not a number', '/thumbnails/a.jpg', { width: 'big' }, '/thumbnails/a.jpg', ''],
    ['drops a zero width', '/thumbnails/a.jpg', { width: '0' }, '/thumbnails/a.jpg', ''],
    ['rounds quality to a step of 5', '/thumbnails/a.jpg', { quality: '83' }, '/thumbnails/a.jpg', 'quality=85'],
    ['clamps quality into 30..95', '/thumbnails/a.jpg', { quality: '100' }, '/thumbnails/a.jpg', 'quality=95'],
    ['maps jpg to jpeg', '/thumbnails/a.jpg', { format: 'JPG' }, '/thumbnails/a.jpg', 'format=jpeg'],
    ['drops an unknown format', '/thumbnails/a.jpg', { format: 'bmp' }, '/thumbnails/a.jpg', ''],
  ];
  for (const [name, uri, query, wantUri, wantQuery] of cases) {
    it(name, () => {
      const out = handler(viewerRequestEvent(uri, query));
      expect(out.uri).to.equal(wantUri);
      expect(queryString(out)).to.equal(wantQuery);
    });
  }

  it('maps equivalent requests to one cache key', () => {
    const a = handler(viewerRequestEvent('/thumbnails//a.jpg', { height: '170', width: '310', utm: '1' }));
    const b = handler(viewerRequestEvent('/thumbnails/a.jpg', { width: '320', height: '180' }));
    expect([a.uri, queryString(a)]).to.deep.equal([b.uri, queryString(b)]);
  });
});
