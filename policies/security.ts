/**
 * Security rules for the distributions: the AWS Security Hub CloudFront controls that apply to this
 * program (CloudFront.1, .3–.10, .12–.17; .2 is retired in favour of .13, .11 does not exist; .16 is
 * the images fallback origin, a Lambda function URL) and Checkov's CloudFront set (geo restriction, a
 * response headers policy with HSTS, field-level encryption where configured).
 */
import * as aws from '@pulumi/aws';
import { MODERN_TLS_POLICIES } from '../lib/config/schema';
import { ONE_YEAR_SECONDS } from '../lib/semantics/ttl';
import { catalog, servedPatterns, behaviorViews } from './lib/behaviors';
import { resourceRule, stackRule, type MediaCdnPolicy } from './lib/define';
import { bucketOfDomain, isS3Origin, isS3WebsiteDomain, originGroup, targetOrigins } from './lib/origins';
import type { DistributionShape } from './lib/shapes';
import { arnIsDistribution, bucketName, distributionsOf, findById, ofType } from './lib/stack';
import { quoteList } from './lib/text';
import { rumGuestRoleLeastPrivilege } from './rum-guest-role';

const distribution = aws.cloudfront.Distribution;

function hasCustomCertificate(d: DistributionShape): boolean {
  const c = d.viewerCertificate ?? {};
  return c.cloudfrontDefaultCertificate !== true && Boolean(c.acmCertificateArn || c.iamCertificateId);
}

export const defaultRootObjectConfigured = resourceRule({
  name: 'default-root-object-configured',
  description: 'A distribution whose default behavior serves a site from S3 has a default root object.',
  remediationSteps: "Set defaultRootObject (media-cdn uses 'index.html').",
  docs: {
    group: 'security',
    why: "A request for '/' without a root object goes to the bucket root, which answers with an error or, on a misconfigured bucket, a listing of its keys.",
    references: ['Security Hub CloudFront.1', 'Checkov CKV_AWS_305'],
  },
  resource: distribution,
  config: {
    rootObject: { type: 'string', default: '', description: 'When set, the default root object must be exactly this.' },
  },
  validate(props, _args, report, config) {
    const d = props as DistributionShape;
    const target = d.defaultCacheBehavior?.targetOriginId;
    if (!targetOrigins(d, target).some(isS3Origin)) return;
    const root = d.defaultRootObject ?? '';
    if (root === '') {
      report(`the default cache behavior serves a site from S3 (target '${target}') but defaultRootObject is empty, so '/' reaches the bucket root; set defaultRootObject to ${config.rootObject ? `'${config.rootObject}'` : "the site's index document, e.g. 'index.html'"}.`);
    } else if (config.rootObject !== '' && root !== config.rootObject) {
      report(`defaultRootObject is '${root}'; this stack requires '${config.rootObject}'.`);
    }
  },
});

export const s3OriginsUseOriginAccessControl = resourceRule({
  name: 's3-origins-use-origin-access-control',
  description: 'Every S3 origin is reached through an origin access control, never a legacy origin access identity or a public website endpoint.',
  remediationSteps: "Set originAccessControlId on each S3 origin (an aws.cloudfront.OriginAccessControl with signingBehavior 'always'), clear s3OriginConfig.originAccessIdentity, and use the bucket's REST endpoint.",
  docs: {
    group: 'security',
    why: 'Without OAC the bucket must be readable by others (an OAI or public access); OAC signs every request with SigV4 so the bucket policy can admit only this distribution.',
    references: ['Security Hub CloudFront.13', 'Security Hub CloudFront.2 (retired)', 'Checkov CKV2_AWS_46'],
  },
  resource: distribution,
  config: {
    allowWebsiteEndpoints: { type: 'boolean', default: false, description: 'Allow S3 website endpoints (public buckets) as custom origins.' },
  },
  validate(props, _args, report, config) {
    for (const o of (props as DistributionShape).origins ?? []) {
      if (isS3WebsiteDomain(o.domainName)) {
        if (!config.allowWebsiteEndpoints) report(`origin '${o.originId}' is the S3 website endpoint '${o.domainName}', which needs a public bucket; use the bucket's REST endpoint with an origin access control.`);
        continue;
      }
      if (!isS3Origin(o)) continue;
      if (o.s3OriginConfig?.originAccessIdentity) {
        report(`origin '${o.originId}' (${o.domainName}) uses the legacy origin access identity '${o.s3OriginConfig.originAccessIdentity}'; replace it with an origin access control (originAccessControlId).`);
      } else if (!o.originAccessControlId) {
        report(`origin '${o.originId}' (${o.domainName}) is an S3 bucket without an origin access control, so the bucket would have to be readable by others; set originAccessControlId.`);
      }
    }
  },
});

