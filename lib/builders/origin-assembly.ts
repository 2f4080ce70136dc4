/**
 * The distribution's origins and origin groups as plain data: each S3 origin's primary bucket, its
 * replica in the failover Region and its copies in `originRegions`; the images fallback origin; the
 * metadata and API origins with their regional copies. Generic over `R`, the type of a reference to a
 * created resource (a Pulumi Output in the component, a string in tests), so `MediaCdn` only registers.
 *
 * Every S3 origin is signed by the one Origin Access Control and goes through Origin Shield in (or
 * nearest to) its own Region (spec §9.4); the origin groups fail the behaviors' targets over to the
 * failover Region (spec §9.2). Regional origins are not behavior targets: the viewer-request function
 * selects them (origin-select-function.ts).
 */
import { CUSTOM_ORIGINS, S3_ORIGINS, type OriginName } from '../catalog';
import type { StackConfig } from '../config';
import { extraRegionsOf } from '../routing/origin-routing';
import { imageFallbackOrigin } from './image-fallback';
import { originSecretHeaders } from './origin-verification';
import {
  connectionSettings, customOriginConfig, customOriginDomain, customSecondaryOriginId, failoverStatusCodes, originGroupId, originShield,
  primaryOriginId, regionalOriginId, regionalOriginShield, secondaryMemberId, secondaryOriginId, secondaryOriginShield, type CustomOriginRegionsConfig,
} from './origins';

/** References to the created origin resources. */
export interface OriginResources<R> {
  /** Regional domain names (`bucketRegionalDomainName`) of each S3 origin's buckets. */
  readonly buckets: Readonly<Record<string, { readonly primary: R; readonly secondary: R; readonly regional: ReadonlyMap<string, R> }>>;
  readonly originAccessControlId: R;
  readonly imageFallback: { readonly domainName: R; readonly originAccessControlId: R };
  /** The secret header the custom origins require (origin-verification.ts); none when undefined. */
  readonly originSecretHeader?: { readonly name: string; readonly value: R };
}

/** One entry of the distribution's `origins` (the fields this project sets). */
export interface OriginArgs<R> {
  readonly originId: string;
  readonly domainName: R | string;
  readonly originAccessControlId?: R;
  readonly customOriginConfig?: ReturnType<typeof customOriginConfig>;
  readonly customHeaders?: { name: string; value: R }[];
  readonly originShield?: { enabled: boolean; originShieldRegion: string };
  readonly connectionAttempts: number;
  readonly connectionTimeout: number;
}

export interface OriginGroupArgs {
  readonly originId: string;
  readonly failoverCriteria: { statusCodes: number[] };
  readonly members: { originId: string }[];
}

/** Domain of a dynamic origin in `region` (the primary's for aws:region). */
export function dynamicOriginDomain(config: StackConfig, origin: OriginName, region: string): string {
  if (region === config.region) return customOriginDomain(config, origin);
  const map = origin === 'metadata' ? config.metadataOriginDomains : config.apiOriginDomains;
  const domain = map[region];
  if (domain === undefined) throw new Error(`no ${origin} origin configured in ${region}`);
  return domain;
}

/** The distribution's origins: S3 (primary, replica, regional copies), the images fallback, then custom ones. */
export function buildOrigins<R>(config: StackConfig, res: OriginResources<R>): OriginArgs<R>[] {
  const s3 = S3_ORIGINS.flatMap((origin) => {
    const connection = connectionSettings(config, origin);
    const b = res.buckets[origin];
    if (!b) throw new Error(`no buckets given for the S3 origin '${origin}'`);
    const s3Origin = (originId: string, domainName: R, shield: { enabled: boolean; originShieldRegion: string } | undefined): OriginArgs<R> => ({
      originId, domainName, originAccessControlId: res.originAccessControlId, ...(shield ? { originShield: shield } : {}), ...connection,
    });
    return [
      s3Origin(primaryOriginId(origin), b.primary, originShield(config)),
      // The images replica is read by the fallback origin, not by CloudFront (secondaryMemberId).
      ...(secondaryMemberId(origin) === secondaryOriginId(origin) ? [s3Origin(secondaryOriginId(origin), b.secondary, secondaryOriginShield(config))] : []),
      ...extraRegionsOf(config, origin).map((region) => {
        const domain = b.regional.get(region);
        if (domain === undefined) throw new Error(`no ${origin} bucket given for ${region}`);
        return s3Origin(regionalOriginId(origin, region), domain, regionalOriginShield(region));
      }),
    ];
  });
  const fallback = imageFallbackOrigin(config, res.imageFallback.domainName, res.imageFallback.originAccessControlId);
  // Every custom origin, regional copies included, gets the secret header that proves CloudFront sent the request.
  const secret = res.originSecretHeader ? { customHeaders: originSecretHeaders(res.originSecretHeader.name, res.originSecretHeader.value) } : {};
  const custom = CUSTOM_ORIGINS.flatMap((origin): OriginArgs<R>[] => {
    const connection = connectionSettings(config, origin);
    const originConfig = customOriginConfig(config, origin);
    const primary: OriginArgs<R> = {
      originId: primaryOriginId(origin), domainName: customOriginDomain(config, origin), customOriginConfig: originConfig, ...secret, originShield: originShield(config), ...connection,
    };
    return [primary, ...extraRegionsOf(config, origin).map((region) => {
      const shield = regionalOriginShield(region);
      return {
        originId: regionalOriginId(origin, region),
        domainName: dynamicOriginDomain(config, origin, region),
        customOriginConfig: originConfig,
        ...secret,
        ...(shield ? { originShield: shield } : {}),
        ...connection,
      };
    })];
  });
  return [...s3, fallback, ...custom];
}

/**
 * The origin groups (spec §9.2), primary first: one per S3 origin, with the failover Region's member;
 * one per custom origin that has a copy in another Region, with that copy (the failover Region's when
 * there is one: origins.ts `customSecondaryRegion`). The GET/HEAD/OPTIONS behaviors of the origin
 * target the group; the copies' own groups (copy first, then the primary) are created per request by
 * the viewer-request function (lib/routing).
 */
export function buildOriginGroups(config: CustomOriginRegionsConfig): OriginGroupArgs[] {
  const group = (origin: OriginName, secondary: string): OriginGroupArgs => ({
    originId: originGroupId(origin),
    failoverCriteria: { statusCodes: failoverStatusCodes(origin) },
    members: [{ originId: primaryOriginId(origin) }, { originId: secondary }],
  });
  return [
    ...S3_ORIGINS.map((origin) => group(origin, secondaryMemberId(origin))),
    ...CUSTOM_ORIGINS.flatMap((origin) => {
      const secondary = customSecondaryOriginId(config, origin);
      return secondary === undefined ? [] : [group(origin, secondary)];
    }),
  ];
}
