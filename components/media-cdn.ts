import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  buildCustomErrorResponses, buildDistributionSettings, buildImageFunctionCode, buildNormalizeFunctionCode, buildOriginGroups, buildOrigins,
  buildResponseHeadersPolicyArgs, buildWebAclArgs, planRegionalViewerFunctions, type BehaviorArgs,
  buildTrafficConfig, continuousDeploymentPhase, previousDeployment, primaryPolicyId, type ContinuousDeploymentPhase,
} from '../lib/builders';
import { boundedName, NAME_LIMITS } from '../lib/aws-names';
import { candidateNeedsOwnPolicies, type StackConfig } from '../lib/config';
import { planOriginRouting } from '../lib/routing';
import { ContentBehavior, SharedPolicies } from './content-behavior';
import { type MediaOrigins } from './media-origins';
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
  /**
   * The stack's outputs from its previous deployment, which decide when the continuous-deployment
   * policy is attached. @default read from the stack itself (a StackReference to this stack)
   */
  readonly previousOutputs?: pulumi.Input<unknown>;
}

/** A distribution's cache behaviors and the components that made them. */
interface DistributionBehaviors {
  readonly components: readonly ContentBehavior[];
  readonly ordered: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[];
  readonly default: aws.types.input.cloudfront.DistributionDefaultCacheBehavior;
}

/**
 * The distribution and everything at the edge: origins and origin groups with Origin Shield, a cache
 * behavior per catalog route (via `ContentBehavior`), the web ACL, the trusted key group for protected
 * video, the URL normalization function, the thumbnails' image negotiation function with its variant
 * index (a KeyValueStore the image pipeline fills), standard logging v2, the additional-metrics subscription,
 * bucket access for the distribution and, in prod, a staging distribution with a continuous-deployment
 * policy, attached once the primary exists and built from the stack's `candidate` config (docs/deployment.md).
 */
export class MediaCdn extends pulumi.ComponentResource {
  readonly distribution: aws.cloudfront.Distribution;
  readonly stagingDistribution?: aws.cloudfront.Distribution;
  /** The continuous-deployment policy that routes some requests to the staging distribution (with it). */
  readonly continuousDeploymentPolicy?: aws.cloudfront.ContinuousDeploymentPolicy;
  /** Where continuous deployment stands after this `pulumi up` (lib/builders/continuous-deployment.ts). */
  readonly continuousDeploymentPhase: pulumi.Output<ContinuousDeploymentPhase>;
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

  private readonly name: string;
  private readonly prefix: string;
  private readonly config: StackConfig;
  private readonly origins: MediaOrigins;
  private readonly certificateArn: pulumi.Input<string> | undefined;
  private readonly originSecretHeader: MediaCdnArgs['originSecretHeader'];
  private routing!: ReturnType<typeof planOriginRouting>;

  constructor(name: string, args: MediaCdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:MediaCdn', name, {}, opts);
    this.name = name;
    this.config = args.config;
    this.origins = args.origins;
    this.certificateArn = args.certificateArn;
    this.originSecretHeader = args.originSecretHeader;
    this.prefix = `${name}-${args.config.stack}`;

    this.webAcl = this.createWebAcl();
    this.keyGroup = this.createKeyGroup();
    this.normalizeFunction = this.createNormalizeFunction();
    this.imageVariantIndex = this.createImageVariantIndex();
    this.imageFunction = this.createImageFunction();
    this.routing = planOriginRouting(this.config);
    this.regionalFunctions = this.createRegionalFunctions();
    const primary = this.createBehaviors(this.config, name);
    this.contentBehaviors = primary.components;
    const phase = this.readContinuousDeploymentPhase(args.previousOutputs);
    this.continuousDeploymentPhase = phase;
    if (this.config.stagingDistribution) {
      this.stagingDistribution = this.createStagingDistribution(primary);
      this.continuousDeploymentPolicy = this.createContinuousDeploymentPolicy(this.stagingDistribution);
    }
    this.distribution = this.createPrimaryDistribution(primary, phase);
    this.accessLogs = this.createMonitoringAndLogs();
    this.createOriginAccess(args.accountId);

    this.registerOutputs({
      distributionId: this.distribution.id,
      domainName: this.distribution.domainName,
      stagingDistributionId: this.stagingDistribution?.id,
      continuousDeploymentPolicyId: this.continuousDeploymentPolicy?.id,
      continuousDeploymentPhase: phase,
    });
  }

  private get parentOpts(): pulumi.CustomResourceOptions {
    return { parent: this };
  }

  private createWebAcl(): aws.wafv2.WebAcl {
    return new aws.wafv2.WebAcl(`${this.name}-waf`, { region: CLOUDFRONT_REGION, ...buildWebAclArgs(this.prefix, this.config.wafRateLimitPer5Minutes, this.config.catalog) }, this.parentOpts);
  }

