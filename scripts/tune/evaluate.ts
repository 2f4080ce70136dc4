/**
 * The tuner's evaluation function: a point's settings → the stack config through the what-if path →
 * the offline plan (the real program under mocks) → the simulator on the seed workload. 'full' runs
 * at npm start's scale and warm-up, 'coarse' at a smaller scale for screening.
 */
import type { Plan } from '../../lib/plan';
import { buildPlan } from '../../plan/run-plan';
import { simModelFromPlan } from '../../simulator/plan-model';
import type { SimulationResult } from '../../simulator/results';
import { DEFAULT_CAPACITY, prepare, runPrepared } from '../../simulator/simulate';
import { configWith } from '../../simulator/tune/changes';
import { evaluationOf } from '../../simulator/tune/evaluation';
import type { Evaluate, Fidelity, Settings } from '../../simulator/tune/types';

export interface FidelitySettings {
  readonly scale: number;
  readonly hours: number;
  readonly warmupHours: number;
}

export interface SimEvaluatorOptions {
  readonly stack: string;
  readonly stackConfig: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly fidelity: Readonly<Record<Fidelity, FidelitySettings>>;
}

export async function planFor(o: Pick<SimEvaluatorOptions, 'stack' | 'stackConfig'>, settings: Settings): Promise<Plan> {
  return buildPlan({ stack: o.stack, config: configWith(o.stackConfig, settings) });
}

/** Simulates one point; `capacityMultiplier` scales the assumed cache sizes (the best case's). */
export async function simulate(o: SimEvaluatorOptions, settings: Settings, fidelity: Fidelity, capacityMultiplier = 1): Promise<SimulationResult> {
  const plan = await planFor(o, settings);
  const f = o.fidelity[fidelity];
  const prepared = prepare(simModelFromPlan(plan), { seed: o.seed, scale: f.scale, hours: f.hours, warmupHours: f.warmupHours });
  const capacity = { edge: DEFAULT_CAPACITY.edge * capacityMultiplier, rec: DEFAULT_CAPACITY.rec * capacityMultiplier, shield: DEFAULT_CAPACITY.shield * capacityMultiplier };
  return runPrepared(prepared, { capacity });
}

/** The Evaluate of `npm run tune`; `results` keeps the full-fidelity results by settings for the report. */
export function simEvaluator(o: SimEvaluatorOptions): { evaluate: Evaluate; fullResults: Map<string, SimulationResult> } {
  const fullResults = new Map<string, SimulationResult>();
  const evaluate: Evaluate = async (settings, fidelity) => {
    const r = await simulate(o, settings, fidelity);
    if (fidelity === 'full') fullResults.set(JSON.stringify(settings), r);
    return evaluationOf(r);
  };
  return { evaluate, fullResults };
}
