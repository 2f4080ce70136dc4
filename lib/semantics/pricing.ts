/**
 * CloudFront pay-as-you-go list prices and the monthly cost formula (spec §13, §8.5, §9.4).
 *
 * Prices: list prices as of the spec, 2026, in USD. They change; re-check before relying on them.
 * Sources: https://aws.amazon.com/cloudfront/pricing/ ,
 * https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/cloudfront.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html ,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_cloudfront.PriceClass.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/origin-shield.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PayingForInvalidation.html ,
 * https://cur.vantage.sh/aws/amazoncloudfront/ ,
 * https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/
 *
 * Every price and free allowance the project uses is defined here, once.
 */
import { showValue } from './format';

/** Bytes in one billed "GB": AWS bills data transfer in GiB, 2^30 bytes (spec §0 [3p]); sizes in the catalog use decimal GB (lib/catalog `GB`). */
export const GIB = 2 ** 30;

/** Data-transfer price groups (spec §13.2 columns; §14 usage-type prefixes). */
export type PriceRegionGroup = 'US' | 'EU' | 'ZA_ME' | 'SA' | 'JP' | 'AU' | 'AP' | 'IN';

/** All price groups in the spec's column order, also the default free-tier allocation order (spec §13.1, §13.2). */
export const PRICE_REGION_GROUPS: readonly PriceRegionGroup[] = Object.freeze(['US', 'EU', 'ZA_ME', 'SA', 'JP', 'AU', 'AP', 'IN']);

/** Human labels of the price groups (spec §13.2 column headings). */
export const PRICE_REGION_GROUP_LABELS: Readonly<Record<PriceRegionGroup, string>> = Object.freeze({
  US: 'United States, Mexico, Canada',
  EU: 'Europe, Israel, Türkiye',
  ZA_ME: 'South Africa, Kenya, Nigeria, Middle East',
  SA: 'South America',
  JP: 'Japan',
  AU: 'Australia, New Zealand',
  AP: 'Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, Thailand, Malaysia, Vietnam',
  IN: 'India',
});

/**
 * Upper bounds of the monthly data-transfer tiers, in GB, counted per group (spec §13.2):
 * 10 TB, +40 TB, +100 TB, +350 TB, +524 TB, +4 PB; above 5 PB the last price applies.
 */
export const TRANSFER_TIER_BOUNDARIES_GB: readonly number[] = Object.freeze([10_240, 51_200, 153_600, 512_000, 1_048_576, 5_242_880]);

/**
 * Price per GB for each tier of {@link TRANSFER_TIER_BOUNDARIES_GB} plus the "over 5 PB" tier
 * (7 values per group; spec §13.2 [doc]).
 */
export const TRANSFER_PRICE_PER_GB: Readonly<Record<PriceRegionGroup, readonly number[]>> = Object.freeze({
  US: Object.freeze([0.085, 0.08, 0.06, 0.04, 0.03, 0.025, 0.02]),
  EU: Object.freeze([0.085, 0.08, 0.06, 0.04, 0.03, 0.025, 0.02]),
  ZA_ME: Object.freeze([0.11, 0.105, 0.09, 0.08, 0.06, 0.05, 0.04]),
  SA: Object.freeze([0.11, 0.105, 0.09, 0.08, 0.06, 0.05, 0.04]),
  JP: Object.freeze([0.114, 0.089, 0.086, 0.084, 0.08, 0.07, 0.06]),
  AU: Object.freeze([0.114, 0.098, 0.094, 0.092, 0.09, 0.085, 0.08]),
  AP: Object.freeze([0.12, 0.1, 0.095, 0.09, 0.08, 0.07, 0.06]),
  IN: Object.freeze([0.109, 0.085, 0.082, 0.08, 0.078, 0.075, 0.072]),
});

/** Request price rows per 10,000 requests (spec §13.3 [3p]). */
export const REQUEST_PRICE_ROWS = Object.freeze({
  US: Object.freeze({ http: 0.0075, https: 0.01 }),
  EU: Object.freeze({ http: 0.009, https: 0.012 }),
  AU: Object.freeze({ http: 0.009, https: 0.0125 }),
  SA: Object.freeze({ http: 0.016, https: 0.022 }),
});

/**
 * Which §13.3 request-price row each group uses: ZA/ME, JP, AP and IN share the Europe row (spec
 * §13.3); AU and SA have their own rows; US covers US/Canada (Mexico [unverified]).
 */
