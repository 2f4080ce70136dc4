/**
 * Bundles a Lambda entry point (functions/<name>/index.ts) with the pure code it shares with the CLI
 * and the program, when the program runs (no build step). The AWS SDK v3 of the Lambda runtime is
 * used, not bundled, so a bundle holds only this project's code.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import { assumeRolePolicy } from '../lib/invalidation/pipeline';

const ROOT = resolve(__dirname, '..');

/** The CommonJS bundle of `functions/<name>/index.ts`, as text. */
export function bundleLambda(name: string): string {
  const out = buildSync({
    entryPoints: [resolve(ROOT, 'functions', name, 'index.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    legalComments: 'none',
  });
  return out.outputFiles[0]!.text;
}

export interface BundledFunctionArgs {
  readonly region: string;
  readonly functionName: string;
  /** `functions/<entry>/index.ts`, bundled by `bundleLambda`. */
  readonly entry: string;
  readonly description: string;
  readonly roleDescription: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly logRetentionDays: number;
  /** The role's policy document (JSON), given the function's log group ARN. */
  readonly policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<string>;
  readonly environment: Record<string, pulumi.Input<string>>;
  readonly tags: Record<string, string>;
}

/**
 * A bundled Lambda with its own log group and a role that has exactly `policy`: the shape both of the
 * program's functions (invalidation handler, images fallback) take. Resources are children of
 * `parent`, named `names.resource` (role, role policy, function) and `names.logGroup`.
 */
export function createBundledFunction(parent: pulumi.Resource, names: { readonly resource: string; readonly logGroup: string }, a: BundledFunctionArgs) {
  const opts = { parent };
  const logGroup = new aws.cloudwatch.LogGroup(names.logGroup, {
    region: a.region, name: `/aws/lambda/${a.functionName}`, retentionInDays: a.logRetentionDays, tags: a.tags,
  }, opts);
  const role = new aws.iam.Role(names.resource, {
    assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
    description: a.roleDescription,
    tags: a.tags,
  }, opts);
  const rolePolicy = new aws.iam.RolePolicy(names.resource, { role: role.id, policy: a.policy(logGroup.arn) }, opts);
  const fn = new aws.lambda.Function(names.resource, {
    region: a.region,
    name: a.functionName,
    description: a.description,
    runtime: a.runtime,
    handler: 'index.handler',
    code: new pulumi.asset.AssetArchive({ 'index.js': new pulumi.asset.StringAsset(bundleLambda(a.entry)) }),
    role: role.arn,
    timeout: a.timeoutSeconds,
    memorySize: a.memoryMb,
    environment: { variables: a.environment },
    loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
    tags: a.tags,
  }, { parent, dependsOn: [logGroup, rolePolicy] });
  return { function: fn, role, rolePolicy, logGroup };
}
