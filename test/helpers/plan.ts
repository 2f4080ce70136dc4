/**
 * Plans of the real program under Pulumi mocks, built once per stack and shared by the tests, with
 * helpers that find a planned resource by type and name.
 */
import type { Plan, PlanResource } from '../../lib/plan';
import { buildPlan, type BuildPlanOptions } from '../../plan/run-plan';

const cache = new Map<string, Promise<Plan>>();
let queue: Promise<unknown> = Promise.resolve();

/**
 * Builds plans one at a time: the Pulumi runtime is process-global, so two programs must not run
 * under mocks at once.
 */
export function buildPlanSerially(opts: BuildPlanOptions): Promise<Plan> {
  const run = queue.then(() => buildPlan(opts));
  queue = run.catch(() => undefined);
  return run;
}

/** The plan of a committed stack (staging or prod), built once per test run. */
export function planFor(stack: string): Promise<Plan> {
  let p = cache.get(stack);
  if (!p) {
    p = buildPlanSerially({ stack });
    cache.set(stack, p);
  }
  return p;
}

/** The one resource of this type and name; throws when there is none or more than one. */
export function findResource(plan: Plan, type: string, name: string): PlanResource {
  const found = plan.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = plan.resources.filter((r) => r.type === type).map((r) => r.name);
    throw new Error(`expected one ${type} named '${name}' in the ${plan.stack} plan, found ${found.length} (of that type: ${names.join(', ') || 'none'})`);
  }
  return found[0]!;
}

export function findResources(plan: Plan, type: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** Inputs of a resource, typed loosely for assertions. */
export function inputsOf<T = Record<string, any>>(r: PlanResource): T {
  return r.inputs as T;
}
