import { expect } from 'chai';
import {
  checkInvalidationPath,
  classifyInvalidationItems,
  encodeInvalidationPath,
  FREE_TIER,
  INVALIDATION_LIMITS,
  invalidationCostUsd,
  invalidationMatches,
  isTagItem,
  isWildcardPath,
  OTHER_PRICES,
  validateInvalidationPath,
  type InvalidationEntry,
} from '../../lib/semantics';

describe('semantics/invalidation (spec §8)', () => {
  describe('checkInvalidationPath (spec §8.1, §8.2)', () => {
    const cases: { name: string; item: string; errors: number; warnings?: number; mentions?: string[] }[] = [
      { name: 'accepts a plain path', item: '/images/logo.png', errors: 0 },
      { name: 'accepts a trailing wildcard without warning', item: '/images/*', errors: 0, warnings: 0 },
      { name: 'accepts a query-string variant', item: '/a.jpg?x=1', errors: 0 },
      { name: "rejects a path without a leading '/' and shows the fix", item: 'images/*', errors: 1, mentions: ["'images/*'", "use '/images/*'"] },
      { name: "warns that a '*' in the middle is literal", item: '/a*b.jpg', errors: 0, warnings: 1, mentions: ['literal asterisk'] },
      { name: "rejects '~'", item: '/~user/index.html', errors: 1, mentions: ["'~'"] },
      { name: "rejects '%7E'", item: '/a%7Eb', errors: 1, mentions: ['%7E'] },
      { name: "rejects lower-case '%7e'", item: '/a%7eb', errors: 1 },
      { name: 'rejects non-ASCII characters and suggests the UTF-8 encoding', item: '/café.jpg', errors: 1, mentions: ['non-ASCII', "'/caf%C3%A9.jpg'"] },
      { name: 'rejects a raw space and suggests %20', item: '/a b.jpg', errors: 1, mentions: ['" "', "'/a%20b.jpg'"] },
      { name: 'accepts an encoded space', item: '/a%20b.jpg', errors: 0 },
      { name: "rejects a '%' that does not start an escape", item: '/100%.jpg', errors: 1, mentions: ["'%25'"] },
      { name: 'rejects over-encoding (%41 is A) because it would not match', item: '/%41.jpg', errors: 1, mentions: ['over-encoded', "'/A.jpg'"] },
      { name: 'accepts an encoded reserved character (%3F)', item: '/a%3Fb', errors: 0 },
      { name: 'rejects braces', item: '/a{b}', errors: 1, mentions: ['"{"', '"}"'] },
      { name: "rejects a raw '#' inside a path", item: '/a#frag', errors: 1 },
      { name: 'accepts 4,000 characters', item: '/' + 'a'.repeat(3999), errors: 0 },
      { name: 'rejects 4,001 characters', item: '/' + 'a'.repeat(4000), errors: 1, mentions: ['4001 characters', '4000'] },
      { name: 'rejects an empty item', item: '', errors: 1 },
      { name: 'accepts a tag item', item: '#product:tv', errors: 0 },
      { name: "rejects a bare '#'", item: '#', errors: 1, mentions: ["'#<tag>'"] },
      { name: 'rejects a comma in a tag', item: '#a,b', errors: 1, mentions: ['comma'] },
      { name: 'rejects a wildcard in a tag', item: '#a*', errors: 1, mentions: ['no wildcards'] },
      { name: 'rejects a space in a tag', item: '#a b', errors: 1, mentions: ['33-126'] },
      { name: 'accepts a 256-character tag', item: '#' + 't'.repeat(256), errors: 0 },
      { name: 'rejects a 257-character tag', item: '#' + 't'.repeat(257), errors: 1, mentions: ['257-character'] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = checkInvalidationPath(c.item);
        expect(r.errors, r.errors.join('\n')).to.have.length(c.errors);
        if (c.warnings !== undefined) expect(r.warnings).to.have.length(c.warnings);
        for (const m of c.mentions ?? []) expect([...r.errors, ...r.warnings].join(' ')).to.include(m);
      });
    }

    it('validateInvalidationPath returns errors only (a mid-path * is not an error)', () => {
      expect(validateInvalidationPath('/a*b.jpg')).to.deep.equal([]);
      expect(validateInvalidationPath('a')).to.have.length(1);
    });

    it('encodeInvalidationPath encodes only what must be encoded', () => {
      expect(encodeInvalidationPath('/a b/ü/100%/x%20y?q=1')).to.equal('/a%20b/%C3%BC/100%25/x%20y?q=1');
    });
  });

  describe('invalidationMatches (spec §8.1 emulator matching)', () => {
    const e = (uri: string, tags?: string[]): InvalidationEntry => (tags ? { uri, tags } : { uri });
    const cases: { name: string; item: string; entry: InvalidationEntry; expected: boolean }[] = [
      { name: '/images/* covers subdirectories', item: '/images/*', entry: e('/images/a/b.jpg'), expected: true },
      { name: '/images/* does not cover /images', item: '/images/*', entry: e('/images'), expected: false },
      { name: '/images* covers /images-old/x', item: '/images*', entry: e('/images-old/x'), expected: true },
      { name: '/images* covers /images itself', item: '/images*', entry: e('/images'), expected: true },
      { name: "a '*' in the middle is literal: /a*b.jpg does not match /axb.jpg", item: '/a*b.jpg', entry: e('/axb.jpg'), expected: false },
      { name: "a '*' in the middle matches a literal asterisk", item: '/a*b.jpg', entry: e('/a*b.jpg'), expected: true },
      { name: 'an exact path does not match a query variant', item: '/a.jpg', entry: e('/a.jpg?x=1'), expected: false },
      { name: 'a trailing wildcard matches query variants', item: '/a.jpg*', entry: e('/a.jpg?x=1'), expected: true },
      { name: 'paths are case-sensitive', item: '/A.jpg', entry: e('/a.jpg'), expected: false },
      { name: 'tags are case-insensitive', item: '#Product:TV', entry: e('/p/1', ['product:tv', 'sale']), expected: true },
      { name: 'a tag does not match an untagged entry', item: '#sale', entry: e('/p/1'), expected: false },
      { name: 'a tag does not match other tags', item: '#sale', entry: e('/p/1', ['salesman']), expected: false },
      { name: "'/*' matches everything", item: '/*', entry: e('/any/thing?x'), expected: true },
    ];
    for (const c of cases) it(c.name, () => expect(invalidationMatches(c.item, c.entry)).to.equal(c.expected));
  });

  describe('classification helpers', () => {
    it('isWildcardPath is true only for a trailing * on a path', () => {
      expect([isWildcardPath('/a/*'), isWildcardPath('/a*b'), isWildcardPath('#tag*'), isWildcardPath('')]).to.deep.equal([true, false, false, false]);
    });
    it("isTagItem is true for items starting with '#'", () => {
      expect([isTagItem('#x'), isTagItem('/#x')]).to.deep.equal([true, false]);
    });
    it('classifyInvalidationItems counts paths, wildcards and tags', () => {
      expect(classifyInvalidationItems(['/a', '/b*', '#t', '/c*d'])).to.deep.equal({ paths: 2, wildcards: 1, tags: 1 });
    });
  });

  describe('invalidationCostUsd (spec §8.5)', () => {
    const cases: [number, number, number, string][] = [
      [1000, 0, 0, 'the first 1,000 paths of a month are free'],
      [1001, 0, 0.005, 'path 1,001 costs $0.005'],
      [3000, 0, 10, '3,000 paths cost $10'],
      [100, 950, 0.25, 'only the rest of the free allowance is free'],
      [10, 2000, 0.05, 'nothing is free once the allowance is used'],
      [0, 0, 0, 'no paths cost nothing'],
    ];
    for (const [paths, used, usd, name] of cases) it(name, () => expect(invalidationCostUsd(paths, used)).to.equal(usd));

    it('rejects negative and fractional counts', () => {
      expect(() => invalidationCostUsd(-1, 0)).to.throw(RangeError, /paths must be a non-negative integer, got -1/);
      expect(() => invalidationCostUsd(1, 0.5)).to.throw(RangeError, /alreadyUsedThisMonth/);
    });

    it('prices from the one price list: 1,000 free paths a month, then $0.005 a path', () => {
      expect(FREE_TIER.invalidationPaths).to.equal(1000);
      expect(OTHER_PRICES.invalidationPerPath).to.equal(0.005);
    });

    it('exposes the documented limits (quotas only: the prices are lib/semantics/pricing)', () => {
      expect(INVALIDATION_LIMITS).to.deep.equal({
        maxInProgressPaths: 3000,
        maxInProgressWildcards: 15,
        maxPathLength: 4000,
        ratePathsPerSecond: 150,
        rateWildcardsPerSecond: 1,
      });
    });
  });
});
