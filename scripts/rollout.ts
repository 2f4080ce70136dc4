/**
 * npm run rollout -- --stack prod status|stage|promote|abort|detach [--outputs f | --plan f] [--stack-file f]
 *                    [--endpoint url] [--json f] [--dry-run]
 * A staged rollout through the staging distribution (docs/deployment.md, "Staged rollout"):
 *   status   the candidate against the stack config, the staging distribution's live config against the
 *            primary's, the policy's traffic config (and CloudWatch request counts when reachable)
 *   stage    enables the continuous-deployment policy with the stack's weight or header
 *   promote  UpdateDistributionWithStagingConfig (both ETags), then moves the candidate into the stack file
 *   abort    disables the policy and drops the candidate from the stack file
 *   detach   disables the policy, detaches it from the primary ('' policy id) and sets
 *            stagingDistribution: false, so the next `pulumi up` deletes the policy, then the staging distribution
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '../lib/config';
import { InputError } from '../lib/errors';
import { parseStackOutputs } from '../lib/outputs';
import { parsePlan } from '../lib/plan';
import {
  abort, detach, dropCandidate, promote, promoteCandidate, renderDiff, RolloutStateError, stage, status, turnStagingOff,
  type RolloutTargets,
} from '../lib/rollout';
import { validateStackFileConfig } from '../plan/run-plan';
import { PROJECT_DIR, readStackConfig } from '../plan/stack-files';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, checkEndpoints, chooseEndpoint, cloudFrontClient, cloudWatchClient, connectionOptions, type ConnectionOptions } from '../adapters/aws-clients';
import { buildPlanLazily, CheckFailed, parseCommandLine, readJsonFile, runMain, writeJsonFile, writeTextFile, type CommandSpec } from './lib/cli';
import { cloudWatchRequestCounts, sdkRolloutApi } from './rollout/cloudfront-api';

const COMMANDS = ['status', 'stage', 'promote', 'abort', 'detach'] as const;
type Command = (typeof COMMANDS)[number];
const USAGE = 'npm run rollout -- --stack <stack> status|stage|promote|abort|detach';

const spec = {
  usage: USAGE,
  summary: 'Staged rollout through the staging distribution: shows the candidate, sends traffic to it, promotes it or rolls it back.',
  options: {
    stack: { type: 'string' },
    plan: { type: 'string' },
    outputs: { type: 'string' },
    'stack-file': { type: 'string' },
    ...AWS_CONNECTION_OPTIONS,
    json: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  help: {
    stack: 'the stack (its Pulumi.<stack>.yaml holds the candidate; its offline plan gives the ids unless --outputs/--plan)',
    plan: 'read the distribution and policy ids from a saved plan (npm run plan -- --json f)',
    outputs: "read them from stack outputs ('pulumi stack output --json > f')",
    'stack-file': 'the stack file to read and edit (default: Pulumi.<stack>.yaml in the repository)',
    ...AWS_CONNECTION_HELP,
    json: 'also write the result as JSON to this file',
    'dry-run': 'show what would change; call nothing that changes and write no file',
  },
  allowPositionals: true,
  examples: [
    'npm run rollout -- --stack prod status',
    'npm run rollout -- --stack prod stage',
    'npm run rollout -- --stack prod promote --dry-run',
    'npm run rollout -- --stack prod abort --endpoint http://127.0.0.1:4580 --outputs outputs.json',
  ],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

interface Inputs {
  readonly command: Command;
  readonly stack: string;
  readonly stackFile: string;
  readonly stackText: string;
  readonly config: StackConfig;
  readonly connection: ConnectionOptions;
  readonly dryRun: boolean;
}

/** Checks everything the command needs before any call or write. @throws InputError (exit 2). */
function readInputs(values: ReturnType<typeof parseCommandLine<typeof spec.options>>['values'], positionals: readonly string[]): Inputs {
  if (positionals.length !== 1 || !(COMMANDS as readonly string[]).includes(positionals[0]!)) {
    throw new InputError(`give one command: ${COMMANDS.join(', ')} (got ${positionals.length === 0 ? 'none' : `'${positionals.join(' ')}'`}); see '${USAGE} --help'.`);
  }
  if (!values.stack) throw new InputError(`--stack is required (it names the stack file that holds the candidate); see '${USAGE} --help'.`);
  if (values.plan !== undefined && values.outputs !== undefined) throw new InputError(`give at most one of --plan or --outputs; see '${USAGE} --help'.`);
  const connection = connectionOptions(values);
  checkEndpoints(['CLOUDFRONT'], connection);
  const stack = values.stack;
  const stackFile = (values['stack-file']) ?? join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
  const configMap = values['stack-file'] === undefined ? readStackConfig(stack) : readStackFile(stackFile);
  const config = validateStackFileConfig(stack, configMap);
  if (!config.stagingDistribution) throw new InputError(`stack '${stack}' has media-cdn:stagingDistribution false; a staged rollout needs the staging distribution (set it to true and run 'pulumi up' twice).`);
  return { command: positionals[0] as Command, stack, stackFile, stackText: readFileSync(stackFile, 'utf8'), config, connection, dryRun: values['dry-run'] === true };
}

function readStackFile(file: string): Record<string, unknown> {
  const dir = join(file, '..');
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(file.split('/').pop() ?? '');
  if (!m) throw new InputError(`--stack-file '${file}' must be named Pulumi.<stack>.yaml.`);
  return readStackConfig(m[1]!, dir);
}

