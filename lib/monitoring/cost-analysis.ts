/**
 * Cost analysis over a month of CloudFront usage, priced by lib/semantics/pricing.ts (spec §13):
 * turning Cost Explorer rows into that usage (spec §14), and the optimization levers — price class,
 * compression, Origin Shield, hit ratio and the free tier — each with its effect in dollars.
 * docs/cost-analysis.md works through them for a 50 Gbps month.
 */
import type { Catalog, ContentTypeName } from '../catalog';
import {
  billedGroupForPriceClass, FREE_TIER, groupsInPriceClass, monthlyCostUsd, OTHER_PRICES, PRICE_REGION_GROUPS,
  type CostLine, type MonthlyUsage, type PriceRegionGroup,
} from '../semantics/pricing';

export type { CostLine, MonthlyUsage, PriceRegionGroup };

export interface CostEstimate {
  readonly totalUsd: number;
  readonly lines: CostLine[];
}

export function estimateMonth(usage: MonthlyUsage): CostEstimate {
  return monthlyCostUsd(usage);
}

// ---------------------------------------------------------------------------------------------
// Cost Explorer → usage

/** Region-group prefixes of usage types (spec §14) and the price group each is billed in (spec §13.2, §13.3). */
export const USAGE_PREFIX_GROUPS: Readonly<Record<string, PriceRegionGroup>> = Object.freeze({
  US: 'US', CA: 'US', EU: 'EU', ZA: 'ZA_ME', ME: 'ZA_ME', SA: 'SA', JP: 'JP', AU: 'AU', AP: 'AP', IN: 'IN',
});

/** One Cost Explorer group: a usage type with its quantity (GB, requests, paths...) and cost. */
export interface UsageTypeRow {
  readonly usageType: string;
  readonly quantity: number;
  readonly usd: number;
}

export interface ActualUsage {
  /** Usage per month (the range's total scaled by `months`), ready for {@link monthlyCostUsd}. */
  readonly usage: MonthlyUsage;
  /** Rows that are not part of the pricing model (SSL certificates, Lambda@Edge...), per month. */
  readonly other: UsageTypeRow[];
  /** Free-tier tracking rows (`Global-*`), per month. */
  readonly freeTier: UsageTypeRow[];
}

const USAGE_TYPE_RE = /^([A-Z]{2})-(DataTransfer-Out-Bytes|DataTransfer-Out-OBytes|Requests-Tier1|Requests-Tier2-HTTPS|Requests-HTTP-Proxy|Requests-HTTPS-Proxy)$/;

/**
 * Maps Cost Explorer rows (grouped by USAGE_TYPE, spec §14) onto the pricing model's usage, divided
 * by `months` so tiers apply per month. HTTP and HTTPS requests are pooled per group and their split
 * kept as `httpsShare`; proxy-method requests bill at the same rates (spec §13.3).
 */
export function usageFromCostExplorer(rows: readonly UsageTypeRow[], months: number): ActualUsage {
  if (!(months > 0)) throw new RangeError(`usageFromCostExplorer: months must be > 0, got ${months}.`);
  const transfer: Partial<Record<PriceRegionGroup, number>> = {};
  const origin: Partial<Record<PriceRegionGroup, number>> = {};
  const requests: Partial<Record<PriceRegionGroup, number>> = {};
  let https = 0;
  let shield = 0;
  let invalidations = 0;
  let functions = 0;
  const other: UsageTypeRow[] = [];
  const freeTier: UsageTypeRow[] = [];
  const add = (m: Partial<Record<PriceRegionGroup, number>>, g: PriceRegionGroup, v: number) => { m[g] = (m[g] ?? 0) + v / months; };
  for (const r of rows) {
    const perMonth = { usageType: r.usageType, quantity: r.quantity / months, usd: r.usd / months };
    const m = USAGE_TYPE_RE.exec(r.usageType);
    const group = m ? USAGE_PREFIX_GROUPS[m[1]!] : undefined;
    if (m && group) {
      const kind = m[2]!;
      if (kind === 'DataTransfer-Out-Bytes') add(transfer, group, r.quantity);
      else if (kind === 'DataTransfer-Out-OBytes') add(origin, group, r.quantity);
      else {
        add(requests, group, r.quantity);
        if (kind.includes('HTTPS')) https += r.quantity / months;
      }
    } else if (/-Requests-OriginShield$/.test(r.usageType)) shield += r.quantity / months;
    else if (r.usageType === 'Invalidations') invalidations += r.quantity / months;
    else if (r.usageType === 'Executions-CloudFrontFunctions') functions += r.quantity / months;
    else if (r.usageType.startsWith('Global-')) freeTier.push(perMonth);
    else other.push(perMonth);
  }
  const totalRequests = Object.values(requests).reduce((s, v) => s + (v ?? 0), 0);
  return {
    usage: {
      transferGbByGroup: transfer,
      requestsByGroup: requests,
      httpsShare: totalRequests > 0 ? Math.min(1, https / totalRequests) : 1,
      originShieldRequests: shield,
      invalidationPaths: invalidations,
      functionInvocations: functions,
      originTransferGbByGroup: origin,
    },
    other,
    freeTier,
  };
}

