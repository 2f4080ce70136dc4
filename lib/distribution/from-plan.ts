/** The distribution model of an offline plan (lib/plan.ts, docs/plan-format.md). */
import { primaryDistribution, type Plan, type PlanResource } from '../plan';
import { buildDistributionModel } from './build';
import type { DistributionModel } from './model';
import { resourcesOfPlan } from './resources';

/**
 * The model of a plan's distribution (its primary one by default). The primary distribution takes
 * its id and domain from the plan outputs.
 * @throws InputError when the plan has no distribution or a behavior refers to something it lacks.
 */
export function distributionModelFromPlan(plan: Plan, distribution: PlanResource = primaryDistribution(plan)): DistributionModel {
  const outputs = plan.outputs as { distributionId?: unknown; domainName?: unknown };
  const primary = distribution.inputs.staging !== true;
  return buildDistributionModel(resourcesOfPlan(plan), { type: distribution.type, urn: distribution.urn, name: distribution.name, id: distribution.id, props: distribution.inputs }, {
    ...(primary && typeof outputs.distributionId === 'string' ? { distributionId: outputs.distributionId } : {}),
    ...(primary && typeof outputs.domainName === 'string' ? { domainName: outputs.domainName } : {}),
    fix: `rebuild the plan with 'npm run plan -- --stack ${plan.stack} --json plan.json'`,
  });
}
