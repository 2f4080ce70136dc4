import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import type { MediaCdnPolicy } from '../../policies/lib/define';
import {
  accessLoggingEnabled, customCertificateInProd, customOriginsHttpsOnly, defaultRootObjectConfigured, distributionTagged,
  fieldLevelEncryptionValid, functionUrlsRequireIam, geoRestrictionConfigured, lambdaUrlOriginsUseOriginAccessControl, originFailoverConfigured, originSslProtocolsTls12, responseHeadersPolicyWithHsts,
  s3OriginsExistInProgram, s3OriginsUseOriginAccessControl, signedRoutesUseTrustedKeyGroups, sniOnly, viewerHttpsRequired,
  viewerTls12_2021Minimum, wafEnabled,
} from '../../policies/security';
import { prodFixture, type Fixture } from './fixtures';
import { messagesOf, resourceOf } from './helpers';

type Props = Record<string, any>;

const behavior = (d: Props, pattern: string): Props => (d.orderedCacheBehaviors as Props[]).find((b) => b.pathPattern === pattern)!;
const origin = (d: Props, id: string): Props => (d.origins as Props[]).find((o) => o.originId === id)!;
const asDistribution = (props: Props) => [resourceOf(aws.cloudfront.Distribution, 'cdn-distribution', props)];

