/**
 * Cache-ratio rules: every content type has a hit-ratio alarm at (or above) its catalog target that
 * notifies a topic, and the distribution-wide CacheHitRate alarm exists.
 *
 * They are written against the alarms of the monitoring issue (a `aws.cloudwatch.MetricAlarm` per
 * content type, tagged `media-cdn:content-type=<type>` or named `...-hit-ratio-<type>`, with a
 * threshold in percent and alarm actions to an SNS topic; an alarm on AWS/CloudFront CacheHitRate)
 * The tag key comes from the monitoring module that creates the alarms.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { CONTENT_TYPES, type ContentTypeSpec } from '../lib/catalog';
import { TAG_CONTENT_TYPE } from '../lib/monitoring/names';
import { stackRule, type MediaCdnPolicy, type RuleDocs } from './lib/define';
import { ofType, primaryDistributionsOf } from './lib/stack';

/** Tag that names the content type a hit-ratio alarm watches (set by lib/monitoring). */
export const CONTENT_TYPE_TAG = TAG_CONTENT_TYPE;
/** Alarm names end with `<infix><type>`, e.g. `cdn-prod-hit-ratio-video`. */
export const HIT_RATIO_NAME_INFIX = 'hit-ratio-';

const LOW_OPERATORS = ['LessThanThreshold', 'LessThanOrEqualToThreshold', 'LessThanLowerThreshold'];

const docs = (why: string): RuleDocs => ({ group: 'cache-ratio', why, references: [] });

function alarmName(r: PolicyResource): string {
  return typeof r.props.name === 'string' && r.props.name !== '' ? r.props.name : r.name;
}

/** The hit-ratio alarms of a content type: by tag, else by name suffix. */
export function hitRatioAlarms(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return ofType(resources, aws.cloudwatch.MetricAlarm).filter((r) => {
    const tags = (r.props.tags ?? {}) as Record<string, string>;
    if (tags[CONTENT_TYPE_TAG] !== undefined) return tags[CONTENT_TYPE_TAG] === type;
    return alarmName(r).endsWith(`${HIT_RATIO_NAME_INFIX}${type}`) || r.name.endsWith(`${HIT_RATIO_NAME_INFIX}${type}`);
  });
}

/** Every (content type, alarm) pair of the stack. */
function typedAlarms(resources: readonly PolicyResource[]): { type: ContentTypeSpec; alarm: PolicyResource }[] {
  return CONTENT_TYPES.flatMap((type) => hitRatioAlarms(resources, type.name).map((alarm) => ({ type, alarm })));
}

/** Only stacks with a viewer-facing distribution need alarms. */
function stackUrn(resources: readonly PolicyResource[]): string | undefined {
  return primaryDistributionsOf(resources)[0]?.resource.urn;
}

export const hitRatioAlarmPerContentType = stackRule({
  name: 'hit-ratio-alarm-per-content-type',
  description: 'Every catalog content type has a CloudWatch hit-ratio alarm.',
  remediationSteps: `Create a metric alarm per content type (tag ${CONTENT_TYPE_TAG}=<type>, or a name ending in ${HIT_RATIO_NAME_INFIX}<type>); the monitoring component builds them from the catalog.`,
  docs: docs("Each type has its own hit-ratio target; a distribution-wide average hides one type's collapse behind another's success (video at 99 % hides metadata at 40 %)."),
  config: {
    contentTypes: { type: 'array', items: { type: 'string' }, default: CONTENT_TYPES.map((t) => t.name), description: 'Content types that need an alarm.' },
  },
  validate(args, report, config) {
    const urn = stackUrn(args.resources);
    if (!urn) return;
    for (const type of CONTENT_TYPES) {
      if (!config.contentTypes.includes(type.name) || hitRatioAlarms(args.resources, type.name).length > 0) continue;
      report(
        `no hit-ratio alarm for content type '${type.name}': expected a CloudWatch metric alarm tagged ${CONTENT_TYPE_TAG}=${type.name} ` +
        `(or named '...-${HIT_RATIO_NAME_INFIX}${type.name}') with a threshold of at least ${Math.round(type.targetHitRatio * 100)} % (the catalog target). ` +
        'Add it with the monitoring alarms component.',
        urn,
      );
    }
  },
});

