/**
 * Rows of the log-replay table (logged against simulated hit ratio per type) and of the compare table
 * (plan a against plan b). Pure; the modes render and print them.
 */
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { formatPercent } from '../../lib/format/table';
import type { ReplayResult } from '../../simulator/log-replay';
import type { SimulationResult } from '../../simulator/results';

export function replayRows(rep: ReplayResult): string[][] {
  return CONTENT_TYPE_NAMES.map((n) => {
    const t = rep.result.types[n];
    return [n, t.requests.toLocaleString('en-US'), formatPercent(rep.observed[n].hitRatio), formatPercent(t.hitRatio), formatPercent(t.targetHitRatio, 0), `${t.p95LatencyMs}`];
  });
}

export function diffRows(a: SimulationResult, b: SimulationResult): string[][] {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const d = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} pp`;
  const rows = CONTENT_TYPE_NAMES.map((n) => {
    const x = a.types[n], y = b.types[n];
    return [n, pct(x.hitRatio), pct(y.hitRatio), d(y.hitRatio - x.hitRatio), `${x.p95LatencyMs}`, `${y.p95LatencyMs}`, `${x.pass ? 'pass' : 'FAIL'} → ${y.pass ? 'pass' : 'FAIL'}`];
  });
  rows.push(['all', pct(a.totals.hitRatio), pct(b.totals.hitRatio), d(b.totals.hitRatio - a.totals.hitRatio), `${a.totals.p95LatencyMs}`, `${b.totals.p95LatencyMs}`, '']);
  rows.push(['cost/month', `$${a.costUsdPerMonth.toLocaleString('en-US')}`, `$${b.costUsdPerMonth.toLocaleString('en-US')}`, `${b.costUsdPerMonth - a.costUsdPerMonth >= 0 ? '+' : ''}$${(b.costUsdPerMonth - a.costUsdPerMonth).toFixed(2)}`, '', '', '']);
  return rows;
}
