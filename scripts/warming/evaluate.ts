/**
 * `npm run warm -- --predict --evaluate`: instead of warming, measure what prediction is worth with the
 * simulator (simulator/warming.ts) — the plan on the seed workload with the release manifest's
 * episodes, training hours before the window as the logs, then the window simulated with no warming,
 * the last window's top-N and the predictor at the same budget. Prints the table; --json writes it.
 */
import { InputError } from '../../lib/errors';
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
