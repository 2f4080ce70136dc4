/**
 * The best case the model knows for the latency targets: every lever of the search space at its
 * fastest setting, plus what the space holds fixed set as favorably as the model allows. When even
 * this point misses a latency target, no point of the space can meet it, and the tuner says so with
 * the figure instead of only "not found".
 *
 * The fastest setting of each dimension, and why:
 * - TTLs and stale windows: the top of their ladders (the catalog's bounds). A longer freshness
 *   lifetime or stale window never adds a hop to a request: a copy is fresh or served stale where it
 *   would otherwise be revalidated or fetched.
 * - `originRegions`: the top of its ladder (a copy beside every REC the ladder lists): a viewer's
 *   nearest copy is never farther than with fewer copies.
 * - price class: PriceClass_All (every viewer served by an edge in its own region).
 * - Origin Shield Region: kept as configured (each regional copy has its own shield anyway).
 * Held fixed by the space, set favorably here:
 * - the metadata and API services (`metadataOriginDomains`, `apiOriginDomains`): the project does not
 *   deploy them, so the space cannot place them; the best case declares one in every REC Region the
 *   stack does not already name, under reserved `.invalid` names (RFC 2606) that never resolve.
 * - cache sizes: `CAPACITY_MULTIPLIER` times the assumed sizes (simulate.ts DEFAULT_CAPACITY).
 * It is a best case, not a proof: LRU is not strictly monotone in its size, and the seed workload is
 * one sample. The figures are what a reader checks the claim against (`npm run tune -- --json`).
 */
import { isContentTypeName } from '../../lib/catalog';
import { REGIONAL_EDGE_CACHES } from '../../lib/network';
import { REGIONS } from '../profile';
import type { SimulationResult } from '../results';
import type { Evaluation, Settings, TargetOutcome, TuneSpace } from './types';

/** Cache sizes of the best case, as a multiple of the assumed ones. */
export const CAPACITY_MULTIPLIER = 10;

const NS = 'media-cdn:';

/** The reserved domain the best case gives a hypothetical service in a Region (never resolves). */
export function hypotheticalDomain(service: 'metadata' | 'api', region: string): string {
  return `${service}.${region}.best-case.invalid`;
}

function declaredDomains(config: Readonly<Record<string, unknown>>, key: string): Record<string, string> {
  const v = config[`${NS}${key}`];
  return v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, string>) } : {};
}

/**
 * The best-case settings (what-if form, as the search's points) for a space and a stack config.
 * `primaryRegion` is aws:region (it already has every service).
 */
export function bestCaseSettings(space: TuneSpace, config: Readonly<Record<string, unknown>>, primaryRegion: string): Settings {
  const settings: Record<string, unknown> = { ...space.fixed };
  for (const d of space.dimensions) {
    if (d.name === 'originShieldRegion') continue;
    const option = d.name === 'priceClass' ? d.options.find((o) => o.settings.priceClass === 'PriceClass_All') : topOfLadder(d.options);
    Object.assign(settings, (option ?? d.options[d.current]!).settings);
  }
  for (const [service, key] of [['metadata', 'metadataOriginDomains'], ['api', 'apiOriginDomains']] as const) {
    const domains = declaredDomains(config, key);
    for (const rec of REGIONAL_EDGE_CACHES) {
      if (rec.awsRegion !== primaryRegion && domains[rec.awsRegion] === undefined) domains[rec.awsRegion] = hypotheticalDomain(service, rec.awsRegion);
    }
    settings[key] = domains;
  }
  return settings;
}

/** The top of a ladder: options other than an appended 'as configured' one, last first. */
function topOfLadder<T extends { label: string }>(options: readonly T[]): T | undefined {
  const ladder = options.filter((o) => !o.label.startsWith('as configured'));
  return ladder[ladder.length - 1];
}

/** Latency targets the best case misses: no point of the space meets them. */
export function unreachableTargets(bestCase: Evaluation): TargetOutcome[] {
  return bestCase.targets.filter((t) => t.kind === 'latency' && !t.pass);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * Why the best case misses each unreachable target, from its simulation: the share of requests the
 * viewer's edge location does not serve (cold first requests there, which no TTL or Region removes)
 * and where the slow ones are, by viewer region.
 */
export function unreachableReasons(r: SimulationResult, unreachable: readonly TargetOutcome[]): string[] {
  const regions = REGIONS.filter((g) => r.regions[g] !== undefined);
  return unreachable.map((t) => {
    if (t.group !== undefined && isContentTypeName(t.group)) {
      const type = r.types[t.group];
      const byRegion = regions.map((g) => {
        const x = r.regions[g]!.types[t.group as keyof typeof r.types];
        return `${g} ${x.p95LatencyMs.toFixed(0)}${x.latencyPass ? '' : '!'}`;
      });
      const proxied = type.requests > 0 ? 1 - type.cachedRouteRequests / type.requests : 0;
      const never = proxied > 0.005 ? `${pct(proxied)} of its requests are never cached (personalized routes, POSTs) and always wait for the origin; of the rest, ` : '';
      return `${t.group} p95 ${type.p95LatencyMs} ms (goal ${t.target} ms): ${never}${pct(1 - type.edgeHitRatio)} ${never ? 'are' : 'of its requests are'} not served by the viewer's edge location even so (first requests of an object there within its TTL and stale window), and each costs a round trip beyond the edge; p95 by viewer region ${byRegion.join(', ')} ms (! over the goal).`;
    }
    const byRegion = regions.map((g) => `${g} ${pct(r.regions[g]!.shareUnder100Ms)}`);
    return `${t.name}: ${pct(t.value)} (goal ${pct(t.target)}); ${pct(1 - r.totals.edgeHitRatio)} of cacheable requests are not served by the viewer's edge location; by viewer region ${byRegion.join(', ')}.`;
  });
}
