/**
 * Where the simulated plan comes from: a --plan file (a saved plan or a `pulumi stack export`) or the
 * offline plan of --stack (default prod), with the --set what-if applied through the real config path.
 */
import { InputError } from '../../lib/errors';
import type { Plan } from '../../lib/plan';
import { planFromJson } from '../../simulator/stack-export';
import { applyWhatIf, isEmptyWhatIf, type WhatIf } from '../../simulator/what-if';
import { readStackConfig } from '../../plan/stack-files';
import { buildPlanLazily, readJsonFile } from '../lib/cli';
import { spec } from './options';

/** Reads a plan or stack export file. */
export function readPlanFile(file: string): Plan {
  return planFromJson(readJsonFile(file, 'plan'), file);
}

function buildPlanFor(stack: string, config?: Readonly<Record<string, unknown>>): Promise<Plan> {
  return buildPlanLazily(config ? { stack, config } : { stack });
}

/**
 * The plan to simulate: --plan file or --stack (default prod), with the what-if applied through the
 * real config path (the plan is rebuilt with the overridden stack config).
 */
export async function loadPlanWithWhatIf(v: { stack?: string; plan?: string }, whatIf: WhatIf): Promise<Plan> {
  if (v.stack !== undefined && v.plan !== undefined) throw new InputError(`give either --stack or --plan, not both; see '${spec.usage} --help'.`);
  if (v.plan !== undefined) {
    const plan = readPlanFile(v.plan);
    if (isEmptyWhatIf(whatIf)) return plan;
    if (Object.keys(plan.config).filter((k) => k.startsWith('media-cdn:')).length === 0) {
      throw new InputError(`--set needs the stack config, which ${v.plan} does not hold (a stack export has none); use --stack <name> or a plan from 'npm run plan'.`);
    }
    return buildPlanFor(plan.stack, applyWhatIf(plan.config, whatIf));
  }
  const stack = v.stack ?? 'prod';
  if (isEmptyWhatIf(whatIf)) return buildPlanFor(stack);
  return buildPlanFor(stack, applyWhatIf(readStackConfig(stack), whatIf));
}