async function targetsOf(values: { stack?: string; plan?: string; outputs?: string }, stack: string): Promise<RolloutTargets> {
  let outputs;
  if (values.outputs !== undefined) outputs = parseStackOutputs(readJsonFile(values.outputs, 'outputs'), values.outputs);
  else {
    const plan = values.plan !== undefined
      ? parsePlan(readJsonFile(values.plan, 'plan'), values.plan)
      : await buildPlanLazily({ stack });
    outputs = parseStackOutputs(plan.outputs, values.plan ?? `the plan of stack '${stack}'`);
  }
  const source = values.outputs ?? values.plan ?? `the plan of stack '${stack}'`;
  if (!outputs.stagingDistributionId || !outputs.continuousDeploymentPolicyId) {
    throw new InputError(`${source} has no stagingDistributionId or continuousDeploymentPolicyId; deploy the staging distribution first ('pulumi up' with media-cdn:stagingDistribution: true).`);
  }
  return { distributionId: outputs.distributionId, stagingDistributionId: outputs.stagingDistributionId, continuousDeploymentPolicyId: outputs.continuousDeploymentPolicyId };
}

runMain(async () => {
  const { values, positionals } = parseCommandLine(spec);
  const inputs = readInputs(values, positionals);
  const targets = await targetsOf(values, inputs.stack);
  const cf = cloudFrontClient(inputs.connection);
  // Request counts come from CloudWatch in AWS; a stand-in CloudFront endpoint has none.
  const onAws = chooseEndpoint('CLOUDFRONT', inputs.connection).url === undefined;
  const requestCounts = (ids: readonly string[]) => cloudWatchRequestCounts(cloudWatchClient({ ...inputs.connection, maxAttempts: 1, requestTimeoutMs: 5000 }), ids);
  const api = { ...sdkRolloutApi(cf), ...(onAws ? { requestCounts } : {}) };
  const { config, dryRun, stackFile } = inputs;
  const would = dryRun ? 'would ' : '';
  const writeStack = (text: string) => {
    if (!dryRun) writeTextFile(stackFile, text);
  };
  let result: unknown;
  try {
    switch (inputs.command) {
      case 'status': {
        const s = await status(api, targets, config);
        console.log([
          `Staged rollout of stack '${inputs.stack}': primary ${s.primaryId}, staging ${s.stagingId}, policy ${s.policyId}`,
          `  policy ${s.attached ? 'attached' : "NOT attached (run 'pulumi up' again)"}, ${s.policyEnabled ? 'enabled' : 'disabled (no viewer reaches staging)'}; traffic ${JSON.stringify(s.traffic)}`,
          ...(s.requests ? [`  requests, last 3 h: primary ${s.requests[s.primaryId]}, staging ${s.requests[s.stagingId]}`] : []),
          'Candidate (stack config → candidate):',
          renderDiff(s.candidate, '  (no candidate)'),
          'Live (primary → staging distribution):',
          renderDiff(s.live),
        ].join('\n'));
        result = s;
        break;
      }
      case 'stage': {
        const policy = await stage(api, targets, config, dryRun);
        console.log(`${would}enable policy ${targets.continuousDeploymentPolicyId}: traffic ${JSON.stringify(policy.TrafficConfig)}`);
        result = { policy };
        break;
      }
      case 'promote': {
        const changes = await promote(api, targets, config, dryRun);
        const text = promoteCandidate(inputs.stackText, stackFile);
        writeStack(text);
        console.log([
          `${would}promote staging ${targets.stagingDistributionId} onto primary ${targets.distributionId}:`, renderDiff(changes),
          `${would}move the candidate into ${stackFile}; run 'pulumi up --refresh' next: it should show no change to the distributions.`,
        ].join('\n'));
        result = { promoted: changes, stackFile };
        break;
      }
      case 'abort': {
        const disabled = await abort(api, targets, dryRun);
        writeStack(dropCandidate(inputs.stackText, stackFile));
        console.log(`${disabled ? `${would}disable policy ${targets.continuousDeploymentPolicyId}` : 'policy already disabled'}; ${would}drop the candidate from ${stackFile}; run 'pulumi up' to rebuild the staging distribution like the primary.`);
        result = { disabled, stackFile };
        break;
      }
      case 'detach': {
        const r = await detach(api, targets, dryRun);
        writeStack(turnStagingOff(inputs.stackText, stackFile));
        console.log(`${would}disable and detach policy ${targets.continuousDeploymentPolicyId}; ${would}set media-cdn:stagingDistribution: false in ${stackFile}; run 'pulumi up' next: it deletes the policy, then the staging distribution.`);
        result = { ...r, stackFile };
        break;
      }
    }
  } catch (e) {
    if (e instanceof RolloutStateError) throw new CheckFailed(`rollout ${inputs.command}: ${e.message}`);
    // A refusal from CloudFront (stale ETag, a state it does not accept): one line, exit 1.
    const x = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (x.$metadata?.httpStatusCode !== undefined) throw new CheckFailed(`rollout ${inputs.command}: CloudFront refused: ${x.name}: ${x.message} (HTTP ${x.$metadata.httpStatusCode})`);
    throw e;
  } finally {
    cf.destroy();
  }
  if (values.json) writeJsonFile(values.json, { command: inputs.command, stack: inputs.stack, dryRun, result });
});
