/**
 * media-cdn: a global CloudFront CDN for a media streaming platform.
 * Reads the stack config once, builds the origins and the distribution, and exports the outputs that
 * the operational scripts read (lib/outputs.ts is their contract).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { loadAnalyses } from './adapters/analytics-sql';
import { CdnAlarms, CdnCostAlerts, CdnDashboard, CdnLogGroup, CdnRum, DomainCertificate, DomainRecords, hostedZoneIdOf, InvalidationPipeline, LogAnalytics, MediaCdn, MediaOrigins, OriginVerification, SimulationBatch } from './components';
import { CONFIG_NAMESPACE, CONFIG_SCHEMA, configNamespaceProblems, parseStackConfig } from './lib/config';
import { InputError } from './lib/errors';
import { contentTypeOutputs } from './lib/outputs';

function readConfig() {
  const cfg = new pulumi.Config(CONFIG_NAMESPACE);
  const raw: Record<string, unknown> = {};
  for (const spec of CONFIG_SCHEMA) {
    const value = spec.kind === 'array' || spec.kind === 'object' ? cfg.getObject<unknown>(spec.key) : cfg.get(spec.key);
    if (value !== undefined) raw[spec.key] = value;
  }
  try {
    const namespaces = configNamespaceProblems(Object.keys(pulumi.runtime.allConfig()));
    if (namespaces.length > 0) throw new InputError(namespaces);
    return parseStackConfig(pulumi.getStack(), new pulumi.Config('aws').get('region'), raw);
  } catch (e) {
    // Bad config is the user's to fix: print the problems, not a stack trace.
    if (e instanceof InputError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

const config = readConfig();
const origins = new MediaOrigins('origins', { config });
const accountId = aws.getCallerIdentityOutput().accountId;
// With a domain in Route 53 and no certificate of its own, the program creates and validates one.
const domain = config.domain && !config.acmCertificateArn ? new DomainCertificate('domain', { domain: config.domain, stack: config.stack }) : undefined;
const originVerification = new OriginVerification('origin-verify', { config });
const cdn = new MediaCdn('cdn', {
  config, origins, accountId,
  ...(domain ? { certificateArn: domain.certificateArn } : {}),
  originSecretHeader: { name: originVerification.headerName, value: originVerification.headerValue },
});
if (config.domain) {
  new DomainRecords('domain', {
    names: config.domain.names,
    hostedZoneId: domain?.hostedZoneId ?? hostedZoneIdOf(config.domain),
    distribution: cdn.distribution,
    ipv6: config.ipv6,
  });
}
const accessLogs = new CdnLogGroup('cdn', { config, accessLogs: cdn.accessLogs });
const alarms = new CdnAlarms('cdn', { config, distributionId: cdn.distribution.id, accountId, metricSources: [accessLogs], alarmRegions: [config.region] });
// Real-user monitoring of the web player (media-cdn:rum): app monitor, identity pool, guest role, alarms.
const rum = config.rum ? new CdnRum('cdn', { config, topicArn: alarms.topic.arn }) : undefined;
const dashboard = new CdnDashboard('cdn', {
  config, distributionId: cdn.distribution.id, logGroupName: accessLogs.logGroupName,
  alarmArns: [alarms.degraded.arn, ...alarms.alarms.map((a) => a.arn), ...(rum?.alarms ?? []).map((a) => a.arn)],
  ...(rum ? { rumAppMonitorName: rum.appMonitorName } : {}),
});
new CdnCostAlerts('cdn', { config, topicArn: alarms.topic.arn });
// Log analytics adds a third delivery to the log source, after the CloudWatch Logs one: a source takes one change at a time.
const analytics = config.logAnalytics
  ? new LogAnalytics('analytics', {
    config, accessLogs: cdn.accessLogs, logBucket: origins.logBucket, distributionId: cdn.distribution.id, accountId, analyses: loadAnalyses(config.catalog), cdnName: 'cdn',
  }, { dependsOn: [accessLogs] })
  : undefined;
// The simulator as an AWS Batch array job on Fargate (media-cdn:simulationBatch, docs/simulation-batch.md); nothing when off.
const simulation = config.simulationBatch
  ? new SimulationBatch('sim', { stack: config.stack, region: config.region, accountId, settings: config.simulationBatch })
  : undefined;
const invalidation = new InvalidationPipeline('invalidation', {
  config, origins, distribution: cdn.distribution, accountId, alarmTopic: alarms.topicIn(config.region),
});

export const distributionId = cdn.distribution.id;
export const distributionArn = cdn.distribution.arn;
export const domainName = cdn.distribution.domainName;
export const stagingDistributionId = cdn.stagingDistribution?.id ?? pulumi.output('');
/** The continuous-deployment policy ('' without a staging distribution); `npm run rollout` drives it. */
export const continuousDeploymentPolicyId = cdn.continuousDeploymentPolicy?.id ?? pulumi.output('');
/** `create` (policy not attached yet: run `pulumi up` again), `attach` (staged rollout ready) or `off`. */
export const continuousDeploymentPhase = cdn.continuousDeploymentPhase;
export const buckets = Object.fromEntries(origins.s3.map((p) => [p.origin, {
  name: p.primary.bucket.bucket,
  arn: p.primary.bucket.arn,
  region: p.primary.region,
  replicaName: p.secondary.bucket.bucket,
  replicaArn: p.secondary.bucket.arn,
  replicaRegion: p.secondary.region,
}]));
export const logBucket = origins.logBucket.bucket;
export const contentTypes = contentTypeOutputs(config.catalog);
export const region = config.region;
export const dashboardName = dashboard.dashboardName;
export const alarmTopicArn = alarms.topic.arn;
export const logGroupName = accessLogs.logGroupName;
export const imageIndexStoreArn = cdn.imageVariantIndex.arn;
export const invalidationQueueUrl = invalidation.queue.url;
export const cacheTagHeader = config.cacheTagHeader;
/** Where the origin secret lives (the value itself is never an output). */
export const originSecretArn = originVerification.secret.arn;
export const originSecretHeaderName = originVerification.headerName;
/** Log analytics (media-cdn:logAnalytics): where the Parquet logs are, the Athena workgroup, the Glue database and table; '' when off. */
export const logsBucket = analytics?.logsBucket ?? pulumi.output('');
export const athenaWorkgroup = analytics?.workgroup.name ?? pulumi.output('');
export const glueDatabase = analytics?.database.name ?? pulumi.output('');
export const glueTable = analytics?.table.name ?? pulumi.output('');
/** SimulationBatch (media-cdn:simulationBatch): the bucket of inputs and parts, the job queue and definition, the submit command; '' when off. */
export const simulationBucket = simulation?.bucket.bucket ?? pulumi.output('');
export const simulationJobQueue = simulation?.jobQueue.name ?? pulumi.output('');
export const simulationJobDefinition = simulation?.jobDefinition.name ?? pulumi.output('');
export const simulationSubmitCommand = simulation?.submitCommand ?? pulumi.output('');
/**
 * Real-user monitoring (media-cdn:rum): what the web player's RUM snippet needs (docs/monitoring.md,
 * "Real-user monitoring") and what npm run report reads; '' when off.
 */
export const rumAppMonitorName = rum?.appMonitor.name ?? pulumi.output('');
export const rumAppMonitorId = rum?.appMonitor.appMonitorId ?? pulumi.output('');
export const rumIdentityPoolId = rum?.identityPool.id ?? pulumi.output('');
export const rumGuestRoleArn = rum?.guestRole.arn ?? pulumi.output('');
export const rumRegion = rum ? pulumi.output(rum.region) : pulumi.output('');
/** The share of sessions the player's RUM client records (the app monitor's sessionSampleRate); 0 when off. */
export const rumSessionSampleRate = config.rum ? config.rumSessionSampleRate : 0;
