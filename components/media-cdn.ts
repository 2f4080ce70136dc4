import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  buildCustomErrorResponses, buildDistributionSettings, buildImageFunctionCode, buildNormalizeFunctionCode, buildOriginGroups, buildOrigins,
  buildResponseHeadersPolicyArgs, buildWebAclArgs, planRegionalViewerFunctions, type BehaviorArgs,
} from '../lib/builders';
import { boundedName, NAME_LIMITS } from '../lib/aws-names';
import type { StackConfig } from '../lib/config';
import { planOriginRouting } from '../lib/routing';
import { ContentBehavior, SharedPolicies } from './content-behavior';
import { MediaOrigins } from './media-origins';
import { OriginAccessPolicies } from './origin-access-policies';

/** CloudFront's control plane, WAF for CloudFront and CloudFront log delivery live in us-east-1. */
export const CLOUDFRONT_REGION = 'us-east-1';

export interface MediaCdnArgs {
  readonly config: StackConfig;
  readonly origins: MediaOrigins;
  /** The AWS account id (log delivery writes under AWSLogs/<account>/). */
  readonly accountId: pulumi.Input<string>;
  /**
   * The viewer certificate the program created for `domain` (DomainCertificate).
   * @default config.acmCertificateArn, or the *.cloudfront.net certificate when that is empty
   */
  readonly certificateArn?: pulumi.Input<string>;
  /** The secret header CloudFront adds to requests to the custom origins (OriginVerification). @default none */
  readonly originSecretHeader?: { readonly name: string; readonly value: pulumi.Input<string> };
}

/**
 * The distribution and everything at the edge: origins and origin groups with Origin Shield, a cache
 * behavior per catalog route (via `ContentBehavior`), the web ACL, the trusted key group for protected
 * video, the URL normalization function, the thumbnails' image negotiation function with its variant
 * index (a KeyValueStore the image pipeline fills), standard logging v2, the additional-metrics subscription,
 * bucket access for the distribution and, in prod, a staging distribution with a continuous-deployment
 * policy.
 */
export class MediaCdn extends pulumi.ComponentResource {
  readonly distribution: aws.cloudfront.Distribution;
  readonly stagingDistribution?: aws.cloudfront.Distribution;
  readonly webAcl: aws.wafv2.WebAcl;
  readonly keyGroup: aws.cloudfront.KeyGroup;
  readonly normalizeFunction: aws.cloudfront.Function;
  /** Index of the image variants that exist, read by `imageFunction` (written by `npm run images -- optimize`). */
  readonly imageVariantIndex: aws.cloudfront.KeyValueStore;
  readonly imageFunction: aws.cloudfront.Function;
  /** Viewer-request functions of the routes served from regional origins, by key (`select-video`, `image-images`, …). */
  readonly regionalFunctions: ReadonlyMap<string, aws.cloudfront.Function>;
  readonly contentBehaviors: readonly ContentBehavior[];
  /** Standard logging v2 of the primary distribution; `CdnLogGroup` adds a CloudWatch Logs delivery to its source. */
  readonly accessLogs: { readonly source: aws.cloudwatch.LogDeliverySource; readonly delivery: aws.cloudwatch.LogDelivery };

