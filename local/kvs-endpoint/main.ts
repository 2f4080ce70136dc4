/**
 * npx tsx local/kvs-endpoint/main.ts [--port 4598] [--store <arn> ...]
 * Runs the local KeyValueStore endpoint until interrupted; prints its URL on the first line. Without
 * --store, any well-formed KeyValueStore ARN is accepted (a store is created on first use). Point the
 * image pipeline at it with AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE=<url> and fake credentials.
 */
import { InputError } from '../../lib/errors';
import { parseCommandLine, runMain } from '../../adapters/command-line';
import { startKvsEndpoint } from './server';

const spec = {
  usage: 'npx tsx local/kvs-endpoint/main.ts',
  summary: 'Serves the CloudFront KeyValueStore data-plane API (Describe, ListKeys, GetKey, PutKey, DeleteKey, UpdateKeys) on 127.0.0.1.',
  options: {
    port: { type: 'string' },
    store: { type: 'string', multiple: true },
  },
  help: {
    port: 'port (default: a free one)',
    store: 'ARN of a store that exists (repeatable; default: any ARN is accepted)',
  },
} as const;

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const raw = values.port;
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be a whole number from 0 to 65535, got '${raw}'.`);
  const stores = values.store;
  const ep = await startKvsEndpoint({ port, ...(stores ? { stores } : { autoCreate: true }) });
  console.log(ep.endpoint);
  ep.onCall((c) => console.error(`${c.operation} ${c.arn ?? ''} ${c.status}${c.error ? ` ${c.error}` : ''}${c.keys ? ` ${c.keys.length} keys` : ''}`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await ep.close();
});
