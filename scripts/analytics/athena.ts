/**
 * Runs the analyses on Athena: StartQueryExecution in the stack's workgroup with the analysis'
 * parameters, GetQueryExecution polled with exponential backoff until the query ends, then every
 * page of GetQueryResults (the SDK's paginator); the bytes scanned and their price come back with
 * the rows. The client is a parameter (adapters/aws-clients.ts builds it), so tests point it at the
 * local stand-in.
 */
import {
  GetQueryExecutionCommand, paginateGetQueryResults, StartQueryExecutionCommand, type AthenaClient, type QueryExecution,
} from '@aws-sdk/client-athena';
import type { AnalysisParameter, RenderedAnalysis } from '../../lib/analytics/analyses';
import { athenaCell, type AnalysisResult, type Cell } from '../../lib/analytics/results';
import { CheckFailed } from '../lib/cli';

export interface AthenaTarget {
  readonly workgroup: string;
  readonly database: string;
}

export interface PollOptions {
  /** First wait between polls, ms. @default 250 */
  readonly firstDelayMs?: number;
  /** Longest wait between polls, ms. @default 5000 */
  readonly maxDelayMs?: number;
  /** Give up (and report) after this long, ms. @default 30 minutes (Athena's default DML timeout) */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The waits between polls: doubling from `firstDelayMs` up to `maxDelayMs`. */
export function backoffDelays(first: number, max: number): () => number {
  let next = first;
  return () => {
    const d = next;
    next = Math.min(max, next * 2);
    return d;
  };
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Polls until the query ends; returns its final description. */
export async function waitForQuery(client: AthenaClient, id: string, o: PollOptions = {}): Promise<QueryExecution> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const delay = backoffDelays(o.firstDelayMs ?? 250, o.maxDelayMs ?? 5000);
  const timeout = o.timeoutMs ?? 30 * 60_000;
  let waited = 0;
  for (;;) {
    const out = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const q = out.QueryExecution ?? {};
    if (TERMINAL.has(q.Status?.State ?? '')) return q;
    if (waited >= timeout) throw new CheckFailed(`Athena query ${id} still ${q.Status?.State ?? 'unknown'} after ${Math.round(waited / 1000)} s; see it in the Athena console, or raise the wait.`);
    const d = delay();
    await sleep(d);
    waited += d;
  }
}

/** One analysis on Athena. @throws CheckFailed when the query fails or is cancelled (e.g. by the workgroup's scan limit). */
export async function runAnalysisOnAthena(client: AthenaClient, target: AthenaTarget, analysis: RenderedAnalysis, params: readonly AnalysisParameter[], poll: PollOptions = {}): Promise<AnalysisResult> {
  const started = await client.send(new StartQueryExecutionCommand({
    QueryString: analysis.sql,
    WorkGroup: target.workgroup,
    QueryExecutionContext: { Database: target.database },
    ExecutionParameters: params.map((p) => p.literal),
  }));
  const id = started.QueryExecutionId;
  if (!id) throw new Error(`Athena returned no QueryExecutionId for ${analysis.name}`);
  const q = await waitForQuery(client, id, poll);
  const state = q.Status?.State;
  if (state !== 'SUCCEEDED') {
    throw new CheckFailed(`Athena query ${analysis.name} (${id}) ${state}: ${q.Status?.StateChangeReason ?? 'no reason given'}`);
  }
  let columns: { name: string; type: string }[] | undefined;
  const rows: Record<string, Cell>[] = [];
  let first = true;
  for await (const page of paginateGetQueryResults({ client }, { QueryExecutionId: id })) {
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? 'varchar' }));
    const pageRows = page.ResultSet?.Rows ?? [];
    // The first row of a SELECT's first page holds the column names.
    for (const [i, row] of pageRows.entries()) {
      if (first && i === 0) continue;
      const data = row.Data ?? [];
      rows.push(Object.fromEntries(columns.map((c, j) => [c.name, athenaCell(data[j]?.VarCharValue, c.type)])));
    }
    first = false;
  }
  return { name: analysis.name, columns: (columns ?? []).map((c) => c.name), rows, bytesScanned: q.Statistics?.DataScannedInBytes ?? 0 };
}
