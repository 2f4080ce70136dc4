import { expect } from 'chai';
import { mulberry32 } from '../../lib/random';
import {
  canonicalPattern,
  compileBehaviorSelector,
  compilePathPattern,
  decodedPathSelectsDifferently,
  findDuplicatePatterns,
  findShadowedPatterns,
  matchPathPattern,
  normalizePattern,
  orderMostSpecificFirst,
  patternCovers,
  patternSpecificity,
  selectBehavior,
  validatePathPattern,
} from '../../lib/semantics';

/** Deterministic PRNG (mulberry32) so property tests are reproducible. */
const rng = mulberry32;

/** Independent reference: the pattern language as an anchored regex (tests only). */
function referenceMatch(pattern: string, path: string): boolean {
  const p = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  const s = path.startsWith('/') ? path.slice(1) : path;
  const src = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${src}$`).test(s);
}

describe('semantics/path-pattern (spec §1)', () => {
  describe('matchPathPattern and compilePathPattern', () => {
    const cases: { name: string; pattern: string; path: string; expected: boolean }[] = [
      { name: "'*' spans '/': images/*.jpg matches images/a/b/c.jpg (spec §1.2)", pattern: 'images/*.jpg', path: '/images/a/b/c.jpg', expected: true },
      { name: 'is case-sensitive: *.jpg does not match LOGO.JPG (spec §1.2)', pattern: '*.jpg', path: '/LOGO.JPG', expected: false },
      { name: '*.jpg matches logo.jpg', pattern: '*.jpg', path: '/logo.jpg', expected: true },
      { name: 'leading slash on the pattern is optional: /images/*.jpg matches images/x.jpg', pattern: '/images/*.jpg', path: '/images/x.jpg', expected: true },
      { name: 'leading slash on the path is optional', pattern: 'images/*.jpg', path: 'images/x.jpg', expected: true },
      { name: 'is anchored: images/* does not match /static/images/x (spec §1.2)', pattern: 'images/*', path: '/static/images/x', expected: false },
      { name: "'?' matches exactly one character", pattern: 'images/?.jpg', path: '/images/a.jpg', expected: true },
      { name: "'?' does not match two characters", pattern: 'images/?.jpg', path: '/images/ab.jpg', expected: false },
      { name: "'?' does not match zero characters", pattern: 'images/?.jpg', path: '/images/.jpg', expected: false },
      { name: "'*' matches zero characters", pattern: 'img/*', path: '/img/', expected: true },
      { name: "'img/*' does not match '/img' (the slash is literal)", pattern: 'img/*', path: '/img', expected: false },
      { name: 'multiple stars in order: a*b*c matches axxbyyc', pattern: 'a*b*c', path: '/axxbyyc', expected: true },
      { name: 'multiple stars out of order: a*b*c does not match axxcyyb', pattern: 'a*b*c', path: '/axxcyyb', expected: false },
      { name: "prefix and suffix must not overlap: ab*ba does not match 'aba'", pattern: 'ab*ba', path: '/aba', expected: false },
      { name: 'prefix*suffix matches abba', pattern: 'ab*ba', path: '/abba', expected: true },
      { name: "'*' matches the empty path", pattern: '*', path: '', expected: true },
      { name: "'*' matches '/'", pattern: '*', path: '/', expected: true },
      { name: 'literal pattern matches exactly', pattern: 'exact.html', path: '/exact.html', expected: true },
      { name: 'literal pattern does not match with a trailing slash', pattern: 'exact.html', path: '/exact.html/', expected: false },
      { name: "a '?' in the path is part of the path (no query splitting)", pattern: '*.m3u8', path: '/live.m3u8?x=1', expected: false },
      { name: 'only one leading slash is stripped: a/* does not match //a/x', pattern: 'a/*', path: '//a/x', expected: false },
      { name: '*.ts does not match seg.tsx', pattern: '*.ts', path: '/seg.tsx', expected: false },
      { name: "mixed '?' and '*': a?c* matches abcdef", pattern: 'a?c*', path: '/abcdef', expected: true },
      { name: "'**' behaves like '*'", pattern: '**', path: '/anything/at/all', expected: true },
      { name: 'pathological pattern terminates and rejects', pattern: 'a*a*a*a*a*a*b', path: '/' + 'a'.repeat(60), expected: false },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(matchPathPattern(c.pattern, c.path), 'matchPathPattern').to.equal(c.expected);
        expect(compilePathPattern(c.pattern)(c.path), 'compilePathPattern').to.equal(c.expected);
      });
    }

    it('/images/*.jpg and images/*.jpg select exactly the same paths (spec §1.2)', () => {
      const paths = ['/images/x.jpg', 'images/x.jpg', '/images/a/b.jpg', '/img/x.jpg', '/images/x.png'];
      for (const p of paths) expect(matchPathPattern('/images/*.jpg', p)).to.equal(matchPathPattern('images/*.jpg', p));
    });

    it('agrees with an independent regex reference on 5,000 random pattern/path pairs', () => {
      const r = rng(1234);
      const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      for (let i = 0; i < 5000; i++) {
        const pattern = (r() < 0.5 ? '/' : '') + pick('ab/*?', Math.floor(r() * 7));
        const path = (r() < 0.5 ? '/' : '') + pick('ab/', Math.floor(r() * 9));
        const want = referenceMatch(pattern, path);
        expect(matchPathPattern(pattern, path), `${pattern} vs ${path}`).to.equal(want);
        expect(compilePathPattern(pattern)(path), `compiled ${pattern} vs ${path}`).to.equal(want);
      }
    });
  });

  describe('normalizePattern', () => {
    const cases = [
      { name: 'strips one leading slash', input: '/images/*', expected: 'images/*' },
      { name: 'leaves a pattern without a leading slash alone', input: 'images/*', expected: 'images/*' },
      { name: 'strips only one of two leading slashes', input: '//a', expected: '/a' },
    ];
    for (const c of cases) it(c.name, () => expect(normalizePattern(c.input)).to.equal(c.expected));
  });

  describe('selectBehavior', () => {
    const behaviors = [
      { pathPattern: 'images/*', id: 'images' },
      { pathPattern: 'images/*.jpg', id: 'jpg' },
      { pathPattern: '/video/*.m3u8', id: 'manifests' },
    ];
    const cases = [
      { name: 'first match wins, not the best match (spec §1.2)', path: '/images/x.jpg', expected: 'images' },
      { name: 'a pattern with a leading slash still matches', path: '/video/live/master.m3u8', expected: 'manifests' },
      { name: 'no match means the default behaviour (undefined)', path: '/index.html', expected: undefined },
      { name: 'query-like text in the path does not help matching', path: '/video/master.m3u8?token=1', expected: undefined },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(selectBehavior(behaviors, c.path)?.id).to.equal(c.expected);
        expect(compileBehaviorSelector(behaviors)(c.path)?.id).to.equal(c.expected);
      });
    }

    it('flags a raw path whose decoded form selects a different behaviour (spec §1.2 warning)', () => {
      const list = [{ pathPattern: 'private/*' }];
      expect(decodedPathSelectsDifferently(list, '/public/..%2Fprivate/x')).to.equal(true);
      expect(decodedPathSelectsDifferently(list, '/private/x')).to.equal(false);
    });
  });

  describe('patternCovers', () => {
    const cases = [
      { name: '/images* covers /images-old/x (spec §8.1 example)', general: '/images*', specific: '/images-old/x', expected: true },
      { name: 'images/* covers images/*.jpg', general: 'images/*', specific: 'images/*.jpg', expected: true },
      { name: 'images/*.jpg does not cover images/*', general: 'images/*.jpg', specific: 'images/*', expected: false },
      { name: "'*' covers everything", general: '*', specific: 'a/?/b*', expected: true },
      { name: '*.jpg covers images/*.jpg', general: '*.jpg', specific: 'images/*.jpg', expected: true },
      { name: "'?*' covers '*?' (same language)", general: '?*', specific: '*?', expected: true },
      { name: "'?*' covers '*b' (the literal guarantees one character)", general: '?*', specific: '*b', expected: true },
      { name: 'a?c covers abc', general: 'a?c', specific: 'abc', expected: true },
      { name: 'abc does not cover a?c', general: 'abc', specific: 'a?c', expected: false },
      { name: '*a* does not cover *b*', general: '*a*', specific: '*b*', expected: false },
      { name: 'images/* does not cover video/*', general: 'images/*', specific: 'video/*', expected: false },
      { name: '/a covers a (leading slash optional)', general: '/a', specific: 'a', expected: true },
      { name: 'a* covers a', general: 'a*', specific: 'a', expected: true },
      { name: 'a does not cover a*', general: 'a', specific: 'a*', expected: false },
      { name: 'is case-sensitive: *.JPG does not cover *.jpg', general: '*.JPG', specific: '*.jpg', expected: false },
    ];
    for (const c of cases) it(c.name, () => expect(patternCovers(c.general, c.specific)).to.equal(c.expected));

    it('never claims coverage that a path contradicts (random patterns, exhaustive short paths)', () => {
      const r = rng(99);
      const paths: string[] = [''];
      let frontier = [''];
      for (let len = 1; len <= 6; len++) {
        frontier = frontier.flatMap((f) => ['a', 'b', 'c'].map((ch) => f + ch));
        paths.push(...frontier);
      }
      const pick = (n: number) => Array.from({ length: n }, () => 'ab*?'[Math.floor(r() * 4)]).join('');
      for (let i = 0; i < 1500; i++) {
        const g = pick(Math.floor(r() * 5));
        const s = pick(Math.floor(r() * 5));
        const included = paths.every((p) => !matchPathPattern(s, p) || matchPathPattern(g, p));
        expect(patternCovers(g, s), `${g} ⊇ ${s}`).to.equal(included);
      }
    });
  });

  describe('findShadowedPatterns and findDuplicatePatterns', () => {
    it('reports each pattern covered by an earlier one, with the first coverer', () => {
      expect(findShadowedPatterns(['images/*', 'images/*.jpg', 'video/*', '/video/*', 'img/?.png'])).to.deep.equal([
        { index: 1, pattern: 'images/*.jpg', shadowedBy: 'images/*', shadowedByIndex: 0 },
        { index: 3, pattern: '/video/*', shadowedBy: 'video/*', shadowedByIndex: 2 },
      ]);
    });

    it('reports nothing for a most-specific-first list', () => {
      expect(findShadowedPatterns(['images/*.jpg', 'images/*', '*.m3u8'])).to.deep.equal([]);
    });

    it('groups patterns equal after stripping the leading slash', () => {
      expect(findDuplicatePatterns(['a/*', '/a/*', 'b', 'a/*'])).to.deep.equal([{ pattern: 'a/*', normalized: 'a/*', indexes: [0, 1, 3] }]);
    });
  });

  describe('validatePathPattern', () => {
    const cases: { name: string; input: string; errors: number; mentions?: string[] }[] = [
      { name: 'accepts a typical pattern', input: 'images/*.jpg', errors: 0 },
      { name: "accepts every allowed character, '&' and the '?' wildcard", input: `/a-Z_0.9*$~"'@:+&?`, errors: 0 },
      { name: 'rejects an empty pattern', input: '', errors: 1, mentions: ["''", 'images/*.jpg'] },
      { name: 'rejects 256 characters (max 255)', input: 'a'.repeat(256), errors: 1, mentions: ['256 characters', '255'] },
      { name: 'accepts exactly 255 characters', input: 'a'.repeat(255), errors: 0 },
      { name: 'rejects braces, naming them', input: 'images/{id}.jpg', errors: 1, mentions: ['images/{id}.jpg', '"{"', '"}"'] },
      { name: 'rejects a space', input: 'a b', errors: 1, mentions: ['" "'] },
      { name: 'rejects non-ASCII characters', input: 'café/*', errors: 1, mentions: ['"é"'] },
      { name: 'reports length and characters together', input: '%'.repeat(300), errors: 2 },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const errors = validatePathPattern(c.input);
        expect(errors).to.have.length(c.errors);
        for (const m of c.mentions ?? []) expect(errors.join(' ')).to.include(m);
      });
    }
  });

  describe('patternSpecificity and orderMostSpecificFirst', () => {
    it('orders a literal path before wildcards before the catch-all', () => {
      const items = ['*', 'images/*', 'images/*.jpg', 'images/logo.jpg'].map((pathPattern) => ({ pathPattern }));
      expect(orderMostSpecificFirst(items).map((i) => i.pathPattern)).to.deep.equal(['images/logo.jpg', 'images/*.jpg', 'images/*', '*']);
    });

    it("puts x?* before x* (a '?' adds a required character)", () => {
      const items = [{ pathPattern: 'x*' }, { pathPattern: 'x?*' }];
      expect(orderMostSpecificFirst(items).map((i) => i.pathPattern)).to.deep.equal(['x?*', 'x*']);
      expect(patternSpecificity('x?*')).to.be.greaterThan(patternSpecificity('x*'));
    });

    it('is stable for equal specificity and does not mutate its input', () => {
      const items = [{ pathPattern: 'a/*' }, { pathPattern: 'b/*' }, { pathPattern: '/c/*' }];
      const copy = items.slice();
      expect(orderMostSpecificFirst(items).map((i) => i.pathPattern)).to.deep.equal(['a/*', 'b/*', '/c/*']);
      expect(items).to.deep.equal(copy);
    });

    it('always puts a covered pattern before the pattern that covers it (random patterns)', () => {
      const r = rng(2024);
      const pick = (n: number) => Array.from({ length: n }, () => 'ab/*?'[Math.floor(r() * 5)]).join('');
      for (let round = 0; round < 200; round++) {
        const items = Array.from({ length: 8 }, () => ({ pathPattern: pick(1 + Math.floor(r() * 5)) }));
        const ordered = orderMostSpecificFirst(items);
        for (let i = 0; i < ordered.length; i++) {
          for (let j = i + 1; j < ordered.length; j++) {
            const a = ordered[i]!.pathPattern;
            const b = ordered[j]!.pathPattern;
            if (canonicalPattern(a) === canonicalPattern(b)) continue;
            expect(patternCovers(a, b), `${a} (earlier) must not cover ${b} (later)`).to.equal(false);
          }
        }
        expect(findShadowedPatterns(ordered.map((o) => o.pathPattern)).every((s) => canonicalPattern(s.pattern) === canonicalPattern(s.shadowedBy))).to.equal(true);
      }
    });
  });
});
