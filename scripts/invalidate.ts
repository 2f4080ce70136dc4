/**
 * npm run invalidate -- [--stack X | --plan f | --outputs f] <subcommand> [options]
 *
 * Safe, cheap, observable CloudFront invalidation (docs/invalidation.md): submit (default), worker,
 * status, schedule, rollback, retry. The distribution id and bucket names come from the stack
 * outputs; `--endpoint` / AWS_ENDPOINT_URL target LocalStack or the local CloudFront endpoint.
 */
import { InputError } from '../lib/errors';
import { EXIT_CODES_TEXT, parseCommandLine, runMain, takesValue, type CommandSpec, type Options, type OptionValues } from './lib/cli';
import { RETRY_SPEC, retryCommand, SCHEDULE_SPEC, scheduleCommand, STATUS_SPEC, statusCommand, WORKER_SPEC, workerCommand } from './invalidation/commands';
import { createContext, USAGE, type CommandDeps, type CommonValues, type Context } from './invalidation/context';
import { QUEUE_SPEC, queueCommand } from './invalidation/queue-command';
import { explainQueueError } from './invalidation/queue-file';
import { ROLLBACK_SPEC, rollbackCommand } from './invalidation/rollback';
import { SUBMIT_SPEC, submitCommand } from './invalidation/submit';
import { TAG_SPEC, tagCommand } from './invalidation/tag-command';

interface Subcommand {
  readonly spec: CommandSpec<Options>;
  /** Parses the subcommand's arguments (typed by its spec), builds the context and runs it. */
  run(name: string, argv: readonly string[], deps: CommandDeps): Promise<number>;
}

function subcommand<O extends Options>(spec: CommandSpec<O>, run: (v: OptionValues<O>, positionals: string[], ctx: Context, deps: CommandDeps) => Promise<number>): Subcommand {
  return {
    spec,
    async run(name, argv, deps) {
      const { values, positionals } = parseCommandLine(spec, [...argv]);
      if (!spec.allowPositionals && positionals.length > 0) throw new InputError(`${name} takes no arguments, got ${positionals.join(' ')}; see '${USAGE} ${name} --help'.`);
      // Every subcommand's options include COMMON_OPTIONS; TypeScript cannot see that through the generic spec.
      const ctx = await createContext(values as CommonValues, deps);
      try {
        return await run(values, positionals, ctx, deps);
      } catch (e) {
        // SQLite's errors about the queue file become one line naming the file and the fix.
        throw explainQueueError(e, ctx.queueFile);
      } finally {
        try {
          ctx.close();
        } catch {
          // closing a file that failed (full, gone) must not hide why it failed
        }
      }
    },
  };
}

const readStdin = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  submit: subcommand(SUBMIT_SPEC, (v, p, ctx, d) => submitCommand(v, p, ctx, d.readStdin ?? readStdin)),
  worker: subcommand(WORKER_SPEC, (v, _p, ctx) => workerCommand(v, ctx)),
  status: subcommand(STATUS_SPEC, (v, p, ctx) => statusCommand(v, p, ctx)),
  schedule: subcommand(SCHEDULE_SPEC, (v, p, ctx) => scheduleCommand(v, p, ctx)),
  rollback: subcommand(ROLLBACK_SPEC, (v, p, ctx) => rollbackCommand(v, p, ctx)),
  retry: subcommand(RETRY_SPEC, (v, p, ctx) => retryCommand(v, p, ctx)),
  tag: subcommand(TAG_SPEC, (v, p, ctx, d) => tagCommand(v, p, ctx, d.readStdin ?? readStdin)),
};

/** Subcommands on the queue file alone: no stack, no AWS. */
const FILE_SUBCOMMANDS: Readonly<Record<string, { spec: CommandSpec<Options> }>> = { queue: { spec: QUEUE_SPEC } };

const OVERVIEW = `Usage: ${USAGE} [--stack X | --plan f | --outputs f] <subcommand> [options]

Safe, cheap and observable CloudFront invalidation (docs/invalidation.md).

Subcommands:
  submit [paths...]   validate, plan (dedupe, wildcards by cost) and send; the default when paths come first
  worker              run the durable queue: --at requests, cron schedules, retries, polling
  status [id]         queued requests and recent invalidations, or one of them (--wait)
  schedule add|list|remove   cron schedules for the worker
  rollback --to <time|versionId> <paths...>   restore earlier S3 versions and invalidate them
  retry <request-id>  send a request's failed batches again
  tag <tag> [tag...]  invalidate every cached object carrying a cache tag ('#tag' items, one billed path each)
  queue check|export|repair|unlock   the queue file: integrity, every readable request, rebuild, a stale worker lock

'${USAGE} <subcommand> --help' lists a subcommand's options.
${EXIT_CODES_TEXT}`;

/** Option names that take a value, across every subcommand (to find the subcommand among the arguments). */
const VALUE_OPTIONS = new Set([...Object.values(SUBCOMMANDS), ...Object.values(FILE_SUBCOMMANDS)].flatMap((c) => Object.entries(c.spec.options).filter(([, o]) => takesValue(o)).map(([n]) => `--${n}`)));

/** Splits argv into the subcommand and the rest; paths first (`/a`, `#tag`, `-`) mean submit. */
export function splitSubcommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    if (a !== '-' && a.startsWith('-')) continue;
    if (SUBCOMMANDS[a] || FILE_SUBCOMMANDS[a]) return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    if (a === '-' || a.startsWith('/') || a.startsWith('#')) return { name: 'submit', rest: [...argv] };
    return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: [...argv] };
}

/** Runs the command line; returns the exit code (errors are thrown for runMain). */
export async function main(argv: readonly string[], deps: CommandDeps = {}): Promise<number> {
  const { name, rest } = splitSubcommand(argv);
  if (name === undefined) {
    if (rest.includes('--help') || rest.includes('-h')) {
      (deps.out ?? console.log)(OVERVIEW);
      return 0;
    }
    throw new InputError(`give a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}; see '${USAGE} --help'.`);
  }
  const names = [...Object.keys(SUBCOMMANDS), ...Object.keys(FILE_SUBCOMMANDS)];
  if (FILE_SUBCOMMANDS[name]) {
    const { values, positionals } = parseCommandLine(QUEUE_SPEC, rest);
    return queueCommand(values, positionals, { out: deps.out ?? ((l) => process.stdout.write(`${l}\n`)), now: deps.now ?? Date.now });
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) throw new InputError(`unknown subcommand '${name}'; use one of ${names.join(', ')} (see '${USAGE} --help').`);
  return sub.run(name, rest, deps);
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));
