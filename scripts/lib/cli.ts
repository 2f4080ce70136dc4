/**
 * Shared plumbing of the command-line scripts: argument parsing with `--help`, the exit-code
 * convention (0 ok, 1 failed check, 2 bad input), loading a plan or stack outputs, writing JSON.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../../lib/errors';
import { parsePlan, type Plan } from '../../lib/plan';
import { parseStackOutputs, type StackOutputs } from '../../lib/outputs';
import type * as RunPlan from '../../plan/run-plan';

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Thrown by a command to end with exit code 1 after printing its report. */
export class CheckFailed extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  /** e.g. 'npm run plan --' */
  readonly usage: string;
  readonly summary: string;
  readonly options: O;
  /** Help text per option name. */
  readonly help: Readonly<Record<keyof O & string, string>>;
  readonly allowPositionals?: boolean;
  readonly examples?: readonly string[];
}

/** Renders `--help`. */
export function helpText<O extends Options>(spec: CommandSpec<O>): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:'];
  const names = Object.keys(spec.options);
  const width = Math.max(...names.map((n) => n.length + (spec.options[n]!.type === 'string' ? 6 : 0))) + 4;
  for (const n of names) {
    const flag = `--${n}${spec.options[n]!.type === 'string' ? ' <val>' : ''}`;
    lines.push(`  ${flag.padEnd(width)}${spec.help[n as keyof O & string] ?? ''}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}show this help`);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  lines.push('', 'Exit codes: 0 success, 1 a check failed, 2 bad input.');
  return lines.join('\n');
}

export interface Parsed<O extends Options> {
  readonly values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { multiple: true } ? string[] : string };
  readonly positionals: string[];
}

/**
 * Parses argv; prints help and exits 0 on --help; throws InputError (exit 2) on unknown options.
 */
export function parseCommandLine<O extends Options>(spec: CommandSpec<O>, argv = process.argv.slice(2)): Parsed<O> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText(spec));
    process.exit(EXIT_OK);
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec.options, allowPositionals: spec.allowPositionals ?? false, strict: true });
    return { values: values, positionals };
  } catch (e) {
    throw new InputError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}; see '${spec.usage} --help'.`);
  }
}

/**
 * Runs a command's main function with the exit-code convention. Bad input prints one `error:` line per
 * problem and exits 2; CheckFailed exits 1; anything else is a bug and shows its stack.
 */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? EXIT_OK),
    (e: unknown) => {
      if (e instanceof InputError) {
        for (const p of e.problems) console.error(`error: ${p}`);
        process.exit(EXIT_BAD_INPUT);
      }
      if (e instanceof CheckFailed) {
        if (e.message) console.error(e.message);
        process.exit(EXIT_CHECK_FAILED);
      }
      console.error(e);
      process.exit(EXIT_CHECK_FAILED);
    },
  );
}

/** Reads and parses a JSON file; InputError when missing or invalid. */
export function readJsonFile(file: string, what: string): unknown {
  if (!existsSync(file)) throw new InputError(`${what} file '${file}' does not exist; check the path.`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${what} file '${file}' is not valid JSON (${(e as Error).message}); regenerate it.`);
  }
}

/** Writes JSON atomically (temp file + rename) so a crash never leaves half a file. */
export function writeJsonFile(file: string, data: unknown): void {
  writeTextFile(file, `${JSON.stringify(data, null, 2)}\n`);
}

export function writeTextFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Options every script that acts on a stack accepts. */
export const STACK_SOURCE_OPTIONS = {
  stack: { type: 'string' },
  plan: { type: 'string' },
  outputs: { type: 'string' },
} as const;

export const STACK_SOURCE_HELP = {
  stack: 'build the offline plan of this stack (staging, prod) and use it',
  plan: 'read a saved plan (npm run plan -- --json f)',
  outputs: "read stack outputs ('pulumi stack output --json > f')",
} as const;

/** Where a script's view of the stack came from. */
export interface StackSource {
  readonly outputs: StackOutputs;
  /** The plan, when built or read (not with --outputs). */
  readonly plan?: Plan;
  readonly label: string;
}

/**
 * Loads stack outputs from exactly one of --stack (builds the offline plan), --plan or --outputs.
 * The plan builder is imported lazily: it loads the Pulumi runtime, which scripts reading a file do not need.
 */
export async function loadStackSource(v: { stack?: string; plan?: string; outputs?: string }, usage: string): Promise<StackSource> {
  const given = (['stack', 'plan', 'outputs'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) {
    throw new InputError(`give exactly one of --stack <name>, --plan <file> or --outputs <file> (got ${given.length === 0 ? 'none' : given.map((g) => `--${g}`).join(' and ')}); see '${usage} --help'.`);
  }
  if (v.outputs !== undefined) {
    return { outputs: parseStackOutputs(readJsonFile(v.outputs, 'outputs'), v.outputs), label: v.outputs };
  }
  const plan = v.plan !== undefined ? parsePlan(readJsonFile(v.plan, 'plan'), v.plan) : await buildPlanLazily({ stack: v.stack! });
  return { outputs: parseStackOutputs(plan.outputs, `the plan of stack '${plan.stack}'`), plan, label: v.plan ?? `stack ${plan.stack}` };
}

/** Loads a plan from --stack or --plan. */
export async function loadPlan(v: { stack?: string; plan?: string }, usage: string): Promise<Plan> {
  if ((v.stack === undefined) === (v.plan === undefined)) {
    throw new InputError(`give exactly one of --stack <name> or --plan <file>; see '${usage} --help'.`);
  }
  return v.plan !== undefined ? parsePlan(readJsonFile(v.plan, 'plan'), v.plan) : buildPlanLazily({ stack: v.stack! });
}

/** The offline plan of a stack (plan/run-plan.ts's buildPlan), loading the Pulumi runtime only now. */
export async function buildPlanLazily(opts: RunPlan.BuildPlanOptions): Promise<Plan> {
  // Loaded on first use: the Pulumi runtime takes over a second to load, and most commands never need it.
  // require, not import(): the loader hooks of `node -r tsx/cjs` (mocha) handle require only.
  const { buildPlan } = require('../../plan/run-plan') as typeof RunPlan;
  return buildPlan(opts);
}
