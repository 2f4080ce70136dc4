/**
 * `npm run warm -- --predict --evaluate`: instead of warming, measure what prediction is worth with the
 * simulator (simulator/warming.ts) — the plan on the seed workload with the release manifest's
 * episodes, training hours before the window as the logs, then the window simulated with no warming,
 * the last window's top-N and the predictor at the same budget. Prints the table; --json writes it.
 */
import { InputError, show } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import type { Plan } from '../../lib/plan';
import type { ReleaseEntry } from '../../lib/warming/predict';
import { simModelFromPlan } from '../../simulator/plan-model';
import { evaluateWarmingInSimulator, type StrategyFigures, type WarmingEvaluation } from '../../simulator/warming';
import { DEFAULT_SIMULATED_DAY_EPOCH_SEC } from '../../simulator/workload/releases';

export interface EvaluateCommand {
  readonly plan: Plan;
  readonly releases: readonly ReleaseEntry[];
  readonly budgetBytes: number;
  readonly windowSec: number;
  /** Start of the held-out window, epoch seconds; default the first release, else 20:00 UTC of the default simulated day. */
  readonly nowSec?: number;
  readonly scale?: number;
  readonly seed?: number;
}

/** Runs the evaluation; the window's day (00:00 UTC) becomes the simulated day. */
export function runEvaluation(c: EvaluateCommand): WarmingEvaluation {
  const firstRelease = c.releases.reduce((m, r) => Math.min(m, r.releaseAtSec), Infinity);
  const now = c.nowSec ?? (Number.isFinite(firstRelease) ? firstRelease : DEFAULT_SIMULATED_DAY_EPOCH_SEC + 20 * 3600);
  const day = Math.floor(now / 86_400) * 86_400;
  if (now - day + c.windowSec > 86_400) {
    throw new InputError(`the held-out window must end within its day (UTC): it starts at ${new Date(now * 1000).toISOString()} and lasts ${c.windowSec} s; choose --now or a shorter --window.`);
  }
  return evaluateWarmingInSimulator(simModelFromPlan(c.plan), {
    releases: c.releases, budgetBytes: c.budgetBytes, windowSec: c.windowSec, heldOutStartSec: now - day, simulatedDayEpochSec: day,
    ...(c.scale !== undefined ? { scale: c.scale } : {}), ...(c.seed !== undefined ? { seed: c.seed } : {}),
  });
}

/** Checks --scale and --seed of the evaluation. @throws InputError */
export function parseSimulationOptions(scale: unknown, seed: unknown): { scale?: number; seed?: number } {
  const problems: string[] = [];
  const out: { scale?: number; seed?: number } = {};
  if (scale !== undefined) {
    const n = Number(scale);
    if (!(n > 0 && n <= 1)) problems.push(`--scale must be a number in (0, 1], got ${show(scale)}; e.g. 0.005 simulates 0.5 % of the objects.`);
    else out.scale = n;
  }
  if (seed !== undefined) {
    const n = Number(seed);
    if (!(Number.isInteger(n) && n >= 0 && n <= 0xffffffff)) problems.push(`--seed must be a whole number from 0 to 4294967295, got ${show(seed)}.`);
    else out.seed = n;
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/** The evaluation as a table and a summary line. */
export function renderEvaluation(ev: WarmingEvaluation, label: string): string {
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
  const row = (name: string, s: StrategyFigures) => [name, pct(s.hitRatio), pct(s.edgeHitRatio), String(s.warm.objects), gib(s.warm.originBytes), gib(s.originBytes)];
  const points = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  return [
    `held-out window ${ev.windowStart} (${ev.windowSec / 3600} h), budget ${gib(ev.budgetBytes)} GiB, warm requests on ${ev.warmEdges.join(', ')}; simulated: ${label}`,
    renderTable(['strategy', 'hit ratio', 'edge hits', 'objects warmed', 'warm GiB', 'origin GiB (viewers + warm)'], [row('none', ev.none), row('top-N of the last window', ev.topN), row('predictive', ev.predictive)],
      ['left', 'right', 'right', 'right', 'right', 'right']),
    `hit-ratio uplift of prediction: ${points(ev.upliftVsNone)} percentage points vs no warming, ${points(ev.upliftVsTopN)} vs the top-N`,
  ].join('\n');
}
