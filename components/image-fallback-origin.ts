import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { functionUrlDomain, functionUrlInvokePermissions, IMAGE_FALLBACK_FUNCTION, imageFallbackPolicy, imageFallbackSettings } from '../lib/builders';
import type { StackConfig } from '../lib/config';
import { FALLBACK_SETTINGS_VARIABLE } from '../lib/images/fallback';
import { createBundledFunction } from './lambda-bundle';
import type { OriginBucket } from './media-origins';

export interface ImageFallbackOriginArgs {
  readonly config: StackConfig;
  /** The images bucket in the stack Region (the origin group's primary). */
  readonly primary: OriginBucket;
  /** Its replica in the failover Region, beside the function. */
  readonly replica: OriginBucket;
}

/**
 * The images origin group's secondary member: a Lambda function URL in the failover Region that
 * serves the replica's copy of what the primary bucket failed to serve, or the original of a variant
 * that does not exist (lib/images/fallback.ts). `AWS_IAM` auth behind a Lambda Origin Access Control:
 * only this stack's distributions can invoke it (`allowDistributions`, called once they exist).
 */
export class ImageFallbackOrigin extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly url: aws.lambda.FunctionUrl;
  /** The origin's domain name (`<id>.lambda-url.<region>.on.aws`). */
  readonly domainName: pulumi.Output<string>;
  readonly originAccessControl: aws.cloudfront.OriginAccessControl;
  private readonly region: string;

  constructor(name: string, args: ImageFallbackOriginArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:ImageFallbackOrigin', name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const f = IMAGE_FALLBACK_FUNCTION;
    this.region = config.failoverRegion;
    const region = this.region;
    const tags = { 'media-cdn:stack': config.stack };
    const functionName = `${name}-${config.stack}`.slice(0, 64);

    const settings = pulumi.all([args.primary.bucket.bucket, args.replica.bucket.bucket])
      .apply(([primary, replica]) => JSON.stringify(imageFallbackSettings(config, primary, replica)));
    this.function = createBundledFunction(this, { resource: name, logGroup: `${name}-logs` }, {
      region,
      functionName,
      entry: 'image-fallback',
      description: 'media-cdn: images origin group fallback — replica copy, or the original of a missing variant (lib/images/fallback)',
      roleDescription: 'media-cdn: the images fallback origin (reads the images buckets)',
      runtime: f.runtime,
      timeoutSeconds: f.timeoutSeconds,
      memoryMb: f.memoryMb,
      logRetentionDays: f.logRetentionDays,
      policy: (logGroupArn) => pulumi.all([args.primary.bucket.arn, args.replica.bucket.arn, logGroupArn])
        .apply(([primaryBucketArn, replicaBucketArn, lg]) => JSON.stringify(imageFallbackPolicy({ primaryBucketArn, replicaBucketArn, logGroupArn: lg }))),
      environment: { [FALLBACK_SETTINGS_VARIABLE]: settings },
      tags,
    }).function;
    this.url = new aws.lambda.FunctionUrl(name, {
      region,
      functionName: this.function.name,
      authorizationType: 'AWS_IAM',
      invokeMode: 'BUFFERED',
    }, parent);
    this.domainName = this.url.functionUrl.apply(functionUrlDomain);
    this.originAccessControl = new aws.cloudfront.OriginAccessControl(`${name}-oac`, {
      name: `${name}-${config.stack}-lambda`.slice(0, 64),
      description: 'media-cdn: CloudFront signs every request to the images fallback function URL (SigV4)',
      originAccessControlOriginType: 'lambda',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    }, parent);
    this.registerOutputs({ functionName: this.function.name, domainName: this.domainName });
  }

  /** Lets exactly these distributions invoke the function URL (both statements Lambda requires). */
  allowDistributions(name: string, distributionArns: readonly { role: string; arn: pulumi.Input<string> }[]): aws.lambda.Permission[] {
    return distributionArns.flatMap((d) => functionUrlInvokePermissions().map((p) => new aws.lambda.Permission(`${name}-${d.role}-${p.suffix}`, {
      region: this.region,
      function: this.function.name,
      principal: 'cloudfront.amazonaws.com',
      sourceArn: d.arn,
      action: p.action,
      ...('functionUrlAuthType' in p ? { functionUrlAuthType: p.functionUrlAuthType } : {}),
      ...('invokedViaFunctionUrl' in p ? { invokedViaFunctionUrl: p.invokedViaFunctionUrl } : {}),
    }, { parent: this })));
  }
}
