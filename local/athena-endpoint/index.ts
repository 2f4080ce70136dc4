/** The local Athena stand-in (StartQueryExecution, GetQueryExecution, GetQueryResults over DuckDB). */
export * from './server';
