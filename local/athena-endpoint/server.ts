/**
 * A local Athena stand-in on 127.0.0.1: the Athena JSON protocol (awsJson1_1, `X-Amz-Target:
 * AmazonAthena.<Operation>`) for StartQueryExecution, GetQueryExecution and GetQueryResults, with
 * queries executed by DuckDB over a folder of log files as the `cloudfront_logs` table
 * (adapters/duckdb-logs.ts). The real SDK client talks to it with `endpoint`. Like Athena, a query
 * is QUEUED, then RUNNING for a few polls, then SUCCEEDED or FAILED; ExecutionParameters are spliced
 * into the `?`s in order; results come in pages of at most 1,000 rows, the first row of the first
 * page holding the column names, every value as text with the column's Athena type beside it.
 * DataScannedInBytes is the size of the log files (DuckDB reads only some columns of Parquet, so
 * this is an upper bound, where Athena counts what it read).
 *
 * Protocol: https://docs.aws.amazon.com/athena/latest/APIReference/API_Operations.html
 */
import { statSync } from 'node:fs';
import { openLogDatabase, type LogDatabase } from '../../adapters/duckdb-logs';
import { spliceParameters } from '../../lib/analytics/analyses';
import { InputError } from '../../lib/errors';
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer } from '../aws-json-server';

export const ATHENA_TARGET_PREFIX = 'AmazonAthena';
/** GetQueryResults' largest page (the API's limit). */
export const MAX_RESULTS_PER_PAGE = 1000;

export interface AthenaEndpointOptions {
  /** Folder of log files the `cloudfront_logs` table reads. */
  readonly logs: string;
  /** Workgroups that exist; any name is accepted when absent. */
  readonly workgroups?: readonly string[];
  /** GetQueryExecution calls that answer RUNNING before the final state. @default 2 */
  readonly runningPolls?: number;
  /** Rows per page when the caller asks for more (tests use small pages). @default 1000 */
  readonly pageSize?: number;
  readonly port?: number;
}

interface Execution {
  readonly id: string;
  readonly query: string;
  readonly workgroup: string;
  readonly database?: string;
  readonly submitted: number;
  polls: number;
  readonly outcome: { columns: { Name: string; Type: string }[]; rows: (string | undefined)[][] } | { error: string };
}

export interface AthenaEndpoint extends AwsJsonServer {
  /** The queries run, by id. */
  readonly executions: ReadonlyMap<string, { query: string; workgroup: string; database?: string }>;
}

/** DuckDB's type names as Athena's. */
export function athenaType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT') return 'bigint';
  if (t === 'INTEGER' || t === 'UINTEGER') return 'integer';
  if (t === 'SMALLINT' || t === 'TINYINT') return 'smallint';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
  if (t.startsWith('DECIMAL')) return t.toLowerCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t === 'DATE') return 'date';
  return 'varchar';
}

/** A DuckDB value as Athena writes it in a result set. */
function athenaText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 23).replace('T', ' ');
  return String(v);
}

function fileBytes(db: LogDatabase): number {
  return [...db.files.parquet, ...db.files.json, ...db.files.v1].reduce((n, f) => n + statSync(f).size, 0);
}

