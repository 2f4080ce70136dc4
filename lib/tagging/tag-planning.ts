/**
 * Tag planning, shared by the CLI (`npm run invalidate`) and the pipeline's Lambda: which cache tags
 * may replace the paths of the changed objects. Reads the tags the changed objects carry, lists
 * each candidate tag's folders the inventory does not cover yet, and hands both to
 * `tagCandidates`. The I/O (reading tags, listing folders) is the caller's: the CLI reads with
 * HeadObject and lists whole folders; the Lambda lists up to its bound and skips a folder it could
 * not list completely (its tag then stays a non-candidate).
 */
import type { Catalog } from '../catalog';
import { keyToPath } from '../invalidation/items';
import type { OriginInventory, TagCandidate } from '../invalidation/planner';
import type { Routing } from '../invalidation/routing';
import type { ListingTarget } from '../invalidation/selection';
import { isTagItem, isWildcardPath } from '../semantics';
import { objectsWorthReading, tagCandidates, tagScopeTargets } from './candidates';

/** The I/O tag planning needs, supplied by the caller. */
export interface TagPlanningIo {
  /**
   * The tags each of `paths` carries (its S3 metadata): `[]` when it carries none or is gone,
   * absent or `undefined` when they could not be read (the tags the catalog derives are assumed).
   */
  readTags(paths: readonly string[]): Promise<ReadonlyMap<string, readonly string[] | undefined>>;
  /**
   * Lists a scope folder of a candidate tag: the object keys, and whether that is every object in it.
   * An incomplete listing is dropped (the tag's over-invalidation cannot be counted).
   */
  listFolder(target: ListingTarget): Promise<{ readonly keys: readonly string[]; readonly complete: boolean }>;
  /**
   * Tags known without reading (the Lambda: objects created by a copy or removed carry `[]`, since
   * their cached copies may predate any tags). Checked before {@link readTags}.
   */
  knownTags?(path: string): readonly string[] | undefined;
}

export interface TagPlan {
  /** Tags the planner may use (`planInvalidation`'s `tags` option). */
  readonly tags: TagCandidate[];
  /** The inventory with the listed scope folders added. */
  readonly inventory: OriginInventory;
  /** Objects whose tags were read. */
  readonly read: number;
  /** Of those, objects that carry no tags (they keep their paths). */
  readonly untagged: number;
}

/**
 * Plans the cache tags of a request. Undefined when no two changed objects could share a bounded
 * tag (nothing worth reading, nothing to list).
 */
export async function planTags(input: { readonly catalog: Catalog; readonly routing: Routing; readonly items: readonly string[]; readonly inventory: OriginInventory | undefined }, io: TagPlanningIo): Promise<TagPlan | undefined> {
  const { catalog } = input;
  const changed = input.items.filter((i) => !isTagItem(i) && !isWildcardPath(i));
  const worth = objectsWorthReading(catalog, changed);
  if (worth.length === 0) return undefined;

  const carried = new Map<string, readonly string[]>();
  if (io.knownTags) {
    for (const p of changed) {
      const known = io.knownTags(p);
      if (known !== undefined) carried.set(p, known);
    }
  }
  const toRead = worth.filter((p) => !carried.has(p));
  const read = toRead.length > 0 ? await io.readTags(toRead) : new Map<string, readonly string[] | undefined>();
  let readCount = 0;
  let untagged = 0;
  for (const p of toRead) {
    const tags = read.get(p);
    if (tags === undefined) continue;
    carried.set(p, tags);
    readCount++;
    if (tags.length === 0) untagged++;
  }

  const tagsOf = (p: string) => carried.get(p);
  const paths = input.inventory ? [...input.inventory.paths] : [];
  const complete = input.inventory ? [...input.inventory.completePrefixes] : [];
  for (const t of tagScopeTargets({ catalog, changed, tagsOf, inventory: { paths, completePrefixes: complete } }, input.routing)) {
    const listed = await io.listFolder(t);
    if (!listed.complete) continue;
    for (const key of listed.keys) paths.push(keyToPath(key).path);
    complete.push(`/${t.keyPrefix}`);
  }
  const inventory: OriginInventory = { paths, completePrefixes: [...new Set(complete)] };
  return { tags: tagCandidates({ catalog, changed, tagsOf, inventory }), inventory, read: readCount, untagged };
}
