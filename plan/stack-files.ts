/**
 * Reads a stack's config from `Pulumi.<stack>.yaml` for the offline plan.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { CONFIG_NAMESPACE, configNamespaceProblems, parseStackConfig, type StackConfig } from '../lib/config';
import { InputError } from '../lib/errors';

/** The repository root (where Pulumi.yaml and the stack files live). */
export const PROJECT_DIR = resolve(__dirname, '..');

/** Stack names that have a `Pulumi.<stack>.yaml` in `dir`. */
export function listStacks(dir = PROJECT_DIR): string[] {
  return readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Project name from Pulumi.yaml. */
export function projectName(dir = PROJECT_DIR): string {
  const doc = YAML.parse(readFileSync(join(dir === PROJECT_DIR ? dir : PROJECT_DIR, 'Pulumi.yaml'), 'utf8')) as { name?: string };
  return doc.name ?? 'media-cdn';
}

/**
 * The `config:` map of `Pulumi.<stack>.yaml` (namespaced keys, parsed values).
 * @throws InputError when the stack file is missing or is not valid YAML.
 */
export function readStackConfig(stack: string, dir = PROJECT_DIR): Record<string, unknown> {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new InputError(`stack name '${stack}' is not valid; use letters, digits, '-', '_' or '.' (stacks here: ${listStacks(dir).join(', ')}).`);
  }
  const file = join(dir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new InputError(`no stack '${stack}': ${file} does not exist; use one of: ${listStacks(dir).join(', ') || '(none)'}.`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}; fix the file.`);
  }
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new InputError(`${file}: 'config' must be a map of key: value.`);
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    if (v && typeof v === 'object' && 'secure' in v) {
      throw new InputError(`${file}: ${k} is an encrypted secret, which the offline plan cannot read; keep secrets out of the keys the plan needs.`);
    }
  }
  return config as Record<string, unknown>;
}

/** Splits a stack file's config into the program's typed config (validated), so bad config fails before Pulumi runs. */
export function validateStackFileConfig(stack: string, config: Readonly<Record<string, unknown>>): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const [ns, name] = key.includes(':') ? key.split(/:(.*)/s) as [string, string] : [CONFIG_NAMESPACE, key];
    if (ns === CONFIG_NAMESPACE) raw[name] = value;
  }
  const namespaces = configNamespaceProblems(Object.keys(config));
  try {
    const parsed = parseStackConfig(stack, config['aws:region'] as string | undefined, raw);
    if (namespaces.length > 0) throw new InputError(namespaces);
    return parsed;
  } catch (e) {
    if (e instanceof InputError && namespaces.length > 0 && e.problems !== namespaces) throw new InputError([...namespaces, ...e.problems]);
    throw e;
  }
}
