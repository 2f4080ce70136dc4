/**
 * The offline cost's invalidation paths: the simulated day's changes through the real planner.
 */
import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { planDayInvalidations } from '../../simulator/invalidation-plan';
import { SEED_PROFILE, type WorkloadProfile } from '../../simulator/profile';
import { DAYS_PER_MONTH } from '../../simulator/results';

const catalog = resolveCatalog();

function profile(updates: Partial<WorkloadProfile['updates']>): WorkloadProfile {
  return {
    ...SEED_PROFILE,
    video: { ...SEED_PROFILE.video, titles: 20 },
    catalog: { ...SEED_PROFILE.catalog, staticFiles: 200, metadataDocuments: 50 },
    updates: {
      video: { changedShare: 0, invalidate: true }, thumbnails: { changedShare: 0, invalidate: true }, metadata: { changedShare: 0, invalidate: true },
      static: { changedShare: 0, invalidate: true }, api: { changedShare: 0, invalidate: false }, ...updates,
    },
  };
}

describe('simulator/invalidation-plan (the simulated day\'s invalidations through the planner)', function () {
  this.timeout(60_000);

  it('collapses a fully replaced static release into a few wildcards: the planner, not one path per file', async () => {
    const r = await planDayInvalidations({ catalog, profile: profile({ static: { changedShare: 1, invalidate: true } }), seed: 1, naivePathsPerMonth: 0 });
    const day = r.byType.static!;
    expect(day.requestsPerDay).to.equal(1); // static changes once a day
    expect(day.requestedPathsPerDay).to.equal(201); // 200 files and the app shell
    expect(day.plannedPathsPerDay).to.equal(5); // a wildcard per folder (/static/js/, /static/css/, /static/img/, /fonts/) and /index.html
    expect(r.plannedPathsPerMonth).to.equal(Math.round(day.plannedPathsPerDay * DAYS_PER_MONTH));
    expect(r.requestedPathsPerMonth).to.equal(Math.round(201 * DAYS_PER_MONTH));
  });

  it('keeps one path per document on a custom origin, which cannot be listed to count over-invalidation', async () => {
    const r = await planDayInvalidations({ catalog, profile: profile({ metadata: { changedShare: 1, invalidate: true } }), seed: 1, naivePathsPerMonth: 123 });
    expect(r.byType.metadata).to.deep.equal({ requestsPerDay: 96, requestedPathsPerDay: 96 * 50, plannedPathsPerDay: 96 * 50 });
    expect(r.naivePathsPerMonth).to.equal(123);
  });

  it('plans nothing for types that change but are not invalidated, or do not change', async () => {
    const r = await planDayInvalidations({ catalog, profile: profile({ api: { changedShare: 1, invalidate: false } }), seed: 1, naivePathsPerMonth: 0 });
    expect(r).to.deep.include({ plannedPathsPerMonth: 0, requestedPathsPerMonth: 0, byType: {} });
  });

  it('passes the cache-tag header to the shared tag planning; the workload\'s title and image wildcards leave it nothing to replace', async () => {
    const p = profile({ video: { changedShare: 1, invalidate: true }, thumbnails: { changedShare: 1, invalidate: true } });
    const withTags = await planDayInvalidations({ catalog, profile: p, seed: 1, naivePathsPerMonth: 0, cacheTagHeader: 'x-amz-meta-cache-tags' });
    const without = await planDayInvalidations({ catalog, profile: p, seed: 1, naivePathsPerMonth: 0 });
    expect(withTags.byType).to.deep.equal(without.byType);
    expect(withTags.byType.video).to.deep.equal({ requestsPerDay: 4, requestedPathsPerDay: 80, plannedPathsPerDay: 80 });
    expect(withTags.byType.thumbnails).to.deep.equal({ requestsPerDay: 12, requestedPathsPerDay: 2640, plannedPathsPerDay: 2640 });
  });
});
