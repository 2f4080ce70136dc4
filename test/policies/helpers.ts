/**
 * Fake policy arguments for the rule tests, built from a resource class and its properties the way
 * awsguard's tests build them (createResourceValidationArgs), on top of the builders the offline
 * check itself uses (policies/offline.ts).
 */
import type { ResourceValidationArgs } from '@pulumi/policy';
import type { Resource } from '@pulumi/pulumi';
import type { MediaCdnPolicy } from '../../policies/lib/define';
import { resourceArgs, runPolicies, type CheckedResource } from '../../policies/offline';

type ResourceClass = { new (...rest: any[]): Resource };

/** The type token of a resource class (`aws:cloudfront/distribution:Distribution`). */
export function typeOf(cls: ResourceClass): string {
  const type = (cls as unknown as { __pulumiType?: string }).__pulumiType;
  if (typeof type !== 'string') throw new Error(`${cls.name} has no Pulumi type`);
  return type;
}

/** A resource of `cls` named `name` with these properties (its URN is derived from both). */
export function resourceOf(cls: ResourceClass, name: string, props: Record<string, any>): CheckedResource {
  return { type: typeOf(cls), urn: `urn:pulumi:test::media-cdn::${typeOf(cls)}::${name}`, name, props };
}

export function createResourceValidationArgs(cls: ResourceClass, props: Record<string, any>, config: object = {}): ResourceValidationArgs {
  return resourceArgs(resourceOf(cls, 'test', props), config);
}

/** The violations one rule reports on these resources (a stack rule sees them together), with its settings. */
export async function violationsOf(policy: MediaCdnPolicy, resources: readonly CheckedResource[], settings: object = {}): Promise<{ urn: string; message: string }[]> {
  const found = await runPolicies(resources, { policies: [policy], packConfig: { [policy.name]: { enforcementLevel: 'mandatory', ...settings } } });
  return found.map((v) => ({ urn: v.urn, message: v.message }));
}

/** Only the messages. */
export async function messagesOf(policy: MediaCdnPolicy, resources: readonly CheckedResource[], settings: object = {}): Promise<string[]> {
  return (await violationsOf(policy, resources, settings)).map((v) => v.message);
}

/** A deep copy that tests may change freely, as a plan file would hold it (plain JSON). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
