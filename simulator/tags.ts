/**
 * Cache tags in the simulator (spec §8.2): every key carries the tags the catalog derives from its
 * path (lib/catalog `deriveObjectTags`, what the origins send in the cache-tag header), kept in typed
 * arrays beside the key space; a tag invalidation removes, from every tier, exactly the keys whose
 * tags match it (as lib/semantics `invalidationMatches` decides: case-insensitive; the tests check
 * the index against it key by key).
 *
 * Tag invalidations reuse the engine's invalidation targets: each tag becomes a pseudo-asset after
 * the workload's assets (`invalidStart`/`invalidKeys` extended by {@link withTagTargets}), and an
 * `EVENT_INVALIDATE` event for asset `assets + tagId` removes the tag's keys. The engine's hot loop is
 * unchanged; no per-request work is added.
 */
import { deriveObjectTags, type Catalog } from '../lib/catalog';
import { InputError } from '../lib/errors';
import { EVENT_INVALIDATE, type EventLog } from './workload/arrivals';

/** The tags of every key, and the keys of every tag, as compressed rows (CSR). */
export interface TagIndex {
  /** Tag id → the tag as first derived. */
  readonly tags: readonly string[];
  /** Lower-case tag → id (tags compare case-insensitively, spec §8.2). */
  readonly idOf: ReadonlyMap<string, number>;
  /** Tag ids of key k: keyTags[keyTagStart[k] .. keyTagStart[k + 1]). */
  readonly keyTagStart: Int32Array;
  readonly keyTags: Int32Array;
  /** Keys carrying tag t: tagKeys[tagKeyStart[t] .. tagKeyStart[t + 1]), ascending. */
  readonly tagKeyStart: Int32Array;
  readonly tagKeys: Int32Array;
}

/** Tags of a path; none when a derived tag would be invalid (the origin could not send it). */
function tagsOfPath(catalog: Catalog, path: string): string[] {
  try {
    return deriveObjectTags(catalog, path);
  } catch (e) {
    if (e instanceof InputError) return [];
    throw e;
  }
}

/**
 * Derives every key's tags from its path (`keyPaths[k]`, query string ignored: tags come from the
 * object) and indexes them both ways.
 */
export function buildTagIndex(catalog: Catalog, keyPaths: readonly string[]): TagIndex {
  const tags: string[] = [];
  const idOf = new Map<string, number>();
  const keyTagStart = new Int32Array(keyPaths.length + 1);
  const keyTagList: number[] = [];
  const byPath = new Map<string, number[]>();
  for (let k = 0; k < keyPaths.length; k++) {
    keyTagStart[k] = keyTagList.length;
    const raw = keyPaths[k]!;
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    let ids = byPath.get(path);
    if (!ids) {
      ids = [];
      for (const t of tagsOfPath(catalog, path)) {
        const lower = t.toLowerCase();
        let id = idOf.get(lower);
        if (id === undefined) {
          id = tags.length;
          tags.push(t);
          idOf.set(lower, id);
        }
        if (!ids.includes(id)) ids.push(id);
      }
      byPath.set(path, ids);
    }
    keyTagList.push(...ids);
  }
  keyTagStart[keyPaths.length] = keyTagList.length;
  const keyTags = Int32Array.from(keyTagList);
  // Invert: count, prefix sums, fill (keys ascending within a tag).
  const tagKeyStart = new Int32Array(tags.length + 1);
  for (const t of keyTags) tagKeyStart[t + 1]!++;
  for (let t = 0; t < tags.length; t++) tagKeyStart[t + 1]! += tagKeyStart[t]!;
  const fill = tagKeyStart.slice(0, tags.length);
  const tagKeys = new Int32Array(keyTags.length);
  for (let k = 0; k < keyPaths.length; k++) {
    for (let j = keyTagStart[k]!; j < keyTagStart[k + 1]!; j++) tagKeys[fill[keyTags[j]!]!++] = k;
  }
  return { tags, idOf, keyTagStart, keyTags, tagKeyStart, tagKeys };
}

/** The tags key `k` carries. */
export function tagsOfKey(index: TagIndex, k: number): string[] {
  const out: string[] = [];
  for (let j = index.keyTagStart[k]!; j < index.keyTagStart[k + 1]!; j++) out.push(index.tags[index.keyTags[j]!]!);
  return out;
}

/**
 * The keys a `#tag` item removes: those carrying the tag, compared case-insensitively as
 * lib/semantics `invalidationMatches` does; empty for a tag no key carries.
 */
export function keysOfTag(index: TagIndex, item: string): Int32Array {
  const tag = item.startsWith('#') ? item.slice(1) : item;
  const id = index.idOf.get(tag.toLowerCase());
  if (id === undefined) return new Int32Array(0);
  return index.tagKeys.subarray(index.tagKeyStart[id], index.tagKeyStart[id + 1]);
}

/** The engine's invalidation targets (`EngineInput` / `Workload` fields). */
export interface InvalidationTargets {
  readonly assets: number;
  readonly invalidStart: Int32Array;
  readonly invalidKeys: Int32Array;
}

/**
 * The targets with one pseudo-asset per tag appended after the real assets: invalidating asset
 * `assets + tagId` removes the tag's keys. `assets` stays the number of real assets (updates and
 * generated events only concern those).
 */
export function withTagTargets<T extends InvalidationTargets>(input: T, index: TagIndex): T {
  const nA = input.assets;
  const base = input.invalidStart[nA]!;
  const invalidStart = new Int32Array(nA + index.tags.length + 1);
  invalidStart.set(input.invalidStart.subarray(0, nA + 1));
  for (let t = 0; t <= index.tags.length; t++) invalidStart[nA + t] = base + index.tagKeyStart[t]!;
  const invalidKeys = new Int32Array(base + index.tagKeys.length);
  invalidKeys.set(input.invalidKeys.subarray(0, base));
  invalidKeys.set(index.tagKeys, base);
  return { ...input, invalidStart, invalidKeys };
}

/** The pseudo-asset of a tag in {@link withTagTargets}' targets. @throws InputError for a tag no key carries. */
export function tagAsset(assets: number, index: TagIndex, item: string): number {
  const tag = item.startsWith('#') ? item.slice(1) : item;
  const id = index.idOf.get(tag.toLowerCase());
  if (id === undefined) {
    throw new InputError(`no simulated object carries the cache tag '${tag}'; tags of the workload look like ${index.tags.slice(0, 3).map((t) => `'${t}'`).join(', ')}.`);
  }
  return assets + id;
}

/** Tag invalidation events (`EVENT_INVALIDATE` of each tag's pseudo-asset), merged into `events` in time order (events first on a tie). */
export function withTagInvalidations(events: EventLog, assets: number, index: TagIndex, list: readonly { readonly at: number; readonly tag: string }[]): EventLog {
  const extra = [...list].sort((a, b) => a.at - b.at).map((e) => ({ at: e.at, asset: tagAsset(assets, index, e.tag) }));
  const n = events.length + extra.length;
  const time = new Float64Array(n);
  const asset = new Int32Array(n);
  const kind = new Uint8Array(n);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j >= extra.length || (i < events.length && events.time[i]! <= extra[j]!.at)) {
      time[k] = events.time[i]!;
      asset[k] = events.asset[i]!;
      kind[k] = events.kind[i]!;
      i++;
    } else {
      time[k] = extra[j]!.at;
      asset[k] = extra[j]!.asset;
      kind[k] = EVENT_INVALIDATE;
      j++;
    }
  }
  return { length: n, time, asset, kind };
}
