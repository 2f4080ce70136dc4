/**
 * Where viewers are and which edge, regional edge cache and Origin Shield serve them: edge locations
 * per region (the first `edgesPerRegion` of each region's list), countries mapped to their nearest
 * simulated edge, and the price class (spec §13.6) deciding whether a country is served from its own
 * region or from the nearest region the class includes.
 */
import { InputError } from '../../lib/errors';
import { recFor, rttMs } from '../../lib/network';
import { billedGroupForPriceClass, groupsInPriceClass, PRICE_REGION_GROUPS, type PriceRegionGroup } from '../../lib/semantics/pricing';
import { REGIONS, type Region, type WorkloadProfile } from '../profile';

export interface Edge {
  readonly code: string;
  readonly region: Region;
}

export interface Viewer {
  readonly country: string;
  /** The viewers' own region. */
  readonly region: Region;
  /** Region whose edges serve them (differs when the price class excludes their own). */
  readonly servedFrom: Region;
  /** Viewer ↔ edge median RTT, ms. */
  readonly rttMs: number;
  readonly throughputMbps: number;
  /** Price group the traffic is billed at (spec §13.6). */
  readonly billedGroup: PriceRegionGroup;
  /** Edges (indexes into Topology.edges) serving them. */
  readonly edges: readonly number[];
  /** Viewer share at full scale, normalized to sum 1. */
  readonly share: number;
}

export interface Topology {
  readonly edges: readonly Edge[];
  readonly viewers: readonly Viewer[];
  /** Region index of each edge. */
  readonly edgeRegion: Uint8Array;
  readonly regions: readonly Region[];
}

/** The region of each price group's viewers, used to find the nearest region a price class includes. */
const REGION_OF_GROUP: Readonly<Record<PriceRegionGroup, Region>> = { US: 'NA', EU: 'EU', ZA_ME: 'MEA', SA: 'SA', JP: 'AP', AU: 'AP', AP: 'AP', IN: 'AP' };

/**
 * Builds the topology.
 * @throws InputError when an edge count is not a whole number ≥ 1.
 */
export function buildTopology(profile: WorkloadProfile, priceClass: string): Topology {
  const problems: string[] = [];
  const edges: Edge[] = [];
  const activeByRegion = new Map<Region, number[]>();
  for (const region of REGIONS) {
    const n = profile.edgesPerRegion[region];
    const list = profile.regions[region].edges;
    if (!Number.isInteger(n) || n < 1 || n > list.length) {
      problems.push(`edges per region for ${region} must be a whole number from 1 to ${list.length}, got ${n}; pass e.g. --edges ${region}=2.`);
      continue;
    }
    const idx: number[] = [];
    for (const code of list.slice(0, n)) {
      idx.push(edges.length);
      edges.push({ code, region });
    }
    activeByRegion.set(region, idx);
  }
  if (problems.length > 0) throw new InputError(problems);

  const allowed = groupsInPriceClass(priceClass);
  const allowedRegions = new Set(allowed.map((g) => REGION_OF_GROUP[g]));
  const totalShare = profile.countries.reduce((s, c) => s + c.viewerShare, 0);
  const viewers = profile.countries.map((c): Viewer => {
    let servedFrom: Region = c.region;
    let rtt = profile.network.viewerRttMs[c.region];
    if (!allowed.includes(c.priceGroup)) {
      // Nearest region the price class includes, by the round trip between the regional edge caches
      // of the country's own edge and of that region's main edge (lib/network.ts).
      const home = recFor(c.edges[0] ?? '', c.region).rec;
      const away = (region: Region) => rttMs(home, recFor(edges[activeByRegion.get(region)![0]!]!.code, region).rec);
      servedFrom = [...allowedRegions].sort((a, b) => away(a) - away(b))[0]!;
      rtt += away(servedFrom);
    }
    const active = activeByRegion.get(servedFrom)!;
    const own = servedFrom === c.region ? active.filter((i) => c.edges.includes(edges[i]!.code)) : [];
    return {
      country: c.code,
      region: c.region,
      servedFrom,
      rttMs: rtt,
      throughputMbps: profile.regions[c.region].viewerMbps,
      billedGroup: billedGroupForPriceClass(c.priceGroup, priceClass),
      // A country without a simulated edge of its own goes to its region's main (first) edge.
      edges: own.length > 0 ? own : [active[0]!],
      share: c.viewerShare / totalShare,
    };
  });
  return { edges, viewers, edgeRegion: Uint8Array.from(edges.map((e) => REGIONS.indexOf(e.region))), regions: REGIONS };
}

export const PRICE_GROUP_INDEX: Readonly<Record<PriceRegionGroup, number>> = Object.fromEntries(PRICE_REGION_GROUPS.map((g, i) => [g, i])) as Record<PriceRegionGroup, number>;
