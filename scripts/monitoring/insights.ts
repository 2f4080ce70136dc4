/**
 * Runs Logs Insights queries (StartQuery, then GetQueryResults until complete) a few at a time, with
 * a deadline per query; Logs Insights allows a limited number of concurrent queries per account.
 */
import { mapConcurrent } from '../../lib/concurrency';
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { InsightsRow } from '../../lib/monitoring/insights-queries';
import type { TimeRange } from '../../lib/monitoring/time-range';
import { call } from './aws';

export interface InsightsQuery {
  readonly key: string;
  readonly query: string;
}

export interface InsightsResult {
  readonly rows: InsightsRow[];
  readonly bytesScanned: number;
}

export interface InsightsOptions {
  /** Queries running at once. @default 4 */
  readonly concurrency?: number;
  /** Wait between polls, ms. @default 1000 */
  readonly pollMs?: number;
  /** Give up on a query after this long, ms. @default 600000 */
  readonly timeoutMs?: number;
  /** Called when a query finishes (for progress). */
  readonly onDone?: () => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function runOne(logs: CloudWatchLogsClient, logGroupName: string, range: TimeRange, q: InsightsQuery, opts: InsightsOptions): Promise<InsightsResult> {
  const resource = `log group ${logGroupName}`;
  const started = await call('logs:StartQuery', resource, () => logs.send(new StartQueryCommand({
    logGroupName, queryString: q.query, startTime: Math.floor(range.from.getTime() / 1000), endTime: Math.ceil(range.to.getTime() / 1000) - 1, limit: 10_000,
  })));
  const queryId = started.queryId!;
  const sleep = opts.sleep ?? defaultSleep;
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  for (;;) {
    const r = await call('logs:GetQueryResults', resource, () => logs.send(new GetQueryResultsCommand({ queryId })));
    if (r.status === 'Complete') return { rows: (r.results ?? []), bytesScanned: r.statistics?.bytesScanned ?? 0 };
    if (r.status === 'Failed' || r.status === 'Cancelled' || r.status === 'Timeout') {
      throw new Error(`Logs Insights query '${q.key}' (${queryId}) ended ${r.status}; query:\n${q.query}`);
    }
    if (Date.now() > deadline) {
      await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      throw new Error(`Logs Insights query '${q.key}' (${queryId}) did not finish in ${(opts.timeoutMs ?? 600_000) / 1000} s; shorten --from/--to.`);
    }
    await sleep(opts.pollMs ?? 1000);
  }
}

/** Results by query key. */
export async function runInsightsQueries(logs: CloudWatchLogsClient, logGroupName: string, range: TimeRange, queries: readonly InsightsQuery[], opts: InsightsOptions = {}): Promise<Map<string, InsightsResult>> {
  const results = await mapConcurrent(queries, opts.concurrency ?? 4, async (q) => {
    const r = await runOne(logs, logGroupName, range, q, opts);
    opts.onDone?.();
    return [q.key, r] as const;
  });
  return new Map(results);
}
