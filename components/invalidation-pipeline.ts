import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/config';
import {
  assumeRolePolicy, customNamespace, defaultPipelineSchedules, DEFAULT_BATCH_SIZES, HANDLER_SETTINGS_VARIABLE, handlerPolicy, PIPELINE_SETTINGS,
  pipelineAlarms, queuePolicy, scheduledMessage, schedulerPolicy, type HandlerSettings, type PipelineSchedule,
} from '../lib/invalidation';
import { contentTypeOutputs } from '../lib/outputs';
import { createBundledFunction } from './lambda-bundle';
import type { MediaOrigins } from './media-origins';

export interface InvalidationPipelineArgs {
  /** The validated stack config (Region, catalog routing, stack name). */
  readonly config: StackConfig;
  /** The origins: the primary buckets' object events feed the queue. */
  readonly origins: MediaOrigins;
  /** The distribution the handler invalidates. */
  readonly distribution: aws.cloudfront.Distribution;
  /** The AWS account id: only its buckets may send events to the queue. */
  readonly accountId: pulumi.Input<string>;
  /**
   * EventBridge Scheduler sweeps. Types on custom origins send no S3 events, so they are swept at
   * their update interval.
   * @default defaultPipelineSchedules(config.catalog) — metadata every 15 minutes, api every 5 minutes
   */
  readonly schedules?: readonly PipelineSchedule[];
  /** Over-invalidation bound of the planner, percent. @default 5 */
  readonly maxOverInvalidationPct?: number;
  /**
   * SNS topic the alarms notify. Alarm actions must be in the alarm's Region, so it is used only when
   * `region` equals the stack Region.
   * @default none (the alarms still show in CloudWatch)
   */
  readonly alarmTopic?: { readonly arn: pulumi.Input<string>; readonly region: string };
}

/**
 * Event-based invalidation: S3 object-created/removed events of the primary origin buckets → SQS
 * (with a dead-letter queue) → a Lambda (batching window, same planner as the CLI) →
 * CreateInvalidation; EventBridge Scheduler sweeps for the content types whose origins send no
 * events; least-privilege IAM; alarms on the dead-letter queue and on function errors. All in the
 * stack Region (S3 notifications need the queue beside the buckets).
 */
