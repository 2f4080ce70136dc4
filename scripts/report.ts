/**
 * npm run report -- --stack X --from <date> --to <date> [--json f] [--html f]
 * CloudWatch metrics and access-log queries for the distribution over a range, compared with the
 * catalog targets and the alarm thresholds (docs/monitoring.md). Exit 1 when a target is missed.
 */
import { renderHtmlReport } from '../lib/report/html';
import { chartJsSource } from '../adapters/chart-js';
import { evaluateReport, renderReportText, reportHtml, reportJson } from '../lib/monitoring/report';
import { parseTimeRange } from '../lib/monitoring/time-range';
import {
  CheckFailed, loadStackSource, parseCommandLine, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, writeTextFile,
  type CommandSpec,
} from './lib/cli';
import { startProgress } from './lib/progress';
import { athenaClient, AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, connectionOptions } from '../adapters/aws-clients';
import { InputError } from '../lib/errors';
import { createMonitoringClients, validateConnection } from './monitoring/aws';
import { validateAll } from './monitoring/inputs';
import { collectReport } from './monitoring/run-report';
import { stackContext } from './monitoring/stack-context';

const spec = {
  usage: 'npm run report --',
  summary: 'Reports the distribution\'s CloudWatch metrics and access-log statistics for a time range against the catalog targets.',
  options: {
    ...STACK_SOURCE_OPTIONS,
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    ...AWS_CONNECTION_OPTIONS,
    severity: { type: 'string' },
    'no-logs': { type: 'boolean' },
    source: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: {
    ...STACK_SOURCE_HELP,
    from: 'start of the range (inclusive): YYYY-MM-DD (UTC) or an ISO time with a zone',
    to: 'end of the range (exclusive)',
    json: 'write the report as JSON to this file',
    html: 'write a self-contained HTML page with charts to this file',
    ...AWS_CONNECTION_HELP,
    severity: 'thresholds of this alarm severity (critical, warning); default: the stack\'s alarmSeverity',
    'no-logs': 'CloudWatch metrics only: skip the access-log queries',
    source: "where the per-type hit ratios and p95 first byte come from: logs-insights (default; the CloudWatch log group) or athena (the log analyses of analytics/sql on the stack's Athena workgroup over the Parquet logs; needs media-cdn:logAnalytics)",
    quiet: 'no progress bars',
  },
  examples: [
    'npm run report -- --stack prod --from 2026-03-01 --to 2026-03-08 --html report.html',
    'npm run report -- --outputs outputs.json --from 2026-03-01T00:00:00Z --to 2026-03-01T06:00:00Z --json report.json',
    'npm run report -- --stack prod --source athena --from 2026-03-01 --to 2026-03-08',
  ],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const LOG_SOURCES = ['logs-insights', 'athena'] as const;
type LogSource = (typeof LOG_SOURCES)[number];

function logSource(value: string | undefined, noLogs: boolean): LogSource {
  if (value === undefined) return 'logs-insights';
  if (!(LOG_SOURCES as readonly string[]).includes(value)) throw new InputError(`--source '${value}' is not a log source; use logs-insights or athena.`);
  if (noLogs) throw new InputError(`--source ${value} and --no-logs contradict each other: --no-logs skips the access logs; drop one.`);
  return value as LogSource;
}

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const { range, connection, source: fromLogs } = validateAll({
    source: () => logSource(values.source, values['no-logs'] === true),
    range: () => parseTimeRange(values.from, values.to),
    connection: () => validateConnection(connectionOptions(values)),
  });
  const source = await loadStackSource(values, spec.usage);
  const context = await stackContext(source, { ...(values.severity ? { severity: values.severity } : {}) });
  const quiet = values.quiet === true;
  const athena = fromLogs === 'athena' ? { athena: athenaClient(connection, source.outputs.region) } : {};
  const data = await collectReport({ ...createMonitoringClients(connection), ...athena }, {
    source, context, range, queryLogs: values['no-logs'] !== true, logSource: fromLogs,
    progress: (label, total) => startProgress(label, total, { quiet }),
  });
  const report = evaluateReport(data, context.catalog, context.severity);
  console.log(renderReportText(report));
  if (values.json) writeJsonFile(values.json, reportJson(report));
  if (values.html) writeTextFile(values.html, renderHtmlReport(reportHtml(report, context.catalog), chartJsSource()));
  if (report.failed > 0) throw new CheckFailed(`${report.failed} target(s) missed.`);
});
