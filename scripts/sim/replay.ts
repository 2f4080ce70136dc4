/**
 * Log-replay mode (--trace logs --format cloudfront-log without --cache-size): replays CloudFront logs
 * through the plan's tiers and sets the logged hit ratios beside the simulated ones.
 */
import { resolve } from 'node:path';
import { renderTable } from '../../lib/format/table';
import { renderHtmlReport } from '../../lib/report/html';
import { chartJsSource } from '../../adapters/chart-js';
import { replayLog } from '../../simulator/log-replay';
import { simModelFromPlan } from '../../simulator/plan-model';
import { simulationReport } from '../../simulator/report';
import { streamCloudFrontLogs } from '../../simulator/trace';
import { parseSetOptions } from '../../simulator/what-if';
import { EXIT_OK, writeJsonFile, writeTextFile } from '../lib/cli';
import type { SimValues } from './options';
import { loadPlanWithWhatIf } from './plan-source';
import { jsonOf, reportInputFor } from './report';
import { replayOptionsOf, type SimSettings } from './settings';
import { replayRows } from './tables';

export async function replayMode(v: SimValues, s: SimSettings): Promise<number> {
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const log = await streamCloudFrontLogs(v.trace!);
  const rep = replayLog(log, model, s.profile, replayOptionsOf(s));
  console.log(`replayed ${log.length.toLocaleString('en-US')} logged requests (${(rep.logSeconds / 3600).toFixed(1)} h) through stack ${plan.stack}${log.malformed ? `; ${log.malformed} malformed line(s) skipped, e.g. ${log.malformedExamples[0]}` : ''}\n`);
  console.log(renderTable(['type', 'requests/day', 'logged hit ratio', 'simulated', 'target', 'p95 ms'], replayRows(rep), ['left', 'right', 'right', 'right', 'right', 'right']));
  if (rep.unknownEdges.length) console.log(`\nedge locations with unknown airport codes (counted as North America): ${rep.unknownEdges.join(', ')}`);
  if (v.json) writeJsonFile(v.json, jsonOf(rep.result, { mode: 'log-replay', observed: rep.observed, malformed: log.malformed, malformedExamples: log.malformedExamples, unknownEdges: rep.unknownEdges }));
  if (v.html) {
    const html = renderHtmlReport(simulationReport({ ...reportInputFor(model, undefined, { result: rep.result, policies: [], sweep: [] }, s, `log replay of ${v.trace}`), families: undefined }), chartJsSource());
    writeTextFile(v.html, html);
    console.log(`\nreport: ${resolve(v.html)}`);
  }
  return EXIT_OK;
}
