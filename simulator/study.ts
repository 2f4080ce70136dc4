/**
 * A full study of one plan on the seed workload, as `npm start` and `npm run sim -- --html` show it:
 * the main run, the other eviction policy on the same requests, and a cache-size sweep (every tier
 * scaled by each multiplier) for the "hit ratio vs cache size" chart.
 */
import { CONTENT_TYPE_NAMES, type ContentTypeName } from '../lib/catalog';
import type { PolicyName } from './caches';
import { DEFAULT_CAPACITY, DEFAULTS, runPrepared, type Prepared, type SimulateOptions } from './simulate';
import type { SimulationResult } from './results';
import type { SweepPoint } from './report';

export interface StudyOptions extends SimulateOptions {
  /** Policies compared on the same requests (the first is the main one). */
  readonly policies: readonly PolicyName[];
  /** Capacity multipliers for the sweep (1 is the main run and need not be listed). */
  readonly sweep: readonly number[];
  /** Called before each engine run with its index and the number of runs. */
  readonly onRun?: (index: number, runs: number, label: string) => void;
}

export interface Study {
  readonly result: SimulationResult;
  readonly policies: readonly { readonly policy: PolicyName; readonly result: SimulationResult }[];
  readonly sweep: readonly SweepPoint[];
}

function point(multiplier: number, policy: PolicyName, r: SimulationResult): SweepPoint {
  const types = {} as Record<ContentTypeName, number>;
  for (const n of CONTENT_TYPE_NAMES) types[n] = r.types[n].hitRatio;
  return { multiplier, policy, hitRatio: r.totals.hitRatio, byteHitRatio: r.totals.byteHitRatio, types };
}

/**
 * Above this many requests a study of several runs generates them afresh for each run (a stream, CPU)
 * instead of keeping them for the replays (16 bytes a request: 800 MB here).
 */
export const KEEP_REQUESTS_UP_TO = 50_000_000;

export function runStudy(p: Prepared, opts: StudyOptions): Study {
  const policies = opts.policies.length > 0 ? opts.policies : [DEFAULTS.policy];
  const multipliers = [...new Set([1, ...opts.sweep])].sort((a, b) => a - b);
  const base = { ...DEFAULT_CAPACITY, ...opts.capacity };
  const runs = policies.length * multipliers.length;
  // several runs replay the same requests: keep them when they fit (reading `requests` generates them)
  if (runs > 1 && p.expectedRequests <= KEEP_REQUESTS_UP_TO) void p.requests.length;
  let index = 0;
  const byPolicy: { policy: PolicyName; result: SimulationResult }[] = [];
  const sweep: SweepPoint[] = [];
  for (const policy of policies) {
    for (const m of multipliers) {
      opts.onRun?.(index++, runs, `${policy} at ${m}× cache size`);
      // only the main run (first policy, 1×) records its outcomes
      const { record, ...rest } = opts;
      const main = policy === policies[0] && m === 1;
      const r = runPrepared(p, { ...rest, ...(main && record ? { record } : {}), policy, capacity: { edge: base.edge * m, rec: base.rec * m, shield: base.shield * m } });
      if (m === 1) byPolicy.push({ policy, result: r });
      sweep.push(point(m, policy, r));
    }
  }
  return { result: byPolicy[0]!.result, policies: byPolicy, sweep };
}
