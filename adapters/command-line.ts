/**
 * The command-line shell every entry point shares (scripts/, bench/, the local endpoints' mains):
 * argument parsing with `--help`, the exit-code convention (0 ok, 1 failed check, 2 bad input) and
 * atomic file writes. It does I/O, so it lives apart from the pure lib/.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { classifyError, EXIT_CODES } from '../lib/error-kinds';
import { InputError } from '../lib/errors';

export const EXIT_OK = EXIT_CODES.ok;
export const EXIT_CHECK_FAILED = EXIT_CODES.checkFailed;
export const EXIT_BAD_INPUT = EXIT_CODES.badInput;

/** The last line of every command's help. */
export const EXIT_CODES_TEXT = 'Exit codes: 0 success, 1 a check failed, 2 bad input, 3 the environment refused (credentials, network, permissions, disk), 4 internal error (--debug shows its stack trace).';

/** Thrown by a command to end with exit code 1 after printing its report. */
export class CheckFailed extends Error {}

/** A flag without a value. */
export interface BooleanOption {
  readonly type: 'boolean';
  readonly short?: string;
}

/** A text value; `multiple` collects every occurrence of the flag. */
export interface StringOption {
  readonly type: 'string';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string;
}

/** A number, checked here: bad values are refused with one line naming the flag, the value and the range. */
export interface NumberOption {
  readonly type: 'number';
  /** Whole numbers only. @default false */
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is refused (a positive amount). @default false */
  readonly exclusiveMin?: boolean;
  /** What a good value is, for the error line, instead of the one built from the bounds ('a share from 0 to 1'). */
  readonly describe?: string;
  readonly default?: number;
}

/** One of a fixed set of words. */
export interface ChoiceOption<C extends string = string> {
  readonly type: 'choice';
  readonly choices: readonly C[];
  readonly default?: C;
}

export type OptionDeclaration = BooleanOption | StringOption | NumberOption | ChoiceOption;
export type Options = Readonly<Record<string, OptionDeclaration>>;

/** The parsed type of one option. */
export type OptionValue<D> = D extends { type: 'boolean' } ? boolean
  : D extends { type: 'number' } ? number
    : D extends { type: 'choice'; choices: readonly (infer C)[] } ? C
      : D extends { multiple: true } ? string[] : string;

/** Parsed values: typed by their declarations; options with a default are always present. */
export type OptionValues<O extends Options> =
  { -readonly [K in keyof O as O[K] extends { default: unknown } ? never : K]?: OptionValue<O[K]> }
  & { -readonly [K in keyof O as O[K] extends { default: unknown } ? K : never]: OptionValue<O[K]> };

/** Whether an option takes a value (`--name <val>`). */
export function takesValue(o: OptionDeclaration): boolean {
  return o.type !== 'boolean';
}

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
  const width = Math.max(...names.map((n) => n.length + (takesValue(spec.options[n]!) ? 6 : 0))) + 4;
  for (const n of names) {
    const flag = `--${n}${takesValue(spec.options[n]!) ? ' <val>' : ''}`;
    lines.push(`  ${flag.padEnd(width)}${spec.help[n as keyof O & string] ?? ''}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}show this help`);
  lines.push(`  ${'--debug'.padEnd(width)}on an unexpected error, print its stack trace`);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  lines.push('', EXIT_CODES_TEXT);
  return lines.join('\n');
}

export interface Parsed<O extends Options> {
  readonly values: OptionValues<O>;
  readonly positionals: string[];
}

function numberText(n: number): string {
  return String(n);
}

/** What a good value of a number option is, e.g. 'a whole number from 1 to 256'. */
export function describeNumberOption(o: NumberOption): string {
  if (o.describe) return o.describe;
  const kind = o.integer ? 'a whole number' : 'a number';
  const { min, max } = o;
  if (min !== undefined && o.exclusiveMin) return max === undefined ? (min === 0 ? `a positive number` : `${kind} above ${numberText(min)}`) : `${kind} above ${numberText(min)} and at most ${numberText(max)}`;
  if (min !== undefined && max !== undefined) return `${kind} from ${numberText(min)} to ${numberText(max)}`;
  if (min !== undefined) return `${kind} ≥ ${numberText(min)}`;
  if (max !== undefined) return `${kind} ≤ ${numberText(max)}`;
  return kind;
}

