/**
 * Log analytics as plain data: the Parquet log delivery's S3 settings, the Glue table over the logs
 * (partition projection, no crawler) and the Athena workgroup's configuration (engine v3, encrypted
 * results, a per-query scan limit, enforced). `LogAnalytics` (components/log-analytics.ts) registers them.
 */
import { LOG_PARTITIONS, LOG_TABLE_COLUMNS, logPrefix, partitionProjectionParameters } from '../analytics/log-table';
import { LOG_TABLE } from '../analytics/analyses';

/** Athena's SQL engine the analyses are written for (Trino-based). */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/** Last year the `year` partition is projected to; move it on before then (docs/log-analytics.md). */
export const LAST_PROJECTED_LOG_YEAR = 2035;

/**
 * The delivery's S3 suffix: CloudFront puts it after `AWSLogs/{account-id}/CloudFront/`; with
 * Hive-compatible paths each level is written `<name>=<value>` (`DistributionId=E…/year=2026/…`).
 */
export const PARQUET_LOG_SUFFIX_PATH = '{DistributionId}/{yyyy}/{MM}/{dd}/{HH}';

/** Glue database names: lower case, digits and `_` (Athena reads other characters only quoted). */
export function glueDatabaseName(stack: string): string {
  return `media_cdn_${stack.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_logs`.slice(0, 255);
}

export function athenaWorkgroupName(stack: string): string {
  return `media-cdn-${stack}-logs`.slice(0, 128);
}

/** S3 location of the Parquet logs of `accountId` in `bucket`. */
export function parquetLogLocation(bucket: string, accountId: string): string {
  return `s3://${bucket}/${logPrefix(accountId)}`;
}

const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
const PARQUET_INPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
const PARQUET_OUTPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';

/** The Glue table's arguments (aws.glue.CatalogTable), for the logs at `location`. */
export function buildLogTableArgs(databaseName: string, location: string, distributionIds: readonly string[]) {
  return {
    name: LOG_TABLE,
    databaseName,
    tableType: 'EXTERNAL_TABLE',
    description: 'CloudFront standard logs (v2) as Parquet, Hive-partitioned; partitions projected, never crawled',
    parameters: partitionProjectionParameters(location, distributionIds, LAST_PROJECTED_LOG_YEAR),
    partitionKeys: LOG_PARTITIONS.map((p) => ({ name: p.column, type: p.type })),
    storageDescriptor: {
      location,
      inputFormat: PARQUET_INPUT,
      outputFormat: PARQUET_OUTPUT,
      serDeInfo: { name: 'parquet', serializationLibrary: PARQUET_SERDE, parameters: { 'serialization.format': '1' } },
      columns: LOG_TABLE_COLUMNS.map((name) => ({ name, type: 'string' })),
    },
  };
}

/** The workgroup's configuration: engine v3, results encrypted (SSE-S3) at `outputLocation`, the scan limit, all enforced. */
export function buildWorkgroupConfiguration(outputLocation: string, scanLimitGb: number) {
  return {
    enforceWorkgroupConfiguration: true,
    publishCloudwatchMetricsEnabled: true,
    bytesScannedCutoffPerQuery: scanLimitGb * 1e9,
    engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
    resultConfiguration: {
      outputLocation,
      encryptionConfiguration: { encryptionOption: 'SSE_S3' },
    },
  };
}

/** Athena caps a named query's description at 1,024 characters. */
export function namedQueryDescription(text: string): string {
  return text.length <= 1024 ? text : `${text.slice(0, 1021)}...`;
}