export const viewerHttpsRequired = resourceRule({
  name: 'viewer-https-required',
  description: 'Every cache behavior redirects viewers to HTTPS or accepts HTTPS only.',
  remediationSteps: "Set viewerProtocolPolicy to 'redirect-to-https' (or 'https-only') on every behavior.",
  docs: {
    group: 'security',
    why: 'Over plain HTTP signed URLs, cookies and content can be read and altered in transit.',
    references: ['Security Hub CloudFront.3', 'Checkov CKV_AWS_34'],
  },
  resource: distribution,
  config: {
    allowed: { type: 'array', items: { type: 'string' }, default: ['redirect-to-https', 'https-only'], description: 'Allowed viewer protocol policies.' },
  },
  validate(props, _args, report, config) {
    for (const view of behaviorViews(props)) {
      const policy = view.behavior.viewerProtocolPolicy ?? '(unset)';
      if (config.allowed.includes(policy)) continue;
      report(`${view.label} has viewerProtocolPolicy '${policy}', which serves viewers over plain HTTP; use ${quoteList(config.allowed, 'or')}.`);
    }
  },
});

export const originFailoverConfigured = resourceRule({
  name: 'origin-failover-configured',
  description: 'Every behavior that reads from S3 (in prod also every read-only behavior of a custom origin) targets an origin group of two origins with failover status codes.',
  remediationSteps: 'Target the origin group (primary bucket + replica in media-cdn:failoverRegion) instead of the bucket, and give the group failoverCriteria.statusCodes.',
  docs: {
    group: 'security',
    why: "Without failover a regional S3 outage makes every cache miss an error; the replica in the failover Region keeps video and the app available.",
    references: ['Security Hub CloudFront.4', 'Checkov CKV_AWS_310'],
  },
  resource: distribution,
  config: {
    requireForCustomOrigins: {
      type: 'boolean', default: false,
      description: 'Also require groups for custom (HTTPS) origins, on behaviors that allow only GET, HEAD and OPTIONS (those that allow writes cannot fail over, spec §9.2); on in prod.',
    },
  },
  stackSettings: (stack) => ({ requireForCustomOrigins: stack.environment === 'prod' }),
  validate(props, _args, report, config) {
    const d = props as DistributionShape;
    const reported = new Set<string>();
    for (const view of behaviorViews(d)) {
      const target = view.behavior.targetOriginId ?? '';
      const group = originGroup(d, target);
      const key = `${target}`;
      if (reported.has(key)) continue;
      if (!group) {
        const origins = targetOrigins(d, target);
        // CloudFront fails over GET, HEAD and OPTIONS only: a behavior that proxies writes cannot use a group
        const readOnly = (view.behavior.allowedMethods ?? ['GET', 'HEAD']).every((m) => ['GET', 'HEAD', 'OPTIONS'].includes(m));
        if (origins.length > 0 && ((config.requireForCustomOrigins && readOnly) || origins.some(isS3Origin))) {
          reported.add(key);
          report(`${view.label} reads from origin '${target}' directly, with no origin group to fail over to; target an origin group of '${target}' and its replica.`);
        }
        continue;
      }
      const members = group.members ?? [];
      const codes = group.failoverCriteria?.statusCodes ?? [];
      if (members.length === 2 && codes.length > 0) continue;
      reported.add(key);
      report(`origin group '${target}' (used by ${view.label}) has ${members.length} member(s) and ${codes.length} failover status code(s); it needs 2 members and at least one status code (e.g. 500, 502, 503, 504).`);
    }
  },
});

