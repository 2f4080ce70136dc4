/**
 * What querying the access logs costs a month, two ways, for the platform's request volume:
 * CloudWatch Logs (the standard logs delivered to a log group, queried with Logs Insights, what
 * `npm run report` does by default) against Parquet in S3 queried with Athena (LogAnalytics,
 * `npm run report -- --source athena`, `npm run analyze -- --athena`). Pure: `npm run cost` passes
 * the month's requests (predicted or billed).
 *
 * Each side pays for delivery (vended-log pricing, tiered by volume), storage over the retention,
 * and queries: one report a day over the day before, as the monitoring report runs them (Logs
 * Insights: one query per content type and route class plus country, edge, top paths and top misses,
 * each scanning the day's ingested bytes; Athena: the report's analyses, each scanning only the
 * columns it reads, compressed, with the 10 MB minimum per query).
 */
import { ATHENA_PRICES, athenaQueryCostUsd, S3_REPLICA_PRICES } from '../semantics/pricing';

/** A tiered price: USD per GB for the first `upToGb` (cumulative), the last tier open-ended. */
export type Tiers = readonly { readonly upToGb: number; readonly usdPerGb: number }[];

/**
 * CloudWatch vended-log prices (us-east-1; standard logging v2 is delivered as vended logs) and the
 * Logs Insights scan price. [3p]: the CloudWatch pricing page, as quoted by third-party summaries
 * (https://aws.amazon.com/cloudwatch/pricing/ cannot be fetched here); the Parquet conversion
 * price is [unverified].
 */
export const LOG_PRICES = Object.freeze({
  /** Vended logs delivered to CloudWatch Logs, per GB ingested. */
  cloudWatchDelivery: [{ upToGb: 10_240, usdPerGb: 0.5 }, { upToGb: 30_720, usdPerGb: 0.25 }, { upToGb: 51_200, usdPerGb: 0.1 }, { upToGb: Infinity, usdPerGb: 0.05 }] as Tiers,
  /** Vended logs delivered to S3, per GB. */
  s3Delivery: [{ upToGb: 10_240, usdPerGb: 0.25 }, { upToGb: 30_720, usdPerGb: 0.15 }, { upToGb: 51_200, usdPerGb: 0.075 }, { upToGb: Infinity, usdPerGb: 0.05 }] as Tiers,
  /** Conversion of an S3 delivery to Parquet, per GB [unverified]. */
  parquetConversionPerGb: 0.035,
  /** CloudWatch Logs storage, per GB-month (of the compressed archive). */
  cloudWatchStoragePerGbMonth: 0.03,
  /** Logs Insights, per GB scanned. */
  insightsPerGbScanned: 0.005,
});

/**
 * Bytes per log line. Measured on the simulator's Parquet logs (`sim --write-logs`, 147,226 lines,
 * the 16 delivered fields): 400 bytes as a JSON record, 8.6 bytes per line in zstd Parquet, 5.8 of
 * them in the 11 columns the analyses read. A real request id (56 random characters, about 42 bytes
 * compressed) makes the JSON record about 450 bytes and a Parquet line about 50 [assumption].
 * CloudWatch Logs stores ingested data compressed; 0.15 of the raw size is assumed [assumption].
 */
export const LOG_LINE_BYTES = Object.freeze({ json: 450, parquet: 50, parquetReadByAnalyses: 6, cloudWatchStoredRatio: 0.15 });

export interface LogQueryScenario {
  /** Viewer requests a month (one log line each). */
  readonly requestsPerMonth: number;
  /** Days the logs are kept. @default 30 */
  readonly retentionDays?: number;
  /** Reports a month, each over one day of logs. @default 30 */
  readonly reportsPerMonth?: number;
  /** Logs Insights queries per report (the monitoring report's). @default 11 */
  readonly insightsQueriesPerReport?: number;
  /** Athena queries per report (lib/monitoring/athena-logs REPORT_ANALYSES). @default 5 */
  readonly athenaQueriesPerReport?: number;
}

