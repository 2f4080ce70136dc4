/**
 * npm run cost -- --stack X --from <date> --to <date> [--json f]
 * npm run cost -- --offline --stack X [--json f]
 * CloudFront cost: the bill from Cost Explorer grouped by usage type and region, invalidation paths
 * billed, the forecast and the optimization levers (docs/cost-analysis.md); or, with --offline, the
 * month the simulator predicts for the stack priced by the model, with no AWS account.
 */
import { renderCostText } from '../lib/monitoring/cost-report';
import { parseTimeRange } from '../lib/monitoring/time-range';
import { InputError } from '../lib/errors';
import {
  CheckFailed, loadPlan, loadStackSource, parseCommandLine, runMain, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile,
  type CommandSpec,
} from './lib/cli';
import { startProgress } from './lib/progress';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, connectionOptions } from '../adapters/aws-clients';
import { createMonitoringClients, validateConnection } from './monitoring/aws';
import { validateAll } from './monitoring/inputs';
import { actualCost, offlineCost } from './monitoring/run-cost';
import { stackContext } from './monitoring/stack-context';
import { fileUsageSource, simulatorUsageSource } from './monitoring/usage-sources';

const spec = {
  usage: 'npm run cost --',
  summary: 'CloudFront cost: the bill from Cost Explorer (or, with --offline, the predicted month) and the optimization levers in dollars.',
  options: {
    ...STACK_SOURCE_OPTIONS,
    from: { type: 'string' },
    to: { type: 'string' },
    offline: { type: 'boolean' },
    usage: { type: 'string' },
    json: { type: 'string' },
    ...AWS_CONNECTION_OPTIONS,
    'price-class': { type: 'string' },
    'no-invalidations': { type: 'boolean' },
    'check-budget': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  help: {
    ...STACK_SOURCE_HELP,
    from: 'start of the billed range (inclusive), YYYY-MM-DD (not with --offline)',
    to: 'end of the billed range (exclusive), YYYY-MM-DD',
    offline: 'price the month the simulator predicts for the stack (needs --stack or --plan; no AWS account)',
    usage: 'with --offline: read the month of usage from this JSON file (MonthlyUsage of lib/semantics/pricing.ts) instead of the simulator',
    json: 'write the report as JSON (totalUsd, lines[], optimizations[], ...) to this file',
    ...AWS_CONNECTION_HELP,
    'price-class': 'price the levers against this class instead of the stack\'s priceClass',
    'no-invalidations': 'skip counting invalidation paths (ListInvalidations, GetInvalidation)',
    'check-budget': 'exit 1 when the month (estimate or forecast) exceeds the stack\'s monthlyBudgetUsd',
    quiet: 'no progress bars',
  },
  examples: [
    'npm run cost -- --offline --stack prod --json cost.json',
    'npm run cost -- --stack prod --from 2026-02-01 --to 2026-03-01 --json cost.json',
  ],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const offline = values.offline === true;
  const quiet = values.quiet === true;
  const over = values['price-class'] ? { priceClass: values['price-class'] } : {};
  const { range, connection } = validateAll({
    range: () => {
      if (offline) {
        if (values.from !== undefined || values.to !== undefined) throw new InputError('--from/--to do not apply to --offline, which prices one predicted month; drop them.');
        return undefined;
      }
      return parseTimeRange(values.from, values.to);
    },
    connection: () => validateConnection(connectionOptions(values)),
    usage: () => {
      if (values.usage !== undefined && !offline) throw new InputError('--usage applies to --offline only.');
    },
    source: () => {
      if (offline && values.outputs !== undefined) throw new InputError('--offline needs the plan (--stack or --plan) to predict usage; an outputs file has no workload.');
    },
  });

  let report;
  let budget: number;
  if (offline) {
    const plan = await loadPlan(values, spec.usage);
    const context = await stackContext({ plan, label: `stack ${plan.stack}` }, over);
    budget = context.config?.monthlyBudgetUsd ?? 0;
    const usage = values.usage ? fileUsageSource(values.usage) : simulatorUsageSource();
    if (!quiet) process.stderr.write(`predicting a month of usage for stack ${plan.stack} from ${usage.label}...\n`);
    report = await offlineCost(plan, context, usage);
  } else {
    const source = await loadStackSource(values, spec.usage);
    const context = await stackContext(source, over);
    budget = context.config?.monthlyBudgetUsd ?? 0;
    const clients = createMonitoringClients(connection);
    report = await actualCost(clients, {
      source, context, range: range!, skipInvalidations: values['no-invalidations'] === true,
      progress: (label, total) => startProgress(label, total, { quiet }),
    });
  }
  console.log(renderCostText(report));
  if (values.json) writeJsonFile(values.json, report);
  if (values['check-budget'] && budget > 0) {
    const month = report.mode === 'offline' ? report.totalUsd : report.forecast && 'usd' in report.forecast ? report.forecast.usd : report.monthlyEstimate.totalUsd;
    if (month > budget) throw new CheckFailed(`the month's ${month.toFixed(2)} USD exceeds the budget of ${budget} USD (monthlyBudgetUsd).`);
  }
});
