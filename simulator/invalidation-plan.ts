/**
 * The simulated day's invalidations, planned as the pipeline would plan them: at each content type's
 * update interval the changed assets of the seed workload (the profile's `changedShare`, at full
 * scale) are one request; their invalidation items go through the project's planner
 * (lib/invalidation `planInvalidation`) with the inventory the Lambda would list (the S3 folders of
 * the changed paths, lib/invalidation `foldersToList`) and, when the stack has a cache-tag header,
 * the tag candidates of the shared tag planning (lib/tagging `planTags`, objects carrying the tags
 * the catalog derives). The day's billed paths, times the days in a month, are the month's paths.
 *
 * The naive count beside it is what the simulator billed before: every item of every change,
 * computed from the families (`invalidationPathsPerMonth`).
 */
import { CONTENT_TYPE_NAMES, type Catalog, type ContentTypeName } from '../lib/catalog';
import { buildRouting, foldersToList, listingCompletePrefixes, planInvalidation, type OriginInventory, type TagCandidate } from '../lib/invalidation';
import { contentTypeOutputs } from '../lib/outputs';
import { derivedTags, planTags } from '../lib/tagging';
import type { WorkloadProfile } from './profile';
import { DAYS_PER_MONTH } from './results';
import { hashUnit } from './rng';
import { seedFamilies } from './workload/families';

/** Families with more objects than this are not described object by object (video segments: 18 M). */
const MAX_DESCRIBED_OBJECTS = 2_000_000;

export interface PlannedInvalidationsByType {
  /** Requests (update intervals with a change) in the simulated day. */
  readonly requestsPerDay: number;
  /** Items the changes asked for in the day (one per item of every changed asset). */
  readonly requestedPathsPerDay: number;
  /** Items the planner sends for them in the day (each billed as one path). */
  readonly plannedPathsPerDay: number;
}

export interface PlannedInvalidations {
  /** How the monthly figure was made. */
  readonly method: string;
  /** Paths a month the planner bills: the day's planned paths × days in a month. */
  readonly plannedPathsPerMonth: number;
  /** Paths a month asked for (before planning): the day's requested items × days in a month. */
  readonly requestedPathsPerMonth: number;
  /** The simulator's former count, every item of every change (`invalidationPathsPerMonth`). */
  readonly naivePathsPerMonth: number;
  readonly byType: Partial<Record<ContentTypeName, PlannedInvalidationsByType>>;
}

