/**
 * Enforcement per stack. The stack config key `media-cdn:policyEnforcement` (advisory in staging,
 * mandatory in prod) sets every rule's level, except rules capped at advisory (`docs.maxLevel`);
 * `media-cdn:environment` sets the per-stack settings of rules that have them (`stackSettings`).
 *
 * The result is a CrossGuard policy pack config: `policies/config/<stack>.json` for
 * `pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json`, and what
 * the offline check applies to a plan. Both come from this one function.
 */
import type { EnforcementLevel, PolicyPackConfig } from '@pulumi/policy';
import { configKeySpec, ENFORCEMENT_LEVELS, ENVIRONMENTS } from '../lib/config/schema';
import { CONFIG_NAMESPACE } from '../lib/config/stack-config';
import { InputError, show } from '../lib/errors';
import type { MediaCdnPolicy, StackSettings } from './lib/define';
import { POLICIES } from './rules';

export type StackEnforcement = (typeof ENFORCEMENT_LEVELS)[number];

/** A stack-config key's value from a namespaced config map, or the schema's default; checked against its allowed values. */
function configValue<T extends string>(config: Readonly<Record<string, unknown>>, key: string, allowed: readonly T[]): T {
  const full = `${CONFIG_NAMESPACE}:${key}`;
  const value = config[full] ?? config[key] ?? configKeySpec(key)!.default;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${full} must be one of ${allowed.join(', ')}, got ${show(value)}; fix the stack's Pulumi.<stack>.yaml.`);
  }
  return value as T;
}

/** The stack's enforcement level (`media-cdn:policyEnforcement`) from its namespaced config map. */
export function stackEnforcement(config: Readonly<Record<string, unknown>>): StackEnforcement {
  return configValue(config, 'policyEnforcement', ENFORCEMENT_LEVELS);
}

export function stackSettings(config: Readonly<Record<string, unknown>>): StackSettings {
  const contentTypes = config['media-cdn:contentTypes'];
  return { environment: configValue(config, 'environment', ENVIRONMENTS), ...(contentTypes !== undefined ? { contentTypes } : {}) };
}

/** The level a rule runs at in a stack with this enforcement. */
export function ruleLevel(policy: MediaCdnPolicy, enforcement: StackEnforcement): EnforcementLevel {
  return policy.docs.maxLevel === 'advisory' ? 'advisory' : enforcement;
}

/**
 * The policy pack config of a stack, from its namespaced config map (`Pulumi.<stack>.yaml`'s
 * `config:` or a plan's `config`): every rule with its level and per-stack settings.
 */
export function packConfigFor(config: Readonly<Record<string, unknown>>, policies: readonly MediaCdnPolicy[] = POLICIES): PolicyPackConfig {
  const enforcement = stackEnforcement(config);
  const settings = stackSettings(config);
  const out: PolicyPackConfig = {};
  for (const p of policies) {
    out[p.name] = { enforcementLevel: ruleLevel(p, enforcement), ...(p.stackSettings?.(settings) ?? {}) };
  }
  return out;
}

/** Text of `policies/config/<stack>.json`. */
export function packConfigFileText(config: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(packConfigFor(config), null, 2)}\n`;
}
