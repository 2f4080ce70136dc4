/** Wording shared by the rules' messages. */
import { formatDuration } from '../../lib/format/table';

/** `86400 s (1d)`; `0 s`. */
export function seconds(n: number): string {
  const short = formatDuration(n);
  return n === 0 || short === `${n}s` ? `${n} s` : `${n} s (${short})`;
}

/** `'a', 'b' and 'c'` (or `'a', 'b' or 'c'` for a choice). */
export function quoteList(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  const q = items.map((i) => `'${i}'`);
  return q.length <= 1 ? (q[0] ?? '(none)') : `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
