/**
 * The event-based invalidation pipeline as plain data: the messages its queue carries (S3 event
 * notifications, scheduled sweeps, explicit requests), the handler's settings, least-privilege IAM
 * documents, the default EventBridge Scheduler schedules and the alarms. `InvalidationPipeline`
 * (components/) registers them; the Lambda (functions/invalidation-handler/) reads the messages.
 */
import type { ContentTypeName } from '../catalog';
import { asObject, valueAt } from '../json';

// ---------------------------------------------------------------- messages

/** A change to an origin object, from an S3 event notification. */
export interface ObjectChange {
  readonly bucket: string;
  readonly key: string;
  readonly removed: boolean;
  /**
   * Created by a copy (`ObjectCreated:Copy`, EventBridge reason `CopyObject`) — such as `npm run tag`
   * rewriting metadata in place: cached copies of the previous version may carry no tags, so the
   * object is invalidated by path.
   */
  readonly copy?: true;
}

/** A scheduled sweep: invalidate a content type's folders (EventBridge Scheduler → SQS). */
export interface ScheduledMessage {
  readonly kind: 'media-cdn:scheduled-invalidation';
  readonly contentType: ContentTypeName;
  /** Relative to the type's folders, like the CLI's `--prefix`. */
  readonly prefix?: string;
  /** S3-backed types: only objects modified in this many seconds before the run. */
  readonly changedWithinSeconds?: number;
}

/** Explicit items pushed onto the queue by another system. */
export interface ExplicitMessage {
  readonly kind: 'media-cdn:invalidate';
  readonly paths: readonly string[];
}

export type PipelineMessage = { readonly kind: 'object-changes'; readonly changes: readonly ObjectChange[] } | ScheduledMessage | ExplicitMessage | { readonly kind: 'ignored'; readonly reason: string };

/** S3 event keys are URL-encoded with `+` for spaces. */
export function decodeS3EventKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/**
 * Reads one SQS message body: an S3 event notification (`Records[].s3`, including the
 * `s3:TestEvent` sent when notifications are configured, which is ignored), an EventBridge
 * "Object Created/Deleted" event, a scheduled sweep or an explicit request.
 */
export function parsePipelineMessage(body: string): PipelineMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { kind: 'ignored', reason: 'body is not JSON' };
  }
  const o = asObject(raw) ?? {};
  if (o.kind === 'media-cdn:scheduled-invalidation' && typeof o.contentType === 'string') {
    return {
      kind: o.kind,
      contentType: o.contentType as ContentTypeName,
      ...(typeof o.prefix === 'string' ? { prefix: o.prefix } : {}),
      ...(typeof o.changedWithinSeconds === 'number' ? { changedWithinSeconds: o.changedWithinSeconds } : {}),
    };
  }
  if (o.kind === 'media-cdn:invalidate' && Array.isArray(o.paths) && o.paths.every((p): p is string => typeof p === 'string')) {
    return { kind: o.kind, paths: o.paths };
  }
  if (o.Event === 's3:TestEvent') return { kind: 'ignored', reason: 's3:TestEvent' };
  if (Array.isArray(o.Records)) {
    const changes: ObjectChange[] = [];
    for (const r of o.Records as unknown[]) {
      const name = String(valueAt(r, 'eventName') ?? '');
      const bucket = valueAt(r, 's3', 'bucket', 'name');
      const key = valueAt(r, 's3', 'object', 'key');
      if (typeof bucket !== 'string' || typeof key !== 'string') continue;
      if (!name.startsWith('ObjectCreated:') && !name.startsWith('ObjectRemoved:')) continue;
      changes.push({ bucket, key: decodeS3EventKey(key), removed: name.startsWith('ObjectRemoved:'), ...(name === 'ObjectCreated:Copy' ? { copy: true as const } : {}) });
    }
    return { kind: 'object-changes', changes };
  }
  if (o.source === 'aws.s3' && (o['detail-type'] === 'Object Created' || o['detail-type'] === 'Object Deleted')) {
    const bucket = valueAt(o.detail, 'bucket', 'name');
    const key = valueAt(o.detail, 'object', 'key');
    if (typeof bucket === 'string' && typeof key === 'string') {
      return { kind: 'object-changes', changes: [{ bucket, key, removed: o['detail-type'] === 'Object Deleted', ...(valueAt(o.detail, 'reason') === 'CopyObject' ? { copy: true as const } : {}) }] };
    }
  }
  return { kind: 'ignored', reason: 'not an S3 event, a scheduled sweep or an invalidation request' };
}

