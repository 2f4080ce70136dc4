/**
 * `npm run invalidate -- tag video:123 [type:thumbnails ...]`: invalidation by cache tag (spec §8.2).
 * Each tag becomes a `#tag` item (billed as one path, spec §8.5) and goes through `submit`: the same
 * validation, queue, batching within the in-progress quotas and the per-second rates, and waiting.
 */
import { InputError } from '../../lib/errors';
import type { OptionValues } from '../lib/cli';
import type { Context } from './context';
import { SUBMIT_SPEC, submitCommand } from './submit';


export const TAG_SPEC = {
  ...SUBMIT_SPEC,
  usage: 'npm run invalidate -- [--stack X | --plan f | --outputs f] tag <tag> [tag...] [options]',
  summary:
    "Invalidates every cached object carrying one of the tags (the origin's cache-tag header; docs/invalidation.md, 'Cache tags'): " +
    "each tag is one '#tag' item, billed as one path. Tags are case-insensitive; a leading '#' is optional. Takes submit's options.",
  examples: [
    'npm run invalidate -- --stack prod tag video:123 --dry-run',
    'npm run invalidate -- --outputs outputs.json tag video:123 type:thumbnails --wait',
  ],
} as const;

/** `#`-items of the arguments (a leading `#` is optional). */
export function tagItems(args: readonly string[]): string[] {
  return args.map((a) => (a.startsWith('#') ? a : `#${a}`));
}

export async function tagCommand(v: OptionValues<typeof TAG_SPEC.options>, positionals: readonly string[], ctx: Context, readStdin: () => Promise<string>): Promise<number> {
  const problems: string[] = [];
  if (positionals.length === 0) problems.push("tag needs at least one tag, e.g. 'tag video:123'.");
  if (positionals.includes('-')) problems.push("tag takes tags as arguments, not stdin ('-'); use 'submit -' for a list of '#tag' lines.");
  if (ctx.outputs.cacheTagHeader === '') {
    problems.push(`distribution ${ctx.outputs.distributionId} has no CacheTagConfig (media-cdn:cacheTagHeader is ''), so CloudFront rejects tag items; set the header, deploy and tag the objects first.`);
  }
  if (problems.length > 0) throw new InputError(problems);
  return submitCommand(v, tagItems(positionals), ctx, readStdin);
}
