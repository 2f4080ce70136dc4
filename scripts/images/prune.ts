/**
 * `images prune`: removes what the pipeline left behind for originals that are gone — their index
 * entries first (so the edge stops rewriting to the variants), then their variants, the manifest last.
 * An interrupted run leaves the folder findable (any object of it remains), so the next run finishes it.
 * Returns the paths to invalidate (two per removed original).
 */
import { findOrphans, invalidationPathsFor, isVariantKey, VARIANT_ROOT, type OrphanFolder } from '../../lib/images';
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
  const originals = (await run.store.list(prefix)).map((o) => o.key).filter((k) => !isVariantKey(k));
  const variants = (await run.store.list(`${VARIANT_ROOT}${prefix}`)).map((o) => o.key);
  const { orphans, staleIndexKeys } = findOrphans(prefix, originals, variants, run.index?.keys() ?? []);

  // Index first: once the entry is gone the edge serves the (missing) original's URI as is.
  if (run.index && staleIndexKeys.length > 0) await run.index.remove(staleIndexKeys);
  // If the index could not be updated, keep the variants: the edge still rewrites to them.
  const objects = run.index?.summary().failure ? [] : orphans.flatMap((o) => o.objects);
  run.progress?.setTotal(objects.length);
  let deleted = 0;
  for (const key of objects) {
    if (!run.dryRun) await run.store.delete(key);
    deleted++;
    run.progress?.increment();
  }
  run.progress?.stop();
  return {
    source: run.store.label,
    prefix,
    dryRun: run.dryRun,
    originals: originals.length,
    orphans,
    staleIndexKeys,
    deletedObjects: deleted,
    invalidationPaths: orphans.flatMap((o) => invalidationPathsFor(o.original)),
  };
}
