import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { replicationAssumeRolePolicy, replicationPolicy, replicationRules } from '../lib/builders';
import { S3_ORIGINS, type OriginName } from '../lib/catalog';
import type { StackConfig } from '../lib/config';
import { ImageFallbackOrigin } from './image-fallback-origin';

export interface MediaOriginsArgs {
  /** The validated stack config. */
  readonly config: StackConfig;
}

/** A private origin bucket in one Region. */
export interface OriginBucket {
  readonly bucket: aws.s3.Bucket;
  readonly region: string;
  readonly versioning?: aws.s3.BucketVersioning;
}

/** The primary bucket of an S3 origin, its replica in the failover Region and its copies in `originRegions`. */
export interface S3OriginPair {
  readonly origin: OriginName;
  readonly primary: OriginBucket;
  readonly secondary: OriginBucket;
  /** Copies serving viewers nearest other Regions, by Region (empty for a single-Region stack). */
  readonly regional: ReadonlyMap<string, OriginBucket>;
}

/**
 * The S3 origins (video, images, static), each a private, versioned, encrypted bucket replicated to
 * a secondary bucket in the failover Region and to a bucket in each of `originRegions` (one
 * replication configuration per source bucket, one rule per destination), plus the access-log bucket, the Origin Access Control
 * CloudFront signs its S3 requests with, and the images fallback origin. Bucket policies need the distribution's ARN and are added
 * by `OriginAccessPolicies`.
 */
export class MediaOrigins extends pulumi.ComponentResource {
  readonly s3: readonly S3OriginPair[];
  readonly logBucket: aws.s3.Bucket;
  readonly originAccessControl: aws.cloudfront.OriginAccessControl;
  /** The images origin group's secondary member (replica copy, or the original of a missing variant). */
  readonly imageFallback: ImageFallbackOrigin;

  constructor(name: string, args: MediaOriginsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:MediaOrigins', name, {}, opts);
    const { config } = args;

    this.s3 = S3_ORIGINS.map((origin) => ({
      origin,
      primary: this.createBucket(`${name}-${origin}`, config.region, config, { versioned: true }),
      secondary: this.createBucket(`${name}-${origin}-replica`, config.failoverRegion, config, { versioned: true }),
      regional: new Map(config.originRegions.map((r) => [r, this.createBucket(`${name}-${origin}-${r}`, r, config, { versioned: true })])),
    }));
    this.createReplication(name, config);

    this.logBucket = this.createBucket(`${name}-logs`, config.region, config, { versioned: false, expireDays: config.logRetentionDays }).bucket;

    this.originAccessControl = new aws.cloudfront.OriginAccessControl(`${name}-oac`, {
      name: `${name}-${config.stack}-s3`.slice(0, 64),
      description: 'media-cdn: CloudFront signs every S3 origin request (SigV4)',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    }, { parent: this });

    const images = this.pair('images');
    this.imageFallback = new ImageFallbackOrigin(`${name}-image-fallback`, { config, primary: images.primary, replica: images.secondary }, { parent: this });

    this.registerOutputs({
      buckets: Object.fromEntries(this.s3.map((p) => [p.origin, { primary: p.primary.bucket.bucket, secondary: p.secondary.bucket.bucket }])),
      logBucket: this.logBucket.bucket,
    });
  }

  /** The pair of buckets behind an S3 origin. */
  pair(origin: OriginName): S3OriginPair {
    const p = this.s3.find((x) => x.origin === origin);
    if (!p) throw new Error(`'${origin}' is not an S3 origin; S3 origins are ${S3_ORIGINS.join(', ')}`);
    return p;
  }

  private createBucket(name: string, region: string, config: StackConfig, o: { versioned: boolean; expireDays?: number }): OriginBucket {
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(name, { region, forceDestroy: false, tags: { 'media-cdn:stack': config.stack } }, parent);
    new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
      region, bucket: bucket.id,
      blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, parent);
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
      region, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' },
    }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      region, bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    }, parent);
    const versioning = o.versioned
      ? new aws.s3.BucketVersioning(`${name}-versioning`, { region, bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, parent)
      : undefined;
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      region, bucket: bucket.id,
      rules: [
        o.expireDays !== undefined
          ? { id: 'expire-logs', status: 'Enabled', filter: {}, expiration: { days: o.expireDays } }
          : { id: 'expire-noncurrent-versions', status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays: config.noncurrentVersionExpirationDays } },
        { id: 'abort-incomplete-uploads', status: 'Enabled', filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      ],
    }, parent);
    return versioning ? { bucket, region, versioning } : { bucket, region };
  }

  private createReplication(name: string, config: StackConfig): void {
    const parent = { parent: this };
    const role = new aws.iam.Role(`${name}-replication`, {
      assumeRolePolicy: JSON.stringify(replicationAssumeRolePolicy()),
      description: config.originRegions.length > 0
        ? 'media-cdn: S3 replication of origin buckets to the failover Region and the origin Regions'
        : 'media-cdn: S3 replication of origin buckets to the failover Region',
    }, parent);
    const destinationsOf = (p: S3OriginPair) => [p.secondary, ...p.regional.values()];
    const policy = pulumi
      .all(this.s3.flatMap((p) => destinationsOf(p).map((d) => pulumi.all([p.primary.bucket.arn, d.bucket.arn]))))
      .apply((pairs) => JSON.stringify(replicationPolicy(pairs.map(([source, destination]) => ({ source, destination })))));
    new aws.iam.RolePolicy(`${name}-replication`, { role: role.id, policy }, parent);
    for (const p of this.s3) {
      new aws.s3.BucketReplicationConfig(`${name}-${p.origin}-replication`, {
        region: config.region,
        bucket: p.primary.bucket.id,
        role: role.arn,
        rules: replicationRules(p.secondary.bucket.arn, [...p.regional].map(([region, b]) => ({ region, bucketArn: b.bucket.arn }))),
      }, { parent: this, dependsOn: [p.primary, ...destinationsOf(p)].map((b) => b.versioning).filter((v): v is aws.s3.BucketVersioning => v !== undefined) });
    }
  }
}