export const REQUEST_PRICE_ROW_OF: Readonly<Record<PriceRegionGroup, keyof typeof REQUEST_PRICE_ROWS>> = Object.freeze({
  US: 'US',
  EU: 'EU',
  ZA_ME: 'EU',
  SA: 'SA',
  JP: 'EU',
  AU: 'AU',
  AP: 'EU',
  IN: 'EU',
});

/**
 * Data transfer out to origin (POST/PUT bodies, WebSocket upstream), USD per GB (spec §13.4):
 * US and AP [3p verified]; the others [unverified].
 */
export const ORIGIN_TRANSFER_PRICE_PER_GB: Readonly<Record<PriceRegionGroup, number>> = Object.freeze({
  US: 0.02,
  EU: 0.02,
  ZA_ME: 0.06,
  SA: 0.125,
  JP: 0.06,
  AU: 0.08,
  AP: 0.06,
  IN: 0.16,
});

/** Other unit prices (spec §13.5, §9.4). */
export const OTHER_PRICES = Object.freeze({
  /** Origin Shield, USD per 10,000 incremental requests (us-east-1 / ap-northeast-2 [3p]; other Regions [unverified]). */
  originShieldPer10k: 0.009,
  /** CloudFront Functions, USD per 1,000,000 invocations [3p]. */
  functionsPerMillion: 0.1,
  /** Invalidation paths beyond the free {@link FREE_TIER} `invalidationPaths` a month, USD per path (wildcards and `#tag` items count as one) [doc]. */
  invalidationPerPath: 0.005,
  /** Real-time logs, USD per 1,000,000 log lines [doc]. */
  realtimeLogsPerMillion: 0.01,
  /** Field-level encryption, USD per 10,000 requests on top of the HTTPS fee [doc]. */
  fieldLevelEncryptionPer10k: 0.02,
  /** Dedicated-IP custom SSL certificate, USD per month [doc]. */
  dedicatedIpCertificatePerMonth: 600,
  /** Cost Explorer API, USD per request (each page is a request; spec §14) [doc]. */
  costExplorerPerRequest: 0.01,
});

/**
 * S3 prices of the regional origins (`media-cdn:originRegions`), US East (N. Virginia) list prices,
 * https://aws.amazon.com/s3/pricing/ [doc]: S3 Standard storage (first 50 TB a month) per GB-month; data
 * transfer out of S3 to another AWS Region per GB, which cross-Region replication pays for each
 * replicated byte (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html, "Replication
 * costs"); PUT requests per 1,000 (a replica write is one PUT). Other source Regions and storage in
 * other Regions cost somewhat more [unverified]: one figure per item.
 */
export const S3_REPLICA_PRICES = Object.freeze({
  storagePerGbMonth: 0.023,
  interRegionTransferPerGb: 0.02,
  putPer1000: 0.005,
});

/** What the regional copies of the S3 origins hold and receive in a month. */
export interface RegionalOriginUsage {
  /** Regions with a copy, besides aws:region (and the failover replica, which is billed the same way but exists without them). */
  readonly regions: number;
  /** GB stored in each copy (the primary buckets' size). */
  readonly storedGb: number;
  /** GB of new object versions a month, replicated to each copy. */
  readonly replicatedGb: number;
  /** New object versions a month (one replication PUT per copy each). */
  readonly replicatedObjects: number;
}

/** The month's cost lines of the regional copies: storage, inter-Region transfer and replication PUTs, per all copies. */
export function regionalOriginCostLines(u: RegionalOriginUsage): CostLine[] {
  const fn = 'regionalOriginCostLines';
  for (const [k, v] of Object.entries(u)) assertNonNegative(fn, k, v as number);
  if (u.regions === 0) return [];
  const lines: CostLine[] = [];
  const stored = u.regions * u.storedGb;
  if (stored > 0) lines.push({ item: 'Regional origin storage (S3 Standard)', quantity: stored, unit: 'GB-month', usd: stored * S3_REPLICA_PRICES.storagePerGbMonth });
  const moved = u.regions * u.replicatedGb;
  if (moved > 0) lines.push({ item: 'Replication transfer (inter-Region)', quantity: moved, unit: 'GB', usd: moved * S3_REPLICA_PRICES.interRegionTransferPerGb });
  const puts = u.regions * u.replicatedObjects;
  if (puts > 0) lines.push({ item: 'Replication PUT requests', quantity: puts, unit: 'requests', usd: (puts / 1000) * S3_REPLICA_PRICES.putPer1000 });
  return lines;
}

/**
 * The always-free monthly tier per account (spec §13.1): 1 TB transfer out (taken as 1,024 GB
 * [unverified]), 10,000,000 HTTP/HTTPS requests, 2,000,000 CloudFront Functions invocations,
 * 1,000 invalidation paths (spec §8.5).
 */
