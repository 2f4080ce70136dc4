/**
 * From command-line input to a queued request: collect the requested items (arguments, a file,
 * stdin, a key pattern, a content type, a manifest), list the origin where that lets the planner
 * count over-invalidation, read the month-to-date usage, plan and batch. The rules are all
 * lib/invalidation's; this module only does the I/O around them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { collectProblems, InputError, show } from '../../lib/errors';
import { checkObjectKey, keyFromArgument } from '../../lib/object-key';
import { CONTENT_TYPE_NAMES, DEFAULT_CACHE_TAG_HEADER, isContentTypeName, resolveCatalog, type ContentTypeName } from '../../lib/catalog';
import {
  billedPathsPerBatch, compileKeyPattern, DEFAULT_BATCH_SIZES, foldersToList, listingCompletePrefixes, monthStartUtc, parseIsoTime, parseItemList,
  parseManifest, pathsSince, planInvalidation, selectFromListing, selectionTargets, splitIntoBatches, validateBatchSizes, validateItems,
  keyToPath, pathToKey, isS3Origin, type BatchSizes, type InvalidationPlan, type ListingTarget, type ObjectEntry, type OriginInventory, type Selection,
  type SourcedItem, type TagCandidate, DEFAULT_BACKOFF, RetriesExhausted, withRetries, type BackoffPolicy, type Routing,
} from '../../lib/invalidation';
import { CheckFailed } from '../lib/cli';
import { planTags, tagsFromMetadata, tagSettings } from '../../lib/tagging';
import { mapConcurrent } from '../../lib/concurrency';
import { headObject } from '../tagging/s3';
import { startProgress } from '../lib/progress';
import { listObjects } from './aws';
import { classifyError } from '../../lib/error-kinds';
import type { Context } from './context';
import type { EnqueueInput } from './queue-store';

/** What to invalidate, as given on the command line (or stored in a schedule). */
export interface SelectionSpec {
  readonly paths?: readonly string[];
  readonly pathsFile?: string;
  readonly stdin?: boolean;
  readonly pattern?: string;
  readonly contentType?: string;
  readonly prefix?: string;
  readonly changedSince?: string;
  readonly manifest?: string;
  /** `folders` (default): list the folders of explicit paths to collapse them; `none`: never list for them. */
  readonly listOrigin?: 'folders' | 'none';
  /**
   * A dry run: when the optional folder listing cannot be made for want of AWS credentials, plan
   * without it (explicit paths are not collapsed into wildcards) and say so, instead of failing.
   */
  readonly dryRun?: boolean;
  /** A dry run that makes no AWS call at all: listings, tag reads and the month-to-date read are skipped and said so. */
  readonly offline?: boolean;
}

/** How to plan (or stored with a schedule). */
export interface PlanningSpec {
  /** Percent. @default 5 */
  readonly maxOverInvalidationPct?: number;
  readonly objective?: 'paths' | 'cost';
  readonly batchSizes?: BatchSizes;
  /** Skip ListInvalidations and use this month-to-date usage. */
  readonly monthToDatePaths?: number;
  /**
   * Replace a changed video's paths by its cache tag when that is exact and cheaper: `auto` when the
   * stack outputs name a cache-tag header, `on` always, `off` never. @default 'auto'
   */
  readonly tags?: 'auto' | 'on' | 'off';
}

export interface Planned {
  readonly plan: InvalidationPlan;
  readonly batches: string[][];
  readonly billedPerBatch: number[];
  readonly warnings: string[];
}

/** Parses `--max-overinvalidation` (`5`, `5%`, `0.5%`) into percent. */
export function parsePercent(value: string | undefined, option: string, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(n) || n > 1000) {
    problems.push(`${option} must be a percentage from 0 to 1000 such as '5' or '5%', got '${value}'.`);
    return fallback;
  }
  return n;
}