export const accessLoggingEnabled = stackRule({
  name: 'access-logging-enabled',
  description: 'Every distribution delivers access logs, through standard logging v2 (a log delivery source, destination and delivery) or legacy logging.',
  remediationSteps: "Create an aws.cloudwatch.LogDeliverySource (logType ACCESS_LOGS, resourceArn the distribution), a LogDeliveryDestination and a LogDelivery joining them (components/media-cdn.ts createLogging does).",
  docs: {
    group: 'security',
    why: 'Access logs are the only per-request record of who fetched what: needed for incident response, and for the per-type hit ratios and geography reports.',
    references: ['Security Hub CloudFront.5', 'Checkov CKV_AWS_86'],
  },
  config: {
    includeStaging: { type: 'boolean', default: true, description: 'Also require logging on continuous-deployment staging distributions.' },
  },
  validate(args, report, config) {
    const sources = ofType(args.resources, aws.cloudwatch.LogDeliverySource);
    const deliveries = ofType(args.resources, aws.cloudwatch.LogDelivery);
    for (const d of distributionsOf(args.resources)) {
      if (d.props.staging === true && !config.includeStaging) continue;
      if (d.props.loggingConfig?.bucket) continue;
      const mine = sources.filter((s) => s.props.logType === 'ACCESS_LOGS' && arnIsDistribution(s.props.resourceArn, d));
      if (mine.length === 0) {
        report(`${d.label} has no access logging: no legacy loggingConfig and no log delivery source of type ACCESS_LOGS for its ARN; add standard logging v2.`, d.resource.urn);
        continue;
      }
      const delivered = mine.some((s) => deliveries.some((l) => l.props.deliverySourceName !== undefined && l.props.deliverySourceName === s.props.name));
      if (!delivered) {
        report(`${d.label} has a log delivery source (${quoteList(mine.map((s) => String(s.props.name)))}) but no log delivery sends it anywhere; add an aws.cloudwatch.LogDelivery with that deliverySourceName.`, d.resource.urn);
      }
    }
  },
});

const WAFV2_GLOBAL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//;

export const wafEnabled = resourceRule({
  name: 'waf-enabled',
  description: 'Every distribution is associated with an AWS WAF (v2, CLOUDFRONT scope) web ACL.',
  remediationSteps: 'Set webAclId to the ARN of a wafv2 web ACL with scope CLOUDFRONT created in us-east-1 (components/web-acl.ts).',
  docs: {
    group: 'security',
    why: 'The web ACL blocks known-bad IPs, common exploits and per-IP floods at the edge, before they reach (and are billed at) the origins.',
    references: ['Security Hub CloudFront.6', 'Checkov CKV_AWS_68'],
  },
  resource: distribution,
  config: {
    requireWafV2: { type: 'boolean', default: true, description: 'Require a WAFv2 web ACL ARN (not a WAF Classic id).' },
  },
  validate(props, _args, report, config) {
    const id = (props as DistributionShape).webAclId ?? '';
    if (id === '') report('the distribution has no web ACL (webAclId is empty); associate a wafv2 web ACL with scope CLOUDFRONT.');
    else if (config.requireWafV2 && !WAFV2_GLOBAL_ARN.test(id)) report(`webAclId '${id}' is not the ARN of a CLOUDFRONT-scope wafv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/...); WAF Classic is retired.`);
  },
});

export const customCertificateInProd = resourceRule({
  name: 'custom-certificate-in-prod',
  description: 'In prod every distribution serves viewers with a custom (ACM) certificate, not the default *.cloudfront.net one.',
  remediationSteps: 'Set media-cdn:domain (names and the Route 53 hosted zone: the program creates and validates the certificate), or media-cdn:acmCertificateArn to an existing ACM certificate in us-east-1 that covers the names.',
  docs: {
    group: 'security',
    why: "The default certificate forces the TLSv1 security policy (spec §10.4) and only covers *.cloudfront.net, so viewers cannot use the platform's own domains securely.",
    references: ['Security Hub CloudFront.7', 'Checkov CKV2_AWS_42'],
  },
  resource: distribution,
  config: {
    requireCustomCertificate: { type: 'boolean', default: true, description: 'Require a custom certificate (set per stack: true in prod, false in staging).' },
  },
  stackSettings: (stack) => ({ requireCustomCertificate: stack.environment === 'prod' }),
  validate(props, _args, report, config) {
    if (!config.requireCustomCertificate || hasCustomCertificate(props)) return;
    report('the distribution uses the default *.cloudfront.net certificate, which forces the TLSv1 security policy; set viewerCertificate.acmCertificateArn (media-cdn:acmCertificateArn) to an ACM certificate in us-east-1.');
  },
});

