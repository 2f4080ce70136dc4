/**
 * The `worker`, `status`, `schedule` and `retry` subcommands.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import { parseCron, STATUS_COMPLETED } from '../../lib/invalidation';
import { CheckFailed, EXIT_CHECK_FAILED, EXIT_OK, writeJsonFile, type OptionValues } from '../lib/cli';
import { startProgress } from '../lib/progress';
import { COMMON_HELP, COMMON_OPTIONS, type Context } from './context';
import { enqueueInput, planSelection, type PlanningSpec, type SelectionSpec } from './planning';
import { currentProcess } from './queue-file';
import { rescueLostQueue, watchQueueFile } from './queue-recovery';
import type { StoredSchedule } from './queue-store';

/** How often a running worker checks that its queue file is still the one it opened, ms. */
export const FILE_CHECK_MS = 1000;
import { PLANNING_HELP, PLANNING_OPTIONS, planningFromValues, SELECTION_HELP, SELECTION_OPTIONS, selectionFromValues, sendNow } from './submit';
import { InvalidationWorker } from './worker';


const noStdin = () => Promise.reject(new InputError('schedules cannot read paths from stdin; list them as arguments or in --paths-file.'));

// ------------------------------------------------------------------ worker

export const WORKER_SPEC = {
  usage: 'npm run invalidate -- [--stack X | --outputs f] worker',
  summary:
    'Runs the durable queue: queued and --at requests, cron schedules (schedule add), retries with backoff, polling until Completed. ' +
    'Safe to kill at any moment: restarted, it resumes without losing or duplicating an invalidation.',
  options: { ...COMMON_OPTIONS, ...PLANNING_OPTIONS, 'exit-when-idle': { type: 'boolean' }, 'max-runtime': { type: 'number', integer: true, min: 1, max: 86_400 * 365 }, 'dry-run': { type: 'boolean' } },
  help: {
    ...COMMON_HELP,
    ...PLANNING_HELP,
    'exit-when-idle': 'exit once nothing is due or in progress (for cron jobs and tests)',
    'max-runtime': 'exit after this many seconds',
    'dry-run': 'show what is due (batches and schedules) and exit without sending',
  },
  examples: ['npm run invalidate -- --stack prod worker', 'npm run invalidate -- --outputs outputs.json worker --exit-when-idle'],
} as const;

/** Stored with a schedule: what to select and how to plan. */
export interface ScheduleSpec {
  readonly selection: SelectionSpec;
  readonly planning: PlanningSpec;
  /** Only objects modified since the previous run (listing-based selections). */
  readonly changedOnly: boolean;
}

/** The request of one schedule run (id derived from the schedule and the run time, so a re-planned run reuses its CallerReferences). */
export async function planScheduleRun(ctx: Context, s: StoredSchedule, runAt: Date) {
  const spec = s.spec as unknown as ScheduleSpec;
  let selection = spec.selection;
  if (spec.changedOnly) {
    const cron = parseCron(s.cron);
    const period = cron.next(runAt).getTime() - runAt.getTime();
    selection = { ...selection, changedSince: new Date(s.lastRunAt ?? runAt.getTime() - period).toISOString() };
  }
  const planned = await planSelection(selection, spec.planning, ctx, noStdin);
  if (planned.batches.length === 0) return undefined;
  return enqueueInput(`sched-${s.id}-${runAt.toISOString()}`, s.distributionId, `schedule:${s.id}`, runAt.getTime(), planned);
}

