/**
 * The stack outputs: the contract that scripts read (from `pulumi stack output --json` or from an
 * offline plan) to find what to act on.
 */
import type { Catalog, ContentTypeName } from './catalog';
import { InputError, show } from './errors';

export interface BucketOutputs {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly replicaName: string;
  readonly replicaArn: string;
  readonly replicaRegion: string;
}

export interface ContentTypeOutputs {
  readonly pathPatterns: readonly string[];
  readonly origin: string;
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  readonly updateIntervalSeconds: number;
  readonly targetHitRatio: number;
  readonly targetLatencyMs: number;
}

export interface StackOutputs {
  readonly distributionId: string;
  readonly distributionArn: string;
  readonly domainName: string;
  /** Empty when the stack has no staging distribution. */
  readonly stagingDistributionId: string;
  /** The continuous-deployment policy; empty without a staging distribution (or before it was deployed). */
  readonly continuousDeploymentPolicyId?: string;
  /** `create` (the policy is not attached yet), `attach` or `off`; absent before staged rollouts. */
  readonly continuousDeploymentPhase?: string;
  readonly buckets: Readonly<Record<'video' | 'images' | 'static', BucketOutputs>>;
  readonly logBucket: string;
  readonly contentTypes: Readonly<Record<ContentTypeName, ContentTypeOutputs>>;
  readonly region: string;
  /** CloudWatch dashboard of the distribution (us-east-1); absent before the monitoring components were deployed. */
  readonly dashboardName?: string;
  /** SNS topic (us-east-1) that alarms, the budget and cost anomalies notify. */
  readonly alarmTopicArn?: string;
  /** CloudWatch Logs group (us-east-1) receiving the distribution's access logs as JSON. */
  readonly logGroupName?: string;
  /**
   * ARN of the CloudFront KeyValueStore of image variants that `npm run images -- optimize` fills and
   * the thumbnails' image-negotiation function reads; absent before the store was deployed.
   */
  readonly imageIndexStoreArn?: string;
  /** URL of the SQS queue of the event-based invalidation pipeline (S3 object events). */
  readonly invalidationQueueUrl?: string;
  /**
   * The distribution's cache-tag header (`CacheTagConfig.HeaderName`, spec §8.2), '' when cache tags
   * are off; absent from stacks deployed before tags (scripts then assume the default header).
   */
  readonly cacheTagHeader?: string;
  /** Log analytics (`logAnalytics`): the bucket of the Parquet logs, the Athena workgroup, the Glue database and table; absent when off. */
  readonly logsBucket?: string;
  readonly athenaWorkgroup?: string;
  readonly glueDatabase?: string;
  readonly glueTable?: string;
  /**
   * Real-user monitoring (`rum`): the CloudWatch RUM app monitor's name (the `application_name` of its
   * metrics) and id, the Cognito identity pool and the guest role the web player's snippet uses, and
   * their Region; '' or absent when off.
   */
  readonly rumAppMonitorName?: string;
  readonly rumAppMonitorId?: string;
  readonly rumIdentityPoolId?: string;
  readonly rumGuestRoleArn?: string;
  readonly rumRegion?: string;
  /** The app monitor's session sample rate, which the player's RUM client must use too; 0 when off. */
  readonly rumSessionSampleRate?: number;
  /** SimulationBatch (`simulationBatch`, docs/simulation-batch.md): its bucket, job queue, job definition and submit command; '' or absent when off. */
  readonly simulationBucket?: string;
  readonly simulationJobQueue?: string;
  readonly simulationJobDefinition?: string;
  readonly simulationSubmitCommand?: string;
}

/** The `contentTypes` output: per type, the main route's patterns and TTLs and the targets. */
export function contentTypeOutputs(catalog: Catalog): Record<ContentTypeName, ContentTypeOutputs> {
  const out = {} as Record<ContentTypeName, ContentTypeOutputs>;
  for (const t of catalog.types) {
    const main = t.routes.find((r) => r.id === t.name) ?? t.routes[0]!;
    out[t.name] = {
      pathPatterns: t.routes.flatMap((r) => r.pathPatterns),
      origin: main.origin,
      minTtl: main.ttl.minTtl,
      defaultTtl: main.ttl.defaultTtl,
      maxTtl: main.ttl.maxTtl,
      updateIntervalSeconds: t.updateIntervalSeconds,
      targetHitRatio: t.targetHitRatio,
      targetLatencyMs: t.targetLatencyMs,
    };
  }
  return out;
}

const REQUIRED: readonly (keyof StackOutputs)[] = ['distributionId', 'distributionArn', 'domainName', 'buckets', 'logBucket', 'contentTypes', 'region'];

/**
 * Reads stack outputs from `pulumi stack output --json` (plain values) or from a plan's `outputs`.
 * @throws InputError naming each missing output and how to get a complete file.
 */
export function parseStackOutputs(raw: unknown, source: string): StackOutputs {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${source} must hold a JSON object of stack outputs, got ${show(raw)}; write it with 'pulumi stack output --json > outputs.json' or 'npm run plan -- --stack prod --json plan.json'.`);
  }
  const o = raw as Record<string, unknown>;
  const missing = REQUIRED.filter((k) => o[k] === undefined || o[k] === null || o[k] === '');
  if (missing.length > 0) {
    throw new InputError(`${source} lacks the stack outputs ${missing.join(', ')}; it must come from this project's stack ('pulumi stack output --json --show-secrets') or plan.`);
  }
  return { stagingDistributionId: '', ...o } as StackOutputs;
}
