/**
 * A readable summary of a plan: resources by type and the distribution's behaviors table
 * (pattern → origin → TTLs → policies), read through the distribution model (lib/distribution).
 */
import { distributionModelFromPlan, type ModelBehavior } from './distribution';
import { formatDuration, renderTable } from './format/table';
import { primaryDistribution, type Plan, type PlanResource } from './plan';

export interface BehaviorRow {
  readonly pathPattern: string;
  readonly target: string;
  /** Min/default/max TTL, CloudFront's defaults applied to omitted ones. */
  readonly ttl: string;
  readonly cachePolicy: string;
  readonly originRequestPolicy: string;
  readonly compress: boolean;
  readonly signed: boolean;
  readonly functions: number;
}

function cachePolicyLabel(b: ModelBehavior): string {
  const p = b.cachePolicy;
  return p.kind === 'managed' ? `managed ${p.name}` : p.name;
}

function row(b: ModelBehavior): BehaviorRow {
  const p = b.cachePolicy;
  return {
    pathPattern: b.isDefault ? '* (default)' : b.pathPattern,
    target: b.targetOriginId,
    ttl: `${formatDuration(p.minTtl)}/${formatDuration(p.defaultTtl)}/${formatDuration(p.maxTtl)}`,
    cachePolicy: cachePolicyLabel(b),
    originRequestPolicy: b.originRequestPolicy?.name ?? '-',
    compress: b.compress,
    signed: b.trustedKeyGroupIds.length > 0,
    functions: b.functions.length,
  };
}

/**
 * The behaviors of a distribution of the plan (the primary one by default), in evaluation order.
 * @throws InputError when a behavior refers to a policy, origin or function the plan lacks.
 */
export function behaviorRows(plan: Plan, distribution: PlanResource = primaryDistribution(plan)): BehaviorRow[] {
  const model = distributionModelFromPlan(plan, distribution);
  return [...model.behaviors, model.defaultBehavior].map(row);
}

export function resourceCounts(plan: Plan): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function renderPlanSummary(plan: Plan): string {
  const counts = resourceCounts(plan);
  const rows = behaviorRows(plan);
  return [
    `Plan of stack '${plan.stack}' (${plan.project}): ${plan.resources.length} resources`,
    '',
    renderTable(['resource type', 'count'], counts.map(([t, n]) => [t, String(n)]), ['left', 'right']),
    '',
    'Cache behaviors, in evaluation order (TTL min/default/max):',
    renderTable(
      ['path pattern', 'target', 'TTL', 'cache policy', 'origin request policy', 'compress', 'signed', 'fn'],
      rows.map((r) => [r.pathPattern, r.target, r.ttl, r.cachePolicy, r.originRequestPolicy, r.compress ? 'yes' : 'no', r.signed ? 'yes' : 'no', String(r.functions)]),
    ),
  ].join('\n');
}