// ---------------------------------------------------------------- handler settings

/** What the Lambda reads from its environment (one JSON variable, `MEDIA_CDN_INVALIDATION`). */
export interface HandlerSettings {
  readonly distributionId: string;
  /** Bucket name → origin name (`video`, `images`, `static`). */
  readonly buckets: Readonly<Record<string, string>>;
  /** The `contentTypes` routing (path patterns and origin per type). */
  readonly contentTypes: Readonly<Record<string, { readonly pathPatterns: readonly string[]; readonly origin: string }>>;
  /** Fraction, as the CLI's `--max-overinvalidation`. */
  readonly maxOverInvalidation: number;
  readonly metricsNamespace: string;
  /** Most objects listed per folder to count over-invalidation. */
  readonly maxListedObjects: number;
  readonly batchPaths: number;
  readonly batchWildcards: number;
  /**
   * The distribution's cache-tag header (spec §8.2): the handler reads the changed objects' tags
   * from their S3 metadata and invalidates a video by its tag when that is exact and cheaper.
   * Absent or '': paths only.
   */
  readonly cacheTagHeader?: string;
  /** Paths-or-tags and wildcards sent per second (lib/invalidation/rate). @default 150 and 1 */
  readonly ratePathsPerSecond?: number;
  readonly rateWildcardsPerSecond?: number;
}

export const HANDLER_SETTINGS_VARIABLE = 'MEDIA_CDN_INVALIDATION';

/** Reads and checks the handler settings. @throws Error naming the variable and the missing field. */
export function parseHandlerSettings(text: string | undefined): HandlerSettings {
  if (!text) throw new Error(`${HANDLER_SETTINGS_VARIABLE} is not set; the InvalidationPipeline component sets it.`);
  const s = JSON.parse(text) as Partial<HandlerSettings>;
  for (const k of ['distributionId', 'buckets', 'contentTypes', 'maxOverInvalidation', 'metricsNamespace', 'maxListedObjects', 'batchPaths', 'batchWildcards'] as const) {
    if (s[k] === undefined) throw new Error(`${HANDLER_SETTINGS_VARIABLE} lacks '${k}'.`);
  }
  return s as HandlerSettings;
}

// ---------------------------------------------------------------- schedules

/** One EventBridge Scheduler schedule that sends a sweep to the queue. */
export interface PipelineSchedule {
  readonly contentType: ContentTypeName;
  /** `rate(...)` or `cron(...)` (EventBridge Scheduler syntax). */
  readonly expression: string;
  readonly prefix?: string;
  /** S3-backed types: only objects modified in this many seconds before the run (the interval). */
  readonly changedWithinSeconds?: number;
}

/** EventBridge Scheduler expression for an interval: `rate(15 minutes)`, `rate(6 hours)`, `rate(1 day)`. */
export function rateExpression(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 60 || seconds % 60 !== 0) {
    throw new RangeError(`rateExpression: the interval must be a whole number of minutes, got ${seconds} s.`);
  }
  const [n, unit] = seconds % 86400 === 0 ? [seconds / 86400, 'day'] : seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [seconds / 60, 'minute'];
  return `rate(${n} ${unit}${n === 1 ? '' : 's'})`;
}

export function scheduledMessage(s: PipelineSchedule): ScheduledMessage {
  return {
    kind: 'media-cdn:scheduled-invalidation',
    contentType: s.contentType,
    ...(s.prefix !== undefined ? { prefix: s.prefix } : {}),
    ...(s.changedWithinSeconds !== undefined ? { changedWithinSeconds: s.changedWithinSeconds } : {}),
  };
}

