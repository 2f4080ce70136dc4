/**
 * Which cache tags could replace the paths of changed objects (the planner's `tags` option): every
 * tag a changed object carries whose objects the catalog bounds (`video:<id>` lives under
 * `/video/<id>/`, `/thumbnails/<id>/`, … — lib/catalog `tagScope`), with every object known to carry
 * it. The planner then uses a tag only when all of those objects changed (exact).
 *
 * What is known comes from the inventory: inside its complete prefixes every object is listed.
 * Unchanged objects are taken to carry the tags the catalog derives from their keys (an upper bound
 * on what a tag invalidates); changed objects carry the tags they were read with (`tagsOf`), so an
 * object uploaded without tags keeps its path. A tag whose scope reaches a folder the inventory does
 * not cover is left out (its over-invalidation cannot be counted); an exact path outside it (a
 * custom origin's `/metadata/videos/<id>.json`) counts as one unlisted object.
 */
import { deriveObjectTags, tagScope, type Catalog, type TagScope } from '../catalog';
import { InputError } from '../errors';
import { keyToPath, objectOf, pathToKey } from '../invalidation/items';
import type { OriginInventory, TagCandidate } from '../invalidation/planner';
import { isS3Origin, type Routing } from '../invalidation/routing';
import type { ListingTarget } from '../invalidation/selection';
import { isTagItem, isWildcardPath } from '../semantics';

export interface CandidateInput {
  readonly catalog: Catalog;
  /** Requested items: plain paths are the changed objects (wildcards and `#tag` items are ignored). */
  readonly changed: readonly string[];
  /** Tags a changed object carries (read from the origin); default: those the catalog derives from its key. */
  readonly tagsOf?: (path: string) => readonly string[] | undefined;
  readonly inventory: OriginInventory | undefined;
}

/** Tags the catalog derives from an object's key; none when a derived tag would be invalid. */
export function derivedTags(catalog: Catalog, path: string): string[] {
  try {
    return deriveObjectTags(catalog, pathToKey(objectOf(path)));
  } catch (e) {
    if (e instanceof InputError) return [];
    throw e;
  }
}

function covered(prefix: string, complete: readonly string[]): boolean {
  return complete.some((c) => prefix.startsWith(c));
}

/** The changed objects of a request (plain paths, without query strings). */
function changedObjects(items: readonly string[]): Set<string> {
  const changed = new Set<string>();
  for (const item of items) if (!isTagItem(item) && !isWildcardPath(item)) changed.add(objectOf(item));
  return changed;
}

interface Carriers {
  /** Lower-case tag → its scope. */
  readonly scopes: Map<string, TagScope>;
  /** Lower-case tag → the tag as carried and the changed objects carrying it (two at least: one saves nothing). */
  readonly carriers: Map<string, { tag: string; objects: Set<string> }>;
}

/** Step 1: the scoped tags at least two changed objects carry. */
function changedCarriers(input: CandidateInput, changed: ReadonlySet<string>): Carriers {
  const scopes = new Map<string, TagScope | undefined>();
  const carriers = new Map<string, { tag: string; objects: Set<string> }>();
  for (const obj of changed) {
    const tags = input.tagsOf?.(obj) ?? derivedTags(input.catalog, obj);
    for (const tag of tags) {
      const key = tag.toLowerCase();
      if (!scopes.has(key)) scopes.set(key, tagScope(input.catalog, tag));
      if (!scopes.get(key)) continue;
      const c = carriers.get(key);
      if (c) c.objects.add(obj);
      else carriers.set(key, { tag, objects: new Set([obj]) });
    }
  }
  for (const [key, c] of carriers) if (c.objects.size < 2) carriers.delete(key);
  const known = new Map<string, TagScope>();
  for (const key of carriers.keys()) known.set(key, scopes.get(key)!);
  return { scopes: known, carriers };
}

/**
 * The changed objects whose tags are worth reading from the origin: those the catalog gives a
 * bounded tag that at least one other changed object shares (a tag replacing one path saves nothing).
 */