export class InvalidationPipeline extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly handler: aws.lambda.Function;
  readonly schedules: readonly aws.scheduler.Schedule[];
  readonly alarms: readonly aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: InvalidationPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:InvalidationPipeline', name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const region = config.region;
    const prefix = `${name}-${config.stack}`;
    const tags = { 'media-cdn:stack': config.stack };
    const s = PIPELINE_SETTINGS;
    const namespace = customNamespace(config.stack);
    const buckets = args.origins.s3.map((p) => ({ origin: p.origin, bucket: p.primary.bucket }));

    // Queues
    this.deadLetterQueue = new aws.sqs.Queue(`${name}-dlq`, {
      region, name: `${prefix}-dlq`, messageRetentionSeconds: s.dlqRetentionSeconds, sqsManagedSseEnabled: true, tags,
    }, parent);
    this.queue = new aws.sqs.Queue(`${name}-queue`, {
      region,
      name: prefix,
      visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
      sqsManagedSseEnabled: true,
      redrivePolicy: this.deadLetterQueue.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: s.maxReceiveCount })),
      tags,
    }, parent);
    const queuePolicyResource = new aws.sqs.QueuePolicy(`${name}-queue-policy`, {
      region,
      queueUrl: this.queue.url,
      policy: pulumi.all([this.queue.arn, pulumi.all(buckets.map((b) => b.bucket.arn)), args.accountId])
        .apply(([queueArn, bucketArns, accountId]) => JSON.stringify(queuePolicy({ queueArn, bucketArns, accountId }))),
    }, parent);

    // Function
    const functionName = `${prefix}-handler`.slice(0, 64);
    const routing = contentTypeOutputs(config.catalog);
    const settings = pulumi.all([args.distribution.id, pulumi.all(buckets.map((b) => b.bucket.bucket))]).apply(([distributionId, names]) => {
      const value: HandlerSettings = {
        distributionId,
        buckets: Object.fromEntries(names.map((n, i) => [n, buckets[i]!.origin])),
        contentTypes: Object.fromEntries(Object.entries(routing).map(([t, r]) => [t, { pathPatterns: r.pathPatterns, origin: r.origin }])),
        maxOverInvalidation: (args.maxOverInvalidationPct ?? 5) / 100,
        metricsNamespace: namespace,
        maxListedObjects: 10_000,
        batchPaths: DEFAULT_BATCH_SIZES.paths,
        batchWildcards: DEFAULT_BATCH_SIZES.wildcards,
        ...(config.cacheTagHeader !== '' ? { cacheTagHeader: config.cacheTagHeader } : {}),
      };
      return JSON.stringify(value);
    });
    const fn = createBundledFunction(this, { resource: `${name}-handler`, logGroup: `${name}-handler-logs` }, {
      region,
      functionName,
      entry: 'invalidation-handler',
      description: 'media-cdn: plans and sends CloudFront invalidations for origin changes (lib/invalidation)',
      roleDescription: 'media-cdn: the invalidation handler (SQS → CloudFront)',
      runtime: s.runtime,
      timeoutSeconds: s.functionTimeoutSeconds,
      memoryMb: s.functionMemoryMb,
      logRetentionDays: s.logRetentionDays,
      policy: (logGroupArn) => pulumi.all([this.queue.arn, args.distribution.arn, pulumi.all(buckets.map((b) => b.bucket.arn)), logGroupArn])
        .apply(([queueArn, distributionArn, bucketArns, lg]) => JSON.stringify(handlerPolicy({ queueArn, distributionArn, bucketArns, logGroupArn: lg, metricsNamespace: namespace, readObjectTags: config.cacheTagHeader !== '' }))),
      environment: { [HANDLER_SETTINGS_VARIABLE]: settings },
      tags,
    });
    this.handler = fn.function;
    const rolePolicy = fn.rolePolicy;
    new aws.lambda.EventSourceMapping(`${name}-events`, {
      region,
      eventSourceArn: this.queue.arn,
      functionName: this.handler.arn,
      batchSize: s.batchSize,
      maximumBatchingWindowInSeconds: s.batchingWindowSeconds,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: s.maximumConcurrency },
    }, { parent: this, dependsOn: [rolePolicy] });

    // Object events of the primary buckets (replicas are not served unless the primary fails).
    for (const b of buckets) {
      new aws.s3.BucketNotification(`${name}-${b.origin}-events`, {
        region,
        bucket: b.bucket.id,
        queues: [{ id: 'media-cdn-invalidation', queueArn: this.queue.arn, events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }],
      }, { parent: this, dependsOn: [queuePolicyResource] });
    }

    // Scheduled sweeps
    const schedules = args.schedules ?? defaultPipelineSchedules(config.catalog);
    let schedulerRole: aws.iam.Role | undefined;
    if (schedules.length > 0) {
      schedulerRole = new aws.iam.Role(`${name}-scheduler`, {
        assumeRolePolicy: pulumi.output(args.accountId).apply((account) => JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com', account))),
        description: 'media-cdn: EventBridge Scheduler sends invalidation sweeps to the queue',
        tags,
      }, parent);
      new aws.iam.RolePolicy(`${name}-scheduler`, { role: schedulerRole.id, policy: this.queue.arn.apply((arn) => JSON.stringify(schedulerPolicy(arn))) }, parent);
    }
    this.schedules = schedules.map((sc) => new aws.scheduler.Schedule(`${name}-sweep-${sc.contentType}${sc.prefix ? `-${sc.prefix.replace(/[^A-Za-z0-9]+/g, '-')}` : ''}`, {
      region,
      description: `media-cdn: invalidate ${sc.contentType}${sc.prefix ? ` under ${sc.prefix}` : ''} (${sc.expression})`,
      scheduleExpression: sc.expression,
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: this.queue.arn, roleArn: schedulerRole!.arn, input: JSON.stringify(scheduledMessage(sc)) },
    }, parent));

    // Alarms
    const actions = args.alarmTopic && args.alarmTopic.region === region ? [args.alarmTopic.arn] : [];
    this.alarms = pipelineAlarms(prefix).map(({ id, watches, ...spec }) => new aws.cloudwatch.MetricAlarm(`${name}-${id}`, {
      region,
      ...spec,
      dimensions: watches === 'dlq' ? { QueueName: this.deadLetterQueue.name } : { FunctionName: this.handler.name },
      alarmActions: actions,
      okActions: actions,
      tags,
    }, parent));

    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url, handlerName: this.handler.name });
  }
}
