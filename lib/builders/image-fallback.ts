/**
 * The images fallback origin as plain data: its origin id, its IAM policy, the CloudFront origin
 * entry of a Lambda function URL, and the invoke permissions CloudFront needs (lib/images/fallback.ts
 * has what the function does).
 */
import type { StackConfig } from '../config';
import type { PolicyDocument } from '../invalidation/pipeline';
import { FALLBACK_DEFAULTS, type FallbackSettings } from '../images/fallback';
import { connectionSettings, customOriginConfig, IMAGE_FALLBACK_ORIGIN_ID, secondaryOriginShield } from './origins';

/** Lambda settings of the fallback function. */
export const IMAGE_FALLBACK_FUNCTION = Object.freeze({
  runtime: 'nodejs22.x',
  memoryMb: 512,
  timeoutSeconds: 10,
  logRetentionDays: 30,
});

/**
 * Read the two images buckets (GetObject; ListBucket so that a missing key is a 404, not a 403) and
 * write its own log group. Nothing else.
 */
export function imageFallbackPolicy(a: { primaryBucketArn: string; replicaBucketArn: string; logGroupArn: string }): PolicyDocument {
  const buckets = [a.primaryBucketArn, a.replicaBucketArn].sort();
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadImages', Effect: 'Allow', Action: 's3:GetObject', Resource: buckets.map((arn) => `${arn}/*`) },
      { Sid: 'ListImages', Effect: 'Allow', Action: 's3:ListBucket', Resource: buckets },
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${a.logGroupArn}:*` },
    ],
  };
}

/** The settings variable of the function for a stack's bucket names. */
export function imageFallbackSettings(config: StackConfig, primaryBucket: string, replicaBucket: string): FallbackSettings {
  return { primaryBucket, primaryRegion: config.region, replicaBucket, replicaRegion: config.failoverRegion, ...FALLBACK_DEFAULTS };
}

/** `https://abc.lambda-url.us-west-2.on.aws/` → `abc.lambda-url.us-west-2.on.aws` (the origin's domain name). */
export function functionUrlDomain(url: string): string {
  const m = /^https:\/\/([^/]+)\/?$/.exec(url);
  if (!m) throw new Error(`not a function URL: '${url}'`);
  return m[1]!;
}

/**
 * The CloudFront origin of the fallback function URL: HTTPS only, signed by a Lambda Origin Access
 * Control (so only this stack's distributions can invoke it), with the secondaries' shield (near the
 * failover Region) and the connection settings of every origin.
 */
export function imageFallbackOrigin<T>(config: StackConfig, domainName: T, originAccessControlId: T) {
  return {
    originId: IMAGE_FALLBACK_ORIGIN_ID,
    domainName,
    originAccessControlId,
    customOriginConfig: customOriginConfig(config),
    originShield: secondaryOriginShield(config),
    ...connectionSettings(config),
  };
}

/**
 * The two statements a function URL with `AWS_IAM` auth needs per distribution (Lambda's function-URL
 * authorization since October 2025): `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` with
 * `InvokedViaFunctionUrl`, both for the CloudFront service principal and the distribution's ARN only.
 */
export function functionUrlInvokePermissions() {
  return [
    { suffix: 'url', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' as const },
    { suffix: 'invoke', action: 'lambda:InvokeFunction', invokedViaFunctionUrl: true },
  ];
}
