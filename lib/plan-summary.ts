/**
 * A readable summary of a plan: resources by type and the distribution's behaviors table
 * (pattern → origin → TTLs → policies), read from the planned resources themselves.
 */
import { managedCachePolicyById, MANAGED_ORIGIN_REQUEST_POLICIES } from './semantics/managed-policies';
import { formatDuration, renderTable } from './format/table';
import { primaryDistribution, type Plan, type PlanResource } from './plan';

export interface BehaviorRow {
  readonly pathPattern: string;
  readonly target: string;
  readonly ttl: string;
  readonly cachePolicy: string;
  readonly originRequestPolicy: string;
  readonly compress: boolean;
  readonly signed: boolean;
  readonly functions: number;
}

interface BehaviorInputs {
  pathPattern?: string; targetOriginId: string; cachePolicyId: string; originRequestPolicyId?: string;
  compress?: boolean; trustedKeyGroups?: string[]; functionAssociations?: unknown[];
}

function policyLabel(plan: Plan, id: string): { name: string; ttl: string } {
  const managed = managedCachePolicyById(id);
  if (managed) return { name: `managed ${managed.name}`, ttl: `${formatDuration(managed.minTtl)}/${formatDuration(managed.defaultTtl)}/${formatDuration(managed.maxTtl)}` };
  const r = plan.resources.find((x) => x.id === id && x.type === 'aws:cloudfront/cachePolicy:CachePolicy');
  if (!r) return { name: `unknown ${id}`, ttl: '?' };
  const i = r.inputs as { name?: string; minTtl?: number; defaultTtl?: number; maxTtl?: number };
  return { name: String(i.name ?? r.name), ttl: `${formatDuration(i.minTtl ?? 0)}/${formatDuration(i.defaultTtl ?? 0)}/${formatDuration(i.maxTtl ?? 0)}` };
}

function orpLabel(id: string | undefined): string {
  if (!id) return '-';
  return Object.values(MANAGED_ORIGIN_REQUEST_POLICIES).find((p) => p.id === id)?.name ?? id;
}

export function behaviorRows(plan: Plan, distribution: PlanResource = primaryDistribution(plan)): BehaviorRow[] {
  const inputs = distribution.inputs as { orderedCacheBehaviors?: BehaviorInputs[]; defaultCacheBehavior: BehaviorInputs };
  const all = [...(inputs.orderedCacheBehaviors ?? []), { ...inputs.defaultCacheBehavior, pathPattern: '* (default)' }];
  return all.map((b) => {
    const p = policyLabel(plan, b.cachePolicyId);
    return {
      pathPattern: b.pathPattern ?? '*',
      target: b.targetOriginId,
      ttl: p.ttl,
      cachePolicy: p.name,
      originRequestPolicy: orpLabel(b.originRequestPolicyId),
      compress: b.compress === true,
      signed: (b.trustedKeyGroups ?? []).length > 0,
      functions: (b.functionAssociations ?? []).length,
    };
  });
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
