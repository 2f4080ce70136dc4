/**
 * Why a simulated plan misses its targets, one line per missed target, named from the plan itself:
 * the Regions the type's origins are in, the price class, the caches. Printed under the result table
 * (`npm run sim`, `npm start`) so that a stack that stays single-Region says why it misses.
 */
import { CONTENT_TYPE_NAMES } from '../lib/catalog';
import { groupsInPriceClass, PRICE_REGION_GROUPS } from '../lib/semantics/pricing';
import type { SimModel, SimOrigin } from './plan-model';
import type { SimulationResult } from './results';

function regionsOf(o: SimOrigin): string[] {
  return [o.awsRegion, ...(o.regional ?? []).map((c) => c.awsRegion)];
}

export function missCauses(model: SimModel, r: SimulationResult): string[] {
  const lines: string[] = [];
  const behaviors = [...model.behaviors, model.defaultBehavior];
  const excluded = PRICE_REGION_GROUPS.filter((g) => !groupsInPriceClass(model.priceClass).includes(g));
  const priceNote = excluded.length > 0 ? `; ${model.priceClass} leaves out the edges of ${excluded.join(', ')}, whose viewers are served from farther away` : '';
  for (const name of CONTENT_TYPE_NAMES) {
    const t = r.types[name];
    const origins = [...new Map(behaviors.filter((b) => b.contentType === name).map((b) => [b.origin.id, b.origin])).values()];
    if (!t.latencyPass) {
      const where = origins.map((o) => `${o.id} in ${regionsOf(o).join(', ')}`).join('; ');
      const single = origins.every((o) => (o.regional ?? []).length === 0);
      lines.push(`${name} p95 ${t.p95LatencyMs} ms > ${t.targetLatencyMs} ms: misses and revalidations travel to ${where}${single ? ' only (one Region: originRegions, metadataOriginDomains and apiOriginDomains add copies nearer the viewers; npm run tune shows how far that gets)' : ''}${priceNote}.`);
    }
    if (!t.hitRatioPass) {
      const regional = origins.some((o) => (o.regional ?? []).length > 0);
      lines.push(`${name} hit ratio ${(100 * t.hitRatio).toFixed(1)} % < ${(100 * t.targetHitRatio).toFixed(0)} %: objects expire or are evicted before they are requested again${regional ? ' and each regional origin has its own Origin Shield to fill' : ''} (TTLs, cache sizes).`);
    }
  }
  for (const c of r.checks.filter((x) => !x.pass)) {
    const slow = CONTENT_TYPE_NAMES.filter((n) => r.types[n].p95LatencyMs > 100);
    lines.push(`${c.name}: ${(100 * c.value).toFixed(1)} %${slow.length > 0 ? `; the slowest 5 % of ${slow.join(', ')} take over 100 ms (see their lines)` : ''}${priceNote}.`);
  }
  return lines;
}