// ---------------------------------------------------------------------------------------------
// Levers

/** What else is known about the month beyond the billed usage; each missing field is an assumption. */
export interface UsageContext {
  /** Price class the usage was served under. */
  readonly priceClass: string;
  readonly catalog: Catalog;
  /** GB served per content type (from the access logs or the simulator). */
  readonly bytesByContentTypeGb?: Partial<Record<ContentTypeName, number>>;
  /** Distribution-wide cache hit ratio, 0–1 (CacheHitRate / 100). */
  readonly hitRatio?: number;
  /** Share of Origin Shield requests the shield answered (OriginShieldHit), 0–1. */
  readonly originShieldHitRatio?: number;
  /** Compressed over original size of the textual types' bodies, 0–1 (measured, or from the simulator's profile). */
  readonly compressedShare?: number;
}

export interface Lever {
  readonly id: 'price-class' | 'compression' | 'origin-shield' | 'hit-ratio' | 'free-tier';
  readonly title: string;
  /** Monthly effect in USD: positive saves (or is saved now), negative costs. */
  readonly monthlyUsd: number;
  readonly summary: string;
  readonly table?: { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };
  /** Inputs that were assumed rather than measured. */
  readonly assumptions: readonly string[];
}

/**
 * Compressed size as a share of the original for the textual types (JSON, CSS, JS, HTML) when the
 * edge compresses them — an assumption (gzip/Brotli typically remove 70–80 % of such text), not a
 * CloudFront rule; measure yours with `npm run compression`.
 */
export const ASSUMED_COMPRESSED_SHARE = 0.3;

/** Share of Origin Shield requests the shield answers, when not measured (an assumption). */
export const ASSUMED_SHIELD_HIT_RATIO = 0.5;

const usd = (v: number) => `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const gbText = (v: number) => `${Math.round(v).toLocaleString('en-US')} GB`;

function totalOf(m: Partial<Record<PriceRegionGroup, number>>): number {
  return PRICE_REGION_GROUPS.reduce((s, g) => s + (m[g] ?? 0), 0);
}

/** The usage with `deltaGb` added to (or, negative, removed from) transfer, spread like the existing transfer. */
export function withTransferDelta(usage: MonthlyUsage, deltaGb: number): MonthlyUsage {
  const total = totalOf(usage.transferGbByGroup);
  if (total === 0) return usage;
  const next: Partial<Record<PriceRegionGroup, number>> = {};
  for (const g of PRICE_REGION_GROUPS) {
    const v = usage.transferGbByGroup[g];
    if (v !== undefined) next[g] = Math.max(0, v + (deltaGb * v) / total);
  }
  return { ...usage, transferGbByGroup: next };
}

/** Moves each group's transfer and requests to the group it is billed at under `priceClass` (spec §13.6). */
export function rebillForPriceClass(usage: MonthlyUsage, priceClass: string): MonthlyUsage {
  const move = (m: Partial<Record<PriceRegionGroup, number>>) => {
    const out: Partial<Record<PriceRegionGroup, number>> = {};
    for (const g of PRICE_REGION_GROUPS) {
      const v = m[g];
      if (!v) continue;
      const to = billedGroupForPriceClass(g, priceClass);
      out[to] = (out[to] ?? 0) + v;
    }
    return out;
  };
  return { ...usage, transferGbByGroup: move(usage.transferGbByGroup), requestsByGroup: move(usage.requestsByGroup) };
}

export function priceClassLever(usage: MonthlyUsage, ctx: UsageContext): Lever {
  const current = monthlyCostUsd(rebillForPriceClass(usage, ctx.priceClass)).totalUsd;
  const total = totalOf(usage.transferGbByGroup);
  const rows = (['PriceClass_All', 'PriceClass_200', 'PriceClass_100'] as const).map((pc) => {
    const cost = monthlyCostUsd(rebillForPriceClass(usage, pc)).totalUsd;
    const outside = PRICE_REGION_GROUPS.filter((g) => !groupsInPriceClass(pc).includes(g) && (usage.transferGbByGroup[g] ?? 0) > 0);
    const share = total > 0 ? outside.reduce((s, g) => s + (usage.transferGbByGroup[g] ?? 0), 0) / total : 0;
    return { pc, cost, outside, share };
  });
  const best = rows.reduce((a, b) => (b.cost < a.cost ? b : a));
  const saving = current - best.cost;
  return {
    id: 'price-class',
    title: 'Price class',
    monthlyUsd: saving,
    summary: Math.round(saving * 100) > 0
      ? `${best.pc} would cost ${usd(saving)} less a month than ${ctx.priceClass}, but serves ${(best.share * 100).toFixed(1)}% of the traffic (${best.outside.join(', ')}) from farther edges, billed at the cheapest rate of the class (spec §13.6).`
      : `${ctx.priceClass} is already the cheapest class for this traffic mix.`,
    table: {
      headers: ['price class', 'monthly cost', 'vs current', 'traffic served from farther edges'],
      rows: rows.map((r) => [r.pc + (r.pc === ctx.priceClass ? ' (current)' : ''), usd(r.cost), usd(r.cost - current), r.outside.length ? `${(r.share * 100).toFixed(1)}% (${r.outside.join(', ')})` : '-']),
    },
    assumptions: ctx.priceClass === 'PriceClass_All' ? [] : [`usage billed under ${ctx.priceClass} already shows viewers outside it in the class's groups, so wider classes are underestimated`],
  };
}

