/**
 * Cost alerts as plain data: the AWS Budgets budget for CloudFront (actual and forecast thresholds
 * from config), the optional Cost Anomaly Detection monitor and subscription, and the alarm topic's
 * policy that lets CloudWatch, Budgets and Cost Anomaly Detection publish to it. `T` is the type of
 * ARNs (strings in tests, Pulumi outputs in the components).
 */
import { alarmNames, TAG_STACK } from './names';

/** Cost Explorer / Budgets `SERVICE` value of CloudFront (spec §14). */
export const CLOUDFRONT_SERVICE = 'Amazon CloudFront';

export interface BudgetInputs<T> {
  readonly stack: string;
  readonly prefix: string;
  readonly monthlyBudgetUsd: number;
  readonly actualAlertPercent: number;
  readonly forecastAlertPercent: number;
  readonly topicArn: T;
}

/** `aws.budgets.BudgetArgs` of the CloudFront budget; undefined when the budget is 0 (none). */
export function buildBudgetArgs<T>(inp: BudgetInputs<T>) {
  if (inp.monthlyBudgetUsd <= 0) return undefined;
  const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
    notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE', subscriberSnsTopicArns: [inp.topicArn],
  });
  return {
    name: alarmNames(inp.prefix).budget,
    budgetType: 'COST',
    limitAmount: String(inp.monthlyBudgetUsd),
    limitUnit: 'USD',
    timeUnit: 'MONTHLY',
    // This stack's CloudFront spend: the service, and the stack's cost allocation tag (on the
    // distributions); without the tag filter staging's budget would count prod's traffic.
    costFilters: [{ name: 'Service', values: [CLOUDFRONT_SERVICE] }, { name: 'TagKeyValue', values: [stackTagFilterValue(inp.stack)] }],
    notifications: [notify('ACTUAL', inp.actualAlertPercent), notify('FORECASTED', inp.forecastAlertPercent)],
    tags: { [TAG_STACK]: inp.stack },
  };
}

/**
 * Budgets' `TagKeyValue` filter value of the stack tag: `user:<key>$<value>`. Budgets and Cost
 * Explorer see the tag only once it is activated as a cost allocation tag (docs/deployment.md).
 */
export function stackTagFilterValue(stack: string): string {
  return `user:${TAG_STACK}$${stack}`;
}

/** Cost Explorer expression selecting the spend of resources tagged with this stack. */
export function stackCostExpression(stack: string) {
  return { Tags: { Key: TAG_STACK, Values: [stack], MatchOptions: ['EQUALS'] } };
}

/**
 * `aws.costexplorer.AnomalyMonitorArgs`: a customer-managed (CUSTOM) monitor of the spend tagged with
 * this stack. Not the AWS-managed per-service (DIMENSIONAL) monitor: AWS allows one per account and
 * creates it by default when Cost Explorer is enabled, so creating another fails; to use that one,
 * set `costAnomalyMonitorArn` instead.
 */
export function buildAnomalyMonitorArgs(prefix: string, stack: string) {
  return { name: `${prefix}-spend`, monitorType: 'CUSTOM', monitorSpecification: JSON.stringify(stackCostExpression(stack)), tags: { [TAG_STACK]: stack } };
}

/** `aws.costexplorer.AnomalySubscriptionArgs`: SNS needs IMMEDIATE frequency. */
export function buildAnomalySubscriptionArgs<T>(prefix: string, stack: string, monitorArn: T, topicArn: T, minImpactUsd: number) {
  return {
    name: `${prefix}-anomalies`,
    frequency: 'IMMEDIATE',
    monitorArnLists: [monitorArn],
    subscribers: [{ type: 'SNS', address: topicArn }],
    thresholdExpression: { dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', matchOptions: ['GREATER_THAN_OR_EQUAL'], values: [String(minImpactUsd)] } },
    tags: { [TAG_STACK]: stack },
  };
}

/** The alarm topic's policy: the account's own services may publish (alarms, budgets, cost anomalies). */
export function alarmTopicPolicy(topicArn: string, accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountServicesPublish',
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com', 'costalerts.amazonaws.com'] },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}
