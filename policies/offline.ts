/**
 * The offline policy check: runs the pack's policy objects on a plan (plan/run-plan.ts) without the
 * Pulumi engine, the CLI or the network. Arguments are built the way the engine builds them, and the
 * way awsguard's tests do: resource policies get each resource's inputs, stack policies get every
 * resource with its inputs plus its planned id (the engine passes outputs, which carry the id).
 */
import type {
  EnforcementLevel, PolicyPackConfig, PolicyResource, PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy,
  StackValidationArgs, StackValidationPolicy,
} from '@pulumi/policy';
import type { Resource } from '@pulumi/pulumi';
import type { Plan } from '../lib/plan';
import { packConfigFor, stackEnforcement, type StackEnforcement } from './enforcement';
import type { MediaCdnPolicy, RuleGroup } from './lib/define';
import { POLICIES } from './rules';

/** A resource as the offline check sees it. */
export interface CheckedResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  /** As the engine passes them (its own type). */
  readonly props: ResourceValidationArgs['props'];
  /** URN of the parent, if any. */
  readonly parent?: string;
}

const EMPTY_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/** Raised by `notApplicable()`, as the engine's own error is. */
export class NotApplicable extends Error {}

type ResourceClass = { new (...rest: any[]): Resource };

/** Whether `type` is the type token of `cls` (its static `isInstance`, as the engine checks). */
export function isTypeOf(type: string, cls: ResourceClass): boolean {
  const isInstance = (cls as unknown as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === 'function' && isInstance({ __pulumiType: type }) === true;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? 'not applicable');
}

/** ResourceValidationArgs for one resource; `config` is what getConfig returns. */
export function resourceArgs(r: CheckedResource, config: object = {}): ResourceValidationArgs {
  return {
    type: r.type,
    props: r.props,
    urn: r.urn,
    name: r.name,
    opts: { ...EMPTY_OPTIONS, ...(r.parent ? { parent: r.parent } : {}) },
    stackTags: new Map<string, string>(),
    isType: (cls: ResourceClass) => isTypeOf(r.type, cls),
    asType: ((cls: ResourceClass) => (isTypeOf(r.type, cls) ? r.props : undefined)) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

/** StackValidationArgs for a set of resources, parents linked by URN. */
export function stackArgs(resources: readonly CheckedResource[], config: object = {}): StackValidationArgs {
  const out: PolicyResource[] = resources.map((r) => ({
    type: r.type,
    props: r.props,
    urn: r.urn,
    name: r.name,
    opts: { ...EMPTY_OPTIONS, ...(r.parent ? { parent: r.parent } : {}) },
    dependencies: [],
    propertyDependencies: {},
    isType: (cls: ResourceClass) => isTypeOf(r.type, cls),
    asType: ((cls: ResourceClass) => (isTypeOf(r.type, cls) ? r.props : undefined)) as PolicyResource['asType'],
  }));
  const byUrn = new Map(out.map((r) => [r.urn, r] as const));
  resources.forEach((r, i) => {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) out[i]!.parent = parent;
  });
  return { resources: out, stackTags: new Map<string, string>(), getConfig: <T extends object>() => config as T, notApplicable };
}

/** One reported violation. */
export interface Violation {
  readonly rule: string;
  readonly group: RuleGroup;
  readonly level: EnforcementLevel;
  /** The resource in violation; empty when a stack rule blames the stack as a whole. */
  readonly urn: string;
  readonly message: string;
}

export interface RunOptions {
  readonly policies?: readonly MediaCdnPolicy[];
  /** Levels and settings per rule; default: none (every rule advisory, default settings). */
  readonly packConfig?: PolicyPackConfig;
}

function ruleConfig(packConfig: PolicyPackConfig, name: string): { level?: EnforcementLevel; settings: object } {
  const c = packConfig[name];
  if (c === undefined) return { settings: {} };
  if (typeof c === 'string') return { level: c, settings: {} };
  const { enforcementLevel, ...settings } = c;
  return { ...(enforcementLevel ? { level: enforcementLevel } : {}), settings };
}

async function runOne(policy: ResourceValidationPolicy | StackValidationPolicy, resources: readonly CheckedResource[], config: object): Promise<{ urn: string; message: string }[]> {
  const found: { urn: string; message: string }[] = [];
  const call = async (fn: () => void | Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  };
  if ('validateStack' in policy && typeof policy.validateStack === 'function') {
    const validate = policy.validateStack;
    await call(() => validate(stackArgs(resources, config), (message, urn) => found.push({ urn: urn ?? '', message })));
    return found;
  }
  const validations = (policy as ResourceValidationPolicy).validateResource;
  const list = Array.isArray(validations) ? validations : validations ? [validations] : [];
  for (const r of resources) {
    const args = resourceArgs(r, config);
    for (const v of list) await call(() => v(args, (message) => found.push({ urn: r.urn, message })));
  }
  return found;
}

/** Runs the policies on resources; violations in policy order, then resource order. */
export async function runPolicies(resources: readonly CheckedResource[], options: RunOptions = {}): Promise<Violation[]> {
  const policies = options.policies ?? POLICIES;
  const packConfig = options.packConfig ?? {};
  const out: Violation[] = [];
  for (const p of policies) {
    const { level = 'advisory', settings } = ruleConfig(packConfig, p.name);
    if (level === 'disabled') continue;
    const reported: EnforcementLevel = level === 'remediate' ? 'mandatory' : level;
    for (const v of await runOne(p, resources, settings)) out.push({ rule: p.name, group: p.docs.group, level: reported, ...v });
  }
  return out;
}

/** The plan's resources as the policies see them: inputs, plus the planned id for stack policies. */
export function planResources(plan: Plan): { forResources: CheckedResource[]; forStack: CheckedResource[] } {
  const base = plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, ...(r.parent ? { parent: r.parent } : {}) }));
  return {
    forResources: plan.resources.map((r, i) => ({ ...base[i]!, props: { ...r.inputs } })),
    forStack: plan.resources.map((r, i) => ({ ...base[i]!, props: r.id ? { ...r.inputs, id: r.id } : { ...r.inputs } })),
  };
}

export interface PlanReport {
  readonly stack: string;
  readonly enforcement: StackEnforcement;
  readonly resources: number;
  readonly rules: readonly { readonly name: string; readonly group: RuleGroup; readonly level: EnforcementLevel }[];
  readonly violations: readonly Violation[];
  readonly mandatory: number;
  readonly advisory: number;
}

/**
 * Runs every policy of the pack on a plan with the stack's levels (`packConfigFor(plan.config)`):
 * resource rules on each resource's inputs, stack rules on all resources with their ids.
 */
export async function checkPlan(plan: Plan, policies: readonly MediaCdnPolicy[] = POLICIES): Promise<PlanReport> {
  const packConfig = packConfigFor(plan.config, policies);
  const { forResources, forStack } = planResources(plan);
  const violations: Violation[] = [];
  for (const p of policies) {
    const resources = 'validateStack' in p ? forStack : forResources;
    violations.push(...await runPolicies(resources, { policies: [p], packConfig }));
  }
  const levelOf = (name: string): EnforcementLevel => ruleConfig(packConfig, name).level ?? 'advisory';
  return {
    stack: plan.stack,
    enforcement: stackEnforcement(plan.config),
    resources: plan.resources.length,
    rules: policies.map((p) => ({ name: p.name, group: p.docs.group, level: levelOf(p.name) })),
    violations,
    mandatory: violations.filter((v) => v.level === 'mandatory').length,
    advisory: violations.filter((v) => v.level === 'advisory').length,
  };
}
