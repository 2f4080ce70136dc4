/** Checks that the parts given to `npm run sim -- merge` belong to one sharded run. */
import type { Shard } from '../../simulator/shard';

export interface PartHeader {
  readonly file: string;
  readonly shard: Shard;
  readonly settings: unknown;
  readonly plan: unknown;
}

/** Each problem of a set of parts, one line naming the files and the fix (empty when they fit). */
export function partProblems(parts: readonly PartHeader[]): string[] {
  const first = parts[0]!;
  const n = first.shard.count;
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const p of parts) {
    if (p.shard.count !== n) problems.push(`${p.file} is shard ${p.shard.index}/${p.shard.count}, ${first.file} is of ${n} shards; merge parts of one run.`);
    if (seen.has(p.shard.index)) problems.push(`${p.file} and ${seen.get(p.shard.index)} are both shard ${p.shard.index}/${n}.`);
    seen.set(p.shard.index, p.file);
    if (JSON.stringify(p.settings) !== JSON.stringify(first.settings)) problems.push(`${p.file} was run with other settings than ${first.file} (seed, scale, hours, caches, policy); run every shard with the same options.`);
    if (JSON.stringify(p.plan) !== JSON.stringify(first.plan)) problems.push(`${p.file} simulates another plan than ${first.file}.`);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0 && problems.length === 0) problems.push(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} missing; merge all ${n} parts.`);
  return problems;
}
