/**
 * The Pulumi type tokens of the CloudFront resources a distribution is read from, written once.
 * The plan (lib/plan.ts), the distribution model and the policies' resource lists carry these in
 * `type`.
 */
export const CLOUDFRONT_TYPES = Object.freeze({
  distribution: 'aws:cloudfront/distribution:Distribution',
  cachePolicy: 'aws:cloudfront/cachePolicy:CachePolicy',
  originRequestPolicy: 'aws:cloudfront/originRequestPolicy:OriginRequestPolicy',
  responseHeadersPolicy: 'aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy',
  keyGroup: 'aws:cloudfront/keyGroup:KeyGroup',
  publicKey: 'aws:cloudfront/publicKey:PublicKey',
  function: 'aws:cloudfront/function:Function',
} as const);

export type CloudFrontResourceType = (typeof CLOUDFRONT_TYPES)[keyof typeof CLOUDFRONT_TYPES];
