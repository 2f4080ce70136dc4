import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import {
  buildManifest, invalidationPathsFor, kvsBytes, manifestIsCurrent, manifestKey, parseManifest, parseOptimizeSettings,
  settingsHash, srcsetFor, uriPathOfKey, variantCacheControl, variantIndexItem, type RawOptimizeOptions,
} from '../../lib/images';

describe('optimize settings', () => {
  it('defaults to AVIF and WebP at 320/640/1280, auto quality at SSIM 0.98, no crop', () => {
    expect(parseOptimizeSettings({})).to.deep.equal({ formats: ['avif', 'webp'], sizes: [320, 640, 1280], quality: 'auto', ssimThreshold: 0.98, crop: 'attention', maxInputPixels: 40_000_000 });
  });

  it('reads every option', () => {
    expect(parseOptimizeSettings({ formats: 'webp', sizes: '1280,320,320', quality: '70', aspect: '16:9', crop: 'entropy', maxPixels: '1000' }))
      .to.deep.equal({ formats: ['webp'], sizes: [320, 1280], quality: 70, ssimThreshold: 0.98, aspect: { width: 16, height: 9 }, crop: 'entropy', maxInputPixels: 1000 });
  });

  it('puts formats in preference order whatever order they are given in', () => {
    expect(parseOptimizeSettings({ formats: 'WEBP, avif' }).formats).to.deep.equal(['avif', 'webp']);
  });

  const bad: [string, RawOptimizeOptions, string[]][] = [
    ['an unknown format', { formats: 'avif,jxl' }, ["--formats: unknown format 'jxl'; use a comma-separated subset of avif,webp (the source's own format is always written as the fallback)."]],
    ['a baseline format in --formats', { formats: 'jpeg' }, ["--formats: unknown format 'jpeg'; use a comma-separated subset of avif,webp (the source's own format is always written as the fallback)."]],
    ['a size off the ladder', { sizes: '300,640' }, ["--sizes: '300' is not on the edge's size ladder; use widths from 160,320,480,640,960,1280,1920,2560,3840 (the edge rounds requested widths up to that ladder, so other widths would never be picked)."]],
    ['an empty size list', { sizes: ',' }, ["--sizes: no size given; use widths from 160,320,480,640,960,1280,1920,2560,3840 (the edge rounds requested widths up to that ladder, so other widths would never be picked)."]],
    ['quality 0', { quality: '0' }, ["--quality must be 'auto' or a whole number from 1 to 100, got '0'."]],
    ['an SSIM above 1', { ssim: '1.2' }, ['--ssim must be a number in (0, 1], got \'1.2\'; 0.98 means "looks the same".']],
    ['--ssim with a fixed quality', { quality: '80', ssim: '0.99' }, ["--ssim only applies with --quality auto, but --quality is '80'; drop one of them."]],
    ['a bad aspect', { aspect: '16x9' }, ["--aspect must be width:height such as 16:9 or 1:1, got '16x9'."]],
    ['--crop without --aspect', { crop: 'center' }, ['--crop center needs --aspect (e.g. --aspect 16:9): without a target aspect ratio nothing is cropped.']],
    ['an unknown crop', { crop: 'faces', aspect: '1:1' }, ["--crop must be one of attention, entropy, center, got 'faces'."]],
    ['a zero pixel limit', { maxPixels: '0' }, ['--max-pixels must be a whole number of pixels from 1 to 268402689, got \'0\'.']],
  ];
  for (const [name, raw, problems] of bad) {
    it(`rejects ${name}`, () => {
      try {
        parseOptimizeSettings(raw);
        expect.fail('no error');
      } catch (e) {
        expect(e).to.be.instanceOf(InputError);
        expect((e as InputError).problems).to.deep.equal(problems);
      }
    });
  }

  it('reports every problem at once', () => {
    const err = (() => { try { parseOptimizeSettings({ formats: 'x', sizes: '1', quality: 'best' }); } catch (e) { return e as InputError; } })();
    expect(err!.problems).to.have.length(3);
  });

  it('changes the settings hash with anything that changes the output, and only then', () => {
    const base = settingsHash(parseOptimizeSettings({}));
    expect(settingsHash(parseOptimizeSettings({ formats: 'avif,webp', sizes: '640,320,1280' }))).to.equal(base);
    expect(settingsHash(parseOptimizeSettings({ crop: undefined, maxPixels: '1000' }))).to.equal(base);
    for (const raw of [{ formats: 'webp' }, { sizes: '320' }, { quality: '80' }, { ssim: '0.99' }, { aspect: '1:1' }] as RawOptimizeOptions[]) {
      expect(settingsHash(parseOptimizeSettings(raw)), JSON.stringify(raw)).to.not.equal(base);
    }
  });

  it('caches variants for the thumbnails route default TTL', () => {
    expect(variantCacheControl()).to.equal('public, max-age=7200, stale-while-revalidate=7200, stale-if-error=7200');
  });
});