/** Starts the stand-in. @throws InputError when the logs folder holds no logs. */
export async function startAthenaEndpoint(o: AthenaEndpointOptions): Promise<AthenaEndpoint> {
  const db = await openLogDatabase(o.logs);
  const scanned = fileBytes(db);
  const running = o.runningPolls ?? 2;
  const executions = new Map<string, Execution>();
  let next = 0;

  const execution = (id: unknown): Execution => {
    const e = typeof id === 'string' ? executions.get(id) : undefined;
    if (!e) throw new AwsServiceError('InvalidRequestException', `QueryExecution ${String(id)} was not found`);
    return e;
  };
  const run = async (sql: string): Promise<Execution['outcome']> => {
    try {
      const reader = await db.connection.runAndReadAll(sql);
      const types = reader.columnTypes().map((t) => athenaType(t.toString()));
      const columns = reader.columnNames().map((Name, i) => ({ Name, Type: types[i]! }));
      return { columns, rows: reader.getRowsJS().map((r) => r.map(athenaText)) };
    } catch (e) {
      return { error: (e as Error).message.split('\n')[0]! };
    }
  };

  const server = await startAwsJsonServer({
    port: o.port ?? 0,
    services: [{
      targetPrefix: ATHENA_TARGET_PREFIX,
      jsonVersion: '1.1',
      handlers: {
        StartQueryExecution: async (input: { QueryString?: string; WorkGroup?: string; QueryExecutionContext?: { Database?: string }; ExecutionParameters?: string[] }) => {
          if (!input.QueryString) throw new AwsServiceError('InvalidRequestException', 'QueryString is required');
          const workgroup = input.WorkGroup ?? 'primary';
          if (o.workgroups && !o.workgroups.includes(workgroup)) throw new AwsServiceError('InvalidRequestException', `WorkGroup ${workgroup} is not found.`);
          let sql: string;
          try {
            sql = spliceParameters(input.QueryString, input.ExecutionParameters ?? []);
          } catch (e) {
            if (e instanceof InputError) throw new AwsServiceError('InvalidRequestException', e.message);
            throw e;
          }
          const id = `q-${String(++next).padStart(6, '0')}`;
          executions.set(id, {
            id, query: input.QueryString, workgroup, ...(input.QueryExecutionContext?.Database ? { database: input.QueryExecutionContext.Database } : {}),
            submitted: Date.now() / 1000, polls: 0, outcome: await run(sql),
          });
          return { QueryExecutionId: id };
        },
        GetQueryExecution: (input: { QueryExecutionId?: string }) => {
          const e = execution(input.QueryExecutionId);
          e.polls++;
          const done = e.polls > running;
          const failed = 'error' in e.outcome;
          const state = e.polls === 1 && running > 0 ? 'QUEUED' : !done ? 'RUNNING' : failed ? 'FAILED' : 'SUCCEEDED';
          return {
            QueryExecution: {
              QueryExecutionId: e.id, Query: e.query, StatementType: 'DML', WorkGroup: e.workgroup,
              ...(e.database ? { QueryExecutionContext: { Database: e.database } } : {}),
              Status: {
                State: state, SubmissionDateTime: e.submitted,
                ...(done ? { CompletionDateTime: Date.now() / 1000 } : {}),
                ...(done && failed ? { StateChangeReason: e.outcome.error } : {}),
              },
              Statistics: done && !failed ? { DataScannedInBytes: scanned, EngineExecutionTimeInMillis: 1 } : { DataScannedInBytes: 0 },
            },
          };
        },
        GetQueryResults: (input: { QueryExecutionId?: string; NextToken?: string; MaxResults?: number }) => {
          const e = execution(input.QueryExecutionId);
          if (e.polls <= running || 'error' in e.outcome) throw new AwsServiceError('InvalidRequestException', `Query has not yet finished. Current state: ${'error' in e.outcome && e.polls > running ? 'FAILED' : 'RUNNING'}`);
          const max = input.MaxResults ?? MAX_RESULTS_PER_PAGE;
          if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS_PER_PAGE) throw new AwsServiceError('InvalidRequestException', `MaxResults must be between 1 and ${MAX_RESULTS_PER_PAGE}`);
          const size = Math.min(max, o.pageSize ?? MAX_RESULTS_PER_PAGE);
          const all = [e.outcome.columns.map((c) => c.Name), ...e.outcome.rows];
          const offset = input.NextToken ? Number(input.NextToken) : 0;
          if (!Number.isInteger(offset) || offset < 0 || offset > all.length) throw new AwsServiceError('InvalidRequestException', 'The NextToken is not valid.');
          const page = all.slice(offset, offset + size);
          const more = offset + size < all.length;
          return {
            UpdateCount: 0,
            ResultSet: {
              Rows: page.map((r) => ({ Data: r.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
              ResultSetMetadata: { ColumnInfo: e.outcome.columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.Name, Label: c.Name, Type: c.Type, Nullable: 'UNKNOWN' })) },
            },
            ...(more ? { NextToken: String(offset + size) } : {}),
          };
        },
      },
    }],
  });
  return {
    ...server,
    executions,
    close: async () => {
      await server.close();
      db.close();
    },
  };
}
