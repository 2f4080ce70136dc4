/**
 * `submit` (the default subcommand): validate, plan, queue and send an invalidation; `--dry-run`
 * prints the plan with its estimated cost; `--at` queues it for the worker; `--wait` waits for
 * `Completed` with a progress bar.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../../lib/errors';
import {
  DEFAULT_BACKOFF, DEFAULT_BATCH_SIZES, DEFAULT_IN_FLIGHT_LIMITS, DEFAULT_RATE_LIMITS, parseIsoTime, renderPlan, requestPlannedMetrics,
  type BackoffPolicy, type InFlightLimits, type RateLimits,
} from '../../lib/invalidation';
import { CheckFailed, EXIT_OK, writeJsonFile, type OptionValues } from '../lib/cli';
import { startProgress } from '../lib/progress';
import { COMMON_HELP, COMMON_OPTIONS, type Context } from './context';
import { enqueueInput, parsePercent, planSelection, type PlanningSpec, type SelectionSpec } from './planning';
import { currentProcess } from './queue-file';
import { rescueLostQueue, watchQueueFile } from './queue-recovery';
import { InvalidationWorker } from './worker';

/** Options that select what to invalidate (submit, schedule add). */
export const SELECTION_OPTIONS = {
  'paths-file': { type: 'string' },
  pattern: { type: 'string' },
  'content-type': { type: 'string' },
  prefix: { type: 'string' },
  'changed-since': { type: 'string' },
  manifest: { type: 'string' },
  'list-origin': { type: 'choice', choices: ['folders', 'none'] },
} as const;

export const SELECTION_HELP = {
  'paths-file': 'read paths from this file, one per line (use - as an argument for stdin)',
  pattern: "objects whose key matches this glob ('video/2024/**/*.m3u8'; ** spans folders, * does not)",
  'content-type': 'objects of this content type (video, thumbnails, metadata, static, api)',
  prefix: "with --content-type: objects under this folder of the type ('x/' → /thumbnails/x/, /previews/x/)",
  'changed-since': 'only objects modified at or after this ISO time (from the listing)',
  manifest: 'count over-invalidation from this manifest (one key per line, or JSON) instead of listing buckets',
  'list-origin': "'folders' (default): list the folders of explicit paths to collapse them safely; 'none': do not list",
} as const;

/** Options that shape the plan and the sending (submit, worker, schedule add, rollback, retry). */
export const PLANNING_OPTIONS = {
  'max-overinvalidation': { type: 'string' },
  objective: { type: 'choice', choices: ['paths', 'cost'] },
  'month-to-date': { type: 'number', integer: true, min: 0, max: 1_000_000_000 },
  // at most the in-flight quota: checked against --max-*-in-flight below
  'batch-paths': { type: 'number', integer: true, min: 1 },
  'batch-wildcards': { type: 'number', integer: true, min: 1 },
  'max-paths-in-flight': { type: 'number', integer: true, min: 1, max: 1_000_000, default: DEFAULT_IN_FLIGHT_LIMITS.maxPaths },
  'max-wildcards-in-flight': { type: 'number', integer: true, min: 1, max: 10_000, default: DEFAULT_IN_FLIGHT_LIMITS.maxWildcards },
  'rate-paths-per-second': { type: 'number', min: 0, describe: 'a number ≥ 0 (0 turns the limit off)', default: DEFAULT_RATE_LIMITS.pathsPerSecond },
  'rate-wildcards-per-second': { type: 'number', min: 0, describe: 'a number ≥ 0 (0 turns the limit off)', default: DEFAULT_RATE_LIMITS.wildcardsPerSecond },
  tags: { type: 'choice', choices: ['auto', 'on', 'off'] },
  'poll-ms': { type: 'number', integer: true, min: 1, max: 600_000, default: 5000 },
  'backoff-base-ms': { type: 'number', integer: true, min: 1, max: 3_600_000, default: DEFAULT_BACKOFF.baseMs },
  'backoff-max-ms': { type: 'number', integer: true, min: 1, max: 3_600_000, default: DEFAULT_BACKOFF.maxMs },
  'max-attempts': { type: 'number', integer: true, min: 1, max: 1000, default: DEFAULT_BACKOFF.maxAttempts },
} as const;

