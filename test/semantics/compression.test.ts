import { expect } from 'chai';
import {
  COMPRESSIBLE_CONTENT_TYPES,
  compressionDecision,
  describeCompressionReason,
  isCompressibleContentType,
  MAX_COMPRESSIBLE_BYTES,
  MIN_COMPRESSIBLE_BYTES,
  weakenEtag,
  type CompressionDecision,
  type CompressionInput,
  type CompressionSkipReason,
} from '../../lib/semantics';

/** A response CloudFront compresses; each case changes one property. */
const HAPPY: CompressionInput = {
  behaviorCompress: true,
  policyGzip: true,
  policyBrotli: true,
  httpVersion: '2',
  acceptEncoding: 'gzip, deflate, br',
  contentLength: 5000,
  status: 200,
  contentType: 'text/html; charset=utf-8',
};

describe('semantics/compression (spec §6)', () => {
  describe('compressionDecision (spec §6.1)', () => {
    const cases: { name: string; change: Partial<CompressionInput>; expected: CompressionDecision }[] = [
      { name: 'compresses with Brotli when both are possible', change: {}, expected: { compress: true, encoding: 'br', reason: 'compressed' } },
      { name: 'uses gzip for a gzip-only viewer', change: { acceptEncoding: 'gzip' }, expected: { compress: true, encoding: 'gzip', reason: 'compressed' } },
      { name: 'uses gzip when the policy enables only gzip', change: { policyBrotli: false }, expected: { compress: true, encoding: 'gzip', reason: 'compressed' } },
      { name: 'does not compress 999 bytes', change: { contentLength: 999 }, expected: { compress: false, reason: 'too-small' } },
      { name: 'compresses exactly 1,000 bytes (inclusive)', change: { contentLength: 1000 }, expected: { compress: true, encoding: 'br', reason: 'compressed' } },
      { name: 'compresses exactly 10,000,000 bytes (inclusive)', change: { contentLength: 10_000_000 }, expected: { compress: true, encoding: 'br', reason: 'compressed' } },
      { name: 'does not compress 10,000,001 bytes', change: { contentLength: 10_000_001 }, expected: { compress: false, reason: 'too-large' } },
      { name: 'Content-Encoding: identity blocks compression', change: { contentEncoding: 'identity' }, expected: { compress: false, reason: 'already-encoded' } },
      { name: 'an already gzipped body is not recompressed', change: { contentEncoding: 'gzip' }, expected: { compress: false, reason: 'already-encoded' } },
      { name: '206 is never compressed', change: { status: 206 }, expected: { compress: false, reason: 'status-not-compressible' } },
      { name: 'a range response is never compressed', change: { isRangeResponse: true }, expected: { compress: false, reason: 'range-response' } },
      { name: '403 is compressed', change: { status: 403 }, expected: { compress: true, encoding: 'br', reason: 'compressed' } },
      { name: '404 is compressed', change: { status: 404 }, expected: { compress: true, encoding: 'br', reason: 'compressed' } },
      { name: '500 is not compressed', change: { status: 500 }, expected: { compress: false, reason: 'status-not-compressible' } },
      { name: 'HTTP/1.0 viewers are not served compressed objects', change: { httpVersion: '1.0' }, expected: { compress: false, reason: 'http-1.0' } },
      { name: "an 'HTTP/1.0' spelling is recognised", change: { httpVersion: 'HTTP/1.0' }, expected: { compress: false, reason: 'http-1.0' } },
      { name: 'a viewer accepting only deflate gets no compression', change: { acceptEncoding: 'deflate' }, expected: { compress: false, reason: 'viewer-no-gzip-br' } },
      { name: 'a viewer without Accept-Encoding gets no compression', change: { acceptEncoding: undefined }, expected: { compress: false, reason: 'viewer-no-gzip-br' } },
      { name: 'a br-only viewer gets nothing when only gzip is enabled', change: { acceptEncoding: 'br', policyBrotli: false }, expected: { compress: false, reason: 'viewer-encoding-not-enabled' } },
      { name: 'a missing Content-Length (chunked) blocks compression', change: { contentLength: undefined }, expected: { compress: false, reason: 'size-unknown' } },
      { name: 'an invalid Content-Length blocks compression', change: { contentLength: Number.NaN }, expected: { compress: false, reason: 'size-unknown' } },
      { name: 'a negative Content-Length blocks compression', change: { contentLength: -1 }, expected: { compress: false, reason: 'size-unknown' } },
      { name: 'Compress off on the behaviour wins over everything', change: { behaviorCompress: false }, expected: { compress: false, reason: 'behavior-compress-off' } },
      { name: 'a policy without gzip or Brotli blocks compression', change: { policyGzip: false, policyBrotli: false }, expected: { compress: false, reason: 'policy-no-accept-encoding' } },
      { name: 'caching disabled blocks compression', change: { cachingDisabled: true }, expected: { compress: false, reason: 'caching-disabled' } },
      { name: 'image/jpeg is not compressed', change: { contentType: 'image/jpeg' }, expected: { compress: false, reason: 'content-type-not-compressible' } },
      { name: 'video/mp2t segments are not compressed', change: { contentType: 'video/mp2t' }, expected: { compress: false, reason: 'content-type-not-compressible' } },
      { name: 'HLS manifests are compressed', change: { contentType: 'application/vnd.apple.mpegurl' }, expected: { compress: true, encoding: 'br', reason: 'compressed' } },
      { name: 'a missing Content-Type blocks compression', change: { contentType: undefined }, expected: { compress: false, reason: 'content-type-not-compressible' } },
    ];
    for (const c of cases) it(c.name, () => expect(compressionDecision({ ...HAPPY, ...c.change })).to.deep.equal(c.expected));

    it('uses inclusive bounds of 1,000 and 10,000,000 bytes', () => {
      expect([MIN_COMPRESSIBLE_BYTES, MAX_COMPRESSIBLE_BYTES]).to.deep.equal([1000, 10_000_000]);
    });
  });

  describe('isCompressibleContentType (spec §6.2)', () => {
    const cases: [string | undefined, boolean][] = [
      ['text/html', true],
      ['TEXT/HTML', true],
      ['application/json; charset=utf-8', true],
      ['application/dash+xml', true],
      ['application/wasm', true],
      ['vnd.apple.mpegurl', true],
      ['image/png', false],
      ['application/octet-stream', false],
      ['text/html-foo', false],
      [undefined, false],
      ['', false],
    ];
    for (const [ct, expected] of cases) it(`${JSON.stringify(ct)} ⇒ ${expected}`, () => expect(isCompressibleContentType(ct)).to.equal(expected));

    it('holds exactly the 48 media types of the spec list', () => {
      expect(COMPRESSIBLE_CONTENT_TYPES.size).to.equal(48);
    });
  });

  describe('describeCompressionReason', () => {
    const reasons: (CompressionSkipReason | 'compressed')[] = [
      'compressed', 'behavior-compress-off', 'policy-no-accept-encoding', 'caching-disabled', 'http-1.0', 'viewer-no-gzip-br',
      'viewer-encoding-not-enabled', 'already-encoded', 'size-unknown', 'too-small', 'too-large', 'status-not-compressible',
      'range-response', 'content-type-not-compressible',
    ];
    it('has a sentence for every reason', () => {
      for (const r of reasons) expect(describeCompressionReason(r)).to.match(/^[A-Z].+\.$/);
    });
    it('states the size bound in the too-small sentence', () => {
      expect(describeCompressionReason('too-small')).to.include('1000 bytes');
    });
  });

  describe('weakenEtag (spec §6.3)', () => {
    const cases: [string | undefined, string | undefined, string][] = [
      ['"abc"', 'W/"abc"', 'makes a strong ETag weak'],
      ['W/"abc"', 'W/"abc"', 'leaves a weak ETag unchanged'],
      ['abc', undefined, 'removes an ETag not starting with a quote or W/'],
      ['', undefined, 'removes an empty ETag'],
      [undefined, undefined, 'passes through an absent ETag'],
    ];
    for (const [input, expected, name] of cases) it(name, () => expect(weakenEtag(input)).to.equal(expected));
  });
});
