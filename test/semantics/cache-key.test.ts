import { expect } from 'chai';
import {
  computeCacheKey,
  MANAGED_CACHE_POLICIES,
  normalizeAcceptEncoding,
  parseCookieHeader,
  parseQueryString,
  SIGNED_URL_PARAMS,
  validateCacheKeyPolicy,
  type CacheKeyPolicy,
  type ViewerRequest,
} from '../../lib/semantics';

const DOMAIN = 'd111111abcdef8.cloudfront.net';

const NOTHING: CacheKeyPolicy = {
  headers: [],
  cookies: { behavior: 'none' },
  queryStrings: { behavior: 'none' },
  enableAcceptEncodingGzip: false,
  enableAcceptEncodingBrotli: false,
};
const withKey = (over: Partial<CacheKeyPolicy>): CacheKeyPolicy => ({ ...NOTHING, ...over });
const get = (over: Partial<ViewerRequest> = {}): ViewerRequest => ({ method: 'GET', path: '/video/seg1.ts', ...over });

describe('semantics/cache-key (spec §3.1, §5)', () => {
  describe('normalizeAcceptEncoding (spec §5.3 table)', () => {
    // [viewer header, gzip flag, brotli flag, expected]
    const rows: [string | undefined, boolean, boolean, string | undefined][] = [
      ['br, gzip', true, true, 'br,gzip'],
      ['br, gzip', true, false, 'gzip'],
      ['br, gzip', false, true, 'br'],
      ['gzip', true, true, 'gzip'],
      ['gzip', true, false, 'gzip'],
      ['gzip', false, true, undefined],
      ['br', true, true, 'br'],
      ['br', true, false, undefined],
      ['br', false, true, 'br'],
      ['deflate', true, true, undefined],
      [undefined, true, true, undefined],
      ['gzip, deflate, br;q=0.5', true, true, 'br,gzip'],
      ['GZIP', true, true, 'gzip'],
      ['*', true, true, undefined],
      ['gzip, br', false, false, undefined],
    ];
    for (const [ae, gzip, br, expected] of rows) {
      it(`viewer ${JSON.stringify(ae)} with gzip=${gzip} brotli=${br} ⇒ ${String(expected)}`, () =>
        expect(normalizeAcceptEncoding(ae, gzip, br)).to.equal(expected));
    }

    it('removes Accept-Encoding for HTTP/1.0 viewers', () => {
      expect(normalizeAcceptEncoding('gzip, br', true, true, '1.0')).to.equal(undefined);
      expect(normalizeAcceptEncoding('gzip, br', true, true, '2')).to.equal('br,gzip');
    });

    it('drops q-values by default and honours q=0 only when asked', () => {
      expect(normalizeAcceptEncoding('gzip;q=0, br', true, true)).to.equal('br,gzip');
      expect(normalizeAcceptEncoding('gzip;q=0, br', true, true, '1.1', { honorQZero: true })).to.equal('br');
    });
  });

  describe('parseQueryString', () => {
    const cases: { name: string; input: string; expected: [string, string][] }[] = [
      { name: 'keeps the original order', input: 'b=2&a=1', expected: [['b', '2'], ['a', '1']] },
      { name: "only '&' separates: ';' is part of the value", input: 'a=1;b=2', expected: [['a', '1;b=2']] },
      { name: "ignores one leading '?'", input: '?x=1', expected: [['x', '1']] },
      { name: "drops empty segments; a name without '=' gets ''", input: 'a&&b=', expected: [['a', ''], ['b', '']] },
      { name: "splits at the first '=' only", input: 'a=1=2', expected: [['a', '1=2']] },
      { name: 'returns nothing for an empty string', input: '', expected: [] },
      { name: 'does not decode', input: 'q=a%20b+c', expected: [['q', 'a%20b+c']] },
    ];
    for (const c of cases) it(c.name, () => expect(parseQueryString(c.input)).to.deep.equal(c.expected));
  });

  describe('parseCookieHeader', () => {
    const cases: { name: string; input: string | undefined; expected: [string, string][] }[] = [
      { name: 'splits pairs on ; and trims', input: 'a=1; b=2', expected: [['a', '1'], ['b', '2']] },
      { name: 'keeps duplicates in header order', input: 'session=abc; theme=dark; session=x', expected: [['session', 'abc'], ['theme', 'dark'], ['session', 'x']] },
      { name: "a pair without '=' gets an empty value", input: 'flag', expected: [['flag', '']] },
      { name: 'returns nothing for an absent header', input: undefined, expected: [] },
    ];
    for (const c of cases) it(c.name, () => expect(parseCookieHeader(c.input)).to.deep.equal(c.expected));
  });

  describe('computeCacheKey (spec §5.2 emulator recipe)', () => {
    it('renders the documented recipe exactly', () => {
      const key = computeCacheKey(DOMAIN, MANAGED_CACHE_POLICIES.CachingOptimized.key, get({ path: '/a.js', headers: { 'accept-encoding': 'gzip, br' } }));
      expect(key).to.equal(`["${DOMAIN}","/a.js",[],[],[],"br,gzip"]`);
    });

    type Pair = { name: string; policy: CacheKeyPolicy; a: ViewerRequest; b: ViewerRequest; same: boolean; options?: { stripSignedUrlParams?: boolean } };
    const cases: Pair[] = [
      { name: 'the default key ignores query, headers and cookies (spec §5.1)', policy: NOTHING, a: get({ query: 'a=1', headers: { 'x-a': '1', cookie: 'c=1' } }), b: get(), same: true },
      { name: 'OPTIONS is keyed separately from GET (spec §3.1)', policy: NOTHING, a: get({ method: 'OPTIONS' }), b: get(), same: false },
      { name: 'HEAD shares the GET key', policy: NOTHING, a: get({ method: 'HEAD' }), b: get(), same: true },
      { name: 'the path is case-sensitive', policy: NOTHING, a: get({ path: '/A.ts' }), b: get({ path: '/a.ts' }), same: false },
      { name: 'an absent key header differs from an empty one', policy: withKey({ headers: ['Origin'] }), a: get({ headers: {} }), b: get({ headers: { origin: '' } }), same: false },
      { name: 'header names are case-insensitive and their order is irrelevant', policy: withKey({ headers: ['Origin', 'Accept-Language'] }), a: get({ headers: { origin: 'o', 'accept-language': 'en' } }), b: get({ headers: { 'accept-language': 'en', origin: 'o' } }), same: true },
      { name: 'header values are case-sensitive', policy: withKey({ headers: ['Origin'] }), a: get({ headers: { origin: 'https://A.example' } }), b: get({ headers: { origin: 'https://a.example' } }), same: false },
      { name: 'query parameter order matters with all (spec §5.2)', policy: withKey({ queryStrings: { behavior: 'all' } }), a: get({ query: 'a=1&b=2' }), b: get({ query: 'b=2&a=1' }), same: false },
      { name: 'query names are case-sensitive', policy: withKey({ queryStrings: { behavior: 'all' } }), a: get({ query: 'A=1' }), b: get({ query: 'a=1' }), same: false },
      { name: 'a whitelist ignores other parameters', policy: withKey({ queryStrings: { behavior: 'whitelist', names: ['a'] } }), a: get({ query: 'a=1&utm=x' }), b: get({ query: 'utm=y&a=1' }), same: true },
      { name: 'allExcept drops the listed parameters', policy: withKey({ queryStrings: { behavior: 'allExcept', names: ['utm'] } }), a: get({ query: 'a=1&utm=x' }), b: get({ query: 'a=1' }), same: true },
      { name: 'signed-URL parameters are stripped before keying', policy: withKey({ queryStrings: { behavior: 'all' } }), a: get({ query: 'a=1&Expires=1700000000&Signature=abc&Key-Pair-Id=K1&Policy=p&Hash-Algorithm=SHA256' }), b: get({ query: 'a=1' }), same: true },
      { name: 'signed-URL parameters are kept with stripSignedUrlParams: false', policy: withKey({ queryStrings: { behavior: 'all' } }), a: get({ query: 'a=1&Expires=1' }), b: get({ query: 'a=1' }), same: false, options: { stripSignedUrlParams: false } },
      { name: "signed-URL stripping is case-sensitive ('expires' is kept)", policy: withKey({ queryStrings: { behavior: 'all' } }), a: get({ query: 'a=1&expires=1' }), b: get({ query: 'a=1' }), same: false },
      { name: 'cookies are sorted by name (spec §5.2)', policy: withKey({ cookies: { behavior: 'all' } }), a: get({ headers: { cookie: 'b=2; a=1' } }), b: get({ headers: { cookie: 'a=1; b=2' } }), same: true },
      { name: 'a cookies record keys the same as the Cookie header', policy: withKey({ cookies: { behavior: 'whitelist', names: ['a'] } }), a: get({ cookies: { a: '1', z: '9' } }), b: get({ headers: { cookie: 'z=0; a=1' } }), same: true },
      { name: 'cookie names are case-sensitive', policy: withKey({ cookies: { behavior: 'whitelist', names: ['session'] } }), a: get({ headers: { cookie: 'Session=1' } }), b: get(), same: true },
      { name: 'equivalent Accept-Encoding headers share a key', policy: MANAGED_CACHE_POLICIES.CachingOptimized.key, a: get({ headers: { 'accept-encoding': 'gzip, deflate, br' } }), b: get({ headers: { 'accept-encoding': 'br,gzip' } }), same: true },
      { name: 'gzip-only viewers get a different key from br+gzip viewers', policy: MANAGED_CACHE_POLICIES.CachingOptimized.key, a: get({ headers: { 'accept-encoding': 'gzip' } }), b: get({ headers: { 'accept-encoding': 'gzip, br' } }), same: false },
      { name: 'an HTTP/1.0 viewer keys like a viewer without Accept-Encoding', policy: MANAGED_CACHE_POLICIES.CachingOptimized.key, a: get({ httpVersion: '1.0', headers: { 'accept-encoding': 'gzip' } }), b: get(), same: true },
      { name: 'Accept-Encoding is not keyed when both flags are off', policy: MANAGED_CACHE_POLICIES.CachingOptimizedForUncompressedObjects.key, a: get({ headers: { 'accept-encoding': 'gzip' } }), b: get(), same: true },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const ka = computeCacheKey(DOMAIN, c.policy, c.a, c.options);
        const kb = computeCacheKey(DOMAIN, c.policy, c.b, c.options);
        if (c.same) expect(ka).to.equal(kb);
        else expect(ka).to.not.equal(kb);
      });
    }

    it('includes the distribution domain', () => {
      expect(computeCacheKey('a.cloudfront.net', NOTHING, get())).to.not.equal(computeCacheKey('b.cloudfront.net', NOTHING, get()));
    });

    it('lists the signed-URL parameters of spec §10.2', () => {
      expect(SIGNED_URL_PARAMS).to.deep.equal(['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm']);
    });
  });

  describe('validateCacheKeyPolicy (spec §5.2)', () => {
    const cases: { name: string; policy: CacheKeyPolicy; s3?: boolean; errors: number; mentions?: string[] }[] = [
      { name: 'accepts CachingOptimized', policy: MANAGED_CACHE_POLICIES.CachingOptimized.key, errors: 0 },
      { name: 'accepts Amplify (Host is fine for custom origins)', policy: MANAGED_CACHE_POLICIES.Amplify.key, errors: 0 },
      { name: 'rejects Host for an S3 origin', policy: withKey({ headers: ['Host'] }), s3: true, errors: 1, mentions: ["'Host'", 'S3'] },
      { name: 'rejects 11 headers', policy: withKey({ headers: Array.from({ length: 11 }, (_, i) => `X-H${i}`) }), errors: 1, mentions: ['11', 'limit of 10'] },
      { name: 'rejects Cookie as a key header and points to the cookie setting', policy: withKey({ headers: ['Cookie'] }), errors: 1, mentions: ["'Cookie'", 'cookies setting'] },
      { name: 'reports Accept-Encoding as a key header (disables compression)', policy: withKey({ headers: ['Accept-Encoding'] }), errors: 1, mentions: ['disables CloudFront compression', 'enableAcceptEncodingGzip'] },
      { name: 'rejects forward-only CloudFront viewer headers', policy: withKey({ headers: ['CloudFront-Viewer-Address'] }), errors: 1, mentions: ['origin request policy'] },
      { name: 'rejects Connection, TE, Upgrade and Proxy-Authorization', policy: withKey({ headers: ['Connection', 'TE', 'Upgrade', 'Proxy-Authorization'] }), errors: 4 },
      { name: 'rejects a header listed twice in different case', policy: withKey({ headers: ['Origin', 'origin'] }), errors: 1, mentions: ['more than once'] },
      { name: 'rejects a whitelist without names', policy: withKey({ queryStrings: { behavior: 'whitelist', names: [] } }), errors: 1, mentions: ["'whitelist' needs at least one name"] },
      { name: 'rejects 11 query-string names', policy: withKey({ queryStrings: { behavior: 'whitelist', names: Array.from({ length: 11 }, (_, i) => `q${i}`) } }), errors: 1, mentions: ['11 query-string names'] },
      { name: 'rejects names totalling more than 1,024 characters', policy: withKey({ cookies: { behavior: 'whitelist', names: ['a'.repeat(400), 'b'.repeat(400), 'c'.repeat(400)] } }), errors: 1, mentions: ['1200 characters', '1024'] },
      { name: 'rejects an unknown behavior', policy: withKey({ cookies: { behavior: 'some' as never } }), errors: 1, mentions: ["'some'"] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const errors = validateCacheKeyPolicy(c.policy, 'cache policy media', { s3Origin: c.s3 ?? false });
        expect(errors, errors.join('\n')).to.have.length(c.errors);
        for (const m of c.mentions ?? []) expect(errors.join(' ')).to.include(m);
        for (const e of errors) expect(e).to.match(/^cache policy media: /);
      });
    }
  });
});
