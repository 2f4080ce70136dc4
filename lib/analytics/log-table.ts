/**
 * The log table the analyses read (`cloudfront_logs`): CloudFront standard logging v2 delivered to S3
 * as Parquet with Hive-compatible partitions. The same description gives the log delivery's record
 * fields, the Glue table's columns and partition projection, and the local (DuckDB) view's columns.
 *
 * Column names: CloudFront's Parquet columns are the field names in lower case with `-` and `(` as `_`
 * and `)` dropped (`cs(Host)` → `cs_host`); every column is a string, as in Athena's reference table.
 * Sources: https://docs.aws.amazon.com/athena/latest/ug/create-cloudfront-table-partition-parquet.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html
 */
import { CLOUDWATCH_RECORD_FIELDS, LOG_FIELDS } from '../monitoring/log-fields';

/** A log field's Parquet / Glue column name. */
export function logFieldColumn(field: string): string {
  return field.toLowerCase().replace(/[-(]/g, '_').replace(/\)/g, '');
}

/**
 * Fields the S3 delivery records: those the analyses and the CloudWatch delivery read (one list,
 * lib/monitoring/log-fields.ts). Fewer fields, fewer bytes scanned per query.
 */
export const ANALYTICS_RECORD_FIELDS: readonly string[] = CLOUDWATCH_RECORD_FIELDS;

/** Columns of the delivered fields, in the delivery's order (all strings). */
export const LOG_FIELD_COLUMNS: readonly string[] = Object.freeze(ANALYTICS_RECORD_FIELDS.map(logFieldColumn));

/**
 * How many requests a line stands for (a string holding a number). CloudFront's own lines have no
 * such column (Athena and DuckDB read it as NULL, counted as 1); the simulator's logs carry each
 * line's sampling weight, so the analyses of a sampled day add up to the whole day.
 */
export const SAMPLE_WEIGHT_COLUMN = 'sample_weight';

/** Columns of the table: the delivered fields, then the sample weight (all strings). */
export const LOG_TABLE_COLUMNS: readonly string[] = Object.freeze([...LOG_FIELD_COLUMNS, SAMPLE_WEIGHT_COLUMN]);

/** Partition keys, as the Hive-compatible S3 path names them (`DistributionId=…/year=…/…`). */
export const LOG_PARTITIONS = Object.freeze([
  { column: 'distributionid', pathKey: 'DistributionId', type: 'string' },
  { column: 'year', pathKey: 'year', type: 'int' },
  { column: 'month', pathKey: 'month', type: 'int' },
  { column: 'day', pathKey: 'day', type: 'int' },
  { column: 'hour', pathKey: 'hour', type: 'int' },
] as const);

/**
 * The S3 prefix under the log bucket where the Parquet logs of `accountId` land: CloudFront writes
 * `AWSLogs/{account-id}/CloudFront/` before the delivery's suffix path, Hive-style with
 * Hive-compatible paths on [unverified: the key name `aws-account-id` is taken from a published
 * example, not from AWS's reference].
 */
export function logPrefix(accountId: string): string {
  return `AWSLogs/aws-account-id=${accountId}/CloudFront/`;
}

/** Year range the `year` partition is projected over (from the first year of logs to `NOW`'s year). */
export const FIRST_LOG_YEAR = 2025;

/**
 * Glue table parameters for partition projection (no crawler, no `MSCK REPAIR`): the distributions
 * as an enum, year/month/day/hour as zero-padded integers, and the S3 template they fill.
 * Source: https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
 */
export function partitionProjectionParameters(location: string, distributionIds: readonly string[], lastYear: number): Record<string, string> {
  const base = location.endsWith('/') ? location : `${location}/`;
  return {
    'projection.enabled': 'true',
    'projection.distributionid.type': 'enum',
    'projection.distributionid.values': distributionIds.join(','),
    'projection.year.type': 'integer',
    'projection.year.range': `${FIRST_LOG_YEAR},${lastYear}`,
    'projection.month.type': 'integer',
    'projection.month.range': '1,12',
    'projection.month.digits': '2',
    'projection.day.type': 'integer',
    'projection.day.range': '1,31',
    'projection.day.digits': '2',
    'projection.hour.type': 'integer',
    'projection.hour.range': '0,23',
    'projection.hour.digits': '2',
    'storage.location.template': `${base}DistributionId=\${distributionid}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
    classification: 'parquet',
    EXTERNAL: 'TRUE',
  };
}

/** The column of the viewer country (a v2 field), read by the region analyses. */
export const COUNTRY_COLUMN = logFieldColumn(LOG_FIELDS.country);
