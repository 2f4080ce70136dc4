/**
 * The invalidation pipeline's Lambda: reads a batch of SQS messages (S3 object events, scheduled
 * sweeps, explicit requests), plans one invalidation for all of them with the same planner as the
 * CLI (lib/invalidation), and sends it in batches with backoff. The request id is derived from the
 * SQS message ids, so a redelivered batch re-sends the same CallerReferences and CloudFront returns
 * the original invalidations (spec §8.3). Failed sends report every message as a batch item
 * failure: SQS retries them and, after `maxReceiveCount` receives, moves them to the dead-letter
 * queue (alarmed).
 *
 * It plans with the account's month-to-date paths (ListInvalidations, read by `monthToDatePaths`)
 * and publishes each batch's billed paths as the CLI counts them (lib/invalidation `billPaths`).
 *
 * With a cache-tag header in the settings, the handler plans tags as the CLI does (lib/tagging
 * `planTags`): it reads the tags the changed objects carry (HeadObject metadata), lists each
 * candidate tag's folders (up to `maxListedObjects`) and lets the planner send a video's
 * `#video:<id>` instead of its objects' paths when that is exact and cheaper. Objects created by a
 * copy (`npm run tag` rewriting metadata) and removed objects keep their paths: their cached copies
 * may predate the tags.
 */
import { mapConcurrent } from '../../lib/concurrency';
import { createHash } from 'node:crypto';
import { resolveCatalog } from '../../lib/catalog';
import { cacheTagMetadataKey } from '../../lib/catalog/tags';
import { DEFAULT_RATE_LIMITS, RatePacer } from '../../lib/invalidation/rate';
import { loadOf } from '../../lib/invalidation/batching';
import { planTags, tagsFromMetadata, type TagPlan } from '../../lib/tagging';
import { billedPathsPerBatch } from '../../lib/invalidation/cost';
import { FREE_TIER } from '../../lib/semantics/pricing';
import { batchSentMetrics, requestPlannedMetrics, type MetricInput } from '../../lib/invalidation/metrics';
import { sendWithBackoff, type InvalidationApi } from '../../lib/invalidation/api';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../lib/invalidation/backoff';
import { splitIntoBatches } from '../../lib/invalidation/batching';
import { callerReference } from '../../lib/invalidation/caller-reference';
import { keyToPath, validateItems } from '../../lib/invalidation/items';
import { parsePipelineMessage, type HandlerSettings } from '../../lib/invalidation/pipeline';
import { planInvalidation } from '../../lib/invalidation/planner';
import { buildRouting, isS3Origin } from '../../lib/invalidation/routing';
import { foldersToList, listingCompletePrefixes, selectFromListing, selectionTargets, type ObjectEntry } from '../../lib/invalidation/selection';

/** The parts of an SQS event the handler reads. */
export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
}
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface HandlerDeps {
  readonly settings: HandlerSettings;
  readonly api: InvalidationApi;
  /** Lists up to `max` objects under a key prefix; `complete` is false when it stopped at `max`. */
  listFolder(bucket: string, prefix: string, max: number): Promise<{ entries: ObjectEntry[]; complete: boolean }>;
  /** An object's user metadata (HeadObject), undefined when it is gone; needed for cache tags. */
  headMetadata?(bucket: string, key: string): Promise<Readonly<Record<string, string>> | undefined>;
  /**
   * Paths the account submitted this month up to `at` (ListInvalidations, GetInvalidation for
   * sizes): the planner's month-to-date usage and the base of the published billed paths.
   */
  monthToDatePaths(at: Date): Promise<number>;
  readonly publish?: (input: MetricInput) => Promise<void>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  readonly log?: (line: string) => void;
}

/** What one invocation did (also returned for tests and logged). */
export interface HandlerReport {
  readonly requestId: string;
  readonly requested: number;
  /** The month-to-date paths planned with (absent when there was nothing to plan). */
  readonly monthToDatePaths?: number;
  readonly sent: { callerReference: string; invalidationId?: string; items: number; billedPaths: number; error?: string }[];
  readonly ignored: string[];
  readonly rejected: string[];
}