  private createKeyGroup(): aws.cloudfront.KeyGroup {
    // Autonamed: a new key replaces the old one create-before-delete, and a fixed name would collide.
    const publicKey = new aws.cloudfront.PublicKey(`${this.name}-signing-key`, {
      comment: 'media-cdn: verifies signed URLs and cookies of protected video',
      encodedKey: this.config.signingPublicKeyPem,
    }, this.parentOpts);
    return new aws.cloudfront.KeyGroup(`${this.name}-key-group`, {
      name: `${this.prefix}-signers`,
      comment: 'media-cdn: signers of protected video',
      items: [publicKey.id],
    }, this.parentOpts);
  }

  private createNormalizeFunction(): aws.cloudfront.Function {
    return new aws.cloudfront.Function(`${this.name}-normalize-url`, {
      name: `${this.prefix}-normalize-url`.slice(0, 64),
      runtime: 'cloudfront-js-2.0',
      comment: 'media-cdn: normalizes paths and image query parameters',
      publish: true,
      code: buildNormalizeFunctionCode(),
    }, this.parentOpts);
  }

  private createImageVariantIndex(): aws.cloudfront.KeyValueStore {
    return new aws.cloudfront.KeyValueStore(`${this.name}-image-variants`, {
      name: `${this.prefix}-image-variants`.slice(0, 64),
      comment: 'media-cdn: image variants that exist, per original (written by the image pipeline)',
    }, this.parentOpts);
  }

  private createImageFunction(): aws.cloudfront.Function {
    return new aws.cloudfront.Function(`${this.name}-image-negotiation`, {
      name: `${this.prefix}-image-negotiation`.slice(0, 64),
      runtime: 'cloudfront-js-2.0',
      comment: 'media-cdn: normalizes thumbnail URLs and picks the AVIF/WebP/baseline variant and width',
      publish: true,
      code: buildImageFunctionCode(),
      keyValueStoreAssociations: [this.imageVariantIndex.arn],
    }, this.parentOpts);
  }

  /** Regional origins: one viewer-request function per (kind, origin) that selects the viewer's nearest Region. */
  private createRegionalFunctions(): ReadonlyMap<string, aws.cloudfront.Function> {
    return new Map(planRegionalViewerFunctions(this.config.catalog, this.routing).map((f) => [f.key, new aws.cloudfront.Function(`${this.name}-${f.key}`, {
      name: `${this.prefix}-${f.key}`.slice(0, 64),
      runtime: 'cloudfront-js-2.0',
      comment: f.comment,
      publish: true,
      code: f.code,
      ...(f.usesKeyValueStore ? { keyValueStoreAssociations: [this.imageVariantIndex.arn] } : {}),
    }, this.parentOpts)]));
  }

  /**
   * A `ContentBehavior` per content type of `config`'s catalog and the distribution's behaviors in
   * catalog order. The candidate's behaviors get their own policies (`<name>-candidate-*`), so the
   * primary's cache policies do not change until the candidate is promoted.
   */
  private createBehaviors(config: StackConfig, name: string): DistributionBehaviors {
    const prefix = `${name}-${config.stack}`;
    const shared = new SharedPolicies(config.catalog, prefix, buildResponseHeadersPolicyArgs(config, `${prefix}-headers`));
    const components = config.catalog.types.map((t) => new ContentBehavior(`${name}-${t.name}`, {
      contentType: t,
      shared,
      trustedKeyGroupId: this.keyGroup.id,
      normalizeFunctionArn: this.normalizeFunction.arn,
      imageFunctionArn: this.imageFunction.arn,
      routing: this.routing,
      regionalFunctionArns: new Map([...this.regionalFunctions].map(([k, f]) => [k, f.arn])),
    }, this.parentOpts));
    const byRoute = new Map<string, BehaviorArgs<pulumi.Input<string>>>();
    for (const cb of components) for (const [id, b] of cb.behaviors) byRoute.set(id, b);
    return {
      components,
      ordered: config.catalog.behaviors.map((e) => ({ pathPattern: e.pathPattern, ...byRoute.get(e.route.id)! })),
      default: byRoute.get(config.catalog.defaultRoute.id)!,
    };
  }

  /**
   * The continuous-deployment phase, from the stack's own previous outputs: the policy is attached only
   * once the primary exists (CloudFront refuses it on creation).
   */
  private readContinuousDeploymentPhase(previousOutputs: pulumi.Input<unknown> | undefined): pulumi.Output<ContinuousDeploymentPhase> {
    if (!this.config.stagingDistribution) return pulumi.output<ContinuousDeploymentPhase>('off');
    const outputs = previousOutputs ?? new pulumi.StackReference(`${this.name}-previous-deployment`, {
      name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    }, this.parentOpts).outputs;
    return pulumi.output(outputs).apply((o) => continuousDeploymentPhase(true, previousDeployment(o)));
  }