interface TypeAssets {
  readonly type: ContentTypeName;
  /** Invalidation items of each asset. */
  readonly items: (readonly string[])[];
  /** Object paths by folder (`/static/js/`), for the listings. */
  readonly folders: Map<string, string[]>;
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** The assets of every type that invalidates, with their items, and the object paths by folder. */
function assetsByType(profile: WorkloadProfile, catalog: Catalog, seed: number): TypeAssets[] {
  const out: TypeAssets[] = [];
  for (const f of seedFamilies(profile, catalog, seed)) {
    if (f.itemsPerUpdate === 0 || !profile.updates[f.type].invalidate || profile.updates[f.type].changedShare <= 0) continue;
    let entry = out.find((e) => e.type === f.type);
    if (!entry) out.push((entry = { type: f.type, items: [], folders: new Map() }));
    const index = new Map<string, number>();
    const seen = new Set<string>();
    let n = 0;
    const describeAll = f.count <= MAX_DESCRIBED_OBJECTS;
    f.forEach((ref) => {
      // A family too large to describe object by object: its assets are contiguous runs of refs
      // whose items are one wildcard each (a title's `/video/t7/*`); describing every 64th object
      // finds them all (a title has hundreds of segments).
      if (!describeAll && n++ % 64 !== 0) return;
      const o = f.describe(ref);
      if (!index.has(o.asset)) {
        index.set(o.asset, entry.items.length);
        entry.items.push(o.invalidationItems);
      }
      if (describeAll && !seen.has(o.path)) {
        seen.add(o.path);
        const dir = folderOf(o.path);
        const list = entry.folders.get(dir);
        if (list) list.push(o.path);
        else entry.folders.set(dir, [o.path]);
      }
    });
  }
  return out;
}

/**
 * Plans one simulated day's invalidations (see the module comment).
 * @param naivePathsPerMonth the simulator's former count, reported beside the planned one
 */
export async function planDayInvalidations(a: {
  readonly catalog: Catalog;
  readonly profile: WorkloadProfile;
  readonly seed: number;
  readonly naivePathsPerMonth: number;
  /** The stack's cache-tag header; '' or absent: paths only. */
  readonly cacheTagHeader?: string;
  /** Over-invalidation bound of the planner, as the pipeline's. @default 0.05 */
  readonly maxOverInvalidation?: number;
}): Promise<PlannedInvalidations> {
  const { catalog, profile, seed } = a;
  const routing = buildRouting(contentTypeOutputs(catalog));
  const byType: Partial<Record<ContentTypeName, PlannedInvalidationsByType>> = {};
  let requested = 0;
  let planned = 0;
  for (const t of assetsByType(profile, catalog, seed)) {
    const interval = catalog.type(t.type).updateIntervalSeconds;
    const offset = hashUnit(seed, 601, CONTENT_TYPE_NAMES.indexOf(t.type)) * interval;
    const share = profile.updates[t.type].changedShare;
    const listFolder = (keyPrefix: string) => {
      const dir = `/${keyPrefix}`;
      const paths: string[] = [];
      for (const [d, list] of t.folders) if (d.startsWith(dir)) paths.push(...list);
      return paths;
    };
    let requests = 0;
    let typeRequested = 0;
    let typePlanned = 0;
    for (let k = Math.ceil(-offset / interval); k * interval + offset < 86_400; k++) {
      const items: string[] = [];
      for (let asset = 0; asset < t.items.length; asset++) {
        if (hashUnit(seed ^ 0x5bd1e995, asset, k) < share) items.push(...t.items[asset]!);
      }
      if (items.length === 0) continue;
      requests++;
      typeRequested += items.length;
      typePlanned += await planRequest(items);
    }
    byType[t.type] = { requestsPerDay: requests, requestedPathsPerDay: typeRequested, plannedPathsPerDay: typePlanned };
    requested += typeRequested;
    planned += typePlanned;

    async function planRequest(items: readonly string[]): Promise<number> {
      const paths: string[] = [];
      const complete: string[] = [];
      for (const target of foldersToList(items, routing)) {
        paths.push(...listFolder(target.keyPrefix));
        complete.push(...listingCompletePrefixes(routing, target.origin, target.keyPrefix));
      }
      let inventory: OriginInventory | undefined = paths.length > 0 ? { paths, completePrefixes: [...new Set(complete)] } : undefined;
      let tags: readonly TagCandidate[] = [];
      if (a.cacheTagHeader) {
        // The workload's objects carry the tags the catalog derives; the listings are the workload's folders.
        const tagged = await planTags({ catalog, routing, items, inventory }, {
          readTags: async (toRead) => new Map(toRead.map((p) => [p, derivedTags(catalog, p)])),
          listFolder: async (target) => ({ keys: listFolder(target.keyPrefix).map((p) => p.slice(1)), complete: true }),
        });
        if (tagged) {
          inventory = tagged.inventory;
          tags = tagged.tags;
        }
      }
      return planInvalidation(items, inventory, { maxOverInvalidation: a.maxOverInvalidation ?? 0.05, ...(tags.length > 0 ? { tags } : {}) }).items.length;
    }
  }
  return {
    method: 'the simulated day\'s changes planned by lib/invalidation planInvalidation (with the listings and cache tags the pipeline uses), × days in a month',
    plannedPathsPerMonth: Math.round(planned * DAYS_PER_MONTH),
    requestedPathsPerMonth: Math.round(requested * DAYS_PER_MONTH),
    naivePathsPerMonth: Math.round(a.naivePathsPerMonth),
    byType,
  };
}