export const PLANNING_HELP = {
  'max-overinvalidation': 'unchanged objects a wildcard may also invalidate, in % of the changed ones (default 5)',
  objective: "'paths' (default): fewest billed paths; 'cost': fewest dollars, then least over-invalidation",
  'month-to-date': "paths already used this month (default: read with ListInvalidations)",
  'batch-paths': `paths per CreateInvalidation (default ${DEFAULT_BATCH_SIZES.paths}, at most ${DEFAULT_IN_FLIGHT_LIMITS.maxPaths})`,
  'batch-wildcards': `wildcards per CreateInvalidation (default ${DEFAULT_BATCH_SIZES.wildcards}, at most ${DEFAULT_IN_FLIGHT_LIMITS.maxWildcards})`,
  'max-paths-in-flight': `in-progress path quota of the distribution (default ${DEFAULT_IN_FLIGHT_LIMITS.maxPaths})`,
  'max-wildcards-in-flight': `in-progress wildcard quota (default ${DEFAULT_IN_FLIGHT_LIMITS.maxWildcards})`,
  'rate-paths-per-second': `paths and #tags sent per second, account-wide (default ${DEFAULT_RATE_LIMITS.pathsPerSecond}; 0 = no limit)`,
  'rate-wildcards-per-second': `wildcard paths sent per second (default ${DEFAULT_RATE_LIMITS.wildcardsPerSecond}; 0 = no limit)`,
  tags: "'auto' (default): replace a changed video's paths by its cache tag when exact and cheaper, if the stack has a cache-tag header; 'on': even without the output; 'off': paths only",
  'poll-ms': 'how often GetInvalidation is polled, ms (default 5000)',
  'backoff-base-ms': `first backoff delay, ms (default ${DEFAULT_BACKOFF.baseMs})`,
  'backoff-max-ms': `longest backoff delay, ms (default ${DEFAULT_BACKOFF.maxMs})`,
  'max-attempts': `attempts before a throttled or failing batch is given up (default ${DEFAULT_BACKOFF.maxAttempts}; the in-progress quota is waited out)`,
} as const;

type PlanningValues = OptionValues<typeof PLANNING_OPTIONS>;
type SelectionValues = OptionValues<typeof SELECTION_OPTIONS>;

export interface SendSettings {
  readonly limits: InFlightLimits;
  readonly rates: RateLimits;
  readonly backoff: BackoffPolicy;
  readonly pollMs: number;
}

/** Reads the planning options. Problems are collected into `problems`. */
export function planningFromValues(v: PlanningValues, problems: string[]): { planning: PlanningSpec; send: SendSettings } {
  const limits: InFlightLimits = { maxPaths: v['max-paths-in-flight'], maxWildcards: v['max-wildcards-in-flight'] };
  /** A batch size: at most the distribution's in-flight quota. */
  const batchSize = (name: 'batch-paths' | 'batch-wildcards', fallback: number, max: number): number => {
    const n = v[name];
    if (n === undefined) return Math.min(fallback, max);
    if (n > max) problems.push(`--${name} must be a whole number from 1 to ${max}, got '${n}'.`);
    return Math.min(n, max);
  };
  const batchSizes = {
    paths: batchSize('batch-paths', DEFAULT_BATCH_SIZES.paths, limits.maxPaths),
    wildcards: batchSize('batch-wildcards', DEFAULT_BATCH_SIZES.wildcards, limits.maxWildcards),
  };
  const rates: RateLimits = { pathsPerSecond: v['rate-paths-per-second'], wildcardsPerSecond: v['rate-wildcards-per-second'] };
  const mtd = v['month-to-date'];
  const backoff: BackoffPolicy = { baseMs: v['backoff-base-ms'], maxMs: v['backoff-max-ms'], maxAttempts: v['max-attempts'] };
  if (backoff.maxMs < backoff.baseMs) problems.push(`--backoff-max-ms (${backoff.maxMs}) must not be below --backoff-base-ms (${backoff.baseMs}).`);
  return {
    planning: {
      maxOverInvalidationPct: parsePercent(v['max-overinvalidation'], '--max-overinvalidation', 5, problems),
      ...(v.objective !== undefined ? { objective: v.objective } : {}),
      batchSizes,
      ...(mtd !== undefined ? { monthToDatePaths: mtd } : {}),
      ...(v.tags !== undefined ? { tags: v.tags } : {}),
    },
    send: { limits, rates, backoff, pollMs: v['poll-ms'] },
  };
}

export function selectionFromValues(v: SelectionValues & { 'dry-run'?: boolean; offline?: boolean }, positionals: readonly string[]): SelectionSpec {
  return {
    ...(positionals.length > 0 ? { paths: positionals } : {}),
    ...(positionals.includes('-') ? { stdin: true } : {}),
    ...(v['paths-file'] !== undefined ? { pathsFile: v['paths-file'] } : {}),
    ...(v.pattern !== undefined ? { pattern: v.pattern } : {}),
    ...(v['content-type'] !== undefined ? { contentType: v['content-type'] } : {}),
    ...(v.prefix !== undefined ? { prefix: v.prefix } : {}),
    ...(v['changed-since'] !== undefined ? { changedSince: v['changed-since'] } : {}),
    ...(v.manifest !== undefined ? { manifest: v.manifest } : {}),
    ...(v['list-origin'] !== undefined ? { listOrigin: v['list-origin'] } : {}),
    ...(v['dry-run'] === true ? { dryRun: true } : {}),
    ...(v.offline === true ? { offline: true } : {}),
  };
}

