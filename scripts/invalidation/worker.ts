/**
 * The invalidation worker: runs due cron schedules, sends queued batches when the distribution's
 * in-progress quotas allow (spec §8.4), polls sent batches until `Completed`, and backs off on
 * TooManyInvalidationsInProgress, throttling, 5xx and network failures (lib/invalidation/backoff).
 * All state is in the `QueueStore`, written before and after every call, so the worker can be
 * killed at any moment and resumed: a batch whose CreateInvalidation outcome was lost is sent
 * again with the same CallerReference and CloudFront returns the original (spec §8.3).
 */
import {
  addLoad, batchSentMetrics, parseCron, completionMetrics, DEFAULT_BACKOFF, DEFAULT_IN_FLIGHT_LIMITS, describeError, fitsInFlight, inFlightLoad,
  NO_RATE_LIMITS, RatePacer, retryDecision, STATUS_COMPLETED, type BackoffPolicy, type InFlight, type InFlightLimits, type InvalidationApi, type LoadCache,
  type MetricInput, type RateLimits,
} from '../../lib/invalidation';
import type { EnqueueInput, QueueStore, StoredSchedule } from './queue-store';

export interface WorkerDeps {
  readonly store: QueueStore;
  readonly api: InvalidationApi;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Publishes metrics; failures are logged, never fatal. */
  readonly publish?: (input: MetricInput) => Promise<void>;
  readonly metricsNamespace?: string;
  readonly log?: (line: string) => void;
  /**
   * Plans a schedule's run into a request (lists the origin, plans, batches). Schedules of other
   * distributions, or without a planner, are left alone.
   */
  readonly planSchedule?: (schedule: StoredSchedule, runAt: Date) => Promise<EnqueueInput | undefined>;
  /** The distribution whose schedules this worker runs. */
  readonly distributionId?: string;
  /** Called after every state change (progress bars). */
  readonly onProgress?: () => void;
}

export interface WorkerOptions {
  readonly limits?: InFlightLimits;
  /** Per-second send rates (spec §8.4 [3p]; lib/invalidation/rate). @default none (the CLI passes its --rate-* settings) */
  readonly rates?: RateLimits;
  readonly backoff?: BackoffPolicy;
  /** How often in-progress batches are polled and idle work is rechecked, ms. @default 5000 */
  readonly pollIntervalMs?: number;
  /** How long a reading of other invalidations in flight is trusted, ms. @default 10000 */
  readonly inFlightRefreshMs?: number;
  /** Only these requests (the `submit` command's inline worker). */
  readonly requestIds?: readonly string[];
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class InvalidationWorker {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (line: string) => void;
  private readonly limits: InFlightLimits;
  private readonly pacer: RatePacer;
  /** When the first batch held back by the per-second rates may go (set by each send pass). */
  private rateWakeAt: number | undefined;
  private readonly backoff: BackoffPolicy;
  private readonly pollMs: number;
  private readonly refreshMs: number;
  private readonly loads: LoadCache = new Map();
  /** Per distribution: load of invalidations not tracked by this queue, and when it was read. */
  private readonly external = new Map<string, { load: InFlight; at: number }>();
  private readonly nextPoll = new Map<string, number>();
  private stopping = false;

  constructor(private readonly deps: WorkerDeps, private readonly opts: WorkerOptions = {}) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? sleepReal;
    this.log = deps.log ?? (() => {});
    this.limits = opts.limits ?? DEFAULT_IN_FLIGHT_LIMITS;
    this.pacer = new RatePacer(opts.rates ?? NO_RATE_LIMITS);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.pollMs = opts.pollIntervalMs ?? 5000;
    this.refreshMs = opts.inFlightRefreshMs ?? 10_000;
  }

  private wake: (() => void) | undefined;

  /** Asks `run` to return after the current step (a pause between passes ends at once). */
  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /**
   * True when nothing of this worker's scope is in progress, due, or waiting out a backoff, and no
   * schedule is due. Batches queued for a later `--at` time do not keep the worker busy.
   */
  idle(): boolean {
    const { store } = this.deps;
    const now = this.now();
    if (store.inProgress(this.opts.requestIds).length > 0) return false;
    if (store.dueBatches(now, this.opts.requestIds).length > 0) return false;
    if (store.retrying(this.opts.requestIds).length > 0) return false;
    if (!this.opts.requestIds && this.deps.planSchedule && store.dueSchedules(now).some((s) => s.distributionId === this.deps.distributionId)) return false;
    return true;
  }