export const sniOnly = resourceRule({
  name: 'sni-only',
  description: 'A distribution with a custom certificate serves HTTPS with SNI, not dedicated IP addresses.',
  remediationSteps: "Set viewerCertificate.sslSupportMethod to 'sni-only'.",
  docs: {
    group: 'security',
    why: "Dedicated-IP ('vip') certificates cost $600 a month per distribution and only offer the SSLv3/TLSv1 policies unless AWS Support changes them (spec §10.4).",
    references: ['Security Hub CloudFront.8'],
  },
  resource: distribution,
  config: {
    method: { type: 'string', default: 'sni-only', description: 'Required SSL support method.' },
  },
  validate(props, _args, report, config) {
    const d = props as DistributionShape;
    if (!hasCustomCertificate(d)) return;
    const method = d.viewerCertificate?.sslSupportMethod ?? '(unset)';
    if (method !== config.method) report(`the custom certificate is served with sslSupportMethod '${method}'; set it to '${config.method}'.`);
  },
});

export const customOriginsHttpsOnly = resourceRule({
  name: 'custom-origins-https-only',
  description: 'CloudFront connects to every custom origin over HTTPS only.',
  remediationSteps: "Set customOriginConfig.originProtocolPolicy to 'https-only'.",
  docs: {
    group: 'security',
    why: 'With http-only or match-viewer, API and metadata responses (and the headers forwarded to them) travel unencrypted between the edge and the origin.',
    references: ['Security Hub CloudFront.9', 'Checkov CKV2_AWS_72'],
  },
  resource: distribution,
  config: {
    allowed: { type: 'array', items: { type: 'string' }, default: ['https-only'], description: 'Allowed origin protocol policies.' },
  },
  validate(props, _args, report, config) {
    for (const o of (props as DistributionShape).origins ?? []) {
      const policy = o.customOriginConfig?.originProtocolPolicy;
      if (policy === undefined || config.allowed.includes(policy)) continue;
      report(`custom origin '${o.originId}' (${o.domainName}) uses originProtocolPolicy '${policy}'; set it to ${quoteList(config.allowed, 'or')}.`);
    }
  },
});

export const originSslProtocolsTls12 = resourceRule({
  name: 'origin-ssl-protocols-tls-1-2',
  description: 'No custom origin allows SSLv3, TLSv1 or TLSv1.1 between CloudFront and the origin.',
  remediationSteps: "Set customOriginConfig.originSslProtocols to ['TLSv1.2'].",
  docs: {
    group: 'security',
    why: 'SSLv3 and TLS 1.0/1.1 are broken or deprecated; allowing them lets a downgrade expose origin traffic.',
    references: ['Security Hub CloudFront.10', 'Checkov CKV2_AWS_54'],
  },
  resource: distribution,
  config: {
    forbidden: { type: 'array', items: { type: 'string' }, default: ['SSLv3', 'TLSv1', 'TLSv1.1'], description: 'Protocols not allowed towards origins.' },
  },
  validate(props, _args, report, config) {
    for (const o of (props as DistributionShape).origins ?? []) {
      const bad = (o.customOriginConfig?.originSslProtocols ?? []).filter((p) => config.forbidden.includes(p));
      if (bad.length > 0) report(`custom origin '${o.originId}' allows ${quoteList(bad)} in originSslProtocols; allow only 'TLSv1.2'.`);
    }
  },
});

export const s3OriginsExistInProgram = stackRule({
  name: 's3-origins-exist-in-program',
  description: 'Every S3 origin of a distribution is a bucket this program creates.',
  remediationSteps: "Point the origin at a bucket of this stack (its bucketRegionalDomainName), or list a bucket owned elsewhere in allowedExternalBuckets.",
  docs: {
    group: 'security',
    why: 'An origin naming a bucket nobody owns can be taken over: whoever creates a bucket with that name serves content under your domain.',
    references: ['Security Hub CloudFront.12'],
  },
  config: {
    allowedExternalBuckets: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Bucket names owned outside this program that origins may use.' },
  },
  validate(args, report, config) {
    const buckets = ofType(args.resources, aws.s3.Bucket);
    for (const d of distributionsOf(args.resources)) {
      for (const o of d.props.origins ?? []) {
        const name = bucketOfDomain(o.domainName);
        if (name === undefined || config.allowedExternalBuckets.includes(name)) continue;
        const exists = buckets.some((b) => bucketName(b) === name || b.props.bucketRegionalDomainName === o.domainName || b.props.bucketDomainName === o.domainName);
        if (!exists) report(`origin '${o.originId}' of ${d.label} reads from S3 bucket '${name}' (${o.domainName}), which this program does not create; use a bucket of this stack.`, d.resource.urn);
      }
    }
  },
});