  constructor(name: string, args: MediaCdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:MediaCdn', name, {}, opts);
    const { config, origins } = args;
    const parent = { parent: this };
    const prefix = `${name}-${config.stack}`;

    this.webAcl = new aws.wafv2.WebAcl(`${name}-waf`, { region: CLOUDFRONT_REGION, ...buildWebAclArgs(prefix, config.wafRateLimitPer5Minutes, config.catalog) }, parent);

    // Autonamed: a new key replaces the old one create-before-delete, and a fixed name would collide.
    const publicKey = new aws.cloudfront.PublicKey(`${name}-signing-key`, {
      comment: 'media-cdn: verifies signed URLs and cookies of protected video',
      encodedKey: config.signingPublicKeyPem,
    }, parent);
    this.keyGroup = new aws.cloudfront.KeyGroup(`${name}-key-group`, {
      name: `${prefix}-signers`,
      comment: 'media-cdn: signers of protected video',
      items: [publicKey.id],
    }, parent);

    this.normalizeFunction = new aws.cloudfront.Function(`${name}-normalize-url`, {
      name: `${prefix}-normalize-url`.slice(0, 64),
      runtime: 'cloudfront-js-2.0',
      comment: 'media-cdn: normalizes paths and image query parameters',
      publish: true,
      code: buildNormalizeFunctionCode(),
    }, parent);

    this.imageVariantIndex = new aws.cloudfront.KeyValueStore(`${name}-image-variants`, {
      name: `${prefix}-image-variants`.slice(0, 64),
      comment: 'media-cdn: image variants that exist, per original (written by the image pipeline)',
    }, parent);
    this.imageFunction = new aws.cloudfront.Function(`${name}-image-negotiation`, {
      name: `${prefix}-image-negotiation`.slice(0, 64),
      runtime: 'cloudfront-js-2.0',
      comment: 'media-cdn: normalizes thumbnail URLs and picks the AVIF/WebP/baseline variant and width',
      publish: true,
      code: buildImageFunctionCode(),
      keyValueStoreAssociations: [this.imageVariantIndex.arn],
    }, parent);

    // Regional origins: one viewer-request function per (kind, origin) that selects the viewer's nearest Region.
    const routing = planOriginRouting(config);
    this.regionalFunctions = new Map(planRegionalViewerFunctions(config.catalog, routing).map((f) => [f.key, new aws.cloudfront.Function(`${name}-${f.key}`, {
      name: `${prefix}-${f.key}`.slice(0, 64),
      runtime: 'cloudfront-js-2.0',
      comment: f.comment,
      publish: true,
      code: f.code,
      ...(f.usesKeyValueStore ? { keyValueStoreAssociations: [this.imageVariantIndex.arn] } : {}),
    }, parent)]));
    const regionalFunctionArns = new Map([...this.regionalFunctions].map(([k, f]) => [k, f.arn]));

    const shared = new SharedPolicies(config.catalog, prefix, buildResponseHeadersPolicyArgs(config, `${prefix}-headers`));
    this.contentBehaviors = config.catalog.types.map((t) => new ContentBehavior(`${name}-${t.name}`, {
      contentType: t,
      shared,
      trustedKeyGroupId: this.keyGroup.id,
      normalizeFunctionArn: this.normalizeFunction.arn,
      imageFunctionArn: this.imageFunction.arn,
      routing,
      regionalFunctionArns,
    }, parent));

    const byRoute = new Map<string, BehaviorArgs<pulumi.Input<string>>>();
    for (const cb of this.contentBehaviors) for (const [id, b] of cb.behaviors) byRoute.set(id, b);
    const orderedCacheBehaviors = config.catalog.behaviors.map((e) => ({ pathPattern: e.pathPattern, ...byRoute.get(e.route.id)! }));
    const defaultCacheBehavior = byRoute.get(config.catalog.defaultRoute.id)!;

    const distributionArgs = (staging: boolean): aws.cloudfront.DistributionArgs => {
      const settings = buildDistributionSettings(config, args.certificateArn);
      return {
        ...settings,
        // A staging distribution serves no alternate domain names and no HTTP/3 (continuous deployment rule).
        aliases: staging ? [] : settings.aliases,
        comment: staging ? `${settings.comment} (staging)` : settings.comment,
        staging,
        origins: buildOrigins(config, {
          buckets: Object.fromEntries(origins.s3.map((p) => [p.origin, {
            primary: p.primary.bucket.bucketRegionalDomainName,
            secondary: p.secondary.bucket.bucketRegionalDomainName,
            regional: new Map([...p.regional].map(([r, b]) => [r, b.bucket.bucketRegionalDomainName])),
          }])),
          originAccessControlId: origins.originAccessControl.id,
          imageFallback: { domainName: origins.imageFallback.domainName, originAccessControlId: origins.imageFallback.originAccessControl.id },
          ...(args.originSecretHeader ? { originSecretHeader: args.originSecretHeader } : {}),
        }),
        originGroups: buildOriginGroups(),
        orderedCacheBehaviors,
        defaultCacheBehavior,
        customErrorResponses: buildCustomErrorResponses(config.catalog),
        webAclId: this.webAcl.arn,
        waitForDeployment: false,
        tags: { 'media-cdn:stack': config.stack, 'media-cdn:role': staging ? 'staging' : 'primary' },
      };
    };

    let continuousDeploymentPolicyId: pulumi.Output<string> | undefined;
    if (config.stagingDistribution) {
      this.stagingDistribution = new aws.cloudfront.Distribution(`${name}-staging`, distributionArgs(true), parent);
      const policy = new aws.cloudfront.ContinuousDeploymentPolicy(`${name}-continuous-deployment`, {
        enabled: true,
        stagingDistributionDnsNames: { items: [this.stagingDistribution.domainName], quantity: 1 },
        trafficConfig: config.stagingTrafficWeight > 0
          ? { type: 'SingleWeight', singleWeightConfig: { weight: config.stagingTrafficWeight / 100 } }
          : { type: 'SingleHeader', singleHeaderConfig: { header: config.stagingHeaderName, value: config.stagingHeaderValue } },
      }, parent);
      continuousDeploymentPolicyId = policy.id;
    }
    this.distribution = new aws.cloudfront.Distribution(`${name}-distribution`, {
      ...distributionArgs(false),
      ...(continuousDeploymentPolicyId ? { continuousDeploymentPolicyId } : {}),
    }, parent);

    const distributions = [this.distribution, ...(this.stagingDistribution ? [this.stagingDistribution] : [])];
    let primaryLogs: MediaCdn['accessLogs'] | undefined;
    for (const d of distributions) {
      const role = d === this.distribution ? 'distribution' : 'staging';
      new aws.cloudfront.MonitoringSubscription(`${name}-${role}-metrics`, {
        distributionId: d.id,
        monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' } },
      }, parent);
      const logs = this.createLogging(`${name}-${role}`, [prefix, role], d, origins.logBucket);
      if (d === this.distribution) primaryLogs = logs;
    }
    this.accessLogs = primaryLogs!;

    new OriginAccessPolicies(`${name}-access`, {
      origins,
      distributionArns: distributions.map((d) => d.arn),
      accountId: args.accountId,
    }, parent);

    this.registerOutputs({
      distributionId: this.distribution.id,
      domainName: this.distribution.domainName,
      stagingDistributionId: this.stagingDistribution?.id,
    });
  }

