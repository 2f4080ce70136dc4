import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { pipelineAlarmActions, pipelineHandlerSettings, pipelineNames, redrivePolicy, scheduleResource } from '../../lib/invalidation';

describe('invalidation/pipeline-assembly (the InvalidationPipeline as plain data)', () => {
  const catalog = resolveCatalog();

  it('names the queue, dead-letter queue and function from the component and the stack', () => {
    expect(pipelineNames('invalidation', 'prod')).to.deep.equal({
      queue: 'invalidation-prod', deadLetterQueue: 'invalidation-prod-dlq', functionName: 'invalidation-prod-handler', metricsNamespace: 'MediaCdn/prod',
    });
  });

  it('cuts the function name to Lambda\'s 64 characters', () => {
    const n = pipelineNames('invalidation', 'a-very-long-stack-name-that-goes-on-and-on-and-on-forever');
    expect(n.functionName).to.have.length(64);
    expect(n.queue).to.equal('invalidation-a-very-long-stack-name-that-goes-on-and-on-and-on-forever');
  });

  it('writes the redrive policy as SQS takes it', () => {
    expect(JSON.parse(redrivePolicy('arn:aws:sqs:us-east-1:1:q-dlq', 5))).to.deep.equal({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:1:q-dlq', maxReceiveCount: 5 });
  });

  describe('handler settings', () => {
    const buckets = [{ origin: 'video', bucketName: 'media-video-1' }, { origin: 'static', bucketName: 'media-static-1' }];

    it('maps buckets to origins, routes every content type, and defaults to 5 % over-invalidation', () => {
      const s = pipelineHandlerSettings({ distributionId: 'E1', buckets, catalog, stack: 'prod', cacheTagHeader: 'x-amz-meta-cache-tags' });
      expect(s).to.deep.include({
        distributionId: 'E1', buckets: { 'media-video-1': 'video', 'media-static-1': 'static' }, maxOverInvalidation: 0.05, metricsNamespace: 'MediaCdn/prod',
        maxListedObjects: 10_000, batchPaths: 1000, batchWildcards: 5, cacheTagHeader: 'x-amz-meta-cache-tags',
      });
      expect(Object.keys(s.contentTypes).sort()).to.deep.equal(catalog.types.map((t) => t.name).sort());
      for (const [name, r] of Object.entries(s.contentTypes)) expect(Object.keys(r), name).to.deep.equal(['pathPatterns', 'origin']);
    });

    it('takes the over-invalidation bound in percent, and leaves cache tags out when the header is empty', () => {
      const s = pipelineHandlerSettings({ distributionId: 'E1', buckets, catalog, stack: 'staging', maxOverInvalidationPct: 12, cacheTagHeader: '' });
      expect(s.maxOverInvalidation).to.equal(0.12);
      expect(s).to.not.have.property('cacheTagHeader');
      expect(s.metricsNamespace).to.equal('MediaCdn/staging');
    });
  });

  it('names a schedule by its content type and prefix, and describes it', () => {
    expect(scheduleResource('invalidation', { contentType: 'api', expression: 'rate(5 minutes)' })).to.deep.equal({
      resourceName: 'invalidation-sweep-api', description: 'media-cdn: invalidate api (rate(5 minutes))',
    });
    expect(scheduleResource('invalidation', { contentType: 'video', expression: 'rate(1 hour)', prefix: 'live/news/' })).to.deep.equal({
      resourceName: 'invalidation-sweep-video-live-news-', description: 'media-cdn: invalidate video under live/news/ (rate(1 hour))',
    });
  });

  it('notifies the alarm topic only when it is in the alarms\' Region', () => {
    const topic = { arn: 'arn:aws:sns:us-east-1:1:alarms', region: 'us-east-1' };
    expect(pipelineAlarmActions(topic, 'us-east-1')).to.deep.equal(['arn:aws:sns:us-east-1:1:alarms']);
    expect(pipelineAlarmActions(topic, 'us-east-2')).to.deep.equal([]);
    expect(pipelineAlarmActions(undefined, 'us-east-1')).to.deep.equal([]);
  });
});
