import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { CONTENT_TYPES } from '../../lib/catalog';
import {
  cacheHitRateAlarmExists, hitRatioAlarmNotifiesTopic, hitRatioAlarmPerContentType, hitRatioAlarmThresholdMeetsTarget, hitRatioAlarms,
} from '../../policies/cache-ratio';
import { packConfigFor } from '../../policies/enforcement';
import { stackArgs } from '../../policies/offline';
import { monitoringAlarms, prodFixture, TOPIC_ARN, type Fixture } from './fixtures';
import { messagesOf, resourceOf, typeOf, violationsOf } from './helpers';

type Props = Record<string, any>;

/** The hit-ratio alarm of a content type. */
function alarm(f: Fixture, type: string): Props {
  return f.find(aws.cloudwatch.MetricAlarm, `cdn-hit-ratio-${type}`).props;
}

/** How messages name it: its alarm name, else its resource name. */
function nameOf(f: Fixture, type: string): string {
  return (alarm(f, type).name as string | undefined) ?? `cdn-hit-ratio-${type}`;
}

describe('cache-ratio rules (on the monitoring alarms of the prod plan, or their fixture while the program lacks them)', function () {
  this.timeout(60_000);
  let f: Fixture;
  beforeEach(async () => {
    f = await prodFixture();
  });

  it('finds a type\'s alarm by its content-type tag, else by a name ending in hit-ratio-<type>', () => {
    const tagged = resourceOf(aws.cloudwatch.MetricAlarm, 'a', { name: 'whatever', tags: { 'media-cdn:content-type': 'video' } });
    const named = resourceOf(aws.cloudwatch.MetricAlarm, 'b', { name: 'cdn-prod-hit-ratio-video' });
    const other = resourceOf(aws.cloudwatch.MetricAlarm, 'c', { name: 'cdn-prod-hit-ratio-video', tags: { 'media-cdn:content-type': 'static' } });
    const resources = stackArgs([tagged, named, other]).resources;
    expect(hitRatioAlarms(resources, 'video').map((r) => r.name)).to.deep.equal(['a', 'b']);
    expect(hitRatioAlarms(resources, 'static').map((r) => r.name)).to.deep.equal(['c']);
  });

  describe('hit-ratio-alarm-per-content-type', () => {
    it('passes a stack with an alarm per content type', async () => {
      expect(await messagesOf(hitRatioAlarmPerContentType, f.stack)).to.deep.equal([]);
    });

    it('reports each content type without an alarm, on the distribution', async () => {
      const stack = f.stack.filter((r) => !['cdn-hit-ratio-api', 'cdn-hit-ratio-video'].includes(r.name));
      expect(await violationsOf(hitRatioAlarmPerContentType, stack)).to.deep.equal(['video', 'api'].map((t) => ({
        urn: f.find(aws.cloudfront.Distribution, 'cdn-distribution').urn,
        message: `no hit-ratio alarm for content type '${t}': expected a CloudWatch metric alarm tagged media-cdn:content-type=${t} (or named '...-hit-ratio-${t}') ` +
          `with a threshold of at least ${t === 'video' ? 95 : 80} % (the catalog target). Add it with the monitoring alarms component.`,
      })));
    });

    it('does not apply to a stack whose only distribution is a continuous-deployment staging one', async () => {
      const onlyStaging = f.stack.filter((r) => r.name !== 'cdn-distribution' && !r.name.startsWith('cdn-hit-ratio-'));
      expect(await messagesOf(hitRatioAlarmPerContentType, onlyStaging)).to.deep.equal([]);
    });
  });

  describe('hit-ratio-alarm-threshold-meets-target', () => {
    it('passes thresholds equal to the catalog targets', async () => {
      expect(CONTENT_TYPES.map((t) => alarm(f, t.name).threshold)).to.deep.equal([95, 90, 85, 98, 80]);
      expect(await messagesOf(hitRatioAlarmThresholdMeetsTarget, f.stack)).to.deep.equal([]);
    });

    it('reports a threshold below the target and one as a fraction', async () => {
      alarm(f, 'metadata').threshold = 84.9;
      alarm(f, 'static').threshold = 0.98;
      expect(await messagesOf(hitRatioAlarmThresholdMeetsTarget, f.stack)).to.deep.equal([
        `hit-ratio alarm '${nameOf(f, 'metadata')}' of 'metadata' has threshold 84.9; the catalog target is 85 (targetHitRatio 0.85 × 100). Set the threshold to 85 or more.`,
        `hit-ratio alarm '${nameOf(f, 'static')}' of 'static' has threshold 0.98; the catalog target is 98 (targetHitRatio 0.98 × 100). Set the threshold to 98 or more.`,
      ]);
      expect(await messagesOf(hitRatioAlarmThresholdMeetsTarget, f.stack, { scale: 1 })).to.have.length(0);
    });

    it('reports an alarm that fires on a high ratio', async () => {
      alarm(f, 'video').comparisonOperator = 'GreaterThanThreshold';
      expect(await messagesOf(hitRatioAlarmThresholdMeetsTarget, f.stack)).to.deep.equal([
        `hit-ratio alarm '${nameOf(f, 'video')}' of 'video' uses comparisonOperator 'GreaterThanThreshold', so it fires when the ratio is high, not low; use LessThanThreshold.`,
      ]);
    });
  });

  describe('hit-ratio-alarm-notifies-topic', () => {
    it('passes alarms that notify the SNS topic', async () => {
      expect(await messagesOf(hitRatioAlarmNotifiesTopic, f.stack)).to.deep.equal([]);
    });

    it('reports an alarm without actions and one with actions disabled', async () => {
      alarm(f, 'thumbnails').alarmActions = [];
      alarm(f, 'api').actionsEnabled = false;
      expect(await violationsOf(hitRatioAlarmNotifiesTopic, f.stack)).to.deep.equal([
        { urn: f.find(aws.cloudwatch.MetricAlarm, 'cdn-hit-ratio-thumbnails').urn, message: `hit-ratio alarm '${nameOf(f, 'thumbnails')}' of 'thumbnails' notifies no SNS topic (alarmActions: []); set alarmActions to the alarm topic's ARN.` },
        { urn: f.find(aws.cloudwatch.MetricAlarm, 'cdn-hit-ratio-api').urn, message: `hit-ratio alarm '${nameOf(f, 'api')}' of 'api' has actionsEnabled false; set alarmActions to the alarm topic's ARN.` },
      ]);
    });

    it('requires the topic of this program when configured to', async () => {
      alarm(f, 'video').alarmActions = ['arn:aws:sns:us-east-1:123456789012:somebody-elses-topic'];
      expect(await messagesOf(hitRatioAlarmNotifiesTopic, f.stack)).to.deep.equal([]);
      expect(await messagesOf(hitRatioAlarmNotifiesTopic, f.stack, { requireTopicInStack: true })).to.have.length(1);
      alarm(f, 'video').alarmActions = [TOPIC_ARN];
      expect(await messagesOf(hitRatioAlarmNotifiesTopic, f.stack, { requireTopicInStack: true })).to.deep.equal([]);
    });
  });

  describe('cache-hit-rate-alarm-exists', () => {
    it('passes a stack with an alarm on AWS/CloudFront CacheHitRate', async () => {
      expect(await messagesOf(cacheHitRateAlarmExists, f.stack)).to.deep.equal([]);
    });

    it('accepts the metric inside metric math', async () => {
      const overall = f.find(aws.cloudwatch.MetricAlarm, 'cdn-cache-hit-rate').props;
      delete overall.namespace;
      delete overall.metricName;
      overall.metricQueries = [{ id: 'm', metric: { namespace: 'AWS/CloudFront', metricName: 'CacheHitRate', stat: 'Average', period: 300 }, returnData: true }];
      expect(await messagesOf(cacheHitRateAlarmExists, f.stack)).to.deep.equal([]);
    });

    it('reports a stack without it', async () => {
      const stack = f.stack.filter((r) => r.name !== 'cdn-cache-hit-rate');
      expect(await messagesOf(cacheHitRateAlarmExists, stack)).to.deep.equal([
        'no alarm watches AWS/CloudFront CacheHitRate; add a metric alarm on it for the distribution (additional metrics must be on).',
      ]);
    });
  });

  it('passes the fixture alarms of the monitoring shape on a stack without the program\'s own', async () => {
    const own = (r: { type: string }) => [typeOf(aws.cloudwatch.MetricAlarm), typeOf(aws.sns.Topic)].includes(r.type);
    const distributionId = f.find(aws.cloudfront.Distribution, 'cdn-distribution').props.id as string;
    const fixture = monitoringAlarms(distributionId).map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: { ...r.inputs, id: r.id } }));
    const stack = [...f.stack.filter((r) => !own(r)), ...fixture];
    for (const rule of [hitRatioAlarmPerContentType, hitRatioAlarmThresholdMeetsTarget, hitRatioAlarmNotifiesTopic, cacheHitRateAlarmExists]) {
      expect(await messagesOf(rule, stack), rule.name).to.deep.equal([]);
      expect(await messagesOf(rule, f.stack.filter((r) => !own(r))), rule.name).to.have.length(rule === hitRatioAlarmPerContentType ? 5 : rule === cacheHitRateAlarmExists ? 1 : 0);
    }
  });

  it('is mandatory in prod now that the program creates the alarms', () => {
    const config = packConfigFor({ 'media-cdn:policyEnforcement': 'mandatory', 'media-cdn:environment': 'prod' });
    for (const p of [hitRatioAlarmPerContentType, hitRatioAlarmThresholdMeetsTarget, hitRatioAlarmNotifiesTopic, cacheHitRateAlarmExists]) {
      expect(config[p.name], p.name).to.deep.equal({ enforcementLevel: 'mandatory' });
    }
  });
});
