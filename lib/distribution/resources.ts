/**
 * The common ground the distribution model is built from: a list of resources, each with its type
 * token, URN, logical name, provider id and properties. An offline plan (lib/plan.ts: `inputs`, `id`)
 * and CrossGuard's stack resources (`props`, with the id in `props.id`) both map onto it.
 */
import type { Plan } from '../plan';

/** One resource of a stack, as the model reads it. */
export interface ModelResource {
  /** Type token, e.g. `aws:cloudfront/cachePolicy:CachePolicy` (see CLOUDFRONT_TYPES). */
  readonly type: string;
  readonly urn: string;
  /** Logical name. */
  readonly name: string;
  /** Provider id (what behaviors refer to: `cachePolicyId`, `trustedKeyGroups`…); undefined when not known yet. */
  readonly id: string | undefined;
  /** Properties as plain JSON (camelCase, as `aws.cloudfront.*Args`). */
  readonly props: Readonly<Record<string, unknown>>;
}

/** The resources of an offline plan. */
export function resourcesOfPlan(plan: Plan): ModelResource[] {
  return plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, id: r.id, props: r.inputs }));
}

/** Resources of a stack as CrossGuard gives them (`props.id` carries the id once known). */
export function resourcesOfStack(resources: readonly { readonly type: string; readonly urn: string; readonly name: string; readonly props: Record<string, unknown> }[]): ModelResource[] {
  return resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, id: typeof r.props.id === 'string' ? r.props.id : undefined, props: r.props }));
}

/** Lookup of resources by type and id, built once per resource list. */
export interface ResourceIndex {
  /** The resource of this type whose id is `id` (ids compared as given). */
  byId(type: string, id: string): ModelResource | undefined;
  ofType(type: string): readonly ModelResource[];
}

export function indexResources(resources: readonly ModelResource[]): ResourceIndex {
  const byType = new Map<string, ModelResource[]>();
  const byTypeAndId = new Map<string, ModelResource>();
  for (const r of resources) {
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
    const key = `${r.type}\n${r.id}`;
    if (r.id !== undefined && !byTypeAndId.has(key)) byTypeAndId.set(key, r);
  }
  return {
    byId: (type, id) => byTypeAndId.get(`${type}\n${id}`),
    ofType: (type) => byType.get(type) ?? [],
  };
}
