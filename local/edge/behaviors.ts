/**
 * The distribution's behaviors as the local edge uses them: selection by path, the default behavior
 * when none matches (spec §1.2), one viewer-request function instance per function name, and what a
 * behavior implies further down the pipeline (cookie forwarding, an S3 target).
 */
import { compileBehaviorSelector } from '../../lib/semantics';
import { firstOriginOf, type DistributionModel, type ModelBehavior } from '../../lib/distribution';
import { ViewerRequestFunction } from './viewer-function';

/** Behavior selection on a path: the first matching behavior, else the default behavior (spec §1.2). */
export function behaviorSelector(model: DistributionModel): (path: string) => ModelBehavior {
  const select = compileBehaviorSelector(model.behaviors);
  return (path) => select(path) ?? model.defaultBehavior;
}

/** The viewer-request functions of the distribution's behaviors, one instance per function name. */
export function viewerRequestFunctions(model: DistributionModel, keyValueStore: ReadonlyMap<string, string> | undefined): Map<string, ViewerRequestFunction> {
  const functions = new Map<string, ViewerRequestFunction>();
  for (const b of [...model.behaviors, model.defaultBehavior]) {
    const f = b.viewerRequestFunction;
    if (f && !functions.has(f.name)) {
      functions.set(f.name, new ViewerRequestFunction(f.name, f.code, { distributionDomainName: model.domainName, distributionId: model.distributionId }, keyValueStore,
        [...model.origins.keys(), ...model.originGroups.keys()]));
    }
  }
  return functions;
}

/**
 * Does the behavior forward cookies (in the cache key or by its origin request policy)? Then requests
 * are not collapsed (spec §4.3), stored objects are not revalidated (spec §4.1) and Set-Cookie is
 * passed on (spec §3.6).
 */
export function forwardsCookies(b: ModelBehavior): boolean {
  return b.cachePolicy.key.cookies.behavior !== 'none' || (b.originRequestPolicy?.forwards?.cookies.behavior ?? 'none') !== 'none';
}

/** Is the behavior's target an S3 origin (the primary one of an origin group)? */
export function isS3Target(model: DistributionModel, b: ModelBehavior): boolean {
  return firstOriginOf(model, b.targetOriginId)?.kind === 's3';
}
