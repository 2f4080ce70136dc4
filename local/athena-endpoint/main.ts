/**
 * npx tsx local/athena-endpoint/main.ts --logs <folder> [--port 4597] [--workgroup name ...]
 * Runs the local Athena stand-in until interrupted; prints its URL on the first line. Point
 * `npm run analyze -- --athena` at it with --endpoint <url> (or AWS_ENDPOINT_URL_ATHENA).
 */
import { InputError } from '../../lib/errors';
import { parseCommandLine, runMain } from '../../adapters/command-line';
import { startAthenaEndpoint } from './server';

const spec = {
  usage: 'npx tsx local/athena-endpoint/main.ts',
  summary: 'Serves StartQueryExecution, GetQueryExecution and GetQueryResults on 127.0.0.1, running the queries with DuckDB over a folder of CloudFront logs.',
  options: {
    logs: { type: 'string' },
    port: { type: 'string' },
    workgroup: { type: 'string', multiple: true },
  },
  help: {
    logs: 'folder of log files (Parquet, JSON lines or v1) read as the cloudfront_logs table',
    port: 'port (default: a free one)',
    workgroup: 'a workgroup that exists (repeatable; default: any name is accepted)',
  },
} as const;

runMain(async () => {
  const { values } = parseCommandLine(spec);
  if (values.logs === undefined) throw new InputError(`--logs <folder> is required; see '${spec.usage} --help'.`);
  const raw = values.port;
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be a whole number from 0 to 65535, got '${raw}'.`);
  const ep = await startAthenaEndpoint({ logs: values.logs, port, ...(values.workgroup ? { workgroups: values.workgroup } : {}) });
  console.log(ep.endpoint);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await ep.close();
});
