/**
 * Fake CloudWatch, CloudWatch Logs (Insights) and Cost Explorer operations for the awsJson server,
 * answering from data a test or a demo provides, with the services' pagination and status
 * conventions: GetMetricData pages with `NextToken` and `StatusCode: PartialData`, Logs Insights
 * queries run for a few polls before completing, GetCostAndUsage pages with `NextPageToken`.
 */
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer, type AwsJsonService, type Handler } from './server';

// ---------------------------------------------------------------------------------------------
// CloudWatch (awsJson1_0, awsQuery-compatible)

export interface MetricQueryInput {
  readonly Id: string;
  readonly Label?: string;
  readonly MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string };
  readonly Expression?: string;
}

export interface Datapoint {
  /** Epoch seconds. */
  readonly t: number;
  readonly v: number;
}

export interface CloudWatchData {
  /** Data points of one query over [start, end) (epoch seconds). */
  datapoints(query: MetricQueryInput, start: number, end: number): readonly Datapoint[];
  /** Data points per page; a page ends with `NextToken` when more remain. @default 100800 */
  readonly pageSize?: number;
}

/** The API's limit on queries per GetMetricData call. */
export const MAX_METRIC_DATA_QUERIES = 500;

export function cloudWatchHandlers(data: CloudWatchData): Record<string, Handler> {
  return {
    GetMetricData: (input: { MetricDataQueries?: MetricQueryInput[]; StartTime: number; EndTime: number; NextToken?: string }) => {
      const queries = input.MetricDataQueries ?? [];
      if (queries.length === 0 || queries.length > MAX_METRIC_DATA_QUERIES) {
        throw new AwsServiceError('ValidationError', `The collection MetricDataQueries must have between 1 and ${MAX_METRIC_DATA_QUERIES} items, got ${queries.length}.`);
      }
      if (!(input.EndTime > input.StartTime)) throw new AwsServiceError('ValidationError', 'The parameter EndTime must be greater than StartTime.');
      const points = queries.flatMap((q) => data.datapoints(q, input.StartTime, input.EndTime).map((p) => ({ id: q.Id, ...p })));
      const offset = input.NextToken ? Number(input.NextToken) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > points.length) throw new AwsServiceError('InvalidNextToken', 'The service returned an invalid NextToken.');
      const size = data.pageSize ?? 100_800;
      const page = points.slice(offset, offset + size);
      const more = offset + size < points.length;
      const byId = new Map<string, { Timestamps: number[]; Values: number[] }>();
      if (offset === 0) for (const q of queries) byId.set(q.Id, { Timestamps: [], Values: [] });
      for (const p of page) {
        const r = byId.get(p.id) ?? { Timestamps: [], Values: [] };
        r.Timestamps.push(p.t);
        r.Values.push(p.v);
        byId.set(p.id, r);
      }
      return {
        MetricDataResults: [...byId.entries()].map(([Id, r]) => ({
          Id, Label: queries.find((q) => q.Id === Id)?.Label ?? Id, ...r, StatusCode: more ? 'PartialData' : 'Complete',
        })),
        ...(more ? { NextToken: String(offset + size) } : {}),
        Messages: [],
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs Insights (awsJson1_1)

export interface LogsData {
  /** Log groups that exist; others answer ResourceNotFoundException. */
  readonly logGroups: readonly string[];
  /** Result rows of a query (field → value). */
  answer(queryString: string): readonly Record<string, string | number>[];
  /** GetQueryResults polls answered `Running` before `Complete`. @default 1 */
  readonly runningPolls?: number;
  /** bytesScanned reported per query. @default 1000000 */
  readonly bytesScanned?: number;
}

export function logsHandlers(data: LogsData): Record<string, Handler> {
  const queries = new Map<string, { queryString: string; polls: number }>();
  return {
    StartQuery: (input: { logGroupName?: string; logGroupNames?: string[]; queryString: string; startTime: number; endTime: number }) => {
      const groups = input.logGroupNames ?? (input.logGroupName ? [input.logGroupName] : []);
      if (groups.length === 0) throw new AwsServiceError('InvalidParameterException', 'a log group is required');
      for (const g of groups) if (!data.logGroups.includes(g)) throw new AwsServiceError('ResourceNotFoundException', `Log group '${g}' does not exist`);
      if (!(input.endTime > input.startTime)) throw new AwsServiceError('InvalidParameterException', 'endTime must be after startTime');
      const queryId = `q-${queries.size + 1}`;
      queries.set(queryId, { queryString: input.queryString, polls: 0 });
      return { queryId };
    },
    GetQueryResults: (input: { queryId: string }) => {
      const q = queries.get(input.queryId);
      if (!q) throw new AwsServiceError('ResourceNotFoundException', `query ${input.queryId} not found`);
      q.polls += 1;
      if (q.polls <= (data.runningPolls ?? 1)) return { status: 'Running', results: [] };
      const rows = data.answer(q.queryString);
      return {
        status: 'Complete',
        results: rows.map((r) => Object.entries(r).map(([field, value]) => ({ field, value: String(value) }))),
        statistics: { recordsMatched: rows.length, recordsScanned: rows.length, bytesScanned: data.bytesScanned ?? 1_000_000 },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Cost Explorer (awsJson1_1)

export interface CostRow {
  /** First day of the month, YYYY-MM-DD. */
  readonly month: string;
  readonly usageType: string;
  readonly region: string;
  readonly usd: number;
  readonly quantity: number;
  readonly unit: string;
}

export interface CostExplorerData {
  readonly rows: readonly CostRow[];
  /** Groups per page. @default 1000 */
  readonly pageSize?: number;
  readonly forecastUsd?: number;
}

function nextMonth(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

export function costExplorerHandlers(data: CostExplorerData): Record<string, Handler> {
  return {
    GetCostAndUsage: (input: { TimePeriod: { Start: string; End: string }; Granularity: string; GroupBy?: { Type: string; Key: string }[]; NextPageToken?: string }) => {
      const { Start, End } = input.TimePeriod;
      if (!(End > Start)) throw new AwsServiceError('ValidationException', 'Start date (and hour) should be before end date (and hour)');
      const keys = (input.GroupBy ?? []).map((g) => g.Key);
      const inRange = data.rows.filter((r) => nextMonth(r.month) > Start && r.month < End);
      const offset = input.NextPageToken ? Number(input.NextPageToken) : 0;
      const size = data.pageSize ?? 1000;
      const page = inRange.slice(offset, offset + size);
      const months = [...new Set(page.map((r) => r.month))].sort();
      return {
        GroupDefinitions: (input.GroupBy ?? []).map((g) => ({ Type: g.Type, Key: g.Key })),
        ResultsByTime: months.map((m) => ({
          TimePeriod: { Start: m < Start ? Start : m, End: nextMonth(m) > End ? End : nextMonth(m) },
          Total: {},
          Estimated: false,
          Groups: page.filter((r) => r.month === m).map((r) => ({
            Keys: keys.map((k) => (k === 'USAGE_TYPE' ? r.usageType : k === 'REGION' ? r.region : 'unknown')),
            Metrics: { UnblendedCost: { Amount: String(r.usd), Unit: 'USD' }, UsageQuantity: { Amount: String(r.quantity), Unit: r.unit } },
          })),
        })),
        ...(offset + size < inRange.length ? { NextPageToken: String(offset + size) } : {}),
        DimensionValueAttributes: [],
      };
    },
    GetCostForecast: (input: { TimePeriod: { Start: string; End: string }; Metric: string; Granularity: string }) => {
      if (data.forecastUsd === undefined) throw new AwsServiceError('DataUnavailableException', 'Insufficient amount of historical data to generate forecast.');
      return {
        Total: { Amount: String(data.forecastUsd), Unit: 'USD' },
        ForecastResultsByTime: [{ TimePeriod: input.TimePeriod, MeanValue: String(data.forecastUsd), PredictionIntervalLowerBound: String(data.forecastUsd * 0.9), PredictionIntervalUpperBound: String(data.forecastUsd * 1.1) }],
      };
    },
  };
}

/** The three services' protocol settings, to combine in one server or serve alone. */
export const cloudWatchService = (handlers: Record<string, Handler>): AwsJsonService =>
  ({ targetPrefix: 'GraniteServiceVersion20100801', jsonVersion: '1.0', queryCompatible: true, handlers });
export const logsService = (handlers: Record<string, Handler>): AwsJsonService =>
  ({ targetPrefix: 'Logs_20140328', jsonVersion: '1.1', handlers });
export const costExplorerService = (handlers: Record<string, Handler>): AwsJsonService =>
  ({ targetPrefix: 'AWSInsightsIndexService', jsonVersion: '1.1', handlers });

export const startCloudWatchServer = (handlers: Record<string, Handler>): Promise<AwsJsonServer> => startAwsJsonServer({ services: [cloudWatchService(handlers)] });
export const startLogsServer = (handlers: Record<string, Handler>): Promise<AwsJsonServer> => startAwsJsonServer({ services: [logsService(handlers)] });
export const startCostExplorerServer = (handlers: Record<string, Handler>): Promise<AwsJsonServer> => startAwsJsonServer({ services: [costExplorerService(handlers)] });
