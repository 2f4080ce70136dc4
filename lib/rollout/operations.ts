/**
 * The staged-rollout operations of `npm run rollout`, over an abstract CloudFront API (the script
 * passes one built on the SDK): status, stage, promote, abort and detach, each checking that the
 * distributions are in the state it needs and saying what to do when they are not.
 */
import { buildTrafficConfig, type TrafficConfig } from '../builders/continuous-deployment';
import type { StackConfig } from '../config';
import { candidateDiff, liveDiff, type Difference } from './diff';

/** A DistributionConfig as the SDK returns it (only the fields read here are typed). */
export interface DistributionConfigLike {
  readonly ContinuousDeploymentPolicyId?: string;
  readonly Staging?: boolean;
  readonly [field: string]: unknown;
}

export interface PolicyConfigLike {
  readonly Enabled: boolean;
  readonly TrafficConfig?: unknown;
  readonly StagingDistributionDnsNames?: { readonly Items?: readonly string[] };
  readonly [field: string]: unknown;
}

export interface DistributionState {
  readonly id: string;
  readonly domainName: string;
  readonly status: string;
  readonly etag: string;
  readonly config: DistributionConfigLike;
}

export interface PolicyState {
  readonly id: string;
  readonly etag: string;
  readonly config: PolicyConfigLike;
}

/** The CloudFront calls a rollout makes. */
export interface RolloutApi {
  getDistribution(id: string): Promise<DistributionState>;
  updateDistribution(id: string, ifMatch: string, config: DistributionConfigLike): Promise<DistributionState>;
  getPolicy(id: string): Promise<PolicyState>;
  updatePolicy(id: string, ifMatch: string, config: PolicyConfigLike): Promise<PolicyState>;
  /** UpdateDistributionWithStagingConfig; `ifMatch` is '<primary ETag>, <staging ETag>'. */
  promote(primaryId: string, stagingId: string, ifMatch: string): Promise<DistributionState>;
  /** Requests to each distribution over the last hours, when CloudWatch is reachable. */
  requestCounts?(ids: readonly string[]): Promise<Readonly<Record<string, number>> | undefined>;
}

/** The ids a rollout acts on (stack outputs). */
export interface RolloutTargets {
  readonly distributionId: string;
  readonly stagingDistributionId: string;
  readonly continuousDeploymentPolicyId: string;
}

/** A state the distributions are not in; the CLI exits 1 with the message. */
export class RolloutStateError extends Error {}

export interface RolloutStatus {
  readonly primaryId: string;
  readonly stagingId: string;
  readonly policyId: string;
  /** The policy is attached to the primary (phase `attach` deployed). */
  readonly attached: boolean;
  readonly policyEnabled: boolean;
  readonly traffic: unknown;
  readonly candidate: readonly Difference[];
  /** The staging distribution's live config against the primary's. */
  readonly live: readonly Difference[];
  readonly requests?: Readonly<Record<string, number>>;
}

interface Snapshot {
  readonly primary: DistributionState;
  readonly staging: DistributionState;
  readonly policy: PolicyState;
}

async function snapshot(api: RolloutApi, t: RolloutTargets): Promise<Snapshot> {
  const [primary, staging, policy] = await Promise.all([
    api.getDistribution(t.distributionId), api.getDistribution(t.stagingDistributionId), api.getPolicy(t.continuousDeploymentPolicyId),
  ]);
  return { primary, staging, policy };
}

function requireAttached(s: Snapshot): void {
  if (s.primary.config.ContinuousDeploymentPolicyId !== s.policy.id) {
    throw new RolloutStateError(`the continuous-deployment policy ${s.policy.id} is not attached to the primary distribution ${s.primary.id} (it has '${s.primary.config.ContinuousDeploymentPolicyId ?? ''}'); run 'pulumi up' once more: the first run creates the primary, the next attaches the policy.`);
  }
}

