/**
 * The search space of `npm run tune`, as data built from the catalog and the stack config:
 * - per content type, the default TTLs of its cached routes on a ladder from the catalog's value up
 *   to the catalog's bound (`defaultTtlBound`, the bound the policy pack checks);
 * - per content type, the stale-while-revalidate / stale-if-error windows of its cached routes, from
 *   none to the catalog's bound (`maxStaleSeconds`);
 * - the price class (lib/config schema);
 * - the Origin Shield Region of the primary origins, the two shield Regions nearest them;
 * - `originRegions`, a ladder of Regions for copies of the S3 origins (regionCandidates).
 * Where the metadata and API services run (`metadataOriginDomains`, `apiOriginDomains`) is an input:
 * the project does not deploy them, so the tuner cannot choose it.
 * Edge, regional and shield cache sizes are not in the space: they are assumptions (simulate.ts).
 * Each option is a set of what-if settings (`npm run sim -- --set` keys), so every point is simulated
 * through the real config path (lib/config validation, catalog overrides, the program under mocks).
 */
import { CONTENT_TYPES, defaultTtlBound, maxStaleSeconds, type ContentTypeSpec, type RouteSpec } from '../../lib/catalog';
import { CONFIG_SCHEMA, ORIGIN_SHIELD_REGIONS, PRICE_CLASSES } from '../../lib/config/schema';
import { formatDuration } from '../../lib/format/table';
import { recFor, REGIONAL_EDGE_CACHES, rttMs } from '../../lib/network';
import { SEED_PROFILE, type WorkloadProfile } from '../profile';
import type { TuneDimension, TuneOption, TuneSpace } from './types';

const NS = 'media-cdn:';

/** TTLs a ladder may stop at between the catalog's value and its bound (whole minutes and hours). */
const NICE_SECONDS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

function schemaDefault(key: string): unknown {
  return CONFIG_SCHEMA.find((s) => s.key === key)?.default;
}

/** Current value of a stack setting: the stack file's, else the schema default. */
function stackValue(config: Readonly<Record<string, unknown>>, key: string): unknown {
  return config[`${NS}${key}`] ?? schemaDefault(key);
}

/** The geometric middle of (low, high) rounded to a nice TTL strictly inside, if any. */
function middleTtl(low: number, high: number): number | undefined {
  const mid = Math.sqrt(Math.max(1, low) * high);
  const inside = NICE_SECONDS.filter((s) => s > low && s < high);
  if (inside.length === 0) return undefined;
  return inside.reduce((a, b) => (Math.abs(Math.log(b / mid)) < Math.abs(Math.log(a / mid)) ? b : a));
}

/** Default-TTL ladder of one route: catalog value, a middle step, the bound (sorted, distinct). */
export function ttlLadder(catalogTtl: number, bound: number): number[] {
  const top = Math.max(catalogTtl, bound);
  const mid = middleTtl(catalogTtl, top);
  return [...new Set([catalogTtl, ...(mid !== undefined ? [mid] : []), top])].sort((a, b) => a - b);
}

function routeOverrides(config: Readonly<Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const v = config[`${NS}contentTypes`];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Record<string, unknown>>) : {};
}

/** One dimension per content type: the default TTLs of its cached routes, level by level. */
export function ttlDimension(type: ContentTypeSpec, config: Readonly<Record<string, unknown>>): TuneDimension | undefined {
  const overrides = routeOverrides(config);
  const routes = type.routes.filter((r) => r.caching === 'custom');
  const bound = defaultTtlBound(type);
  const ladders = routes.map((r) => ({ route: r, ladder: ttlLadder(r.ttl.defaultTtl, bound) }));
  const levels = Math.max(0, ...ladders.map((l) => l.ladder.length));
  if (levels <= 1) return undefined;
  const currentOf = (r: RouteSpec) => (typeof overrides[r.id]?.defaultTtl === 'number' ? (overrides[r.id]!.defaultTtl as number) : r.ttl.defaultTtl);
  const options: TuneOption[] = [];
  for (let j = 0; j < levels; j++) {
    const settings: Record<string, unknown> = {};
    const parts: string[] = [];
    for (const { route, ladder } of ladders) {
      const ttl = ladder[Math.min(j, ladder.length - 1)]!;
      settings[`${route.id}.defaultTtl`] = ttl;
      if (ladder.length > 1) parts.push(`${route.id} ${formatDuration(ttl)}`);
    }
    options.push({ label: parts.join(', '), settings });
  }
  let current = options.findIndex((o) => ladders.every(({ route }) => o.settings[`${route.id}.defaultTtl`] === currentOf(route)));
  if (current < 0) {
    const settings = Object.fromEntries(ladders.map(({ route }) => [`${route.id}.defaultTtl`, currentOf(route)]));
    options.push({ label: `as configured (${ladders.map(({ route }) => `${route.id} ${formatDuration(currentOf(route))}`).join(', ')})`, settings });
    current = options.length - 1;
  }
  return { name: `${type.name} default TTLs`, options, current, separableBy: type.name };
}

/**
 * One dimension per content type: the stale-while-revalidate and stale-if-error windows of its cached
 * routes, level by level: none, a middle step, the catalog's bound (`maxStaleSeconds`, the one the
 * policy pack checks).
 */
