import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/config';
import {
  assumeRolePolicy, HANDLER_SETTINGS_VARIABLE, handlerPolicy, PIPELINE_SETTINGS, pipelineAlarmActions, pipelineAlarms,
  pipelineHandlerSettings, pipelineNames, queuePolicy, redrivePolicy, scheduledMessage, scheduleResource, schedulerPolicy, type PipelineNames,
  type PipelineSchedule,
} from '../lib/invalidation';
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
   * EventBridge Scheduler sweeps, for content that changes without S3 events and lives longer in the
   * cache than its TTL allows. None by default: the custom-origin types (metadata, API) are cached no
   * longer than their update interval (their max TTL), so a sweep at that interval re-invalidates what
   * expires anyway, bills its paths (about 11.5 k a month per stack) and holds wildcard slots of the
   * in-flight quota that real invalidations need (spec §8.4, §8.5).
   * @default []
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

  private readonly name: string;
  private readonly args: InvalidationPipelineArgs;
  private readonly names: PipelineNames;
  private readonly region: string;
  private readonly tags: Record<string, string>;
  /** The primary origin buckets: replicas are not served unless the primary fails, so they send no events. */
  private readonly buckets: readonly { readonly origin: string; readonly bucket: aws.s3.Bucket }[];

  constructor(name: string, args: InvalidationPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:InvalidationPipeline', name, {}, opts);
    this.name = name;
    this.args = args;
    this.names = pipelineNames(name, args.config.stack);
    this.region = args.config.region;
    this.tags = { 'media-cdn:stack': args.config.stack };
    this.buckets = args.origins.s3.map((p) => ({ origin: p.origin, bucket: p.primary.bucket }));

    [this.deadLetterQueue, this.queue] = this.createQueues();
    const queuePolicy = this.createQueuePolicy();
    const handler = this.createHandler();
    this.handler = handler.function;
    this.createEventSource(handler.rolePolicy);
    this.createBucketNotifications(queuePolicy);
    this.schedules = this.createSchedules(args.schedules ?? []);
    this.alarms = this.createAlarms();

    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url, handlerName: this.handler.name });
  }

  /** The queue and its dead-letter queue. */
  private createQueues(): [aws.sqs.Queue, aws.sqs.Queue] {
    const s = PIPELINE_SETTINGS;
    const dlq = new aws.sqs.Queue(`${this.name}-dlq`, {
      region: this.region, name: this.names.deadLetterQueue, messageRetentionSeconds: s.dlqRetentionSeconds, sqsManagedSseEnabled: true, tags: this.tags,
    }, { parent: this });
    const queue = new aws.sqs.Queue(`${this.name}-queue`, {
      region: this.region,
      name: this.names.queue,
      visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
      sqsManagedSseEnabled: true,
      redrivePolicy: dlq.arn.apply((arn) => redrivePolicy(arn, s.maxReceiveCount)),
      tags: this.tags,
    }, { parent: this });
    return [dlq, queue];
  }

  /** Only S3, for the origin buckets of this account, may send to the queue. */
  private createQueuePolicy(): aws.sqs.QueuePolicy {
    return new aws.sqs.QueuePolicy(`${this.name}-queue-policy`, {
      region: this.region,
      queueUrl: this.queue.url,
      policy: pulumi.all([this.queue.arn, pulumi.all(this.buckets.map((b) => b.bucket.arn)), this.args.accountId])
        .apply(([queueArn, bucketArns, accountId]) => JSON.stringify(queuePolicy({ queueArn, bucketArns, accountId }))),
    }, { parent: this });
  }

  /** The bundled Lambda, its log group and least-privilege role, configured with the planner settings. */
  private createHandler(): ReturnType<typeof createBundledFunction> {
    const { config, distribution } = this.args;
    const s = PIPELINE_SETTINGS;
    const bucketArns = pulumi.all(this.buckets.map((b) => b.bucket.arn));
    const settings = pulumi.all([distribution.id, pulumi.all(this.buckets.map((b) => b.bucket.bucket))]).apply(([distributionId, names]) => JSON.stringify(pipelineHandlerSettings({
      distributionId,
      buckets: names.map((bucketName, i) => ({ bucketName, origin: this.buckets[i]!.origin })),
      catalog: config.catalog,
      stack: config.stack,
      ...(this.args.maxOverInvalidationPct !== undefined ? { maxOverInvalidationPct: this.args.maxOverInvalidationPct } : {}),
      cacheTagHeader: config.cacheTagHeader,
    })));
    return createBundledFunction(this, { resource: `${this.name}-handler`, logGroup: `${this.name}-handler-logs` }, {
      region: this.region,
      functionName: this.names.functionName,
      entry: 'invalidation-handler',
      description: 'media-cdn: plans and sends CloudFront invalidations for origin changes (lib/invalidation)',
      roleDescription: 'media-cdn: the invalidation handler (SQS → CloudFront)',
      runtime: s.runtime,
      timeoutSeconds: s.functionTimeoutSeconds,
      memoryMb: s.functionMemoryMb,
      logRetentionDays: s.logRetentionDays,
      policy: (logGroupArn) => pulumi.all([this.queue.arn, distribution.arn, bucketArns, logGroupArn]).apply(([queueArn, distributionArn, arns, lg]) => JSON.stringify(handlerPolicy({
        queueArn, distributionArn, bucketArns: arns, logGroupArn: lg, metricsNamespace: this.names.metricsNamespace, readObjectTags: config.cacheTagHeader !== '',
      }))),
      environment: { [HANDLER_SETTINGS_VARIABLE]: settings },
      tags: this.tags,
    });
  }

  /** The queue feeds the handler in batching windows, reporting failed messages one by one. */
  private createEventSource(rolePolicy: pulumi.Resource): void {
    const s = PIPELINE_SETTINGS;
    new aws.lambda.EventSourceMapping(`${this.name}-events`, {
      region: this.region,
      eventSourceArn: this.queue.arn,
      functionName: this.handler.arn,
      batchSize: s.batchSize,
      maximumBatchingWindowInSeconds: s.batchingWindowSeconds,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: s.maximumConcurrency },
    }, { parent: this, dependsOn: [rolePolicy] });
  }

  /** Object-created and object-removed events of the primary buckets go to the queue. */
  private createBucketNotifications(queuePolicy: aws.sqs.QueuePolicy): void {
    for (const b of this.buckets) {
      new aws.s3.BucketNotification(`${this.name}-${b.origin}-events`, {
        region: this.region,
        bucket: b.bucket.id,
        queues: [{ id: 'media-cdn-invalidation', queueArn: this.queue.arn, events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }],
      }, { parent: this, dependsOn: [queuePolicy] });
    }
  }

  /** EventBridge Scheduler sweeps, with a role that may only send to the queue. */
  private createSchedules(schedules: readonly PipelineSchedule[]): aws.scheduler.Schedule[] {
    if (schedules.length === 0) return [];
    const role = new aws.iam.Role(`${this.name}-scheduler`, {
      assumeRolePolicy: pulumi.output(this.args.accountId).apply((account) => JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com', account))),
      description: 'media-cdn: EventBridge Scheduler sends invalidation sweeps to the queue',
      tags: this.tags,
    }, { parent: this });
    new aws.iam.RolePolicy(`${this.name}-scheduler`, { role: role.id, policy: this.queue.arn.apply((arn) => JSON.stringify(schedulerPolicy(arn))) }, { parent: this });
    return schedules.map((sc) => {
      const { resourceName, description } = scheduleResource(this.name, sc);
      return new aws.scheduler.Schedule(resourceName, {
        region: this.region,
        description,
        scheduleExpression: sc.expression,
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: this.queue.arn, roleArn: role.arn, input: JSON.stringify(scheduledMessage(sc)) },
      }, { parent: this });
    });
  }

  /** Alarms on the dead-letter queue and on function errors. */
  private createAlarms(): aws.cloudwatch.MetricAlarm[] {
    const actions = pipelineAlarmActions(this.args.alarmTopic, this.region);
    return pipelineAlarms(this.names.queue).map(({ id, watches, ...spec }) => new aws.cloudwatch.MetricAlarm(`${this.name}-${id}`, {
      region: this.region,
      ...spec,
      dimensions: watches === 'dlq' ? { QueueName: this.deadLetterQueue.name } : { FunctionName: this.handler.name },
      alarmActions: actions,
      okActions: actions,
      tags: this.tags,
    }, { parent: this }));
  }
}