/** Resource rules on the distribution: one change to the compliant prod distribution per case. */
const RESOURCE_CASES: readonly [MediaCdnPolicy, string, (d: Props) => void, string[]][] = [
  [defaultRootObjectConfigured, 'no default root object on a site served from S3', (d) => { delete d.defaultRootObject; }, [
    "the default cache behavior serves a site from S3 (target 'static-group') but defaultRootObject is empty, so '/' reaches the bucket root; set defaultRootObject to the site's index document, e.g. 'index.html'.",
  ]],
  [s3OriginsUseOriginAccessControl, 'an S3 origin with a legacy origin access identity', (d) => {
    const o = origin(d, 'video-primary');
    delete o.originAccessControlId;
    o.s3OriginConfig = { originAccessIdentity: 'origin-access-identity/cloudfront/E2QWRUHEXAMPLE' };
  }, [
    "origin 'video-primary' (origins-video-c4b7522d.s3.us-east-1.amazonaws.com) uses the legacy origin access identity 'origin-access-identity/cloudfront/E2QWRUHEXAMPLE'; replace it with an origin access control (originAccessControlId).",
  ]],
  [s3OriginsUseOriginAccessControl, 'an S3 website endpoint (a public bucket)', (d) => {
    origin(d, 'static-secondary').domainName = 'static-site.s3-website-us-west-2.amazonaws.com';
  }, [
    "origin 'static-secondary' is the S3 website endpoint 'static-site.s3-website-us-west-2.amazonaws.com', which needs a public bucket; use the bucket's REST endpoint with an origin access control.",
  ]],
  [viewerHttpsRequired, 'the default behavior allowing HTTP', (d) => { d.defaultCacheBehavior.viewerProtocolPolicy = 'allow-all'; }, [
    "the default cache behavior (*) has viewerProtocolPolicy 'allow-all', which serves viewers over plain HTTP; use 'redirect-to-https' or 'https-only'.",
  ]],
  [originFailoverConfigured, 'an origin group with a single member', (d) => {
    const g = (d.originGroups as Props[]).find((x) => x.originId === 'images-group')!;
    g.members = g.members.slice(0, 1);
  }, [
    "origin group 'images-group' (used by cache behavior '/thumbnails/*') has 1 member(s) and 6 failover status code(s); it needs 2 members and at least one status code (e.g. 500, 502, 503, 504).",
  ]],
  [wafEnabled, 'a WAF Classic web ACL id', (d) => { d.webAclId = '473e64fd-f30b-4765-81a0-62ad96dd167a'; }, [
    "webAclId '473e64fd-f30b-4765-81a0-62ad96dd167a' is not the ARN of a CLOUDFRONT-scope wafv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/...); WAF Classic is retired.",
  ]],
  [customCertificateInProd, 'the default certificate', (d) => { d.viewerCertificate = { cloudfrontDefaultCertificate: true }; }, [
    'the distribution uses the default *.cloudfront.net certificate, which forces the TLSv1 security policy; set viewerCertificate.acmCertificateArn (media-cdn:acmCertificateArn) to an ACM certificate in us-east-1.',
  ]],
  [sniOnly, 'a dedicated-IP certificate', (d) => { d.viewerCertificate.sslSupportMethod = 'vip'; }, [
    "the custom certificate is served with sslSupportMethod 'vip'; set it to 'sni-only'.",
  ]],
  [customOriginsHttpsOnly, 'match-viewer to the metadata origin', (d) => { origin(d, 'metadata').customOriginConfig.originProtocolPolicy = 'match-viewer'; }, [
    "custom origin 'metadata' (metadata.internal.example-stream.com) uses originProtocolPolicy 'match-viewer'; set it to 'https-only'.",
  ]],
  [originSslProtocolsTls12, 'SSLv3 and TLSv1.1 to the API origin', (d) => { origin(d, 'api').customOriginConfig.originSslProtocols = ['SSLv3', 'TLSv1.1', 'TLSv1.2']; }, [
    "custom origin 'api' allows 'SSLv3' and 'TLSv1.1' in originSslProtocols; allow only 'TLSv1.2'.",
  ]],
  [distributionTagged, 'no tags', (d) => { delete d.tags; }, [
    "the distribution lacks the tags 'media-cdn:stack' and 'media-cdn:role'; add them to its tags.",
  ]],
  [viewerTls12_2021Minimum, 'the TLSv1 security policy', (d) => { d.viewerCertificate.minimumProtocolVersion = 'TLSv1'; }, [
    "the viewer security policy is 'TLSv1'; use 'TLSv1.2_2021', 'TLSv1.2_2025' or 'TLSv1.3_2025'.",
  ]],
  [signedRoutesUseTrustedKeyGroups, 'premium manifests falling through to an unsigned behavior, and legacy signers', (d) => {
    d.orderedCacheBehaviors = (d.orderedCacheBehaviors as Props[]).filter((b) => !b.pathPattern.startsWith('/video/premium/*.'));
    behavior(d, '/video/premium/*').trustedSigners = ['self'];
    delete behavior(d, '/video/premium/*').trustedKeyGroups;
  }, [
    "paths like '/video/premium/x.m3u8' of the signed route 'video-protected-manifests' (pattern '/video/premium/*.m3u8') are served by cache behavior '/video/premium/*', which requires no trusted key group, so anyone can fetch them; add trustedKeyGroups to a behavior for that pattern.",
    "paths like '/video/premium/x.mpd' of the signed route 'video-protected-manifests' (pattern '/video/premium/*.mpd') are served by cache behavior '/video/premium/*', which requires no trusted key group, so anyone can fetch them; add trustedKeyGroups to a behavior for that pattern.",
    "paths like '/video/premium/x' of the signed route 'video-protected' (pattern '/video/premium/*') are served by cache behavior '/video/premium/*', which requires no trusted key group, so anyone can fetch them; add trustedKeyGroups to a behavior for that pattern.",
    "cache behavior '/video/premium/*' uses legacy trustedSigners (CloudFront key pairs); use trustedKeyGroups instead.",
  ]],
  [geoRestrictionConfigured, 'a block list without countries', (d) => { d.restrictions.geoRestriction.locations = []; }, [
    "geo restriction type is 'blacklist' but no countries are listed; list ISO 3166-1 codes in restrictions.geoRestriction.locations.",
  ]],
  [geoRestrictionConfigured, 'no restriction', (d) => { d.restrictions = { geoRestriction: { restrictionType: 'none' } }; }, [
    "geo restriction type is 'none', so every country is served; use 'whitelist' or 'blacklist' with a list of countries.",
  ]],
  [lambdaUrlOriginsUseOriginAccessControl, 'the images fallback function URL without an origin access control (domain in upper case)', (d) => {
    delete origin(d, 'images-fallback').originAccessControlId;
    origin(d, 'images-fallback').domainName = 'C229D706CA2BB50D8272418BC135F3EC.LAMBDA-URL.US-WEST-2.ON.AWS';
  }, [
    "origin 'images-fallback' (C229D706CA2BB50D8272418BC135F3EC.LAMBDA-URL.US-WEST-2.ON.AWS) is a Lambda function URL without an origin access control, so the URL must be public; set originAccessControlId to an OAC of type 'lambda'.",
  ]],
];

