/**
 * The state behind the local CloudFront endpoint: distributions and their invalidations, with the
 * semantics of spec §8.3–§8.4 — CallerReference idempotency, the in-progress quotas (3,000 paths
 * and 15 wildcards per distribution), path validation (lib/semantics), completion after a delay —
 * and hooks through which a local edge applies invalidations to its caches. No HTTP here.
 */
import { randomBytes } from 'node:crypto';
import { classifyInvalidationItems, INVALIDATION_LIMITS, invalidationMatches, isTagItem, validateInvalidationPath, type InvalidationEntry } from '../../lib/semantics';

/** An API error: the code and HTTP status CloudFront answers with (spec §8.3). */
export class CloudFrontApiError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'CloudFrontApiError';
  }
}

export interface EndpointInvalidation {
  readonly id: string;
  readonly distributionId: string;
  readonly callerReference: string;
  readonly items: readonly string[];
  readonly createTime: Date;
  /** When it completes, epoch ms. */
  readonly completesAt: number;
}

/** What a listener learns when an invalidation is created (once per invalidation, not on replays). */
export interface InvalidationEvent {
  readonly distributionId: string;
  readonly invalidationId: string;
  readonly callerReference: string;
  readonly items: readonly string[];
  readonly createTime: Date;
}

/** A cache that invalidations of a distribution apply to (e.g. the local edge's POPs). */
export interface InvalidationTarget {
  /** Removes every entry the items match (see {@link invalidationFilter}); may return how many. */
  invalidate(items: readonly string[], event: InvalidationEvent): unknown;
}

export interface DistributionSettings {
  /** Accept `#tag` items (the distribution has a CacheTagConfig, spec §8.2). @default true */
  readonly tagInvalidation?: boolean;
}

export interface InvalidationModelOptions {
  /** In-progress quotas per distribution (spec §8.4). @default 3,000 paths, 15 wildcards */
  readonly limits?: { readonly maxPaths: number; readonly maxWildcards: number };
  /**
   * `enforce` refuses a batch that would exceed the quotas (TooManyInvalidationsInProgress);
   * `record` accepts it and counts a violation, so a test can check a client keeps within them.
   * @default 'enforce'
   */
  readonly limitMode?: 'enforce' | 'record';
  /** The error of a batch larger than a quota on its own (undocumented, spec §8.3). @default 'TooManyInvalidationsInProgress' */
  readonly oversizeBatchError?: 'TooManyInvalidationsInProgress' | 'BatchTooLarge';
  /** Time from creation to `Completed`, ms, or a function of the items. @default 2000 */
  readonly completionDelayMs?: number | ((items: readonly string[]) => number);
  /** Clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

export interface ModelStats {
  created: number;
  /** Same CallerReference and same items: the original was returned. */
  replays: number;
  /** Same CallerReference, other items: InvalidationBatchAlreadyExists. */
  alreadyExists: number;
  /** Batches refused for the in-progress quotas (not injected faults). */
  limitRejections: number;
  /** Batches accepted over the quotas in `record` mode. */
  limitViolations: number;
  peakPaths: number;
  peakWildcards: number;
}

/** One CreateInvalidation as the model saw it. */
export interface CreateRecord {
  readonly distributionId: string;
  readonly callerReference: string;
  readonly items: readonly string[];
  readonly outcome: 'created' | 'replayed' | 'error';
  readonly error?: string;
  readonly invalidationId?: string;
}

