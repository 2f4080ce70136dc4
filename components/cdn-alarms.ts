import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/config';
import { alarmNames, alarmTopicPolicy, buildAlarmSpecs, MONITORING_REGION, TAG_STACK, type AlarmSpec, type CompositeAlarmSpec } from '../lib/monitoring';

/** Compile-time guard: every field of the plain specs is an argument of the resource it becomes. */
type Extra<Spec, Args> = Exclude<keyof Spec, keyof Args>;
const specFieldsAreMetricAlarmArgs: Extra<Omit<AlarmSpec<string>, 'id'>, aws.cloudwatch.MetricAlarmArgs> extends never ? true : never = true;
const specFieldsAreCompositeAlarmArgs: Extra<Omit<CompositeAlarmSpec<string>, 'id' | 'children'>, aws.cloudwatch.CompositeAlarmArgs> extends never ? true : never = true;
void specFieldsAreMetricAlarmArgs;
void specFieldsAreCompositeAlarmArgs;

export interface CdnAlarmsArgs {
  /** The validated stack config (catalog targets, severity, subscribers, bandwidth ceiling). */
  readonly config: StackConfig;
  /** The primary distribution, whose metrics the alarms watch. */
  readonly distributionId: pulumi.Input<string>;
  /** The AWS account id: only its own services may publish to the topic. */
  readonly accountId: pulumi.Input<string>;
  /**
   * Resources that publish the metrics the per-type alarms read (the log metric filters); the alarms
   * are created after them.
   * @default []
   */
  readonly metricSources?: readonly pulumi.Resource[];
}

/**
 * The alarm topic (SNS, us-east-1, email and HTTPS subscribers from config) and the CDN's alarms
 * (lib/monitoring/alarms.ts): 5xx and 4xx rates, CacheHitRate, a hit-ratio alarm per content type at
 * its catalog target, p95 OriginLatency, the bandwidth ceiling and invalidation failures, plus the
 * composite "CDN degraded" alarm. CloudFront metrics live in us-east-1, so everything is there.
 */
export class CdnAlarms extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
  readonly degraded: aws.cloudwatch.CompositeAlarm;

  constructor(name: string, args: CdnAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:CdnAlarms', name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const region = MONITORING_REGION;
    const prefix = `${name}-${config.stack}`;
    const names = alarmNames(prefix);

    this.topic = new aws.sns.Topic(`${name}-topic`, {
      region,
      name: names.topic,
      displayName: `media-cdn ${config.stack} alarms`,
      tags: { [TAG_STACK]: config.stack },
    }, parent);
    new aws.sns.TopicPolicy(`${name}-topic-policy`, {
      region,
      arn: this.topic.arn,
      policy: pulumi.all([this.topic.arn, args.accountId]).apply(([arn, account]) => JSON.stringify(alarmTopicPolicy(arn, account))),
    }, parent);
    const subscribers = [
      ...config.alarmEmails.map((endpoint) => ({ protocol: 'email', endpoint })),
      ...config.alarmHttpsEndpoints.map((endpoint) => ({ protocol: 'https', endpoint })),
    ];
    subscribers.forEach((s, i) => new aws.sns.TopicSubscription(`${name}-subscriber-${i + 1}`, {
      region, topic: this.topic.arn, protocol: s.protocol, endpoint: s.endpoint,
    }, parent));

    const specs = buildAlarmSpecs<pulumi.Input<string>>({
      catalog: config.catalog,
      stack: config.stack,
      prefix,
      severity: config.alarmSeverity,
      distributionId: args.distributionId,
      topicArn: this.topic.arn,
      bandwidthCeilingGbps: config.bandwidthCeilingGbps,
    });
    const alarmOpts = { parent: this, dependsOn: [...(args.metricSources ?? [])] };
    this.alarms = specs.alarms.map(({ id, metricQueries, ...spec }) => new aws.cloudwatch.MetricAlarm(`${name}-${id}`, {
      region,
      ...spec,
      alarmActions: [...spec.alarmActions],
      okActions: [...spec.okActions],
      ...(metricQueries ? { metricQueries: metricQueries.map((q) => ({ ...q })) } : {}),
    }, alarmOpts));

    const { id, children, ...composite } = specs.composite;
    const childAlarms = this.alarms.filter((_, i) => children.includes(specs.alarms[i]!.name));
    this.degraded = new aws.cloudwatch.CompositeAlarm(`${name}-${id}`, {
      region,
      ...composite,
      alarmActions: [...composite.alarmActions],
      okActions: [...composite.okActions],
    }, { parent: this, dependsOn: childAlarms });

    this.registerOutputs({ alarmTopicArn: this.topic.arn });
  }
}
