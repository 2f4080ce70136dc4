import { expect } from 'chai';
import { resolveCatalog, type Catalog, type ContentTypeName } from '../../lib/catalog';
import {
  cachedRoutesCondition, classOfPath, contentTypeCondition, evaluateCondition, patternsMayOverlap, patternToInsightsRegex,
  toInsightsExpression, toMetricFilterExpression, typeBehaviors, uncachedRoutesCondition,
} from '../../lib/monitoring/path-classes';
import { selectBehavior } from '../../lib/semantics/path-pattern';

/** The type CloudFront routes a path to: first matching behavior, else the default behavior's type. */
function routedType(catalog: Catalog, path: string): ContentTypeName {
  return selectBehavior(catalog.behaviors, path)?.route.contentType ?? catalog.defaultRoute.contentType;
}

/** Paths from every pattern (wildcards filled several ways) plus paths no pattern matches. */
function samplePaths(catalog: Catalog): string[] {
  const fills = ['', 'x', 'a/b.ts', 'premium/t1/index.m3u8', 'me/profile', 'seg.json'];
  const fromPatterns = catalog.behaviors.flatMap((b) => fills.map((f) => `/${b.pathPattern.replace(/^\//, '').replace(/\*/g, f)}`));
  return [...fromPatterns, '/', '/index.html', '/favicon.ico', '/videos/x', '/api', '/apix/y', '/VIDEO/a.ts', '/static', '/metadata'];
}

