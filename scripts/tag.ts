/**
 * npm run tag -- [--stack X | --plan f | --outputs f] [apply | audit | upload] [options]
 *
 * Cache tags at the origin (docs/invalidation.md, "Cache tags"): `apply` (the default) sets the
 * catalog's tags on existing objects, `audit` lists objects whose tags are missing or stale,
 * `upload` puts a new object with its tags. The bucket names and the cache-tag header come from the
 * stack outputs; `--endpoint` / AWS_ENDPOINT_URL target s3rver or LocalStack.
 */
import { InputError } from '../lib/errors';
import { EXIT_CODES_TEXT, loadStackSource, parseCommandLine, runMain, takesValue, type CommandSpec, type Options, type OptionValues } from './lib/cli';
import {
  APPLY_SPEC, applyCommand, AUDIT_SPEC, auditCommand, createTagContext, UPLOAD_SPEC, uploadCommand, USAGE, type TagContext, type TagDeps,
} from './tagging/commands';

interface Subcommand {
  readonly spec: CommandSpec<Options>;
  /** Parses the subcommand's arguments (typed by its spec), loads the stack and runs it. */
  run(name: string, argv: readonly string[], deps: TagDeps): Promise<number>;
}

function subcommand<O extends Options>(spec: CommandSpec<O>, run: (v: OptionValues<O>, positionals: string[], ctx: TagContext) => Promise<number>): Subcommand {
  return {
    spec,
    async run(name, argv, deps) {
      const { values, positionals } = parseCommandLine(spec, [...argv]);
      if (name !== 'upload' && positionals.length > 0) {
        throw new InputError(`${name} takes no arguments, got ${positionals.join(' ')}; give prefixes with --prefix (see '${USAGE} ${name} --help').`);
      }
      // Every subcommand's options include COMMON_OPTIONS; TypeScript cannot see that through the generic spec.
      const common = values as Parameters<typeof createTagContext>[1];
      const source = await loadStackSource(common, USAGE);
      const ctx = createTagContext(source, common, deps);
      try {
        return await run(values, positionals, ctx);
      } finally {
        ctx.close();
      }
    },
  };
}

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  apply: subcommand(APPLY_SPEC, (v, _p, ctx) => applyCommand(v, ctx)),
  audit: subcommand(AUDIT_SPEC, (v, _p, ctx) => auditCommand(v, ctx)),
  upload: subcommand(UPLOAD_SPEC, (v, p, ctx) => uploadCommand(v, p, ctx)),
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
const VALUE_OPTIONS = new Set(Object.values(SUBCOMMANDS).flatMap((c) => Object.entries(c.spec.options).filter(([, o]) => takesValue(o)).map(([n]) => `--${n}`)));

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
  return SUBCOMMANDS[name]!.run(name, rest, deps);
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
