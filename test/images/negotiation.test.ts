import { expect } from 'chai';
import {
  acceptsToken, chooseVariant, encodeVariantIndex, parseVariantIndex, variantKey, variantPath,
  type VariantFormat,
} from '../../lib/images';

const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const SAFARI_15 = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5';
const FIREFOX = 'image/avif,image/webp,*/*';
const OLD = '*/*';

describe('image negotiation rule: the variant index value', () => {
  const cases: [string, unknown, object | null][] = [
    ['reads widths, modern formats and the baseline', 'w=320,640,1000;f=avif,webp;b=jpeg', { widths: [320, 640, 1000], formats: ['avif', 'webp'], baseline: 'jpeg' }],
    ['sorts widths and puts formats in preference order', 'w=640,320;f=webp,avif;b=png', { widths: [320, 640], formats: ['avif', 'webp'], baseline: 'png' }],
    ['accepts an image with the baseline only', 'w=200;f=;b=jpeg', { widths: [200], formats: [], baseline: 'jpeg' }],
    ['ignores unknown formats and fields', 'w=320;f=jxl,webp;b=jpeg;x=1', { widths: [320], formats: ['webp'], baseline: 'jpeg' }],
    ['drops widths that are not positive whole numbers', 'w=0,-5,3.5,abc,640;f=avif;b=jpeg', { widths: [640], formats: ['avif'], baseline: 'jpeg' }],
    ['rejects a value without widths', 'w=;f=avif;b=jpeg', null],
    ['rejects a value without a baseline', 'w=320;f=avif', null],
    ['rejects an unknown baseline', 'w=320;f=avif;b=gif', null],
    ['rejects a value that is not a string', 42, null],
  ];
  for (const [name, value, want] of cases) it(name, () => expect(parseVariantIndex(value)).to.deep.equal(want));

  it('round-trips what the pipeline encodes', () => {
    const entry = { widths: [1280, 320, 640], formats: ['webp', 'avif'] as const, baseline: 'png' as const };
    expect(encodeVariantIndex({ ...entry, formats: [...entry.formats] })).to.equal('w=320,640,1280;f=avif,webp;b=png');
    expect(parseVariantIndex(encodeVariantIndex({ ...entry, formats: [...entry.formats] }))).to.deep.equal({ widths: [320, 640, 1280], formats: ['avif', 'webp'], baseline: 'png' });
  });
});

describe('image negotiation rule: Accept', () => {
  const cases: [string, string | undefined, string, boolean][] = [
    ['finds an explicit token', CHROME, 'image/avif', true],
    ['finds webp in Safari 15', SAFARI_15, 'image/webp', true],
    ['does not count image/* as avif', SAFARI_15, 'image/avif', false],
    ['does not count */* as webp', OLD, 'image/webp', false],
    ['honors q=0 as "not acceptable"', 'image/avif;q=0,image/webp', 'image/avif', false],
    ['accepts a token with q>0', 'image/avif;q=0.5', 'image/avif', true],
    ['matches case-insensitively and trims spaces', ' Image/AVIF , image/webp', 'image/avif', true],
    ['treats an unparsable q as 0', 'image/avif;q=abc', 'image/avif', false],
    ['takes the highest q when a token repeats', 'image/avif;q=0, image/avif;q=0.3', 'image/avif', true],
    ['finds nothing in an absent header', undefined, 'image/avif', false],
    ['finds nothing in an empty header', '', 'image/webp', false],
  ];
  for (const [name, accept, token, want] of cases) it(name, () => expect(acceptsToken(accept, token)).to.equal(want));
});

describe('image negotiation rule: the choice', () => {
  const FULL = 'w=320,640,1000;f=avif,webp;b=jpeg';
  const WEBP_ONLY = 'w=320,640;f=webp;b=jpeg';
  const PNG = 'w=160,320;f=avif,webp;b=png';
  const cases: [string, string, string | undefined, string | undefined, string | undefined, [number, VariantFormat]][] = [
    ['gives AVIF to a browser that lists it', FULL, '320', undefined, CHROME, [320, 'avif']],
    ['gives WebP to a browser without AVIF', FULL, '320', undefined, SAFARI_15, [320, 'webp']],
    ['gives the baseline to */*', FULL, '320', undefined, OLD, [320, 'jpeg']],
    ['gives the baseline without an Accept header', FULL, '320', undefined, undefined, [320, 'jpeg']],
    ['gives WebP to an AVIF browser when the image has no AVIF', WEBP_ONLY, '640', undefined, CHROME, [640, 'webp']],
    ['keeps a PNG baseline for a PNG source', PNG, '160', undefined, OLD, [160, 'png']],
    ['rounds a width up to the next variant', FULL, '480', undefined, CHROME, [640, 'avif']],
    ['serves the largest variant for a wider request (no upscale)', FULL, '1280', undefined, CHROME, [1000, 'avif']],
    ['serves the largest variant without a width', FULL, undefined, undefined, CHROME, [1000, 'avif']],
    ['serves the largest variant for a width that is not a number', FULL, 'big', undefined, CHROME, [1000, 'avif']],
    ['serves the smallest variant for a tiny width', FULL, '10', undefined, FIREFOX, [320, 'avif']],
    ['honors format=webp even from an AVIF browser', FULL, '320', 'webp', CHROME, [320, 'webp']],
    ['honors format=avif from a client that does not list it', FULL, '320', 'avif', OLD, [320, 'avif']],
    ['maps format=jpeg to the baseline', FULL, '320', 'jpeg', CHROME, [320, 'jpeg']],
    ['maps format=png to the baseline, whatever its format', FULL, '320', 'png', CHROME, [320, 'jpeg']],
    ['negotiates for format=auto', FULL, '320', 'auto', SAFARI_15, [320, 'webp']],
    ['negotiates when the asked format is not stored', WEBP_ONLY, '320', 'avif', CHROME, [320, 'webp']],
  ];
  for (const [name, index, width, format, accept, [w, f]] of cases) {
    it(name, () => expect(chooseVariant(index, width, format, accept)).to.deep.equal({ width: w, format: f }));
  }

  it('chooses nothing for an unusable index value', () => {
    expect(chooseVariant('garbage', '320', undefined, CHROME)).to.equal(null);
  });

  it('names variants the same way at the edge and in the bucket', () => {
    expect(variantPath('thumbnails/a.jpg', 640, 'avif')).to.equal('_variants/thumbnails/a.jpg/640.avif');
    expect(variantKey('thumbnails/a.jpg', 320, 'jpeg')).to.equal('_variants/thumbnails/a.jpg/320.jpg');
    expect(variantKey('previews/b.png', 160, 'png')).to.equal('_variants/previews/b.png/160.png');
    expect(variantKey('x/y.webp', 160, 'webp')).to.equal('_variants/x/y.webp/160.webp');
  });
});