describe('content-type path classes (lib/monitoring/path-classes)', () => {
  const catalog = resolveCatalog();
  // Overlapping types: a metadata pattern inside /api/ comes first, so /api/x.json is metadata, not api.
  const overlapping = resolveCatalog({ metadata: { pathPatterns: ['/metadata/*', '/api/*.json'] } });

  const routed: [string, ContentTypeName][] = [
    ['/video/premium/t1/master.m3u8', 'video'],
    ['/video/t1/seg-001.ts', 'video'],
    ['/thumbnails/t1.jpg', 'thumbnails'],
    ['/previews/t1.webp', 'thumbnails'],
    ['/metadata/t1.json', 'metadata'],
    ['/static/app.js', 'static'],
    ['/fonts/a.woff2', 'static'],
    ['/api/search', 'api'],
    ['/api/me/profile', 'api'],
    ['/index.html', 'static'],
    ['/', 'static'],
    ['/VIDEO/x.ts', 'static'],
  ];
  for (const [path, type] of routed) {
    it(`classifies ${path} as ${type}, as CloudFront routes it`, () => {
      const matching = catalog.types.filter((t) => evaluateCondition(contentTypeCondition(catalog, t.name), path)).map((t) => t.name);
      expect(matching).to.deep.equal([type]);
    });
  }

  for (const [name, cat] of [['the built-in catalog', catalog], ['a catalog whose types overlap', overlapping]] as const) {
    it(`puts every sample path in exactly the type first-match selection picks, for ${name}`, () => {
      const conditions = cat.types.map((t) => [t.name, contentTypeCondition(cat, t.name)] as const);
      for (const path of samplePaths(cat)) {
        const got = conditions.filter(([, c]) => evaluateCondition(c, path)).map(([name]) => name);
        expect(got, path).to.deep.equal([routedType(cat, path)]);
      }
    });
  }

  it('excludes the earlier overlapping metadata pattern from api', () => {
    expect(evaluateCondition(contentTypeCondition(overlapping, 'api'), '/api/list.json')).to.equal(false);
    expect(evaluateCondition(contentTypeCondition(overlapping, 'metadata'), '/api/list.json')).to.equal(true);
    expect(evaluateCondition(contentTypeCondition(overlapping, 'api'), '/api/list')).to.equal(true);
  });

  it('splits api into cached routes and never-cached (personalized) routes', () => {
    const cases: [string, boolean, boolean][] = [
      ['/api/search', true, false],
      ['/api/me/profile', false, true],
      ['/api/user/42', false, true],
      ['/api/auth/token', false, true],
      ['/metadata/x.json', false, false],
    ];
    for (const [path, cached, uncached] of cases) {
      expect(evaluateCondition(cachedRoutesCondition(catalog, 'api'), path), `${path} cached`).to.equal(cached);
      expect(evaluateCondition(uncachedRoutesCondition(catalog, 'api'), path), `${path} uncached`).to.equal(uncached);
    }
    expect(uncachedRoutesCondition(catalog, 'video')).to.deep.equal({ op: 'never' });
  });

  it('agrees with classOfPath over the typed behaviors', () => {
    const behaviors = typeBehaviors(catalog);
    for (const path of samplePaths(catalog)) expect(classOfPath(behaviors, catalog.defaultRoute.contentType, path), path).to.equal(routedType(catalog, path));
  });

  it('renders the video condition as one wildcard (every video pattern is covered by /video/*)', () => {
    expect(toMetricFilterExpression(contentTypeCondition(catalog, 'video'), 'cs-uri-stem')).to.equal('$.cs-uri-stem = "/video/*"');
  });

  it('renders the default type as the negation of every other type', () => {
    expect(toMetricFilterExpression(contentTypeCondition(catalog, 'static'), 'cs-uri-stem')).to.equal(
      '$.cs-uri-stem != "/thumbnails/*" && $.cs-uri-stem != "/previews/*" && $.cs-uri-stem != "/metadata/*" && $.cs-uri-stem != "/video/*" && $.cs-uri-stem != "/api/*"',
    );
  });

  it('renders api cached routes with its exclusions, for metric filters and Logs Insights', () => {
    const c = cachedRoutesCondition(catalog, 'api');
    expect(toMetricFilterExpression(c, 'cs-uri-stem')).to.equal(
      '$.cs-uri-stem = "/api/*" && $.cs-uri-stem != "/api/user/*" && $.cs-uri-stem != "/api/auth/*" && $.cs-uri-stem != "/api/me/*"',
    );
    expect(toInsightsExpression(c, 'cs-uri-stem')).to.equal(
      '`cs-uri-stem` like /^\\/api\\/.*$/ and `cs-uri-stem` not like /^\\/api\\/user\\/.*$/ and `cs-uri-stem` not like /^\\/api\\/auth\\/.*$/ and `cs-uri-stem` not like /^\\/api\\/me\\/.*$/',
    );
  });

  it('refuses a pattern a metric filter cannot express, naming it', () => {
    expect(() => toMetricFilterExpression({ op: 'match', pattern: '/img/?.png' }, 'cs-uri-stem')).to.throw(/'\/img\/\?\.png'/);
    expect(() => toMetricFilterExpression({ op: 'never' }, 'cs-uri-stem')).to.throw(/matches nothing/);
  });

  const regexes: [string, string][] = [
    ['/video/*', '/^\\/video\\/.*$/'],
    ['video/*.m3u8', '/^\\/video\\/.*\\.m3u8$/'],
    ['/img/?.png', '/^\\/img\\/.\\.png$/'],
    ['/a+b/(c)', '/^\\/a\\+b\\/\\(c\\)$/'],
  ];
  for (const [pattern, regex] of regexes) {
    it(`turns path pattern ${pattern} into the anchored regex ${regex}`, () => {
      expect(patternToInsightsRegex(pattern)).to.equal(regex);
      // The regex (without its delimiters and escapes of '/') agrees with the pattern on sample paths.
      const re = new RegExp(regex.slice(1, -1));
      for (const path of ['/video/x', '/video/a.m3u8', '/img/a.png', '/img/ab.png', '/a+b/(c)', '/other']) {
        expect(re.test(path), `${pattern} ${path}`).to.equal(evaluateCondition({ op: 'match', pattern }, path));
      }
    });
  }

  const overlaps: [string, string, boolean][] = [
    ['/video/*', '/api/*', false],
    ['/api/*', '/api/me/*', true],
    ['/api/*.json', '/api/*', true],
    ['/video/*.m3u8', '/video/*.mpd', false],
    ['/static/*', '/static/app.js', true],
    ['/static/app.js', '/fonts/*', false],
  ];
  for (const [a, b, may] of overlaps) {
    it(`says ${a} and ${b} ${may ? 'may overlap' : 'are disjoint'}`, () => {
      expect(patternsMayOverlap(a, b)).to.equal(may);
      expect(patternsMayOverlap(b, a)).to.equal(may);
    });
  }
});
