/**
 * Origin ids, origin groups and origin connection settings, as plain data (spec §9).
 */
import { CUSTOM_ORIGINS, S3_ORIGINS, type AllowedMethods, type OriginName } from '../catalog';
import type { StackConfig } from '../config';
import { ORIGIN_SHIELD_REGIONS } from '../config/schema';

/** Id of the primary origin (the S3 bucket in the stack's Region, or the custom origin). */
export function primaryOriginId(origin: OriginName): string {
  return S3_ORIGINS.includes(origin) ? `${origin}-primary` : origin;
}

/** Id of the secondary S3 origin in the failover Region. */
export function secondaryOriginId(origin: OriginName): string {
  return `${origin}-secondary`;
}

/** Id of an origin's copy in another Region (`originRegions`, or the regional metadata/API domains). */
export function regionalOriginId(origin: OriginName, region: string): string {
  return `${origin}-${region}`;
}

/** The origin and Region of a regional origin id (`video-eu-central-1`); `undefined` for any other id. */
export function parseRegionalOriginId(id: string): { origin: OriginName; region: string } | undefined {
  const m = /^(video|images|static|metadata|api)-([a-z]{2}(?:-gov)?-[a-z]+-\d)$/.exec(id);
  return m ? { origin: m[1] as OriginName, region: m[2]! } : undefined;
}

/** Origin id of the images fallback origin (a Lambda function URL; lib/builders/image-fallback.ts). */
export const IMAGE_FALLBACK_ORIGIN_ID = 'images-fallback';

/**
 * The origin group's secondary member: the replica bucket for video and static; for images the
 * fallback origin, which reads the replica itself and also serves the original of a missing variant.
 */
export function secondaryMemberId(origin: OriginName): string {
  return origin === 'images' ? IMAGE_FALLBACK_ORIGIN_ID : secondaryOriginId(origin);
}

/** Id of the origin group that fails an origin over to its secondary. */
export function originGroupId(origin: OriginName): string {
  return `${origin}-group`;
}

/** The config keys that say which custom origins have a copy in another Region. */
export type CustomOriginRegionsConfig = Pick<StackConfig, 'failoverRegion' | 'metadataOriginDomains' | 'apiOriginDomains'>;

/**
 * The Region of a custom origin's group secondary: its copy in `failoverRegion` when it has one (the
 * Region the S3 secondaries live in), else its first copy in `metadataOriginDomains` /
 * `apiOriginDomains`; `undefined` for an origin with no copy in another Region (no group: one origin).
 */
export function customSecondaryRegion(config: CustomOriginRegionsConfig, origin: OriginName): string | undefined {
  if (origin !== 'metadata' && origin !== 'api') return undefined;
  const regions = Object.keys(origin === 'metadata' ? config.metadataOriginDomains : config.apiOriginDomains);
  return regions.includes(config.failoverRegion) ? config.failoverRegion : regions[0];
}

/** The secondary member of a custom origin's group (its copy in {@link customSecondaryRegion}); `undefined` without one. */
export function customSecondaryOriginId(config: CustomOriginRegionsConfig, origin: OriginName): string | undefined {
  const region = customSecondaryRegion(config, origin);
  return region === undefined ? undefined : regionalOriginId(origin, region);
}

/**
 * Whether a behavior with these allowed methods may target an origin group: CloudFront fails over
 * GET, HEAD and OPTIONS only (spec §9.2) and accepts origin groups only on behaviors that allow no
 * other method, so a behavior that proxies writes (`ALL`) targets the primary origin itself.
 */
export function groupTargetable(allowedMethods: AllowedMethods): boolean {
  return allowedMethods !== 'ALL';
}

/**
 * What a cache behavior targets: the origin's group when it has one (every S3 origin; a custom origin
 * in `grouped`, the custom origins with a copy in another Region) and the behavior allows only
 * GET/HEAD/OPTIONS; else the origin itself.
 */
export function behaviorTargetId(route: { readonly origin: OriginName; readonly allowedMethods: AllowedMethods }, grouped: ReadonlySet<OriginName> = NO_CUSTOM_GROUPS): string {
  if (S3_ORIGINS.includes(route.origin)) return originGroupId(route.origin);
  return grouped.has(route.origin) && groupTargetable(route.allowedMethods) ? originGroupId(route.origin) : primaryOriginId(route.origin);
}

const NO_CUSTOM_GROUPS: ReadonlySet<OriginName> = new Set();

