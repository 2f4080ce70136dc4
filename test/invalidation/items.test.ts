import { expect } from 'chai';
import { itemKind, keyToPath, objectOf, parseItemList, pathToKey, validateItems } from '../../lib/invalidation';

const TOO_LONG = `/${'a'.repeat(4000)}`;
const LONG_TAG = `#${'x'.repeat(257)}`;

/** Each invalid item, the exact message (after 'argument 1: '), and a valid item next to it. */
const INVALID: { item: string; message: string; valid: string }[] = [
  { item: '', message: "Invalidation path '' is empty; give a path starting with '/', e.g. '/index.html'.", valid: '/index.html' },
  { item: 'video/a.ts', message: "Invalidation path 'video/a.ts' must start with '/'; use '/video/a.ts'.", valid: '/video/a.ts' },
  { item: 'index.html', message: "Invalidation path 'index.html' must start with '/'; use '/index.html'.", valid: '/index.html' },
  { item: '*', message: "Invalidation path '*' must start with '/'; use '/*'.", valid: '/*' },
  { item: 'video/*', message: "Invalidation path 'video/*' must start with '/'; use '/video/*'.", valid: '/video/*' },
  { item: '/a~b', message: "Invalidation path '/a~b' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.", valid: '/a*' },
  { item: '/~user/x', message: "Invalidation path '/~user/x' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.", valid: '/*' },
  { item: '/a%7Eb', message: "Invalidation path '/a%7Eb' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.", valid: '/a%7Bb' },
  { item: '/a%7eb', message: "Invalidation path '/a%7eb' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.", valid: '/a%7bb' },
  { item: TOO_LONG, message: `Invalidation path '/${'a'.repeat(75)}... is 4001 characters long; the maximum is 4000 — invalidate a shorter prefix with a trailing '*'.`, valid: TOO_LONG.slice(0, 4000) },
  { item: '/a b.jpg', message: `Invalidation path '/a b.jpg' contains characters that must be URL-encoded (" "); percent-encode them, e.g. '/a%20b.jpg'.`, valid: '/a%20b.jpg' },
  { item: '/a<b', message: `Invalidation path '/a<b' contains characters that must be URL-encoded ("<"); percent-encode them, e.g. '/a%3Cb'.`, valid: '/a%3Cb' },
  { item: '/a>b', message: `Invalidation path '/a>b' contains characters that must be URL-encoded (">"); percent-encode them, e.g. '/a%3Eb'.`, valid: '/a%3Eb' },
  { item: '/a"b', message: `Invalidation path '/a"b' contains characters that must be URL-encoded ("\\""); percent-encode them, e.g. '/a%22b'.`, valid: '/a%22b' },
  { item: '/a{b', message: `Invalidation path '/a{b' contains characters that must be URL-encoded ("{"); percent-encode them, e.g. '/a%7Bb'.`, valid: '/a%7Bb' },
  { item: '/a}b', message: `Invalidation path '/a}b' contains characters that must be URL-encoded ("}"); percent-encode them, e.g. '/a%7Db'.`, valid: '/a%7Db' },
  { item: '/a|b', message: `Invalidation path '/a|b' contains characters that must be URL-encoded ("|"); percent-encode them, e.g. '/a%7Cb'.`, valid: '/a%7Cb' },
  { item: '/a\\b', message: `Invalidation path '/a\\b' contains characters that must be URL-encoded ("\\\\"); percent-encode them, e.g. '/a%5Cb'.`, valid: '/a%5Cb' },
  { item: '/a^b', message: `Invalidation path '/a^b' contains characters that must be URL-encoded ("^"); percent-encode them, e.g. '/a%5Eb'.`, valid: '/a%5Eb' },
  { item: '/a[1]', message: `Invalidation path '/a[1]' contains characters that must be URL-encoded ("[", "]"); percent-encode them, e.g. '/a%5B1%5D'.`, valid: '/a%5B1%5D' },
  { item: '/a`b', message: "Invalidation path '/a`b' contains characters that must be URL-encoded (\"`\"); percent-encode them, e.g. '/a%60b'.", valid: '/a%60b' },
  { item: '/a#frag', message: `Invalidation path '/a#frag' contains characters that must be URL-encoded ("#"); percent-encode them, e.g. '/a%23frag'.`, valid: '/a%23frag' },
  { item: '/a\tb', message: `Invalidation path '/a\tb' contains characters that must be URL-encoded ("\\t"); percent-encode them, e.g. '/a%09b'.`, valid: '/a%09b' },
  { item: '/a\nb', message: `Invalidation path '/a\nb' contains characters that must be URL-encoded ("\\n"); percent-encode them, e.g. '/a%0Ab'.`, valid: '/a%0Ab' },
  { item: '/é.jpg', message: "Invalidation path '/é.jpg' contains non-ASCII characters; percent-encode them as UTF-8, e.g. '/%C3%A9.jpg'.", valid: '/%C3%A9.jpg' },
  { item: '/😀.png', message: "Invalidation path '/😀.png' contains non-ASCII characters; percent-encode them as UTF-8, e.g. '/%F0%9F%98%80.png'.", valid: '/%F0%9F%98%80.png' },
  { item: '/100%', message: "Invalidation path '/100%' has '%' not followed by two hex digits ('%'); write a literal '%' as '%25'.", valid: '/100%25' },
  { item: '/a%G1', message: "Invalidation path '/a%G1' has '%' not followed by two hex digits ('%G1'); write a literal '%' as '%25'.", valid: '/a%25G1' },
  { item: '/a%2', message: "Invalidation path '/a%2' has '%' not followed by two hex digits ('%2'); write a literal '%' as '%25'.", valid: '/a%252' },
  { item: '/%41bc', message: "Invalidation path '/%41bc' is over-encoded ('%41' → 'A'); those characters need no encoding and the path would not match — write them literally e.g. '/Abc'.", valid: '/Abc' },
  { item: '/a%2Db', message: "Invalidation path '/a%2Db' is over-encoded ('%2D' → '-'); those characters need no encoding and the path would not match — write them literally e.g. '/a-b'.", valid: '/a-b' },
  { item: '/a%2Eb', message: "Invalidation path '/a%2Eb' is over-encoded ('%2E' → '.'); those characters need no encoding and the path would not match — write them literally e.g. '/a.b'.", valid: '/a.b' },
  { item: '/a%5Fb', message: "Invalidation path '/a%5Fb' is over-encoded ('%5F' → '_'); those characters need no encoding and the path would not match — write them literally e.g. '/a_b'.", valid: '/a_b' },
  { item: '/a%2Ab', message: "Invalidation path '/a%2Ab' is over-encoded ('%2A' → '*'); those characters need no encoding and the path would not match — write them literally e.g. '/a*b'.", valid: '/a*' },
  { item: '/a%30', message: "Invalidation path '/a%30' is over-encoded ('%30' → '0'); those characters need no encoding and the path would not match — write them literally e.g. '/a0'.", valid: '/a0' },
  { item: '#', message: "Invalidation tag item '#' has no tag after '#'; write '#<tag>', e.g. '#product:tv'.", valid: '#product:tv' },
  { item: '#a,b', message: "Invalidation tag item '#a,b' contains a comma; give each tag as its own '#' item.", valid: '#a' },
  { item: '#a*', message: "Invalidation tag item '#a*' contains '*'; tags take no wildcards — list each tag exactly.", valid: '#a' },
  { item: LONG_TAG, message: `Invalidation tag item '#${'x'.repeat(75)}... has a 257-character tag; shorten the tag to at most 256 characters.`, valid: LONG_TAG.slice(0, 257) },
  { item: '#tag with space', message: `Invalidation tag item '#tag with space' contains characters outside printable ASCII 33-126 (" "); remove them.`, valid: '#tag-with-dash' },
  { item: '#é', message: `Invalidation tag item '#é' contains characters outside printable ASCII 33-126 ("é"); remove them.`, valid: '#e' },
];