  /** Standard logging v2: access logs delivered by CloudWatch Logs to the log bucket (us-east-1 API). */
  private createLogging(name: string, awsName: readonly string[], distribution: aws.cloudfront.Distribution, logBucket: aws.s3.Bucket): MediaCdn['accessLogs'] {
    const parent = { parent: this };
    // Delivery sources and destinations are named per account and Region: the names carry the stack.
    const source = new aws.cloudwatch.LogDeliverySource(`${name}-log-source`, {
      region: CLOUDFRONT_REGION,
      name: boundedName([...awsName, 'access-logs'], NAME_LIMITS.logDeliverySource),
      logType: 'ACCESS_LOGS',
      resourceArn: distribution.arn,
    }, parent);
    const destination = new aws.cloudwatch.LogDeliveryDestination(`${name}-log-destination`, {
      region: CLOUDFRONT_REGION,
      name: boundedName([...awsName, 'log-bucket'], NAME_LIMITS.logDeliveryDestination),
      outputFormat: 'w3c',
      deliveryDestinationConfiguration: { destinationResourceArn: logBucket.arn },
    }, parent);
    const delivery = new aws.cloudwatch.LogDelivery(`${name}-log-delivery`, {
      region: CLOUDFRONT_REGION,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
    }, parent);
    return { source, delivery };
  }
}
