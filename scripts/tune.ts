/**
 * npm run tune -- --stack prod [--budget-usd N] [--json f] [--write] [--seed n] [--scale s]
 * Searches the settings that matter (simulator/tune/space.ts) with the simulator for the stack config
 * that meets every target at the lowest monthly cost; prints each target and cost line before and
 * after, and the stack-file diff (--write applies it, after the policy pack passes on the new plan).
 * Exits 0 with an answer, 1 when no point of the space meets every target (or none within the
 * budget), 2 on bad input. Thin shell over simulator/tune/ and scripts/tune/evaluate.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, show } from '../lib/errors';
import { editStackFileText } from '../lib/config/stack-file-edit';
import { lineDiff } from '../lib/format/diff';
import { listStacks, PROJECT_DIR, readStackConfig } from '../plan/stack-files';
import { DEFAULTS, START_SETTINGS } from '../simulator/simulate';
import { configChanges } from '../simulator/tune/changes';
import { bestCaseSettings, CAPACITY_MULTIPLIER, unreachableReasons, unreachableTargets } from '../simulator/tune/best-case';
import { evaluationOf } from '../simulator/tune/evaluation';
import { hintsFor } from '../simulator/tune/explain';
import { changesText, costTable, missedTargets, missText, formatTarget, formatTargetValue, searchSummary, targetsTable } from '../simulator/tune/report';
import { tune } from '../simulator/tune/search';
import { defaultTuneSpace } from '../simulator/tune/space';
import { CheckFailed, EXIT_OK, parseCommandLine, runMain, writeJsonFile, writeTextFile, type CommandSpec, type Options } from './lib/cli';
import { startProgress } from './lib/progress';

const USAGE = 'npm run tune --';

/** Coarse screening runs: a fifth of npm start's scale, same day and warm-up. */
const COARSE_SCALE_SHARE = 0.2;

const spec = {
  usage: USAGE,
  summary:
    'Searches TTLs, price class and Origin Shield Region (the space in simulator/tune/space.ts; cache sizes are held as assumptions) with the simulator ' +
    'for the stack config that meets every target at the lowest monthly cost. Prints each target and cost line before and after and the stack-file diff; ' +
    '--write applies it once the policy pack passes on the new plan. When nothing meets every target, simulates the best case of the model and names the targets even it misses.',
  options: {
    stack: { type: 'string' }, json: { type: 'string' }, write: { type: 'boolean' }, quiet: { type: 'boolean' },
    'budget-usd': { type: 'number', min: 0, exclusiveMin: true, describe: 'a positive number of USD per month, e.g. 650000' },
    seed: { type: 'number', integer: true, min: 0, max: 0xffffffff },
    scale: { type: 'number', min: 0, exclusiveMin: true, max: 1, describe: 'a number in (0, 1], e.g. 0.005' },
  },
  help: {
    stack: `stack to tune (${listStacks().join(', ')}); its Pulumi.<stack>.yaml is the starting point`,
    'budget-usd': 'monthly cost cap in USD; exit 1 if nothing under it meets every target',
    json: 'write the search result (before, after, changes, every evaluation) to this file',
    write: 'edit Pulumi.<stack>.yaml with the answer (comments and key order kept)',
    seed: `workload seed (default ${DEFAULTS.seed})`,
    scale: `share of objects simulated for the final verification, (0, 1] (default ${START_SETTINGS.scale}, as npm start); screening runs at ${COARSE_SCALE_SHARE} × that`,
    quiet: 'no progress bar',
  },
  examples: [`${USAGE} --stack prod`, `${USAGE} --stack prod --json tune.json --write`, `${USAGE} --stack staging --budget-usd 500`],
} satisfies CommandSpec<Options>;

interface TuneArgs { stack: string; budgetUsd?: number; seed: number; scale: number }