  /** Everything of a distribution but its role: the same for primary and staging, so a promotion leaves no drift. */
  private distributionArgs(config: StackConfig, behaviors: DistributionBehaviors): aws.cloudfront.DistributionArgs {
    return {
      ...buildDistributionSettings(config, this.certificateArn),
      origins: buildOrigins(config, {
        buckets: Object.fromEntries(this.origins.s3.map((p) => [p.origin, {
          primary: p.primary.bucket.bucketRegionalDomainName,
          secondary: p.secondary.bucket.bucketRegionalDomainName,
          regional: new Map([...p.regional].map(([r, b]) => [r, b.bucket.bucketRegionalDomainName])),
        }])),
        originAccessControlId: this.origins.originAccessControl.id,
        imageFallback: { domainName: this.origins.imageFallback.domainName, originAccessControlId: this.origins.imageFallback.originAccessControl.id },
        ...(this.originSecretHeader ? { originSecretHeader: this.originSecretHeader } : {}),
      }),
      originGroups: buildOriginGroups(config),
      orderedCacheBehaviors: behaviors.ordered,
      defaultCacheBehavior: behaviors.default,
      customErrorResponses: buildCustomErrorResponses(config.catalog),
      webAclId: this.webAcl.arn,
      waitForDeployment: false,
    };
  }

  /** The staging distribution: built from the candidate config when there is one, else like the primary. */
  private createStagingDistribution(primary: DistributionBehaviors): aws.cloudfront.Distribution {
    const config = this.config.candidateConfig ?? this.config;
    const behaviors = this.config.candidateConfig && candidateNeedsOwnPolicies(this.config.candidate)
      ? this.createBehaviors(this.config.candidateConfig, `${this.name}-candidate`)
      : primary;
    return new aws.cloudfront.Distribution(`${this.name}-staging`, {
      ...this.distributionArgs(config, behaviors),
      // A staging distribution serves no alternate domain names (continuous deployment rule).
      aliases: [],
      staging: true,
      tags: { 'media-cdn:stack': this.config.stack, 'media-cdn:role': 'staging' },
    }, this.parentOpts);
  }

  private createContinuousDeploymentPolicy(staging: aws.cloudfront.Distribution): aws.cloudfront.ContinuousDeploymentPolicy {
    return new aws.cloudfront.ContinuousDeploymentPolicy(`${this.name}-continuous-deployment`, {
      enabled: true,
      stagingDistributionDnsNames: { items: [staging.domainName], quantity: 1 },
      trafficConfig: buildTrafficConfig(this.config),
    }, this.parentOpts);
  }

  private createPrimaryDistribution(behaviors: DistributionBehaviors, phase: pulumi.Output<ContinuousDeploymentPhase>): aws.cloudfront.Distribution {
    const policyId = this.continuousDeploymentPolicy?.id;
    return new aws.cloudfront.Distribution(`${this.name}-distribution`, {
      ...this.distributionArgs(this.config, behaviors),
      ...(policyId ? { continuousDeploymentPolicyId: pulumi.all([phase, policyId]).apply(([p, id]) => primaryPolicyId(p, id)!) } : {}),
      tags: { 'media-cdn:stack': this.config.stack, 'media-cdn:role': 'primary' },
    }, this.parentOpts);
  }

  /** The additional-metrics subscription and standard logging v2 of each distribution; returns the primary's logs. */
  private createMonitoringAndLogs(): MediaCdn['accessLogs'] {
    let primaryLogs: MediaCdn['accessLogs'] | undefined;
    for (const d of this.distributions) {
      const role = d === this.distribution ? 'distribution' : 'staging';
      new aws.cloudfront.MonitoringSubscription(`${this.name}-${role}-metrics`, {
        distributionId: d.id,
        monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' } },
      }, this.parentOpts);
      const logs = this.createLogging(`${this.name}-${role}`, [this.prefix, role], d, this.origins.logBucket);
      if (d === this.distribution) primaryLogs = logs;
    }
    return primaryLogs!;
  }

  private createOriginAccess(accountId: pulumi.Input<string>): void {
    new OriginAccessPolicies(`${this.name}-access`, {
      origins: this.origins,
      distributionArns: this.distributions.map((d) => d.arn),
      accountId,
    }, this.parentOpts);
  }

  private get distributions(): aws.cloudfront.Distribution[] {
    return [this.distribution, ...(this.stagingDistribution ? [this.stagingDistribution] : [])];
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