export function compressionLever(usage: MonthlyUsage, ctx: UsageContext): Lever {
  const share = ctx.compressedShare ?? ASSUMED_COMPRESSED_SHARE;
  const assumptions = ctx.compressedShare === undefined ? [`compressed text is ${ASSUMED_COMPRESSED_SHARE * 100}% of its original size`] : [];
  if (!ctx.bytesByContentTypeGb) {
    return {
      id: 'compression', title: 'Compression', monthlyUsd: 0,
      summary: 'Needs the GB served per content type to value compression: give bytesByContentTypeGb in the --usage file (npm run report measures them from the access logs).',
      assumptions,
    };
  }
  const base = monthlyCostUsd(usage).totalUsd;
  const rows: string[][] = [];
  let realized = 0;
  let potential = 0;
  for (const t of ctx.catalog.types.filter((x) => x.textual)) {
    const gb = ctx.bytesByContentTypeGb[t.name] ?? 0;
    const compressed = t.routes.every((r) => r.compress);
    // Served bytes are already compressed when the routes compress: the uncompressed size is gb / share.
    const saved = compressed ? gb / share - gb : gb * (1 - share);
    const value = compressed
      ? monthlyCostUsd(withTransferDelta(usage, saved)).totalUsd - base
      : base - monthlyCostUsd(withTransferDelta(usage, -saved)).totalUsd;
    if (compressed) realized += value;
    else potential += value;
    rows.push([t.name, compressed ? 'on' : 'OFF', gbText(gb), gbText(saved), usd(value), compressed ? 'saved now' : 'could save']);
  }
  return {
    id: 'compression',
    title: 'Compression',
    monthlyUsd: realized + potential,
    summary: potential > 0
      ? `Edge compression saves ${usd(realized)} a month; turning it on for the remaining textual routes would save ${usd(potential)} more.`
      : `Edge compression of the textual types saves ${usd(realized)} a month of transfer (every textual route compresses).`,
    table: { headers: ['content type', 'compress', 'GB served', 'GB saved', 'USD', ''], rows },
    assumptions,
  };
}