/** The custom origins that have an origin group (a copy in another Region). */
export function groupedCustomOrigins(config: CustomOriginRegionsConfig): ReadonlySet<OriginName> {
  return new Set(CUSTOM_ORIGINS.filter((o) => customSecondaryRegion(config, o) !== undefined));
}

/**
 * Primary statuses that make CloudFront retry the secondary (spec §9.2). The images origin also fails
 * over on 403/404 (S3 answers 403 for a missing key when the reader may not list the bucket) so that
 * the fallback origin serves the original of a missing variant.
 */
export function failoverStatusCodes(origin: OriginName): number[] {
  return origin === 'images' ? [403, 404, 500, 502, 503, 504] : [500, 502, 503, 504];
}

export function isS3Origin(origin: OriginName): boolean {
  return S3_ORIGINS.includes(origin);
}

export { S3_ORIGINS, CUSTOM_ORIGINS };

/**
 * `customOriginConfig` of the metadata and API origins (and the images fallback): HTTPS only, TLS 1.2,
 * timeouts from config, `originTimeouts.<origin>.readTimeoutSeconds` over `originReadTimeoutSeconds`.
 */
export function customOriginConfig(config: StackConfig, origin?: OriginName) {
  const own = origin === undefined ? undefined : config.originTimeouts[origin];
  return {
    httpPort: 80,
    httpsPort: 443,
    originProtocolPolicy: 'https-only' as const,
    originSslProtocols: ['TLSv1.2'],
    originReadTimeout: own?.readTimeoutSeconds ?? config.originReadTimeoutSeconds,
    originKeepaliveTimeout: config.originKeepaliveTimeoutSeconds,
  };
}

/** Domain of a custom origin from config. */
export function customOriginDomain(config: StackConfig, origin: OriginName): string {
  if (origin === 'metadata') return config.metadataOriginDomain;
  if (origin === 'api') return config.apiOriginDomain;
  throw new Error(`origin '${origin}' is an S3 origin, not a custom one`);
}

/** Origin Shield settings of the primary origins: `media-cdn:originShieldRegion` (spec §9.4). */
export function originShield(config: StackConfig) {
  return { enabled: true, originShieldRegion: config.originShieldRegion };
}

/** AWS's published choices for Regions that host no Origin Shield (spec §9.4). */
const SHIELD_REGION_FOR: Readonly<Record<string, string>> = { 'us-west-1': 'us-west-2', 'af-south-1': 'eu-west-1', 'me-south-1': 'ap-south-1' };

/** The Origin Shield Region closest to an origin in `region`, when known (spec §9.4). */
export function shieldRegionNear(region: string): string | undefined {
  return (ORIGIN_SHIELD_REGIONS as readonly string[]).includes(region) ? region : SHIELD_REGION_FOR[region];
}

/**
 * Origin Shield of the origin groups' secondary members, which live in the failover Region: a
 * failed-over request goes through the secondary's shield (spec §9.2), so it sits beside the secondary,
 * away from the failed primary Region; `media-cdn:originShieldRegion` when no shield Region is known
 * near the failover Region.
 */
export function secondaryOriginShield(config: StackConfig) {
  return { enabled: true, originShieldRegion: shieldRegionNear(config.failoverRegion) ?? config.originShieldRegion };
}

/**
 * Origin Shield of a regional origin: in its own Region where shields exist, else AWS's published
 * nearest (config validation rejects S3 origin Regions without one); `undefined` for a dynamic origin
 * in a Region with no known shield (it then runs without one).
 */
export function regionalOriginShield(region: string): { enabled: true; originShieldRegion: string } | undefined {
  const shieldRegion = shieldRegionNear(region);
  return shieldRegion ? { enabled: true, originShieldRegion: shieldRegion } : undefined;
}

/**
 * Connection settings of an origin's every copy (spec §9.1): `originTimeouts.<origin>` over the
 * stack-wide `originConnectionAttempts` / `originConnectionTimeoutSeconds` (which alone apply when no
 * origin is named, as for the images fallback).
 */
export function connectionSettings(config: StackConfig, origin?: OriginName) {
  const own = origin === undefined ? undefined : config.originTimeouts[origin];
  return {
    connectionAttempts: own?.connectionAttempts ?? config.originConnectionAttempts,
    connectionTimeout: own?.connectionTimeoutSeconds ?? config.originConnectionTimeoutSeconds,
  };
}
