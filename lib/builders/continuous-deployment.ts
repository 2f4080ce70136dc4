/**
 * Continuous deployment in the order CloudFront accepts it.
 *
 * Attaching: CloudFront refuses a continuous-deployment policy on a distribution's creation ("a
 * continuous deployment policy cannot be associated to distribution on creation"), and refuses to
 * associate a web ACL for the first time while a policy is attached. So a fresh stack creates the
 * primary (with its web ACL), the staging distribution and the policy, unattached (`create`); the next
 * `pulumi up` reads the stack's previous outputs, finds the primary there and attaches the policy
 * (`attach`). The program decides this by itself from its own last outputs (a StackReference to itself).
 *
 * Detaching: the provider treats `continuousDeploymentPolicyId` as computed, so leaving it out (or
 * setting '') changes nothing, and UpdateDistribution keeps an omitted id; an attached policy cannot
 * be deleted, and a staging distribution cannot be deleted while a policy names it. So turning staging
 * off is `npm run rollout -- detach` (disable the policy, then UpdateDistribution with an explicit ''
 * and the ETag, then `stagingDistribution: false` in the stack file), and then `pulumi up`, which
 * deletes the policy before the staging distribution because the policy depends on it.
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/continuous-deployment-quotas-considerations.html ,
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DeleteContinuousDeploymentPolicy.html ,
 * https://github.com/hashicorp/terraform-provider-aws/issues/34511 , https://github.com/aws/aws-sdk-js-v3/issues/7417
 */
import type { StackConfig } from '../config';

export type ContinuousDeploymentPhase = 'off' | 'create' | 'attach';

/** What the stack's previous deployment exported (empty strings on a fresh stack). */
export interface PreviousDeployment {
  /** The primary distribution's id (`distributionId` output). */
  readonly distributionId: string;
}

export const FRESH_STACK: PreviousDeployment = Object.freeze({ distributionId: '' });

/** Reads the previous deployment from the stack's last outputs (any shape; missing outputs count as empty). */
export function previousDeployment(outputs: unknown): PreviousDeployment {
  const o = outputs !== null && typeof outputs === 'object' ? outputs as Record<string, unknown> : {};
  return { distributionId: typeof o.distributionId === 'string' ? o.distributionId : '' };
}

/** The phase this `pulumi up` is in, from the config and the previous deployment. */
export function continuousDeploymentPhase(stagingDistribution: boolean, previous: PreviousDeployment): ContinuousDeploymentPhase {
  if (!stagingDistribution) return 'off';
  return previous.distributionId === '' ? 'create' : 'attach';
}

/** The primary's `continuousDeploymentPolicyId` input in a phase: the policy's id only once the primary exists. */
export function primaryPolicyId<T>(phase: ContinuousDeploymentPhase, policyId: T): T | undefined {
  return phase === 'attach' ? policyId : undefined;
}

/** What to do after a `pulumi up` in this phase (plan summary, docs). */
export function nextStep(phase: ContinuousDeploymentPhase): string {
  switch (phase) {
    case 'create': return "run 'pulumi up' again: it attaches the continuous-deployment policy to the primary distribution, which now exists";
    case 'attach': return "staged rollout ready: 'npm run rollout -- --stack <stack> status|stage|promote|abort'";
    case 'off': return 'no staging distribution';
  }
}

export type TrafficConfig =
  | { readonly type: 'SingleWeight'; readonly singleWeightConfig: { readonly weight: number } }
  | { readonly type: 'SingleHeader'; readonly singleHeaderConfig: { readonly header: string; readonly value: string } };

/** The policy's traffic config: a weight (percent of viewers) or a header, from stack config. */
export function buildTrafficConfig(config: Pick<StackConfig, 'stagingTrafficWeight' | 'stagingHeaderName' | 'stagingHeaderValue'>): TrafficConfig {
  return config.stagingTrafficWeight > 0
    ? { type: 'SingleWeight', singleWeightConfig: { weight: config.stagingTrafficWeight / 100 } }
    : { type: 'SingleHeader', singleHeaderConfig: { header: config.stagingHeaderName, value: config.stagingHeaderValue } };
}