export const distributionTagged = resourceRule({
  name: 'distribution-tagged',
  description: 'Every distribution carries the tags that identify its stack and role.',
  remediationSteps: "Add the missing tags to the distribution's tags.",
  docs: {
    group: 'security',
    why: 'Tags tie a distribution to its stack for cost allocation, ownership and incident response.',
    references: ['Security Hub CloudFront.14'],
  },
  resource: distribution,
  config: {
    requiredTags: { type: 'array', items: { type: 'string' }, default: ['media-cdn:stack', 'media-cdn:role'], description: 'Tag keys every distribution must have.' },
  },
  validate(props, _args, report, config) {
    const tags = (props as DistributionShape).tags ?? {};
    const missing = config.requiredTags.filter((k) => !tags[k]);
    if (missing.length > 0) report(`the distribution lacks the tag${missing.length > 1 ? 's' : ''} ${quoteList(missing)}; add ${missing.length > 1 ? 'them' : 'it'} to its tags.`);
  },
});

export const viewerTls12_2021Minimum = resourceRule({
  name: 'viewer-tls-1-2-2021-minimum',
  description: 'A distribution with a custom certificate uses the TLSv1.2_2021 security policy or a newer one.',
  remediationSteps: 'Set media-cdn:minimumProtocolVersion (viewerCertificate.minimumProtocolVersion) to TLSv1.2_2021 or newer.',
  docs: {
    group: 'security',
    why: 'Older policies accept TLS 1.0/1.1 or CBC and SHA-1 cipher suites (spec §10.4).',
    references: ['Security Hub CloudFront.15', 'Checkov CKV_AWS_174'],
  },
  resource: distribution,
  config: {
    allowed: { type: 'array', items: { type: 'string' }, default: [...MODERN_TLS_POLICIES], description: 'Allowed viewer security policies.' },
  },
  validate(props, _args, report, config) {
    const d = props as DistributionShape;
    if (!hasCustomCertificate(d)) return;
    const version = d.viewerCertificate?.minimumProtocolVersion ?? '(unset)';
    if (!config.allowed.includes(version)) report(`the viewer security policy is '${version}'; use ${quoteList(config.allowed, 'or')}.`);
  },
});

export const signedRoutesUseTrustedKeyGroups = resourceRule({
  name: 'signed-routes-use-trusted-key-groups',
  description: 'Every path of a route the catalog marks as signed is served by a behavior that requires a trusted key group, and no behavior uses legacy trusted signers.',
  remediationSteps: 'Give the protected patterns behaviors with trustedKeyGroups (the key group of media-cdn:signingPublicKeyPem), placed before /video/*; remove trustedSigners.',
  docs: {
    group: 'security',
    why: 'Premium video must need a signed URL or cookie; key groups are managed with IAM, while trusted signers need the root account\'s CloudFront key pairs.',
    references: ['Security Hub CloudFront.17'],
  },
  resource: distribution,
  config: {
    allowTrustedSigners: { type: 'boolean', default: false, description: 'Allow legacy trusted signers (CloudFront key pairs).' },
  },
  validate(props, _args, report, config) {
    const d = props as DistributionShape;
    for (const s of servedPatterns(d, catalog().routes.filter((r) => r.signed))) {
      if (s.servedBy && (s.servedBy.behavior.trustedKeyGroups ?? []).length > 0) continue;
      report(
        `paths like '${s.witness}' of the signed route '${s.route.id}' (pattern '${s.pattern}') are served by ${s.servedBy?.label ?? 'no behavior'}, ` +
        'which requires no trusted key group, so anyone can fetch them; add trustedKeyGroups to a behavior for that pattern.',
      );
    }
    if (config.allowTrustedSigners) return;
    for (const view of behaviorViews(d)) {
      if ((view.behavior.trustedSigners ?? []).length > 0) report(`${view.label} uses legacy trustedSigners (CloudFront key pairs); use trustedKeyGroups instead.`);
    }
  },
});

