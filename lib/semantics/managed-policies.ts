/**
 * AWS managed cache policies and origin request policies (spec §5.6, §5.7), as named constants
 * instead of magic IDs.
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html ,
 * https://docs.aws.amazon.com/amplify/latest/userguide/cache-configuration-type.html
 */
import type { CacheKeyPolicy } from './cache-key';
import type { TtlPolicy } from './ttl';

/** Names of the managed cache policies modelled here (spec §5.6). */
export type ManagedCachePolicyName =
  | 'CachingOptimized'
  | 'CachingOptimizedForUncompressedObjects'
  | 'CachingDisabled'
  | 'Elemental-MediaPackage'
  | 'UseOriginCacheControlHeaders'
  | 'UseOriginCacheControlHeaders-QueryStrings'
  | 'Amplify';

/** A managed cache policy: ID, TTL triple and key contents (spec §5.6). */
export interface ManagedCachePolicy extends TtlPolicy {
  /** The policy ID used by the API / IaC. */
  readonly id: string;
  /** The managed policy name. */
  readonly name: ManagedCachePolicyName;
  /** What the policy puts in the cache key. */
  readonly key: CacheKeyPolicy;
}

const NONE = Object.freeze({ behavior: 'none' as const });
const ALL = Object.freeze({ behavior: 'all' as const });

function policy(p: ManagedCachePolicy): ManagedCachePolicy {
  return Object.freeze({ ...p, key: Object.freeze({ ...p.key, headers: Object.freeze([...p.key.headers]) }) });
}

/**
 * The managed cache policies keyed by name (spec §5.6). Note the traps the spec calls out:
 * CachingOptimized has MinTTL = 1, so `private`/`no-store` responses are cached for 1 s and
 * header-less ones for 24 h; the UseOriginCacheControlHeaders pair has DefaultTTL = 0, so responses
 * without Cache-Control/Expires are not cached; CachingDisabled (0/0/0) caches nothing.
 */
