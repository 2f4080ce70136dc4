/**
 * Runs the real program (index.ts) under Pulumi's mock runtime with a stack's config and records
 * every resource it registers: the offline plan. No engine, no network, no credentials.
 */
import * as pulumi from '@pulumi/pulumi';
import { deserializeProperties } from '@pulumi/pulumi/runtime/rpc';
import * as runtimeSettings from '@pulumi/pulumi/runtime/settings';
import { createHash } from 'node:crypto';
import { CONFIG_NAMESPACE } from '../lib/config';
import { InputError } from '../lib/errors';
import { PLAN_FORMAT_VERSION, type Plan, type PlanResource } from '../lib/plan';
import { PlanMocks } from './mocks';
import { PROJECT_DIR, projectName, readStackConfig, validateStackFileConfig } from './stack-files';

/** Also here for callers that already load the Pulumi runtime; scripts import it from plan/stack-files. */
export { validateStackFileConfig } from './stack-files';

// Internal modules of @pulumi/pulumi: the RPC (de)serializer and the wait for outstanding RPCs (which
// its declarations leave out).
const { waitForRPCs } = runtimeSettings as unknown as { waitForRPCs(): Promise<void> };

/** The organization the plan runs in (the DIY backend's default; the program's StackReference to itself names it). */
export const PLAN_ORGANIZATION = 'organization';

export interface BuildPlanOptions {
  readonly stack: string;
  /** Folder holding Pulumi.<stack>.yaml; defaults to the repository root. */
  readonly dir?: string;
  /** Use this config map (namespaced keys) instead of reading the stack file. */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * The stack's outputs from its previous deployment (what `pulumi stack output --json` printed), so the
   * plan is that of the next `pulumi up`. @default none: the first `pulumi up` of a fresh stack
   */
  readonly previousOutputs?: Readonly<Record<string, unknown>>;
}

function toConfigStrings(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = k.includes(':') ? k : `${CONFIG_NAMESPACE}:${k}`;
    out[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function settle<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => {
    pulumi.output(value).apply((v) => {
      resolve(v as T);
      return v;
    });
  });
}

type RegisterCallback = (err: Error | null, resp?: { getUrn(): string; getId(): string }) => void;
type ReadCallback = (err: Error | null, resp?: { getUrn(): string; getProperties(): unknown }) => void;
interface ReadRequest { getType(): string; getName(): string; getParent(): string; getId(): string }
interface RegisterRequest {
  getType(): string; getName(): string; getParent(): string; getCustom(): boolean; getObject(): unknown;
}

/** Pulumi's wire form of a secret value: its signature key and the value. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';
function isSecret(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_SIG_VALUE;
}

/**
 * Unwraps secrets (the plan holds mock values only; a real deploy keeps them encrypted in state), and
 * replaces Pulumi assets and archives in deserialized inputs by plain JSON: `{ "@asset": "string", sha256, bytes }`
 * for text (the content itself is left out), `{ "@asset": "file" | "remote", path | uri }`,
 * `{ "@archive": "assets", assets: {...} }` or `{ "@archive": "file" | "remote", path | uri }`.
 */
async function plainAssets(value: unknown): Promise<unknown> {
  if (pulumi.asset.Asset.isInstance(value)) {
    const a = value as unknown as { text?: Promise<string>; path?: Promise<string>; uri?: Promise<string> };
    if (a.text !== undefined) {
      const text = await a.text;
      return { '@asset': 'string', sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
    }
    if (a.path !== undefined) return { '@asset': 'file', path: await a.path };
    return { '@asset': 'remote', uri: await a.uri };
  }
  if (pulumi.asset.Archive.isInstance(value)) {
    const a = value as unknown as { assets?: Promise<Record<string, unknown>>; path?: Promise<string>; uri?: Promise<string> };
    if (a.assets !== undefined) {
      const assets = await a.assets;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(assets).sort()) out[k] = await plainAssets(assets[k]);
      return { '@archive': 'assets', assets: out };
    }
    if (a.path !== undefined) return { '@archive': 'file', path: await a.path };
    return { '@archive': 'remote', uri: await a.uri };
  }
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map(plainAssets));
  if (isSecret(value)) return plainAssets((value as unknown as { value: unknown }).value);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await plainAssets(v);
    return out;
  }
  return value;
}

/** Builds the plan of a stack. @throws InputError for an unknown stack or invalid config. */
export async function buildPlan(opts: BuildPlanOptions): Promise<Plan> {
  const dir = opts.dir ?? PROJECT_DIR;
  const config = opts.config ?? readStackConfig(opts.stack, dir);
  const typed = validateStackFileConfig(opts.stack, config);
  const project = projectName();

  pulumi.runtime.setAllConfig(toConfigStrings(config));
  await pulumi.runtime.setMocks(new PlanMocks(typed.region, opts.previousOutputs), project, opts.stack, false, PLAN_ORGANIZATION);

  const resources: PlanResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: RegisterCallback): void;
    readResource(req: ReadRequest, cb: ReadCallback): void;
  };
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  // Reads (the program's StackReference to itself) are recorded with the state they returned.
  monitor.readResource = (req, cb) => read(req, (err, resp) => {
    if (!err && resp) {
      resources.push({
        urn: resp.getUrn(), type: req.getType(), name: req.getName(), parent: req.getParent(), custom: true,
        inputs: deserializeProperties(resp.getProperties() as Parameters<typeof deserializeProperties>[0]), id: req.getId(),
      });
    }
    cb(err, resp);
  });
  monitor.registerResource = (req, cb) => register(req, (err, resp) => {
    if (!err && resp) {
      resources.push({
        urn: resp.getUrn(), type: req.getType(), name: req.getName(), parent: req.getParent(), custom: req.getCustom(),
        inputs: deserializeProperties(req.getObject() as Parameters<typeof deserializeProperties>[0]), id: resp.getId(),
      });
    }
    cb(err, resp);
  });

  delete require.cache[require.resolve('../index')];
  let program: Record<string, unknown>;
  try {
    // Loaded here, after the mocks are set, and afresh for every plan (its module cache entry was dropped).
    program = require('../index') as Record<string, unknown>;
  } catch (e) {
    if (e instanceof pulumi.RunError || e instanceof InputError) throw new InputError(e.message);
    throw e;
  }
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(program)) outputs[k] = await settle(v);
  await waitForRPCs();

  // Assets and archives (e.g. Lambda code) hold Promises; the plan keeps plain descriptions of them.
  for (let i = 0; i < resources.length; i++) resources[i] = { ...resources[i]!, inputs: (await plainAssets(resources[i]!.inputs)) as PlanResource['inputs'] };
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { formatVersion: PLAN_FORMAT_VERSION, project, stack: opts.stack, config, resources, outputs };
}
