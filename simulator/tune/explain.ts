/**
 * What outside the search space would meet a target the space cannot: the tuner's last paragraph
 * when it exits 1. Reasoned from the catalog (which origin serves the type) and the space (which
 * settings it already varies), not from a list of answers.
 */
import { CONTENT_TYPES, isContentTypeName } from '../../lib/catalog';
import type { Evaluation, TargetOutcome, TuneSpace } from './types';

/** Origins (catalog route `origin`) that are services of their own rather than S3 buckets. */
const DYNAMIC_ORIGINS = new Set(['metadata', 'api']);

function spaceVaries(space: TuneSpace, pattern: RegExp): boolean {
  return space.dimensions.some((d) => d.options.length > 1 && d.options.some((o) => Object.keys(o.settings).some((k) => pattern.test(k))));
}

function originsOf(type: string): string[] {
  const t = CONTENT_TYPES.find((x) => x.name === type);
  return t ? [...new Set(t.routes.map((r) => r.origin))] : [];
}

export function hintFor(t: TargetOutcome, space: TuneSpace, e: Evaluation): string {
  if (t.group && isContentTypeName(t.group) && t.unit === 'ratio') {
    return `${t.name}: larger edge or regional caches (sizes are assumptions held fixed: npm run sim -- --edge-cache / --rec-cache) or TTLs beyond the catalog's bound (a longer update interval in lib/catalog).`;
  }
  if (t.group && isContentTypeName(t.group)) {
    const origins = originsOf(t.group);
    const dynamic = origins.filter((o) => DYNAMIC_ORIGINS.has(o));
    const regional = spaceVaries(space, /^originRegions$/);
    const parts: string[] = [];
    if (dynamic.length > 0) {
      parts.push(`${dynamic.map((o) => `${/^[aeiou]/.test(o) ? 'an' : 'a'} ${o} origin`).join(' and ')} in more Regions (${dynamic.map((o) => `${o}OriginDomains`).join(', ')}): the project does not deploy that service, so where it runs is an input, not a setting the tuner chooses`);
    }
    const s3 = origins.filter((o) => !DYNAMIC_ORIGINS.has(o));
    if (s3.length > 0 && !regional) parts.push(`copies of the ${s3.join('/')} bucket in the viewers' Regions (regional S3 origins, not in this space)`);
    if (parts.length === 0) parts.push('a regional edge cache or origin nearer the viewers in the slowest Region (the space already has every REC Region on its ladder), or more of the type served by the edge itself (larger edge caches, an assumption held fixed)');
    return `${t.name}: ${parts.join('; ')}.`;
  }
  if (t.kind === 'efficiency') {
    return `${t.name}: fewer origins to fill (each regional copy has its own Origin Shield, which fetches its own copy) or larger caches (assumptions held fixed).`;
  }
  const slow = e.targets.filter((x) => x.unit === 'ms' && x.value > 100).map((x) => x.name.replace(' p95 TTFB', ''));
  return `${t.name}: the types whose p95 is above 100 ms (${slow.join(', ') || 'none'}) served nearer the viewers; see their lines.`;
}

export function hintsFor(missed: readonly TargetOutcome[], space: TuneSpace, e: Evaluation): string[] {
  return missed.map((t) => hintFor(t, space, e));
}