// ---------------------------------------------------------------- IAM

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

export function assumeRolePolicy(service: string, sourceAccount?: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sourceAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } } : {}),
    }],
  };
}

/**
 * The handler's permissions, nothing more: read and delete from its queue; invalidate and read the
 * invalidations of one distribution; list the origin buckets (to count over-invalidation); with
 * cache tags, read the objects' metadata (HeadObject needs s3:GetObject); write its own log group;
 * put metrics into one namespace.
 */
export function handlerPolicy(a: { queueArn: string; distributionArn: string; bucketArns: readonly string[]; logGroupArn: string; metricsNamespace: string; readObjectTags?: boolean }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ConsumeQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], Resource: a.queueArn },
      { Sid: 'Invalidate', Effect: 'Allow', Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'], Resource: a.distributionArn },
      { Sid: 'ListOrigins', Effect: 'Allow', Action: 's3:ListBucket', Resource: [...a.bucketArns].sort() },
      ...(a.readObjectTags ? [{ Sid: 'ReadObjectTags', Effect: 'Allow', Action: 's3:GetObject', Resource: [...a.bucketArns].sort().map((arn) => `${arn}/*`) }] : []),
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${a.logGroupArn}:*` },
      { Sid: 'PutMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': a.metricsNamespace } } },
    ],
  };
}

/**
 * Who may send to the queue besides identities of the account (the scheduler role has an identity
 * policy): S3, for the origin buckets of this account only.
 */
export function queuePolicy(a: { queueArn: string; bucketArns: readonly string[]; accountId: string }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OriginBucketEvents',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: a.queueArn,
        Condition: { ArnLike: { 'aws:SourceArn': [...a.bucketArns].sort() }, StringEquals: { 'aws:SourceAccount': a.accountId } },
      },
    ],
  };
}

/** The scheduler role may send to the queue and nothing else. */
export function schedulerPolicy(queueArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn }] };
}

// ---------------------------------------------------------------- queue, function, alarms

/** Settings of the queue, the dead-letter queue, the function and its event source. */
export const PIPELINE_SETTINGS = Object.freeze({
  /** The function may run this long (it backs off on TooManyInvalidationsInProgress inside it). */
  functionTimeoutSeconds: 120,
  functionMemoryMb: 512,
  runtime: 'nodejs22.x',
  /** AWS asks for a visibility timeout of at least six times the function timeout. */
  visibilityTimeoutSeconds: 720,
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Changes are collected this long so one invalidation covers a whole upload. */
  batchingWindowSeconds: 60,
  batchSize: 1000,
  /** Two concurrent handlers at most (the SQS minimum), so the in-progress quota is not raced. */
  maximumConcurrency: 2,
  dlqRetentionSeconds: 14 * 86400,
  logRetentionDays: 30,
});

/** An alarm in the shape of `aws.cloudwatch.MetricAlarmArgs` (pulumi-aws v7 names the alarm `name`). */
export interface AlarmSpec {
  readonly id: string;
  readonly name: string;
  readonly alarmDescription: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: string;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparisonOperator: string;
  readonly treatMissingData: string;
  /** Which resource the alarm watches: its dimension is filled by the component. */
  readonly watches: 'dlq' | 'function';
}

/** Alarms (names from a prefix such as `invalidation-prod`): anything in the dead-letter queue, and function errors. */
export function pipelineAlarms(prefix: string): AlarmSpec[] {
  return [
    {
      id: 'dlq-depth',
      name: `${prefix}-dlq-depth`,
      alarmDescription: 'Invalidation messages reached the dead-letter queue: changed objects stay cached until their TTL ends. Inspect and redrive the DLQ.',
      namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
      period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'notBreaching', watches: 'dlq',
    },
    {
      id: 'function-errors',
      name: `${prefix}-handler-errors`,
      alarmDescription: 'The invalidation handler failed; its messages are retried and end in the dead-letter queue after 5 receives.',
      namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum',
      period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'notBreaching', watches: 'function',
    },
  ];
}