export const geoRestrictionConfigured = resourceRule({
  name: 'geo-restriction-configured',
  description: 'Every distribution restricts viewers by country with an allow list or a block list.',
  remediationSteps: 'Set media-cdn:geoRestrictionType to whitelist or blacklist and list the countries in media-cdn:geoRestrictionLocations.',
  docs: {
    group: 'security',
    why: 'Streaming rights are licensed per territory and sanctioned countries must be blocked; without a restriction every country is served.',
    references: ['Checkov CKV_AWS_374'],
  },
  resource: distribution,
  config: {
    allowedTypes: { type: 'array', items: { type: 'string' }, default: ['whitelist', 'blacklist'], description: 'Allowed restriction types.' },
  },
  validate(props, _args, report, config) {
    const geo = (props as DistributionShape).restrictions?.geoRestriction;
    const type = geo?.restrictionType ?? 'none';
    if (!config.allowedTypes.includes(type)) report(`geo restriction type is '${type}', so every country is served; use ${quoteList(config.allowedTypes, 'or')} with a list of countries.`);
    else if ((geo?.locations ?? []).length === 0) report(`geo restriction type is '${type}' but no countries are listed; list ISO 3166-1 codes in restrictions.geoRestriction.locations.`);
  },
});

export const responseHeadersPolicyWithHsts = stackRule({
  name: 'response-headers-policy-with-hsts',
  description: 'Every cache behavior has a response headers policy of this program that sends Strict-Transport-Security for at least a year, with subdomains, preload and override.',
  remediationSteps: 'Attach the shared response headers policy (lib/builders/response-headers.ts) to every behavior; keep its strictTransportSecurity at max-age ≥ 31536000, includeSubdomains, preload and override.',
  docs: {
    group: 'security',
    why: 'HSTS makes browsers refuse plain HTTP to the domain, closing the window before the first redirect to HTTPS.',
    references: ['Checkov CKV2_AWS_32', 'Checkov CKV_AWS_259'],
  },
  config: {
    minMaxAgeSeconds: { type: 'integer', minimum: 0, default: ONE_YEAR_SECONDS, description: 'Shortest HSTS max-age (one year, as Checkov CKV_AWS_259 requires).' },
    requirePreload: { type: 'boolean', default: true, description: 'Require the preload directive.' },
  },
  validate(args, report, config) {
    const checked = new Set<string>();
    for (const d of distributionsOf(args.resources)) {
      for (const view of behaviorViews(d.props)) {
        const id = view.behavior.responseHeadersPolicyId;
        const policy = findById(args.resources, aws.cloudfront.ResponseHeadersPolicy, id);
        if (!policy) {
          report(`${view.label} of ${d.label} has ${id ? `response headers policy '${id}', which is not defined in this program` : 'no response headers policy'}, so HSTS cannot be verified; attach the stack's response headers policy.`, d.resource.urn);
          continue;
        }
        if (checked.has(policy.urn)) continue;
        checked.add(policy.urn);
        const sts = policy.props.securityHeadersConfig?.strictTransportSecurity as
          { accessControlMaxAgeSec?: number; includeSubdomains?: boolean; preload?: boolean; override?: boolean } | undefined;
        const problems = !sts ? ['no strictTransportSecurity'] : [
          (sts.accessControlMaxAgeSec ?? 0) < config.minMaxAgeSeconds ? `max-age ${sts.accessControlMaxAgeSec ?? 0} s is below ${config.minMaxAgeSeconds} s` : '',
          sts.includeSubdomains !== true ? 'includeSubdomains is off' : '',
          config.requirePreload && sts.preload !== true ? 'preload is off' : '',
          sts.override !== true ? "override is off (the origin's header wins)" : '',
        ].filter((p) => p !== '');
        if (problems.length > 0) report(`response headers policy '${policy.props.name ?? policy.name}': ${problems.join('; ')}; send Strict-Transport-Security with max-age ≥ ${config.minMaxAgeSeconds}, includeSubdomains${config.requirePreload ? ', preload' : ''} and override.`, policy.urn);
      }
    }
  },
});