/** `entry` is matched by at least one item (lib/semantics `invalidationMatches`, spec §8.1–§8.2). */
export function invalidationFilter(items: readonly string[]): (entry: InvalidationEntry) => boolean {
  return (entry) => items.some((i) => invalidationMatches(i, entry));
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newInvalidationId(): string {
  const bytes = randomBytes(13);
  let id = 'I';
  for (const b of bytes) id += ID_ALPHABET[b & 31];
  return id;
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

interface DistributionState {
  readonly settings: DistributionSettings;
  /** Newest last. */
  readonly invalidations: EndpointInvalidation[];
  readonly byId: Map<string, EndpointInvalidation>;
  readonly byCallerReference: Map<string, EndpointInvalidation>;
}

export class InvalidationModel {
  readonly stats: ModelStats = { created: 0, replays: 0, alreadyExists: 0, limitRejections: 0, limitViolations: 0, peakPaths: 0, peakWildcards: 0 };
  readonly creates: CreateRecord[] = [];
  private readonly distributions = new Map<string, DistributionState>();
  private readonly listeners = new Set<(e: InvalidationEvent) => void>();
  private readonly completionListeners = new Set<(i: EndpointInvalidation) => void>();
  private readonly caches = new Map<string, Set<InvalidationTarget>>();
  private readonly pendingCompletion: EndpointInvalidation[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Errors thrown by listeners and caches (they never fail the API call). */
  readonly listenerErrors: unknown[] = [];

  constructor(private readonly opts: InvalidationModelOptions = {}) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  get limits(): { maxPaths: number; maxWildcards: number } {
    return this.opts.limits ?? { maxPaths: INVALIDATION_LIMITS.maxInProgressPaths, maxWildcards: INVALIDATION_LIMITS.maxInProgressWildcards };
  }

  addDistribution(id: string, settings: DistributionSettings = {}): void {
    if (!this.distributions.has(id)) this.distributions.set(id, { settings, invalidations: [], byId: new Map(), byCallerReference: new Map() });
  }

  hasDistribution(id: string): boolean {
    return this.distributions.has(id);
  }

  /** Subscribes to created invalidations; returns the unsubscribe function. */
  onInvalidation(listener: (e: InvalidationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to completions (fired by a timer shortly after `completesAt`). */
  onCompleted(listener: (i: EndpointInvalidation) => void): () => void {
    this.completionListeners.add(listener);
    this.armTimer();
    return () => this.completionListeners.delete(listener);
  }

  /** Registers a cache of a distribution: every invalidation created for it is applied at once (edges start immediately, spec §8.3). */
  registerCache(distributionId: string, target: InvalidationTarget): () => void {
    let set = this.caches.get(distributionId);
    if (!set) this.caches.set(distributionId, (set = new Set()));
    set.add(target);
    return () => set.delete(target);
  }

  private dist(id: string): DistributionState {
    const d = this.distributions.get(id);
    if (!d) throw new CloudFrontApiError('NoSuchDistribution', `The specified distribution does not exist: ${id}.`, 404);
    return d;
  }

  statusOf(inv: EndpointInvalidation): 'InProgress' | 'Completed' {
    return this.now() >= inv.completesAt ? 'Completed' : 'InProgress';
  }

  /** Quota load of the distribution's in-progress invalidations (tags count with paths [inferred]). */
  inProgress(distributionId: string): { paths: number; wildcards: number } {
    const d = this.dist(distributionId);
    let paths = 0;
    let wildcards = 0;
    const now = this.now();
    for (let i = d.invalidations.length - 1; i >= 0; i--) {
      const inv = d.invalidations[i]!;
      if (now >= inv.completesAt) continue;
      const c = classifyInvalidationItems(inv.items);
      paths += c.paths + c.tags;
      wildcards += c.wildcards;
    }
    return { paths, wildcards };
  }

  /** CreateInvalidation (spec §8.3). Returns the invalidation and whether it was created now. */
  create(distributionId: string, callerReference: string, items: readonly string[]): { invalidation: EndpointInvalidation; created: boolean } {
    try {
      const r = this.createUnrecorded(distributionId, callerReference, items);
      this.creates.push({ distributionId, callerReference, items: [...items], outcome: r.created ? 'created' : 'replayed', invalidationId: r.invalidation.id });
      return r;
    } catch (e) {
      this.creates.push({ distributionId, callerReference, items: [...items], outcome: 'error', error: e instanceof CloudFrontApiError ? e.code : String(e) });
      throw e;
    }
  }

  private createUnrecorded(distributionId: string, callerReference: string, items: readonly string[]): { invalidation: EndpointInvalidation; created: boolean } {
    const d = this.dist(distributionId);
    if (!callerReference) throw new CloudFrontApiError('InvalidArgument', 'CallerReference is required.');
    if (items.length === 0) throw new CloudFrontApiError('InvalidArgument', 'Paths must contain at least one item.');
    const problems = items.flatMap((i) => validateInvalidationPath(i));
    if (d.settings.tagInvalidation === false) {
      for (const i of items) if (isTagItem(i)) problems.push(`Invalidation tag item '${i}' was given, but distribution ${distributionId} has no CacheTagConfig; add one or invalidate paths.`);
    }
    if (problems.length > 0) {
      throw new CloudFrontApiError('InvalidArgument', `Your request contains one or more invalid invalidation paths. ${problems.join(' ')}`);
    }
    const existing = d.byCallerReference.get(callerReference);
    if (existing) {
      if (sameItems(existing.items, items)) {
        this.stats.replays++;
        return { invalidation: existing, created: false };
      }
      this.stats.alreadyExists++;
      throw new CloudFrontApiError('InvalidationBatchAlreadyExists', `An invalidation batch with CallerReference ${callerReference} already exists with different paths; use a new CallerReference.`, 409);
    }
    const limits = this.limits;
    const c = classifyInvalidationItems(items);
    const batch = { paths: c.paths + c.tags, wildcards: c.wildcards };
    if (batch.paths > limits.maxPaths || batch.wildcards > limits.maxWildcards) {
      this.stats.limitRejections++;
      const code = this.opts.oversizeBatchError ?? 'TooManyInvalidationsInProgress';
      throw new CloudFrontApiError(code, `The batch has ${batch.paths} paths and ${batch.wildcards} wildcard paths; at most ${limits.maxPaths} and ${limits.maxWildcards} can be in progress.`, code === 'BatchTooLarge' ? 413 : 400);
    }
    const now = this.inProgress(distributionId);
    const over = now.paths + batch.paths > limits.maxPaths || now.wildcards + batch.wildcards > limits.maxWildcards;
    if (over) {
      if ((this.opts.limitMode ?? 'enforce') === 'enforce') {
        this.stats.limitRejections++;
        throw new CloudFrontApiError('TooManyInvalidationsInProgress', 'Processing your request will cause you to exceed the maximum number of in-progress invalidations.');
      }
      this.stats.limitViolations++;
    }
    const delay = this.opts.completionDelayMs ?? 2000;
    const createdAt = this.now();
    const inv: EndpointInvalidation = {
      id: newInvalidationId(),
      distributionId,
      callerReference,
      items: [...items],
      createTime: new Date(createdAt),
      completesAt: createdAt + Math.max(0, typeof delay === 'function' ? delay(items) : delay),
    };
    d.invalidations.push(inv);
    d.byId.set(inv.id, inv);
    d.byCallerReference.set(callerReference, inv);
    this.stats.created++;
    this.stats.peakPaths = Math.max(this.stats.peakPaths, now.paths + batch.paths);
    this.stats.peakWildcards = Math.max(this.stats.peakWildcards, now.wildcards + batch.wildcards);
    this.pendingCompletion.push(inv);
    this.armTimer();
    this.notify(inv);
    return { invalidation: inv, created: true };
  }

  private notify(inv: EndpointInvalidation): void {
    const event: InvalidationEvent = { distributionId: inv.distributionId, invalidationId: inv.id, callerReference: inv.callerReference, items: inv.items, createTime: inv.createTime };
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.listenerErrors.push(e);
      }
    }
    for (const c of this.caches.get(inv.distributionId) ?? []) {
      try {
        c.invalidate(inv.items, event);
      } catch (e) {
        this.listenerErrors.push(e);
      }
    }
  }

  /** GetInvalidation. */
  get(distributionId: string, id: string): EndpointInvalidation {
    const inv = this.dist(distributionId).byId.get(id);
    if (!inv) throw new CloudFrontApiError('NoSuchInvalidation', `The specified invalidation does not exist: ${id}.`, 404);
    return inv;
  }

  /** ListInvalidations: newest first, starting after the `marker` id. */
  list(distributionId: string, marker: string | undefined, maxItems: number): { items: EndpointInvalidation[]; isTruncated: boolean; nextMarker?: string } {
    const all = this.dist(distributionId).invalidations;
    let start = all.length - 1;
    if (marker) {
      const at = all.findIndex((i) => i.id === marker);
      start = at < 0 ? all.length - 1 : at - 1;
    }
    const items: EndpointInvalidation[] = [];
    for (let i = start; i >= 0 && items.length < maxItems; i--) items.push(all[i]!);
    const lastIndex = start - items.length;
    const isTruncated = lastIndex >= 0;
    return isTruncated ? { items, isTruncated, nextMarker: items[items.length - 1]!.id } : { items, isTruncated };
  }

  /** Every invalidation of a distribution (or of all), oldest first. */
  invalidations(distributionId?: string): EndpointInvalidation[] {
    if (distributionId !== undefined) return [...this.dist(distributionId).invalidations];
    return [...this.distributions.values()].flatMap((d) => d.invalidations).sort((a, b) => a.createTime.getTime() - b.createTime.getTime());
  }

  private armTimer(): void {
    if (this.timer || this.completionListeners.size === 0 || this.pendingCompletion.length === 0) return;
    const next = Math.min(...this.pendingCompletion.map((i) => i.completesAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
      this.armTimer();
    }, Math.max(0, next - this.now()) + 1);
    this.timer.unref();
  }

  /** Fires completion listeners for invalidations whose time has come. */
  sweep(): void {
    const now = this.now();
    for (let i = this.pendingCompletion.length - 1; i >= 0; i--) {
      const inv = this.pendingCompletion[i]!;
      if (now < inv.completesAt) continue;
      this.pendingCompletion.splice(i, 1);
      for (const l of this.completionListeners) {
        try {
          l(inv);
        } catch (e) {
          this.listenerErrors.push(e);
        }
      }
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
