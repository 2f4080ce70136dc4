import { expect } from 'chai';
import { distributionModelFromPlan, type DistributionModel } from '../../lib/distribution';
import type { Plan } from '../../lib/plan';
import { planFor } from '../helpers/plan';

/**
 * The shipped prod design against origin failures (docs/resilience.md): every origin a cacheable
 * request reaches first sits in an origin group whose other member lives in another Region, the
 * behaviors that may fail over target those groups, and the metadata and API origins give up fast
 * enough for the failover to help the viewer.
 */
describe('prod plan: every origin has a second origin in another Region', function () {
  this.timeout(120_000);
  let plan: Plan;
  let model: DistributionModel;
  before(async () => { plan = await planFor('prod'); model = distributionModelFromPlan(plan); });

  const stackRegion = () => String(plan.config['aws:region']);
  const regionOf = (id: string) => model.origins.get(id)?.awsRegion ?? stackRegion();

  it('puts every metadata and API origin (the main one and each copy) in a group with a member in another Region', () => {
    const custom = [...model.origins.values()].filter((o) => /^(metadata|api)(-|$)/.test(o.id));
    expect(custom.map((o) => o.id).sort()).to.deep.equal(['api', 'api-us-west-2', 'metadata', 'metadata-us-west-2']);
    const groups = [...model.originGroups.values()];
    for (const o of custom) {
      const g = groups.find((x) => x.primaryOriginId === o.id || x.secondaryOriginId === o.id);
      expect(g, `${o.id} is in no origin group`).to.not.equal(undefined);
      const other = g!.primaryOriginId === o.id ? g!.secondaryOriginId : g!.primaryOriginId;
      expect(regionOf(other), `${o.id} (${regionOf(o.id)}) fails over to ${other}`).to.not.equal(regionOf(o.id));
      expect(g!.statusCodes).to.include.members([500, 502, 503, 504]);
    }
  });

  it('targets a group from every behavior that may fail over (GET/HEAD/OPTIONS), the origin from those that proxy writes', () => {
    for (const b of [...model.behaviors, model.defaultBehavior]) {
      const proxiesWrites = b.allowedMethods.includes('POST');
      expect(model.originGroups.has(b.targetOriginId), `${b.pathPattern} → ${b.targetOriginId}`).to.equal(!proxiesWrites);
    }
    expect(model.behaviors.find((b) => b.pathPattern === '/api/me/*')!.targetOriginId).to.equal('api');
  });

  it('gives up on a metadata or API origin within 10 s of waiting, so a failing primary costs the viewer little before failover', () => {
    for (const id of ['metadata', 'metadata-us-west-2', 'api', 'api-us-west-2']) {
      const c = model.origins.get(id)!.connection!;
      // a slow origin: attempts × response timeout; an unreachable one: attempts × connection timeout (spec §9.1)
      expect(c.attempts * c.readTimeoutSec, `${id} read`).to.be.at.most(10);
      expect(c.attempts * c.connectTimeoutSec, `${id} connect`).to.be.at.most(10);
    }
  });

  it('caches origin errors no longer than 5 s, so an error outlives its fault by at most that', () => {
    for (const code of [500, 502, 503, 504]) expect(model.customErrorResponses.get(code)?.errorCachingMinTtl, String(code)).to.be.at.most(5);
  });
});