/** Builds the handler; `remainingMs` is the invocation's time left (Lambda context). */
export function createHandler(deps: HandlerDeps): (event: SqsEvent, remainingMs?: () => number) => Promise<SqsBatchResponse & { report: HandlerReport }> {
  const s = deps.settings;
  const routing = buildRouting(s.contentTypes);
  const originOfBucket = new Map(Object.entries(s.buckets));
  const bucketOfOrigin = new Map(Object.entries(s.buckets).map(([b, o]) => [o, b]));
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((l: string) => console.log(l));
  const pacer = new RatePacer({
    pathsPerSecond: s.ratePathsPerSecond ?? DEFAULT_RATE_LIMITS.pathsPerSecond,
    wildcardsPerSecond: s.rateWildcardsPerSecond ?? DEFAULT_RATE_LIMITS.wildcardsPerSecond,
  });
  const catalog = s.cacheTagHeader ? resolveCatalog() : undefined;
  let metadataKey: string | undefined;
  if (s.cacheTagHeader) {
    try {
      metadataKey = cacheTagMetadataKey(s.cacheTagHeader);
    } catch (e) {
      log(`cache tags off: ${(e as Error).message}`);
    }
  }

  /**
   * Tag planning (shared with the CLI): reads the tags of created objects, never of copied or
   * removed ones (they keep their paths), and lists the tags' folders up to `maxListedObjects`.
   */
  function tagPlan(paths: readonly string[], inventory: { paths: string[]; completePrefixes: string[] }, sources: ReadonlyMap<string, { bucket: string; key: string; readTags: boolean }>): Promise<TagPlan | undefined> {
    return planTags({ catalog: catalog!, routing, items: paths, inventory }, {
      knownTags: (p) => (sources.get(p)?.readTags === false ? [] : undefined),
      readTags: async (toRead) => {
        const carried = new Map<string, readonly string[]>();
        await mapConcurrent(toRead.filter((p) => sources.has(p)), 16, async (p) => {
          const src = sources.get(p)!;
          try {
            const md = await deps.headMetadata!(src.bucket, src.key);
            carried.set(p, md ? tagsFromMetadata({ metadataKey: metadataKey! }, md) : []);
          } catch (e) {
            log(`could not read the cache tags of s3://${src.bucket}/${src.key} (${(e as Error).name}); it is invalidated by path.`);
            carried.set(p, []);
          }
        });
        return carried;
      },
      listFolder: async (t) => {
        const bucket = bucketOfOrigin.get(t.origin);
        if (!bucket) return { keys: [], complete: false };
        const listed = await deps.listFolder(bucket, t.keyPrefix, s.maxListedObjects);
        return { keys: listed.entries.map((e) => e.key), complete: listed.complete };
      },
    });
  }

  /** The month-to-date paths; when they cannot be read, the free tier is taken as used up (billed paths are then an upper bound). */
  async function monthToDate(at: Date): Promise<number> {
    try {
      return await deps.monthToDatePaths(at);
    } catch (e) {
      log(`could not read this month's invalidations (${(e as Error).name}: ${(e as Error).message}); planning as if the ${FREE_TIER.invalidationPaths} free paths were used.`);
      return FREE_TIER.invalidationPaths;
    }
  }

  return async (event, remainingMs) => {
    const ignored: string[] = [];
    const rejected: string[] = [];
    const badMessages = new Set<string>();
    const items: string[] = [];
    const inventory: string[] = [];
    const complete: string[] = [];
    /** Where each changed object's path came from: tags are read only for created (not copied) objects. */
    const sources = new Map<string, { bucket: string; key: string; readTags: boolean }>();

    for (const r of event.Records) {
      const m = parsePipelineMessage(r.body);
      if (m.kind === 'ignored') {
        ignored.push(`${r.messageId}: ${m.reason}`);
      } else if (m.kind === 'object-changes') {
        for (const c of m.changes) {
          const origin = originOfBucket.get(c.bucket);
          const raw = c.key.startsWith('/') ? c.key : `/${c.key}`;
          if (origin === undefined) ignored.push(`${r.messageId}: bucket ${c.bucket} is not an origin of this distribution`);
          else if (routing.originOf(raw) !== origin) ignored.push(`${r.messageId}: ${raw} is not served from the ${origin} origin`);
          else {
            const kp = keyToPath(c.key);
            if (kp.warning) log(kp.warning);
            items.push(kp.path);
            const prev = sources.get(kp.path);
            sources.set(kp.path, { bucket: c.bucket, key: c.key, readTags: !c.removed && !c.copy && (prev?.readTags ?? true) });
          }
        }
      } else if (m.kind === 'media-cdn:invalidate') {
        const checked = validateItems(m.paths.map((item, i) => ({ item, source: `message ${r.messageId} path ${i + 1}` })));
        if (checked.problems.length > 0) {
          rejected.push(...checked.problems);
          badMessages.add(r.messageId);
        } else items.push(...checked.items);
      } else {
        const sel = {
          contentType: m.contentType,
          ...(m.prefix !== undefined ? { prefix: m.prefix } : {}),
          ...(m.changedWithinSeconds !== undefined ? { changedSince: new Date(now() - m.changedWithinSeconds * 1000) } : {}),
        };
        let targets;
        try {
          targets = selectionTargets(sel, routing, [...bucketOfOrigin.keys()].filter(isS3Origin), false);
        } catch (e) {
          rejected.push(`message ${r.messageId}: ${(e as Error).message}`);
          badMessages.add(r.messageId);
          continue;
        }
        if (targets.kind === 'wildcards') items.push(...targets.items);
        else {
          for (const t of targets.targets) {
            const bucket = bucketOfOrigin.get(t.origin);
            if (!bucket) continue;
            const listed = await deps.listFolder(bucket, t.keyPrefix, s.maxListedObjects);
            if (!listed.complete) {
              // Too many objects to list: sweep the whole folder rather than miss what was not listed.
              log(`${t.keyPrefix}: more than ${s.maxListedObjects} objects; invalidating /${t.keyPrefix}* instead of listing them.`);
              items.push(`${keyToPath(t.keyPrefix).path}*`);
              continue;
            }
            const picked = selectFromListing(listed.entries, sel, routing, t.origin);
            items.push(...picked.items);
            inventory.push(...picked.inventory);
            complete.push(...listingCompletePrefixes(routing, t.origin, t.keyPrefix));
          }
        }
      }
    }

    // Keys that make no valid path (e.g. over 4,000 characters) cannot be invalidated: log and drop.
    const checked = validateItems(items.map((item) => ({ item, source: 'object' })));
    for (const p of checked.problems) if (items.length > 0) log(`dropped: ${p}`);
    const paths = checked.items;
    for (const t of foldersToList(paths, routing)) {
      const bucket = bucketOfOrigin.get(t.origin);
      if (!bucket) continue;
      const listed = await deps.listFolder(bucket, t.keyPrefix, s.maxListedObjects);
      for (const e of listed.entries) inventory.push(keyToPath(e.key).path);
      if (listed.complete) complete.push(...listingCompletePrefixes(routing, t.origin, t.keyPrefix));
    }

    let tagged: TagPlan | undefined;
    if (catalog && metadataKey && deps.headMetadata && paths.length > 1) {
      tagged = await tagPlan(paths, { paths: inventory, completePrefixes: complete }, sources);
    }

    const ids = event.Records.map((r) => r.messageId).sort();
    const requestId = `sqs-${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16)}`;
    const sent: HandlerReport['sent'] = [];
    const failures = new Set<string>(badMessages);
    let monthToDatePaths: number | undefined;
    if (paths.length > 0) {
      const known = tagged?.inventory ?? { paths: inventory, completePrefixes: complete };
      const knownPaths = [...known.paths];
      const planInventory = knownPaths.length > 0 ? { paths: knownPaths, completePrefixes: [...new Set(known.completePrefixes)] } : undefined;
      monthToDatePaths = await monthToDate(new Date(now()));
      const plan = planInvalidation(paths, planInventory, {
        maxOverInvalidation: s.maxOverInvalidation,
        monthToDatePaths,
        ...(tagged && tagged.tags.length > 0 ? { tags: tagged.tags } : {}),
      });
      if (plan.tags.length > 0) log(`cache tags: ${plan.tags.map((t) => `#${t.tag} replaces ${t.replaces} paths`).join('; ')}`);
      const at = new Date(now());
      if (deps.publish) await deps.publish(requestPlannedMetrics(s.metricsNamespace, s.distributionId, plan.stats.requestedItems, at)).catch((e: Error) => log(`metrics: ${e.message}`));
      const deadline = remainingMs ? now() + Math.max(0, remainingMs() - 10_000) : undefined;
      let failed = false;
      const batches = splitIntoBatches(plan.items, { paths: s.batchPaths, wildcards: s.batchWildcards });
      const billed = billedPathsPerBatch(batches, monthToDatePaths);
      for (const [i, batch] of batches.entries()) {
        const billedPaths = billed[i]!;
        const ref = callerReference(s.distributionId, batch, requestId);
        const wait = pacer.waitMs(loadOf(batch), now());
        if (wait > 0) await (deps.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms))))(wait);
        pacer.record(loadOf(batch), now());
        const r = await sendWithBackoff(deps.api, s.distributionId, ref, batch, {
          ...(deps.backoff ? { policy: deps.backoff } : { policy: DEFAULT_BACKOFF }),
          sleep: deps.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms))),
          now,
          ...(deps.random ? { random: deps.random } : {}),
          ...(deadline !== undefined ? { deadline } : {}),
          onRetry: (i) => log(`${ref}: ${i.error}; retrying in ${i.delayMs} ms`),
        });
        if (r.ok) sent.push({ callerReference: ref, invalidationId: r.invalidation.id, items: batch.length, billedPaths });
        else {
          failed = true;
          sent.push({ callerReference: ref, items: batch.length, billedPaths: 0, error: r.error });
        }
        if (deps.publish) {
          await deps.publish(batchSentMetrics(s.metricsNamespace, s.distributionId, { paths: batch.length, billedPaths: r.ok ? billedPaths : 0, failed: !r.ok, at: new Date(now()) })).catch((e: Error) => log(`metrics: ${e.message}`));
        }
        if (!r.ok) break;
      }
      // Anything unsent: every message is retried (same ids, same CallerReferences for what went through).
      if (failed) for (const r of event.Records) failures.add(r.messageId);
    }
    const report: HandlerReport = { requestId, requested: paths.length, ...(monthToDatePaths !== undefined ? { monthToDatePaths } : {}), sent, ignored, rejected };
    log(JSON.stringify({ ...report, ignored: ignored.length }));
    return { batchItemFailures: [...failures].sort().map((itemIdentifier) => ({ itemIdentifier })), report };
  };
}
