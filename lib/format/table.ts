/** Plain-text tables for terminal reports. */

export type Align = 'left' | 'right';

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Seconds as a short duration: 300 -> '5m', 21600 -> '6h', 31536000 -> '365d'. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0';
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}