export function staleDimension(type: ContentTypeSpec, config: Readonly<Record<string, unknown>>): TuneDimension | undefined {
  const overrides = routeOverrides(config);
  const routes = type.routes.filter((r) => r.caching === 'custom');
  const bound = maxStaleSeconds(type);
  if (routes.length === 0 || bound <= 0) return undefined;
  const mid = middleTtl(60, bound);
  const ladder = [...new Set([0, ...(mid !== undefined ? [mid] : []), bound])];
  const currentOf = (r: RouteSpec, f: 'staleWhileRevalidate' | 'staleIfError') => (typeof overrides[r.id]?.[f] === 'number' ? (overrides[r.id]![f] as number) : r[f]);
  const settingsAt = (w: number) => Object.fromEntries(routes.flatMap((r) => [[`${r.id}.staleWhileRevalidate`, w], [`${r.id}.staleIfError`, w]]));
  const options: TuneOption[] = ladder.map((w) => ({ label: w === 0 ? 'none' : formatDuration(w), settings: settingsAt(w) }));
  let current = ladder.findIndex((w) => routes.every((r) => currentOf(r, 'staleWhileRevalidate') === w && currentOf(r, 'staleIfError') === w));
  if (current < 0) {
    const settings = Object.fromEntries(routes.flatMap((r) => [[`${r.id}.staleWhileRevalidate`, currentOf(r, 'staleWhileRevalidate')], [`${r.id}.staleIfError`, currentOf(r, 'staleIfError')]]));
    options.push({ label: 'as configured', settings });
    current = options.length - 1;
  }
  return { name: `${type.name} stale windows`, options, current, separableBy: type.name };
}

function choiceDimension(key: string, values: readonly string[], config: Readonly<Record<string, unknown>>): TuneDimension {
  const cur = String(stackValue(config, key));
  const list = values.includes(cur) ? values : [...values, cur];
  return { name: key, options: list.map((v) => ({ label: v, settings: { [key]: v } })), current: list.indexOf(cur) };
}

/**
 * Regions worth a copy of the S3 origins, best first: the Regions of CloudFront's regional edge caches
 * (a copy there is that REC's Origin Shield: no hop between them, lib/network.ts), ranked by the
 * round trip a copy saves: the share of viewers whose edge locations use that REC (the seed
 * profile's countries) × the REC's round trip to the primary Region.
 */
export function regionCandidates(primary: string, profile: WorkloadProfile = SEED_PROFILE, limit = MAX_EXTRA_REGIONS): string[] {
  const share = new Map<string, number>();
  for (const c of profile.countries) {
    for (const edge of c.edges) {
      const rec = recFor(edge, c.region).rec;
      share.set(rec, (share.get(rec) ?? 0) + c.viewerShare / c.edges.length);
    }
  }
  const saved = (r: string) => (share.get(r) ?? 0) * rttMs(r, primary);
  return REGIONAL_EDGE_CACHES.map((r) => r.awsRegion as string)
    .filter((r) => r !== primary && saved(r) > 0)
    .sort((a, b) => saved(b) - saved(a) || a.localeCompare(b))
    .slice(0, limit);
}

/** Most extra Regions the Regions ladder goes up to: every other REC Region. */
export const MAX_EXTRA_REGIONS = REGIONAL_EDGE_CACHES.length - 1;

/**
 * `originRegions` as a ladder: no copy, then the best candidate, the best two, ... Each step is
 * faster for the viewers it moves and dearer (replication, storage, one more shield to fill), which
 * is what lets the search bisect it.
 */
export function regionsDimension(config: Readonly<Record<string, unknown>>, primary: string): TuneDimension {
  const raw = config[`${NS}originRegions`];
  const current = (Array.isArray(raw) ? (raw as string[]) : []).filter((r) => r !== primary);
  // The failover Region's buckets already replicate every origin; the config rejects it as a copy.
  const failover = String(stackValue(config, 'failoverRegion'));
  const candidates = regionCandidates(primary, SEED_PROFILE, MAX_EXTRA_REGIONS + 1).filter((r) => r !== failover).slice(0, MAX_EXTRA_REGIONS);
  const ladders = candidates.map((_, i) => candidates.slice(0, i + 1));
  const options: TuneOption[] = [{ label: 'none', settings: { originRegions: [] } }, ...ladders.map((l) => ({ label: l.join(', '), settings: { originRegions: l } }))];
  let cur = options.findIndex((o) => JSON.stringify(o.settings.originRegions) === JSON.stringify(current));
  if (cur < 0) {
    options.push({ label: `as configured (${current.join(', ')})`, settings: { originRegions: current } });
    cur = options.length - 1;
    return { name: 'originRegions', options, current: cur };
  }
  return { name: 'originRegions', options, current: cur, monotoneFor: 'latency' };
}

/** The tuner's default space for a stack config (namespaced keys, as in Pulumi.<stack>.yaml). */
export function defaultTuneSpace(config: Readonly<Record<string, unknown>>): TuneSpace {
  const dimensions: TuneDimension[] = [];
  for (const t of CONTENT_TYPES) {
    const d = ttlDimension(t, config);
    if (d) dimensions.push(d);
  }
  for (const t of CONTENT_TYPES) {
    const d = staleDimension(t, config);
    if (d) dimensions.push(d);
  }
  dimensions.push(choiceDimension('priceClass', PRICE_CLASSES, config));
  const region = typeof config['aws:region'] === 'string' ? (config['aws:region']) : 'us-east-1';
  // The primary origins' shield: the two shield Regions nearest the origins' Region (spec §9.4).
  const shields = [...ORIGIN_SHIELD_REGIONS].sort((a, b) => rttMs(region, a) - rttMs(region, b) || a.localeCompare(b)).slice(0, 2);
  dimensions.push(choiceDimension('originShieldRegion', shields, config));
  dimensions.push(regionsDimension(config, region));
  return { dimensions };
}