describe('invalidation/items: request validation (spec §8.1, §8.2)', () => {
  it(`has a table of at least 40 invalid items`, () => {
    expect(INVALID.length).to.be.at.least(40);
  });

  for (const c of INVALID) {
    const shown = c.item.length > 40 ? `${c.item.slice(0, 20)}…(${c.item.length} chars)` : JSON.stringify(c.item);
    it(`rejects ${shown} naming the item and the fix, and accepts ${JSON.stringify(c.valid.length > 40 ? `${c.valid.slice(0, 20)}…` : c.valid)}`, () => {
      const bad = validateItems([{ item: c.item, source: 'argument 1' }]);
      expect(bad.problems).to.deep.equal([`argument 1: ${c.message}`]);
      expect(bad.items).to.deep.equal([]);
      const good = validateItems([{ item: c.valid, source: 'argument 1' }]);
      expect(good.problems).to.deep.equal([]);
      expect(good.items).to.deep.equal([c.valid]);
    });
  }

  it('reports every problem of every item with its source, and keeps only the valid items', () => {
    const r = validateItems([
      { item: '/ok.js', source: 'argument 1' },
      { item: 'a b', source: 'paths.txt line 2' },
      { item: '/x~', source: 'stdin line 7' },
    ]);
    expect(r.items).to.deep.equal(['/ok.js']);
    expect(r.problems).to.deep.equal([
      "paths.txt line 2: Invalidation path 'a b' must start with '/'; use '/a b'.",
      `paths.txt line 2: Invalidation path 'a b' contains characters that must be URL-encoded (" "); percent-encode them, e.g. 'a%20b'.`,
      "stdin line 7: Invalidation path '/x~' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.",
    ]);
  });

  it('rejects an empty request with the ways to give paths', () => {
    expect(validateItems([]).problems).to.deep.equal([
      'no invalidation paths were given; pass paths as arguments, with --paths-file <file>, on stdin (-), or select objects with --pattern or --content-type.',
    ]);
  });

  it("warns (does not reject) when '*' is not last: it matches a literal asterisk", () => {
    const r = validateItems([{ item: '/a*/b', source: 'argument 1' }]);
    expect(r.problems).to.deep.equal([]);
    expect(r.warnings).to.deep.equal([
      "argument 1: Invalidation path '/a*/b' has '*' before the end; only a trailing '*' is a wildcard, so it matches a literal asterisk — move the '*' to the end for a prefix match.",
    ]);
  });

  it('parses a path list: one item per line, blanks and \\r dropped, # lines are tag items not comments', () => {
    expect(parseItemList('/a\r\n\n  /b  \n#release:42\n', 'paths.txt')).to.deep.equal([
      { item: '/a', source: 'paths.txt line 1' },
      { item: '/b', source: 'paths.txt line 3' },
      { item: '#release:42', source: 'paths.txt line 4' },
    ]);
  });

  describe('keyToPath / pathToKey', () => {
    const cases: { key: string; path: string; warning?: string }[] = [
      { key: 'video/a/master.m3u8', path: '/video/a/master.m3u8' },
      { key: 'video/a b/é.ts', path: '/video/a%20b/%C3%A9.ts' },
      { key: 'static/app?v=1.js', path: '/static/app?v=1.js' },
      { key: 'static/100%.css', path: '/static/100%25.css' },
      { key: 'video/~old/a.ts', path: '/video/*', warning: "object key 'video/~old/a.ts' contains '~', which CloudFront cannot invalidate (spec §8.1); '/video/*' is invalidated instead." },
    ];
    for (const c of cases) {
      it(`maps key ${JSON.stringify(c.key)} to ${c.path}`, () => {
        const r = keyToPath(c.key);
        expect(r.path).to.equal(c.path);
        expect(r.warning).to.equal(c.warning);
        expect(validateItems([{ item: r.path, source: 'k' }]).problems).to.deep.equal([]);
      });
    }
    it('pathToKey inverts keyToPath for keys without ~', () => {
      for (const k of ['video/a b/é.ts', 'static/100%.css', 'thumbnails/x/1.jpg']) expect(pathToKey(keyToPath(k).path)).to.equal(k);
    });
  });

  it('classifies items and finds the object of a path with a query string', () => {
    expect(['/a', '/a*', '#t'].map(itemKind)).to.deep.equal(['path', 'wildcard', 'tag']);
    expect(objectOf('/thumbnails/a.jpg?width=100')).to.equal('/thumbnails/a.jpg');
    expect(objectOf('/a.jpg')).to.equal('/a.jpg');
  });
});
