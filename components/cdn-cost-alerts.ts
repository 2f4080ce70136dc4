import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/config';
import { buildAnomalyMonitorArgs, buildAnomalySubscriptionArgs, buildBudgetArgs } from '../lib/monitoring';

/** Compile-time guard: every field of the plain specs is an argument of the resource it becomes. */
type Extra<Spec, Args> = Exclude<keyof Spec, keyof Args>;
const budgetFieldsAreBudgetArgs: Extra<NonNullable<ReturnType<typeof buildBudgetArgs<string>>>, aws.budgets.BudgetArgs> extends never ? true : never = true;
const monitorFieldsAreMonitorArgs: Extra<ReturnType<typeof buildAnomalyMonitorArgs>, aws.costexplorer.AnomalyMonitorArgs> extends never ? true : never = true;
const subscriptionFieldsAreSubscriptionArgs: Extra<ReturnType<typeof buildAnomalySubscriptionArgs<string>>, aws.costexplorer.AnomalySubscriptionArgs> extends never ? true : never = true;
void budgetFieldsAreBudgetArgs;
void monitorFieldsAreMonitorArgs;
void subscriptionFieldsAreSubscriptionArgs;

export interface CdnCostAlertsArgs {
  /** The validated stack config (budget amount and thresholds, anomaly monitor). */
  readonly config: StackConfig;
  /** The alarm topic, which budget and anomaly notifications go to. */
  readonly topicArn: pulumi.Input<string>;
}

/**
 * Cost alerts on CloudFront spend: an AWS Budgets budget with actual and forecast thresholds
 * of this stack's CloudFront spend (config `monthlyBudgetUsd`, `budgetActualAlertPercent`,
 * `budgetForecastAlertPercent`) and an immediate SNS subscription to a Cost Anomaly Detection monitor:
 * this stack's own tag-scoped CUSTOM monitor when `costAnomalyMonitor` is on, or an existing monitor
 * (`costAnomalyMonitorArn`). Budgets and Cost Explorer are global services: no Region.
 */
export class CdnCostAlerts extends pulumi.ComponentResource {
  readonly budget?: aws.budgets.Budget;
  readonly anomalyMonitor?: aws.costexplorer.AnomalyMonitor;

  constructor(name: string, args: CdnCostAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:CdnCostAlerts', name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const prefix = `${name}-${config.stack}`;

    const budget = buildBudgetArgs<pulumi.Input<string>>({
      stack: config.stack,
      prefix,
      monthlyBudgetUsd: config.monthlyBudgetUsd,
      actualAlertPercent: config.budgetActualAlertPercent,
      forecastAlertPercent: config.budgetForecastAlertPercent,
      topicArn: args.topicArn,
    });
    if (budget) this.budget = new aws.budgets.Budget(`${name}-budget`, budget, parent);

    if (config.costAnomalyMonitor) {
      this.anomalyMonitor = new aws.costexplorer.AnomalyMonitor(`${name}-anomaly-monitor`, buildAnomalyMonitorArgs(prefix, config.stack), parent);
    }
    const monitorArn = this.anomalyMonitor?.arn ?? (config.costAnomalyMonitorArn || undefined);
    if (monitorArn) {
      new aws.costexplorer.AnomalySubscription(`${name}-anomaly-alerts`,
        buildAnomalySubscriptionArgs<pulumi.Input<string>>(prefix, config.stack, monitorArn, args.topicArn, config.costAnomalyAlertUsd), parent);
    }

    this.registerOutputs({ budgetName: this.budget?.name });
  }
}
