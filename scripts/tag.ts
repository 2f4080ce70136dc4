/**
 * npm run tag -- [--stack X | --plan f | --outputs f] [apply | audit | upload] [options]
 *
 * Cache tags at the origin (docs/invalidation.md, "Cache tags"): `apply` (the default) sets the
 * catalog's tags on existing objects, `audit` lists objects whose tags are missing or stale,
 * `upload` puts a new object with its tags. The bucket names and the cache-tag header come from the
 * stack outputs; `--endpoint` / AWS_ENDPOINT_URL target s3rver or LocalStack.
 */
import { InputError } from '../lib/errors';
import { EXIT_CODES_TEXT, loadStackSource, parseCommandLine, runMain, type CommandSpec, type Options } from './lib/cli';
import {
  APPLY_SPEC, applyCommand, AUDIT_SPEC, auditCommand, createTagContext, UPLOAD_SPEC, uploadCommand, USAGE, type TagContext, type TagDeps,
} from './tagging/commands';

type Values = Record<string, string | boolean | string[] | undefined>;

interface Subcommand {
  readonly spec: CommandSpec<Options>;
  run(v: Values, positionals: string[], ctx: TagContext): Promise<number>;
}

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  apply: { spec: APPLY_SPEC, run: (v, _p, ctx) => applyCommand(v, ctx) },
  audit: { spec: AUDIT_SPEC, run: (v, _p, ctx) => auditCommand(v, ctx) },
  upload: { spec: UPLOAD_SPEC, run: (v, p, ctx) => uploadCommand(v, p, ctx) },
};

const OVERVIEW = `Usage: ${USAGE} [--stack X | --plan f | --outputs f] [apply | audit | upload] [options]

Cache tags at the origin (docs/invalidation.md, "Cache tags").

Subcommands:
  apply --prefix p     set the catalog's tags on existing objects (the default; paginated, resumable, --dry-run)
  audit --prefix p     list objects whose tags are missing or stale (exit 1 when any)
  upload <file> --key k   upload a new object with its tags

'${USAGE} <subcommand> --help' lists a subcommand's options.
${EXIT_CODES_TEXT}`;

/** Option names that take a value, across every subcommand (to find the subcommand among the arguments). */
const VALUE_OPTIONS = new Set(Object.values(SUBCOMMANDS).flatMap((c) => Object.entries(c.spec.options).filter(([, o]) => o.type === 'string').map(([n]) => `--${n}`)));

/** The subcommand (the first positional naming one; `apply` when none does) and the other arguments. */
export function splitSubcommand(argv: readonly string[]): { name: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    if (SUBCOMMANDS[a]) return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    break;
  }
  return { name: 'apply', rest: [...argv] };
}

/** Runs the command line; returns the exit code (errors are thrown for runMain). */
export async function main(argv: readonly string[], deps: TagDeps = {}): Promise<number> {
  if (argv.length === 0 || ((argv.includes('--help') || argv.includes('-h')) && !argv.some((a) => SUBCOMMANDS[a]))) {
    (deps.out ?? console.log)(OVERVIEW);
    return 0;
  }
  const { name, rest } = splitSubcommand(argv);
  const sub = SUBCOMMANDS[name]!;
  const { values, positionals } = parseCommandLine(sub.spec, rest);
  if (name !== 'upload' && positionals.length > 0) {
    throw new InputError(`${name} takes no arguments, got ${positionals.join(' ')}; give prefixes with --prefix (see '${USAGE} ${name} --help').`);
  }
  const source = await loadStackSource(values, USAGE);
  const ctx = createTagContext(source, values, deps);
  try {
    return await sub.run(values, positionals, ctx);
  } finally {
    ctx.close();
  }
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
