/**
 * A simulation result as the tuner judges it: every target (hit ratio and p95 TTFB per content type,
 * the overall checks) with the result's own pass flags, the monthly cost by line, and each content
 * type's origin requests as the cost share its own TTLs and stale windows move.
 */
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import type { SimulationResult } from '../results';
import type { CostItem, Evaluation, TargetOutcome } from './types';

/** Cost lines summed by item across price groups, in first-seen order. */
export function costItems(r: SimulationResult): CostItem[] {
  const byItem = new Map<string, number>();
  for (const l of r.cost.lines) byItem.set(l.item, (byItem.get(l.item) ?? 0) + l.usd);
  return [...byItem].map(([item, usd]) => ({ item, usd: Number(usd.toFixed(2)) }));
}

export function targetsOf(r: SimulationResult): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  for (const name of CONTENT_TYPE_NAMES) {
    const t = r.types[name];
    out.push({ name: `${name} hit ratio`, group: name, value: t.hitRatio, target: t.targetHitRatio, sense: 'atLeast', pass: t.hitRatioPass, unit: 'ratio', kind: 'efficiency' });
    out.push({ name: `${name} p95 TTFB`, group: name, value: t.p95LatencyMs, target: t.targetLatencyMs, sense: 'atMost', pass: t.latencyPass, unit: 'ms', kind: 'latency' });
  }
  // The overall checks: a share of requests within a TTFB is latency; the byte hit ratio is efficiency.
  for (const c of r.checks) out.push({ name: c.name, value: c.value, target: c.target, sense: 'atLeast', pass: c.pass, unit: 'ratio', kind: /TTFB|latency|within/i.test(c.name) ? 'latency' : 'efficiency' });
  return out;
}

export function evaluationOf(r: SimulationResult): Evaluation {
  const groupCost: Record<string, number> = {};
  for (const name of CONTENT_TYPE_NAMES) groupCost[name] = r.types[name].originRequests;
  return { costUsd: r.costUsdPerMonth, costLines: costItems(r), targets: targetsOf(r), pass: r.pass, groupCost };
}
