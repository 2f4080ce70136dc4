/**
 * Opens the object store a script works on: `--dir <folder>`, or the stack's bucket from exactly one of
 * --stack / --plan / --outputs (lib/outputs.ts `buckets.<name>`), reached through --endpoint or
 * AWS_ENDPOINT_URL when given (adapters/aws-clients.ts). Also returns the catalog the stack's behaviors come from.
 */
import { resolveCatalog, type Catalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import type { StackOutputs } from '../../lib/outputs';
import type { Plan } from '../../lib/plan';
import { validateStackFileConfig } from '../../plan/stack-files';
import { loadStackSource } from '../lib/cli';
import { checkEndpoints, connectionOptions, s3Client } from '../../adapters/aws-clients';
import { DirObjectStore, S3ObjectStore, type ObjectStore } from './object-store';

export interface SourceFlags {
  readonly dir?: string;
  readonly stack?: string;
  readonly plan?: string;
  readonly outputs?: string;
  readonly endpoint?: string;
  readonly 'allow-remote-endpoint'?: boolean;
  readonly 'use-real-credentials'?: boolean;
}

export interface OpenedSource {
  readonly store: ObjectStore;
  /** The stack's catalog (its config overrides applied) when a plan was built or read; the built-in catalog otherwise. */
  readonly catalog: Catalog;
  /** The stack outputs and where they came from; absent with --dir. */
  readonly stack?: { readonly outputs: StackOutputs; readonly label: string };
  /** The plan, when one was built (--stack) or read (--plan); absent with --outputs and --dir. */
  readonly plan?: Plan;
}

export async function openSource(flags: SourceFlags, bucket: 'images' | 'static', usage: string): Promise<OpenedSource> {
  const connection = connectionOptions(flags);
  const endpoint = connection.endpoint;
  const stackFlags = (['stack', 'plan', 'outputs'] as const).filter((k) => flags[k] !== undefined);
  if (flags.dir !== undefined) {
    if (stackFlags.length > 0 || endpoint !== undefined) {
      throw new InputError(`--dir reads a local folder; drop ${[...stackFlags.map((k) => `--${k}`), ...(endpoint ? ['--endpoint'] : [])].join(' and ')}, or drop --dir to use the stack's ${bucket} bucket; see '${usage} --help'.`);
    }
    return { store: new DirObjectStore(flags.dir), catalog: resolveCatalog() };
  }
  if (stackFlags.length === 0) {
    throw new InputError(`give the ${bucket} objects' location: --dir <folder>, or one of --stack <name>, --plan <file>, --outputs <file>; see '${usage} --help'.`);
  }
  checkEndpoints(['S3'], connection);
  const source = await loadStackSource(flags, usage);
  const b = source.outputs.buckets?.[bucket];
  if (!b?.name) throw new InputError(`${source.label} has no buckets.${bucket}.name output; regenerate it from this project's stack.`);
  const catalog = source.plan ? validateStackFileConfig(source.plan.stack, source.plan.config).catalog : resolveCatalog();
  return {
    store: new S3ObjectStore(s3Client(connection, b.region || source.outputs.region), b.name), catalog,
    stack: { outputs: source.outputs, label: source.label }, ...(source.plan ? { plan: source.plan } : {}),
  };
}
