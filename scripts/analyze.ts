/**
 * npm run analyze -- --logs <folder> [--query name|--all] [--from … --to …] [--json f] [--html f] [--stack X|--plan f]
 * npm run analyze -- --stack X --athena --from … --to … [--query name|--all]
 * The log analyses of analytics/sql/ (hit ratios, TTFB percentiles against the targets, top misses,
 * bytes per edge location, errors, origin offload, miss spikes) over local log files with DuckDB, or
 * on the stack's Athena workgroup (docs/log-analytics.md). The SQL is the same in both places.
 */
import { loadAnalyses } from '../adapters/analytics-sql';
import { chartJsSource } from '../adapters/chart-js';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, athenaClient, connectionOptions } from '../adapters/aws-clients';
import { openLogDatabase, runAnalysesOnDuckDb } from '../adapters/duckdb-logs';
import { analysisParameters, ANALYSIS_NAMES, isAnalysisName, validateDistributionId, type AnalysisScope, type RenderedAnalysis } from '../lib/analytics/analyses';
import { analysisHtml, analysisJson, renderAnalysisText, type AnalysisRun } from '../lib/analytics/report';
import type { AnalysisResult } from '../lib/analytics/results';
import { resolveCatalog, type Catalog } from '../lib/catalog';
import { InputError } from '../lib/errors';
import { parseTimeRange } from '../lib/monitoring/time-range';
import { renderHtmlReport } from '../lib/report/html';
import { athenaQueryCostUsd } from '../lib/semantics/pricing';
import { runAnalysisOnAthena } from './analytics/athena';
import { loadStackSource, parseCommandLine, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, writeTextFile, type CommandSpec, type StackSource } from './lib/cli';
import { startActivity, startProgress } from './lib/progress';
import { stackContext } from './monitoring/stack-context';

