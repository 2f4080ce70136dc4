import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { boundedName, NAME_LIMITS } from '../lib/aws-names';
import type { StackConfig } from '../lib/config';
import { accessLogGroupName, buildMetricFilterSpecs, CLOUDWATCH_RECORD_FIELDS, MONITORING_REGION, TAG_STACK } from '../lib/monitoring';
import type { MediaCdn } from './media-cdn';

export interface CdnLogGroupArgs {
  /** The validated stack config (catalog, retention). */
  readonly config: StackConfig;
  /** Standard logging v2 of the primary distribution: its delivery source and the S3 delivery. */
  readonly accessLogs: MediaCdn['accessLogs'];
}

/**
 * The primary distribution's access logs in CloudWatch Logs (us-east-1), for the dashboard, the
 * alarms and `npm run report`: a log group, a second delivery from the distribution's log source
 * (JSON, the fields of lib/monitoring/log-fields.ts) and, per content type, metric filters counting
 * hits and cacheable requests and summing bytes. The staging distribution is not delivered here: its
 * requests would mix into prod's per-type hit ratios.
 */
export class CdnLogGroup extends pulumi.ComponentResource {
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: CdnLogGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:CdnLogGroup', name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const prefix = `${name}-${config.stack}`;
    const region = MONITORING_REGION;

    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-access-logs`, {
      region,
      name: accessLogGroupName(config.stack),
      retentionInDays: config.accessLogGroupRetentionDays,
      tags: { [TAG_STACK]: config.stack },
    }, parent);
    this.logGroupName = this.logGroup.name;

    const destination = new aws.cloudwatch.LogDeliveryDestination(`${name}-log-group-destination`, {
      region,
      name: boundedName([prefix, 'log-group'], NAME_LIMITS.logDeliveryDestination),
      outputFormat: 'json',
      deliveryDestinationConfiguration: { destinationResourceArn: this.logGroup.arn },
    }, parent);
    // A delivery source takes one delivery change at a time: add this one after the S3 delivery.
    new aws.cloudwatch.LogDelivery(`${name}-log-group-delivery`, {
      region,
      deliverySourceName: args.accessLogs.source.name,
      deliveryDestinationArn: destination.arn,
      recordFields: [...CLOUDWATCH_RECORD_FIELDS],
    }, { parent: this, dependsOn: [args.accessLogs.delivery] });

    for (const f of buildMetricFilterSpecs(config.catalog, config.stack)) {
      new aws.cloudwatch.LogMetricFilter(`${name}-${f.id}`, {
        region,
        name: `${prefix}-${f.id}`,
        logGroupName: this.logGroup.name,
        pattern: f.pattern,
        metricTransformation: { ...f.metricTransformation },
      }, parent);
    }

    this.registerOutputs({ logGroupName: this.logGroupName });
  }
}
