/**
 * The model of a planned distribution: what the simulator, the local edge, the warmer, the plan
 * summary and the policies read instead of the raw resource properties. Built once by
 * `buildDistributionModel` (build.ts); plain data, no I/O.
 */
import type { ModelCachePolicy } from './cache-policy';
import type { ModelOriginRequestPolicy } from './origin-request-policy';

export type { ModelCachePolicy } from './cache-policy';
export type { ModelOriginRequestPolicy } from './origin-request-policy';

/** A CloudFront Function or Lambda@Edge association of a behavior. */
export interface ModelFunctionAssociation {
  readonly runtime: 'cloudfront-function' | 'lambda-edge';
  /** `viewer-request`, `viewer-response`, `origin-request`, `origin-response`. */
  readonly eventType: string;
  readonly arn: string;
  /** The function name (last part of the ARN). */
  readonly name: string;
}

/**
 * How a request's origin is chosen when it is not simply the behavior's target: reserved for an
 * origin picked per viewer Region by a viewer-request function (regional origins). No plan sets it
 * yet; readers fall back to the target (an origin group's primary) when it is absent.
 */
export interface ModelOriginSelection {
  readonly by: 'viewer-region-function';
  /** The viewer-request function that rewrites the origin. */
  readonly functionName: string;
  /** Origin id per viewer Region (keys as the function uses them); `default` when no Region matches. */
  readonly originIdsByRegion: ReadonlyMap<string, string>;
  readonly defaultOriginId: string;
}

/** One cache behavior; the default behavior has pattern `*` (spec §1.1). */
export interface ModelBehavior {
  readonly pathPattern: string;
  readonly isDefault: boolean;
  readonly targetOriginId: string;
  readonly viewerProtocolPolicy: string;
  readonly allowedMethods: readonly string[];
  readonly cachedMethods: readonly string[];
  readonly compress: boolean;
  readonly cachePolicy: ModelCachePolicy;
  /** The origin request policy, when the behavior has one (spec §5.4, §5.7). */
  readonly originRequestPolicy?: ModelOriginRequestPolicy;
  readonly responseHeadersPolicyId?: string;
  /** Trusted key group ids; non-empty means signed URLs or cookies are required (spec §10.2). */
  readonly trustedKeyGroupIds: readonly string[];
  /** Every function association (CloudFront Functions and Lambda@Edge); each invocation is billed. */
  readonly functions: readonly ModelFunctionAssociation[];
  /** Source of the viewer-request CloudFront Function, when one is associated and its code is known. */
  readonly viewerRequestFunction?: { readonly name: string; readonly code: string };
  /** Per-viewer origin selection; absent = the target (see {@link ModelOriginSelection}). */
  readonly originSelection?: ModelOriginSelection;
}

/** An origin: an S3 bucket (by its domain) or a custom (HTTP) origin. */
export interface ModelOrigin {
  readonly id: string;
  readonly domainName: string;
  readonly kind: 's3' | 'custom';
  /** Bucket name for S3 origins (`<bucket>.s3.<region>.amazonaws.com`). */
  readonly bucket?: string;
  /**
   * AWS Region named in the domain (`.s3.<region>.amazonaws.com`, `.lambda-url.<region>.on.aws`), or for a
   * custom origin's regional copy in its id (`api-us-west-2`); undefined when neither names one.
   */
  readonly awsRegion?: string;
  /** Origin Shield, when enabled (spec §9.4); `awsRegion` undefined when the plan names none. */
  readonly originShield?: { readonly awsRegion?: string };
  /** Connection attempts and timeouts (spec §9.1); CloudFront's defaults where the plan sets none. */
  readonly connection?: OriginConnection;
}

/** An origin's connection settings (spec §9.1). */
export interface OriginConnection {
  readonly attempts: number;
  readonly connectTimeoutSec: number;
  /** Response (read) timeout: first byte and gaps between packets. */
  readonly readTimeoutSec: number;
}

/** CloudFront's defaults: 3 attempts, 10 s to connect, 30 s to read (spec §9.1). */
export const ORIGIN_CONNECTION_DEFAULTS: OriginConnection = { attempts: 3, connectTimeoutSec: 10, readTimeoutSec: 30 };

/** An origin group: primary, secondary and the statuses that fail over (spec §9.2). */
export interface ModelOriginGroup {
  readonly id: string;
  readonly primaryOriginId: string;
  readonly secondaryOriginId: string;
  readonly statusCodes: readonly number[];
}

/** A custom error response (spec §3.4). */
export interface ModelErrorResponse {
  readonly errorCode: number;
  readonly errorCachingMinTtl?: number;
  readonly responseCode?: number;
  readonly responsePagePath?: string;
}

/** A public key of a trusted key group (spec §10.2). */
export interface ModelPublicKey {
  /** The key pair id signers put in `Key-Pair-Id`. */
  readonly id: string;
  readonly pem: string;
}

export interface DistributionModel {
  readonly distributionId: string;
  /** The distribution's own domain (`d….cloudfront.net`): part of every cache key (spec §5.1). */
  readonly domainName: string;
  readonly aliases: readonly string[];
  /** A continuous-deployment staging distribution. */
  readonly staging: boolean;
  readonly priceClass: string;
  /** Ordered behaviors, first match wins (spec §1.2); the default behavior is not in this list. */
  readonly behaviors: readonly ModelBehavior[];
  readonly defaultBehavior: ModelBehavior;
  readonly origins: ReadonlyMap<string, ModelOrigin>;
  readonly originGroups: ReadonlyMap<string, ModelOriginGroup>;
  readonly customErrorResponses: ReadonlyMap<number, ModelErrorResponse>;
  readonly geoRestriction: { readonly type: 'none' | 'whitelist' | 'blacklist'; readonly locations: readonly string[] };
  /** Public keys by key group id. */
  readonly keyGroups: ReadonlyMap<string, readonly ModelPublicKey[]>;
  /** Response header carrying cache tags (`CacheTagConfig.HeaderName`, spec §8.2), lower case; absent when not configured. */
  readonly cacheTagHeader?: string;
  readonly defaultRootObject?: string;
  /** Response headers policies by id (their properties). */
  readonly responseHeadersPolicies: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** The origin a behavior's target resolves to first (the primary of an origin group). */
export function firstOriginOf(model: DistributionModel, targetOriginId: string): ModelOrigin | undefined {
  const g = model.originGroups.get(targetOriginId);
  return model.origins.get(g ? g.primaryOriginId : targetOriginId);
}