export interface LogQueryCostSide {
  readonly deliveryUsd: number;
  readonly storageUsd: number;
  readonly queriesUsd: number;
  readonly totalUsd: number;
  /** GB one report's queries scan together. */
  readonly gbScannedPerReport: number;
}

export interface LogQueryCostComparison {
  readonly requestsPerMonth: number;
  readonly logsInsights: LogQueryCostSide;
  readonly athena: LogQueryCostSide;
  /** athena.totalUsd / logsInsights.totalUsd. */
  readonly ratio: number;
  readonly assumptions: readonly string[];
}

/** AWS bills data volumes in binary gigabytes. */
const GIB = 2 ** 30;

/** The price of `gb` under tiered prices. */
export function tieredUsd(gb: number, tiers: Tiers): number {
  let usd = 0;
  let from = 0;
  for (const t of tiers) {
    if (gb <= from) break;
    usd += (Math.min(gb, t.upToGb) - from) * t.usdPerGb;
    from = t.upToGb;
  }
  return usd;
}

/** Logs Insights against Athena for the month's log lines. */
export function compareLogQueryCosts(s: LogQueryScenario): LogQueryCostComparison {
  if (!(s.requestsPerMonth >= 0)) throw new RangeError(`requestsPerMonth must be a number ≥ 0, got ${s.requestsPerMonth}`);
  const retentionMonths = (s.retentionDays ?? 30) / 30;
  const reports = s.reportsPerMonth ?? 30;
  const linesPerDay = s.requestsPerMonth / 30;
  const jsonGb = (s.requestsPerMonth * LOG_LINE_BYTES.json) / GIB;
  const parquetGb = (s.requestsPerMonth * LOG_LINE_BYTES.parquet) / GIB;

  const insightsScan = ((linesPerDay * LOG_LINE_BYTES.json) / GIB) * (s.insightsQueriesPerReport ?? 11);
  const insights = {
    deliveryUsd: tieredUsd(jsonGb, LOG_PRICES.cloudWatchDelivery),
    storageUsd: jsonGb * LOG_LINE_BYTES.cloudWatchStoredRatio * retentionMonths * LOG_PRICES.cloudWatchStoragePerGbMonth,
    queriesUsd: reports * insightsScan * LOG_PRICES.insightsPerGbScanned,
    gbScannedPerReport: insightsScan,
  };
  const perQueryBytes = linesPerDay * LOG_LINE_BYTES.parquetReadByAnalyses;
  const athenaQueries = s.athenaQueriesPerReport ?? 5;
  const athena = {
    deliveryUsd: tieredUsd(parquetGb, LOG_PRICES.s3Delivery) + parquetGb * LOG_PRICES.parquetConversionPerGb,
    storageUsd: parquetGb * retentionMonths * S3_REPLICA_PRICES.storagePerGbMonth,
    queriesUsd: reports * athenaQueries * athenaQueryCostUsd(perQueryBytes),
    gbScannedPerReport: (athenaQueries * perQueryBytes) / GIB,
  };
  const total = (x: Omit<LogQueryCostSide, 'totalUsd'>): LogQueryCostSide => ({ ...x, totalUsd: x.deliveryUsd + x.storageUsd + x.queriesUsd });
  const li = total(insights);
  const at = total(athena);
  return {
    requestsPerMonth: s.requestsPerMonth,
    logsInsights: li,
    athena: at,
    ratio: li.totalUsd > 0 ? at.totalUsd / li.totalUsd : 0,
    assumptions: [
      `${LOG_LINE_BYTES.json} B per JSON log line, ${LOG_LINE_BYTES.parquet} B per Parquet line (${LOG_LINE_BYTES.parquetReadByAnalyses} B read by the analyses)`,
      `${s.retentionDays ?? 30} days of retention, ${reports} reports a month over one day each`,
      `vended-log delivery tiers and Parquet conversion at $${LOG_PRICES.parquetConversionPerGb}/GB [unverified]; Athena $${ATHENA_PRICES.perTbScannedUsd}/TB scanned`,
    ],
  };
}
