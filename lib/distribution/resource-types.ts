/**
 * The Pulumi type tokens of the CloudFront resources the program creates, written once. The plan
 * (lib/plan.ts), the distribution model, the policies' resource lists, the explicit-name rules
 * (lib/aws-names.ts) and the plan's mocks (plan/mocks.ts) carry these in `type`.
 */
export const CLOUDFRONT_TYPES = Object.freeze({
  distribution: 'aws:cloudfront/distribution:Distribution',
  cachePolicy: 'aws:cloudfront/cachePolicy:CachePolicy',
  originRequestPolicy: 'aws:cloudfront/originRequestPolicy:OriginRequestPolicy',
  responseHeadersPolicy: 'aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy',
  keyGroup: 'aws:cloudfront/keyGroup:KeyGroup',
  publicKey: 'aws:cloudfront/publicKey:PublicKey',
  function: 'aws:cloudfront/function:Function',
  keyValueStore: 'aws:cloudfront/keyValueStore:KeyValueStore',
  originAccessControl: 'aws:cloudfront/originAccessControl:OriginAccessControl',
  continuousDeploymentPolicy: 'aws:cloudfront/continuousDeploymentPolicy:ContinuousDeploymentPolicy',
  monitoringSubscription: 'aws:cloudfront/monitoringSubscription:MonitoringSubscription',
} as const);

export type CloudFrontResourceType = (typeof CLOUDFRONT_TYPES)[keyof typeof CLOUDFRONT_TYPES];
