import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import type { Plan } from '../../lib/plan';
import { MANAGED_CACHE_POLICIES } from '../../lib/semantics/managed-policies';
import { findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const T = {
  distribution: 'aws:cloudfront/distribution:Distribution',
  bucket: 'aws:s3/bucket:Bucket',
  publicAccess: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  encryption: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  versioning: 'aws:s3/bucketVersioning:BucketVersioning',
  ownership: 'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  lifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  oac: 'aws:cloudfront/originAccessControl:OriginAccessControl',
  webAcl: 'aws:wafv2/webAcl:WebAcl',
  cachePolicy: 'aws:cloudfront/cachePolicy:CachePolicy',
  monitoring: 'aws:cloudfront/monitoringSubscription:MonitoringSubscription',
  logSource: 'aws:cloudwatch/logDeliverySource:LogDeliverySource',
  logDelivery: 'aws:cloudwatch/logDelivery:LogDelivery',
  keyGroup: 'aws:cloudfront/keyGroup:KeyGroup',
  fn: 'aws:cloudfront/function:Function',
  cdPolicy: 'aws:cloudfront/continuousDeploymentPolicy:ContinuousDeploymentPolicy',
  lambda: 'aws:lambda/function:Function',
  functionUrl: 'aws:lambda/functionUrl:FunctionUrl',
  permission: 'aws:lambda/permission:Permission',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
};

type Dist = {
  staging: boolean; origins: any[]; originGroups: any[]; orderedCacheBehaviors: any[]; defaultCacheBehavior: any;
  viewerCertificate: any; restrictions: any; webAclId: string; customErrorResponses: any[]; httpVersion: string;
  isIpv6Enabled: boolean; priceClass: string; defaultRootObject: string; aliases: string[]; continuousDeploymentPolicyId?: string;
};

for (const stack of ['staging', 'prod'] as const) {
  describe(`MediaCdn in the ${stack} stack (under Pulumi mocks)`, function () {
    this.timeout(120_000);
    let plan: Plan;
    let dist: Dist;
    before(async () => {
      plan = await planFor(stack);
      dist = inputsOf<Dist>(findResource(plan, T.distribution, 'cdn-distribution'));
    });

    it('registers the components with their type tokens', () => {
      const types = new Set(plan.resources.map((r) => r.type));
      for (const t of ['media-cdn:cdn:MediaCdn', 'media-cdn:cdn:MediaOrigins', 'media-cdn:cdn:ContentBehavior', 'media-cdn:cdn:OriginAccessPolicies']) {
        expect(types.has(t), t).to.equal(true);
      }
      expect(findResources(plan, 'media-cdn:cdn:ContentBehavior').map((r) => r.name).sort()).to.deep.equal(['cdn-api', 'cdn-metadata', 'cdn-static', 'cdn-thumbnails', 'cdn-video']);
    });

    it('parents every AWS resource under a component', () => {
      for (const r of plan.resources.filter((x) => x.custom)) expect(r.parent, r.name).to.match(/::media-cdn:cdn:/);
    });

    it('has an ordered cache behavior for every catalog pattern, most specific first', () => {
      const expected = resolveCatalog(stack === 'prod' ? {} : {}).behaviors.map((b) => b.pathPattern);
      expect(dist.orderedCacheBehaviors.map((b) => b.pathPattern)).to.deep.equal(expected);
    });

    it('points every behavior at a planned custom cache policy or a managed one', () => {
      const ids = new Set(findResources(plan, T.cachePolicy).map((r) => r.id));
      for (const b of [...dist.orderedCacheBehaviors, dist.defaultCacheBehavior]) {
        const ok = ids.has(b.cachePolicyId) || b.cachePolicyId === MANAGED_CACHE_POLICIES.CachingDisabled.id;
        expect(ok, `${b.pathPattern}: ${b.cachePolicyId}`).to.equal(true);
      }
      expect(findResources(plan, T.cachePolicy)).to.have.length(6);
    });

    it('uses Origin Access Control on every S3 origin and Origin Shield on every origin', () => {
      const oacId = findResource(plan, T.oac, 'origins-oac').id;
      const s3 = dist.origins.filter((o) => String(o.domainName).includes('.s3.'));
      // The images replica is read by the fallback origin, not by CloudFront.
      expect(s3.map((o) => o.originId)).to.deep.equal(['video-primary', 'video-secondary', 'images-primary', 'static-primary', 'static-secondary']);
      for (const o of s3) {
        expect(o.originAccessControlId, o.originId).to.equal(oacId);
        expect(o.s3OriginConfig, o.originId).to.equal(undefined);
      }
      // Primaries use the configured shield; the secondaries (failover Region us-west-2) a shield beside them.
      for (const o of dist.origins) {
        const secondary = o.originId.endsWith('-secondary') || o.originId === 'images-fallback' || o.originId.endsWith('-us-west-2');
        expect(o.originShield, o.originId).to.deep.equal({ enabled: true, originShieldRegion: secondary ? 'us-west-2' : stack === 'prod' ? 'us-east-1' : 'us-east-2' });
      }
    });

    it('reaches the custom origins over HTTPS with TLSv1.2 and configured timeouts', () => {
      const custom = dist.origins.filter((o) => o.customOriginConfig);
      // prod has copies of metadata and the API in us-west-2, with short timeouts (originTimeouts) for a fast failover
      expect(custom.map((o) => o.originId)).to.deep.equal(stack === 'prod'
        ? ['images-fallback', 'metadata', 'metadata-us-west-2', 'api', 'api-us-west-2']
        : ['images-fallback', 'metadata', 'api']);
      for (const o of custom) {
        const read = stack === 'prod' && o.originId !== 'images-fallback' ? 4 : 30;
        expect(o.customOriginConfig, o.originId).to.deep.include({ originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'], originReadTimeout: read, originKeepaliveTimeout: 5 });
      }
    });

    it('fails each S3 origin over to its replica bucket in the failover Region, images to the fallback origin', () => {
      expect(dist.originGroups.map((g) => [g.originId, g.members.map((m: any) => m.originId), g.failoverCriteria.statusCodes])).to.deep.equal([
        ['video-group', ['video-primary', 'video-secondary'], [500, 502, 503, 504]],
        ['images-group', ['images-primary', 'images-fallback'], [403, 404, 500, 502, 503, 504]],
        ['static-group', ['static-primary', 'static-secondary'], [500, 502, 503, 504]],
        // prod: metadata and the API fail over to their copies in the failover Region
        ...(stack === 'prod' ? [
          ['metadata-group', ['metadata', 'metadata-us-west-2'], [500, 502, 503, 504]],
          ['api-group', ['api', 'api-us-west-2'], [500, 502, 503, 504]],
        ] : []),
      ]);
      const replica = findResource(plan, T.bucket, 'origins-video-replica');
      expect(inputsOf(replica).region).to.equal('us-west-2');
    });

    it('serves the images fallback from a function URL in the failover Region that only this stack\'s distributions can invoke', () => {
      const fn = inputsOf(findResource(plan, T.lambda, 'origins-image-fallback'));
      expect(fn).to.deep.include({ region: 'us-west-2', name: `origins-image-fallback-${stack}`, runtime: 'nodejs22.x', handler: 'index.handler', timeout: 10 });
      const settings = JSON.parse(fn.environment.variables.MEDIA_CDN_IMAGE_FALLBACK);
      expect(settings.primaryBucket).to.match(/^origins-images-[0-9a-f]{8}$/);
      expect(settings.replicaBucket).to.match(/^origins-images-replica-[0-9a-f]{8}$/);
      expect(settings).to.deep.include({ primaryRegion: stack === 'prod' ? 'us-east-1' : 'us-east-2', replicaRegion: 'us-west-2', maxBodyBytes: 4_000_000, originalMaxAgeSeconds: 60 });
      const url = findResource(plan, T.functionUrl, 'origins-image-fallback');
      expect(inputsOf(url)).to.deep.include({ authorizationType: 'AWS_IAM', invokeMode: 'BUFFERED', region: 'us-west-2' });
      const oac = findResource(plan, T.oac, 'origins-image-fallback-oac');
      expect(inputsOf(oac)).to.deep.include({ originAccessControlOriginType: 'lambda', signingBehavior: 'always', signingProtocol: 'sigv4' });
      const origin = dist.origins.find((o) => o.originId === 'images-fallback');
      expect(origin.originAccessControlId).to.equal(oac.id);
      expect(origin.domainName).to.match(/^[0-9a-f]{32}\.lambda-url\.us-west-2\.on\.aws$/);
      expect(origin.customOriginConfig).to.deep.include({ originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] });

      const distributions = findResources(plan, T.distribution);
      const permissions = findResources(plan, T.permission).filter((r) => r.name.startsWith('cdn-access-images-fallback-')).map(inputsOf);
      expect(permissions).to.have.length(2 * distributions.length);
      for (const p of permissions) {
        expect(p.principal).to.equal('cloudfront.amazonaws.com');
        expect(p.function).to.equal(`origins-image-fallback-${stack}`);
        expect(distributions.map((d) => `distribution/${d.id}`)).to.include(String(p.sourceArn).replace(/^arn:aws:cloudfront::\d{12}:/, ''));
      }
      expect(permissions.map((p) => [p.action, p.functionUrlAuthType ?? null, p.invokedViaFunctionUrl ?? null]).sort()).to.deep.equal(
        distributions.flatMap(() => [['lambda:InvokeFunction', null, true], ['lambda:InvokeFunctionUrl', 'AWS_IAM', null]]).sort(),
      );

      const policy = JSON.parse(inputsOf(findResource(plan, T.rolePolicy, 'origins-image-fallback')).policy);
      const actions = policy.Statement.flatMap((st: any) => [].concat(st.Action));
      expect(actions.sort()).to.deep.equal(['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 's3:ListBucket']);
      expect(JSON.stringify(policy)).not.to.contain('video').and.not.to.contain('static');
    });

    it('blocks public access, enforces ownership and encrypts every bucket', () => {
      // Prod has log analytics, whose Athena results bucket is the eighth.
      const count = stack === 'prod' ? 8 : 7;
      const buckets = findResources(plan, T.bucket);
      expect(buckets).to.have.length(count);
      for (const kind of [T.publicAccess, T.ownership, T.encryption]) expect(findResources(plan, kind), kind).to.have.length(count);
      for (const pab of findResources(plan, T.publicAccess)) {
        expect(inputsOf(pab)).to.deep.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      }
      for (const o of findResources(plan, T.ownership)) expect(inputsOf(o).rule).to.deep.equal({ objectOwnership: 'BucketOwnerEnforced' });
    });

    it('versions the origin buckets and expires noncurrent versions', () => {
      expect(findResources(plan, T.versioning).map((r) => r.name).sort()).to.deep.equal([
        'origins-images-replica-versioning', 'origins-images-versioning', 'origins-static-replica-versioning',
        'origins-static-versioning', 'origins-video-replica-versioning', 'origins-video-versioning',
      ]);
      const rules = inputsOf(findResource(plan, T.lifecycle, 'origins-video-lifecycle')).rules as any[];
      expect(rules[0].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: stack === 'prod' ? 30 : 7 });
    });

    it("lets only this stack's distributions read the origin buckets", () => {
      const arns = findResources(plan, T.distribution).map((d) => `arn:aws:cloudfront::123456789012:distribution/${d.id}`).sort();
      const policy = JSON.parse(String(inputsOf(findResource(plan, T.bucketPolicy, 'cdn-access-video')).policy));
      expect(policy.Statement[0].Condition).to.deep.equal({ StringEquals: { 'AWS:SourceArn': arns } });
      expect(policy.Statement[0].Principal).to.deep.equal({ Service: 'cloudfront.amazonaws.com' });
      expect(findResources(plan, T.bucketPolicy)).to.have.length(stack === 'prod' ? 8 : 7);
      // The images replica is read by the fallback function's role only: its policy grants nothing.
      const replica = JSON.parse(String(inputsOf(findResource(plan, T.bucketPolicy, 'cdn-access-images-replica')).policy));
      expect(replica.Statement.map((st: any) => [st.Sid, st.Effect])).to.deep.equal([['DenyInsecureTransport', 'Deny']]);
    });

    it('attaches a web ACL with managed rules and a rate limit, created in us-east-1', () => {
      const acl = findResource(plan, T.webAcl, 'cdn-waf');
      const i = inputsOf(acl);
      expect(i.scope).to.equal('CLOUDFRONT');
      expect(i.region).to.equal('us-east-1');
      expect(i.rules.map((r: any) => r.name)).to.deep.equal(['ip-reputation', 'common-rules', 'body-size-outside-api', 'rate-limit']);
      const rate = i.rules[3].statement.rateBasedStatement;
      expect(rate.limit).to.equal(stack === 'prod' ? 5000 : 2000);
      // Only the dynamic routes count towards the per-IP limit; video segments and thumbnails do not.
      expect(rate.scopeDownStatement.orStatement.statements.map((s: any) => s.byteMatchStatement.searchString)).to.deep.equal(['/api/', '/metadata/']);
      // API POST bodies and TV players without a User-Agent are counted, not blocked; large bodies are blocked outside /api/.
      expect(i.rules[1].statement.managedRuleGroupStatement.ruleActionOverrides).to.deep.equal([
        { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }, { name: 'NoUserAgent_HEADER', actionToUse: { count: {} } },
      ]);
      const bodyRule = i.rules[2].statement.andStatement.statements;
      expect(bodyRule[0].labelMatchStatement).to.deep.equal({ scope: 'LABEL', key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' });
      expect(bodyRule[1].notStatement.statement.byteMatchStatement.searchString).to.equal('/api/');
      expect(dist.webAclId).to.match(/^arn:aws:wafv2:us-east-1:/);
    });

    it('turns on the additional metrics and standard logging v2 for every distribution', () => {
      const n = findResources(plan, T.distribution).length;
      expect(findResources(plan, T.monitoring)).to.have.length(n);
      expect(findResources(plan, T.logSource)).to.have.length(n);
      const cdnDeliveries = findResources(plan, T.logDelivery).filter((r) => r.parent.endsWith('media-cdn:cdn:MediaCdn::cdn'));
      expect(cdnDeliveries).to.have.length(n);
      const src = inputsOf(findResource(plan, T.logSource, 'cdn-distribution-log-source'));
      expect(src).to.deep.include({ logType: 'ACCESS_LOGS', region: 'us-east-1' });
    });

    it('sets geo restriction, TLS, HTTP versions and error caching from config', () => {
      expect(dist.restrictions.geoRestriction.restrictionType).to.equal(stack === 'prod' ? 'blacklist' : 'whitelist');
      if (stack === 'prod') {
        expect(dist.viewerCertificate).to.deep.include({ minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' });
        expect(dist.httpVersion).to.equal('http2');
      } else {
        expect(dist.viewerCertificate).to.deep.equal({ cloudfrontDefaultCertificate: true });
        expect(dist.httpVersion).to.equal('http2and3');
      }
      expect(dist.isIpv6Enabled).to.equal(true);
      expect(dist.defaultRootObject).to.equal('index.html');
      expect(dist.customErrorResponses.map((e) => e.errorCode)).to.deep.equal([403, 404, 500, 502, 503, 504]);
    });

    it('reads cache tags from the configured origin header', () => {
      expect((dist as unknown as { cacheTagConfig: unknown }).cacheTagConfig).to.deep.equal({ headerName: 'x-amz-meta-cache-tags' });
    });

    it('protects premium video with the trusted key group', () => {
      const kg = findResource(plan, T.keyGroup, 'cdn-key-group').id;
      const premium = dist.orderedCacheBehaviors.filter((b) => b.pathPattern.startsWith('/video/premium/'));
      expect(premium).to.have.length(3);
      for (const b of premium) expect(b.trustedKeyGroups).to.deep.equal([kg]);
    });

    it('names the log delivery sources and destinations per stack, within 60 characters', () => {
      const names = [...findResources(plan, T.logSource), ...findResources(plan, 'aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination')].map((r) => String(inputsOf(r).name));
      expect(names).to.include(`cdn-${stack}-distribution-access-logs`).and.include(`cdn-${stack}-distribution-log-bucket`);
      for (const n of names) {
        expect(n, n).to.match(new RegExp(`^cdn-${stack}-`));
        expect(n.length, n).to.be.at.most(60);
      }
    });

    it('lets Pulumi name the signing public key, so a new key can replace it before the old one is deleted', () => {
      expect(inputsOf(findResource(plan, 'aws:cloudfront/publicKey:PublicKey', 'cdn-signing-key'))).to.not.have.property('name');
    });

    it('publishes the URL normalization function on the cloudfront-js-2.0 runtime', () => {
      const fn = inputsOf(findResource(plan, T.fn, 'cdn-normalize-url'));
      expect(fn).to.deep.include({ runtime: 'cloudfront-js-2.0', publish: true });
      expect(String(fn.code)).to.include('function handler(event)');
    });

    if (stack === 'prod') {
      it('adds a staging distribution behind a header-based continuous-deployment policy', () => {
        const stagingDist = inputsOf<Dist>(findResource(plan, T.distribution, 'cdn-staging'));
        expect(stagingDist.staging).to.equal(true);
        expect(stagingDist.aliases).to.deep.equal([]);
        const cd = findResource(plan, T.cdPolicy, 'cdn-continuous-deployment');
        expect(inputsOf(cd).trafficConfig).to.deep.equal({ type: 'SingleHeader', singleHeaderConfig: { header: 'aws-cf-cd-staging', value: 'true' } });
        // A fresh stack: the policy is attached by the next pulumi up (test/components/continuous-deployment.test.ts).
        expect(dist.continuousDeploymentPolicyId).to.equal(undefined);
        expect(plan.outputs.continuousDeploymentPolicyId).to.equal(cd.id);
      });
    } else {
      it('has no staging distribution', () => {
        expect(findResources(plan, T.distribution)).to.have.length(1);
        expect(findResources(plan, T.cdPolicy)).to.have.length(0);
      });
    }

    it('exports the outputs that scripts read', () => {
      const d = findResource(plan, T.distribution, 'cdn-distribution');
      expect(plan.outputs.distributionId).to.equal(d.id);
      expect(plan.outputs.distributionArn).to.equal(`arn:aws:cloudfront::123456789012:distribution/${d.id}`);
      expect(plan.outputs.domainName).to.match(/^d[0-9a-f]+\.cloudfront\.net$/);
      expect(Object.keys(plan.outputs.buckets as object)).to.deep.equal(['video', 'images', 'static']);
      expect(plan.outputs.region).to.equal(stack === 'prod' ? 'us-east-1' : 'us-east-2');
      expect(plan.outputs.logBucket).to.be.a('string').and.match(/^origins-logs-/);
      const ct = plan.outputs.contentTypes as Record<string, any>;
      expect(ct.metadata).to.deep.include({ defaultTtl: 900, maxTtl: 3600, targetHitRatio: 0.85, targetLatencyMs: 100 });
      expect(plan.outputs.stagingDistributionId).to.equal(stack === 'prod' ? findResource(plan, T.distribution, 'cdn-staging').id : '');
    });
  });
}