const spec = {
  usage: 'npm run analyze --',
  summary: 'Runs the log analyses of analytics/sql/ over CloudFront log files with DuckDB, or on the stack\'s Athena workgroup.',
  options: {
    logs: { type: 'string' },
    query: { type: 'string' },
    all: { type: 'boolean' },
    from: { type: 'string' },
    to: { type: 'string' },
    distribution: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    ...STACK_SOURCE_OPTIONS,
    athena: { type: 'boolean' },
    ...AWS_CONNECTION_OPTIONS,
    'show-sql': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  help: {
    logs: 'folder of log files: Parquet (v2, Hive partitions or not), JSON lines (v2) or CloudFront v1 logs (.gz with #Fields)',
    query: `one analysis: ${ANALYSIS_NAMES.join(', ')}`,
    all: 'every analysis (the default)',
    from: 'start of the range (inclusive): YYYY-MM-DD (UTC) or an ISO time with a zone; required with --athena',
    to: 'end of the range (exclusive); required with --athena',
    distribution: "only this distribution's lines (default: every one in the logs; with --athena the stack's distribution)",
    json: 'write the results as JSON to this file',
    html: 'write a self-contained HTML page with tables and charts to this file',
    ...STACK_SOURCE_HELP,
    athena: "run on the stack's Athena workgroup (outputs athenaWorkgroup, glueDatabase) instead of local files",
    ...AWS_CONNECTION_HELP,
    'show-sql': 'print the SQL of the chosen analyses (rendered for the catalog) and exit',
    quiet: 'no progress on stderr (locally: the time so far and the share done when DuckDB can tell; on Athena: analyses done)',
  },
  examples: [
    'npm run analyze -- --logs ./logs --all --json analyses.json --html analyses.html',
    'npm run analyze -- --logs ./logs --query hit-ratio-by-type --from 2026-03-01 --to 2026-03-02',
    'npm run analyze -- --stack prod --athena --from 2026-03-01 --to 2026-03-08 --html week.html',
  ],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

type Values = ReturnType<typeof parseCommandLine<typeof spec.options>>['values'];

/** Local runs without a range cover every line. */
const ALL_TIME: AnalysisScope = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') };

function chooseAnalyses(values: Values, all: readonly RenderedAnalysis[]): RenderedAnalysis[] {
  if (values.query !== undefined && values.all) throw new InputError(`give --query <name> or --all, not both; see '${spec.usage} --help'.`);
  if (values.query === undefined) return [...all];
  if (!isAnalysisName(values.query)) throw new InputError(`--query '${values.query}' is not an analysis; use one of ${ANALYSIS_NAMES.join(', ')}.`);
  return all.filter((a) => a.name === values.query);
}

function chooseScope(values: Values, athena: boolean, defaultDistribution: string | undefined): AnalysisScope {
  const distribution = values.distribution !== undefined ? validateDistributionId(values.distribution) : defaultDistribution;
  const dist = distribution !== undefined ? { distributionId: distribution } : {};
  if (values.from === undefined && values.to === undefined) {
    if (athena) throw new InputError('--from and --to are required with --athena: Athena bills every byte a query scans, so give the range to read (e.g. --from 2026-03-01 --to 2026-03-02).');
    return { ...ALL_TIME, ...dist };
  }
  const range = parseTimeRange(values.from, values.to, { allowFuture: true, maxDays: 36_500 });
  return { ...range, ...dist };
}

async function catalogOf(source: StackSource | undefined): Promise<Catalog> {
  return source ? (await stackContext(source)).catalog : resolveCatalog();
}

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const athena = values.athena === true;
  if (athena && values.logs !== undefined) throw new InputError(`give --logs <folder> (DuckDB here) or --athena (the stack's workgroup), not both; see '${spec.usage} --help'.`);
  if (!athena && values.logs === undefined && !values['show-sql']) throw new InputError(`--logs <folder> is required (or --athena with --stack); see '${spec.usage} --help'.`);
  const hasStack = values.stack !== undefined || values.plan !== undefined || values.outputs !== undefined;
  if (athena && !hasStack) throw new InputError(`--athena needs the stack: give --stack <name>, --plan <file> or --outputs <file>; see '${spec.usage} --help'.`);
  const source = hasStack ? await loadStackSource(values, spec.usage) : undefined;
  const analyses = chooseAnalyses(values, loadAnalyses(await catalogOf(source)));
  if (values['show-sql']) {
    for (const a of analyses) console.log(`-- ${a.name}.sql\n${a.sql}`);
    return;
  }
  const scope = chooseScope(values, athena, athena ? source?.outputs.distributionId : undefined);
  const params = analysisParameters(scope);
  const results: AnalysisResult[] = [];
  let run: AnalysisRun;
  if (athena) {
    const o = source!.outputs;
    if (!o.athenaWorkgroup || !o.glueDatabase) {
      throw new InputError(`the stack in ${source!.label} has no Athena workgroup (outputs athenaWorkgroup, glueDatabase); set media-cdn:logAnalytics true and deploy it.`);
    }
    const client = athenaClient(connectionOptions(values), o.region);
    let bytes = 0;
    let cost = 0;
    const progress = startProgress('analyses on Athena', analyses.length, { quiet: values.quiet });
    for (const a of analyses) {
      const r = await runAnalysisOnAthena(client, { workgroup: o.athenaWorkgroup, database: o.glueDatabase }, a, params);
      bytes += r.bytesScanned ?? 0;
      cost += athenaQueryCostUsd(r.bytesScanned ?? 0);
      results.push(r);
      progress.increment();
    }
    progress.stop();
    run = { source: `athena ${o.athenaWorkgroup}`, scope, results, athena: { bytesScanned: bytes, costUsd: cost } };
  } else {
    const db = await openLogDatabase(values.logs!);
    const activity = startActivity(`${analyses.length} analyses with DuckDB`, { quiet: values.quiet });
    try {
      results.push(...(await runAnalysesOnDuckDb(db, analyses, params, (fraction) => activity.set(fraction))));
    } finally {
      activity.stop();
      db.close();
    }
    run = { source: `logs ${values.logs}`, scope, results };
  }
  console.log(renderAnalysisText(run, analyses));
  if (values.json) writeJsonFile(values.json, analysisJson(run, analyses));
  if (values.html) writeTextFile(values.html, renderHtmlReport(analysisHtml(run, analyses), chartJsSource()));
});
