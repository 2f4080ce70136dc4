/**
 * Seed-workload mode (the default): simulates the plan on the seeded workload, prints the per-type
 * table against the targets, and writes --json, --html and --write-trace.
 */
import { resolve } from 'node:path';
import { checkLogFolder, writeSimulatedLogs } from '../../adapters/simulated-logs';
import { renderHtmlReport } from '../../lib/report/html';
import { chartJsSource } from '../../adapters/chart-js';
import { simulatedLogTables } from '../../simulator/access-logs';
import type { PolicyName } from '../../simulator/caches';
import { outcomeRecord } from '../../simulator/engine';
import { missCauses } from '../../simulator/miss-causes';
import { simModelFromPlan } from '../../simulator/plan-model';
import { renderRegionTable, renderResultTable, simulationReport } from '../../simulator/report';
import { writeOracleGeneral } from '../../simulator/trace';
import { renderVideoTable } from '../../simulator/video/report';
import { parseSetOptions } from '../../simulator/what-if';
import { EXIT_CHECK_FAILED, EXIT_OK, writeFileAtomic, writeJsonFile, writeTextFile } from '../lib/cli';
import type { SimValues } from './options';
import { loadPlanWithWhatIf } from './plan-source';
import { prepareWithProgress, studyWithProgress } from './progress';
import { jsonOf, reportInputFor, settingsLabel } from './report';
import type { SimSettings } from './settings';

/** Seed-workload mode; returns the exit code. */
export async function runSeedMode(v: SimValues, s: SimSettings, opts: { reportPath?: string; label?: string } = {}): Promise<number> {
  const whatIf = parseSetOptions(v.set ?? []);
  if (v['write-logs'] !== undefined) checkLogFolder(v['write-logs']);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const prepared = prepareWithProgress(model, s, v.quiet);
  if (v['write-trace']) {
    const req = prepared.requests;
    const from = -s.warmupHours * 3600;
    const times = Float64Array.from(req.time, (t) => t - from);
    const sizes = Float64Array.from(req.key, (k) => prepared.workload.keys.size[k]!);
    writeFileAtomic(v['write-trace'], writeOracleGeneral(times, req.key, sizes, req.length));
    console.error(`wrote ${req.length.toLocaleString('en-US')} requests to ${v['write-trace']} (oracleGeneral)`);
  }
  const htmlPath = v.html ?? opts.reportPath;
  const sweep = htmlPath ? (s.sweep.length > 0 || v.sweep !== undefined ? s.sweep : [0.25, 0.5, 2]) : s.sweep;
  const policies: PolicyName[] = htmlPath ? [s.policy, s.policy === 'lru' ? 's3fifo' : 'lru'] : [s.policy];
  const record = v['write-logs'] !== undefined ? outcomeRecord(prepared.requests.length) : undefined;
  const study = studyWithProgress(prepared, { ...s, sweep }, policies, v.quiet, record);
  const r = study.result;
  const label = `${opts.label ?? `stack ${plan.stack}`}${whatIf.labels.length ? ` with ${whatIf.labels.join(' ')}` : ''}`;
  console.log(`${label}: ${settingsLabel(s, prepared.requestCount)}\n`);
  console.log(renderResultTable(r));
  console.log(`\nby viewer region (p95 TTFB ms / hit ratio; ! above the type's target):\n${renderRegionTable(r)}`);
  if (r.video) console.log(`\nvideo viewer experience by region (simulated player sessions against the player targets):\n${renderVideoTable(r.video)}`);
  const causes = missCauses(model, r);
  if (causes.length > 0) console.log(`\nwhy targets are missed:\n${causes.map((c) => `  ${c}`).join('\n')}`);
  if (v.json) {
    writeJsonFile(v.json, jsonOf(r, {
      mode: 'seed-workload', whatIf: whatIf.labels,
      settings: { seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit },
      ...(study.policies.length > 1 ? { policies: Object.fromEntries(study.policies.map((p) => [p.policy, { totals: p.result.totals, types: p.result.types }])) } : {}),
      ...(study.sweep.length > study.policies.length ? { sweep: study.sweep } : {}),
      workload: { sessionsPerSecond: prepared.workload.sessionsPerSecond, families: prepared.workload.families },
    }));
  }
  if (v['write-logs'] !== undefined && record) {
    const written = await writeSimulatedLogs(v['write-logs'], simulatedLogTables(prepared, record));
    console.log(`\nlogs: ${written.lines.toLocaleString('en-US')} lines in ${written.files} Parquet file(s) under ${written.folder} (npm run analyze -- --logs ${v['write-logs']} --all)`);
  }
  if (htmlPath) {
    const html = renderHtmlReport(simulationReport(reportInputFor(model, prepared, study, s, `${label} — ${settingsLabel(s, prepared.requestCount)}`)), chartJsSource());
    writeTextFile(htmlPath, html);
    console.log(`\nreport: ${resolve(htmlPath)}`);
  }
  return r.pass ? EXIT_OK : EXIT_CHECK_FAILED;
}
