import { expect } from 'chai';
import { cacheControlFor, cacheControlForPath, CONTENT_TYPES, maxStaleSeconds, resolveCatalog, routeForPath, staleDirectives, staleWindowProblems } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { parseCacheControl, resolveTtl } from '../../lib/semantics/ttl';

describe('catalog: stale-while-revalidate and stale-if-error', () => {
  it('every built-in route is within its type’s bound (the update interval), never-cached routes at 0', () => {
    for (const t of CONTENT_TYPES) {
      for (const r of t.routes) expect(staleWindowProblems(r, maxStaleSeconds(t), r.id), r.id).to.deep.equal([]);
    }
    expect(resolveCatalog().route('api-private')).to.deep.include({ staleWhileRevalidate: 0, staleIfError: 0 });
    expect(resolveCatalog().route('metadata')).to.deep.include({ staleWhileRevalidate: 300, staleIfError: 900 });
  });

  it('a stack override within the bound is applied, like the TTLs', () => {
    expect(resolveCatalog({ metadata: { staleWhileRevalidate: 900, staleIfError: 60 } }).route('metadata')).to.deep.include({ staleWhileRevalidate: 900, staleIfError: 60 });
  });

  for (const [name, override, message] of [
    ['beyond the update interval', { metadata: { staleIfError: 901 } }, /contentTypes\.metadata\.staleIfError is 901 s, more than the content type's update interval \(900 s\).*set it to at most 900/],
    ['negative', { video: { staleWhileRevalidate: -1 } }, /contentTypes\.video\.staleWhileRevalidate must be a whole number of seconds ≥ 0, got -1/],
    ['not a number', { static: { staleIfError: '1h' } }, /contentTypes\.static\.staleIfError must be a whole number of seconds ≥ 0, got '1h'/],
    ['on a never-cached route', { 'api-private': { staleWhileRevalidate: 10 } }, /route 'api-private' is never cached .* set staleWhileRevalidate to 0/],
  ] as const) {
    it(`rejects an override ${name}`, () => {
      expect(() => resolveCatalog(override as never)).to.throw(InputError, message);
    });
  }

  it('cacheControlFor: the default TTL and the windows; no-store on never-cached routes', () => {
    const c = resolveCatalog();
    expect(cacheControlFor(c.route('metadata'))).to.equal('public, max-age=900, stale-while-revalidate=300, stale-if-error=900');
    expect(cacheControlFor(c.route('video-manifests'))).to.equal('public, max-age=300, stale-while-revalidate=300, stale-if-error=21600');
    expect(cacheControlFor(c.route('api-private'))).to.equal('private, no-store');
    expect(cacheControlFor({ ...c.route('static'), staleWhileRevalidate: 0, staleIfError: 0 })).to.equal('public, max-age=86400, stale-if-error=0');
    expect(staleDirectives(c.route('api-private'))).to.equal('');
  });

  it('by path: first-match over the catalog’s behaviors, S3 keys with or without the leading slash', () => {
    const c = resolveCatalog();
    expect(routeForPath(c, 'video/7/master.m3u8').id).to.equal('video-manifests');
    expect(routeForPath(c, '/video/premium/7/a.ts').id).to.equal('video-protected');
    expect(routeForPath(c, '/index.html').id).to.equal('static');
    expect(cacheControlForPath(c, '/api/me/x')).to.equal('private, no-store');
  });

  it('the header gives the route’s own TTL back through the semantics module (spec §2.2)', () => {
    const c = resolveCatalog();
    for (const r of c.routes.filter((x) => x.caching === 'custom')) {
      expect(resolveTtl(r.ttl, { cacheControl: cacheControlFor(r) }, 0).ttl, r.id).to.equal(r.ttl.defaultTtl);
      expect(parseCacheControl(cacheControlFor(r)).staleIfError, r.id).to.equal(r.staleIfError);
    }
  });
});