  /** One pass: schedules, polls, sends. Returns how long to wait before the next pass, ms. */
  async tick(): Promise<number> {
    await this.runSchedules();
    await this.poll();
    await this.send();
    const { store } = this.deps;
    const now = this.now();
    let wait = this.pollMs;
    const due = store.nextDueAt(this.opts.requestIds);
    // Due batches held back only by the per-second rates wait for the rate, not for the next millisecond.
    if (due !== undefined && !(this.rateWakeAt !== undefined && due <= now)) wait = Math.min(wait, Math.max(0, due - now));
    for (const t of this.nextPoll.values()) wait = Math.min(wait, Math.max(0, t - now));
    if (this.rateWakeAt !== undefined) wait = Math.min(wait, Math.max(0, this.rateWakeAt - now));
    if (!this.opts.requestIds) for (const s of store.schedules()) wait = Math.min(wait, Math.max(0, s.nextRunAt - now));
    return Math.max(wait, 1);
  }

  /**
   * Runs passes until `until()` says stop (default: never), `stop()` is called or `deadline`
   * (epoch ms) passes. Returns true when it stopped because `until()` was satisfied.
   */
  async run(o: { until?: () => boolean; deadline?: number } = {}): Promise<boolean> {
    for (;;) {
      const wait = await this.tick();
      if (o.until?.()) return true;
      if (this.stopping) return false;
      if (o.deadline !== undefined && this.now() >= o.deadline) return false;
      const pause = o.deadline !== undefined ? Math.min(wait, Math.max(1, o.deadline - this.now())) : wait;
      await Promise.race([this.sleep(pause), new Promise<void>((r) => (this.wake = r))]);
      this.wake = undefined;
      if (this.stopping) return false;
    }
  }

  private async metric(input: MetricInput): Promise<void> {
    if (!this.deps.publish) return;
    try {
      await this.deps.publish(input);
    } catch (e) {
      this.log(`warning: could not publish metrics (${describeError(e)}); the invalidation itself is not affected.`);
    }
  }

  private async runSchedules(): Promise<void> {
    const { store, planSchedule, distributionId } = this.deps;
    if (this.opts.requestIds || !planSchedule) return;
    for (const s of store.dueSchedules(this.now())) {
      if (s.distributionId !== distributionId) continue;
      const runAt = new Date(s.nextRunAt);
      let request: EnqueueInput | undefined;
      try {
        request = await planSchedule(s, runAt);
      } catch (e) {
        this.log(`schedule ${s.id}: planning the run of ${runAt.toISOString()} failed (${describeError(e)}); retrying on the next pass.`);
        continue;
      }
      const next = parseCron(s.cron).next(new Date(Math.max(this.now(), s.nextRunAt))).getTime();
      if (store.recordScheduleRun(s.id, s.nextRunAt, next, request, this.now())) {
        this.log(`schedule ${s.id}: run of ${runAt.toISOString()} queued ${request ? `as ${request.id} (${request.batches.length} batches)` : '(nothing to invalidate)'}; next run ${new Date(next).toISOString()}.`);
        this.deps.onProgress?.();
      }
    }
  }

  private async poll(): Promise<void> {
    const { store, api } = this.deps;
    for (const b of store.inProgress(this.opts.requestIds)) {
      const key = `${b.requestId}#${b.seq}`;
      const now = this.now();
      if ((this.nextPoll.get(key) ?? 0) > now) continue;
      this.nextPoll.set(key, now + this.pollMs);
      try {
        const inv = await api.get(b.distributionId, b.invalidationId!);
        if (inv.status !== STATUS_COMPLETED) continue;
        const at = this.now();
        store.markCompleted(b, at);
        this.nextPoll.delete(key);
        this.log(`${b.requestId} batch ${b.seq + 1}: invalidation ${b.invalidationId} completed.`);
        this.deps.onProgress?.();
        if (this.deps.metricsNamespace) await this.metric(completionMetrics(this.deps.metricsNamespace, b.distributionId, (at - (b.submittedAt ?? at)) / 1000, new Date(at)));
      } catch (e) {
        const d = retryDecision(e, 1, this.backoff);
        if (d.kind === 'fatal') {
          store.markFailed(b, `GetInvalidation: ${describeError(e)}`);
          this.nextPoll.delete(key);
          this.log(`${b.requestId} batch ${b.seq + 1}: ${describeError(e)}; marked failed.`);
          this.deps.onProgress?.();
        } else this.log(`${b.requestId} batch ${b.seq + 1}: polling failed (${describeError(e)}); trying again.`);
      }
    }
  }