export function objectsWorthReading(catalog: Catalog, changed: readonly string[]): string[] {
  const objects = [...changedObjects(changed)];
  const derived = new Map(objects.map((p) => [p, derivedTags(catalog, p).filter((t) => tagScope(catalog, t) !== undefined).map((t) => t.toLowerCase())] as const));
  const count = new Map<string, number>();
  for (const tags of derived.values()) for (const t of tags) count.set(t, (count.get(t) ?? 0) + 1);
  return objects.filter((p) => derived.get(p)!.some((t) => count.get(t)! >= 2));
}

/**
 * What to list so that the tags of the changed objects can be judged: each scope folder of a
 * candidate tag that the inventory does not cover yet and that an S3 origin serves (custom origins
 * cannot be listed; a tag reaching into one of their folders stays a non-candidate).
 */
export function tagScopeTargets(input: CandidateInput, routing: Routing): ListingTarget[] {
  const complete = input.inventory?.completePrefixes ?? [];
  const { scopes } = changedCarriers(input, changedObjects(input.changed));
  const out = new Map<string, ListingTarget>();
  for (const scope of scopes.values()) {
    for (const prefix of scope.prefixes) {
      const path = keyToPath(prefix).path;
      if (covered(path, complete)) continue;
      const origin = routing.originOf(path);
      if (!isS3Origin(origin)) continue;
      const keyPrefix = pathToKey(path);
      out.set(`${origin} ${keyPrefix}`, { origin, keyPrefix });
    }
  }
  return [...out.values()].sort((a, b) => (a.origin + a.keyPrefix < b.origin + b.keyPrefix ? -1 : 1));
}

/** The planner's tag candidates for a request (see the module comment), sorted by tag. */
export function tagCandidates(input: CandidateInput): TagCandidate[] {
  const { catalog, inventory } = input;
  const complete = inventory?.completePrefixes ?? [];
  const changed = changedObjects(input.changed);

  // 1. the scoped tags the changed objects carry, with their changed carriers
  const { scopes, carriers } = changedCarriers(input, changed);

  // 2. tags whose scope the inventory covers; exact paths outside it are unlisted objects
  const byPrefix = new Map<string, string[]>();
  const byPath = new Map<string, string[]>();
  const unlisted = new Map<string, number>();
  for (const key of carriers.keys()) {
    const scope = scopes.get(key)!;
    const prefixes = scope.prefixes.map((p) => keyToPath(p).path);
    if (!prefixes.every((p) => covered(p, complete))) continue;
    let n = 0;
    for (const raw of scope.paths) {
      const p = keyToPath(raw).path;
      if (covered(p, complete)) (byPath.get(p) ?? byPath.set(p, []).get(p)!).push(key);
      else if (!changed.has(p)) n++;
    }
    for (const p of prefixes) (byPrefix.get(p) ?? byPrefix.set(p, []).get(p)!).push(key);
    unlisted.set(key, n);
  }

  // 3. unchanged inventory objects inside the scopes that carry the tag
  const unchangedCarriers = new Map<string, string[]>();
  if (inventory && unlisted.size > 0) {
    for (const raw of inventory.paths) {
      const obj = objectOf(raw);
      if (changed.has(obj)) continue;
      const keys: string[] = [...(byPath.get(obj) ?? [])];
      for (let i = obj.indexOf('/', 1); i >= 0; i = obj.indexOf('/', i + 1)) {
        const hit = byPrefix.get(obj.slice(0, i + 1));
        if (hit) keys.push(...hit);
      }
      if (keys.length === 0) continue;
      const tags = new Set(derivedTags(catalog, obj).map((t) => t.toLowerCase()));
      for (const key of keys) {
        if (!tags.has(key)) continue;
        (unchangedCarriers.get(key) ?? unchangedCarriers.set(key, []).get(key)!).push(obj);
      }
    }
  }

  const out: TagCandidate[] = [];
  for (const [key, n] of unlisted) {
    const c = carriers.get(key)!;
    out.push({ tag: c.tag, objects: [...c.objects, ...(unchangedCarriers.get(key) ?? [])], unlisted: n });
  }
  return out.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}
