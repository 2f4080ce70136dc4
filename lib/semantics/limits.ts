/**
 * CloudFront quotas (spec §15.1, current quota table; defaults, many adjustable through Service
 * Quotas). Every value is a default that a caller may override with a raised quota.
 *
 * Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html
 */

/**
 * Kilobyte used for the quota table's KB/MB sizes (functions, KVS, Lambda@Edge). The table does not
 * say whether KB means 1,000 or 1,024 bytes; 1,024 is assumed [unverified].
 */
const KB = 1024;
/** Bytes in one GB as CloudFront states object-size quotas (spec §0: GB = 2^30 bytes). */
const GIB = 2 ** 30;

/**
 * CloudFront quotas as named values (spec §15.1; §1.3 for behaviours, §5.2 for cache-policy limits,
 * §8.4 for invalidations, §10.2 for key groups). The 2023 values that changed are noted per field.
 */
export const CLOUDFRONT_LIMITS = Object.freeze({
  /** Data transfer rate per distribution, Gbps (not for flat-rate plans). spec §15.1 */
  maxTransferRateGbps: 150,
  /** Requests per second per distribution (not for flat-rate plans). spec §15.1 */
  maxRequestsPerSecond: 250_000,
  /** Request line + headers (and origin response headers), bytes; larger ⇒ 413. spec §3.5, §15.1 */
  maxRequestHeaderBytes: 20_480,
  /** URL length, bytes; longer ⇒ 413. spec §3.5, §15.1 */
  maxUrlBytes: 8_192,
  /** Tags per distribution. spec §15.1 */
  maxTagsPerDistribution: 50,
  /** Distributions per account (was 200). spec §15.1 */
  maxDistributionsPerAccount: 500,
  /** Staging distributions per account. spec §15.1 */
  maxStagingDistributionsPerAccount: 20,
  /** Alternate domain names (CNAMEs) per distribution. spec §15.1 */
  maxAlternateDomainNames: 100,
  /** Cache behaviours per distribution, excluding the default (was 25). spec §1.3, §15.1 */
  maxCacheBehaviors: 75,
  /** Origins per distribution (was 25). spec §15.1 */
  maxOrigins: 100,
  /** Origin groups per distribution. spec §9.2, §15.1 */
  maxOriginGroups: 10,
  /** Members of an origin group (primary + secondary, exactly). spec §9.2 */
  originGroupMembers: 2,
  /** Distributions that may be chained in front of an origin (beyond ⇒ 403). spec §3.5, §15.1 */
  maxDistributionChain: 2,
  /** Maximum cacheable GET response, bytes (50 GB; was 30 GB in 2023). spec §7, §15.1 */
  maxCacheableBytes: 50 * GIB,
  /** The 2023 value of maxCacheableBytes, for simulations of older behaviour. spec §7 */
  maxCacheableBytes2023: 30 * GIB,
  /** Maximum request body, bytes (64 GB). spec §7, §15.1 */
  maxRequestBodyBytes: 64 * GIB,
  /** Origin access controls per account. spec §15.1 */
  maxOriginAccessControls: 100,
  /** Origin access identities per account. spec §15.1 */
  maxOriginAccessIdentities: 100,
  /** Custom cache policies per account. spec §5.2, §15.1 */
  customCachePoliciesPerAccount: 20,
  /** Custom origin request policies per account. spec §5.4, §15.1 */
  customOriginRequestPolicies: 20,
  /** Custom response headers policies per account. spec §15.1 */
  responseHeadersPolicies: 20,
  /** Distributions that may use one policy. spec §5.2, §15.1 */
  distributionsPerPolicy: 100,
  /** Headers per cache policy / origin request policy. spec §5.2, §15.1 */
  maxHeadersPerPolicy: 10,
  /** Cookies per cache policy / origin request policy. spec §5.2, §15.1 */
  maxCookiesPerPolicy: 10,
  /** Query strings per cache policy / origin request policy. spec §5.2, §15.1 */
  maxQueryStringsPerPolicy: 10,
  /** Total characters of all header, cookie and query-string names in one policy. spec §5.2, §15.1 */
  maxPolicyNamesTotalChars: 1_024,
  /** Custom headers CloudFront adds to origin requests, per origin (was 10). spec §15.1 */
  maxCustomOriginHeaders: 30,
  /** Path pattern length, characters. spec §1.2 */
  maxPathPatternLength: 255,
  /** CloudFront Functions per account. spec §15.1 */
  functionsPerAccount: 100,
  /** CloudFront Function code size, bytes (10 KB). spec §15.1 */
  functionMaxBytes: 10 * KB,
  /** CloudFront Function memory, bytes (2 MB). spec §15.1 */
  functionMaxMemoryBytes: 2 * KB * KB,
  /** KeyValueStore key size, bytes. spec §15.1 */
  kvsMaxKeyBytes: 512,
  /** KeyValueStore value size, bytes (1 KB). spec §15.1 */
  kvsMaxValueBytes: KB,
  /** KeyValueStore total size, bytes (5 MB). spec §15.1 */
  kvsMaxStoreBytes: 5 * KB * KB,
  /** KeyValueStores per account. spec §15.1 */
  kvsStoresPerAccount: 50,
  /**
   * Keys (puts plus deletes) per UpdateKeys request, and its payload, bytes (3 MB). Not in the spec:
   * "a default quota of 50 keys or a 3 MB payload, whichever is reached first" [3p: Terraform/Pulumi
   * aws_cloudfrontkeyvaluestore_keys_exclusive `max_batch_size`].
   */
  kvsUpdateKeysMaxItems: 50,
  kvsUpdateKeysMaxPayloadBytes: 3 * KB * KB,
  /** Items per ListKeys page (MaxResults: default 10, maximum 50). [doc: API_kvs_ListKeys] */
  kvsListKeysMaxResults: 50,
  /** Distributions with Lambda@Edge functions per account. spec §15.1 */
  lambdaEdgeDistributions: 500,
  /** Lambda@Edge functions per distribution. spec §15.1 */
  lambdaEdgeFunctionsPerDistribution: 100,
  /** Lambda@Edge requests per second per Region. spec §15.1 */
  lambdaEdgeRpsPerRegion: 10_000,
  /** Lambda@Edge concurrent executions per Region. spec §15.1 */
  lambdaEdgeConcurrencyPerRegion: 1_000,
  /** Lambda@Edge generated response size for viewer events, bytes (40 KB). spec §15.1 */
  lambdaEdgeViewerResponseBytes: 40 * KB,
  /** Lambda@Edge generated response size for origin events, bytes (1 MB). spec §15.1 */
  lambdaEdgeOriginResponseBytes: KB * KB,
  /** Invalidation paths in progress per distribution (non-wildcard). spec §8.4, §15.1 */
  maxInvalidationPathsInProgress: 3_000,
  /** Wildcard invalidation paths in progress per distribution. spec §8.4, §15.1 */
  maxInvalidationWildcardsInProgress: 15,
  /** Public keys per key group. spec §10.2, §15.1 */
  keysPerKeyGroup: 5,
  /** Key groups per cache behaviour. spec §10.2, §15.1 */
  keyGroupsPerBehavior: 4,
  /** Key groups per account. spec §10.2, §15.1 */
  keyGroupsPerAccount: 10,
  /** Distributions per key group. spec §10.2 */
  distributionsPerKeyGroup: 100,
  /** Dedicated-IP SSL certificates per account. spec §15.1 */
  dedicatedIpCertificatesPerAccount: 2,
  /** Certificates per distribution. spec §15.1 */
  certificatesPerDistribution: 1,
  /** Real-time log configurations per account. spec §15.1 */
  realtimeLogConfigsPerAccount: 150,
  /** WebSocket idle timeout, seconds (10 min). spec §9.1, §15.1 */
  webSocketIdleTimeoutSeconds: 600,
} as const);

/** The type of {@link CLOUDFRONT_LIMITS}; callers may build a variant with raised quotas. spec §15.1 */
export type CloudFrontLimits = { readonly [K in keyof typeof CLOUDFRONT_LIMITS]: number };