describe('security rules', function () {
  this.timeout(60_000);
  let f: Fixture;
  beforeEach(async () => {
    f = await prodFixture();
  });

  describe('on the distribution (resource rules)', () => {
    for (const rule of new Set(RESOURCE_CASES.map(([r]) => r))) {
      it(`${rule.name} passes the prod distribution`, async () => {
        expect(await messagesOf(rule, [f.distribution])).to.deep.equal([]);
      });
    }
    for (const [rule, what, change, messages] of RESOURCE_CASES) {
      it(`${rule.name} reports ${what}`, async () => {
        change(f.distribution.props);
        expect(await messagesOf(rule, asDistribution(f.distribution.props))).to.deep.equal(messages);
      });
    }

    it('custom-certificate-in-prod accepts the default certificate where the stack does not require one (staging)', async () => {
      f.distribution.props.viewerCertificate = { cloudfrontDefaultCertificate: true };
      expect(await messagesOf(customCertificateInProd, [f.distribution], { requireCustomCertificate: false })).to.deep.equal([]);
      expect(await messagesOf(sniOnly, [f.distribution])).to.deep.equal([]);
      expect(await messagesOf(viewerTls12_2021Minimum, [f.distribution])).to.deep.equal([]);
    });

    it('default-root-object-configured does not apply when the default behavior serves an API', async () => {
      const d = f.distribution.props;
      delete d.defaultRootObject;
      d.defaultCacheBehavior.targetOriginId = 'api';
      expect(await messagesOf(defaultRootObjectConfigured, asDistribution(d))).to.deep.equal([]);
    });

    it('origin-failover-configured reports an S3 origin targeted directly, but not a custom origin', async () => {
      const d = f.distribution.props;
      behavior(d, '/static/*').targetOriginId = 'static-primary';
      expect(await messagesOf(originFailoverConfigured, asDistribution(d))).to.deep.equal([
        "cache behavior '/static/*' reads from origin 'static-primary' directly, with no origin group to fail over to; target an origin group of 'static-primary' and its replica.",
      ]);
      // prod (requireForCustomOrigins): a read-only behavior of a custom origin needs a group too; a behavior that proxies writes cannot have one
      behavior(d, '/metadata/*').targetOriginId = 'metadata';
      expect(behavior(d, '/api/me/*').targetOriginId).to.equal('api');
      expect(await messagesOf(originFailoverConfigured, asDistribution(d), { requireForCustomOrigins: true })).to.deep.equal([
        "cache behavior '/metadata/*' reads from origin 'metadata' directly, with no origin group to fail over to; target an origin group of 'metadata' and its replica.",
        "cache behavior '/static/*' reads from origin 'static-primary' directly, with no origin group to fail over to; target an origin group of 'static-primary' and its replica.",
      ]);
    });
  });

  describe('access-logging-enabled', () => {
    it('passes the prod stack (standard logging v2 for both distributions)', async () => {
      expect(await messagesOf(accessLoggingEnabled, f.stack)).to.deep.equal([]);
    });

    it('reports a source that no delivery sends anywhere', async () => {
      const stack = f.stack.filter((r) => r.name !== 'cdn-staging-log-delivery');
      expect(await messagesOf(accessLoggingEnabled, stack)).to.deep.equal([
        "staging distribution 'cdn-staging' has a log delivery source ('cdn-prod-staging-access-logs') but no log delivery sends it anywhere; add an aws.cloudwatch.LogDelivery with that deliverySourceName.",
      ]);
    });

    it('reports a distribution without any logging, and accepts legacy logging', async () => {
      const stack = f.stack.filter((r) => r.name !== 'cdn-distribution-log-source');
      expect(await messagesOf(accessLoggingEnabled, stack)).to.deep.equal([
        "distribution 'cdn-distribution' has no access logging: no legacy loggingConfig and no log delivery source of type ACCESS_LOGS for its ARN; add standard logging v2.",
      ]);
      f.find(aws.cloudfront.Distribution, 'cdn-distribution').props.loggingConfig = { bucket: 'logs.s3.amazonaws.com' };
      expect(await messagesOf(accessLoggingEnabled, stack)).to.deep.equal([]);
    });
  });

  describe('s3-origins-exist-in-program', () => {
    it('passes the prod stack (six buckets, all created by the program)', async () => {
      expect(await messagesOf(s3OriginsExistInProgram, f.stack)).to.deep.equal([]);
    });

    it('reports a bucket the program does not create unless it is allowed', async () => {
      const d = f.find(aws.cloudfront.Distribution, 'cdn-distribution').props;
      origin(d, 'video-secondary').domainName = 'legacy-video.s3.amazonaws.com';
      expect(await messagesOf(s3OriginsExistInProgram, f.primaryStack)).to.deep.equal([
        "origin 'video-secondary' of distribution 'cdn-distribution' reads from S3 bucket 'legacy-video' (legacy-video.s3.amazonaws.com), which this program does not create; use a bucket of this stack.",
      ]);
      expect(await messagesOf(s3OriginsExistInProgram, f.primaryStack, { allowedExternalBuckets: ['legacy-video'] })).to.deep.equal([]);
    });
  });

  describe('response-headers-policy-with-hsts', () => {
    it('passes the prod stack (two years, subdomains, preload, override)', async () => {
      expect(await messagesOf(responseHeadersPolicyWithHsts, f.stack)).to.deep.equal([]);
    });

    it('reports every weakness of the policy once, on the policy', async () => {
      const p = f.find(aws.cloudfront.ResponseHeadersPolicy, 'cdn-prod-headers');
      p.props.securityHeadersConfig.strictTransportSecurity = { accessControlMaxAgeSec: 86400, includeSubdomains: false, preload: false, override: false };
      expect(await messagesOf(responseHeadersPolicyWithHsts, f.stack)).to.deep.equal([
        "response headers policy 'cdn-prod-headers': max-age 86400 s is below 31536000 s; includeSubdomains is off; preload is off; override is off (the origin's header wins); " +
        'send Strict-Transport-Security with max-age ≥ 31536000, includeSubdomains, preload and override.',
      ]);
      expect(await messagesOf(responseHeadersPolicyWithHsts, f.stack, { minMaxAgeSeconds: 86400, requirePreload: false })).to.have.length(1);
    });

    it('reports a behavior without a response headers policy', async () => {
      delete behavior(f.find(aws.cloudfront.Distribution, 'cdn-distribution').props, '/fonts/*').responseHeadersPolicyId;
      expect(await messagesOf(responseHeadersPolicyWithHsts, f.primaryStack)).to.deep.equal([
        "cache behavior '/fonts/*' of distribution 'cdn-distribution' has no response headers policy, so HSTS cannot be verified; attach the stack's response headers policy.",
      ]);
    });
  });

  describe('function-urls-require-iam', () => {
    it('passes the prod stack (AWS_IAM; four permissions, each for CloudFront and one distribution)', async () => {
      expect(await messagesOf(functionUrlsRequireIam, f.stack)).to.deep.equal([]);
    });

    it('reports a public function URL and a permission without a source', async () => {
      f.find(aws.lambda.FunctionUrl, 'origins-image-fallback').props.authorizationType = 'NONE';
      const p = f.find(aws.lambda.Permission, 'cdn-access-images-fallback-distribution-url');
      p.props.principal = '*';
      delete p.props.sourceArn;
      expect(await messagesOf(functionUrlsRequireIam, f.stack)).to.deep.equal([
        "function URL 'origins-image-fallback' has authorizationType 'NONE', so anyone on the internet can invoke it; set 'AWS_IAM' and reach it through an origin access control.",
        "permission 'cdn-access-images-fallback-distribution-url' lets principal '*' from any source call lambda:InvokeFunctionUrl on a function with a URL; grant 'cloudfront.amazonaws.com' with sourceArn set to the distribution's ARN.",
      ]);
    });

    it('sees through ARNs, qualifiers and wildcard actions, and refuses a source that is not this stack\'s distribution', async () => {
      const base = { function: 'arn:aws:lambda:us-west-2:123456789012:function:origins-image-fallback-prod:live', principal: 'cloudfront.amazonaws.com' };
      const wild = resourceOf(aws.lambda.Permission, 'wild', { ...base, action: 'lambda:*', sourceArn: 'arn:aws:cloudfront::123456789012:distribution/*' });
      const other = resourceOf(aws.lambda.Permission, 'other-dist', { ...base, action: 'lambda:InvokeFunctionUrl', sourceArn: 'arn:aws:cloudfront::999999999999:distribution/EOTHER' });
      expect(await messagesOf(functionUrlsRequireIam, [...f.stack, wild, other])).to.deep.equal([
        "permission 'wild' lets any distribution matching 'arn:aws:cloudfront::123456789012:distribution/*' call lambda:* on a function with a URL, not only this stack's; grant 'cloudfront.amazonaws.com' with sourceArn set to the distribution's ARN.",
        "permission 'other-dist' lets any distribution matching 'arn:aws:cloudfront::999999999999:distribution/EOTHER' call lambda:InvokeFunctionUrl on a function with a URL, not only this stack's; grant 'cloudfront.amazonaws.com' with sourceArn set to the distribution's ARN.",
      ]);
    });

    it('ignores permissions on functions without a URL', async () => {
      const other = resourceOf(aws.lambda.Permission, 'other', { function: 'invalidation-handler', principal: 'sqs.amazonaws.com', action: 'lambda:InvokeFunction' });
      expect(await messagesOf(functionUrlsRequireIam, [...f.stack, other])).to.deep.equal([]);
    });
  });

  describe('field-level-encryption-valid', () => {
    it('passes the prod stack (no field-level encryption configured)', async () => {
      expect(await messagesOf(fieldLevelEncryptionValid, f.stack)).to.deep.equal([]);
    });

    it('accepts a config of this program on a behavior that allows POST', async () => {
      behavior(f.find(aws.cloudfront.Distribution, 'cdn-distribution').props, '/api/auth/*').fieldLevelEncryptionId = 'fle-1';
      const fle = resourceOf(aws.cloudfront.FieldLevelEncryptionConfig, 'cdn-fle', { id: 'fle-1' });
      expect(await messagesOf(fieldLevelEncryptionValid, [...f.primaryStack, fle])).to.deep.equal([]);
    });

    it('reports a config that does not exist on a behavior without POST', async () => {
      behavior(f.find(aws.cloudfront.Distribution, 'cdn-distribution').props, '/metadata/*').fieldLevelEncryptionId = 'fle-missing';
      expect(await messagesOf(fieldLevelEncryptionValid, f.primaryStack)).to.deep.equal([
        "cache behavior '/metadata/*' of distribution 'cdn-distribution' uses field-level encryption config 'fle-missing', which this program does not define; define it with aws.cloudfront.FieldLevelEncryptionConfig or remove fieldLevelEncryptionId.",
        "cache behavior '/metadata/*' of distribution 'cdn-distribution' configures field-level encryption but does not allow POST, the only method it applies to; allow all methods or remove it.",
      ]);
    });
  });
});
