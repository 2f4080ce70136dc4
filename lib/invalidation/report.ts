/** Text rendering of an invalidation plan for `--dry-run` and the submit summary. */
import { renderTable } from '../format/table';
import { formatUsd } from './cost';
import type { InvalidationPlan } from './planner';

/** The plan's figures and, up to `maxItems`, its items. */
export function renderPlan(plan: InvalidationPlan, batches: readonly (readonly string[])[], o: { maxItems?: number } = {}): string {
  const s = plan.stats;
  const rows: [string, string][] = [
    ['requested paths', String(s.requestedItems)],
    ['duplicates dropped', String(s.duplicates)],
    ['covered by requested wildcards', String(s.coveredByRequestedWildcards)],
    ['collapsed into planner wildcards', String(s.collapsedItems)],
    ['paths to send (billed)', `${s.billedPaths} (${s.paths} paths, ${s.wildcards} wildcards, ${s.tags} tags)`],
    ['batches', String(batches.length)],
    ['over-invalidation', `${s.overInvalidatedObjects} unchanged objects = ${s.overInvalidationPct.toFixed(2)}% of ${s.changedObjects} (max ${s.maxOverInvalidationPct}%)`],
    ['month-to-date paths', String(s.monthToDatePaths)],
    ['estimated cost', `${formatUsd(s.estimatedCostUsd)} (${s.paidPaths} paths beyond the free 1,000/month)`],
    ['naive cost', `${formatUsd(s.naiveCostUsd)} (${s.naiveBilledPaths} paths)`],
  ];
  const out = [renderTable(['plan', 'value'], rows)];
  if (plan.wildcards.length > 0) {
    out.push('', renderTable(['wildcard', 'replaces', 'unchanged objects'], plan.wildcards.map((w) => [w.path, String(w.replaces), String(w.unchangedObjects)]), ['left', 'right', 'right']));
  }
  if (plan.tags.length > 0) {
    out.push('', renderTable(['cache tag', 'replaces', 'unlisted objects'], plan.tags.map((t) => [`#${t.tag}`, String(t.replaces), String(t.unlistedObjects)]), ['left', 'right', 'right']));
  }
  const max = o.maxItems ?? 50;
  out.push('', `items (${plan.items.length}):`, ...plan.items.slice(0, max).map((i) => `  ${i}`));
  if (plan.items.length > max) out.push(`  ... and ${plan.items.length - max} more (--json for all)`);
  for (const n of plan.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
