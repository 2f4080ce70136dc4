import { expect } from 'chai';
import { ONE_YEAR_SECONDS } from '../../lib/semantics/ttl';
import {
  CONTENT_TYPES, CONTENT_TYPE_NAMES, DAY, HOUR, MINUTE, deriveTtl, resolveCatalog, type CatalogOverrides,
} from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { findShadowedPatterns, patternCovers, selectBehavior } from '../../lib/semantics/path-pattern';

describe('content-type catalog', () => {
  const catalog = resolveCatalog();

  it('declares the five content types with the targets of the platform', () => {
    const facts = Object.fromEntries(CONTENT_TYPES.map((t) => [t.name, [t.updateIntervalSeconds, t.targetHitRatio, t.targetLatencyMs]]));
    expect(facts).to.deep.equal({
      video: [6 * HOUR, 0.95, 200],
      thumbnails: [2 * HOUR, 0.9, 50],
      metadata: [15 * MINUTE, 0.85, 100],
      static: [DAY, 0.98, 50],
      api: [5 * MINUTE, 0.8, 150],
    });
  });

  it('declares the size range of each type', () => {
    const sizes = Object.fromEntries(CONTENT_TYPES.map((t) => [t.name, [t.sizeBytes.min, t.sizeBytes.max]]));
    expect(sizes).to.deep.equal({
      video: [1e9, 10e9], thumbnails: [50e3, 500e3], metadata: [1e3, 10e3], static: [10e3, 1e6], api: [1e3, 100e3],
    });
  });

  it('derives TTLs from the update interval: min 0, default = interval, max = interval x factor', () => {
    expect(deriveTtl(900, 4)).to.deep.equal({ minTtl: 0, defaultTtl: 900, maxTtl: 3600 });
    expect(deriveTtl(300, 1)).to.deep.equal({ minTtl: 0, defaultTtl: 300, maxTtl: 300 });
    expect(deriveTtl(DAY * 200, 4).maxTtl).to.equal(ONE_YEAR_SECONDS);
    expect(deriveTtl(HOUR, 4, true)).to.deep.equal({ minTtl: 0, defaultTtl: DAY, maxTtl: ONE_YEAR_SECONDS });
  });

  it('keeps every default TTL within its type update interval', () => {
    for (const t of catalog.types) {
      for (const r of t.routes) expect(r.ttl.defaultTtl, r.id).to.be.at.most(t.updateIntervalSeconds);
    }
  });

  it('caches public API GETs for at most 5 minutes and never caches personalized routes', () => {
    expect(catalog.route('api').ttl).to.deep.equal({ minTtl: 0, defaultTtl: 300, maxTtl: 300 });
    const priv = catalog.route('api-private');
    expect(priv.caching).to.equal('disabled');
    expect(priv.allowedMethods).to.equal('ALL');
    expect(priv.pathPatterns).to.include('/api/me/*');
  });

  it('distinguishes manifests from segments and protects premium video with signed URLs', () => {
    expect(catalog.route('video-manifests').pathPatterns).to.deep.equal(['/video/*.m3u8', '/video/*.mpd']);
    expect(catalog.route('video-manifests').ttl.defaultTtl).to.equal(5 * MINUTE);
    expect(catalog.route('video').compress).to.equal(false);
    expect(catalog.route('video-manifests').compress).to.equal(true);
    expect(catalog.routes.filter((r) => r.signed).map((r) => r.id)).to.deep.equal(['video-protected-manifests', 'video-protected']);
  });

  it('keys thumbnails on the resize/format parameters and nothing else', () => {
    expect(catalog.route('thumbnails').cacheKey).to.deep.equal({ queryStrings: ['width', 'height', 'quality', 'format'], headers: [], cookies: [], acceptEncoding: false });
  });

  it('puts no cookie or header in any cache key', () => {
    for (const r of catalog.routes) {
      expect(r.cacheKey.cookies, r.id).to.deep.equal([]);
      expect(r.cacheKey.headers, r.id).to.deep.equal([]);
    }
  });

  it('compresses every text type', () => {
    for (const t of catalog.types.filter((x) => x.textual)) {
      for (const r of t.routes) expect(r.compress, r.id).to.equal(true);
    }
  });

  it('orders behaviors so that no pattern is shadowed by an earlier one', () => {
    expect(findShadowedPatterns(catalog.behaviors.map((b) => b.pathPattern))).to.deep.equal([]);
    expect(catalog.behaviors).to.have.length(catalog.routes.reduce((n, r) => n + r.pathPatterns.length, 0));
  });

  const routing: [string, string | undefined][] = [
    ['/video/premium/show/master.m3u8', 'video-protected-manifests'],
    ['/video/premium/show/seg-001.m4s', 'video-protected'],
    ['/video/abc/master.m3u8', 'video-manifests'],
    ['/video/abc/manifest.mpd', 'video-manifests'],
    ['/video/abc/1080p/seg-001.ts', 'video'],
    ['/thumbnails/abc/poster.jpg', 'thumbnails'],
    ['/previews/abc/sprite.webp', 'thumbnails'],
    ['/metadata/videos/abc.json', 'metadata'],
    ['/static/app.3f9c.js', 'static'],
    ['/fonts/inter.woff2', 'static'],
    ['/api/search', 'api'],
    ['/api/me/history', 'api-private'],
    ['/api/auth/token', 'api-private'],
    ['/index.html', undefined],
    ['/VIDEO/abc/seg.ts', undefined],
  ];
  for (const [path, route] of routing) {
    it(`routes ${path} to ${route ?? 'the default behavior'}`, () => {
      expect(selectBehavior(catalog.behaviors, path)?.route.id).to.equal(route);
    });
  }

  it('uses the static route for the default behavior', () => {
    expect(catalog.defaultRoute.id).to.equal('static');
  });

  it('lists the content type names in order', () => {
    expect(CONTENT_TYPE_NAMES).to.deep.equal(['video', 'thumbnails', 'metadata', 'static', 'api']);
    expect(patternCovers('/video/*', '/video/*.m3u8')).to.equal(true);
  });
});

