/**
 * Compliant resources to start each rule test from: the committed prod stack's plan (the real
 * program under mocks), and hit-ratio alarms shaped like the monitoring issue's until the program
 * creates them itself.
 */
import * as aws from '@pulumi/aws';
import { CONTENT_TYPES } from '../../lib/catalog';
import { primaryDistribution, type Plan, type PlanResource } from '../../lib/plan';
import { CONTENT_TYPE_TAG } from '../../policies/cache-ratio';
import { planResources, type CheckedResource } from '../../policies/offline';
import { planFor } from '../helpers/plan';
import { clone, typeOf } from './helpers';

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:cdn-prod-alarms';

function planResource(type: string, name: string, inputs: Record<string, unknown>): PlanResource {
  return { urn: `urn:pulumi:prod::media-cdn::media-cdn:monitoring:CdnAlarms$${type}::${name}`, type, name, parent: '', custom: true, inputs, id: `${name}-id` };
}

/**
 * The alarms of the monitoring issue, as plan resources shaped like components/cdn-alarms.ts
 * registers them: an SNS topic, a hit-ratio alarm per content type (resource `cdn-hit-ratio-<type>`,
 * alarm name `cdn-prod-hit-ratio-<type>`, content-type tag, metric math, threshold = catalog target in percent,
 * actions to the topic) and the distribution-wide CacheHitRate alarm. Used only while the
 * program does not create them itself.
 */
export function monitoringAlarms(distributionId: string): PlanResource[] {
  const alarm = typeOf(aws.cloudwatch.MetricAlarm);
  return [
    planResource(typeOf(aws.sns.Topic), 'cdn-alarms', { name: 'cdn-prod-alarms', arn: TOPIC_ARN }),
    ...CONTENT_TYPES.map((t) => planResource(alarm, `cdn-hit-ratio-${t.name}`, {
      name: `cdn-prod-hit-ratio-${t.name}`,
      comparisonOperator: 'LessThanThreshold',
      threshold: t.targetHitRatio * 100,
      evaluationPeriods: 3,
      metricQueries: [
        { id: 'hits', metric: { namespace: 'media-cdn/prod', metricName: `Hits-${t.name}`, period: 3600, stat: 'Sum' }, returnData: false },
        { id: 'cacheable', metric: { namespace: 'media-cdn/prod', metricName: `Cacheable-${t.name}`, period: 3600, stat: 'Sum' }, returnData: false },
        { id: 'ratio', expression: 'IF(cacheable >= 100, 100 * hits / cacheable, 100)', returnData: true },
      ],
      alarmActions: [TOPIC_ARN],
      okActions: [TOPIC_ARN],
      tags: { 'media-cdn:stack': 'prod', [CONTENT_TYPE_TAG]: t.name },
    })),
    planResource(alarm, 'cdn-cache-hit-rate', {
      name: 'cdn-prod-cache-hit-rate',
      namespace: 'AWS/CloudFront',
      metricName: 'CacheHitRate',
      dimensions: { DistributionId: distributionId, Region: 'Global' },
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: 'LessThanThreshold',
      threshold: Math.min(...CONTENT_TYPES.map((t) => t.targetHitRatio)) * 100,
      alarmActions: [TOPIC_ARN],
      tags: { 'media-cdn:stack': 'prod' },
    }),
  ];
}

/** The prod plan, with the monitoring alarms added while the program does not create them yet. */
export async function compliantProdPlan(): Promise<Plan> {
  const plan = clone(await planFor('prod'));
  const hasAlarms = plan.resources.some((r) => r.type === typeOf(aws.cloudwatch.MetricAlarm));
  return hasAlarms ? plan : { ...plan, resources: [...plan.resources, ...monitoringAlarms(primaryDistribution(plan).id)] };
}

/** A compliant stack to change one property of. */
export interface Fixture {
  readonly plan: Plan;
  /** Every resource as stack rules see it (inputs plus id). */
  readonly stack: CheckedResource[];
  /** The same without the continuous-deployment staging distribution (one report per fault). */
  readonly primaryStack: CheckedResource[];
  /** The primary distribution as resource rules see it (inputs only). */
  readonly distribution: CheckedResource;
  /** The stack resource of this type and name. */
  find(cls: { new (...rest: any[]): unknown }, name: string): CheckedResource;
  /** The stack resources of this type. */
  all(cls: { new (...rest: any[]): unknown }): CheckedResource[];
}

export async function prodFixture(): Promise<Fixture> {
  const plan = await compliantProdPlan();
  const { forResources, forStack } = planResources(plan);
  const primaryUrn = primaryDistribution(plan).urn;
  const type = (cls: { new (...rest: any[]): unknown }) => typeOf(cls as never);
  return {
    plan,
    stack: forStack,
    primaryStack: forStack.filter((r) => !(r.type === typeOf(aws.cloudfront.Distribution) && r.props.staging === true)),
    distribution: forResources.find((r) => r.urn === primaryUrn)!,
    find(cls, name) {
      const r = forStack.find((x) => x.type === type(cls) && x.name === name);
      if (!r) throw new Error(`no ${type(cls)} named '${name}' in the prod plan (have: ${forStack.filter((x) => x.type === type(cls)).map((x) => x.name).join(', ')})`);
      return r;
    },
    all: (cls) => forStack.filter((x) => x.type === type(cls)),
  };
}
