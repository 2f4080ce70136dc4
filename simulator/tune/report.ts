/**
 * The tuner's text report: every target and every cost line before and after, the settings that
 * change, and when no point meets the targets which ones are missed, by how much, and what outside
 * the search space would meet them. Pure; the CLI prints it.
 */
import { renderTable, formatPercent } from '../../lib/format/table';
import type { TuneResult } from './search';
import { shortfall, type Evaluation, type TargetOutcome, type TuneSpace } from './types';
import type { ConfigChange } from './changes';

const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function formatTargetValue(t: TargetOutcome): string {
  return t.unit === 'ms' ? `${t.value.toFixed(1)} ms` : formatPercent(t.value);
}

export function formatTarget(t: TargetOutcome): string {
  const v = t.unit === 'ms' ? `${t.target} ms` : formatPercent(t.target, t.target * 100 === Math.round(t.target * 100) ? 0 : 1);
  return `${t.sense === 'atMost' ? '≤' : '≥'} ${v}`;
}

/** How far a missed target is off, in its own unit: '+23.4 ms' or '-2.1 points'. */
export function missText(t: TargetOutcome): string {
  if (t.unit === 'ms') return `${(t.value - t.target).toFixed(1)} ms over`;
  return `${(100 * (t.target - t.value)).toFixed(1)} points short`;
}

export function targetsTable(before: Evaluation, after: Evaluation): string {
  const rows = before.targets.map((b, i) => {
    const a = after.targets[i]!;
    return [b.name, formatTarget(b), formatTargetValue(b), b.pass ? 'pass' : 'FAIL', formatTargetValue(a), a.pass ? 'pass' : 'FAIL'];
  });
  return renderTable(['target', 'goal', 'before', '', 'after', ''], rows, ['left', 'right', 'right', 'left', 'right', 'left']);
}

export function costTable(before: Evaluation, after: Evaluation): string {
  const items = [...new Set([...before.costLines.map((l) => l.item), ...after.costLines.map((l) => l.item)])];
  const of = (e: Evaluation, item: string) => e.costLines.find((l) => l.item === item)?.usd ?? 0;
  const rows = items.filter((item) => of(before, item) !== 0 || of(after, item) !== 0).map((item) => {
    const b = of(before, item), a = of(after, item);
    return [item, usd(b), usd(a), `${a - b >= 0 ? '+' : ''}${usd(a - b)}`];
  });
  rows.push(['total per month', usd(before.costUsd), usd(after.costUsd), `${after.costUsd - before.costUsd >= 0 ? '+' : ''}${usd(after.costUsd - before.costUsd)}`]);
  return renderTable(['cost line', 'before', 'after', 'change'], rows, ['left', 'right', 'right', 'right']);
}

export function changesText(changes: readonly ConfigChange[]): string {
  if (changes.length === 0) return 'no setting changes: the stack already is the answer.';
  return changes.map((c) => `  ${c.path.join('.')}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('\n');
}

/** The missed targets of an evaluation, worst first. */
export function missedTargets(e: Evaluation): TargetOutcome[] {
  return e.targets.filter((t) => !t.pass).sort((a, b) => shortfall(b) - shortfall(a));
}

export function searchSummary(space: TuneSpace, r: TuneResult, seconds: number): string {
  const dims = space.dimensions.map((d) => `${d.name} (${d.options.length})`).join(', ');
  return `searched ${dims}: ${r.evaluations.coarse} coarse and ${r.evaluations.full} full-scale simulations in ${seconds.toFixed(0)} s`;
}