describe('catalog overrides from stack config', () => {
  it('applies TTL and pattern overrides to a route', () => {
    const c = resolveCatalog({ metadata: { defaultTtl: 600, maxTtl: 1200, pathPatterns: ['/meta/*'] } });
    expect(c.route('metadata').ttl).to.deep.equal({ minTtl: 0, defaultTtl: 600, maxTtl: 1200 });
    expect(c.route('metadata').pathPatterns).to.deep.equal(['/meta/*']);
    expect(c.behaviors.map((b) => b.pathPattern)).to.include('/meta/*').and.not.include('/metadata/*');
  });

  it('turning compression off also removes Accept-Encoding from the key', () => {
    const c = resolveCatalog({ static: { compress: false } });
    expect(c.route('static').compress).to.equal(false);
    expect(c.route('static').cacheKey.acceptEncoding).to.equal(false);
  });

  const bad: [string, CatalogOverrides, RegExp][] = [
    ['an unknown type', { audio: { defaultTtl: 60 } }, /contentTypes\.audio: unknown content type or route 'audio'; use one of: .*metadata/],
    ['an unknown setting', { metadata: { ttl: 60 } as never }, /contentTypes\.metadata\.ttl: unknown setting; use one of: minTtl, defaultTtl, maxTtl/],
    ['default TTL above max TTL', { metadata: { defaultTtl: 86400 } }, /contentTypes\.metadata.*default.*86400.*max.*3600/i],
    ['min TTL above default TTL', { static: { minTtl: 90000 } }, /contentTypes\.static.*min.*90000/i],
    ['a negative TTL', { thumbnails: { minTtl: -1 } }, /contentTypes\.thumbnails.*-1/],
    ['a TTL over one year', { video: { maxTtl: 40_000_000 } }, /contentTypes\.video.*40000000.*31536000/],
    ['a fractional TTL', { api: { defaultTtl: 1.5 } }, /contentTypes\.api\.defaultTtl must be a whole number of seconds, got 1\.5/],
    ['a TTL on a never-cached route', { 'api-private': { defaultTtl: 60 } }, /api-private.*never cached.*remove minTtl\/defaultTtl\/maxTtl/],
    ['a duplicate pattern', { metadata: { pathPatterns: ['/api/*'] } }, /path pattern '\/api\/\*' is declared more than once \(routes: .*metadata.*api|routes: .*api.*metadata/],
    ['a pattern shadowed by an equivalent one', { metadata: { pathPatterns: ['/video/**'] } }, /path pattern '\/video\/\*+' of route '(video|metadata)' is shadowed by '\/video\/\*+' of route '(video|metadata)'/],
    ['the default pattern', { static: { pathPatterns: ['*'] } }, /default behavior's pattern/],
    ['an empty pattern list', { static: { pathPatterns: [] } }, /pathPatterns must be a non-empty list/],
    ['a pattern with a forbidden character', { static: { pathPatterns: ['/static/[a-z]*'] } }, /contentTypes\.static\.pathPatterns: .*\[/],
    ['compress that is not a boolean', { static: { compress: 'yes' as never } }, /compress must be true or false, got 'yes'/],
    ['an override that is not an object', { static: 5 as never }, /contentTypes\.static must be an object/],
  ];
  for (const [name, overrides, message] of bad) {
    it(`rejects ${name}, naming the key, the value and the fix`, () => {
      let err: unknown;
      try {
        resolveCatalog(overrides);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).problems.join('\n')).to.match(message);
    });
  }

  it('reports every problem at once', () => {
    try {
      resolveCatalog({ audio: {}, metadata: { defaultTtl: -5 } });
      expect.fail('should throw');
    } catch (e) {
      expect((e as InputError).problems.length).to.be.at.least(2);
    }
  });
});
