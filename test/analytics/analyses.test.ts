import { expect } from 'chai';
import { loadAnalyses, readAnalysisTemplates } from '../../adapters/analytics-sql';
import { analysisParameters, ANALYSIS_NAMES, parameterMarkers, renderAnalyses, REQUESTS_FRAGMENT, spliceParameters } from '../../lib/analytics/analyses';
import { resolveCatalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { athenaQueryCostUsd } from '../../lib/semantics/pricing';


describe('the analyses of analytics/sql (lib/analytics/analyses)', () => {
  const catalog = resolveCatalog();
  const templates = readAnalysisTemplates();

  it('has one file per analysis, and the shared requests fragment', () => {
    expect(Object.keys(templates).sort()).to.deep.equal([REQUESTS_FRAGMENT, ...ANALYSIS_NAMES].sort());
  });

  for (const a of loadAnalyses(catalog)) {
    it(`renders ${a.name} with every placeholder filled, the five parameters and a description`, () => {
      expect(a.sql).not.to.match(/\{\{/);
      expect(parameterMarkers(a.sql)).to.have.length(5);
      expect(a.sql).to.include('FROM cloudfront_logs s');
      expect(a.description.length).to.be.greaterThan(40);
    });
  }

  it('renders the content type from the stack\'s catalog, so an override reaches the SQL', () => {
    const overridden = resolveCatalog({ metadata: { pathPatterns: ['/metadata/*', '/catalog-data/*'] } });
    const sql = loadAnalyses(overridden).find((a) => a.name === 'hit-ratio-by-type')!.sql;
    expect(sql).to.include("'catalog-data/%'");
    expect(loadAnalyses(catalog)[0]!.sql).not.to.include('catalog-data');
  });

  it('refuses an unknown placeholder, a missing file and an unlisted file, naming them', () => {
    const bad = (t: Record<string, string>) => {
      try {
        renderAnalyses(t, catalog);
      } catch (e) {
        expect(e).to.be.instanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad({ ...templates, 'origin-offload': 'SELECT {{nope}}' })).to.match(/origin-offload\.sql: unknown placeholder \{\{nope\}\}/);
    const { 'top-missed-paths': _, ...missing } = templates;
    expect(bad(missing)).to.match(/lacks top-missed-paths\.sql/);
    expect(bad({ ...templates, extra: 'SELECT 1' })).to.match(/holds extra\.sql/);
  });

  it('gives the parameters in the order of the fragment: hour keys, timestamps, distribution', () => {
    const p = analysisParameters({ from: new Date('2026-03-01T12:30:00Z'), to: new Date('2026-03-02T00:00:00Z'), distributionId: 'E1ABC' });
    expect(p.map((x) => x.value)).to.deep.equal(['2026030112', '2026030123', '2026-03-01 12:30:00', '2026-03-02 00:00:00', 'E1ABC']);
    expect(p.map((x) => x.literal)).to.deep.equal(['2026030112', '2026030123', "'2026-03-01 12:30:00'", "'2026-03-02 00:00:00'", "'E1ABC'"]);
    expect(analysisParameters({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T01:00:00Z') })[4]!.value).to.equal('%');
  });

  it('splices parameters into the ? markers only, as Athena does', () => {
    const sql = "SELECT '?', \"a?\" -- why?\n, ? /* ? */ FROM t WHERE x = ? AND y = 'it''s ?'";
    expect(parameterMarkers(sql)).to.have.length(2);
    expect(spliceParameters(sql, ["'a'", '42'])).to.equal("SELECT '?', \"a?\" -- why?\n, 'a' /* ? */ FROM t WHERE x = 42 AND y = 'it''s ?'");
    expect(() => spliceParameters(sql, ['1'])).to.throw(InputError, /2 parameter\(s\) and 1 value\(s\)/);
  });

  it('prices Athena queries at $5 per TB with a 10 MB minimum', () => {
    expect(athenaQueryCostUsd(0)).to.be.closeTo((10 * 2 ** 20 / 2 ** 40) * 5, 1e-15);
    expect(athenaQueryCostUsd(2 ** 40)).to.equal(5);
    expect(athenaQueryCostUsd(2 ** 40 + 1)).to.be.greaterThan(5);
  });
});
