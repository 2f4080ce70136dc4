/**
 * Mutation suite: start from the real prod plan (plus the monitoring alarms while the program does
 * not create them), change one thing per rule and check that exactly that rule fires, at the level
 * prod gives it. Together with the baseline case this shows every rule is live on the real program
 * and no two rules report the same fault.
 */
import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { PUBLIC_API_QUERY_PARAMS } from '../../lib/catalog';
import { MANAGED_ORIGIN_REQUEST_POLICIES } from '../../lib/semantics/managed-policies';
import { primaryDistribution, type Plan, type PlanResource } from '../../lib/plan';
import { checkPlan } from '../../policies/offline';
import { POLICIES } from '../../policies/rules';
import { compliantProdPlan } from './fixtures';
import { typeOf } from './helpers';

type Inputs = Record<string, any>;
type Cls = { new (...rest: any[]): any };

function resource(plan: Plan, cls: Cls, name: string): PlanResource {
  const r = plan.resources.find((x) => x.type === typeOf(cls) && x.name === name);
  if (!r) throw new Error(`no ${typeOf(cls)} '${name}' in the plan`);
  return r;
}
const inputs = (plan: Plan, cls: Cls, name: string): Inputs => resource(plan, cls, name).inputs;
const dist = (plan: Plan): Inputs => primaryDistribution(plan).inputs;
function behavior(plan: Plan, pattern: string): Inputs {
  const b = (dist(plan).orderedCacheBehaviors as Inputs[]).find((x) => x.pathPattern === pattern);
  if (!b) throw new Error(`no behavior '${pattern}'`);
  return b;
}
const origin = (plan: Plan, id: string): Inputs => (dist(plan).origins as Inputs[]).find((o) => o.originId === id)!;
function bucketPolicy(plan: Plan, name: string): Inputs {
  const p = inputs(plan, aws.s3.BucketPolicy, name);
  return p;
}
function editPolicyDocument(plan: Plan, name: string, edit: (statements: Inputs[]) => Inputs[]): void {
  const p = bucketPolicy(plan, name);
  const doc = JSON.parse(p.policy as string) as { Statement: Inputs[] };
  p.policy = JSON.stringify({ ...doc, Statement: edit(doc.Statement) });
}
const policyId = (plan: Plan, name: string): string => resource(plan, aws.cloudfront.CachePolicy, name).id;

interface Mutation {
  readonly rule: string;
  readonly change: string;
  apply(plan: Plan): Plan | void;
}

