/**
 * Compare mode (--compare a.json b.json): two plan files on the same seed workload, or on the same
 * CloudFront logs with --trace, side by side per content type.
 */
import { InputError } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import { replayLog } from '../../simulator/log-replay';
import { simModelFromPlan } from '../../simulator/plan-model';
import type { SimulationResult } from '../../simulator/results';
import { streamCloudFrontLogs } from '../../simulator/trace';
import { EXIT_OK, writeJsonFile } from '../lib/cli';
import { spec, type SimValues } from './options';
import { readPlanFile } from './plan-source';
import { prepareWithProgress, studyWithProgress } from './progress';
import { replayOptionsOf, type SimSettings } from './settings';
import { diffRows } from './tables';

export async function compareMode(v: SimValues, s: SimSettings, files: readonly string[]): Promise<number> {
  if (files.length !== 2) throw new InputError(`--compare needs exactly two plan files after the options (got ${files.length}: ${files.join(' ') || 'none'}); e.g. '${spec.usage} --compare a.json b.json'.`);
  if (v.stack !== undefined || v.plan !== undefined || (v.set ?? []).length > 0) throw new InputError('--compare takes its two plans as files; drop --stack, --plan and --set (write a what-if plan with npm run plan first).');
  const plans = files.map((f) => readPlanFile(f));
  const models = plans.map((p) => simModelFromPlan(p));
  let results: SimulationResult[];
  if (v.trace !== undefined) {
    const log = await streamCloudFrontLogs(v.trace);
    results = models.map((m) => replayLog(log, m, s.profile, replayOptionsOf(s)).result);
  } else {
    results = models.map((m) => {
      const p = prepareWithProgress(m, s, v.quiet);
      return studyWithProgress(p, { ...s, sweep: [] }, [s.policy], v.quiet).result;
    });
  }
  const [a, b] = results as [SimulationResult, SimulationResult];
  console.log(`comparing ${files[0]} (a) with ${files[1]} (b) on ${v.trace ? `the logs in ${v.trace}` : `the seed workload (seed ${s.seed}, scale ${s.scale})`}\n`);
  console.log(renderTable(['type', 'hit ratio a', 'hit ratio b', 'difference', 'p95 ms a', 'p95 ms b', 'targets'], diffRows(a, b), ['left', 'right', 'right', 'right', 'right', 'right', 'left']));
  if (v.json) writeJsonFile(v.json, { mode: 'compare', a: { file: files[0], ...a }, b: { file: files[1], ...b }, difference: { hitRatio: b.totals.hitRatio - a.totals.hitRatio, costUsdPerMonth: b.costUsdPerMonth - a.costUsdPerMonth } });
  return EXIT_OK;
}
