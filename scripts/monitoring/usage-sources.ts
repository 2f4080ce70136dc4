/**
 * Sources of a predicted month of usage for `npm run cost -- --offline`: the simulator's
 * `predictMonthlyUsage(plan, opts?)` (simulator/usage.ts), or a JSON file in the shape of
 * `MonthlyUsage` (lib/semantics/pricing.ts).
 */
import { InputError, show } from '../../lib/errors';
import type { Plan } from '../../lib/plan';
import { PRICE_REGION_GROUPS, type MonthlyUsage } from '../../lib/semantics/pricing';
import { predictMonthlyUsage, type UsageOptions } from '../../simulator/usage';
import { readJsonFile } from '../lib/cli';
import type { PredictedMonth, UsageSource } from './run-cost';

/** Checks a parsed usage object; problems name the field and the value. */
export function parseMonthlyUsage(raw: unknown, source: string): MonthlyUsage {
  const problems: string[] = [];
  const o = raw as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new InputError(`${source} must hold a month of usage such as {"transferGbByGroup": {"US": 1000}, "requestsByGroup": {"US": 5000000}}, got ${show(raw)}.`);
  for (const key of ['transferGbByGroup', 'requestsByGroup']) {
    const m = o[key] as Record<string, unknown> | undefined;
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      problems.push(`${source}: ${key} must be an object keyed by price group (${PRICE_REGION_GROUPS.join(', ')}), got ${show(m)}.`);
      continue;
    }
    for (const [g, v] of Object.entries(m)) {
      if (!(PRICE_REGION_GROUPS as readonly string[]).includes(g)) problems.push(`${source}: ${key}.${g} is not a price group; use ${PRICE_REGION_GROUPS.join(', ')}.`);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${source}: ${key}.${g} must be a number ≥ 0, got ${show(v)}.`);
    }
  }
  if (problems.length) throw new InputError(problems);
  return o as unknown as MonthlyUsage;
}

/** Accepts either a bare MonthlyUsage or `{ usage, ...extras }`. */
function toPredicted(raw: unknown, source: string): PredictedMonth {
  const o = raw as Record<string, unknown>;
  if (o && typeof o === 'object' && 'usage' in o) {
    const { usage, ...extra } = o as { usage: unknown } & Record<string, unknown>;
    return { ...(extra as Omit<PredictedMonth, 'usage'>), usage: parseMonthlyUsage(usage, source) };
  }
  return { usage: parseMonthlyUsage(raw, source) };
}

export function fileUsageSource(file: string): UsageSource {
  return { label: file, predict: () => toPredicted(readJsonFile(file, 'usage'), file) };
}

/** The simulator's prediction for the plan (simulator/usage.ts). */
export function simulatorUsageSource(opts: UsageOptions = {}): UsageSource {
  return {
    label: 'the simulator (predictMonthlyUsage)',
    predict: async (plan: Plan) => toPredicted(await predictMonthlyUsage(plan, opts), 'predictMonthlyUsage'),
  };
}
