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
  /**
   * Other Regions whose alarms must notify the same people (the invalidation pipeline's, in the stack
   * Region): CloudWatch alarm actions must be in the alarm's Region, so each gets a topic of its own
   * with the same subscribers (see `topicIn`).
   * @default []
   */
  readonly alarmRegions?: readonly string[];
}

/** An alarm topic and the Region alarms that notify it must be in. */
export interface RegionalTopic {
  readonly arn: pulumi.Output<string>;
  readonly region: string;
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
  private readonly regionalTopics: ReadonlyMap<string, aws.sns.Topic>;

  constructor(name: string, args: CdnAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:CdnAlarms', name, {}, opts);
    const { config } = args;
    const region = MONITORING_REGION;
    const prefix = `${name}-${config.stack}`;

    this.topic = this.createTopic(name, '', region, config, args.accountId);
    const regional = new Map<string, aws.sns.Topic>([[region, this.topic]]);
    for (const r of args.alarmRegions ?? []) {
      if (!regional.has(r)) regional.set(r, this.createTopic(name, `-${r}`, r, config, args.accountId));
    }
    this.regionalTopics = regional;

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

  /** The alarm topic in `region` (us-east-1, or one of `alarmRegions`). @throws Error for another Region. */
  topicIn(region: string): RegionalTopic {
    const t = this.regionalTopics.get(region);
    if (!t) throw new Error(`CdnAlarms has no alarm topic in ${region}; add it to alarmRegions (topics: ${[...this.regionalTopics.keys()].join(', ')})`);
    return { arn: t.arn, region };
  }

  /** A topic in `region` that the account's services may publish to, with the configured subscribers. */
  private createTopic(name: string, suffix: string, region: string, config: StackConfig, accountId: pulumi.Input<string>): aws.sns.Topic {
    const parent = { parent: this };
    const topic = new aws.sns.Topic(`${name}-topic${suffix}`, {
      region,
      name: alarmNames(`${name}-${config.stack}`).topic,
      displayName: `media-cdn ${config.stack} alarms`,
      tags: { [TAG_STACK]: config.stack },
    }, parent);
    new aws.sns.TopicPolicy(`${name}-topic-policy${suffix}`, {
      region,
      arn: topic.arn,
      policy: pulumi.all([topic.arn, accountId]).apply(([arn, account]) => JSON.stringify(alarmTopicPolicy(arn, account))),
    }, parent);
    const subscribers = [
      ...config.alarmEmails.map((endpoint) => ({ protocol: 'email', endpoint })),
      ...config.alarmHttpsEndpoints.map((endpoint) => ({ protocol: 'https', endpoint })),
    ];
    subscribers.forEach((s, i) => new aws.sns.TopicSubscription(`${name}-subscriber${suffix}-${i + 1}`, {
      region, topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint,
    }, parent));
    return topic;
  }
}
