import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/config';
import { buildDashboardBody, dashboardName, MONITORING_REGION } from '../lib/monitoring';

export interface CdnDashboardArgs {
  /** The validated stack config (catalog targets, severity, bandwidth ceiling, budget). */
  readonly config: StackConfig;
  /** The primary distribution. */
  readonly distributionId: pulumi.Input<string>;
  /** The log group holding the access logs (CdnLogGroup). */
  readonly logGroupName: pulumi.Input<string>;
  /**
   * Alarms shown in the alarm-status widget.
   * @default [] (no widget)
   */
  readonly alarmArns?: readonly pulumi.Input<string>[];
  /**
   * The CloudWatch RUM app monitor of the web player (CdnRum), whose widgets follow the CDN's.
   * @default none (no RUM widgets)
   */
  readonly rumAppMonitorName?: pulumi.Input<string>;
}

/**
 * The CloudWatch dashboard of the distribution (us-east-1), whose body is built as plain JSON from
 * the catalog by `buildDashboardBody` (lib/monitoring/dashboard.ts; widgets in docs/monitoring.md).
 */
export class CdnDashboard extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: CdnDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:CdnDashboard', name, {}, opts);
    const { config } = args;
    const body = pulumi.all([args.distributionId, args.logGroupName, pulumi.all([...(args.alarmArns ?? [])]), args.rumAppMonitorName])
      .apply(([distributionId, logGroupName, alarmArns, rumAppMonitorName]) => JSON.stringify(buildDashboardBody({
        catalog: config.catalog,
        stack: config.stack,
        distributionId,
        logGroupName,
        severity: config.alarmSeverity,
        bandwidthCeilingGbps: config.bandwidthCeilingGbps,
        monthlyBudgetUsd: config.monthlyBudgetUsd,
        alarmArns,
        ...(rumAppMonitorName ? { rum: { appMonitorName: rumAppMonitorName } } : {}),
      })));
    this.dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
      region: MONITORING_REGION,
      dashboardName: dashboardName(config.stack),
      dashboardBody: body,
    }, { parent: this });
    this.dashboardName = this.dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
