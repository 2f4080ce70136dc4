/**
 * Where the paths to warm come from: a paths file, the top objects of access logs, the newest objects
 * of a content type's bucket (S3 ListObjectsV2 through the SDK, honoring custom endpoints), or the
 * predictor (lib/warming/predict.ts) over access logs and a release manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { CONTENT_TYPE_NAMES, isContentTypeName, type ContentTypeName } from '../../lib/catalog';
import { InputError, show } from '../../lib/errors';
import { isSafeObjectKey } from '../../lib/object-key';
import type { StackOutputs } from '../../lib/outputs';
import { compileBehaviorSelector, matchPathPattern } from '../../lib/semantics';
import type { DistributionModel } from '../../lib/distribution';
import { predictHotObjects, selectWithinBudget, topOfLastWindow, type AccessRecord, type Prediction, type ReleaseEntry } from '../../lib/warming/predict';
import { parsePathList } from '../../lib/warming/targets';
import type { WarmTarget } from '../../lib/warming/variants';

/** Reads a paths file into targets. */
export function targetsFromPathsFile(file: string, model: DistributionModel): WarmTarget[] {
  if (!existsSync(file)) throw new InputError(`--paths file '${file}' does not exist; write one path per line, e.g. '/static/app.js'.`);
  return parsePathList(readFileSync(file, 'utf8'), file, model.domainName, model.aliases);
}

/** The path patterns of a content type (stack outputs), validated. */
export function contentTypePatterns(outputs: StackOutputs, type: string): { name: ContentTypeName; patterns: readonly string[]; origin: string } {
  if (!isContentTypeName(type)) throw new InputError(`--content-type must be one of ${CONTENT_TYPE_NAMES.join(', ')}, got ${show(type)}.`);
  const ct = outputs.contentTypes[type];
  if (!ct) throw new InputError(`the stack outputs have no content type ${show(type)}; rebuild them with 'npm run plan'.`);
  return { name: type, patterns: ct.pathPatterns, origin: ct.origin };
}

/**
 * What a dry run can plan for `--content-type X --top N` without listing the bucket (no credentials):
 * one stand-in object per behavior pattern of the type (`*` read as `example`), weighted so the
 * patterns share the N objects. Each expands to the variants a real object on that behavior would.
 */
export function standInTargets(patterns: readonly string[], top: number): WarmTarget[] {
  return patterns.map((p) => ({ path: p.replace(/\*/g, 'example'), weight: top / patterns.length, source: `stand-in for objects under '${p}'` }));
}

/** True when `path` belongs to the content type: the first behavior pattern that matches it is one of the type's. */
export function inContentType(model: DistributionModel, patterns: readonly string[]): (path: string) => boolean {
  const select = compileBehaviorSelector(model.behaviors);
  return (path) => {
    const b = select(path);
    return b !== undefined ? patterns.includes(b.pathPattern) : patterns.some((p) => matchPathPattern(p, path));
  };
}

/** The `top` most requested objects of the logs' last window, optionally of one content type. */
export function topTargetsFromLogs(records: readonly AccessRecord[], top: number, windowSec: number, filter?: (path: string) => boolean): WarmTarget[] {
  const end = records.reduce((m, r) => Math.max(m, r.timeSec), -Infinity);
  if (!Number.isFinite(end)) return [];
  return topOfLastWindow(records, end + 1, windowSec)
    .filter((t) => filter === undefined || filter(t.path))
    .slice(0, top)
    .map((t) => ({ path: t.path, ...(t.query ? { query: t.query } : {}), weight: t.requests, bytes: t.bytes, source: 'logs' }));
}

/** The `top` newest objects of a content type's bucket (S3 origins only). */
export async function topTargetsFromBucket(client: S3Client, bucket: string, top: number, filter: (path: string) => boolean): Promise<WarmTarget[]> {
  const objects: { key: string; size: number; modified: number }[] = [];
  for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: bucket })) {
    // A key with '..' or control characters has no path of its own at the edge: it is not warmed.
    for (const o of page.Contents ?? []) if (o.Key && isSafeObjectKey(o.Key)) objects.push({ key: o.Key, size: o.Size ?? 0, modified: o.LastModified?.getTime() ?? 0 });
    if (objects.length >= 100_000) break;
  }
  return objects
    .map((o) => ({ ...o, path: `/${o.key}` }))
    .filter((o) => filter(o.path))
    .sort((a, b) => b.modified - a.modified || (a.path < b.path ? -1 : 1))
    .slice(0, top)
    .map((o, i) => ({ path: o.path, weight: top - i, bytes: o.size, source: `s3://${bucket}` }));
}

export interface PredictSelection {
  readonly predictions: readonly Prediction[];
  readonly chosen: readonly Prediction[];
  readonly targets: WarmTarget[];
  readonly nowSec: number;
}

/**
 * Runs the predictor over access records and picks objects within the budget. The residency of a copy
 * is taken as its behavior's MaxTTL; the cost of an object is its size times the encoding variants warmed.
 */
export function predictTargets(model: DistributionModel, records: readonly AccessRecord[], o: {
  nowSec?: number; windowSec: number; budgetBytes: number; releases: readonly ReleaseEntry[]; variantsPerObject: number; filter?: (path: string) => boolean;
}): PredictSelection {
  const end = records.reduce((m, r) => Math.max(m, r.timeSec), -Infinity);
  // log times have one-second resolution: the window starts after the last logged second
  const nowSec = o.nowSec ?? (Number.isFinite(end) ? Math.floor(end) + 1 : Math.floor(Date.now() / 1000));
  const select = compileBehaviorSelector(model.behaviors);
  const predictions = predictHotObjects(records, {
    nowSec, windowSec: o.windowSec, releases: o.releases,
    residencySecOf: (path) => (select(path) ?? model.defaultBehavior).cachePolicy.maxTtl,
  }).filter((p) => o.filter === undefined || o.filter(p.path));
  const chosen = selectWithinBudget(predictions, o.budgetBytes, (p) => p.bytes * o.variantsPerObject);
  return {
    predictions, chosen, nowSec,
    targets: chosen.map((p) => ({ path: p.path, ...(p.query ? { query: p.query } : {}), weight: p.predictedRequests, bytes: p.bytes, source: p.reasons.join('+') })),
  };
}