/**
 * Sends a queued request now with an inline worker (unless a worker already holds the queue),
 * and with `wait`, until its batches complete. Returns whether everything asked for happened.
 */
export async function sendNow(ctx: Context, requestId: string, send: SendSettings, o: { wait: boolean; timeoutMs: number }): Promise<{ ok: boolean; message: string }> {
  const store = ctx.queue();
  const total = store.batches(requestId).length;
  const me = currentProcess();
  const lock = store.acquireWorkerLock(me);
  const deadline = ctx.now() + o.timeoutMs;
  const done = () => {
    const c = store.counts([requestId]);
    return o.wait ? c.queued + c.in_progress === 0 : c.queued === 0;
  };
  const progress = startProgress(o.wait ? 'completed batches' : 'sent batches', total, { quiet: ctx.quiet });
  let shown = 0;
  const update = () => {
    const c = store.counts([requestId]);
    const n = o.wait ? c.completed + c.failed : c.completed + c.failed + c.in_progress;
    if (n > shown) progress.increment(n - shown);
    shown = n;
  };
  try {
    if (!lock.ok) {
      ctx.err(`a worker (pid ${lock.holder.pid}) is running on ${ctx.queueFile}; it sends request ${requestId}.`);
      while (!done() && ctx.now() < deadline) {
        await ctx.sleep(Math.min(send.pollMs, 1000));
        update();
      }
    } else {
      const worker = new InvalidationWorker(
        {
          store, api: ctx.api, now: ctx.now, sleep: ctx.sleep, onProgress: update,
          ...(ctx.publish && ctx.metricsNamespace ? { publish: ctx.publish, metricsNamespace: ctx.metricsNamespace } : {}),
          ...(ctx.quiet ? {} : { log: (l: string) => ctx.err(l) }),
        },
        { limits: send.limits, rates: send.rates, backoff: send.backoff, pollIntervalMs: send.pollMs, inFlightRefreshMs: Math.max(send.pollMs, 1000), requestIds: [requestId] },
      );
      const stop = () => worker.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const watch = watchQueueFile(store, 1000, () => worker.stop());
      try {
        await worker.run({ until: () => watch.changed() !== undefined || done(), deadline });
      } finally {
        watch.stop();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      const lost = watch.changed();
      if (lost) throw rescueLostQueue(store, lost);
      store.releaseWorkerLock(me);
    }
  } finally {
    update();
    progress.stop();
  }
  const c = store.counts([requestId]);
  if (c.failed > 0) return { ok: false, message: `${c.failed} of ${total} batches of ${requestId} failed; see 'npm run invalidate -- status ${requestId}', then 'retry ${requestId}'.` };
  if (!done()) {
    return { ok: false, message: `timed out: ${c.queued} batches of ${requestId} still queued and ${c.in_progress} in progress; they are kept in ${ctx.queueFile} and 'npm run invalidate -- worker' finishes them.` };
  }
  return { ok: true, message: o.wait ? `all ${total} batches of ${requestId} completed.` : `all ${total} batches of ${requestId} sent (${c.completed} already completed); check with 'status ${requestId} --wait'.` };
}

export const SUBMIT_SPEC = {
  usage: 'npm run invalidate -- [--stack X | --plan f | --outputs f] submit [paths...]',
  summary:
    'Validates, plans and sends an invalidation: explicit paths (arguments, --paths-file, - for stdin) and/or objects selected by --pattern or --content-type. ' +
    'Nothing is sent when any input is invalid. The plan dedupes, drops covered paths and collapses folders into wildcards when cheaper within --max-overinvalidation.',
  options: {
    ...COMMON_OPTIONS,
    ...SELECTION_OPTIONS,
    ...PLANNING_OPTIONS,
    at: { type: 'string' },
    'dry-run': { type: 'boolean' },
    offline: { type: 'boolean' },
    wait: { type: 'boolean' },
    timeout: { type: 'number', integer: true, min: 1, max: 86_400 * 7, default: 600 },
    'request-id': { type: 'string' },
    'queue-only': { type: 'boolean' },
  },
  help: {
    ...COMMON_HELP,
    ...SELECTION_HELP,
    ...PLANNING_HELP,
    at: 'send at this ISO time (queued for the worker: npm run invalidate -- worker)',
    'dry-run': 'print the plan and its estimated cost; send nothing (without AWS credentials it plans without the listings and tag reads, and says so)',
    offline: "with --dry-run: make no AWS call at all (no listing, tag read or month-to-date read; the notes say what was skipped)",
    wait: 'wait until every batch is Completed (progress bar)',
    timeout: 'seconds to wait for sending (and with --wait, completion) (default 600)',
    'request-id': 'id of this request; re-running with the same id never creates a second invalidation (default: random)',
    'queue-only': 'queue the request and return; the worker sends it',
  },
  allowPositionals: true,
  examples: [
    'npm run invalidate -- --stack prod submit /video/a/master.m3u8 /video/a/720p.m3u8 --dry-run',
    "npm run invalidate -- --outputs outputs.json submit --pattern 'video/2024/**/*.m3u8' --wait",
    'npm run invalidate -- --stack prod submit --content-type thumbnails --prefix x/ --changed-since 2025-06-01T00:00:00Z',
    'git diff --name-only | sed "s#^#/#" | npm run invalidate -- --stack prod submit - --request-id release-42',
  ],
} as const;

export async function submitCommand(v: OptionValues<typeof SUBMIT_SPEC.options>, positionals: readonly string[], ctx: Context, readStdin: () => Promise<string>): Promise<number> {
  const problems: string[] = [];
  const { planning, send } = planningFromValues(v, problems);
  const timeoutS = v.timeout;
  let at: Date | undefined;
  if (v.at !== undefined) {
    try {
      at = parseIsoTime(v.at, '--at');
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  const requestId = v['request-id'] ?? `req-${new Date(ctx.now()).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(requestId)) problems.push(`--request-id '${requestId}' may use letters, digits and . _ : - only (1–128 characters).`);
  if (v.offline === true && v['dry-run'] !== true) problems.push('--offline plans without AWS and sends nothing: add --dry-run.');
  if (problems.length > 0) throw new InputError(problems);
  const selection = selectionFromValues(v, positionals);

  const planned = await planSelection(selection, planning, ctx, readStdin, { backoff: send.backoff });
  for (const w of planned.warnings) ctx.err(`warning: ${w}`);
  const result = { requestId, distributionId: ctx.outputs.distributionId, plan: planned.plan, batches: planned.batches, dryRun: v['dry-run'] === true };
  if (v['dry-run']) {
    ctx.out(renderPlan(planned.plan, planned.batches));
    ctx.out(`\ndry run: nothing was sent (distribution ${ctx.outputs.distributionId}, ${planned.batches.length} batches).`);
    if (v.json) writeJsonFile(v.json, result);
    return EXIT_OK;
  }
  if (planned.batches.length === 0) {
    ctx.out(`nothing to invalidate: ${planned.plan.notes.join(' ') || 'no paths remained after planning.'}`);
    if (v.json) writeJsonFile(v.json, { ...result, status: 'nothing-to-do' });
    return EXIT_OK;
  }
  const store = ctx.queue();
  const notBefore = at ? at.getTime() : ctx.now();
  const { created } = store.enqueue(enqueueInput(requestId, ctx.outputs.distributionId, 'cli', notBefore, planned), ctx.now());
  if (!ctx.quiet) ctx.out(renderPlan(planned.plan, planned.batches, { maxItems: 20 }));
  ctx.out(`${created ? 'queued' : 'already queued'}: request ${requestId}, ${planned.batches.length} batches, ${planned.plan.stats.billedPaths} paths${at ? `, not before ${at.toISOString()}` : ''}.`);
  if (ctx.publish && ctx.metricsNamespace) {
    await ctx.publish(requestPlannedMetrics(ctx.metricsNamespace, ctx.outputs.distributionId, planned.plan.stats.requestedItems, new Date(ctx.now()))).catch((e: Error) => ctx.err(`warning: could not publish metrics (${e.message}).`));
  }
  if (v['queue-only'] || (at && at.getTime() > ctx.now() && !v.wait)) {
    ctx.out(`run 'npm run invalidate -- worker' to send it${at ? ` at ${at.toISOString()}` : ''}.`);
    if (v.json) writeJsonFile(v.json, { ...result, status: 'queued' });
    return EXIT_OK;
  }
  const outcome = await sendNow(ctx, requestId, send, { wait: v.wait === true, timeoutMs: timeoutS * 1000 });
  if (v.json) writeJsonFile(v.json, { ...result, status: outcome.ok ? (v.wait ? 'completed' : 'sent') : 'incomplete', batchStates: ctx.queue().batches(requestId).map((b) => ({ seq: b.seq, state: b.state, invalidationId: b.invalidationId, callerReference: b.callerReference, lastError: b.lastError })) });
  if (!outcome.ok) throw new CheckFailed(`error: ${outcome.message}`);
  ctx.out(outcome.message);
  return EXIT_OK;
}
