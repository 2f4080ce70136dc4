import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'chai';
import { resolveCatalog, type Catalog } from '../../lib/catalog';
import {
  behaviorClasses, behaviorIndexSql, behaviorValuesSql, literalFirstSegment, normalizedPathSql, pathPatternToLike, sqlString, viewerAreasValuesSql, CACHED_ROUTE, UNCACHED_ROUTE, UNKNOWN_AREA,
  type BehaviorClassValues,
} from '../../lib/analytics/sql-expressions';
import { selectBehavior } from '../../lib/semantics/path-pattern';
import { VIEWER_AREAS } from '../../lib/routing';

/** Paths from every pattern (wildcards filled several ways), LIKE metacharacters, and paths no pattern matches. */
function samplePaths(catalog: Catalog): string[] {
  const fills = ['', 'x', 'a/b.ts', 'premium/t1/index.m3u8', 'me/profile', 'seg.json', '%', '_', 'a_b%c', "o'k", '\\'];
  const fromPatterns = catalog.behaviors.flatMap((b) => fills.flatMap((f) => {
    const body = b.pathPattern.replace(/^\//, '').replace(/\*/g, f).replace(/\?/g, 'q');
    return [`/${body}`, body, `//${body}`];
  }));
  return [...fromPatterns, '/', '', '/index.html', '/favicon.ico', '/videos/x', '/api', '/apix/y', '/VIDEO/a.ts', '/static', '/metadata', '/api_x/y', '/api%/y', '/api/x.css', '/video/a.jpg', '/fonts/a.css', '/thumbnails/x.css', '/static/t.jpg', 'fonts/x', '/xonts/y'];
}

/** The rows of `SELECT <select> FROM (VALUES (i, p) …) AS l(i, p) <join>` in the order of `inputs`, as text. */
async function evaluate(conn: DuckDBConnection, select: string, inputs: readonly string[], join = ''): Promise<string[]> {
  const values = inputs.map((p, i) => `(${i}, ${sqlString(p)})`).join(', ');
  const reader = await conn.runAndReadAll(`SELECT ${select} AS v FROM (VALUES ${values}) AS l(i, p) ${join} ORDER BY l.i`);
  return reader.getRowObjectsJson().map((r) => String(r.v));
}

/** A class value of every path, as the requests CTE computes it: normalized path, then class index, then value. */
async function classify(conn: DuckDBConnection, catalog: Catalog, key: keyof BehaviorClassValues, paths: readonly string[]): Promise<string[]> {
  const { classes, fallback } = behaviorClasses(catalog);
  const values = paths.map((p, i) => `(${i}, ${sqlString(p)})`).join(', ');
  const column = key === 'contentType' ? 'content_type' : 'cached_route';
  const reader = await conn.runAndReadAll(`SELECT v.${column} AS v FROM (
    SELECT n.i, ${behaviorIndexSql(classes, 'n.np')} AS behavior FROM (SELECT l.i, ${normalizedPathSql('l.p')} AS np FROM (VALUES ${values}) AS l(i, p)) n
  ) c JOIN ${behaviorValuesSql(classes, fallback, 'v')} ON v.behavior = c.behavior ORDER BY c.i`);
  return reader.getRowObjectsJson().map((r) => String(r.v));
}

describe('SQL expressions generated from the catalog (lib/analytics/sql-expressions)', () => {
  let conn: DuckDBConnection;
  before(async () => {
    conn = await (await DuckDBInstance.create(':memory:')).connect();
  });
  after(() => conn.closeSync());

  const cases: [string, string][] = [
    ['/video/*', 'video/%'],
    ['video/*.ts', 'video/%.ts'],
    ['/a?c/*', 'a_c/%'],
    ['/under_score/*', 'under\\_score/%'],
    ['/100%/*', '100\\%/%'],
    ['/back\\slash', 'back\\\\slash'],
    ['*', '%'],
  ];
  for (const [pattern, like] of cases) {
    it(`turns the path pattern ${pattern} into LIKE '${like}'`, () => {
      expect(pathPatternToLike(pattern)).to.equal(like);
    });
  }

  const catalog = resolveCatalog();
  // A metadata pattern inside /api/ comes first, so /api/x.json is metadata; '?' and '_' patterns too.
  const overlapping = resolveCatalog({ metadata: { pathPatterns: ['/metadata/*', '/api/*.json', '/m?ta_x/*'] } });
  // Patterns that may match under any folder ('*.css', '?onts/*') are tried in every folder's branch.
  const anywhere = resolveCatalog({ static: { pathPatterns: ['*.css', '/static/*', '?onts/*'] }, thumbnails: { pathPatterns: ['/thumbnails/*', '*.jpg'] } });
  for (const [name, cat] of [['the built-in catalog', catalog], ['a catalog whose types overlap', overlapping], ['a catalog with patterns starting with a wildcard', anywhere]] as const) {
    it(`gives every sample path the type CloudFront's first-match selection picks, for ${name}`, async () => {
      const paths = samplePaths(cat);
      expect(paths.length).to.be.greaterThan(150);
      const got = await classify(conn, cat, 'contentType', paths);
      const want = paths.map((p) => selectBehavior(cat.behaviors, p)?.route.contentType ?? cat.defaultRoute.contentType);
      expect(got).to.deep.equal(want);
    });

    it(`tells cached from never-cached routes as the behavior's cache policy does, for ${name}`, async () => {
      const paths = samplePaths(cat);
      const got = await classify(conn, cat, 'cachedRoute', paths);
      const want = paths.map((p) => ((selectBehavior(cat.behaviors, p)?.route ?? cat.defaultRoute).caching === 'disabled' ? UNCACHED_ROUTE : CACHED_ROUTE));
      expect(got).to.deep.equal(want);
      expect(got).to.include(UNCACHED_ROUTE);
    });
  }

  it('classifies the documented examples', async () => {
    const paths = ['/video/premium/t1/master.m3u8', '/thumbnails/t1.jpg', '/metadata/t1.json', '/api/search', '/api/me/profile', '/index.html', '/VIDEO/x.ts'];
    expect(await classify(conn, catalog, 'contentType', paths)).to.deep.equal(['video', 'thumbnails', 'metadata', 'api', 'api', 'static', 'static']);
    expect(await classify(conn, catalog, 'cachedRoute', ['/api/search', '/api/me/profile'])).to.deep.equal([CACHED_ROUTE, UNCACHED_ROUTE]);
  });

  it('groups consecutive behaviors with the same values into one class, keeping the order', () => {
    const { classes, fallback } = behaviorClasses(catalog);
    expect(classes.flatMap((c) => c.pathPatterns)).to.deep.equal(catalog.behaviors.map((b) => b.pathPattern));
    expect(classes.length).to.be.lessThan(catalog.behaviors.length);
    classes.slice(1).forEach((c, i) => expect([c.contentType, c.cachedRoute]).to.not.deep.equal([classes[i]!.contentType, classes[i]!.cachedRoute]));
    expect(fallback).to.deep.equal({ contentType: catalog.defaultRoute.contentType, cachedRoute: CACHED_ROUTE });
  });

  it('dispatches on the first folder: a path is tried only against the patterns that can match it', () => {
    expect(literalFirstSegment('video/premium/%.m3u8')).to.equal('video/');
    expect(literalFirstSegment('under\\_score/%')).to.equal('under\\_score/');
    expect(literalFirstSegment('%.css')).to.equal(undefined);
    expect(literalFirstSegment('v_deo/%')).to.equal(undefined);
    expect(literalFirstSegment('index.html')).to.equal(undefined);
    const sql = behaviorIndexSql(behaviorClasses(catalog).classes, 'np');
    // The video folder's branch holds only video patterns; '/video/*' (every path there) is its ELSE.
    const video = sql.slice(sql.indexOf("WHEN np LIKE 'video/%'"), sql.indexOf("WHEN np LIKE 'thumbnails/%'"));
    expect(video).to.not.include('api/');
    expect(video).to.match(/ELSE \d+\s+END\s*$/);
    expect(sql.match(/ LIKE /g)!.length).to.be.lessThan(catalog.behaviors.length + 8);
  });

  it('maps countries to their viewer area, and unknown or missing countries to unknown', async () => {
    const got = await evaluate(conn, `coalesce(a.viewer_area, '${UNKNOWN_AREA}')`, ['US', 'DE', 'BR', 'ZZ', '-'], `LEFT JOIN ${viewerAreasValuesSql('a')} ON a.country = l.p`);
    const areaOf = (c: string) => VIEWER_AREAS.find((a) => a.countries.split(' ').includes(c))!.name;
    expect(got).to.deep.equal([areaOf('US'), areaOf('DE'), areaOf('BR'), UNKNOWN_AREA, UNKNOWN_AREA]);
    // One row per country, so the join never repeats a request.
    const countries = VIEWER_AREAS.flatMap((a) => a.countries.split(' '));
    expect(viewerAreasValuesSql('a').match(/\('[A-Z]{2}', /g)).to.have.length(new Set(countries).size);
  });
});
