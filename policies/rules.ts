/**
 * Every rule of the pack, in the order they are listed to people. The pack (index.ts) and the
 * offline check (scripts/policy-check.ts) both run exactly these objects.
 */
import { cacheRatioPolicies } from './cache-ratio';
import { cachingPolicies } from './caching';
import { deploymentPolicies } from './deployment';
import { continuousDeploymentPolicies } from './continuous-deployment';
import type { MediaCdnPolicy } from './lib/define';
import { originBucketPolicies } from './origin-buckets';
import { securityPolicies } from './security';

export type { MediaCdnPolicy, RuleGroup } from './lib/define';
export { RULE_GROUPS } from './lib/define';

export const POLICIES: readonly MediaCdnPolicy[] = [
  ...cachingPolicies,
  ...cacheRatioPolicies,
  ...securityPolicies,
  ...originBucketPolicies,
  ...deploymentPolicies,
  ...continuousDeploymentPolicies,
];

/** The rule named `name`. @throws Error for an unknown name. */
export function policyNamed(name: string): MediaCdnPolicy {
  const p = POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`no rule '${name}' in the media-cdn policy pack; rules: ${POLICIES.map((x) => x.name).join(', ')}`);
  return p;
}
