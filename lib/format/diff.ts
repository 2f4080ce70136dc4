/**
 * A line diff of two small texts (stack files): unified-style hunks with `context` lines around each
 * change, from the longest common subsequence. Quadratic, for files of a few hundred lines.
 */
export function lineDiff(before: string, after: string, labels: readonly [string, string] = ['before', 'after'], context = 2): string {
  const a = before.split('\n'), b = after.split('\n');
  const n = a.length, m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push({ kind: ' ', line: a[i]! }); i++; j++; }
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { ops.push({ kind: '-', line: a[i]! }); i++; }
    else { ops.push({ kind: '+', line: b[j]! }); j++; }
  }
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  let k = 0;
  while (k < changed.length) {
    let end = k;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context + 1) end++;
    const from = Math.max(0, changed[k]! - context), to = Math.min(ops.length - 1, changed[end]! + context);
    out.push('@@');
    for (let x = from; x <= to; x++) out.push(`${ops[x]!.kind}${ops[x]!.line}`);
    k = end + 1;
  }
  return out.join('\n');
}
