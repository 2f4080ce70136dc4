/**
 * npm run sim -- the local simulation of a CloudFront configuration.
 *
 * Modes:
 * - seed workload (default): simulate a plan (--stack, default prod, or --plan) on the seeded workload;
 *   per-type table against the targets, --json, --html report, --write-trace;
 * - single cache: --trace f --format csv|oracle-general|cloudfront-log --cache-size S [--policy p];
 * - log replay: --trace logs --format cloudfront-log without --cache-size, through the plan's tiers;
 * - compare: --compare a.json b.json, two plans on the same workload (or the same logs);
 * - sharded: --shard i/n --json part-i.json runs one shard of the seed workload; merge part-*.json adds them up;
 *   --workers n runs n shards on worker threads in this process;
 * - fault: --fault <scenario>@<start>+<duration>, a failure scenario (lib/faults) with its figures.
 * Thin shell over simulator/; exits 0 ok, 1 a target missed, 2 bad input.
 * The options, settings and each mode live in scripts/sim/.
 */
import { InputError, show, throwIfProblems } from '../lib/errors';
import { parseShard, type Shard } from '../simulator/shard';
import { isTraceFormat, TRACE_FORMATS, type TraceFormat } from '../simulator/trace';
import { CheckFailed, EXIT_CHECK_FAILED, parseCommandLine, runMain } from './lib/cli';
import { spec } from './sim/options';
import type * as Compare from './sim/compare';
import type * as Fault from './sim/fault';
import type * as Progress from './sim/progress';
import type * as Replay from './sim/replay';
import type * as Report from './sim/report';
import type * as Seed from './sim/seed';
import { settingsFrom } from './sim/settings';
import type * as Shards from './sim/shards';
import { singleCacheMode } from './sim/single-cache';

export { spec } from './sim/options';
export type { SimSettings } from './sim/settings';

// The modes other than single-cache are loaded when they run: their modules load DuckDB, yaml and
// cli-progress, which a single-cache run (start-up included in its timing) does not need.
/* eslint-disable @typescript-eslint/no-require-imports */
const compare = (): typeof Compare => require('./sim/compare') as typeof Compare;
const fault = (): typeof Fault => require('./sim/fault') as typeof Fault;
const progress = (): typeof Progress => require('./sim/progress') as typeof Progress;
const replay = (): typeof Replay => require('./sim/replay') as typeof Replay;
const report = (): typeof Report => require('./sim/report') as typeof Report;
const seed = (): typeof Seed => require('./sim/seed') as typeof Seed;
const shards = (): typeof Shards => require('./sim/shards') as typeof Shards;
/* eslint-enable @typescript-eslint/no-require-imports */

export const prepareWithProgress: typeof Progress.prepareWithProgress = (...a) => progress().prepareWithProgress(...a);
export const studyWithProgress: typeof Progress.studyWithProgress = (...a) => progress().studyWithProgress(...a);
export const reportInputFor: typeof Report.reportInputFor = (...a) => report().reportInputFor(...a);
export const runSeedMode: typeof Seed.runSeedMode = (...a) => seed().runSeedMode(...a);

/** Parses argv and runs the selected mode; returns the exit code. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values: v, positionals } = parseCommandLine(spec, argv);
  const problems: string[] = [];
  const merge = positionals[0] === 'merge';
  if (positionals.length > 0 && !v.compare && !merge) problems.push(`unexpected argument(s) ${positionals.map((p) => show(p)).join(' ')}; options start with --, see '${spec.usage} --help'.`);
  if (v.format !== undefined && !isTraceFormat(v.format)) problems.push(`--format ${show(v.format)} is not a trace format; use one of: ${TRACE_FORMATS.join(', ')}.`);
  if (v.trace !== undefined && v.format === undefined) problems.push(`--trace needs --format (${TRACE_FORMATS.join(', ')}).`);
  if (v.trace === undefined && (v.format !== undefined || v['cache-size'] !== undefined)) problems.push(`--format and --cache-size need --trace <file>.`);
  if (v.trace !== undefined && v.format !== undefined && v.format !== 'cloudfront-log' && v['cache-size'] === undefined && isTraceFormat(v.format)) {
    problems.push(`--format ${v.format} traces have no paths or edge locations, so they only run in single-cache mode: add --cache-size (e.g. 1% or 64MiB).`);
  }
  const s = settingsFrom(v, problems, {});
  let shard: Shard | undefined;
  if (v.shard !== undefined) {
    try { shard = parseShard(v.shard); } catch (e) { if (e instanceof InputError) problems.push(...e.problems); else throw e; }
    if (v.compare || merge) problems.push('--shard runs one shard of the seed workload or of a log replay; drop --compare and merge.');
    if (v.trace !== undefined && (v.format !== 'cloudfront-log' || v['cache-size'] !== undefined)) problems.push('--shard with --trace replays CloudFront logs through the plan: use --format cloudfront-log without --cache-size.');
  }
  if (v.fault !== undefined && (v.shard !== undefined || merge || v.workers !== undefined)) problems.push('--fault runs the whole seed workload in one process; drop --shard, --workers and merge.');
  const workers = v.workers;
  if (v.shards !== undefined && workers === undefined) problems.push('--shards splits a --workers run: add --workers n (threads), or use --shard i/n for one shard.');
  if (workers !== undefined) {
    if (v.trace !== undefined || v.compare || merge || v.shard !== undefined) problems.push('--workers runs the seed workload in shards on threads; drop --trace, --compare, --shard and merge.');
  }
  if (v['write-logs'] !== undefined && (v.trace !== undefined || v.compare || merge || v.shard !== undefined || workers !== undefined || v.fault !== undefined)) {
    problems.push('--write-logs writes the seed workload\'s simulated day from one run: drop --trace, --compare, --shard, --workers, --fault and merge.');
  }
  throwIfProblems(problems);
  if (merge) return shards().mergeMode(v, positionals.slice(1));
  if (shard !== undefined) return v.trace !== undefined ? replay().replayMode(v, s, shard) : shards().shardMode(v, s, shard);
  if (workers !== undefined) return shards().workersMode(v, s, workers);
  if (v.trace !== undefined && v['cache-size'] !== undefined) return singleCacheMode(v, v.format as TraceFormat);
  if (v.fault !== undefined) {
    if (v.compare || v.trace !== undefined) throw new InputError('--fault runs on the seed workload: leave out --compare and --trace.');
    return fault().faultMode(v, s);
  }
  if (v.compare) return compare().compareMode(v, s, positionals);
  if (v.trace !== undefined) return replay().replayMode(v, s);
  return seed().runSeedMode(v, s);
}

/** Runs `main` as the process: exit codes, error lines (scripts/launch.js calls this, bundled or not). */
export function cli(): void {
  runMain(async () => {
    const code = await main();
    if (code === EXIT_CHECK_FAILED) throw new CheckFailed('at least one target was missed (see the table above).');
    return code;
  });
}

if (require.main === module) cli();
