/**
 * The parts of resource properties the rules read, as the engine passes them (camelCase, plain
 * JSON): the same shapes as `aws.cloudfront.DistributionArgs` and friends, with every field
 * optional because a rule must cope with any program, not just this one.
 */

export interface ForwardedValuesShape {
  readonly queryString?: boolean;
  readonly queryStringCacheKeys?: readonly string[];
  readonly headers?: readonly string[];
  readonly cookies?: { readonly forward?: string; readonly whitelistedNames?: readonly string[] };
}

export interface BehaviorShape {
  readonly pathPattern?: string;
  readonly targetOriginId?: string;
  readonly viewerProtocolPolicy?: string;
  readonly allowedMethods?: readonly string[];
  readonly compress?: boolean;
  readonly cachePolicyId?: string;
  readonly originRequestPolicyId?: string;
  readonly responseHeadersPolicyId?: string;
  /** Legacy cache settings (spec §5.5). */
  readonly forwardedValues?: ForwardedValuesShape;
  readonly minTtl?: number;
  readonly defaultTtl?: number;
  readonly maxTtl?: number;
  readonly trustedKeyGroups?: readonly string[];
  readonly trustedSigners?: readonly string[];
  readonly fieldLevelEncryptionId?: string;
}

export interface OriginShape {
  readonly originId?: string;
  readonly domainName?: string;
  readonly originAccessControlId?: string;
  readonly s3OriginConfig?: { readonly originAccessIdentity?: string };
  readonly customOriginConfig?: { readonly originProtocolPolicy?: string; readonly originSslProtocols?: readonly string[] };
  readonly originShield?: { readonly enabled?: boolean; readonly originShieldRegion?: string };
}

export interface OriginGroupShape {
  readonly originId?: string;
  readonly members?: readonly { readonly originId?: string }[];
  readonly failoverCriteria?: { readonly statusCodes?: readonly number[] };
}

export interface DistributionShape {
  readonly id?: string;
  readonly arn?: string;
  readonly staging?: boolean;
  readonly aliases?: readonly string[];
  readonly defaultRootObject?: string;
  readonly origins?: readonly OriginShape[];
  readonly originGroups?: readonly OriginGroupShape[];
  readonly defaultCacheBehavior?: BehaviorShape;
  readonly orderedCacheBehaviors?: readonly BehaviorShape[];
  readonly customErrorResponses?: readonly { readonly errorCode?: number; readonly errorCachingMinTtl?: number }[];
  readonly viewerCertificate?: {
    readonly acmCertificateArn?: string;
    readonly iamCertificateId?: string;
    readonly cloudfrontDefaultCertificate?: boolean;
    readonly sslSupportMethod?: string;
    readonly minimumProtocolVersion?: string;
  };
  readonly restrictions?: { readonly geoRestriction?: { readonly restrictionType?: string; readonly locations?: readonly string[] } };
  readonly webAclId?: string;
  readonly loggingConfig?: { readonly bucket?: string };
  readonly tags?: Readonly<Record<string, string>>;
  /** Where CloudFront reads cache tags from (spec §8.2). */
  readonly cacheTagConfig?: { readonly headerName?: string };
}

interface ListConfig {
  readonly items?: readonly string[];
}

/** `aws.cloudfront.CachePolicy` properties. */
export interface CachePolicyShape {
  readonly id?: string;
  readonly name?: string;
  readonly minTtl?: number;
  readonly defaultTtl?: number;
  readonly maxTtl?: number;
  readonly parametersInCacheKeyAndForwardedToOrigin?: {
    readonly enableAcceptEncodingGzip?: boolean;
    readonly enableAcceptEncodingBrotli?: boolean;
    readonly headersConfig?: { readonly headerBehavior?: string; readonly headers?: ListConfig };
    readonly cookiesConfig?: { readonly cookieBehavior?: string; readonly cookies?: ListConfig };
    readonly queryStringsConfig?: { readonly queryStringBehavior?: string; readonly queryStrings?: ListConfig };
  };
}

/** `aws.cloudfront.OriginRequestPolicy` properties. */
export interface OriginRequestPolicyShape {
  readonly id?: string;
  readonly name?: string;
  readonly headersConfig?: { readonly headerBehavior?: string };
  readonly cookiesConfig?: { readonly cookieBehavior?: string };
  readonly queryStringsConfig?: { readonly queryStringBehavior?: string };
}
