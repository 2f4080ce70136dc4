/**
 * npx tsx local/cloudfront-endpoint/main.ts [--port 4599] [--distribution E123 ...] [--completion-ms 2000] [--fault-rate 0.3]
 * Runs the local CloudFront endpoint until interrupted; prints its URL on the first line.
 */
import { InputError } from '../../lib/errors';
import { parseCommandLine, runMain } from '../../adapters/command-line';
import { ALL_FAULT_KINDS, type FaultKind } from './faults';
import { startCloudFrontEndpoint } from './server';

const spec = {
  usage: 'npx tsx local/cloudfront-endpoint/main.ts',
  summary: 'Serves the CloudFront invalidation API (CreateInvalidation, GetInvalidation, ListInvalidations) on 127.0.0.1.',
  options: {
    port: { type: 'string' },
    distribution: { type: 'string', multiple: true },
    'completion-ms': { type: 'string' },
    'fault-rate': { type: 'string' },
    'fault-kinds': { type: 'string' },
    'record-limits': { type: 'boolean' },
  },
  help: {
    port: 'port (default: a free one)',
    distribution: 'a distribution id that exists (repeatable; default: any id is accepted)',
    'completion-ms': 'time until an invalidation is Completed (default 2000)',
    'fault-rate': 'share of calls that get an injected fault, 0-1 (default 0)',
    'fault-kinds': `comma-separated faults (default all: ${ALL_FAULT_KINDS.join(', ')})`,
    'record-limits': 'accept batches over the in-progress quotas and count them instead of refusing',
  },
} as const;

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const problems: string[] = [];
  const num = (name: string, v: string | undefined, fallback: number, max: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > max) problems.push(`--${name} must be a number from 0 to ${max}, got '${v}'.`);
    return n;
  };
  const port = num('port', values.port, 0, 65535);
  const completion = num('completion-ms', values['completion-ms'], 2000, 86_400_000);
  const rate = num('fault-rate', values['fault-rate'], 0, 1);
  const kinds = (values['fault-kinds']?.split(',') ?? [...ALL_FAULT_KINDS]) as FaultKind[];
  for (const k of kinds) if (!ALL_FAULT_KINDS.includes(k)) problems.push(`--fault-kinds: unknown fault '${k}'; use ${ALL_FAULT_KINDS.join(', ')}.`);
  if (problems.length > 0) throw new InputError(problems);
  const distributions = values.distribution;
  const ep = await startCloudFrontEndpoint({
    port,
    completionDelayMs: completion,
    ...(distributions ? { distributions } : { autoCreateDistributions: true }),
    ...(rate > 0 ? { faults: { rate, kinds } } : {}),
    ...(values['record-limits'] ? { limitMode: 'record' as const } : {}),
  });
  console.log(ep.endpoint);
  ep.onInvalidation((e) => console.error(`${e.createTime.toISOString()} ${e.distributionId} ${e.invalidationId} ${e.items.length} items (${e.callerReference})`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await ep.close();
});