export async function workerCommand(v: OptionValues<typeof WORKER_SPEC.options>, ctx: Context): Promise<number> {
  const problems: string[] = [];
  const { send } = planningFromValues(v, problems);
  const maxRuntime = v['max-runtime'];
  if (problems.length > 0) throw new InputError(problems);
  const store = ctx.queue();
  if (v['dry-run']) {
    const now = ctx.now();
    const due = store.dueBatches(now);
    const schedules = store.dueSchedules(now);
    ctx.out(renderTable(['request', 'batch', 'items', 'attempts', 'CallerReference'], due.map((b) => [b.requestId, String(b.seq + 1), String(b.items.length), String(b.attempts), b.callerReference])));
    ctx.out(`\n${due.length} batches due, ${store.inProgress().length} in progress, ${schedules.length} schedules due (${schedules.map((s) => s.id).join(', ') || 'none'}).`);
    ctx.out('dry run: nothing was sent.');
    return EXIT_OK;
  }
  const me = currentProcess();
  const lock = store.acquireWorkerLock(me);
  if (!lock.ok) {
    throw new CheckFailed(`error: another worker (pid ${lock.holder.pid}) is running on ${ctx.queueFile}; stop it first, or give this one another --queue ('npm run invalidate -- queue unlock' clears a lock whose worker is gone).`);
  }
  // With the lock held: the journal keeps only requests not done yet.
  store.compactJournal();
  const failedBefore = store.counts().failed;
  const worker = new InvalidationWorker(
    {
      store, api: ctx.api, now: ctx.now, sleep: ctx.sleep, distributionId: ctx.outputs.distributionId,
      planSchedule: (s, runAt) => planScheduleRun(ctx, s, runAt),
      ...(ctx.publish && ctx.metricsNamespace ? { publish: ctx.publish, metricsNamespace: ctx.metricsNamespace } : {}),
      ...(ctx.quiet ? {} : { log: (l: string) => ctx.err(`${new Date(ctx.now()).toISOString()} ${l}`) }),
    },
    { limits: send.limits, rates: send.rates, backoff: send.backoff, pollIntervalMs: send.pollMs, inFlightRefreshMs: Math.max(send.pollMs, 1000) },
  );
  const stop = () => worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A queue file deleted or replaced under the worker would take its work with it: stop and save it.
  const watch = watchQueueFile(store, FILE_CHECK_MS, () => worker.stop());
  try {
    await worker.run({
      ...(v['exit-when-idle'] ? { until: () => watch.changed() !== undefined || worker.idle() } : {}),
      ...(maxRuntime !== undefined ? { deadline: ctx.now() + maxRuntime * 1000 } : {}),
    });
  } finally {
    watch.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const lost = watch.changed();
  if (lost) throw rescueLostQueue(store, lost);
  store.releaseWorkerLock(me);
  const c = store.counts();
  ctx.out(`worker stopped: ${c.completed} batches completed, ${c.in_progress} in progress, ${c.queued} queued, ${c.failed} failed.`);
  return c.failed > failedBefore ? EXIT_CHECK_FAILED : EXIT_OK;
}

// ------------------------------------------------------------------ status

export const STATUS_SPEC = {
  usage: 'npm run invalidate -- [--stack X | --outputs f] status [request-id | invalidation-id]',
  summary: 'Shows queued requests and recent invalidations, or one request (its batches) or one invalidation; --wait waits for Completed.',
  options: {
    ...COMMON_OPTIONS, wait: { type: 'boolean' }, timeout: { type: 'number', integer: true, min: 1, max: 86_400, default: 600 },
    'poll-ms': { type: 'number', integer: true, min: 1, max: 600_000, default: 5000 }, limit: { type: 'number', integer: true, min: 1, max: 100, default: 10 },
  },
  help: { ...COMMON_HELP, wait: 'wait until it is Completed (progress bar)', timeout: 'seconds to wait (default 600)', 'poll-ms': 'GetInvalidation interval, ms (default 5000)', limit: 'rows of the overview (default 10)' },
  allowPositionals: true,
  examples: ['npm run invalidate -- --stack prod status', 'npm run invalidate -- --stack prod status req-20250601T0200-1a2b3c4d --wait'],
} as const;

export async function statusCommand(v: OptionValues<typeof STATUS_SPEC.options>, positionals: readonly string[], ctx: Context): Promise<number> {
  const problems: string[] = [];
  const { timeout: timeoutS, 'poll-ms': pollMs, limit } = v;
  if (positionals.length > 1) problems.push(`status takes at most one id, got ${positionals.length}: ${positionals.join(' ')}.`);
  if (problems.length > 0) throw new InputError(problems);
  const id = positionals[0];
  const store = ctx.queue();
  const distributionId = ctx.outputs.distributionId;

  if (id === undefined) {
    const requests = store.requests(limit).map((r) => {
      const c = store.counts([r.id]);
      return { id: r.id, source: r.source, created: new Date(r.createdAt).toISOString(), status: r.status, ...c };
    });
    const page = await ctx.api.list(distributionId);
    const recent = page.items.slice(0, limit).map((s) => ({ id: s.id, status: s.status, created: s.createTime.toISOString() }));
    ctx.out(renderTable(['request', 'source', 'created', 'status', 'queued', 'in progress', 'completed', 'failed'], requests.map((r) => [r.id, r.source, r.created, r.status, String(r.queued), String(r.in_progress), String(r.completed), String(r.failed)])));
    ctx.out('');
    ctx.out(renderTable(['invalidation', 'status', 'created'], recent.map((r) => [r.id, r.status, r.created])));
    ctx.out(`\nschedules: ${store.schedules().map((s) => `${s.id} (${s.cron}, next ${new Date(s.nextRunAt).toISOString()})`).join('; ') || 'none'}`);
    if (v.json) writeJsonFile(v.json, { requests, invalidations: recent, schedules: store.schedules() });
    return EXIT_OK;
  }

  const request = store.request(id);
  const targets = request
    ? store.batches(id).map((b) => ({ label: `batch ${b.seq + 1}`, distributionId: b.distributionId, invalidationId: b.invalidationId, state: b.state, error: b.lastError }))
    : [{ label: 'invalidation', distributionId, invalidationId: id, state: 'in_progress', error: null }];
  const read = async () => {
    const rows = [];
    for (const t of targets) {
      let status: string = t.state;
      if (t.invalidationId && t.state !== 'failed') status = (await ctx.api.get(t.distributionId, t.invalidationId)).status;
      rows.push({ ...t, status });
    }
    return rows;
  };
  let rows = await read();
  const complete = () => rows.every((r) => r.status === STATUS_COMPLETED || r.status === 'completed' || r.status === 'failed');
  if (v.wait && !complete()) {
    const progress = startProgress('completed', rows.length, { quiet: ctx.quiet });
    let shown = rows.filter((r) => r.status === STATUS_COMPLETED).length;
    progress.increment(shown);
    const deadline = ctx.now() + timeoutS * 1000;
    while (!complete() && ctx.now() < deadline) {
      await ctx.sleep(Math.min(pollMs, Math.max(1, deadline - ctx.now())));
      rows = await read();
      const n = rows.filter((r) => r.status === STATUS_COMPLETED).length;
      if (n > shown) progress.increment(n - shown);
      shown = n;
    }
    progress.stop();
  }
  ctx.out(renderTable(['part', 'invalidation', 'status', 'last error'], rows.map((r) => [r.label, r.invalidationId ?? '-', r.status, r.error ?? ''])));
  if (v.json) writeJsonFile(v.json, { id, request, parts: rows });
  if (rows.some((r) => r.status === 'failed')) throw new CheckFailed(`error: ${id} has failed batches; 'npm run invalidate -- retry ${id}' sends them again.`);
  if (v.wait && !complete()) throw new CheckFailed(`error: timed out after ${timeoutS} s; ${rows.filter((r) => r.status !== STATUS_COMPLETED).length} parts are not Completed yet.`);
  return EXIT_OK;
}

// ------------------------------------------------------------------ schedule

export const SCHEDULE_SPEC = {
  usage: 'npm run invalidate -- [--stack X | --outputs f] schedule add|list|remove',
  summary:
    "Cron schedules run by 'npm run invalidate -- worker' (UTC, five fields). 'add' takes the selection options of submit; listing-based selections " +
    'invalidate only objects modified since the previous run unless --all. (In the cloud, EventBridge Scheduler runs the InvalidationPipeline schedules.)',
  options: { ...COMMON_OPTIONS, ...SELECTION_OPTIONS, ...PLANNING_OPTIONS, cron: { type: 'string' }, id: { type: 'string' }, all: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  help: {
    ...COMMON_HELP,
    ...SELECTION_HELP,
    ...PLANNING_HELP,
    cron: "five-field cron expression in UTC, e.g. '0 */6 * * *'",
    id: 'schedule id (default: derived from the schedule)',
    all: 'invalidate everything selected on every run, not only objects changed since the previous run',
    'dry-run': 'show the schedule and its next runs; save nothing',
  },
  allowPositionals: true,
  examples: [
    'npm run invalidate -- --stack prod schedule add --cron "0 */6 * * *" --content-type video',
    'npm run invalidate -- --stack prod schedule add --cron "*/15 * * * *" --content-type metadata',
    'npm run invalidate -- --stack prod schedule list',
    'npm run invalidate -- --stack prod schedule remove video-0-6',
  ],
} as const;

export async function scheduleCommand(v: OptionValues<typeof SCHEDULE_SPEC.options>, positionals: readonly string[], ctx: Context): Promise<number> {
  const [action, ...rest] = positionals;
  const store = ctx.queue();
  if (action === 'list') {
    const rows = store.schedules();
    ctx.out(renderTable(['id', 'cron', 'distribution', 'next run', 'last run', 'selection'], rows.map((s) => [s.id, s.cron, s.distributionId, new Date(s.nextRunAt).toISOString(), s.lastRunAt ? new Date(s.lastRunAt).toISOString() : '-', JSON.stringify((s.spec as { selection?: unknown }).selection ?? {})])));
    if (v.json) writeJsonFile(v.json, rows);
    return EXIT_OK;
  }
  if (action === 'remove') {
    if (rest.length !== 1) throw new InputError(`schedule remove takes one schedule id, got ${rest.length}; see 'schedule list'.`);
    if (v['dry-run']) {
      ctx.out(`dry run: would remove schedule ${rest[0]}.`);
      return EXIT_OK;
    }
    if (!store.removeSchedule(rest[0]!)) throw new InputError(`no schedule '${rest[0]}' in ${ctx.queueFile}; see 'schedule list'.`);
    ctx.out(`removed schedule ${rest[0]}.`);
    return EXIT_OK;
  }
  if (action !== 'add') throw new InputError(`schedule needs an action: add, list or remove, got ${action === undefined ? 'none' : `'${action}'`}.`);
  const problems: string[] = [];
  if (v.cron === undefined) problems.push('schedule add needs --cron, e.g. --cron "0 */6 * * *" for every 6 hours (UTC).');
  if (rest.includes('-')) problems.push('schedules cannot read paths from stdin (-); list them as arguments or in --paths-file.');
  const { planning } = planningFromValues(v, problems);
  let cron: ReturnType<typeof parseCron> | undefined;
  if (v.cron !== undefined) {
    try {
      cron = parseCron(v.cron);
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  const selection = selectionFromValues(v, rest);
  if (!selection.paths && !selection.pathsFile && !selection.pattern && !selection.contentType) problems.push('schedule add needs something to invalidate: --content-type, --pattern, paths or --paths-file.');
  if (selection.changedSince) problems.push('--changed-since does not apply to schedules: each run takes the objects changed since the previous run (or use --all).');
  if (problems.length > 0) throw new InputError(problems);
  const listing = selection.pattern !== undefined || selection.contentType !== undefined;
  const spec: ScheduleSpec = { selection, planning, changedOnly: listing && v.all !== true };
  const id = v.id ?? `sch-${createHash('sha256').update(JSON.stringify([ctx.outputs.distributionId, v.cron, spec])).digest('hex').slice(0, 10)}`;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new InputError(`--id '${id}' may use letters, digits and . _ - only (1–64 characters).`);
  const now = new Date(ctx.now());
  const runs: Date[] = [];
  for (let t = now; runs.length < 3; ) runs.push((t = cron!.next(t)));
  if (store.schedules().some((s) => s.id === id)) throw new InputError(`a schedule '${id}' exists already; remove it first or give another --id.`);
  const line = `schedule ${id}: '${v.cron}' (UTC) for distribution ${ctx.outputs.distributionId}; next runs ${runs.map((r) => r.toISOString()).join(', ')}${spec.changedOnly ? '; each run invalidates objects changed since the previous run' : ''}.`;
  if (v['dry-run']) {
    ctx.out(`dry run: ${line}`);
    return EXIT_OK;
  }
  store.addSchedule({ id, distributionId: ctx.outputs.distributionId, cron: v.cron ?? '', spec: spec as unknown as Record<string, unknown>, createdAt: now.getTime(), nextRunAt: runs[0]!.getTime() });
  ctx.out(`added ${line}`);
  ctx.out("run 'npm run invalidate -- worker' (as a service, or from cron with --exit-when-idle) to execute it.");
  if (v.json) writeJsonFile(v.json, { id, cron: v.cron, spec, nextRuns: runs });
  return EXIT_OK;
}

// ------------------------------------------------------------------ retry

export const RETRY_SPEC = {
  usage: 'npm run invalidate -- [--stack X | --outputs f] retry <request-id>',
  summary: 'Queues the failed batches of a request again (same CallerReferences) and sends them.',
  options: { ...COMMON_OPTIONS, ...PLANNING_OPTIONS, wait: { type: 'boolean' }, timeout: { type: 'number', integer: true, min: 1, max: 86_400, default: 600 }, 'dry-run': { type: 'boolean' } },
  help: { ...COMMON_HELP, ...PLANNING_HELP, wait: 'wait until Completed', timeout: 'seconds to wait (default 600)', 'dry-run': 'show the failed batches; change nothing' },
  allowPositionals: true,
  examples: ['npm run invalidate -- --stack prod retry req-20250601T0200-1a2b3c4d --wait'],
} as const;

export async function retryCommand(v: OptionValues<typeof RETRY_SPEC.options>, positionals: readonly string[], ctx: Context): Promise<number> {
  const problems: string[] = [];
  const { send } = planningFromValues(v, problems);
  const timeoutS = v.timeout;
  if (positionals.length !== 1) problems.push(`retry takes one request id, got ${positionals.length}; see 'status'.`);
  if (problems.length > 0) throw new InputError(problems);
  const id = positionals[0]!;
  const store = ctx.queue();
  if (!store.request(id)) throw new InputError(`no request '${id}' in ${ctx.queueFile}; see 'status'.`);
  const failed = store.batches(id).filter((b) => b.state === 'failed');
  if (v['dry-run']) {
    ctx.out(renderTable(['batch', 'items', 'last error'], failed.map((b) => [String(b.seq + 1), String(b.items.length), b.lastError ?? ''])));
    ctx.out(`dry run: ${failed.length} failed batches would be queued again.`);
    return EXIT_OK;
  }
  const n = store.requeueFailed(id, ctx.now());
  ctx.out(`queued ${n} failed batches of ${id} again.`);
  const outcome = await sendNow(ctx, id, send, { wait: v.wait === true, timeoutMs: timeoutS * 1000 });
  if (!outcome.ok) throw new CheckFailed(`error: ${outcome.message}`);
  ctx.out(outcome.message);
  return EXIT_OK;
}