describe('variant keys, index items and manifests', () => {
  const paths: [string, string][] = [
    ['thumbnails/a.jpg', 'thumbnails/a.jpg'],
    ['thumbnails/my poster.jpg', 'thumbnails/my%20poster.jpg'],
    ['thumbnails/café.jpg', 'thumbnails/caf%C3%A9.jpg'],
    ['thumbnails/100%.jpg', 'thumbnails/100%25.jpg'],
    ['thumbnails/a#b?c.jpg', 'thumbnails/a%23b%3Fc.jpg'],
    ["thumbnails/(x)+y,z=1&k!'~@.jpg", "thumbnails/(x)+y,z=1&k!'~@.jpg"],
  ];
  for (const [key, want] of paths) it(`writes the URI path of '${key}' as a browser sends it`, () => expect(uriPathOfKey(key)).to.equal(want));

  it('invalidates the original and every variant of it with two paths', () => {
    expect(invalidationPathsFor('thumbnails/my poster.jpg')).to.deep.equal(['/thumbnails/my%20poster.jpg', '/_variants/thumbnails/my%20poster.jpg/*']);
  });

  it('makes the KeyValueStore item of an original', () => {
    expect(variantIndexItem('thumbnails/café.jpg', { widths: [640, 320], formats: ['webp', 'avif'], baseline: 'jpeg' }))
      .to.deep.equal({ key: 'thumbnails/caf%C3%A9.jpg', value: 'w=320,640;f=avif,webp;b=jpeg' });
    expect(kvsBytes([{ key: 'ab', value: 'cde' }, { key: 'é', value: '' }])).to.equal(7);
  });

  it('refuses a key longer than a KeyValueStore key holds', () => {
    const item = variantIndexItem(`thumbnails/${'x'.repeat(600)}.jpg`, { widths: [320], formats: [], baseline: 'jpeg' });
    expect(item).to.have.property('problem').that.matches(/is 615 bytes as a URI path; a KeyValueStore key holds at most 512/);
  });

  it('builds srcset from the negotiated URL, one entry per width', () => {
    expect(srcsetFor('thumbnails/a b.jpg', [640, 320, 1000])).to.equal('/thumbnails/a%20b.jpg?width=320 320w, /thumbnails/a%20b.jpg?width=640 640w, /thumbnails/a%20b.jpg?width=1000 1000w');
  });

  const manifest = buildManifest({
    original: { key: 'thumbnails/a.jpg', bytes: 100, sha256: 'abc', etag: 'e1', format: 'jpeg', width: 800, height: 600 },
    settingsHash: 'h1',
    index: { widths: [320], formats: ['webp'], baseline: 'jpeg' },
    variants: [{ key: '_variants/thumbnails/a.jpg/320.webp', format: 'webp', width: 320, height: 240, bytes: 10, contentType: 'image/webp', quality: 80, ssim: 0.985 }],
  });

  it('stores the manifest next to the variants and round-trips it', () => {
    expect(manifestKey('thumbnails/a.jpg')).to.equal('_variants/thumbnails/a.jpg/manifest.json');
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)), 'm.json')).to.deep.equal(manifest);
    expect(manifest.invalidationPaths).to.deep.equal(['/thumbnails/a.jpg', '/_variants/thumbnails/a.jpg/*']);
  });

  const current: [string, { etag?: string; sha256?: string; settingsHash: string }, boolean][] = [
    ['same ETag and settings', { etag: 'e1', settingsHash: 'h1' }, true],
    ['same content hash and settings, other ETag', { etag: 'e2', sha256: 'abc', settingsHash: 'h1' }, true],
    ['other ETag, content not hashed yet', { etag: 'e2', settingsHash: 'h1' }, false],
    ['other content', { sha256: 'def', settingsHash: 'h1' }, false],
    ['other settings', { etag: 'e1', sha256: 'abc', settingsHash: 'h2' }, false],
  ];
  for (const [name, source, want] of current) it(`treats a manifest as ${want ? 'current' : 'stale'} with ${name}`, () => expect(manifestIsCurrent(manifest, source)).to.equal(want));

  const badManifests: [string, unknown, RegExp][] = [
    ['not an object', [], /m\.json is not an image manifest/],
    ['another version', { ...manifest, manifestVersion: 2 }, /manifestVersion 2, this version reads 1/],
    ['no content hash', { ...manifest, original: { key: 'k', bytes: 1 } }, /'original' must have key, bytes and sha256/],
    ['an empty index', { ...manifest, index: { widths: [], formats: [], baseline: 'jpeg' } }, /'index' must have widths/],
    ['an unknown variant format', { ...manifest, variants: [{ key: 'k', format: 'bmp' }] }, /'variants' must be a list/],
  ];
  for (const [name, raw, message] of badManifests) it(`rejects a manifest with ${name}`, () => expect(() => parseManifest(raw, 'm.json')).to.throw(InputError, message));
});