export const FREE_TIER = Object.freeze({
  transferGb: 1_024,
  requests: 10_000_000,
  functionInvocations: 2_000_000,
  invalidationPaths: 1_000,
});

/** Free invalidation paths left in the month after `alreadyUsedThisMonth` (spec §8.5). */
export function freeInvalidationPathsLeft(alreadyUsedThisMonth: number): number {
  return Math.max(0, FREE_TIER.invalidationPaths - alreadyUsedThisMonth);
}

/**
 * Cost in USD of `paths` invalidation paths (wildcards and `#tag` items count as one each) when
 * `alreadyUsedThisMonth` paths were already submitted this month by the account (spec §8.5): the
 * first {@link FREE_TIER} `invalidationPaths` a month are free, then {@link OTHER_PRICES}
 * `invalidationPerPath` each. Computed in integer tenths of a cent, so the result is exact to the
 * cent. Throws a RangeError for negative or non-integer counts.
 */
export function invalidationCostUsd(paths: number, alreadyUsedThisMonth: number): number {
  for (const [name, v] of [
    ['paths', paths],
    ['alreadyUsedThisMonth', alreadyUsedThisMonth],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`invalidationCostUsd: ${name} must be a non-negative integer, got ${showValue(v)}.`);
    }
  }
  const billable = Math.max(0, paths - freeInvalidationPathsLeft(alreadyUsedThisMonth));
  return (billable * Math.round(OTHER_PRICES.invalidationPerPath * 1000)) / 1000;
}