export const fieldLevelEncryptionValid = stackRule({
  name: 'field-level-encryption-valid',
  description: 'Where a behavior configures field-level encryption, the configuration exists in this program and the behavior accepts POST, the only method it applies to.',
  remediationSteps: 'Point fieldLevelEncryptionId at an aws.cloudfront.FieldLevelEncryptionConfig of this stack and allow POST on the behavior, or remove the setting.',
  docs: {
    group: 'security',
    why: 'Field-level encryption protects form fields (payment, credentials) end to end; an unknown config fails the deploy and a behavior without POST never encrypts anything.',
    references: ['Checkov CloudFront set (field-level encryption)'],
  },
  config: {
    requirePost: { type: 'boolean', default: true, description: 'Require behaviors with field-level encryption to allow POST.' },
  },
  validate(args, report, config) {
    for (const d of distributionsOf(args.resources)) {
      for (const view of behaviorViews(d.props)) {
        const id = view.behavior.fieldLevelEncryptionId;
        if (!id) continue;
        if (!findById(args.resources, aws.cloudfront.FieldLevelEncryptionConfig, id)) {
          report(`${view.label} of ${d.label} uses field-level encryption config '${id}', which this program does not define; define it with aws.cloudfront.FieldLevelEncryptionConfig or remove fieldLevelEncryptionId.`, d.resource.urn);
        }
        if (config.requirePost && !(view.behavior.allowedMethods ?? []).includes('POST')) {
          report(`${view.label} of ${d.label} configures field-level encryption but does not allow POST, the only method it applies to; allow all methods or remove it.`, d.resource.urn);
        }
      }
    }
  },
});

const LAMBDA_URL_DOMAIN = /\.lambda-url\.[a-z0-9-]+\.on\.aws\.?$/i;

/** `my-fn`, `arn:aws:lambda:<region>:<account>:function:my-fn[:qualifier]` or `my-fn:qualifier` → `my-fn`. */
function functionNameOf(ref: unknown): string {
  const s = String(ref);
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(s);
  return arn ? arn[1]! : s.split(':')[0]!;
}

/** Actions that let a principal invoke a function (wildcards included). */
const INVOKE_ACTION = /^(\*|lambda:\*|lambda:Invoke\*|lambda:InvokeFunction|lambda:InvokeFunctionUrl)$/;

export const lambdaUrlOriginsUseOriginAccessControl = resourceRule({
  name: 'lambda-url-origins-use-origin-access-control',
  description: 'Every Lambda function URL origin is reached through an origin access control.',
  remediationSteps: "Give the function URL authorizationType 'AWS_IAM' and set originAccessControlId on its origin (an aws.cloudfront.OriginAccessControl of type 'lambda', signingBehavior 'always').",
  docs: {
    group: 'security',
    why: 'Without OAC the function URL must accept unsigned requests, so anyone who learns its domain bypasses CloudFront, its WAF, geo restriction and signed URLs, and runs the function at will.',
    references: ['Security Hub CloudFront.16', 'AWS Config cloudfront-origin-lambda-url-oac-enabled'],
  },
  resource: distribution,
  config: {
    exemptOriginIds: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Origin ids of function URLs that are public on purpose.' },
  },
  validate(props, _args, report, config) {
    for (const o of (props as DistributionShape).origins ?? []) {
      if (!LAMBDA_URL_DOMAIN.test(o.domainName ?? '') || o.originAccessControlId || config.exemptOriginIds.includes(o.originId ?? '')) continue;
      report(`origin '${o.originId}' (${o.domainName}) is a Lambda function URL without an origin access control, so the URL must be public; set originAccessControlId to an OAC of type 'lambda'.`);
    }
  },
});

export const functionUrlsRequireIam = stackRule({
  name: 'function-urls-require-iam',
  description: "Every Lambda function URL uses AWS_IAM auth and is invocable only by the CloudFront service for a named distribution.",
  remediationSteps: "Set authorizationType 'AWS_IAM' on the aws.lambda.FunctionUrl, and give every aws.lambda.Permission for it principal 'cloudfront.amazonaws.com' and sourceArn the distribution's ARN.",
  docs: {
    group: 'security',
    why: "A function URL with auth NONE, or a permission for any principal or any distribution, lets requests reach the origin without passing this stack's CloudFront.",
    references: ['AWS Lambda: control access to function URLs', 'Security Hub Lambda.1'],
  },
  config: {
    allowedPrincipals: { type: 'array', items: { type: 'string' }, default: ['cloudfront.amazonaws.com'], description: 'Service principals that may invoke a function with a URL (each with a sourceArn).' },
  },
  validate(args, report, config) {
    const urls = ofType(args.resources, aws.lambda.FunctionUrl);
    const functionsWithUrl = new Set(urls.map((u) => functionNameOf(u.props.functionName)));
    const distributions = distributionsOf(args.resources);
    for (const u of urls) {
      if (u.props.authorizationType !== 'AWS_IAM') {
        report(`function URL '${u.name}' has authorizationType '${String(u.props.authorizationType)}', so anyone on the internet can invoke it; set 'AWS_IAM' and reach it through an origin access control.`, u.urn);
      }
    }
    for (const p of ofType(args.resources, aws.lambda.Permission)) {
      if (!functionsWithUrl.has(functionNameOf(p.props.function))) continue;
      if (!INVOKE_ACTION.test(String(p.props.action))) continue;
      const source = p.props.sourceArn;
      const fix = `grant ${quoteList(config.allowedPrincipals, 'or')} with sourceArn set to the distribution's ARN.`;
      if (!config.allowedPrincipals.includes(String(p.props.principal)) || !source) {
        report(`permission '${p.name}' lets principal '${String(p.props.principal)}'${source ? '' : ' from any source'} call ${String(p.props.action)} on a function with a URL; ${fix}`, p.urn);
      } else if (typeof source === 'string' && (source.includes('*') || source.includes('?') || (distributions.length > 0 && !distributions.some((d) => arnIsDistribution(source, d))))) {
        report(`permission '${p.name}' lets any distribution matching '${source}' call ${String(p.props.action)} on a function with a URL, not only this stack's; ${fix}`, p.urn);
      }
    }
  },
});

