/**
 * How a media-cdn rule is written: a CrossGuard policy (kebab-case name, one-sentence description,
 * `configSchema` with defaults, the check) plus the documentation docs/policies.md is checked
 * against (group, why, the Security Hub or Checkov controls it corresponds to).
 *
 * `resourceRule` and `stackRule` merge the schema's defaults under whatever config the engine (or
 * the offline check) passes, so a rule always sees every setting, whether or not the Pulumi CLI
 * applied the defaults itself.
 */
import type { Resource, Unwrap } from '@pulumi/pulumi';
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import {
  validateResourceOfType,
  type PolicyConfigSchema, type ReportViolation,
  type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationArgs, type StackValidationPolicy,
} from '@pulumi/policy';

/** The groups of rules; one module each. */
export type RuleGroup = 'caching' | 'cache-ratio' | 'security' | 'origin-buckets' | 'deployment';

export const RULE_GROUPS: readonly RuleGroup[] = ['caching', 'cache-ratio', 'security', 'origin-buckets', 'deployment'];

export interface RuleDocs {
  readonly group: RuleGroup;
  /** Why the rule exists: what breaks without it. */
  readonly why: string;
  /** Corresponding controls, e.g. 'Security Hub CloudFront.1', 'Checkov CKV_AWS_305'; empty for media-cdn's own rules. */
  readonly references: readonly string[];
  /**
   * Highest level the rule may be enforced at. `advisory` for rules that check resources the program
   * does not create yet (the hit-ratio alarms of the monitoring issue): they warn, never block.
   */
  readonly maxLevel?: 'advisory';
}

type ConfigValue = string | number | boolean | string[] | number[];

/** What a stack's config says that changes how a rule is configured (see enforcement.ts). */
export interface StackSettings {
  readonly environment: 'staging' | 'prod';
  /** The stack's raw `media-cdn:contentTypes` overrides (unvalidated: judging them is a rule's job). */
  readonly contentTypes?: unknown;
}

/** A policy of this pack: a CrossGuard policy with its documentation. */
export type MediaCdnPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
  readonly description: string;
  readonly remediationSteps: string;
  readonly configSchema: PolicyConfigSchema;
  readonly docs: RuleDocs;
  /** Settings that differ per stack, written into the stack's policy pack config. */
  readonly stackSettings?: (stack: StackSettings) => Record<string, ConfigValue>;
};

/** One config setting: its JSON schema and its default. */
export type ConfigProperty<T extends ConfigValue> = PolicyConfigJSONSchema & { readonly default: T; readonly description: string };

type ConfigProperties = Readonly<Record<string, ConfigProperty<ConfigValue>>>;

/** The values of a rule's settings, typed from their defaults. */
export type ConfigValues<P extends ConfigProperties> = { readonly [K in keyof P]: Widen<P[K]['default']> };

type Widen<T> = T extends boolean ? boolean : T extends string ? string : T extends number ? number
  : T extends readonly number[] ? number[] : T extends readonly string[] ? string[] : T;

interface RuleSpec<P extends ConfigProperties> {
  readonly name: string;
  readonly description: string;
  /** How to fix a violation (CrossGuard's `remediationSteps`). */
  readonly remediationSteps: string;
  readonly docs: RuleDocs;
  readonly config: P;
  readonly stackSettings?: (stack: StackSettings) => Partial<ConfigValues<P>>;
}

/** The rule's settings: schema defaults overlaid with the config given for it. */
export function configOf<P extends ConfigProperties>(properties: P, given: object): ConfigValues<P> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties)) out[key] = schema.default;
  for (const [key, value] of Object.entries(given)) if (key !== 'enforcementLevel' && value !== undefined) out[key] = value;
  return out as ConfigValues<P>;
}

/** The parts every rule has, whatever it validates. */
function common<P extends ConfigProperties>(spec: RuleSpec<P>): MediaCdnPolicy {
  return {
    name: spec.name,
    description: spec.description,
    remediationSteps: spec.remediationSteps,
    configSchema: { properties: spec.config },
    docs: spec.docs,
    ...(spec.stackSettings ? { stackSettings: spec.stackSettings as MediaCdnPolicy['stackSettings'] } : {}),
  };
}

/** A rule that sees one resource of one type at a time (the engine passes its inputs). */
export function resourceRule<P extends ConfigProperties, TResource extends Resource, TArgs>(spec: RuleSpec<P> & {
  readonly resource: { new (name: string, args: TArgs, ...rest: any[]): TResource };
  validate(props: Unwrap<NonNullable<TArgs>>, args: ResourceValidationArgs, report: ReportViolation, config: ConfigValues<P>): void;
}): MediaCdnPolicy & ResourceValidationPolicy {
  return {
    ...common(spec),
    validateResource: validateResourceOfType(spec.resource, (props, args, report) =>
      spec.validate(props, args, report, configOf(spec.config, args.getConfig<object>()))),
  };
}

/** A rule that sees the whole stack (the engine passes every resource's outputs). */
export function stackRule<P extends ConfigProperties>(spec: RuleSpec<P> & {
  validate(args: StackValidationArgs, report: ReportViolation, config: ConfigValues<P>): void;
}): MediaCdnPolicy & StackValidationPolicy {
  return {
    ...common(spec),
    validateStack: (args, report) => spec.validate(args, report, configOf(spec.config, args.getConfig<object>())),
  };
}