/** Validates the options; every problem is one line naming the option, the value and the fix. */
function parseTuneArgs(v: { stack?: string; 'budget-usd'?: number; seed?: number; scale?: number }): TuneArgs {
  const stacks = listStacks();
  if (v.stack === undefined) throw new InputError(`--stack is required; use one of: ${stacks.join(', ')}.`);
  if (!stacks.includes(v.stack)) throw new InputError(`--stack ${show(v.stack)} has no Pulumi.${v.stack}.yaml; use one of: ${stacks.join(', ')}.`);
  return { stack: v.stack, ...(v['budget-usd'] !== undefined ? { budgetUsd: v['budget-usd'] } : {}), seed: v.seed ?? DEFAULTS.seed, scale: v.scale ?? START_SETTINGS.scale };
}

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const args = parseTuneArgs(values);
  // The program under mocks and the policy pack load only once the input is known to be good.
  const { planFor, simEvaluator, simulate } = await import('./tune/evaluate');
  const { checkPlan } = await import('../policies/offline');
  const started = Date.now();
  const stackConfig = readStackConfig(args.stack);
  const space = defaultTuneSpace(stackConfig);
  const day = { hours: DEFAULTS.hours, warmupHours: START_SETTINGS.warmupHours };
  const evaluatorOptions = {
    stack: args.stack, stackConfig, seed: args.seed,
    fidelity: { full: { scale: args.scale, ...day }, coarse: { scale: args.scale * COARSE_SCALE_SHARE, ...day } },
  };
  const { evaluate } = simEvaluator(evaluatorOptions);
  const bar = startProgress('tuning (simulations)', 1, { quiet: values.quiet ?? false });
  const result = await tune(space, evaluate, {
    ...(args.budgetUsd !== undefined ? { budgetUsd: args.budgetUsd } : {}),
    onProgress: ({ planned }) => { bar.setTotal(planned); bar.increment(1); },
  });
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  const after = result.closest;
  console.log(`stack ${args.stack}: seed ${args.seed}, scale ${args.scale} (screening at ${args.scale * COARSE_SCALE_SHARE}); ${searchSummary(space, result, seconds)}\n`);
  console.log(targetsTable(result.baseline.evaluation, after.evaluation));
  console.log('');
  console.log(costTable(result.baseline.evaluation, after.evaluation));
  console.log('');

  const changes = configChanges(stackConfig, after.settings);
  const file = join(PROJECT_DIR, `Pulumi.${args.stack}.yaml`);
  const before = readFileSync(file, 'utf8');
  const edited = editStackFileText(before, changes.map((c) => ({ path: c.path, value: c.to })), file);
  const missed = missedTargets(after.evaluation);
  const hints = hintsFor(missed, space, after.evaluation);
  let policy: { mandatory: number; advisory: number; messages: string[] } | undefined;
  let bestCase: { settings: Record<string, unknown>; capacityMultiplier: number; evaluation: ReturnType<typeof evaluationOf>; unreachable: string[]; reasons: string[]; regions: unknown } | undefined;

  if (result.status === 'ok') {
    console.log(`answer (${changes.length} setting${changes.length === 1 ? '' : 's'} changed):\n${changesText(changes)}`);
    const report = await checkPlan(await planFor({ stack: args.stack, stackConfig }, after.settings));
    policy = { mandatory: report.mandatory, advisory: report.advisory, messages: report.violations.filter((x) => x.level === 'mandatory').map((x) => `[${x.rule}] ${x.message}`) };
    console.log(`policy check of the tuned plan: ${report.mandatory === 0 ? 'PASSED' : 'FAILED'} (${report.mandatory} mandatory, ${report.advisory} advisory violations)`);
    for (const m of policy.messages) console.log(`  ${m}`);
  } else if (result.status === 'over-budget') {
    console.log(`no configuration within $${args.budgetUsd!.toLocaleString('en-US')} per month meets every target; the cheapest that does costs $${result.cheapestFeasible!.evaluation.costUsd.toLocaleString('en-US')} (shown above).`);
  } else {
    console.log('no configuration in the search space meets every target; the closest (shown above) misses:');
    for (const t of missed) console.log(`  ${t.name}: ${formatTargetValue(t)}, goal ${formatTarget(t)} (${missText(t)})`);
    // The best case: every lever at its fastest, the services in every REC Region, caches ×10.
    const settings = bestCaseSettings(space, stackConfig, typeof stackConfig['aws:region'] === 'string' ? stackConfig['aws:region'] : 'us-east-1');
    const bestResult = await simulate(evaluatorOptions, settings, 'full', CAPACITY_MULTIPLIER);
    const evaluation = evaluationOf(bestResult);
    const unreachable = unreachableTargets(evaluation);
    const reasons = unreachableReasons(bestResult, unreachable);
    bestCase = { settings, capacityMultiplier: CAPACITY_MULTIPLIER, evaluation, unreachable: unreachable.map((t) => t.name), reasons, regions: bestResult.regions };
    console.log(`best case of the model (TTLs and stale windows at their bounds, S3 copies beside every REC on the ladder, PriceClass_All, metadata and API services in every REC Region, caches ×${CAPACITY_MULTIPLIER}):`);
    for (const t of evaluation.targets.filter((x) => x.kind === 'latency')) console.log(`  ${t.pass ? 'pass' : 'FAIL'}  ${t.name}: ${formatTargetValue(t)}, goal ${formatTarget(t)}`);
    if (unreachable.length > 0) {
      console.log(`no CloudFront configuration this model knows meets ${unreachable.map((t) => t.name).join(', ')}: even the best case misses ${unreachable.length === 1 ? 'it' : 'them'} (docs/performance-analysis.md, "What the targets need"):`);
      for (const line of reasons) console.log(`  ${line}`);
    }
    const reachable = missed.map((t, i) => [t, hints[i]] as const).filter(([t]) => !unreachable.some((u) => u.name === t.name));
    if (reachable.length > 0) {
      console.log('what outside the space would meet the others:');
      for (const [, h] of reachable) console.log(`  ${h}`);
    }
  }

  const diff = lineDiff(before, edited, [`Pulumi.${args.stack}.yaml`, `Pulumi.${args.stack}.yaml (tuned)`]);
  const canWrite = result.status === 'ok' && policy?.mandatory === 0;
  if (diff && values.write && canWrite) {
    writeTextFile(file, edited);
    console.log(`\nwrote ${file}`);
  } else if (diff) {
    console.log(`\n${values.write ? 'not written (no answer that passes the policy pack); the diff would be' : 'stack-file diff (apply with --write)'}:\n${diff}`);
  }

  if (values.json) {
    writeJsonFile(values.json, {
      stack: args.stack, status: result.status, seed: args.seed, scale: args.scale, coarseScale: args.scale * COARSE_SCALE_SHARE,
      ...(args.budgetUsd !== undefined ? { budgetUsd: args.budgetUsd } : {}), seconds: Number(seconds.toFixed(1)),
      space: space.dimensions.map((d) => ({ name: d.name, options: d.options.map((o) => o.label), current: d.current, ...(d.separableBy ? { separableBy: d.separableBy } : {}) })),
      before: result.baseline.evaluation, after: after.evaluation, pass: after.evaluation.pass,
      settings: after.settings, changes, ...(policy ? { policy } : {}), ...(bestCase ? { bestCase } : {}), missed: missed.map((t) => ({ ...t, miss: missText(t) })), hints,
      evaluations: result.evaluations, log: result.log,
    });
  }
  if (!canWrite) throw new CheckFailed(result.status === 'ok' ? 'the tuned plan fails the policy pack (see above).' : '');
  return EXIT_OK;
});
