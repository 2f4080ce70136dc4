import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'chai';
import { resolveCatalog, type Catalog } from '../../lib/catalog';
import {
  cachedRouteCaseSql, contentTypeCaseSql, firstMatchCaseSql, pathPatternToLike, sqlString, viewerAreaCaseSql, CACHED_ROUTE, UNCACHED_ROUTE, UNKNOWN_AREA,
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
  return [...fromPatterns, '/', '', '/index.html', '/favicon.ico', '/videos/x', '/api', '/apix/y', '/VIDEO/a.ts', '/static', '/metadata', '/api_x/y', '/api%/y'];
}

/** Evaluates `expr` (over column `p`) in DuckDB for every path, in order. */
async function evaluate(conn: DuckDBConnection, expr: string, paths: readonly string[]): Promise<string[]> {
  const values = paths.map((p, i) => `(${i}, ${sqlString(p)})`).join(', ');
  const reader = await conn.runAndReadAll(`SELECT ${expr} AS v FROM (VALUES ${values}) AS l(i, p) ORDER BY i`);
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
  for (const [name, cat] of [['the built-in catalog', catalog], ['a catalog whose types overlap', overlapping]] as const) {
    it(`gives every sample path the type CloudFront's first-match selection picks, for ${name}`, async () => {
      const paths = samplePaths(cat);
      expect(paths.length).to.be.greaterThan(150);
      const got = await evaluate(conn, contentTypeCaseSql(cat, 'p'), paths);
      const want = paths.map((p) => selectBehavior(cat.behaviors, p)?.route.contentType ?? cat.defaultRoute.contentType);
      expect(got).to.deep.equal(want);
    });

    it(`tells cached from never-cached routes as the behavior's cache policy does, for ${name}`, async () => {
      const paths = samplePaths(cat);
      const got = await evaluate(conn, cachedRouteCaseSql(cat, 'p'), paths);
      const want = paths.map((p) => ((selectBehavior(cat.behaviors, p)?.route ?? cat.defaultRoute).caching === 'disabled' ? UNCACHED_ROUTE : CACHED_ROUTE));
      expect(got).to.deep.equal(want);
      expect(got).to.include(UNCACHED_ROUTE);
    });
  }

  it('classifies the documented examples', async () => {
    const paths = ['/video/premium/t1/master.m3u8', '/thumbnails/t1.jpg', '/metadata/t1.json', '/api/search', '/api/me/profile', '/index.html', '/VIDEO/x.ts'];
    expect(await evaluate(conn, contentTypeCaseSql(catalog, 'p'), paths)).to.deep.equal(['video', 'thumbnails', 'metadata', 'api', 'api', 'static', 'static']);
    expect(await evaluate(conn, cachedRouteCaseSql(catalog, 'p'), ['/api/search', '/api/me/profile'])).to.deep.equal([CACHED_ROUTE, UNCACHED_ROUTE]);
  });

  it('merges consecutive behaviors of one value into one branch, keeping the order', () => {
    const sql = firstMatchCaseSql([{ pathPattern: '/a/*', value: 'x' }, { pathPattern: '/b/*', value: 'x' }, { pathPattern: '/c/*', value: 'y' }, { pathPattern: '/d/*', value: 'x' }], 'z', 'p');
    expect(sql.match(/THEN '[xyz]'/g)).to.have.length(3);
    expect(sql.indexOf("'a/%'")).to.be.lessThan(sql.indexOf("'c/%'"));
    expect(sql.indexOf("'c/%'")).to.be.lessThan(sql.indexOf("'d/%'"));
  });

  it('maps countries to their viewer area, and unknown or missing countries to unknown', async () => {
    const got = await evaluate(conn, viewerAreaCaseSql('p'), ['US', 'DE', 'BR', 'ZZ', '-']);
    const areaOf = (c: string) => VIEWER_AREAS.find((a) => a.countries.split(' ').includes(c))!.name;
    expect(got).to.deep.equal([areaOf('US'), areaOf('DE'), areaOf('BR'), UNKNOWN_AREA, UNKNOWN_AREA]);
  });
});
