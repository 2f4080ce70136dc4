/**
 * The event-based pipeline: the `InvalidationPipeline` component in the real program under Pulumi
 * mocks (both stacks), and its Lambda handler fed with the S3 event notifications s3rver emits,
 * invalidating through the local CloudFront endpoint with the real SDK clients.
 */
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { expect } from 'chai';
import { runInNewContext } from 'node:vm';
import { resolveCatalog } from '../../lib/catalog';
import type { HandlerSettings } from '../../lib/invalidation';
import { contentTypeOutputs } from '../../lib/outputs';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { startCloudWatchServer } from '../../local/aws-json-server';
import { bundleLambda } from '../../components/lambda-bundle';
import { createHandler, type SqsEvent } from '../../functions/invalidation-handler/handler';
import { folderLister, invalidationApi, monthToDateReader } from '../../functions/invalidation-handler/index';
import { findResource, findResources, inputsOf, planFor } from '../helpers/plan';
import { S3RVER_CREDENTIALS, sleep, startS3rver, tempDir, type LocalS3 } from './helpers';

const T = {
  queue: 'aws:sqs/queue:Queue',
  queuePolicy: 'aws:sqs/queuePolicy:QueuePolicy',
  fn: 'aws:lambda/function:Function',
  mapping: 'aws:lambda/eventSourceMapping:EventSourceMapping',
  notification: 'aws:s3/bucketNotification:BucketNotification',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  role: 'aws:iam/role:Role',
  schedule: 'aws:scheduler/schedule:Schedule',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
};