const MUTATIONS: readonly Mutation[] = [
  // caching
  { rule: 'default-ttl-within-update-interval', change: 'metadata cache policy default TTL 1800 s', apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-metadata').defaultTtl = 1800; } },
  { rule: 'stale-windows-within-update-interval', change: 'metadata stale-if-error of a day in the stack config', apply: (p) => ({ ...p, config: { ...p.config, 'media-cdn:contentTypes': { ...(p.config['media-cdn:contentTypes'] as object | undefined), metadata: { staleIfError: 86400 } } } }) },
  { rule: 'max-ttl-bounded', change: 'metadata cache policy max TTL 7200 s', apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-metadata').maxTtl = 7200; } },
  { rule: 'api-public-get-ttl', change: 'api cache policy max TTL 600 s', apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-api').maxTtl = 600; } },
  { rule: 'personalized-routes-uncached', change: '/api/me/* uses the api cache policy', apply: (p) => { behavior(p, '/api/me/*').cachePolicyId = policyId(p, 'cdn-prod-api'); } },
  { rule: 'min-ttl-honors-no-store', change: 'static cache policy min TTL 1 s', apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-static').minTtl = 1; } },
  { rule: 'every-content-type-has-behavior', change: "'/metadata/*' renamed '/meta/*'", apply: (p) => { behavior(p, '/metadata/*').pathPattern = '/meta/*'; } },
  { rule: 'no-shadowed-behaviors', change: "'/video/*.mpd' renamed '/video/premium/*.mpd' (a duplicate)", apply: (p) => { behavior(p, '/video/*.mpd').pathPattern = '/video/premium/*.mpd'; } },
  {
    rule: 'static-cache-key-excludes-cookies-and-authorization', change: 'a session cookie in the static key',
    apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-static').parametersInCacheKeyAndForwardedToOrigin.cookiesConfig = { cookieBehavior: 'whitelist', cookies: { items: ['session'] } }; },
  },
  { rule: 'query-strings-allow-listed', change: 'utm_source in the thumbnails key', apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-thumbnails').parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStrings.items.push('utm_source'); } },
  { rule: 'no-all-viewer-forwarding-on-cached-behaviors', change: '/video/* forwards with AllViewer', apply: (p) => { behavior(p, '/video/*').originRequestPolicyId = MANAGED_ORIGIN_REQUEST_POLICIES.AllViewer.id; } },
  { rule: 'text-types-compressed', change: 'compression off on /metadata/*', apply: (p) => { behavior(p, '/metadata/*').compress = false; } },
  { rule: 'error-caching-ttls-for-5xx', change: '502 cached for 300 s', apply: (p) => { (dist(p).customErrorResponses as Inputs[]).find((e) => e.errorCode === 502)!.errorCachingMinTtl = 300; } },
  { rule: 'origin-shield-on-video-origin', change: 'Origin Shield off on video-primary', apply: (p) => { origin(p, 'video-primary').originShield = { enabled: false, originShieldRegion: 'us-east-1' }; } },
  {
    rule: 'custom-cache-policies-within-quota', change: '15 more custom cache policies',
    apply: (p) => {
      const base = resource(p, aws.cloudfront.CachePolicy, 'cdn-prod-video');
      const extra = Array.from({ length: 15 }, (_, i) => ({ ...base, urn: `${base.urn}-extra-${i}`, name: `cdn-prod-extra-${i}`, id: `extra-${i}`, inputs: { ...base.inputs, name: `cdn-prod-extra-${i}` } }));
      return { ...p, resources: [...p.resources, ...extra] };
    },
  },
  {
    rule: 'monitoring-subscription-enabled', change: 'additional metrics disabled',
    apply: (p) => { inputs(p, aws.cloudfront.MonitoringSubscription, 'cdn-distribution-metrics').monitoringSubscription.realtimeMetricsSubscriptionConfig.realtimeMetricsSubscriptionStatus = 'Disabled'; },
  },
  {
    rule: 'behaviors-use-known-cache-policies', change: '/api/* uses legacy forwarded values with the same TTLs and key',
    apply: (p) => {
      const b = behavior(p, '/api/*');
      delete b.cachePolicyId;
      Object.assign(b, { forwardedValues: { queryString: true, queryStringCacheKeys: [...PUBLIC_API_QUERY_PARAMS], cookies: { forward: 'none' } }, minTtl: 0, defaultTtl: 300, maxTtl: 300 });
    },
  },
  {
    rule: 'cache-policy-key-valid', change: 'Accept-Encoding as a metadata key header',
    apply: (p) => { inputs(p, aws.cloudfront.CachePolicy, 'cdn-prod-metadata').parametersInCacheKeyAndForwardedToOrigin.headersConfig = { headerBehavior: 'whitelist', headers: { items: ['Accept-Encoding'] } }; },
  },
  { rule: 'cache-tag-config-set', change: 'cacheTagConfig removed (media-cdn:cacheTagHeader set to \'\')', apply: (p) => { delete dist(p).cacheTagConfig; } },
  // cache ratio
  { rule: 'hit-ratio-alarm-per-content-type', change: 'the metadata alarm removed', apply: (p) => ({ ...p, resources: p.resources.filter((r) => !(r.type === typeOf(aws.cloudwatch.MetricAlarm) && (r.inputs.tags as Inputs | undefined)?.['media-cdn:content-type'] === 'metadata')) }) },
  { rule: 'hit-ratio-alarm-threshold-meets-target', change: 'video alarm threshold 90', apply: (p) => { alarmOf(p, 'video').threshold = 90; } },
  { rule: 'hit-ratio-alarm-notifies-topic', change: 'static alarm without actions', apply: (p) => { alarmOf(p, 'static').alarmActions = []; } },
  {
    rule: 'cache-hit-rate-alarm-exists', change: 'the CacheHitRate alarm watches Requests',
    apply: (p) => { p.resources.filter((r) => r.inputs.metricName === 'CacheHitRate').forEach((r) => { (r.inputs as Inputs).metricName = 'Requests'; }); },
  },
  // security
  { rule: 'default-root-object-configured', change: 'no default root object', apply: (p) => { dist(p).defaultRootObject = ''; } },
  { rule: 's3-origins-use-origin-access-control', change: 'static-secondary without OAC', apply: (p) => { delete origin(p, 'static-secondary').originAccessControlId; } },
  { rule: 'viewer-https-required', change: '/thumbnails/* allows HTTP', apply: (p) => { behavior(p, '/thumbnails/*').viewerProtocolPolicy = 'allow-all'; } },
  { rule: 'origin-failover-configured', change: '/video/* targets the primary bucket directly', apply: (p) => { behavior(p, '/video/*').targetOriginId = 'video-primary'; } },
  { rule: 'access-logging-enabled', change: 'log source delivers error logs', apply: (p) => { inputs(p, aws.cloudwatch.LogDeliverySource, 'cdn-distribution-log-source').logType = 'ERROR_LOGS'; } },
  { rule: 'waf-enabled', change: 'no web ACL', apply: (p) => { dist(p).webAclId = ''; } },
  { rule: 'custom-certificate-in-prod', change: 'the default certificate', apply: (p) => { dist(p).viewerCertificate = { cloudfrontDefaultCertificate: true }; } },
  { rule: 'sni-only', change: 'dedicated IP certificate', apply: (p) => { dist(p).viewerCertificate.sslSupportMethod = 'vip'; } },
  { rule: 'custom-origins-https-only', change: 'api origin over HTTP', apply: (p) => { origin(p, 'api').customOriginConfig.originProtocolPolicy = 'http-only'; } },
  { rule: 'origin-ssl-protocols-tls-1-2', change: 'TLSv1 to the metadata origin', apply: (p) => { origin(p, 'metadata').customOriginConfig.originSslProtocols = ['TLSv1', 'TLSv1.2']; } },
  { rule: 's3-origins-exist-in-program', change: 'static-secondary reads a foreign bucket', apply: (p) => { origin(p, 'static-secondary').domainName = 'someone-elses-bucket.s3.us-west-2.amazonaws.com'; } },
  { rule: 'distribution-tagged', change: 'role tag dropped', apply: (p) => { delete dist(p).tags['media-cdn:role']; } },
  { rule: 'viewer-tls-1-2-2021-minimum', change: 'TLSv1.2_2019 viewer policy', apply: (p) => { dist(p).viewerCertificate.minimumProtocolVersion = 'TLSv1.2_2019'; } },
  { rule: 'signed-routes-use-trusted-key-groups', change: '/video/premium/* unsigned', apply: (p) => { delete behavior(p, '/video/premium/*').trustedKeyGroups; } },
  { rule: 'geo-restriction-configured', change: 'no geo restriction', apply: (p) => { dist(p).restrictions = { geoRestriction: { restrictionType: 'none', locations: [] } }; } },
  {
    rule: 'response-headers-policy-with-hsts', change: 'HSTS max-age 300 s',
    apply: (p) => { inputs(p, aws.cloudfront.ResponseHeadersPolicy, 'cdn-prod-headers').securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec = 300; },
  },
  { rule: 'field-level-encryption-valid', change: '/api/auth/* names an undefined FLE config', apply: (p) => { behavior(p, '/api/auth/*').fieldLevelEncryptionId = 'fle-config-1'; } },
  { rule: 'lambda-url-origins-use-origin-access-control', change: 'images-fallback without OAC', apply: (p) => { delete origin(p, 'images-fallback').originAccessControlId; } },
  { rule: 'function-urls-require-iam', change: 'the fallback function URL with auth NONE', apply: (p) => { inputs(p, aws.lambda.FunctionUrl, 'origins-image-fallback').authorizationType = 'NONE'; } },
  { rule: 'athena-workgroup-enforced', change: 'the log-analytics workgroup lets clients override its settings', apply: (p) => { inputs(p, aws.athena.Workgroup, 'analytics-workgroup').configuration.enforceWorkgroupConfiguration = false; } },
  {
    rule: 'rum-guest-role-least-privilege', change: 'the RUM guest role may also read S3',
    apply: (p) => {
      const guest = p.resources.find((r) => r.type === typeOf(aws.iam.RolePolicy) && r.inputs.role === 'cdn-rum-guest')!.inputs as Inputs;
      guest.policy = JSON.stringify({ Version: '2012-10-17', Statement: [...JSON.parse(guest.policy as string).Statement, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:rum:us-east-1:123456789012:appmonitor/media-cdn-prod' }] });
    },
  },
  // origin buckets
  { rule: 'bucket-public-access-blocked', change: 'video bucket allows public policies', apply: (p) => { inputs(p, aws.s3.BucketPublicAccessBlock, 'origins-video-public-access').blockPublicPolicy = false; } },
  { rule: 'bucket-encrypted', change: 'log bucket without default encryption rules', apply: (p) => { inputs(p, aws.s3.BucketServerSideEncryptionConfiguration, 'origins-logs-encryption').rules = []; } },
  { rule: 'origin-bucket-versioned', change: 'video bucket versioning suspended', apply: (p) => { inputs(p, aws.s3.BucketVersioning, 'origins-video-versioning').versioningConfiguration.status = 'Suspended'; } },
  {
    rule: 'bucket-policy-not-public', change: 'video bucket readable by anyone',
    apply: (p) => editPolicyDocument(p, 'cdn-access-video', (s) => [...s, { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::x/*' }]),
  },
  {
    rule: 'regional-origin-complete',
    change: 'a regional origin reading the images replica, whose policy admits no distribution',
    apply: (p) => {
      const replica = resource(p, aws.s3.Bucket, 'origins-images-replica').id;
      (dist(p).origins as Inputs[]).push({ ...origin(p, 'video-primary'), originId: 'images-eu-central-1', domainName: `${replica}.s3.us-west-2.amazonaws.com` });
    },
  },
  { rule: 'bucket-policy-requires-tls', change: 'static bucket policy without the TLS deny', apply: (p) => editPolicyDocument(p, 'cdn-access-static', (s) => s.filter((x) => x.Sid !== 'DenyInsecureTransport')) },
  // deployment
  { rule: 'explicit-names-per-stack', change: "the dashboard named 'media-cdn' in every stack", apply: (p) => { inputs(p, aws.cloudwatch.Dashboard, 'cdn-dashboard').dashboardName = 'media-cdn'; } },
  { rule: 'replaced-resources-autonamed', change: "the signing public key named 'cdn-prod-signing-key'", apply: (p) => { inputs(p, aws.cloudfront.PublicKey, 'cdn-signing-key').name = 'cdn-prod-signing-key'; } },
  {
    rule: 'no-dimensional-anomaly-monitor', change: 'the per-service dimensional monitor',
    apply: (p) => { Object.assign(inputs(p, aws.costexplorer.AnomalyMonitor, 'cdn-anomaly-monitor'), { monitorType: 'DIMENSIONAL', monitorDimension: 'SERVICE', monitorSpecification: undefined }); },
  },
  {
    rule: 'waf-rate-rules-scoped', change: 'the rate rule counts every request',
    apply: (p) => { delete (inputs(p, aws.wafv2.WebAcl, 'cdn-waf').rules as Inputs[]).find((r) => r.name === 'rate-limit')!.statement.rateBasedStatement.scopeDownStatement; },
  },
  {
    rule: 'list-headers-comma-separated', change: 'Timing-Allow-Origin joined with spaces',
    apply: (p) => { inputs(p, aws.cloudfront.ResponseHeadersPolicy, 'cdn-prod-headers').customHeadersConfig.items[0].value = 'https://www.example-stream.com https://tv.example-stream.com'; },
  },
  {
    rule: 'continuous-deployment-on-create', change: 'the primary is created with the continuous-deployment policy attached',
    apply: (p) => { dist(p).continuousDeploymentPolicyId = resource(p, aws.cloudfront.ContinuousDeploymentPolicy, 'cdn-continuous-deployment').id; },
  },
];

function alarmOf(plan: Plan, type: string): Inputs {
  const r = plan.resources.find((x) => x.type === typeOf(aws.cloudwatch.MetricAlarm) && (x.inputs.tags as Inputs | undefined)?.['media-cdn:content-type'] === type);
  if (!r) throw new Error(`no hit-ratio alarm of '${type}'`);
  return r.inputs;
}

describe('policy pack mutation suite (prod plan)', function () {
  this.timeout(120_000);

  it('reports nothing on the compliant prod plan', async () => {
    const report = await checkPlan(await compliantProdPlan());
    expect(report.violations.map((v) => `${v.rule}: ${v.message}`)).to.deep.equal([]);
  });

  it('has one mutation for every rule of the pack', () => {
    expect(MUTATIONS.map((m) => m.rule)).to.have.members(POLICIES.map((p) => p.name));
    expect(MUTATIONS).to.have.length(POLICIES.length);
  });

  for (const m of MUTATIONS) {
    it(`${m.rule} alone fires when ${m.change}`, async () => {
      const base = await compliantProdPlan();
      const plan = m.apply(base) ?? base;
      const report = await checkPlan(plan);
      const fired = [...new Set(report.violations.map((v) => v.rule))];
      expect(fired, report.violations.map((v) => `${v.rule}: ${v.message}`).join('\n')).to.deep.equal([m.rule]);
      const level = POLICIES.find((p) => p.name === m.rule)!.docs.maxLevel ?? 'mandatory';
      expect(report.violations.every((v) => v.level === level)).to.equal(true);
    });
  }
});