function assertNonNegative(fn: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${fn}: ${name} must be a finite number ≥ 0, got ${showValue(v)}.`);
  }
}

function assertGroup(fn: string, group: string): asserts group is PriceRegionGroup {
  if (!(PRICE_REGION_GROUPS as readonly string[]).includes(group)) {
    throw new RangeError(`${fn}: unknown price group ${showValue(group)}; use one of ${PRICE_REGION_GROUPS.join(', ')}.`);
  }
}

/**
 * Cost of `gb` GB transferred out to viewers in one price group in one month, walking the group's
 * tiers (spec §13.2; tiers are counted separately per group). Throws a RangeError for negative
 * or non-finite input or an unknown group.
 */
export function tieredTransferCostUsd(group: PriceRegionGroup, gb: number): number {
  assertGroup('tieredTransferCostUsd', group);
  assertNonNegative('tieredTransferCostUsd', 'gb', gb);
  const prices = TRANSFER_PRICE_PER_GB[group];
  let cost = 0;
  let lower = 0;
  for (let i = 0; i < prices.length; i++) {
    const upper = TRANSFER_TIER_BOUNDARIES_GB[i] ?? Infinity;
    if (gb <= lower) break;
    cost += (Math.min(gb, upper) - lower) * prices[i]!;
    lower = upper;
  }
  return cost;
}

/**
 * Cost of `count` requests in a price group (spec §13.3): per 10,000, at the HTTPS or HTTP rate of
 * the group's row ({@link REQUEST_PRICE_ROW_OF}). Proxy-method requests bill at the same rates
 * (confirmed for US HTTPS only).
 */
export function requestCostUsd(group: PriceRegionGroup, count: number, https: boolean): number {
  assertGroup('requestCostUsd', group);
  assertNonNegative('requestCostUsd', 'count', count);
  const row = REQUEST_PRICE_ROWS[REQUEST_PRICE_ROW_OF[group]];
  return (count / 10_000) * (https ? row.https : row.http);
}

/** Monthly usage for {@link monthlyCostUsd} (spec §13.8). */
export interface MonthlyUsage {
  /** GB transferred out to viewers, per price group. */
  readonly transferGbByGroup: Partial<Record<PriceRegionGroup, number>>;
  /** Viewer requests (HTTP + HTTPS), per price group. */
  readonly requestsByGroup: Partial<Record<PriceRegionGroup, number>>;
  /** Share of requests that are HTTPS, 0–1. @default 1 */
  readonly httpsShare?: number;
  /** Incremental Origin Shield requests (spec §9.4). @default 0 */
  readonly originShieldRequests?: number;
  /** Invalidation paths (incl. wildcards and #tags) submitted this month, account-wide. @default 0 */
  readonly invalidationPaths?: number;
  /** CloudFront Functions invocations. @default 0 */
  readonly functionInvocations?: number;
  /** GB sent to the origin (POST/PUT bodies), per price group (spec §13.4). @default {} */
  readonly originTransferGbByGroup?: Partial<Record<PriceRegionGroup, number>>;
  /** The regional copies of the S3 origins (storage, replication transfer and PUTs). @default none */
  readonly regionalOrigins?: RegionalOriginUsage;
  /** Apply the always-free tier (spec §13.1). @default true */
  readonly applyFreeTier?: boolean;
  /**
   * Order in which the free transfer GB and free requests are allocated across groups. How AWS
   * allocates them is [unverified] (spec §13.1); the default is the spec's column order
   * {@link PRICE_REGION_GROUPS} (US, EU, ZA_ME, SA, JP, AU, AP, IN).
   */
  readonly freeTierOrder?: readonly PriceRegionGroup[];
}

/** One line of a {@link monthlyCostUsd} estimate (spec §13.8). */
export interface CostLine {
  /** What is billed, e.g. "Data transfer out". */
  item: string;
  /** Price group, when the line is per group. */
  group?: string;
  /** Billed quantity in `unit`. */
  quantity: number;
  /** Unit of `quantity`: 'GB', 'GB-month', 'requests', 'paths', 'invocations'. */
  unit: string;
  /** Cost in USD (0 for free-tier lines). */
  usd: number;
}

/**
 * Estimates a month's pay-as-you-go bill (spec §13.8): per-group tiered transfer, per-group request
 * fees split by `httpsShare`, origin transfer, Origin Shield, invalidations (first 1,000 paths
 * free) and CloudFront Functions, minus the always-free tier (1 TB transfer, 10 M requests, 2 M
 * function invocations). Free transfer and requests are allocated across groups in
 * `freeTierOrder` (default US, EU, ZA_ME, SA, JP, AU, AP, IN — the allocation order is
 * [unverified]); the free GB are removed before tiering (billed usage is "beyond the global free
 * tier"), and free requests are split between HTTP and HTTPS by `httpsShare`. Lines with zero
 * quantity are omitted; free-tier lines have `usd: 0`.
 */
export function monthlyCostUsd(usage: MonthlyUsage): { totalUsd: number; lines: CostLine[] } {
  const fn = 'monthlyCostUsd';
  const httpsShare = usage.httpsShare ?? 1;
  assertNonNegative(fn, 'httpsShare', httpsShare);
  if (httpsShare > 1) throw new RangeError(`${fn}: httpsShare must be between 0 and 1, got ${showValue(httpsShare)}.`);
  const applyFree = usage.applyFreeTier ?? true;
  const order = usage.freeTierOrder ?? PRICE_REGION_GROUPS;
  const ordered = [...order, ...PRICE_REGION_GROUPS.filter((g) => !order.includes(g))];
  const lines: CostLine[] = [];

  let freeGb = applyFree ? FREE_TIER.transferGb : 0;
  for (const group of ordered) {
    const gb = usage.transferGbByGroup[group] ?? 0;
    assertNonNegative(fn, `transferGbByGroup.${group}`, gb);
    if (gb === 0) continue;
    const free = Math.min(gb, freeGb);
    freeGb -= free;
    if (free > 0) lines.push({ item: 'Data transfer out (free tier)', group, quantity: free, unit: 'GB', usd: 0 });
    const billable = gb - free;
    if (billable > 0) {
      lines.push({ item: 'Data transfer out', group, quantity: billable, unit: 'GB', usd: tieredTransferCostUsd(group, billable) });
    }
  }

  let freeReq = applyFree ? FREE_TIER.requests : 0;
  for (const group of ordered) {
    const count = usage.requestsByGroup[group] ?? 0;
    assertNonNegative(fn, `requestsByGroup.${group}`, count);
    if (count === 0) continue;
    const free = Math.min(count, freeReq);
    freeReq -= free;
    if (free > 0) lines.push({ item: 'Requests (free tier)', group, quantity: free, unit: 'requests', usd: 0 });
    const billable = count - free;
    const https = billable * httpsShare;
    const http = billable - https;
    if (https > 0) lines.push({ item: 'HTTPS requests', group, quantity: https, unit: 'requests', usd: requestCostUsd(group, https, true) });
    if (http > 0) lines.push({ item: 'HTTP requests', group, quantity: http, unit: 'requests', usd: requestCostUsd(group, http, false) });
  }

  for (const group of PRICE_REGION_GROUPS) {
    const gb = usage.originTransferGbByGroup?.[group] ?? 0;
    assertNonNegative(fn, `originTransferGbByGroup.${group}`, gb);
    if (gb > 0) {
      lines.push({ item: 'Data transfer out to origin', group, quantity: gb, unit: 'GB', usd: gb * ORIGIN_TRANSFER_PRICE_PER_GB[group] });
    }
  }

  const shield = usage.originShieldRequests ?? 0;
  assertNonNegative(fn, 'originShieldRequests', shield);
  if (shield > 0) {
    lines.push({ item: 'Origin Shield requests', quantity: shield, unit: 'requests', usd: (shield / 10_000) * OTHER_PRICES.originShieldPer10k });
  }

  const paths = usage.invalidationPaths ?? 0;
  assertNonNegative(fn, 'invalidationPaths', paths);
  if (paths > 0) {
    const usd = invalidationCostUsd(Math.ceil(paths), applyFree ? 0 : FREE_TIER.invalidationPaths);
    lines.push({ item: 'Invalidation paths', quantity: paths, unit: 'paths', usd });
  }

  const inv = usage.functionInvocations ?? 0;
  assertNonNegative(fn, 'functionInvocations', inv);
  if (inv > 0) {
    const free = applyFree ? Math.min(inv, FREE_TIER.functionInvocations) : 0;
    if (free > 0) lines.push({ item: 'CloudFront Functions invocations (free tier)', quantity: free, unit: 'invocations', usd: 0 });
    const billable = inv - free;
    if (billable > 0) {
      lines.push({
        item: 'CloudFront Functions invocations',
        quantity: billable,
        unit: 'invocations',
        usd: (billable / 1_000_000) * OTHER_PRICES.functionsPerMillion,
      });
    }
  }

  if (usage.regionalOrigins) lines.push(...regionalOriginCostLines(usage.regionalOrigins));

  const totalUsd = lines.reduce((s, l) => s + l.usd, 0);
  return { totalUsd, lines };
}

/** Price classes (spec §13.6; `None` is in the API enum but undocumented). */
export type PriceClass = 'PriceClass_All' | 'PriceClass_200' | 'PriceClass_100' | 'None';

/**
 * The price groups whose edges a price class uses (spec §13.6): `PriceClass_All` — all;
 * `PriceClass_200` — all except South America and Australia/NZ; `PriceClass_100` — US (North
 * America) and Europe/Israel. `None` is undocumented and is treated as all groups [inferred].
 * Throws a RangeError for any other value.
 */
export function groupsInPriceClass(priceClass: PriceClass | string): readonly PriceRegionGroup[] {
  switch (priceClass) {
    case 'PriceClass_All':
    case 'None':
      return PRICE_REGION_GROUPS;
    case 'PriceClass_200':
      return PRICE_REGION_GROUPS.filter((g) => g !== 'SA' && g !== 'AU');
    case 'PriceClass_100':
      return ['US', 'EU'];
    default:
      throw new RangeError(
        `groupsInPriceClass: unknown price class ${showValue(priceClass)}; use PriceClass_All, PriceClass_200, PriceClass_100 or None.`,
      );
  }
}

/**
 * The group a viewer's traffic is billed at under a price class (spec §13.6, [doc-2023]): its own
 * group when the class includes it, otherwise the cheapest group of the class (by first-tier
 * transfer price; ties go to the earlier group in {@link PRICE_REGION_GROUPS}).
 */
export function billedGroupForPriceClass(viewerGroup: PriceRegionGroup, priceClass: PriceClass | string): PriceRegionGroup {
  const groups = groupsInPriceClass(priceClass);
  if (groups.includes(viewerGroup)) return viewerGroup;
  let best = groups[0]!;
  for (const g of groups) {
    if (TRANSFER_PRICE_PER_GB[g][0]! < TRANSFER_PRICE_PER_GB[best][0]!) best = g;
  }
  return best;
}

/**
 * Athena (SQL engine v3, per-query pricing), us-east-1 list prices: $5 per TB of data scanned, each
 * query's bytes rounded up to the next MB with a 10 MB minimum; DDL and failed queries are free.
 * Binary units, as AWS bills data volumes (see GIB).
 * Source: https://aws.amazon.com/athena/pricing/
 */
export const ATHENA_PRICES = Object.freeze({
  perTbScannedUsd: 5,
  minimumBytesPerQuery: 10 * 2 ** 20,
  roundingBytes: 2 ** 20,
});

/** The price of one Athena query that scanned `bytesScanned` bytes. */
export function athenaQueryCostUsd(bytesScanned: number): number {
  const billed = Math.max(ATHENA_PRICES.minimumBytesPerQuery, Math.ceil(bytesScanned / ATHENA_PRICES.roundingBytes) * ATHENA_PRICES.roundingBytes);
  return (billed / 2 ** 40) * ATHENA_PRICES.perTbScannedUsd;
}