  /** In-flight load of a distribution: our in-progress batches plus everything else CloudFront reports. */
  private async inFlight(distributionId: string, force: boolean): Promise<InFlight> {
    const { store, api } = this.deps;
    const ours = store.inProgress().filter((b) => b.distributionId === distributionId);
    let load: InFlight = { paths: 0, wildcards: 0 };
    for (const b of ours) load = addLoad(load, b.load);
    const cached = this.external.get(distributionId);
    const now = this.now();
    if (force || !cached || now - cached.at >= this.refreshMs) {
      const exclude = new Set(ours.map((b) => b.invalidationId!).filter(Boolean));
      const r = await inFlightLoad(api, distributionId, this.loads, { exclude });
      this.external.set(distributionId, { load: r.load, at: now });
      return addLoad(load, r.load);
    }
    return addLoad(load, cached.load);
  }

  private async send(): Promise<void> {
    const { store, api } = this.deps;
    const due = store.dueBatches(this.now(), this.opts.requestIds);
    const blocked = new Set<string>();
    this.rateWakeAt = undefined;
    const loads = new Map<string, InFlight>();
    for (const b of due) {
      if (this.stopping) return;
      if (blocked.has(b.distributionId)) continue;
      let inFlight = loads.get(b.distributionId);
      if (!inFlight) {
        try {
          inFlight = await this.inFlight(b.distributionId, false);
        } catch (e) {
          if (retryDecision(e, 1, this.backoff).kind !== 'fatal') {
            this.log(`could not read the invalidations in progress of ${b.distributionId} (${describeError(e)}); trying again.`);
            blocked.add(b.distributionId);
            continue;
          }
          // Not allowed or no such distribution: count only this queue's invalidations and let
          // CreateInvalidation decide (it is retried on TooManyInvalidationsInProgress).
          this.log(`warning: ListInvalidations failed for ${b.distributionId} (${describeError(e)}); counting only this queue's invalidations as in flight.`);
          inFlight = store.inProgress().filter((x) => x.distributionId === b.distributionId).reduce<InFlight>((l, x) => addLoad(l, x.load), { paths: 0, wildcards: 0 });
        }
      }
      if (!fitsInFlight(inFlight, b.load, this.limits)) {
        // First in, first out: later batches wait behind this one.
        blocked.add(b.distributionId);
        this.external.delete(b.distributionId);
        continue;
      }
      const rateWait = this.pacer.waitMs(b.load, this.now());
      if (rateWait > 0) {
        // The per-second rate is the account's: later batches wait behind this one too.
        this.rateWakeAt = Math.min(this.rateWakeAt ?? Infinity, this.now() + rateWait);
        blocked.add(b.distributionId);
        continue;
      }
      try {
        const inv = await api.create(b.distributionId, b.callerReference, b.items);
        const at = this.now();
        this.pacer.record(b.load, at);
        store.markSubmitted(b, inv.id, at);
        this.loads.set(inv.id, b.load);
        loads.set(b.distributionId, addLoad(inFlight, b.load));
        this.log(`${b.requestId} batch ${b.seq + 1}: sent as ${inv.id} (${b.items.length} items, CallerReference ${b.callerReference}).`);
        this.deps.onProgress?.();
        if (this.deps.metricsNamespace) await this.metric(batchSentMetrics(this.deps.metricsNamespace, b.distributionId, { paths: b.items.length, billedPaths: b.billedPaths, failed: false, at: new Date(at) }));
      } catch (e) {
        const d = retryDecision(e, b.attempts + 1, this.backoff, this.deps.random);
        const error = describeError(e);
        // A timeout or a 5xx may hide an invalidation that was created: read what is in flight again.
        loads.delete(b.distributionId);
        this.external.delete(b.distributionId);
        if (d.retry) {
          store.markRetry(b, this.now() + d.delayMs, error);
          this.log(`${b.requestId} batch ${b.seq + 1}: ${error}; retrying in ${d.delayMs} ms (attempt ${b.attempts + 1}).`);
          if (d.kind === 'in-flight-limit') {
            blocked.add(b.distributionId);
            this.external.delete(b.distributionId);
          }
        } else {
          store.markFailed(b, error);
          this.log(`${b.requestId} batch ${b.seq + 1}: ${error}; giving up after ${b.attempts + 1} attempts.`);
          if (this.deps.metricsNamespace) await this.metric(batchSentMetrics(this.deps.metricsNamespace, b.distributionId, { paths: b.items.length, billedPaths: 0, failed: true, at: new Date(this.now()) }));
        }
        this.deps.onProgress?.();
      }
    }
  }
}