/** A number option's value, or a problem line naming the flag, the value and what it must be. */
export function parseNumberOption(name: string, raw: string, o: NumberOption): number | { problem: string } {
  const text = raw.trim();
  const n = Number(text);
  const shape = o.integer ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
  const ok = shape.test(text) && Number.isFinite(n) && (!o.integer || Number.isSafeInteger(n))
    && (o.min === undefined || (o.exclusiveMin ? n > o.min : n >= o.min)) && (o.max === undefined || n <= o.max);
  return ok ? n : { problem: `--${name} must be ${describeNumberOption(o)}, got '${raw}'.` };
}

/** `'a' or 'b'`, `'a', 'b' or 'c'`. */
function choiceList(choices: readonly string[]): string {
  const quoted = choices.map((c) => `'${c}'`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)!}`;
}

/** Turns parseArgs' strings into the declared types; every bad value is one problem. */
function typedValues<O extends Options>(options: O, raw: Record<string, string | boolean | (string | boolean)[] | undefined>): OptionValues<O> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(options)) {
    const v = raw[name];
    if (v === undefined) {
      if ('default' in o && o.default !== undefined) out[name] = o.default;
      continue;
    }
    if (o.type === 'number') {
      const r = parseNumberOption(name, String(v), o);
      if (typeof r === 'number') out[name] = r;
      else problems.push(r.problem);
    } else if (o.type === 'choice') {
      if (o.choices.includes(String(v))) out[name] = v;
      else problems.push(`--${name} must be ${choiceList(o.choices)}, got '${String(v)}'.`);
    } else out[name] = v;
  }
  if (problems.length > 0) throw new InputError(problems);
  return out as OptionValues<O>;
}

/** The declarations as node:util parseArgs takes them (numbers and choices are strings there). */
function parseArgsOptions(options: Options): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, {
    type: o.type === 'boolean' ? 'boolean' : 'string',
    ...('short' in o && o.short ? { short: o.short } : {}),
    ...('multiple' in o && o.multiple ? { multiple: true } : {}),
  }]));
}

/**
 * Parses argv into values typed by their declarations; prints help and exits 0 on --help; throws
 * InputError (exit 2) on unknown options and with one line per bad number or choice.
 */
export function parseCommandLine<O extends Options>(spec: CommandSpec<O>, argv = process.argv.slice(2)): Parsed<O> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText(spec));
    process.exit(EXIT_OK);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: parseArgsOptions(spec.options), allowPositionals: spec.allowPositionals ?? false, strict: true });
  } catch (e) {
    throw new InputError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}; see '${spec.usage} --help'.`);
  }
  return { values: typedValues(spec.options, parsed.values), positionals: parsed.positionals };
}

/**
 * Takes `--debug` out of argv (every command accepts it; MEDIA_CDN_DEBUG=1 does the same) and says
 * whether it was there.
 */
function takeDebugFlag(): boolean {
  const at = process.argv.indexOf('--debug', 2);
  if (at >= 0) process.argv.splice(at, 1);
  return at >= 0 || process.env.MEDIA_CDN_DEBUG === '1';
}

/**
 * Runs a command's main function inside the error boundary every command shares: bad input prints
 * one `error:` line per problem and exits 2; CheckFailed exits 1; anything else becomes one `error:`
 * line from lib/error-kinds (missing credentials, unreachable endpoint, access denied, throttling,
 * a refusing file system: exit 3; a bug: exit 4), with the stack trace only under `--debug`.
 * The AWS SDK's Node-version notice (SDK releases after January 2027 need Node 22; the locked
 * versions run on Node 20.19+) is silenced here once for every command, unless the user set
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED themselves (docs/development.md).
 */
export function runMain(main: () => Promise<number | void>): void {
  const debug = takeDebugFlag();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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
      const c = classifyError(e, process.env.AWS_ENDPOINT_URL);
      console.error(`error: ${c.line}`);
      if (debug) console.error(e);
      process.exit(c.exitCode);
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

/**
 * Writes a file atomically: a temp file beside it, then a rename, so a crash or a full disk never
 * leaves half a file; the temp file is removed when anything fails. A path that is a directory is bad
 * input (exit 2), refused before anything is written.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new InputError(`output path '${file}' is a directory; give a file path such as '${join(file, 'result.json')}'.`);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** writeFileAtomic for text. */
export function writeTextFile(file: string, text: string): void {
  writeFileAtomic(file, text);
}
