/**
 * Names of the AWS resources the program names explicitly. Such a name is unique per account (or per
 * account and Region), so two stacks in one account must not share it: every explicit name carries
 * the stack name. Names AWS limits in length are shortened with a hash of the full name, so two long
 * names never collapse into one. Used by the components (to build names) and the policy pack (to
 * check them).
 */
import { createHash } from 'node:crypto';
import { CLOUDFRONT_TYPES } from './distribution/resource-types';

/**
 * The property that holds the explicit name, per resource type, for the types whose names share one
 * namespace per account or per account and Region. Route 53 records and metric filters are left out:
 * their names are scoped by a hosted zone or a log group.
 */
export const EXPLICIT_NAME_PROPERTY: Readonly<Record<string, string>> = Object.freeze({
  'aws:batch/computeEnvironment:ComputeEnvironment': 'name',
  'aws:batch/jobDefinition:JobDefinition': 'name',
  'aws:batch/jobQueue:JobQueue': 'name',
  'aws:budgets/budget:Budget': 'name',
  [CLOUDFRONT_TYPES.cachePolicy]: 'name',
  [CLOUDFRONT_TYPES.continuousDeploymentPolicy]: 'name',
  [CLOUDFRONT_TYPES.function]: 'name',
  [CLOUDFRONT_TYPES.keyGroup]: 'name',
  [CLOUDFRONT_TYPES.keyValueStore]: 'name',
  [CLOUDFRONT_TYPES.originAccessControl]: 'name',
  [CLOUDFRONT_TYPES.originRequestPolicy]: 'name',
  [CLOUDFRONT_TYPES.publicKey]: 'name',
  [CLOUDFRONT_TYPES.responseHeadersPolicy]: 'name',
  'aws:cloudwatch/compositeAlarm:CompositeAlarm': 'alarmName',
  'aws:cloudwatch/dashboard:Dashboard': 'dashboardName',
  'aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination': 'name',
  'aws:cloudwatch/logDeliverySource:LogDeliverySource': 'name',
  'aws:cloudwatch/logGroup:LogGroup': 'name',
  'aws:cloudwatch/metricAlarm:MetricAlarm': 'name',
  'aws:costexplorer/anomalyMonitor:AnomalyMonitor': 'name',
  'aws:costexplorer/anomalySubscription:AnomalySubscription': 'name',
  'aws:iam/policy:Policy': 'name',
  'aws:iam/role:Role': 'name',
  'aws:lambda/function:Function': 'name',
  'aws:s3/bucket:Bucket': 'bucket',
  'aws:scheduler/schedule:Schedule': 'name',
  'aws:secretsmanager/secret:Secret': 'name',
  'aws:sns/topic:Topic': 'name',
  'aws:sqs/queue:Queue': 'name',
  'aws:wafv2/webAcl:WebAcl': 'name',
});

/**
 * Types that Pulumi replaces when the listed properties change, and whose replacement is created
 * before the old one is deleted: with an explicit name the new resource collides with the old one
 * ("already exists"), so these must be autonamed (no explicit name).
 * Source: the provider docs of aws.cloudfront.PublicKey ("name ... conflicts with namePrefix; let
 * Pulumi autoname it to rotate keys") and the CloudFront API (a public key's EncodedKey is immutable).
 */
export const REPLACED_ON_CHANGE: Readonly<Record<string, readonly string[]>> = Object.freeze({
  [CLOUDFRONT_TYPES.publicKey]: ['encodedKey'],
  'aws:iam/serverCertificate:ServerCertificate': ['certificateBody', 'privateKey'],
});

/**
 * AWS's length limits and character sets of the names the program builds.
 * Sources: CloudWatch Logs PutDeliverySource / PutDeliveryDestination (name 1–60, [\w-]),
 * CloudFront CreateFunction (1–64, [a-zA-Z0-9-_]), CreateKeyValueStore (1–64), Secrets Manager
 * CreateSecret (1–512, [\w/+=.@-]).
 */
export const NAME_LIMITS = Object.freeze({
  logDeliverySource: { max: 60, charset: /^[\w-]+$/ },
  logDeliveryDestination: { max: 60, charset: /^[\w-]+$/ },
  cloudfrontFunction: { max: 64, charset: /^[\w-]+$/ },
  keyValueStore: { max: 64, charset: /^[\w-]+$/ },
  secret: { max: 512, charset: /^[\w/+=.@-]+$/ },
});

export interface NameLimit {
  readonly max: number;
  readonly charset: RegExp;
}

/**
 * Joins `parts` with '-' into a name within `limit`: characters outside the charset become '-', and a
 * name too long keeps its start and ends with 8 hex digits of a hash of the whole, so names that
 * differ only past the limit stay different.
 */
export function boundedName(parts: readonly string[], limit: NameLimit): string {
  const full = parts.filter((p) => p !== '').join('-').replace(/[^\w-]+/g, '-');
  if (full.length <= limit.max) return full;
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, limit.max - digest.length - 1).replace(/-+$/, '')}-${digest}`;
}

/** Whether `name` carries the stack name as a whole word (between separators or at the ends). */
export function namesStack(name: string, stack: string): boolean {
  const escaped = stack.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`).test(name);
}

/** The stack of a Pulumi URN (`urn:pulumi:<stack>::<project>::<type>::<name>`); undefined for other text. */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}
