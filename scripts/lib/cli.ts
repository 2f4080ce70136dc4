/**
 * Shared plumbing of the scripts: the command-line shell (adapters/command-line.ts, re-exported) plus
 * loading a plan or stack outputs for the scripts that act on a stack.
 */
import { InputError } from '../../lib/errors';
import { parsePlan, type Plan } from '../../lib/plan';
import { parseStackOutputs, type StackOutputs } from '../../lib/outputs';
import type * as RunPlan from '../../plan/run-plan';
import { readJsonFile } from '../../adapters/command-line';

export * from '../../adapters/command-line';

/** Options every script that acts on a stack accepts. */
export const STACK_SOURCE_OPTIONS = {
  stack: { type: 'string' },
  plan: { type: 'string' },
  outputs: { type: 'string' },
} as const;

export const STACK_SOURCE_HELP = {
  stack: 'build the offline plan of this stack (staging, prod) and use it',
  plan: 'read a saved plan (npm run plan -- --json f)',
  outputs: "read stack outputs ('pulumi stack output --json > f')",
} as const;

/** Where a script's view of the stack came from. */
export interface StackSource {
  readonly outputs: StackOutputs;
  /** The plan, when built or read (not with --outputs). */
  readonly plan?: Plan;
  readonly label: string;
}

/**
 * Loads stack outputs from exactly one of --stack (builds the offline plan), --plan or --outputs.
 * The plan builder is imported lazily: it loads the Pulumi runtime, which scripts reading a file do not need.
 */
export async function loadStackSource(v: { stack?: string; plan?: string; outputs?: string }, usage: string): Promise<StackSource> {
  const given = (['stack', 'plan', 'outputs'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) {
    throw new InputError(`give exactly one of --stack <name>, --plan <file> or --outputs <file> (got ${given.length === 0 ? 'none' : given.map((g) => `--${g}`).join(' and ')}); see '${usage} --help'.`);
  }
  if (v.outputs !== undefined) {
    return { outputs: parseStackOutputs(readJsonFile(v.outputs, 'outputs'), v.outputs), label: v.outputs };
  }
  const plan = v.plan !== undefined ? parsePlan(readJsonFile(v.plan, 'plan'), v.plan) : await buildPlanLazily({ stack: v.stack! });
  return { outputs: parseStackOutputs(plan.outputs, `the plan of stack '${plan.stack}'`), plan, label: v.plan ?? `stack ${plan.stack}` };
}

/** Loads a plan from --stack or --plan. */
export async function loadPlan(v: { stack?: string; plan?: string }, usage: string): Promise<Plan> {
  if ((v.stack === undefined) === (v.plan === undefined)) {
    throw new InputError(`give exactly one of --stack <name> or --plan <file>; see '${usage} --help'.`);
  }
  return v.plan !== undefined ? parsePlan(readJsonFile(v.plan, 'plan'), v.plan) : buildPlanLazily({ stack: v.stack! });
}

/** The offline plan of a stack (plan/run-plan.ts's buildPlan), loading the Pulumi runtime only now. */
export async function buildPlanLazily(opts: RunPlan.BuildPlanOptions): Promise<Plan> {
  // Loaded on first use: the Pulumi runtime takes over a second to load, and most commands never need it.
  // require, not import(): the loader hooks of `node -r tsx/cjs` (mocha) handle require only.
  const { buildPlan } = require('../../plan/run-plan') as typeof RunPlan;
  return buildPlan(opts);
}