export const MANAGED_CACHE_POLICIES: Readonly<Record<ManagedCachePolicyName, ManagedCachePolicy>> = Object.freeze({
  CachingOptimized: policy({
    id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    name: 'CachingOptimized',
    minTtl: 1,
    defaultTtl: 86_400,
    maxTtl: 31_536_000,
    key: { headers: [], cookies: NONE, queryStrings: NONE, enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: true },
  }),
  CachingOptimizedForUncompressedObjects: policy({
    id: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
    name: 'CachingOptimizedForUncompressedObjects',
    minTtl: 1,
    defaultTtl: 86_400,
    maxTtl: 31_536_000,
    key: { headers: [], cookies: NONE, queryStrings: NONE, enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false },
  }),
  CachingDisabled: policy({
    id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    name: 'CachingDisabled',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 0,
    key: { headers: [], cookies: NONE, queryStrings: NONE, enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false },
  }),
  'Elemental-MediaPackage': policy({
    id: '08627262-05a9-4f76-9ded-b50ca2e3a84f',
    name: 'Elemental-MediaPackage',
    minTtl: 0,
    defaultTtl: 86_400,
    maxTtl: 31_536_000,
    key: {
      headers: ['Origin'],
      cookies: NONE,
      queryStrings: { behavior: 'whitelist', names: Object.freeze(['aws.manifestfilter', 'start', 'end', 'm']) },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: false,
    },
  }),
  UseOriginCacheControlHeaders: policy({
    id: '83da9c7e-98b4-4e11-a168-04f0df8e2c65',
    name: 'UseOriginCacheControlHeaders',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 31_536_000,
    key: {
      headers: ['Host', 'Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'],
      cookies: ALL,
      queryStrings: NONE,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  }),
  'UseOriginCacheControlHeaders-QueryStrings': policy({
    id: '4cc15a8a-d715-48a4-82b8-cc0b614638fe',
    name: 'UseOriginCacheControlHeaders-QueryStrings',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 31_536_000,
    key: {
      headers: ['Host', 'Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'],
      cookies: ALL,
      queryStrings: ALL,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  }),
  Amplify: policy({
    id: '2e54312d-136d-493c-8eb9-b001f22f67d2',
    name: 'Amplify',
    minTtl: 2,
    defaultTtl: 2,
    maxTtl: 600,
    key: {
      headers: ['Authorization', 'CloudFront-Viewer-Country', 'Host'],
      cookies: ALL,
      queryStrings: ALL,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  }),
});

/**
 * Managed cache policies used only by Amplify Hosting (spec §5.6; AWS advises not to attach them
 * yourself). Only IDs and TTLs are given by the spec (all 0 / 0 / 31,536,000); key contents are not
 * modelled.
 */
export const AMPLIFY_HOSTING_CACHE_POLICIES: readonly (TtlPolicy & { readonly id: string; readonly name: string })[] = Object.freeze(
  [
    ['Amplify-Default', '4d1d2f1d-3a71-49ad-9e08-7ea5d843a556'],
    ['Amplify-DefaultNoCookies', 'a6bad946-36c3-4c33-aa98-362c74a7fb13'],
    ['Amplify-ImageOptimization', '1c6db51a-a33f-469a-8245-dae26771f530'],
    ['Amplify-StaticContent', '7e5fad67-ee98-4ad0-b05a-394999eefc1a'],
  ].map(([name, id]) => Object.freeze({ name: name!, id: id!, minTtl: 0, defaultTtl: 0, maxTtl: 31_536_000 })),
);

const CACHE_BY_ID: ReadonlyMap<string, ManagedCachePolicy> = new Map(
  Object.values(MANAGED_CACHE_POLICIES).map((p) => [p.id, p] as const),
);

/** Looks up a managed cache policy by ID (spec §5.6); `undefined` for custom or unknown IDs. Case-insensitive. */
export function managedCachePolicyById(id: string): ManagedCachePolicy | undefined {
  return CACHE_BY_ID.get(id.toLowerCase());
}

/** Names of the managed origin request policies (spec §5.7). */
export type ManagedOriginRequestPolicyName =
  | 'AllViewer'
  | 'AllViewerExceptHostHeader'
  | 'AllViewerAndCloudFrontHeaders-2022-06'
  | 'CORS-S3Origin'
  | 'CORS-CustomOrigin'
  | 'Elemental-MediaTailor-PersonalizedManifests'
  | 'HostHeaderOnly'
  | 'UserAgentRefererHeaders';

/** What an origin request policy adds to origin requests (spec §5.4 enums). */
export interface OriginRequestForwarding {
  readonly headers: {
    readonly behavior: 'none' | 'whitelist' | 'allViewer' | 'allViewerAndWhitelistCloudFront' | 'allExcept';
    readonly names?: readonly string[];
  };
  readonly cookies: { readonly behavior: 'none' | 'whitelist' | 'all' | 'allExcept'; readonly names?: readonly string[] };
  readonly queryStrings: { readonly behavior: 'none' | 'whitelist' | 'all' | 'allExcept'; readonly names?: readonly string[] };
}

/** A managed origin request policy (spec §5.7). */
export interface ManagedOriginRequestPolicy {
  /** The policy ID. */
  readonly id: string;
  /** The managed policy name. */
  readonly name: ManagedOriginRequestPolicyName;
  /** Confidence of the ID as tagged by the spec: current docs, 2023 docs, or IaC code only. */
  readonly idSource: 'doc' | 'doc-2023' | '3p';
  /**
   * With an S3 origin, this managed policy does not forward the `response-content-type`,
   * `response-content-disposition` and `response-content-encoding` query parameters (spec §5.7).
   */
  readonly s3DropsResponseOverrideParams: boolean;
  /**
   * What it forwards, where known. Only AllViewer's settings are confirmed by the docs quoted for
   * the spec; the others follow the policy names and the AWS managed-policy page and are
   * [unverified] here. Absent when not modelled.
   */
  readonly forwards?: OriginRequestForwarding;
}

/** S3 query parameters the "all viewer" managed ORPs do not forward to S3 origins (spec §5.7). */
export const S3_RESPONSE_OVERRIDE_PARAMS: readonly string[] = Object.freeze([
  'response-content-type',
  'response-content-disposition',
  'response-content-encoding',
]);

const ORP_NONE = { behavior: 'none' as const };
const ORP_ALL = { behavior: 'all' as const };

/** The managed origin request policies keyed by name (spec §5.7). */
export const MANAGED_ORIGIN_REQUEST_POLICIES: Readonly<Record<ManagedOriginRequestPolicyName, ManagedOriginRequestPolicy>> =
  Object.freeze({
    AllViewer: {
      id: '216adef6-5c7f-47e4-b989-5492eafa07d3',
      name: 'AllViewer',
      idSource: 'doc',
      s3DropsResponseOverrideParams: true,
      forwards: { headers: { behavior: 'allViewer' }, cookies: ORP_ALL, queryStrings: ORP_ALL },
    },
    AllViewerExceptHostHeader: {
      id: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      name: 'AllViewerExceptHostHeader',
      idSource: 'doc-2023',
      s3DropsResponseOverrideParams: true,
      forwards: { headers: { behavior: 'allExcept', names: ['Host'] }, cookies: ORP_ALL, queryStrings: ORP_ALL },
    },
    'AllViewerAndCloudFrontHeaders-2022-06': {
      id: '33f36d7e-f396-46d9-90e0-52428a34d9dc',
      name: 'AllViewerAndCloudFrontHeaders-2022-06',
      idSource: 'doc',
      s3DropsResponseOverrideParams: true,
      forwards: { headers: { behavior: 'allViewerAndWhitelistCloudFront' }, cookies: ORP_ALL, queryStrings: ORP_ALL },
    },
    'CORS-S3Origin': {
      id: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
      name: 'CORS-S3Origin',
      idSource: 'doc-2023',
      s3DropsResponseOverrideParams: false,
      forwards: {
        headers: { behavior: 'whitelist', names: ['Origin', 'Access-Control-Request-Headers', 'Access-Control-Request-Method'] },
        cookies: ORP_NONE,
        queryStrings: ORP_NONE,
      },
    },
    'CORS-CustomOrigin': {
      id: '59781a5b-3903-41f3-afcb-af62929ccde1',
      name: 'CORS-CustomOrigin',
      idSource: 'doc-2023',
      s3DropsResponseOverrideParams: false,
      forwards: { headers: { behavior: 'whitelist', names: ['Origin'] }, cookies: ORP_NONE, queryStrings: ORP_NONE },
    },
    'Elemental-MediaTailor-PersonalizedManifests': {
      id: '775133bc-15f2-49f9-abea-afb2e0bf67d2',
      name: 'Elemental-MediaTailor-PersonalizedManifests',
      idSource: 'doc-2023',
      s3DropsResponseOverrideParams: true,
    },
    HostHeaderOnly: {
      id: 'bf0718e1-ba1e-49d1-88b1-f726733018ae',
      name: 'HostHeaderOnly',
      idSource: '3p',
      s3DropsResponseOverrideParams: false,
      forwards: { headers: { behavior: 'whitelist', names: ['Host'] }, cookies: ORP_NONE, queryStrings: ORP_NONE },
    },
    UserAgentRefererHeaders: {
      id: 'acba4595-bd28-49b8-b9fe-13317c0390fa',
      name: 'UserAgentRefererHeaders',
      idSource: 'doc-2023',
      s3DropsResponseOverrideParams: false,
      forwards: { headers: { behavior: 'whitelist', names: ['User-Agent', 'Referer'] }, cookies: ORP_NONE, queryStrings: ORP_NONE },
    },
  });

const ORP_BY_ID: ReadonlyMap<string, ManagedOriginRequestPolicy> = new Map(
  Object.values(MANAGED_ORIGIN_REQUEST_POLICIES).map((p) => [p.id, p] as const),
);

/** Looks up a managed origin request policy by ID (spec §5.7); `undefined` for custom or unknown IDs. Case-insensitive. */
export function managedOriginRequestPolicyById(id: string): ManagedOriginRequestPolicy | undefined {
  return ORP_BY_ID.get(id.toLowerCase());
}
