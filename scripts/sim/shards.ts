/**
 * Sharded seed-workload runs beyond one process: `--shard i/n --json part-i.json` runs shard i of n
 * (its objects, 1/n of every cache; simulator/shard.ts) and writes its raw statistics; `merge
 * part-*.json --json total.json` adds the parts up and summarizes them as one run. Each part carries
 * the plan and the settings, so the merge needs nothing else and refuses parts that do not belong together.
 */
import { InputError, show } from '../../lib/errors';
import { simModelFromPlan } from '../../simulator/plan-model';
import { renderRegionTable, renderResultTable } from '../../simulator/report';
import { summarize } from '../../simulator/results';
import { mergeStats, statsFromJson, statsToJson, type Shard } from '../../simulator/shard';
import { runPreparedShard, summaryContext, type SummaryContext } from '../../simulator/simulate';
import { planFromJson } from '../../simulator/stack-export';
import { renderVideoTable } from '../../simulator/video/report';
import { parseSetOptions } from '../../simulator/what-if';
import { EXIT_CHECK_FAILED, EXIT_OK, readJsonFile, writeJsonFile } from '../lib/cli';
import type { SimValues } from './options';
import { partProblems } from './part-checks';
import { loadPlanWithWhatIf } from './plan-source';
import { prepareWithProgress } from './progress';
import { mergeReplayParts, REPLAY_PART_MODE } from './replay';
import { jsonOf, settingsLabel } from './report';
import type { SimSettings } from './settings';
import { runShardsInWorkers } from './workers';

export const PART_MODE = 'seed-workload-part';

function partSettings(s: SimSettings) {
  return { seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit, profile: s.profile, releases: s.releases };
}

/** `--shard i/n --json part.json`: one shard's raw statistics. */
export async function shardMode(v: SimValues, s: SimSettings, shard: Shard): Promise<number> {
  if (v.json === undefined) throw new InputError(`--shard ${shard.index}/${shard.count} needs --json part-${shard.index}.json (the part that '${'npm run sim -- merge'}' adds up).`);
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const prepared = prepareWithProgress(simModelFromPlan(plan), s, v.quiet, shard);
  const stats = runPreparedShard(prepared, shard, { policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit });
  writeJsonFile(v.json, {
    mode: PART_MODE, shard, settings: partSettings(s), whatIf: whatIf.labels, plan, context: summaryContext(prepared), stats: statsToJson(stats),
  });
  console.log(`shard ${shard.index}/${shard.count}: ${stats.simulated.toLocaleString('en-US')} simulated requests, its own objects' (about ${prepared.expectedRequests.toLocaleString('en-US')} for all shards); wrote ${v.json} (add the parts up with 'npm run sim -- merge part-*.json --json total.json')`);
  return EXIT_OK;
}

interface Part {
  readonly file: string;
  readonly shard: Shard;
  readonly settings: unknown;
  readonly plan: unknown;
  readonly context: SummaryContext;
  readonly stats: Record<string, unknown>;
}

function readPart(file: string, j: Record<string, unknown>): Part {
  if (j.mode !== PART_MODE) throw new InputError(`${file} is not a shard part (mode ${show(String(j.mode))}); write parts with 'npm run sim -- --shard i/n --json part-i.json' (add --trace logs --format cloudfront-log for log replay).`);
  return { file, shard: j.shard as Shard, settings: j.settings, plan: j.plan, context: j.context as SummaryContext, stats: j.stats as Record<string, unknown> };
}

/** `merge part-*.json`: the parts added up, summarized as one run. */
export function mergeMode(v: SimValues, files: readonly string[]): number {
  if (files.length === 0) throw new InputError("merge needs the part files: 'npm run sim -- merge part-*.json --json total.json'.");
  const raw = files.map((file) => ({ file, json: readJsonFile(file, 'shard part') as Record<string, unknown> }));
  const replays = raw.filter((r) => r.json.mode === REPLAY_PART_MODE);
  if (replays.length > 0) {
    if (replays.length !== raw.length) throw new InputError('merge the parts of one run: some are log-replay parts (--trace … --shard), some seed-workload parts.');
    return mergeReplayParts(v, raw.map((r) => ({ ...r.json, file: r.file })));
  }
  const parts = raw.map((r) => readPart(r.file, r.json));
  const first = parts[0]!;
  const n = first.shard.count;
  const problems = partProblems(parts);
  if (problems.length > 0) throw new InputError(problems);
  const ordered = [...parts].sort((a, b) => a.shard.index - b.shard.index);
  const stats = mergeStats(ordered.map((p) => statsFromJson(p.stats, p.file)));
  const model = simModelFromPlan(planFromJson(first.plan, first.file));
  const result = summarize({ ...first.context, stats, catalog: model.catalog });
  console.log(`merged ${n} shard${n > 1 ? 's' : ''} of stack ${model.stack}: ${stats.simulated.toLocaleString('en-US')} simulated requests\n`);
  console.log(renderResultTable(result));
  console.log(`\nby viewer region (p95 TTFB ms / hit ratio; ! above the type's target):\n${renderRegionTable(result)}`);
  if (result.video) console.log(`\nvideo viewer experience by region (simulated player sessions against the player targets):\n${renderVideoTable(result.video)}`);
  if (v.json) writeJsonFile(v.json, jsonOf(result, { mode: 'seed-workload', shards: n, settings: first.settings }));
  return result.pass ? EXIT_OK : EXIT_CHECK_FAILED;
}

/** `--workers n [--shards m]`: the seed workload in m shards (default n), n at a time on worker threads, merged (the main policy only). */
export async function workersMode(v: SimValues, s: SimSettings, workers: number): Promise<number> {
  const count = v.shards ?? workers;
  if (count < workers) throw new InputError(`--shards ${count} is fewer than --workers ${workers}: give at least one shard per worker thread (or fewer workers).`);
  if (v.html !== undefined || v['write-trace'] !== undefined || s.sweep.length > 0) throw new InputError('--workers runs the main policy only; drop --html, --sweep and --write-trace (or run without --workers).');
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const run = await runShardsInWorkers(plan, s, count, v.quiet, workers);
  const result = summarize({ ...run.context, stats: run.stats, catalog: model.catalog });
  console.log(`stack ${plan.stack}${whatIf.labels.length ? ` with ${whatIf.labels.join(' ')}` : ''}: ${settingsLabel(s, run.requests)}, ${count} shards on ${workers} worker threads\n`);
  console.log(renderResultTable(result));
  console.log(`\nby viewer region (p95 TTFB ms / hit ratio; ! above the type's target):\n${renderRegionTable(result)}`);
  if (result.video) console.log(`\nvideo viewer experience by region (simulated player sessions against the player targets):\n${renderVideoTable(result.video)}`);
  if (v.json) writeJsonFile(v.json, jsonOf(result, { mode: 'seed-workload', shards: count, workers, whatIf: whatIf.labels, settings: partSettings(s) }));
  return result.pass ? EXIT_OK : EXIT_CHECK_FAILED;
}
