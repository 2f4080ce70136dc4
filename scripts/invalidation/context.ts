/**
 * What every `npm run invalidate` subcommand shares: the common options, the stack outputs
 * (`--stack | --plan | --outputs`), the AWS clients (or ones a test passes in), the queue file,
 * metrics and output streams.
 */
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, checkEndpoints, cloudFrontClient, cloudWatchClient, connectionOptions, s3Client, type AwsClientOptions } from '../../adapters/aws-clients';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import { collectProblems, InputError } from '../../lib/errors';
import { buildRouting, customNamespace, METRICS_REGION, type InvalidationApi, type MetricInput, type Routing } from '../../lib/invalidation';
import type { StackOutputs } from '../../lib/outputs';
import { loadStackSource, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, type OptionValues, type StackSource } from '../lib/cli';
import { cloudFrontApi, putMetrics } from './aws';
import { checkQueuePath, DEFAULT_QUEUE_FILE } from './queue-file';
import { QueueStore } from './queue-store';

export const USAGE = 'npm run invalidate --';

/** Options of every subcommand. */
export const COMMON_OPTIONS = {
  ...STACK_SOURCE_OPTIONS,
  ...AWS_CONNECTION_OPTIONS,
  queue: { type: 'string' },
  json: { type: 'string' },
  quiet: { type: 'boolean' },
  'no-metrics': { type: 'boolean' },
  'metrics-namespace': { type: 'string' },
  'request-timeout-ms': { type: 'number', integer: true, min: 1, max: 600_000, default: 30_000 },
  'sdk-max-attempts': { type: 'number', integer: true, min: 1, max: 10, default: 3 },
  'sdk-retry-delay-ms': { type: 'number', integer: true, min: 0, max: 60_000 },
} as const;

export const COMMON_HELP = {
  ...STACK_SOURCE_HELP,
  ...AWS_CONNECTION_HELP,
  queue: 'the durable queue file (SQLite) (default .local/invalidation-queue.sqlite)',
  json: 'write the result as JSON to this file',
  quiet: 'print only errors and the final line',
  'no-metrics': 'do not publish CloudWatch metrics',
  'metrics-namespace': 'CloudWatch namespace of the metrics (default MediaCdn/<stack>)',
  'request-timeout-ms': 'timeout of one AWS request (default 30000)',
  'sdk-max-attempts': "attempts of the SDK's own retry strategy per call (default 3)",
  'sdk-retry-delay-ms': "fixed delay of the SDK's retries instead of its exponential one (tests)",
} as const;

/** Clients and hooks a test may pass instead of the real ones. */
export interface CommandDeps {
  readonly cloudfront?: InvalidationApi;
  readonly s3?: (region: string) => S3Client;
  readonly publish?: (input: MetricInput) => Promise<void>;
  readonly readStdin?: () => Promise<string>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

export interface Context {
  readonly source: StackSource;
  readonly outputs: StackOutputs;
  readonly routing: Routing;
  readonly aws: AwsClientOptions;
  readonly api: InvalidationApi;
  s3(): S3Client;
  readonly publish?: (input: MetricInput) => Promise<void>;
  readonly metricsNamespace?: string;
  queue(): QueueStore;
  readonly queueFile: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly quiet: boolean;
  close(): void;
}

export type CommonValues = OptionValues<typeof COMMON_OPTIONS>;

/** Builds the context: reads the stack outputs, prepares clients lazily. */
export async function createContext(v: CommonValues, deps: CommandDeps = {}): Promise<Context> {
  const problems: string[] = [];
  const { 'request-timeout-ms': requestTimeoutMs, 'sdk-max-attempts': sdkMaxAttempts, 'sdk-retry-delay-ms': sdkRetryDelayMs } = v;
  const connection = connectionOptions(v);
  try {
    checkEndpoints(['CLOUDFRONT', 'S3', 'CLOUDWATCH'], connection);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(...e.problems);
  }
  if (v.queue !== undefined) collectProblems(problems, () => checkQueuePath(v.queue!));
  if (problems.length > 0) throw new InputError(problems);
  const source = await loadStackSource(v, USAGE);
  const outputs = source.outputs;
  const aws: AwsClientOptions = {
    ...connection,
    requestTimeoutMs,
    maxAttempts: sdkMaxAttempts,
    ...(sdkRetryDelayMs !== undefined ? { retryDelayMs: sdkRetryDelayMs } : {}),
  };
  let cf: CloudFrontClient | undefined;
  const api = deps.cloudfront ?? cloudFrontApi((cf = cloudFrontClient(aws)));
  let s3: S3Client | undefined;
  let store: QueueStore | undefined;
  const queueFile = resolve(v.queue ?? DEFAULT_QUEUE_FILE);
  const metricsNamespace = v['no-metrics'] ? undefined : v['metrics-namespace'] ?? (source.plan ? customNamespace(source.plan.stack) : undefined);
  let publish = deps.publish;
  if (!publish && metricsNamespace) {
    let cw: ReturnType<typeof cloudWatchClient> | undefined;
    publish = (input) => putMetrics((cw ??= cloudWatchClient(aws, METRICS_REGION)), input);
  }
  const err = deps.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  return {
    source,
    outputs,
    routing: buildRouting(outputs.contentTypes),
    aws,
    api,
    s3: () => (s3 ??= deps.s3 ? deps.s3(outputs.region) : s3Client(aws, outputs.region)),
    ...(publish && metricsNamespace ? { publish, metricsNamespace } : {}),
    queue: () => (store ??= QueueStore.open(queueFile)),
    queueFile,
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    out: deps.out ?? ((l) => process.stdout.write(`${l}\n`)),
    err,
    quiet: v.quiet === true,
    close: () => {
      store?.close();
      cf?.destroy();
      s3?.destroy();
    },
  };
}
