/**
 * S3 bucket policies as plain policy documents: origin buckets readable only by this stack's
 * distributions through Origin Access Control (`AWS:SourceArn`), log buckets writable only by log
 * delivery, and TLS required everywhere.
 */
import { logPrefix } from '../analytics/log-table';

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

function denyInsecureTransport(bucketArn: string): Record<string, unknown> {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * Lets CloudFront read objects for the listed distributions only (the primary and, in prod, the
 * staging distribution, which the continuous-deployment docs require).
 */
export function originBucketPolicy(bucketArn: string, distributionArns: readonly string[]): PolicyDocument {
  if (distributionArns.length === 0) throw new Error('originBucketPolicy needs at least one distribution ARN');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowCloudFrontOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${bucketArn}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': [...distributionArns].sort() } },
      },
      denyInsecureTransport(bucketArn),
    ],
  };
}

/**
 * A bucket no distribution reads directly (the images replica, read by the fallback function's role):
 * nothing granted, TLS required.
 */
export function privateBucketPolicy(bucketArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [denyInsecureTransport(bucketArn)] };
}

/**
 * Lets CloudWatch Logs delivery write this account's CloudFront access logs: under
 * `AWSLogs/<account>/CloudFront/`, and under its Hive-compatible form for the Parquet delivery of
 * log analytics (lib/analytics/log-table.ts).
 */
export function logBucketPolicy(bucketArn: string, accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: [`${bucketArn}/AWSLogs/${accountId}/CloudFront/*`, `${bucketArn}/${logPrefix(accountId)}*`],
        Condition: { StringEquals: { 'aws:SourceAccount': accountId, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
      denyInsecureTransport(bucketArn),
    ],
  };
}

/** Trust and permissions of the role S3 replication assumes to copy origin objects to the failover Region. */
export function replicationAssumeRolePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

export function replicationPolicy(pairs: readonly { source: string; destination: string }[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: pairs.map((p) => p.source) },
      {
        Effect: 'Allow',
        Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        Resource: pairs.map((p) => `${p.source}/*`),
      },
      {
        Effect: 'Allow',
        Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        Resource: pairs.map((p) => `${p.destination}/*`),
      },
    ],
  };
}

/**
 * Rules of an origin bucket's replication configuration: everything (with delete markers) to the
 * failover Region's replica and, for regional origins, to each Region's copy. S3 needs distinct
 * priorities once a configuration has several rules with filters; a single-Region stack keeps its one
 * rule as it was.
 */
export function replicationRules<R>(replicaArn: R, regional: readonly { region: string; bucketArn: R }[]) {
  const rule = (id: string, bucket: R, priority: number | undefined) => ({
    id,
    status: 'Enabled',
    ...(priority !== undefined ? { priority } : {}),
    filter: {},
    deleteMarkerReplication: { status: 'Enabled' },
    destination: { bucket, storageClass: 'STANDARD' },
  });
  const several = regional.length > 0;
  return [
    rule('replicate-all', replicaArn, several ? 0 : undefined),
    ...regional.map((r, i) => rule(`replicate-to-${r.region}`, r.bucketArn, i + 1)),
  ];
}
