/**
 * Log-replay mode (--trace logs --format cloudfront-log without --cache-size): replays CloudFront logs
 * through the plan's tiers and sets the logged hit ratios beside the simulated ones.
 */
import { resolve } from 'node:path';
import { renderTable } from '../../lib/format/table';
import { renderHtmlReport } from '../../lib/report/html';
import { chartJsSource } from '../../adapters/chart-js';
import { observedFromCounts, replayLog, type ObservedCounts, type ReplayResult } from '../../simulator/log-replay';
import { InputError, show } from '../../lib/errors';
import { renderRegionTable } from '../../simulator/report';
import { summarize } from '../../simulator/results';
import { mergeStats, statsFromJson, statsToJson, type Shard } from '../../simulator/shard';
import { planFromJson } from '../../simulator/stack-export';
import { simModelFromPlan } from '../../simulator/plan-model';
import { simulationReport } from '../../simulator/report';
import { streamCloudFrontLogs } from '../../simulator/trace';
import { parseSetOptions } from '../../simulator/what-if';
import { EXIT_CHECK_FAILED, EXIT_OK, writeJsonFile, writeTextFile } from '../lib/cli';
import type { SimValues } from './options';
import { loadPlanWithWhatIf } from './plan-source';
import { jsonOf, reportInputFor } from './report';
import { replayOptionsOf, type SimSettings } from './settings';
import { partProblems } from './part-checks';
import { replayRows } from './tables';

/** What a replay part records; `merge` refuses parts whose settings, plan or logs differ. */
export const REPLAY_PART_MODE = 'log-replay-part';

function replaySettings(s: SimSettings) {
  return { ...replayOptionsOf(s), profile: s.profile };
}

export async function replayMode(v: SimValues, s: SimSettings, shard?: Shard): Promise<number> {
  if (shard && v.json === undefined) throw new InputError(`--shard ${shard.index}/${shard.count} needs --json part-${shard.index}.json (the part that 'npm run sim -- merge' adds up).`);
  if (shard && v.html !== undefined) throw new InputError('--shard writes a part, not a report: drop --html (merge the parts for the totals).');
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const log = await streamCloudFrontLogs(v.trace!);
  const rep = replayLog(log, model, s.profile, { ...replayOptionsOf(s), ...(shard ? { shard } : {}) });
  if (shard) {
    writeJsonFile(v.json!, {
      mode: REPLAY_PART_MODE, shard, settings: replaySettings(s), whatIf: whatIf.labels, plan, logLines: log.length,
      logSeconds: rep.logSeconds, unknownEdges: rep.unknownEdges, observedCounts: rep.observedCounts, stats: statsToJson(rep.stats),
    });
    console.log(`log replay shard ${shard.index}/${shard.count}: ${rep.stats.simulated.toLocaleString('en-US')} of ${log.length.toLocaleString('en-US')} logged requests simulated; wrote ${v.json} (add the parts up with 'npm run sim -- merge part-*.json --json total.json')`);
    return EXIT_OK;
  }
  return printReplay(v, rep, log, model, s);
}

type LogSummary = Pick<Awaited<ReturnType<typeof streamCloudFrontLogs>>, 'length' | 'malformed' | 'malformedExamples'>;

/** The replay's table, JSON and (with the settings) HTML report. */
function printReplay(v: SimValues, rep: ReplayResult, log: LogSummary, model: ReturnType<typeof simModelFromPlan>, s: SimSettings | undefined): number {
  console.log(`replayed ${log.length.toLocaleString('en-US')} logged requests (${(rep.logSeconds / 3600).toFixed(1)} h) through stack ${model.stack}${log.malformed ? `; ${log.malformed} malformed line(s) skipped, e.g. ${log.malformedExamples[0]}` : ''}\n`);
  console.log(renderTable(['type', 'requests/day', 'logged hit ratio', 'simulated', 'target', 'p95 ms'], replayRows(rep), ['left', 'right', 'right', 'right', 'right', 'right']));
  if (rep.unknownEdges.length) console.log(`\nedge locations with unknown airport codes (counted as North America): ${rep.unknownEdges.join(', ')}`);
  if (v.json) writeJsonFile(v.json, jsonOf(rep.result, { mode: 'log-replay', observed: rep.observed, malformed: log.malformed, malformedExamples: log.malformedExamples, unknownEdges: rep.unknownEdges }));
  if (v.html && s) {
    const html = renderHtmlReport(simulationReport({ ...reportInputFor(model, undefined, { result: rep.result, policies: [], sweep: [] }, s, `log replay of ${v.trace}`), families: undefined }), chartJsSource());
    writeTextFile(v.html, html);
    console.log(`\nreport: ${resolve(v.html)}`);
  }
  return EXIT_OK;
}

interface ReplayPart {
  readonly file: string;
  readonly shard: Shard;
  readonly settings: unknown;
  readonly plan: unknown;
  readonly logLines: number;
  readonly logSeconds: number;
  readonly unknownEdges: readonly string[];
  readonly observedCounts: ObservedCounts;
  readonly stats: Record<string, unknown>;
}

/** `merge` of log-replay parts (`--trace logs --shard i/n`): statistics and logged counts added up. */
export function mergeReplayParts(v: SimValues, parts: readonly (Record<string, unknown> & { file: string })[]): number {
  const ps = parts.map((j) => j as unknown as ReplayPart);
  const first = ps[0]!;
  const n = first.shard.count;
  const problems = partProblems(ps);
  for (const p of ps) {
    if (p.logLines !== first.logLines || p.logSeconds !== first.logSeconds) problems.push(`${p.file} read ${show(p.logLines)} log lines over ${show(p.logSeconds)} s, ${first.file} ${show(first.logLines)} over ${show(first.logSeconds)} s; every shard reads the same logs.`);
  }
  if (problems.length > 0) throw new InputError(problems);
  const ordered = [...ps].sort((a, b) => a.shard.index - b.shard.index);
  const stats = mergeStats(ordered.map((p) => statsFromJson(p.stats, p.file)));
  const model = simModelFromPlan(planFromJson(first.plan, first.file));
  const counts: ObservedCounts = {
    requests: first.observedCounts.requests.map((_, i) => ordered.reduce((a, p) => a + (p.observedCounts.requests[i] ?? 0), 0)),
    hits: first.observedCounts.hits.map((_, i) => ordered.reduce((a, p) => a + (p.observedCounts.hits[i] ?? 0), 0)),
  };
  const result = summarize({ stack: model.stack, stats, catalog: model.catalog, invalidationPathsPerMonth: 0 });
  const rep: ReplayResult = { result, observed: observedFromCounts(counts), unknownEdges: first.unknownEdges, logSeconds: first.logSeconds, stats, observedCounts: counts };
  console.log(`merged ${n} log-replay shard${n > 1 ? 's' : ''}:`);
  const code = printReplay({ ...v, html: undefined }, rep, { length: first.logLines, malformed: 0, malformedExamples: [] }, model, undefined);
  console.log(`\nby viewer region (p95 TTFB ms / hit ratio; ! above the type's target):\n${renderRegionTable(result)}`);
  return code === EXIT_OK && !result.pass ? EXIT_CHECK_FAILED : code;
}
