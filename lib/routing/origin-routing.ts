/**
 * The one routing rule for regional origins: which origin serves a viewer, given the viewer's country
 * (CloudFront-Viewer-Country) and the Regions an origin exists in. The viewer-request functions
 * (lib/builders/origin-select-function.ts) carry its answers as a generated table, the local edge runs
 * those functions, and the simulator calls it directly, so all three route the same viewer the same way.
 *
 * Rule: the Region with the smallest backbone round trip (lib/network.ts, measured medians) from the
 * viewer's home Region (the Region of the regional edge cache its edges use, viewer-countries.ts); the
 * primary Region (`aws:region`) for an unknown or missing country and on ties. The distance is a
 * parameter so tests can pin it; the three users all take the default. Viewers nearest the primary keep the behavior's own target (the origin group with its
 * failover Region); viewers nearest another Region go to that Region's origin, in an origin group the
 * function creates with the origin's fallback (the primary, or for images the fallback origin) as
 * secondary.
 */
import { S3_ORIGINS, type OriginName } from '../catalog';
import type { StackConfig } from '../config';
import { failoverStatusCodes, primaryOriginId, regionalOriginId, secondaryMemberId } from '../builders/origins';
import { isKnownAwsRegion, rttMs } from '../network';
import { homeRegionOf, VIEWER_COUNTRIES } from './viewer-countries';

/** An origin in one extra Region. */
export interface RegionalOrigin {
  readonly region: string;
  readonly originId: string;
}

/** How one origin (video, images, static, metadata, api) is routed. */
export interface OriginRouting {
  readonly origin: OriginName;
  /** `aws:region`: viewers nearest it keep the behavior's target. */
  readonly primaryRegion: string;
  /** The origin's copies in other Regions, in config order. */
  readonly regional: readonly RegionalOrigin[];
  /** Secondary member of the origin group created for a regional origin. */
  readonly failoverOriginId: string;
  /** Primary statuses that fail a regional request over (spec §9.2). */
  readonly failoverStatusCodes: readonly number[];
}

/** Where one viewer's request goes. */
export type OriginChoice =
  | { readonly region: string; readonly regional: false }
  | {
      readonly region: string;
      readonly regional: true;
      readonly originId: string;
      /** The origin group the function creates: [regional, fallback] (spec §9.2). */
      readonly failover: { readonly originIds: readonly [string, string]; readonly statusCodes: readonly number[] };
    };

/**
 * The Region nearest a viewer country among `regions` (the first is the primary: the answer for an
 * unknown country and on equal distances).
 */
/** How far a viewer's home Region is from an origin Region (smaller is nearer); the median round trip, ms, by default. */
export type RegionDistance = (home: string, region: string) => number;

export const BACKBONE_RTT: RegionDistance = (home, region) => (isKnownAwsRegion(home) && isKnownAwsRegion(region) ? rttMs(home, region) : Number.POSITIVE_INFINITY);

/**
 * The Region nearest a viewer country among `regions` (the first is the primary: the answer for an
 * unknown country and on equal distances).
 */
export function nearestRegion(country: string | undefined, regions: readonly string[], distance: RegionDistance = BACKBONE_RTT): string {
  const primary = regions[0];
  if (primary === undefined) throw new Error('nearestRegion needs at least one Region');
  const home = country === undefined ? undefined : homeRegionOf(country.toUpperCase());
  if (!home) return primary;
  let best = primary;
  let bestMs = Number.POSITIVE_INFINITY;
  for (const r of regions) {
    const ms = distance(home, r);
    if (ms < bestMs) {
      best = r;
      bestMs = ms;
    }
  }
  return best;
}

/** The routing decision for one viewer: the behavior's target, or a regional origin with failover. */
export function selectOrigin(routing: OriginRouting, country: string | undefined): OriginChoice {
  const region = nearestRegion(country, [routing.primaryRegion, ...routing.regional.map((r) => r.region)]);
  const hit = routing.regional.find((r) => r.region === region);
  if (!hit) return { region, regional: false };
  return {
    region,
    regional: true,
    originId: hit.originId,
    failover: { originIds: [hit.originId, routing.failoverOriginId], statusCodes: routing.failoverStatusCodes },
  };
}

/** Countries routed away from the primary, by regional origin id: the table the generated function carries. */
export function countriesByRegionalOrigin(routing: OriginRouting): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>(routing.regional.map((r) => [r.originId, []]));
  for (const c of VIEWER_COUNTRIES) {
    const choice = selectOrigin(routing, c);
    if (choice.regional) out.get(choice.originId)!.push(c);
  }
  return out;
}

/** The config keys routing reads. */
export type RoutingConfig = Pick<StackConfig, 'region' | 'originRegions' | 'metadataOriginDomains' | 'apiOriginDomains'>;

/** Extra Regions of an origin from config: `originRegions` for S3 origins, the domain maps' keys for metadata and API. */
export function extraRegionsOf(config: RoutingConfig, origin: OriginName): readonly string[] {
  if (S3_ORIGINS.includes(origin)) return config.originRegions;
  if (origin === 'metadata') return Object.keys(config.metadataOriginDomains);
  if (origin === 'api') return Object.keys(config.apiOriginDomains);
  return [];
}

/**
 * The secondary of the group a regional copy's request goes through: the primary origin, except for
 * images, which fail over to the fallback origin (it reads the primary and the replica and serves the
 * original of a missing variant).
 */
export function regionalFailoverOriginId(origin: OriginName): string {
  return origin === 'images' ? secondaryMemberId(origin) : primaryOriginId(origin);
}

/** Routing of every origin that has a copy outside the primary Region; empty for a single-Region stack. */
export function planOriginRouting(config: RoutingConfig): ReadonlyMap<OriginName, OriginRouting> {
  const out = new Map<OriginName, OriginRouting>();
  for (const origin of [...S3_ORIGINS, 'metadata', 'api'] as OriginName[]) {
    const extra = extraRegionsOf(config, origin);
    if (extra.length === 0) continue;
    out.set(origin, {
      origin,
      primaryRegion: config.region,
      regional: extra.map((region) => ({ region, originId: regionalOriginId(origin, region) })),
      failoverOriginId: regionalFailoverOriginId(origin),
      failoverStatusCodes: failoverStatusCodes(origin),
    });
  }
  return out;
}
