/**
 * Real SDK clients pointed at the local fakes (127.0.0.1, static fake credentials, quick retries so
 * throttling tests stay fast), and a fixture stack source.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { contentTypeOutputs, type StackOutputs } from '../../lib/outputs';
import { resolveCatalog } from '../../lib/catalog';
import type { StackSource } from '../../scripts/lib/cli';
import type { StackContext } from '../../scripts/monitoring/stack-context';

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

/** Client settings for a local endpoint: us-east-1, fake credentials, 4 attempts 5 ms apart. */
export function localConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: FAKE_CREDENTIALS, retryStrategy: new ConfiguredRetryStrategy(4, 5) };
}

export function localClients(endpoint: string) {
  const c = localConfig(endpoint);
  return {
    cloudWatch: new CloudWatchClient(c),
    logs: new CloudWatchLogsClient(c),
    costExplorer: new CostExplorerClient(c),
    cloudFront: new CloudFrontClient(c),
  };
}

export const DISTRIBUTION_ID = 'E2TESTDIST0001';
export const LOG_GROUP = '/aws/vendedlogs/cloudfront/media-cdn-test';

export function fixtureOutputs(over: Partial<StackOutputs> = {}): StackOutputs {
  const bucket = { name: 'b', arn: 'arn:aws:s3:::b', region: 'us-east-1', replicaName: 'r', replicaArn: 'arn:aws:s3:::r', replicaRegion: 'us-west-2' };
  return {
    distributionId: DISTRIBUTION_ID,
    distributionArn: `arn:aws:cloudfront::123456789012:distribution/${DISTRIBUTION_ID}`,
    domainName: 'd111111abcdef8.cloudfront.net',
    stagingDistributionId: '',
    buckets: { video: bucket, images: bucket, static: bucket },
    logBucket: 'logs',
    contentTypes: contentTypeOutputs(resolveCatalog()),
    region: 'us-east-1',
    logGroupName: LOG_GROUP,
    dashboardName: 'media-cdn-test',
    alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:cdn-test-alarms',
    ...over,
  };
}

export function fixtureSource(over: Partial<StackOutputs> = {}): StackSource {
  return { outputs: fixtureOutputs(over), label: 'outputs.json' };
}

export function fixtureContext(severity: 'critical' | 'warning' = 'critical'): StackContext {
  return { stack: 'test', catalog: resolveCatalog(), severity, priceClass: 'PriceClass_All' };
}

export interface CliRun { readonly status: number | null; readonly stdout: string; readonly stderr: string }

/**
 * Runs a script as `npm run` does (the tsx loader, ESM and CommonJS), without blocking this process's
 * event loop, where the fake servers run. Killed after 60 s.
 */
export function runTsx(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const repo = join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, script), ...args], { cwd: repo, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Environment of a CLI run against local fakes: fake credentials, no profile. */
export const LOCAL_ENV = { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-test-secret', AWS_REGION: 'us-east-1', AWS_PROFILE: '' };
