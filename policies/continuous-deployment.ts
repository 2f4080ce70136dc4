/**
 * Deploy-time rule for continuous deployment: CloudFront refuses a continuous-deployment policy on a
 * distribution's creation, which mocks and previews accept. The program attaches the policy only once
 * its own previous outputs (a StackReference to the stack) show the primary exists
 * (lib/builders/continuous-deployment.ts); a plan where a primary carries the policy without that
 * evidence reintroduces the failure.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { stackRule, type MediaCdnPolicy } from './lib/define';

const DISTRIBUTION = (aws.cloudfront.Distribution as unknown as { __pulumiType: string }).__pulumiType;
const STACK_REFERENCE = 'pulumi:pulumi:StackReference';

/** The primary distribution ids the stack's previous deployment reported (through a StackReference's outputs). */
function previouslyDeployed(resources: readonly PolicyResource[]): Set<string> {
  const ids = new Set<string>();
  for (const r of resources) {
    if (r.type !== STACK_REFERENCE) continue;
    const id = (r.props.outputs as Record<string, unknown> | undefined)?.distributionId;
    if (typeof id === 'string' && id !== '') ids.add(id);
  }
  return ids;
}

export const continuousDeploymentOnCreate = stackRule({
  name: 'continuous-deployment-on-create',
  description: 'A distribution gets its continuous-deployment policy only once it exists: never on the update that creates it.',
  remediationSteps: 'Create the primary distribution without continuousDeploymentPolicyId and attach the policy in a later update; MediaCdn does this when its previous outputs (StackReference to the stack) show the primary, so run `pulumi up` twice on a fresh stack.',
  docs: {
    group: 'deployment',
    why: "CloudFront refuses 'a continuous deployment policy cannot be associated to distribution on creation', and refuses to associate a web ACL for the first time while a policy is attached, so the first `pulumi up` of a fresh stack fails.",
    references: [],
  },
  config: {
    exemptDistributions: {
      type: 'array', items: { type: 'string' }, default: [] as string[],
      description: 'Logical names of distributions that exist already although the stack has no previous outputs (e.g. imported ones).',
    },
  },
  validate(args, report, config) {
    const deployed = previouslyDeployed(args.resources);
    for (const r of args.resources) {
      if (r.type !== DISTRIBUTION || r.props.staging === true || config.exemptDistributions.includes(r.name)) continue;
      const policyId = r.props.continuousDeploymentPolicyId;
      if (typeof policyId !== 'string' || policyId === '') continue;
      if (deployed.size === 0) {
        report(`distribution '${r.name}' is created with continuousDeploymentPolicyId '${policyId}', which CloudFront refuses on creation (the stack's previous outputs show no primary distribution); create it without the policy and attach the policy on the next update.`, r.urn);
      }
    }
  },
});

export const continuousDeploymentPolicies: readonly MediaCdnPolicy[] = [continuousDeploymentOnCreate];