export function originShieldLever(usage: MonthlyUsage, ctx: UsageContext): Lever {
  const requests = usage.originShieldRequests ?? 0;
  const cost = (requests / 10_000) * OTHER_PRICES.originShieldPer10k;
  const ratio = ctx.originShieldHitRatio ?? ASSUMED_SHIELD_HIT_RATIO;
  const avoided = requests * ratio;
  const breakEvenPer10k = ratio > 0 ? OTHER_PRICES.originShieldPer10k / ratio : Infinity;
  return {
    id: 'origin-shield',
    title: 'Origin Shield',
    monthlyUsd: -cost,
    summary: requests === 0
      ? 'No incremental Origin Shield requests were billed.'
      : `Origin Shield costs ${usd(cost)} a month for ${Math.round(requests).toLocaleString('en-US')} incremental requests and spares the origins about ` +
        `${Math.round(avoided).toLocaleString('en-US')} fetches; it pays for itself when an origin fetch costs more than $${breakEvenPer10k.toFixed(4)} per 10,000 ` +
        '(S3 origins also gain fewer GET requests and less load; transfer from AWS origins to CloudFront is free, spec §13.1).',
    table: {
      headers: ['incremental shield requests', 'cost', 'shield hit ratio', 'origin fetches avoided', 'break-even origin cost per 10k'],
      rows: [[Math.round(requests).toLocaleString('en-US'), usd(cost), `${(ratio * 100).toFixed(0)}%`, Math.round(avoided).toLocaleString('en-US'), `$${breakEvenPer10k.toFixed(4)}`]],
    },
    assumptions: ctx.originShieldHitRatio === undefined ? [`${ASSUMED_SHIELD_HIT_RATIO * 100}% of shield requests are shield hits (measure OriginShieldHit in the logs)`] : [],
  };
}

export function hitRatioLever(usage: MonthlyUsage, ctx: UsageContext): Lever {
  const requests = totalOf(usage.requestsByGroup);
  const transfer = totalOf(usage.transferGbByGroup);
  const assumed = ctx.hitRatio === undefined;
  const lowestTarget = Math.min(...ctx.catalog.types.map((t) => t.targetHitRatio));
  const h = ctx.hitRatio ?? lowestTarget;
  const shield = usage.originShieldRequests ?? 0;
  // Shield requests are edge misses from other Regions (spec §9.4): one point of hit ratio removes
  // 1/(1-h) of a point's share of them.
  const shieldSaved = h < 1 ? (shield * 0.01) / (1 - h) : 0;
  const saving = (shieldSaved / 10_000) * OTHER_PRICES.originShieldPer10k;
  const fetches = requests * 0.01;
  const originGb = transfer * 0.01;
  return {
    id: 'hit-ratio',
    title: 'Hit ratio',
    monthlyUsd: saving,
    summary: `Each point of hit ratio above ${(h * 100).toFixed(1)}% saves ${usd(saving)} a month of Origin Shield requests and spares the origins ` +
      `${Math.round(fetches).toLocaleString('en-US')} fetches and about ${gbText(originGb)}; viewer transfer and request fees do not change with the hit ratio.`,
    table: {
      headers: ['hit ratio now', 'shield requests saved per point', 'USD per point', 'origin fetches saved per point', 'origin GB saved per point'],
      rows: [[`${(h * 100).toFixed(1)}%`, Math.round(shieldSaved).toLocaleString('en-US'), usd(saving), Math.round(fetches).toLocaleString('en-US'), gbText(originGb)]],
    },
    assumptions: assumed ? [`hit ratio taken as the lowest catalog target, ${(lowestTarget * 100).toFixed(0)}%`, 'origin bytes scale with missed requests'] : ['origin bytes scale with missed requests'],
  };
}

export function freeTierLever(usage: MonthlyUsage): Lever {
  const withFree = monthlyCostUsd(usage).totalUsd;
  const without = monthlyCostUsd({ ...usage, applyFreeTier: false }).totalUsd;
  const used = (v: number, cap: number) => `${Math.round(Math.min(v, cap)).toLocaleString('en-US')} of ${cap.toLocaleString('en-US')} (${Math.min(100, (100 * v) / cap).toFixed(0)}%)`;
  return {
    id: 'free-tier',
    title: 'Free tier',
    monthlyUsd: without - withFree,
    summary: `The always-free tier (spec §13.1) takes ${usd(without - withFree)} off the month.`,
    table: {
      headers: ['allowance', 'used'],
      rows: [
        ['transfer out, GB', used(totalOf(usage.transferGbByGroup), FREE_TIER.transferGb)],
        ['requests', used(totalOf(usage.requestsByGroup), FREE_TIER.requests)],
        ['CloudFront Functions invocations', used(usage.functionInvocations ?? 0, FREE_TIER.functionInvocations)],
        ['invalidation paths', used(usage.invalidationPaths ?? 0, FREE_TIER.invalidationPaths)],
      ],
    },
    assumptions: ['free transfer and requests allocated across groups in the spec\'s column order [unverified how AWS allocates them]'],
  };
}

/** Every lever, in the order docs/cost-analysis.md presents them. */
export function optimizationLevers(usage: MonthlyUsage, ctx: UsageContext): Lever[] {
  return [priceClassLever(usage, ctx), compressionLever(usage, ctx), originShieldLever(usage, ctx), hitRatioLever(usage, ctx), freeTierLever(usage)];
}
