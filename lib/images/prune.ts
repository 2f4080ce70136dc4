/**
 * Which variants and index entries belong to originals that no longer exist (pure). `images prune`
 * deletes them: otherwise the edge keeps rewriting a removed image's URI to its variants, which are
 * still in the bucket — a take-down would not take anything down.
 */
import { VARIANT_ROOT } from './negotiation';
import { invalidationPathsFor, MANIFEST_NAME, uriPathOfKey } from './variant-keys';
import { keyOfUriPath } from './fallback';

/** A removed original and every object left under its variant folder (manifest last). */
export interface OrphanFolder {
  readonly original: string;
  readonly objects: readonly string[];
}

export interface PruneFindings {
  readonly orphans: readonly OrphanFolder[];
  /** KeyValueStore keys (URI-path form) under the prefix whose original does not exist. */
  readonly staleIndexKeys: readonly string[];
}

/** The original a key under `_variants/` belongs to (its folder), or undefined for a key outside. */
export function originalOfVariantFolderKey(key: string): string | undefined {
  if (!key.startsWith(VARIANT_ROOT)) return undefined;
  const slash = key.lastIndexOf('/');
  return slash > VARIANT_ROOT.length ? key.slice(VARIANT_ROOT.length, slash) : undefined;
}

/**
 * Paths to invalidate for what prune removes: each removed original's URI and variant folder, and the
 * same for index keys without variants (they are in URI-path form already).
 */
export function pruneInvalidationPaths(f: PruneFindings): string[] {
  const paths = new Set<string>(f.orphans.flatMap((o) => invalidationPathsFor(o.original)));
  for (const k of f.staleIndexKeys) {
    paths.add(`/${k}`);
    paths.add(`/${uriPathOfKey(VARIANT_ROOT)}${k}/*`);
  }
  return [...paths];
}

/** The S3 key of an index key (URI-path form), or undefined when it does not decode. */
export function keyOfIndexKey(indexKey: string): string | undefined {
  return keyOfUriPath(`/${indexKey}`);
}

/**
 * @param originals keys of the originals under the prefix
 * @param variantObjects keys listed under `_variants/<prefix>`
 * @param indexKeys keys of the KeyValueStore (any prefix; only those under the prefix are judged)
 */
export function findOrphans(prefix: string, originals: Iterable<string>, variantObjects: Iterable<string>, indexKeys: Iterable<string> = []): PruneFindings {
  const present = new Set(originals);
  const folders = new Map<string, string[]>();
  for (const key of variantObjects) {
    const original = originalOfVariantFolderKey(key);
    if (original === undefined || !original.startsWith(prefix) || present.has(original)) continue;
    const list = folders.get(original) ?? [];
    list.push(key);
    folders.set(original, list);
  }
  const manifestLast = (a: string, b: string) => Number(a.endsWith(`/${MANIFEST_NAME}`)) - Number(b.endsWith(`/${MANIFEST_NAME}`)) || (a < b ? -1 : a > b ? 1 : 0);
  const orphans = [...folders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([original, objects]) => ({ original, objects: objects.sort(manifestLast) }));
  const presentPaths = new Set([...present].map(uriPathOfKey));
  const prefixPath = uriPathOfKey(prefix);
  const staleIndexKeys = [...indexKeys].filter((k) => k.startsWith(prefixPath) && !presentPaths.has(k)).sort();
  return { orphans, staleIndexKeys };
}