export const athenaWorkgroupEnforced = resourceRule({
  name: 'athena-workgroup-enforced',
  description: 'Every Athena workgroup enforces its configuration, encrypts query results and caps the bytes one query may scan.',
  remediationSteps: "Set configuration.enforceWorkgroupConfiguration true, resultConfiguration.encryptionConfiguration.encryptionOption ('SSE_S3', 'SSE_KMS' or 'CSE_KMS') and bytesScannedCutoffPerQuery (lib/builders/log-analytics.ts buildWorkgroupConfiguration).",
  docs: {
    group: 'security',
    why: "Without enforcement a client can write results of access-log queries (viewer IPs, paths) unencrypted to any bucket and lift the scan limit; without a limit one query over a year of logs can scan (and bill) terabytes.",
    references: ['Athena: workgroup settings override client-side settings', 'Athena: data usage controls (per-query limit)'],
  },
  resource: aws.athena.Workgroup,
  config: {
    maxBytesScannedCutoff: { type: 'number', default: 1e12, description: 'Largest per-query scan limit accepted, bytes (1 TB costs $5).' },
  },
  validate(props, _args, report, config) {
    const c = (props as { configuration?: { enforceWorkgroupConfiguration?: boolean; bytesScannedCutoffPerQuery?: number; resultConfiguration?: { encryptionConfiguration?: { encryptionOption?: string } } } }).configuration ?? {};
    if (c.enforceWorkgroupConfiguration !== true) report('the workgroup does not enforce its configuration, so clients can override where results go, their encryption and the scan limit; set configuration.enforceWorkgroupConfiguration true.');
    const option = c.resultConfiguration?.encryptionConfiguration?.encryptionOption;
    if (!option) report("the workgroup's query results are not encrypted; set configuration.resultConfiguration.encryptionConfiguration.encryptionOption to 'SSE_S3' or 'SSE_KMS'.");
    const cutoff = c.bytesScannedCutoffPerQuery;
    if (cutoff === undefined) report('the workgroup has no per-query scan limit; set configuration.bytesScannedCutoffPerQuery (bytes).');
    else if (cutoff > config.maxBytesScannedCutoff) report(`the workgroup lets one query scan ${cutoff} bytes; set configuration.bytesScannedCutoffPerQuery to at most ${config.maxBytesScannedCutoff}.`);
  },
});

export const securityPolicies: readonly MediaCdnPolicy[] = [
  defaultRootObjectConfigured,
  s3OriginsUseOriginAccessControl,
  viewerHttpsRequired,
  originFailoverConfigured,
  accessLoggingEnabled,
  wafEnabled,
  customCertificateInProd,
  sniOnly,
  customOriginsHttpsOnly,
  originSslProtocolsTls12,
  s3OriginsExistInProgram,
  distributionTagged,
  viewerTls12_2021Minimum,
  signedRoutesUseTrustedKeyGroups,
  geoRestrictionConfigured,
  responseHeadersPolicyWithHsts,
  fieldLevelEncryptionValid,
  lambdaUrlOriginsUseOriginAccessControl,
  functionUrlsRequireIam,
  athenaWorkgroupEnforced,
  rumGuestRoleLeastPrivilege,
];