async function collectItems(sel: SelectionSpec, readStdin: () => Promise<string>): Promise<{ items: SourcedItem[]; problems: string[]; explicit: boolean }> {
  const items: SourcedItem[] = [];
  const problems: string[] = [];
  (sel.paths ?? []).forEach((p, i) => {
    if (p !== '-') items.push({ item: p, source: `argument ${i + 1}` });
  });
  if (sel.pathsFile !== undefined) {
    if (!existsSync(sel.pathsFile)) problems.push(`--paths-file '${sel.pathsFile}' does not exist; check the path.`);
    else items.push(...parseItemList(readFileSync(sel.pathsFile, 'utf8'), sel.pathsFile));
  }
  if (sel.stdin) items.push(...parseItemList(await readStdin(), 'stdin'));
  return { items, problems, explicit: (sel.paths ?? []).length > 0 || sel.pathsFile !== undefined || sel.stdin === true };
}

/** The selection part of a spec, checked. */
function parseSelection(sel: SelectionSpec, problems: string[], now: Date): Selection | undefined {
  const out: { pattern?: Selection['pattern']; contentType?: ContentTypeName; prefix?: string; changedSince?: Date } = {};
  if (sel.pattern !== undefined) {
    // The pattern's literal start is the listing prefix: it follows the key rules.
    const literal = sel.pattern.replace(/^\//, '').replace(/[*?{[].*$/s, '');
    collectProblems(problems, () => checkObjectKey(literal, '--pattern', { prefix: true, given: sel.pattern }));
    try {
      out.pattern = compileKeyPattern(sel.pattern);
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (sel.contentType !== undefined) {
    if (isContentTypeName(sel.contentType)) out.contentType = sel.contentType;
    else problems.push(`--content-type '${sel.contentType}' is not a content type; use one of video, thumbnails, metadata, static, api.`);
  }
  if (sel.prefix !== undefined) {
    collectProblems(problems, () => keyFromArgument(sel.prefix!, '--prefix', { prefix: true }));
    out.prefix = sel.prefix;
  }
  if (sel.changedSince !== undefined) {
    try {
      out.changedSince = parseIsoTime(sel.changedSince, '--changed-since');
      if (out.changedSince.getTime() > now.getTime()) problems.push(`--changed-since '${sel.changedSince}' is in the future; nothing can have changed since then.`);
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  const any = sel.pattern !== undefined || sel.contentType !== undefined || sel.prefix !== undefined || sel.changedSince !== undefined;
  return any ? out : undefined;
}

/**
 * Resolves a selection into the requested items and the origin inventory.
 * @throws InputError listing every problem of the input; nothing is sent then.
 */
export async function resolveSelection(sel: SelectionSpec, ctx: Context, readStdin: () => Promise<string>): Promise<{ items: string[]; inventory?: OriginInventory; warnings: string[]; notes: string[] }> {
  const { items: explicitItems, problems, explicit } = await collectItems(sel, readStdin);
  const selection = parseSelection(sel, problems, new Date(ctx.now()));
  const manifest = sel.manifest !== undefined
    ? existsSync(sel.manifest) ? parseManifest(readFileSync(sel.manifest, 'utf8'), sel.manifest) : (problems.push(`--manifest '${sel.manifest}' does not exist; check the path.`), undefined)
    : undefined;
  if (!explicit && !selection) {
    problems.push('no invalidation paths were given; pass paths as arguments, with --paths-file <file>, on stdin (-), or select objects with --pattern or --content-type.');
  }
  const checked = explicit ? validateItems(explicitItems) : { items: [], problems: [], warnings: [] };
  problems.push(...checked.problems);
  let targets: ReturnType<typeof selectionTargets> | undefined;
  if (selection && problems.length === 0) {
    try {
      targets = selectionTargets(selection, ctx.routing, Object.keys(ctx.outputs.buckets), manifest !== undefined);
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new InputError(problems);

  const warnings = [...checked.warnings];
  const notes: string[] = [];
  const items = [...checked.items];
  const inventory: string[] = [];
  const complete: string[] = [];
  const listed: ListingTarget[] = [];

  const list = async (t: ListingTarget): Promise<ObjectEntry[]> => {
    if (sel.offline) throw new OfflineSkip();
    const bucket = ctx.outputs.buckets[t.origin as 'video' | 'images' | 'static']?.name;
    if (!bucket) throw new InputError(`the stack outputs have no bucket for origin '${t.origin}'; check buckets.${t.origin}.name in the outputs.`);
    const progress = startProgress(`listing s3://${bucket}/${t.keyPrefix}`, 0, { quiet: ctx.quiet });
    let n = 0;
    try {
      return await listObjects(ctx.s3(), bucket, t.keyPrefix, (k) => {
        n += k;
        progress.setTotal(n);
        progress.increment(k);
      });
    } finally {
      progress.stop();
      listed.push(t);
    }
  };

  if (selection && manifest) {
    const byOrigin = new Map<string, ObjectEntry[]>();
    for (const o of manifest.objects) {
      const origin = ctx.routing.originOf(o.key.startsWith('/') ? o.key : `/${o.key}`);
      byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), o]);
    }
    for (const [origin, entries] of byOrigin) {
      const s = selectFromListing(entries, selection, ctx.routing, origin);
      items.push(...s.items);
      inventory.push(...s.inventory);
      warnings.push(...s.warnings);
    }
    complete.push(...manifest.complete);
  } else if (manifest) {
    for (const o of manifest.objects) inventory.push(keyToPath(o.key).path);
    complete.push(...manifest.complete);
  } else if (selection && targets?.kind === 'wildcards') {
    items.push(...targets.items);
    notes.push(targets.note);
  } else if (selection && targets?.kind === 'listing') {
    for (const t of targets.targets) {
      let listing: ObjectEntry[];
      try {
        listing = await list(t);
      } catch (e) {
        // a dry run without credentials: the selection's folder as one wildcard, said so
        if (!plansWithoutCredentials(sel, e)) throw e;
        const wildcard = `${keyToPath(t.keyPrefix).path}*`;
        items.push(wildcard);
        notes.push(`planned without listing s3://…/${t.keyPrefix} (${skipReason(sel)}): the selection is sent as '${wildcard}', whose over-invalidation cannot be counted; with credentials (and without --offline) the dry run lists the objects and sends only those that match.`);
        continue;
      }
      const s = selectFromListing(listing, selection, ctx.routing, t.origin);
      items.push(...s.items);
      inventory.push(...s.inventory);
      warnings.push(...s.warnings);
      complete.push(...listingCompletePrefixes(ctx.routing, t.origin, t.keyPrefix));
    }
  }
  if (!manifest && (sel.listOrigin ?? 'folders') === 'folders' && checked.items.length >= 2) {
    for (const t of foldersToList(checked.items, ctx.routing)) {
      if (listed.some((l) => l.origin === t.origin && t.keyPrefix.startsWith(l.keyPrefix))) continue;
      let entries: ObjectEntry[];
      try {
        entries = await list(t);
      } catch (e) {
        // the folder listing only lets the planner collapse paths: a dry run plans without it
        if (!plansWithoutCredentials(sel, e)) throw e;
        notes.push(`planned without listing the origin folders (${skipReason(sel)}): explicit paths are not collapsed into wildcards; with credentials (and without --offline), or --list-origin none to skip the listing, the plan is the one a real run makes.`);
        break;
      }
      for (const e of entries) inventory.push(keyToPath(e.key).path);
      complete.push(...listingCompletePrefixes(ctx.routing, t.origin, t.keyPrefix));
    }
  }
  if (selection && items.length === checked.items.length && !(targets?.kind === 'wildcards')) {
    if (manifest && manifest.objects.length > 0 && !manifest.objects.some((o) => servedUnderAFolder(o.key, ctx.routing))) {
      throw new InputError(`none of the ${manifest.objects.length} keys of --manifest '${sel.manifest}' is under a folder the stack serves (${CONTENT_TYPE_NAMES.flatMap((t) => ctx.routing.prefixesOf(t)).join(', ')}; first key ${show(manifest.objects[0]!.key)}); give the release's object keys, e.g. video/123/master.m3u8.`);
    }
    notes.push('the selection matched no objects.');
  }
  const selectedChecked = validateItems(items.slice(checked.items.length).map((item) => ({ item, source: 'selected object' })));
  if (items.length > checked.items.length && selectedChecked.problems.length > 0) throw new InputError(selectedChecked.problems);
  return { items, ...(inventory.length > 0 || complete.length > 0 ? { inventory: { paths: inventory, completePrefixes: [...new Set(complete)] } } : {}), warnings, notes };
}

/** Whether a manifest key lies under a folder one of the stack's behaviors names (not only the default behavior). */
function servedUnderAFolder(key: string, routing: Routing): boolean {
  const path = key.startsWith('/') ? key : `/${key}`;
  return CONTENT_TYPE_NAMES.some((t) => routing.prefixesOf(t).some((p) => p !== '/' && path.startsWith(p)));
}

/**
 * Attempts of the month-to-date read: enough to ride out throttling or a 5xx, few enough that a wrong
 * endpoint fails within seconds (on top of the SDK's own attempts per call).
 */
export const USAGE_READ_MAX_ATTEMPTS = 5;

/**
 * Month-to-date paths of the stack's distributions (ListInvalidations; sizes cached in the queue file).
 * Throttling, 5xx and dropped connections are retried with `backoff`; when they persist the command
 * fails (exit 1), never as bad input. Credentials, permissions and an unreachable endpoint are the
 * environment's (exit 3); anything else (an unknown distribution) is bad input (exit 2).
 */
export async function monthToDate(ctx: Context, backoff: BackoffPolicy = DEFAULT_BACKOFF): Promise<number> {
  const store = ctx.queue();
  const sizes = store.sizeCache();
  const ids = [ctx.outputs.distributionId, ...(ctx.outputs.stagingDistributionId ? [ctx.outputs.stagingDistributionId] : [])];
  const policy = { ...backoff, maxAttempts: Math.min(backoff.maxAttempts, USAGE_READ_MAX_ATTEMPTS) };
  try {
    const n = await withRetries(() => pathsSince(ctx.api, ids, monthStartUtc(new Date(ctx.now())), sizes), {
      policy,
      sleep: ctx.sleep,
      onRetry: (r) => {
        if (!ctx.quiet) ctx.err(`note: reading this month's invalidations failed (${r.error}); retrying in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt + 1} of ${policy.maxAttempts}).`);
      },
    });
    store.saveSizes(sizes);
    return n;
  } catch (e) {
    if (e instanceof RetriesExhausted) {
      throw new CheckFailed(`error: could not read this month's invalidations with ListInvalidations: ${e.message}; CloudFront is throttling or unreachable and nothing was sent: run again later, or give --month-to-date <paths> to plan without it.`);
    }
    // credentials, permissions, an unreachable endpoint: the environment's one line (exit 3), not bad input
    if (classifyError(e).kind !== 'internal') throw e;
    throw new InputError(`could not read this month's invalidations with ListInvalidations (${(e as Error).name}: ${(e as Error).message}); check credentials and --endpoint, or give --month-to-date <paths> to plan without it.`);
  }
}

/**
 * The cache tags that may replace the paths of the changed objects (lib/tagging `tagCandidates`):
 * reads the tags the changed S3 objects carry (HeadObject) and lists each candidate tag's folders
 * the inventory does not cover yet. Nothing when the stack has no cache-tag header (`auto`) or tags
 * are `off`.
 */
export async function tagPlanning(items: readonly string[], inventory: OriginInventory | undefined, mode: PlanningSpec['tags'], ctx: Context): Promise<{ tags?: TagCandidate[]; inventory?: OriginInventory; notes: string[] }> {
  const header = mode === 'off' ? '' : mode === 'on' ? ctx.outputs.cacheTagHeader || DEFAULT_CACHE_TAG_HEADER : ctx.outputs.cacheTagHeader ?? '';
  const notes: string[] = [];
  const unchanged = { ...(inventory ? { inventory } : {}), notes };
  if (header === '') return unchanged;
  const catalog = resolveCatalog();
  let metadataKey: string | undefined;
  try {
    metadataKey = tagSettings(catalog, header).metadataKey;
  } catch {
    // Not S3 user metadata: the tags of S3 objects are taken from the catalog (noted below when it matters).
  }
  const bucketOf = (origin: string) => (isS3Origin(origin) ? ctx.outputs.buckets[origin as 'video' | 'images' | 'static']?.name : undefined);
  const planned = await planTags({ catalog, routing: ctx.routing, items, inventory }, {
    readTags: async (paths) => {
      const carried = new Map<string, readonly string[] | undefined>();
      const progress = startProgress('reading cache tags', paths.length, { quiet: ctx.quiet });
      try {
        await mapConcurrent(paths, 16, async (path) => {
          const bucket = bucketOf(ctx.routing.originOf(path));
          if (bucket && metadataKey) {
            const head = await headObject(ctx.s3(), bucket, pathToKey(path));
            carried.set(path, head ? tagsFromMetadata({ metadataKey }, head.metadata) : []);
          }
          progress.increment();
        });
      } finally {
        progress.stop();
      }
      return carried;
    },
    // The CLI lists whole folders: its listings are always complete.
    listFolder: async (t) => {
      const bucket = bucketOf(t.origin);
      return bucket ? { keys: (await listObjects(ctx.s3(), bucket, t.keyPrefix)).map((e) => e.key), complete: true } : { keys: [], complete: false };
    },
  });
  if (!planned) return unchanged;
  if (!metadataKey) notes.push(`the cache-tag header '${header}' is not S3 user metadata: the tags of S3 objects are taken from the catalog, not read.`);
  if (planned.untagged > 0) notes.push(`${planned.untagged} changed objects carry no cache tags (metadata '${metadataKey}'); they are invalidated by path ('npm run tag' tags them).`);
  return { tags: planned.tags, inventory: planned.inventory, notes };
}

/**
 * Whether a dry run goes on without an AWS read that failed for want of credentials (an optional
 * listing or tag read): the plan then says what it skipped. Anything else is rethrown by the caller.
 */
function plansWithoutCredentials(sel: SelectionSpec, e: unknown): boolean {
  return e instanceof OfflineSkip || (sel.dryRun === true && classifyError(e).kind === 'credentials');
}

/** Thrown instead of an AWS call under `--offline`. */
class OfflineSkip extends Error {}

/** Why a dry run planned without an AWS read, for its notes. */
function skipReason(sel: SelectionSpec): string {
  return sel.offline ? '--offline' : 'no AWS credentials';
}

/** Plans and batches a selection. */
export async function planSelection(sel: SelectionSpec, p: PlanningSpec, ctx: Context, readStdin: () => Promise<string>, o: { backoff?: BackoffPolicy } = {}): Promise<Planned> {
  const sizes = p.batchSizes ?? DEFAULT_BATCH_SIZES;
  validateBatchSizes(sizes);
  const resolved = await resolveSelection(sel, ctx, readStdin);
  const withoutTags = { ...(resolved.inventory ? { inventory: resolved.inventory } : {}), notes: [`planned without cache tags (${skipReason(sel)}: the objects' tags were not read): every changed object is invalidated by path.`] };
  const tagged: Awaited<ReturnType<typeof tagPlanning>> = sel.offline
    ? withoutTags
    : await tagPlanning(resolved.items, resolved.inventory, p.tags ?? 'auto', ctx).catch((e: unknown) => {
      // reading the changed objects' cache tags only lets the planner use tags: a dry run plans without them
      if (!plansWithoutCredentials(sel, e)) throw e;
      return withoutTags;
    });
  const offlineUsage = sel.offline && p.monthToDatePaths === undefined;
  if (offlineUsage) resolved.notes.push("--offline: this month's invalidations were not read; the cost assumes none were billed yet (give --month-to-date <paths> for the real figure).");
  const mtd = p.monthToDatePaths ?? (offlineUsage ? 0 : await monthToDate(ctx, o.backoff));
  const plan = planInvalidation(resolved.items, tagged.inventory, {
    maxOverInvalidation: (p.maxOverInvalidationPct ?? 5) / 100,
    monthToDatePaths: mtd,
    objective: p.objective ?? 'paths',
    ...(tagged.tags && tagged.tags.length > 0 ? { tags: tagged.tags } : {}),
  });
  const batches = splitIntoBatches(plan.items, sizes);
  const billedPerBatch = billedPathsPerBatch(batches, mtd);
  return { plan: { ...plan, notes: [...resolved.notes, ...tagged.notes, ...plan.notes] }, batches, billedPerBatch, warnings: resolved.warnings };
}

/** The queue entry of a planned request. */
export function enqueueInput(id: string, distributionId: string, source: string, notBefore: number, planned: Planned): EnqueueInput {
  return { id, distributionId, source, notBefore, summary: { ...planned.plan.stats, wildcardsPlanned: planned.plan.wildcards.length }, batches: planned.batches, billedPaths: planned.billedPerBatch };
}
