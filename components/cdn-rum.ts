import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/config';
import {
  buildAppMonitorArgs, buildRumAlarmSpecs, MONITORING_REGION, rumGuestPolicy, rumGuestTrustPolicy, rumNames, TAG_STACK,
} from '../lib/monitoring';

export interface CdnRumArgs {
  /** The validated stack config (`rum*` settings, severity). */
  readonly config: StackConfig;
  /** The alarm topic (us-east-1) the RUM alarms notify (CdnAlarms). */
  readonly topicArn: pulumi.Input<string>;
}

/**
 * Real-user monitoring of the web player (lib/monitoring/rum.ts; docs/monitoring.md): a CloudWatch
 * RUM app monitor for the player pages' domains, a Cognito identity pool whose unauthenticated
 * identities assume a guest role that may only call `rum:PutRumEvents` on this app monitor, and the
 * LCP and JavaScript-error alarms. Everything is in us-east-1 with the rest of the monitoring: RUM
 * publishes its metrics in the app monitor's Region, and an alarm notifies a topic of its own Region.
 */
export class CdnRum extends pulumi.ComponentResource {
  readonly appMonitor: aws.rum.AppMonitor;
  readonly identityPool: aws.cognito.IdentityPool;
  readonly guestRole: aws.iam.Role;
  readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
  /** The app monitor's name: the `application_name` dimension of its metrics. */
  readonly appMonitorName: pulumi.Output<string>;
  readonly region = MONITORING_REGION;

  constructor(name: string, args: CdnRumArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:CdnRum', name, {}, opts);
    const { config } = args;
    this.identityPool = this.createIdentityPool(name, config);
    this.guestRole = this.createGuestRole(name, config);
    this.appMonitor = this.createAppMonitor(name, config);
    this.appMonitorName = this.appMonitor.name;
    this.grantPutRumEvents(name);
    this.alarms = this.createAlarms(name, config, args.topicArn);
    this.registerOutputs({
      appMonitorName: this.appMonitor.name,
      appMonitorId: this.appMonitor.appMonitorId,
      identityPoolId: this.identityPool.id,
      guestRoleArn: this.guestRole.arn,
    });
  }

  private createIdentityPool(name: string, config: StackConfig): aws.cognito.IdentityPool {
    return new aws.cognito.IdentityPool(`${name}-rum-identities`, {
      region: MONITORING_REGION,
      identityPoolName: rumNames(config.stack).identityPool,
      allowUnauthenticatedIdentities: true,
      // The player uses the enhanced flow (no guestRoleArn in its config): the basic flow stays off.
      allowClassicFlow: false,
      tags: { [TAG_STACK]: config.stack },
    }, { parent: this });
  }

  private createGuestRole(name: string, config: StackConfig): aws.iam.Role {
    return new aws.iam.Role(`${name}-rum-guest`, {
      description: `media-cdn ${config.stack}: unauthenticated web player sessions sending RUM events`,
      assumeRolePolicy: this.identityPool.id.apply((id) => JSON.stringify(rumGuestTrustPolicy(id))),
      maxSessionDuration: 3600,
      tags: { [TAG_STACK]: config.stack },
    }, { parent: this });
  }

  private createAppMonitor(name: string, config: StackConfig): aws.rum.AppMonitor {
    return new aws.rum.AppMonitor(`${name}-rum`, {
      region: MONITORING_REGION,
      ...buildAppMonitorArgs<pulumi.Input<string>>({
        stack: config.stack,
        domains: config.rumDomains,
        sessionSampleRate: config.rumSessionSampleRate,
        cloudWatchLogs: config.rumCloudWatchLogs,
        identityPoolId: this.identityPool.id,
        guestRoleArn: this.guestRole.arn,
      }),
    }, { parent: this });
  }

  /** The guest role's only permission, then the role as the pool's unauthenticated role. */
  private grantPutRumEvents(name: string): void {
    const policy = new aws.iam.RolePolicy(`${name}-rum-guest`, {
      role: this.guestRole.id,
      policy: this.appMonitor.arn.apply((arn) => JSON.stringify(rumGuestPolicy(arn))),
    }, { parent: this });
    new aws.cognito.IdentityPoolRoleAttachment(`${name}-rum-roles`, {
      region: MONITORING_REGION,
      identityPoolId: this.identityPool.id,
      roles: { unauthenticated: this.guestRole.arn },
    }, { parent: this, dependsOn: [policy] });
  }

  private createAlarms(name: string, config: StackConfig, topicArn: pulumi.Input<string>): aws.cloudwatch.MetricAlarm[] {
    const specs = buildRumAlarmSpecs<pulumi.Input<string>>({
      stack: config.stack, prefix: `${name}-${config.stack}`, severity: config.alarmSeverity, appMonitorName: this.appMonitor.name, topicArn,
    });
    return specs.map(({ id, metricQueries, ...spec }) => new aws.cloudwatch.MetricAlarm(`${name}-${id}`, {
      region: MONITORING_REGION,
      ...spec,
      alarmActions: [...spec.alarmActions],
      okActions: [...spec.okActions],
      ...(metricQueries ? { metricQueries: metricQueries.map((q) => ({ ...q })) } : {}),
    }, { parent: this }));
  }
}