export async function status(api: RolloutApi, t: RolloutTargets, config: StackConfig): Promise<RolloutStatus> {
  const s = await snapshot(api, t);
  const requests = api.requestCounts ? await api.requestCounts([s.primary.id, s.staging.id]).catch(() => undefined) : undefined;
  return {
    primaryId: s.primary.id,
    stagingId: s.staging.id,
    policyId: s.policy.id,
    attached: s.primary.config.ContinuousDeploymentPolicyId === s.policy.id,
    policyEnabled: s.policy.config.Enabled,
    traffic: s.policy.config.TrafficConfig,
    candidate: candidateDiff(config),
    live: liveDiff(s.primary.config, s.staging.config),
    ...(requests ? { requests } : {}),
  };
}

/** The SDK shape of the traffic config in stack config. */
export function sdkTrafficConfig(config: StackConfig): Record<string, unknown> {
  const t: TrafficConfig = buildTrafficConfig(config);
  return t.type === 'SingleWeight'
    ? { Type: 'SingleWeight', SingleWeightConfig: { Weight: t.singleWeightConfig.weight } }
    : { Type: 'SingleHeader', SingleHeaderConfig: { Header: t.singleHeaderConfig.header, Value: t.singleHeaderConfig.value } };
}

/** Enables the policy with the stack's traffic config (weight or header). */
export async function stage(api: RolloutApi, t: RolloutTargets, config: StackConfig, dryRun: boolean): Promise<PolicyConfigLike> {
  const s = await snapshot(api, t);
  requireAttached(s);
  const next = { ...s.policy.config, Enabled: true, TrafficConfig: sdkTrafficConfig(config) };
  if (!dryRun) await api.updatePolicy(s.policy.id, s.policy.etag, next);
  return next;
}

/**
 * Copies the staging distribution's config onto the primary (UpdateDistributionWithStagingConfig with
 * both ETags). The caller then moves the candidate into the stack config.
 */
export async function promote(api: RolloutApi, t: RolloutTargets, config: StackConfig, dryRun: boolean): Promise<readonly Difference[]> {
  if (!config.candidateConfig) throw new RolloutStateError(`stack '${config.stack}' has no media-cdn:candidate, so the staging distribution is built like the primary and there is nothing to promote.`);
  const s = await snapshot(api, t);
  requireAttached(s);
  if (!s.policy.config.Enabled) {
    throw new RolloutStateError(`the continuous-deployment policy ${s.policy.id} is disabled, so no viewer has tried the candidate; run 'npm run rollout -- --stack ${config.stack} stage' and check 'status' first.`);
  }
  const changes = liveDiff(s.primary.config, s.staging.config);
  if (!dryRun) await api.promote(s.primary.id, s.staging.id, `${s.primary.etag}, ${s.staging.etag}`);
  return changes;
}

/** Disables the policy: every viewer goes back to the primary. The caller drops the candidate. */
export async function abort(api: RolloutApi, t: RolloutTargets, dryRun: boolean): Promise<boolean> {
  const policy = await api.getPolicy(t.continuousDeploymentPolicyId);
  if (!policy.config.Enabled) return false;
  if (!dryRun) await api.updatePolicy(policy.id, policy.etag, { ...policy.config, Enabled: false });
  return true;
}

/**
 * Detaches the policy in the order CloudFront requires before the policy and the staging
 * distribution can be deleted: disable the policy, then update the primary with an explicit '' policy
 * id (leaving it out keeps the policy). The caller turns `stagingDistribution` off in the stack file;
 * the next `pulumi up` then deletes the policy and, after it, the staging distribution.
 */
export async function detach(api: RolloutApi, t: RolloutTargets, dryRun: boolean): Promise<{ disabled: boolean; detached: boolean }> {
  const disabled = await abort(api, t, dryRun);
  const primary = await api.getDistribution(t.distributionId);
  const attached = (primary.config.ContinuousDeploymentPolicyId ?? '') !== '';
  if (attached && !dryRun) await api.updateDistribution(primary.id, primary.etag, { ...primary.config, ContinuousDeploymentPolicyId: '' });
  return { disabled, detached: attached };
}
