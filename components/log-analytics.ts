import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { boundedName, NAME_LIMITS } from '../lib/aws-names';
import { privateBucketPolicy } from '../lib/builders/bucket-policies';
import { ANALYTICS_RECORD_FIELDS } from '../lib/analytics/log-table';
import type { RenderedAnalysis } from '../lib/analytics/analyses';
import {
  athenaWorkgroupName, buildLogTableArgs, buildWorkgroupConfiguration, glueDatabaseName, namedQueryDescription, parquetLogLocation, PARQUET_LOG_SUFFIX_PATH,
} from '../lib/builders/log-analytics';
import type { StackConfig } from '../lib/config';
import { TAG_STACK } from '../lib/monitoring';
import { CLOUDFRONT_REGION, type MediaCdn } from './media-cdn';

export interface LogAnalyticsArgs {
  readonly config: StackConfig;
  /** Standard logging v2 of the primary distribution (its delivery source). */
  readonly accessLogs: MediaCdn['accessLogs'];
  /** The bucket the Parquet logs land in (the stack's log bucket, which admits log delivery). */
  readonly logBucket: aws.s3.Bucket;
  readonly distributionId: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  /** The analyses of analytics/sql/ rendered for the stack's catalog (adapters/analytics-sql.ts). */
  readonly analyses: readonly RenderedAnalysis[];
  /** Name of the MediaCdn component, which starts the AWS names of the distribution's log deliveries (`<cdn>-<stack>-…`). */
  readonly cdnName: string;
}

/**
 * Log analytics at scale (docs/log-analytics.md): the primary distribution's access logs delivered
 * again, as Parquet in Hive-compatible partitions, to the log bucket; a Glue database and table over
 * them with partition projection (no crawler); an Athena workgroup (engine v3, results encrypted in
 * their own bucket that expires them, a per-query scan limit, all enforced); one named query per
 * analysis, with the same SQL `npm run analyze` runs locally.
 */
export class LogAnalytics extends pulumi.ComponentResource {
  readonly logsBucket: pulumi.Output<string>;
  readonly resultsBucket: aws.s3.Bucket;
  readonly database: aws.glue.CatalogDatabase;
  readonly table: aws.glue.CatalogTable;
  readonly workgroup: aws.athena.Workgroup;
  readonly namedQueries: readonly aws.athena.NamedQuery[];

  private readonly name: string;
  private readonly args: LogAnalyticsArgs;

  constructor(name: string, args: LogAnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:LogAnalytics', name, {}, opts);
    this.name = name;
    this.args = args;

    this.createParquetDelivery();
    this.logsBucket = args.logBucket.bucket;
    this.database = this.createDatabase();
    this.table = this.createTable();
    this.resultsBucket = this.createResultsBucket();
    this.workgroup = this.createWorkgroup();
    this.namedQueries = this.createNamedQueries();

    this.registerOutputs({
      logsBucket: this.logsBucket,
      athenaWorkgroup: this.workgroup.name,
      glueDatabase: this.database.name,
      glueTable: this.table.name,
    });
  }

  private get parent(): pulumi.CustomResourceOptions {
    return { parent: this };
  }

  private get region(): string {
    return this.args.config.region;
  }

  /** A third delivery from the distribution's log source, after the others (one change at a time per source). */
  private createParquetDelivery(): void {
    const { config, accessLogs, logBucket } = this.args;
    const destination = new aws.cloudwatch.LogDeliveryDestination(`${this.name}-parquet-destination`, {
      region: CLOUDFRONT_REGION,
      name: boundedName([this.args.cdnName, config.stack, 'analytics-parquet'], NAME_LIMITS.logDeliveryDestination),
      outputFormat: 'parquet',
      deliveryDestinationConfiguration: { destinationResourceArn: logBucket.arn },
    }, this.parent);
    new aws.cloudwatch.LogDelivery(`${this.name}-parquet-delivery`, {
      region: CLOUDFRONT_REGION,
      deliverySourceName: accessLogs.source.name,
      deliveryDestinationArn: destination.arn,
      recordFields: [...ANALYTICS_RECORD_FIELDS],
      s3DeliveryConfigurations: [{ suffixPath: PARQUET_LOG_SUFFIX_PATH, enableHiveCompatiblePath: true }],
    }, { parent: this, dependsOn: [accessLogs.delivery] });
  }

  private createDatabase(): aws.glue.CatalogDatabase {
    return new aws.glue.CatalogDatabase(`${this.name}-database`, {
      region: this.region,
      name: glueDatabaseName(this.args.config.stack),
      description: `media-cdn ${this.args.config.stack}: CloudFront access logs for Athena`,
    }, this.parent);
  }

  private createTable(): aws.glue.CatalogTable {
    const { logBucket, accountId, distributionId } = this.args;
    const table = pulumi.all([this.database.name, logBucket.bucket, accountId, distributionId])
      .apply(([db, bucket, account, dist]) => buildLogTableArgs(db, parquetLogLocation(bucket, account), [dist]));
    return new aws.glue.CatalogTable(`${this.name}-table`, {
      region: this.region,
      name: table.name,
      databaseName: table.databaseName,
      tableType: table.tableType,
      description: table.description,
      parameters: table.parameters,
      partitionKeys: table.partitionKeys,
      storageDescriptor: table.storageDescriptor,
    }, this.parent);
  }

  private createResultsBucket(): aws.s3.Bucket {
    const { config } = this.args;
    const name = `${this.name}-athena-results`;
    const bucket = new aws.s3.Bucket(name, { region: this.region, forceDestroy: true, tags: { [TAG_STACK]: config.stack } }, this.parent);
    new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
      region: this.region, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, this.parent);
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { region: this.region, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, this.parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      region: this.region, bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    }, this.parent);
    new aws.s3.BucketPolicy(`${name}-policy`, {
      region: this.region, bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(privateBucketPolicy(arn))),
    }, this.parent);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      region: this.region, bucket: bucket.id,
      rules: [{
        id: 'expire-query-results', status: 'Enabled', filter: {},
        expiration: { days: config.logAnalyticsResultsRetentionDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      }],
    }, this.parent);
    return bucket;
  }

  private createWorkgroup(): aws.athena.Workgroup {
    const { config } = this.args;
    return new aws.athena.Workgroup(`${this.name}-workgroup`, {
      region: this.region,
      name: athenaWorkgroupName(config.stack),
      description: `media-cdn ${config.stack}: log analyses (analytics/sql)`,
      state: 'ENABLED',
      forceDestroy: true,
      configuration: this.resultsBucket.bucket.apply((b) => buildWorkgroupConfiguration(`s3://${b}/results/`, config.logAnalyticsScanLimitGb)),
      tags: { [TAG_STACK]: config.stack },
    }, this.parent);
  }

  private createNamedQueries(): aws.athena.NamedQuery[] {
    return this.args.analyses.map((a) => new aws.athena.NamedQuery(`${this.name}-${a.name}`, {
      region: this.region,
      name: a.name,
      description: namedQueryDescription(a.description),
      database: this.database.name,
      workgroup: this.workgroup.name,
      query: a.sql,
    }, this.parent));
  }
}
