/**
 * `images prune`: removes what the pipeline left behind for originals that are gone — their index
 * entries first (so the edge stops rewriting to the variants), then their variants, the manifest last.
 * An interrupted run leaves the folder findable (any object of it remains), so the next run finishes it.
 * Returns the paths to invalidate (two per removed original).
 */
import { InputError } from '../../lib/errors';
import { findOrphans, isVariantKey, keyOfIndexKey, pruneInvalidationPaths, VARIANT_ROOT, type OrphanFolder } from '../../lib/images';
import type { Progress } from '../lib/progress';
import type { KvsIndexWriter } from './index-writer';
import type { ObjectStore } from './object-store';
import { validatePrefix } from './optimize';

export interface PruneRun {
  readonly store: ObjectStore;
  readonly prefix: string;
  readonly dryRun: boolean;
  /** The stack's KeyValueStore, opened; absent with --dir or --skip-index-store. */
  readonly index?: KvsIndexWriter;
  readonly progress?: Progress;
  /** Receives the report of what is about to be removed, before anything is (the CLI writes --json). */
  readonly onPlanned?: (planned: PruneReport) => void;
}

export interface PruneReport {
  readonly source: string;
  readonly prefix: string;
  readonly dryRun: boolean;
  /** Originals under the prefix that still exist. */
  readonly originals: number;
  readonly orphans: readonly OrphanFolder[];
  /** Index keys under the prefix whose original is gone (with or without variants). */
  readonly staleIndexKeys: readonly string[];
  /** Objects deleted (in a dry run: that would be). */
  readonly deletedObjects: number;
  readonly invalidationPaths: readonly string[];
}

export async function pruneImages(run: PruneRun): Promise<PruneReport> {
  const prefix = validatePrefix(run.prefix);
  if (prefix === '') throw new InputError("prune needs a --prefix such as 'thumbnails/': with none, every index key that is not an original of the bucket would be deleted.");
  // Variants before originals: an original uploaded meanwhile is then seen, not taken for removed.
  const variants = (await run.store.list(`${VARIANT_ROOT}${prefix}`)).map((o) => o.key);
  const listed = (await run.store.list(prefix)).map((o) => o.key).filter((k) => !isVariantKey(k));
  const found = findOrphans(prefix, listed, variants, run.index?.keys() ?? []);
  // Each original is checked once more right before it is pruned (uploaded during the run: kept).
  const gone = async (key: string | undefined) => key !== undefined && (await run.store.head(key)) === undefined;
  const staleIndexKeys: string[] = [];
  for (const k of found.staleIndexKeys) if (await gone(keyOfIndexKey(k))) staleIndexKeys.push(k);
  const orphans: OrphanFolder[] = [];
  for (const o of found.orphans) if (await gone(o.original)) orphans.push(o);
  const planned = { orphans, staleIndexKeys };
  const report = (deletedObjects: number, indexUpdated: boolean): PruneReport => ({
    source: run.store.label, prefix, dryRun: run.dryRun, originals: listed.length, orphans, staleIndexKeys, deletedObjects,
    // Nothing to invalidate when nothing was removed.
    invalidationPaths: indexUpdated || deletedObjects > 0 ? pruneInvalidationPaths(planned) : [],
  });
  // Before anything is deleted, so that a crash cannot lose the paths to invalidate.
  run.onPlanned?.(report(0, true));

  // Index first: once the entry is gone the edge serves the (missing) original's URI as is.
  if (run.index && staleIndexKeys.length > 0) await run.index.remove(staleIndexKeys);
  // If the index could not be updated, keep the variants: the edge still rewrites to them.
  const indexFailed = run.index?.summary().failure !== undefined;
  const objects = indexFailed ? [] : orphans.flatMap((o) => o.objects);
  run.progress?.setTotal(objects.length);
  let deleted = 0;
  for (const key of objects) {
    if (!run.dryRun) await run.store.delete(key);
    deleted++;
    run.progress?.increment();
  }
  run.progress?.stop();
  return report(deleted, !indexFailed);
}