describe('InvalidationPipeline (event-based invalidation)', function () {
  this.timeout(60_000);

  for (const stack of ['prod', 'staging'] as const) {
    describe(`in the ${stack} stack (under Pulumi mocks)`, () => {
      let plan: Awaited<ReturnType<typeof planFor>>;
      const region = stack === 'prod' ? 'us-east-1' : 'us-east-2';
      const queueArn = `arn:aws:sqs:${region}:123456789012:invalidation-${stack}`;
      before(async () => {
        plan = await planFor(stack);
      });

      it('exports invalidationQueueUrl: the queue beside the origin buckets, with a dead-letter queue after 5 receives', () => {
        expect(plan.outputs.invalidationQueueUrl).to.equal(`https://sqs.${region}.amazonaws.com/123456789012/invalidation-${stack}`);
        const q = inputsOf(findResource(plan, T.queue, 'invalidation-queue'));
        expect(q).to.deep.include({ region, name: `invalidation-${stack}`, visibilityTimeoutSeconds: 720, sqsManagedSseEnabled: true });
        expect(JSON.parse(q.redrivePolicy)).to.deep.equal({ deadLetterTargetArn: `${queueArn}-dlq`, maxReceiveCount: 5 });
        expect(inputsOf(findResource(plan, T.queue, 'invalidation-dlq'))).to.deep.include({ messageRetentionSeconds: 1_209_600, sqsManagedSseEnabled: true });
      });

      it('lets only S3, for this account’s three primary origin buckets, send to the queue', () => {
        const buckets = (plan.outputs.buckets as Record<string, { arn: string }>);
        const policy = JSON.parse(inputsOf(findResource(plan, T.queuePolicy, 'invalidation-queue-policy')).policy);
        expect(policy.Statement).to.deep.equal([{
          Sid: 'OriginBucketEvents', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn,
          Condition: { ArnLike: { 'aws:SourceArn': [buckets.images!.arn, buckets.static!.arn, buckets.video!.arn].sort() }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        }]);
        const notes = findResources(plan, T.notification).map((r) => inputsOf(r));
        expect(notes.map((n) => n.bucket).sort()).to.deep.equal(Object.values(plan.outputs.buckets as Record<string, { name: string }>).map((b) => b.name).sort());
        for (const n of notes) expect(n.queues).to.deep.equal([{ id: 'media-cdn-invalidation', queueArn, events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }]);
      });

      it('gives the handler least privilege: its queue, one distribution, listing the origins, reading their objects\' cache tags, its logs, one metric namespace', () => {
        const buckets = (plan.outputs.buckets as Record<string, { arn: string }>);
        const policy = JSON.parse(inputsOf(findResource(plan, T.rolePolicy, 'invalidation-handler')).policy);
        expect(policy.Statement).to.deep.equal([
          { Sid: 'ConsumeQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], Resource: queueArn },
          { Sid: 'Invalidate', Effect: 'Allow', Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'], Resource: plan.outputs.distributionArn },
          { Sid: 'ListOrigins', Effect: 'Allow', Action: 's3:ListBucket', Resource: [buckets.images!.arn, buckets.static!.arn, buckets.video!.arn].sort() },
          { Sid: 'ReadObjectTags', Effect: 'Allow', Action: 's3:GetObject', Resource: [buckets.images!.arn, buckets.static!.arn, buckets.video!.arn].sort().map((a) => `${a}/*`) },
          { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:${region}:123456789012:log-group:/aws/lambda/invalidation-${stack}-handler:*` },
          { Sid: 'PutMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': `MediaCdn/${stack}` } } },
        ]);
        expect(JSON.parse(inputsOf(findResource(plan, T.role, 'invalidation-handler')).assumeRolePolicy).Statement).to.deep.equal([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
      });

      it('runs the bundled TypeScript handler with the planner settings of this stack, in batches of up to 60 s', () => {
        const fn = inputsOf(findResource(plan, T.fn, 'invalidation-handler'));
        expect(fn).to.deep.include({ region, name: `invalidation-${stack}-handler`, runtime: 'nodejs22.x', handler: 'index.handler', timeout: 120, memorySize: 512 });
        expect(fn.code['@archive']).to.equal('assets');
        expect(fn.code.assets['index.js']['@asset']).to.equal('string');
        const settings: HandlerSettings = JSON.parse(fn.environment.variables.MEDIA_CDN_INVALIDATION);
        expect(settings).to.deep.include({ distributionId: plan.outputs.distributionId, maxOverInvalidation: 0.05, metricsNamespace: `MediaCdn/${stack}`, batchPaths: 1000, batchWildcards: 5, cacheTagHeader: 'x-amz-meta-cache-tags' });
        expect(Object.values(settings.buckets).sort()).to.deep.equal(['images', 'static', 'video']);
        expect(inputsOf(findResource(plan, T.mapping, 'invalidation-events'))).to.deep.include({
          eventSourceArn: queueArn, batchSize: 1000, maximumBatchingWindowInSeconds: 60, functionResponseTypes: ['ReportBatchItemFailures'], scalingConfig: { maximumConcurrency: 2 },
        });
        expect(inputsOf(findResource(plan, T.logGroup, 'invalidation-handler-logs'))).to.deep.include({ name: `/aws/lambda/invalidation-${stack}-handler`, retentionInDays: 30 });
      });

      it('schedules no sweeps: the custom-origin types expire at their update interval by themselves', () => {
        expect(findResources(plan, T.schedule)).to.deep.equal([]);
        expect(findResources(plan, T.role).map((r) => r.name)).to.not.include('invalidation-scheduler');
      });

      it(`alarms on the dead-letter queue and on function errors, notifying an alarm topic in ${region} with the CDN topic's subscribers`, () => {
        const alarms = ['invalidation-dlq-depth', 'invalidation-function-errors'].map((n) => inputsOf(findResource(plan, T.alarm, n)));
        const actions = [`arn:aws:sns:${region}:123456789012:cdn-${stack}-alarms`];
        const topics = findResources(plan, 'aws:sns/topic:Topic').map((r) => inputsOf(r)).filter((t) => t.region === region);
        expect(topics).to.have.length(1);
        const subs = findResources(plan, 'aws:sns/topicSubscription:TopicSubscription').map((r) => inputsOf(r));
        const endpoints = (r: string) => subs.filter((x) => x.topic === `arn:aws:sns:${r}:123456789012:cdn-${stack}-alarms`).map((x) => x.endpoint);
        expect(endpoints(region)).to.have.length.greaterThan(0);
        expect(endpoints(region)).to.deep.equal(endpoints('us-east-1'));
        expect(alarms.map((a) => [a.name, a.namespace, a.metricName, a.threshold, a.comparisonOperator, a.dimensions, a.alarmActions])).to.deep.equal([
          [`invalidation-${stack}-dlq-depth`, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 0, 'GreaterThanThreshold', { QueueName: `invalidation-${stack}-dlq` }, actions],
          [`invalidation-${stack}-handler-errors`, 'AWS/Lambda', 'Errors', 0, 'GreaterThanThreshold', { FunctionName: `invalidation-${stack}-handler` }, actions],
        ]);
      });
    });
  }

  describe('the handler', () => {
    let tmp: ReturnType<typeof tempDir>;
    let s3rver: LocalS3;
    let ep: CloudFrontEndpoint;
    let s3: S3Client;
    let cf: CloudFrontClient;
    const settings: HandlerSettings = {
      distributionId: 'EPIPE1',
      buckets: { 'origin-video': 'video', 'origin-static': 'static' },
      contentTypes: contentTypeOutputs(resolveCatalog()),
      maxOverInvalidation: 0.05,
      metricsNamespace: 'MediaCdn/test',
      maxListedObjects: 1000,
      batchPaths: 1000,
      batchWildcards: 5,
    };
    const logs: string[] = [];
    let handle: ReturnType<typeof createHandler>;
    const sqs = (bodies: unknown[], prefix = 'm'): SqsEvent => ({ Records: bodies.map((b, i) => ({ messageId: `${prefix}-${i}`, body: typeof b === 'string' ? b : JSON.stringify(b) })) });

    before(async () => {
      tmp = tempDir('inv-pipeline-');
      s3rver = await startS3rver(tmp.dir, ['origin-video', 'origin-static', 'not-an-origin']);
      ep = await startCloudFrontEndpoint({ distributions: ['EPIPE1', 'EBILL1'], completionDelayMs: 20 });
      s3 = new S3Client({ endpoint: s3rver.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
      cf = new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
      handle = createHandler({ settings, api: invalidationApi(cf), monthToDatePaths: monthToDateReader(cf, 'EPIPE1'), listFolder: folderLister(s3), log: (l) => logs.push(l), sleep: () => sleep(1), backoff: { baseMs: 1, maxMs: 5, maxAttempts: 3 } });
    });
    after(async () => {
      s3.destroy();
      cf.destroy();
      await ep.close();
      await s3rver.close();
      tmp.remove();
    });

    it('turns one upload (s3rver event notifications) into one invalidation, collapsing the fully replaced folder', async () => {
      const keys = ['master.m3u8', '720p.m3u8', ...Array.from({ length: 10 }, (_, i) => `seg-${i}.ts`)].map((k) => `video/show/ep1/${k}`);
      await s3.send(new PutObjectCommand({ Bucket: 'origin-video', Key: 'video/show/old.m3u8', Body: 'v0' }));
      await sleep(20);
      s3rver.events.length = 0;
      for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'origin-video', Key, Body: 'v1' }));
      await s3.send(new PutObjectCommand({ Bucket: 'origin-video', Key: 'video/show/ep2/master.m3u8', Body: 'v1' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'origin-video', Key: 'video/show/old.m3u8' }));
      await s3.send(new PutObjectCommand({ Bucket: 'not-an-origin', Key: 'video/x.ts', Body: 'x' }));
      await sleep(50);
      expect(s3rver.events).to.have.length(15);
      const r = await handle(sqs(s3rver.events));
      expect(r.batchItemFailures).to.deep.equal([]);
      const invs = ep.model.invalidations('EPIPE1');
      expect(invs.map((i) => [...i.items].sort())).to.deep.equal([['/video/show/ep1/*', '/video/show/ep2/master.m3u8', '/video/show/old.m3u8']]);
      expect(r.report.ignored).to.deep.equal(['m-14: bucket not-an-origin is not an origin of this distribution']);
    });

    it('re-sends the same CallerReferences when SQS redelivers the batch: no second invalidation', async () => {
      const before = ep.model.invalidations('EPIPE1').length;
      const r = await handle(sqs(s3rver.events));
      expect(r.batchItemFailures).to.deep.equal([]);
      expect(ep.model.invalidations('EPIPE1')).to.have.length(before);
      expect(ep.model.stats.replays).to.be.at.least(1);
    });

    it('sweeps a custom-origin type with its wildcard, rejects an invalid explicit request alone, ignores test events', async () => {
      const before = ep.model.invalidations('EPIPE1').length;
      const r = await handle(sqs([
        { kind: 'media-cdn:scheduled-invalidation', contentType: 'metadata' },
        { kind: 'media-cdn:invalidate', paths: ['/static/app.js', 'no-slash'] },
        { kind: 'media-cdn:invalidate', paths: ['/static/app.css'] },
        { Event: 's3:TestEvent' },
      ], 'sweep'));
      expect(r.batchItemFailures).to.deep.equal([{ itemIdentifier: 'sweep-1' }]);
      expect(r.report.rejected).to.deep.equal(["message sweep-1 path 2: Invalidation path 'no-slash' must start with '/'; use '/no-slash'."]);
      const created = ep.model.invalidations('EPIPE1').slice(before);
      expect(created.map((i) => [...i.items].sort())).to.deep.equal([['/metadata/*', '/static/app.css']]);
    });

    it('sweeps a listed S3 type by what changed in the window, and a folder too large to list by its wildcard', async () => {
      await s3.send(new PutObjectCommand({ Bucket: 'origin-static', Key: 'static/a.js', Body: 'x' }));
      await s3.send(new PutObjectCommand({ Bucket: 'origin-static', Key: 'static/b.js', Body: 'x' }));
      const before = ep.model.invalidations('EPIPE1').length;
      const small = createHandler({ settings: { ...settings, maxListedObjects: 1 }, api: invalidationApi(cf), monthToDatePaths: monthToDateReader(cf, 'EPIPE1'), listFolder: folderLister(s3), log: (l) => logs.push(l) });
      const sweep = { kind: 'media-cdn:scheduled-invalidation', contentType: 'static', prefix: '/static/', changedWithinSeconds: 3600 };
      expect((await handle(sqs([sweep], 'window'))).batchItemFailures).to.deep.equal([]);
      expect((await small(sqs([sweep], 'capped'))).batchItemFailures).to.deep.equal([]);
      expect(ep.model.invalidations('EPIPE1').slice(before).map((i) => [...i.items].sort())).to.deep.equal([['/static/*'], ['/static/*']]);
      expect(logs).to.include('static/: more than 1 objects; invalidating /static/* instead of listing them.');
    });

    it('reports every message for retry when CloudFront keeps refusing until the deadline', async () => {
      ep.setFaults({ rate: 1, kinds: ['too-many-invalidations'], operations: ['CreateInvalidation'] });
      try {
        const r = await handle(sqs([{ kind: 'media-cdn:invalidate', paths: ['/static/x.js'] }, { kind: 'media-cdn:invalidate', paths: ['/static/y.js'] }], 'busy'), () => 10_050);
        expect(r.batchItemFailures).to.deep.equal([{ itemIdentifier: 'busy-0' }, { itemIdentifier: 'busy-1' }]);
        expect(r.report.sent.map((s) => s.error)).to.deep.equal(['TooManyInvalidationsInProgress (HTTP 400): Processing your request will cause you to exceed the maximum number of in-progress invalidations.']);
      } finally {
        ep.setFaults(undefined);
      }
    });

    describe('billed paths', () => {
      const billing = { ...settings, distributionId: 'EBILL1' };
      const published: { name: string; value: number }[] = [];
      const publish = async (m: { MetricData: readonly { MetricName: string; Value: number }[] }) => {
        for (const d of m.MetricData) published.push({ name: d.MetricName, value: d.Value });
      };
      const billedMetrics = () => published.filter((p) => p.name === 'InvalidationBilledPaths').map((p) => p.value);
      const paths = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `/metadata/videos/${prefix}-${i}.json`);

      before(async () => {
        // 998 paths already this month, in five invalidations: three ListInvalidations pages of two.
        for (const [i, n] of [200, 200, 200, 200, 198].entries()) {
          await cf.send(new CreateInvalidationCommand({ DistributionId: 'EBILL1', InvalidationBatch: { CallerReference: `seed-${i}`, Paths: { Quantity: n, Items: paths(`seed${i}`, n) } } }));
        }
      });

      it('plans with the month-to-date paths it reads (the SDK paginator over ListInvalidations) and publishes the real billed paths', async () => {
        const sizes = new Map<string, number>();
        const handleBilled = createHandler({ settings: billing, api: invalidationApi(cf), monthToDatePaths: monthToDateReader(cf, 'EBILL1', { sizes, pageSize: 2 }), listFolder: folderLister(s3), publish, log: () => {} });
        const listsBefore = ep.calls.filter((c) => c.operation === 'ListInvalidations' && c.distributionId === 'EBILL1').length;
        const first = await handleBilled(sqs([{ kind: 'media-cdn:invalidate', paths: paths('a', 5) }], 'bill'));
        expect(ep.calls.filter((c) => c.operation === 'ListInvalidations' && c.distributionId === 'EBILL1').length - listsBefore).to.equal(3);
        expect(first.report.monthToDatePaths).to.equal(998);
        expect(first.report.sent.map((b) => [b.items, b.billedPaths])).to.deep.equal([[5, 3]]);
        expect(sizes.size).to.equal(5);
        // Once the free 1,000 are used, every path is billed.
        const second = await handleBilled(sqs([{ kind: 'media-cdn:invalidate', paths: paths('b', 4) }], 'bill2'));
        expect(second.report.monthToDatePaths).to.equal(1003);
        expect(second.report.sent.map((b) => [b.items, b.billedPaths])).to.deep.equal([[4, 4]]);
        expect(billedMetrics()).to.deep.equal([3, 4]);
      });

      it('bills every path when the month-to-date count cannot be read, and says so', async () => {
        published.length = 0;
        const lines: string[] = [];
        const denied = createHandler({
          settings: billing, api: invalidationApi(cf), listFolder: folderLister(s3), publish, log: (l) => lines.push(l),
          monthToDatePaths: async () => { throw Object.assign(new Error('not authorized to perform cloudfront:ListInvalidations'), { name: 'AccessDenied' }); },
        });
        const r = await denied(sqs([{ kind: 'media-cdn:invalidate', paths: paths('c', 2) }], 'bill3'));
        expect(r.batchItemFailures).to.deep.equal([]);
        expect(r.report.monthToDatePaths).to.equal(1000);
        expect(billedMetrics()).to.deep.equal([2]);
        expect(lines[0]).to.equal("could not read this month's invalidations (AccessDenied: not authorized to perform cloudfront:ListInvalidations); planning as if the 1000 free paths were used.");
      });
    });

    it('runs as bundled for Lambda: the esbuild bundle with the runtime’s SDK, configured from its environment', async () => {
      const code = bundleLambda('invalidation-handler');
      const metrics: any[] = [];
      const cw = await startCloudWatchServer({ PutMetricData: (input: unknown) => { metrics.push(input); return {}; } });
      const env = {
        MEDIA_CDN_INVALIDATION: JSON.stringify(settings),
        AWS_ENDPOINT_URL_CLOUDFRONT: ep.endpoint,
        AWS_ENDPOINT_URL_CLOUDWATCH: cw.endpoint,
        AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
      };
      const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
      Object.assign(process.env, env);
      try {
        const module = { exports: {} as { handler?: (e: SqsEvent, c?: unknown) => Promise<{ batchItemFailures: unknown[] }> } };
        runInNewContext(code, { module, exports: module.exports, require, process, console: { log: () => {} }, setTimeout, clearTimeout, Buffer, URL, TextEncoder, TextDecoder });
        const before = ep.model.invalidations('EPIPE1').length;
        const r = await module.exports.handler!(sqs([{ kind: 'media-cdn:scheduled-invalidation', contentType: 'api' }], 'lambda'), { getRemainingTimeInMillis: () => 60_000 });
        expect(r).to.deep.equal({ batchItemFailures: [] });
        expect(ep.model.invalidations('EPIPE1').slice(before).map((i) => i.items)).to.deep.equal([['/api/*']]);
        expect(metrics.flatMap((m) => m.MetricData.map((d: any) => d.MetricName))).to.deep.equal(['InvalidationPathsRequested', 'InvalidationPaths', 'InvalidationFailures', 'InvalidationBilledPaths']);
        // It read this month's invalidations of EPIPE1 (its earlier tests' paths are all within the free tier).
        expect(metrics.at(-1).MetricData.at(-1).Value).to.equal(0);
        expect(ep.calls.filter((c) => c.operation === 'ListInvalidations' && c.distributionId === 'EPIPE1').length).to.be.greaterThan(0);
      } finally {
        for (const [k, val] of Object.entries(saved)) if (val === undefined) delete process.env[k]; else process.env[k] = val;
        await cw.close();
      }
    });
  });
});
