import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { logBucketPolicy, originBucketPolicy, privateBucketPolicy, secondaryMemberId, secondaryOriginId } from '../lib/builders';
import type { MediaOrigins } from './media-origins';

export interface OriginAccessPoliciesArgs {
  readonly origins: MediaOrigins;
  /** ARNs of every distribution allowed to read the origins (primary and, in prod, staging). */
  readonly distributionArns: readonly pulumi.Input<string>[];
  /** Account that owns the log bucket; log delivery writes under AWSLogs/<account>/. */
  readonly accountId: pulumi.Input<string>;
}

/**
 * Access control for the origins: each bucket (primary, replica and regional copies) is readable only by this stack's
 * distributions through Origin Access Control, the images fallback function URL is invocable only by
 * them, and the log bucket is writable only by log delivery. Separate from `MediaOrigins` because it needs the distributions' ARNs.
 */
export class OriginAccessPolicies extends pulumi.ComponentResource {
  readonly policies: readonly aws.s3.BucketPolicy[];
  readonly fallbackPermissions: readonly aws.lambda.Permission[];

  constructor(name: string, args: OriginAccessPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:OriginAccessPolicies', name, {}, opts);
    const arns = pulumi.all([...args.distributionArns]);
    // A replica that is not an origin of its own (the images replica, read by the fallback function) grants CloudFront nothing.
    const buckets = args.origins.s3.flatMap((p) => [
      { name: `${name}-${p.origin}`, b: p.primary, cloudFront: true },
      { name: `${name}-${p.origin}-replica`, b: p.secondary, cloudFront: secondaryMemberId(p.origin) === secondaryOriginId(p.origin) },
      // Regional copies are origins of their own, selected by the viewer-request functions.
      ...[...p.regional].map(([region, b]) => ({ name: `${name}-${p.origin}-${region}`, b, cloudFront: true })),
    ]);
    const policies = buckets.map(({ name: n, b, cloudFront }) => new aws.s3.BucketPolicy(n, {
      region: b.region,
      bucket: b.bucket.id,
      policy: pulumi.all([b.bucket.arn, arns]).apply(([arn, list]) => JSON.stringify(cloudFront ? originBucketPolicy(arn, list) : privateBucketPolicy(arn))),
    }, { parent: this }));
    const logs = args.origins.logBucket;
    policies.push(new aws.s3.BucketPolicy(`${name}-logs`, {
      bucket: logs.id,
      policy: pulumi.all([logs.arn, args.accountId]).apply(([arn, account]) => JSON.stringify(logBucketPolicy(arn, account))),
    }, { parent: this }));
    this.policies = policies;
    // The images fallback function URL: invocable by the same distributions only.
    this.fallbackPermissions = args.origins.imageFallback.allowDistributions(
      `${name}-images-fallback`,
      args.distributionArns.map((arn, i) => ({ role: i === 0 ? 'distribution' : `staging${i > 1 ? i : ''}`, arn })),
    );
    this.registerOutputs({});
  }
}
