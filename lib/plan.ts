/**
 * The offline plan: what `npm run plan` writes and what the policy check, the simulator and the
 * offline scripts read. Schema documented in docs/plan-format.md.
 */
import { CLOUDFRONT_TYPES } from './distribution/resource-types';
import { InputError, show } from './errors';

export const PLAN_FORMAT_VERSION = 1;

export interface PlanResource {
  /** Pulumi URN of the resource. */
  readonly urn: string;
  /** Type token, e.g. `aws:cloudfront/distribution:Distribution` or `media-cdn:cdn:MediaCdn`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN of the parent resource; empty for top-level resources. */
  readonly parent: string;
  /** Whether the resource is a provider resource (true) or a component (false). */
  readonly custom: boolean;
  /** The resource's inputs as the program passed them (plain JSON). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Mocked provider state: inputs plus computed ids and ARNs (deterministic placeholders). */
  readonly id: string;
}

export interface Plan {
  readonly formatVersion: number;
  readonly project: string;
  readonly stack: string;
  /** The stack's config as read from Pulumi.<stack>.yaml (namespaced keys, parsed values). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly resources: readonly PlanResource[];
  /** The stack outputs (see lib/outputs.ts), with deterministic placeholder ids. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

export const DISTRIBUTION_TYPE = CLOUDFRONT_TYPES.distribution;

/** Resources of one type, optionally filtered by name. */
export function resourcesOfType(plan: Plan, type: string, name?: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
}

/** The primary (non-staging) distribution of the plan. */
export function primaryDistribution(plan: Plan): PlanResource {
  const d = resourcesOfType(plan, DISTRIBUTION_TYPE).find((r) => r.inputs.staging !== true);
  if (!d) throw new InputError(`the plan of stack '${plan.stack}' has no CloudFront distribution; rebuild it with 'npm run plan -- --stack ${plan.stack} --json plan.json'.`);
  return d;
}

/** Checks the shape of a parsed plan file. */
export function parsePlan(raw: unknown, source: string): Plan {
  const o = raw as Partial<Plan> | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.resources) || typeof o.stack !== 'string' || typeof o.outputs !== 'object') {
    throw new InputError(`${source} is not a media-cdn plan (expected { project, stack, config, resources, outputs }), got ${show(raw)}; write one with 'npm run plan -- --stack prod --json plan.json'.`);
  }
  if (o.formatVersion !== undefined && o.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new InputError(`${source} has plan format ${o.formatVersion}, this version reads ${PLAN_FORMAT_VERSION}; rebuild it with 'npm run plan'.`);
  }
  return o as Plan;
}