export const hitRatioAlarmThresholdMeetsTarget = stackRule({
  name: 'hit-ratio-alarm-threshold-meets-target',
  description: "A content type's hit-ratio alarm fires when the ratio falls below a threshold at least as high as the catalog target.",
  remediationSteps: "Set the alarm's threshold to the type's targetHitRatio × 100 (or higher) with comparisonOperator LessThanThreshold.",
  docs: docs('An alarm below the target lets the hit ratio sag unnoticed between the two, and one comparing the wrong way never fires when the ratio drops.'),
  config: {
    scale: { type: 'number', exclusiveMinimum: 0, default: 100, description: 'Threshold units per 1.0 of hit ratio (100: the threshold is a percent).' },
  },
  validate(args, report, config) {
    for (const { type, alarm } of typedAlarms(args.resources)) {
      const target = type.targetHitRatio * config.scale;
      const threshold = alarm.props.threshold as number | undefined;
      const op = alarm.props.comparisonOperator as string | undefined;
      if (op !== undefined && !LOW_OPERATORS.includes(op)) {
        report(`hit-ratio alarm '${alarmName(alarm)}' of '${type.name}' uses comparisonOperator '${op}', so it fires when the ratio is high, not low; use LessThanThreshold.`, alarm.urn);
      }
      if (typeof threshold !== 'number' || threshold < target) {
        report(
          `hit-ratio alarm '${alarmName(alarm)}' of '${type.name}' has threshold ${String(threshold)}; the catalog target is ${target} ` +
          `(targetHitRatio ${type.targetHitRatio} × ${config.scale}). Set the threshold to ${target} or more.`,
          alarm.urn,
        );
      }
    }
  },
});

export const hitRatioAlarmNotifiesTopic = stackRule({
  name: 'hit-ratio-alarm-notifies-topic',
  description: 'Every hit-ratio alarm has its actions enabled and notifies an SNS topic.',
  remediationSteps: "Set alarmActions (and okActions) to the alarm topic's ARN and leave actionsEnabled true.",
  docs: docs('An alarm without an action changes state in the console and nobody hears about it.'),
  config: {
    requireTopicInStack: { type: 'boolean', default: false, description: 'Require the topic to be an aws.sns.Topic of this program, not any SNS ARN.' },
  },
  validate(args, report, config) {
    const topics = ofType(args.resources, aws.sns.Topic).flatMap((t) => [t.props.arn, t.props.id].filter((v): v is string => typeof v === 'string'));
    for (const { type, alarm } of typedAlarms(args.resources)) {
      const actions = ((alarm.props.alarmActions ?? []) as unknown[]).filter((a): a is string => typeof a === 'string');
      const notifies = actions.some((a) => topics.includes(a) || (!config.requireTopicInStack && a.startsWith('arn:aws:sns:')));
      if (alarm.props.actionsEnabled !== false && notifies) continue;
      report(
        `hit-ratio alarm '${alarmName(alarm)}' of '${type.name}' ${alarm.props.actionsEnabled === false ? 'has actionsEnabled false' : `notifies no SNS topic (alarmActions: ${JSON.stringify(actions)})`}; ` +
        "set alarmActions to the alarm topic's ARN.",
        alarm.urn,
      );
    }
  },
});

export const cacheHitRateAlarmExists = stackRule({
  name: 'cache-hit-rate-alarm-exists',
  description: "The stack has an alarm on the distribution's overall CacheHitRate metric.",
  remediationSteps: 'Create a metric alarm on AWS/CloudFront CacheHitRate (DistributionId, Region=Global) in us-east-1.',
  docs: docs("CloudFront's own CacheHitRate is the first signal that an edge-wide change (a new header in the key, a purge) hurt caching."),
  config: {
    namespace: { type: 'string', default: 'AWS/CloudFront', description: 'Namespace of the metric.' },
    metricName: { type: 'string', default: 'CacheHitRate', description: 'Name of the metric.' },
  },
  validate(args, report, config) {
    const urn = stackUrn(args.resources);
    if (!urn) return;
    const found = ofType(args.resources, aws.cloudwatch.MetricAlarm).some((a) => {
      if (a.props.namespace === config.namespace && a.props.metricName === config.metricName) return true;
      const queries = (a.props.metricQueries ?? []) as { metric?: { namespace?: string; metricName?: string } }[];
      return queries.some((q) => q.metric?.namespace === config.namespace && q.metric.metricName === config.metricName);
    });
    if (found) return;
    report(`no alarm watches ${config.namespace} ${config.metricName}; add a metric alarm on it for the distribution (additional metrics must be on).`, urn);
  },
});

export const cacheRatioPolicies: readonly MediaCdnPolicy[] = [
  hitRatioAlarmPerContentType,
  hitRatioAlarmThresholdMeetsTarget,
  hitRatioAlarmNotifiesTopic,
  cacheHitRateAlarmExists,
];
