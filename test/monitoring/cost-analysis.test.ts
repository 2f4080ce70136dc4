import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import {
  compressionLever, freeTierLever, hitRatioLever, optimizationLevers, originShieldLever, priceClassLever, rebillForPriceClass,
  usageFromCostExplorer, withTransferDelta, type MonthlyUsage, type UsageContext,
} from '../../lib/monitoring/cost-analysis';
import { monthlyCostUsd, tieredTransferCostUsd, requestCostUsd } from '../../lib/semantics/pricing';

const catalog = resolveCatalog();
const ctx = (over: Partial<UsageContext> = {}): UsageContext => ({ priceClass: 'PriceClass_All', catalog, ...over });
const cents = (v: number) => Math.round(v * 100) / 100;

describe('cost analysis: Cost Explorer rows to usage', () => {
  const rows = [
    { usageType: 'US-DataTransfer-Out-Bytes', quantity: 3000, usd: 255 },
    { usageType: 'CA-DataTransfer-Out-Bytes', quantity: 1000, usd: 85 },
    { usageType: 'ME-DataTransfer-Out-Bytes', quantity: 200, usd: 22 },
    { usageType: 'ZA-DataTransfer-Out-Bytes', quantity: 100, usd: 11 },
    { usageType: 'EU-DataTransfer-Out-OBytes', quantity: 50, usd: 1 },
    { usageType: 'US-Requests-Tier2-HTTPS', quantity: 30_000_000, usd: 30 },
    { usageType: 'US-Requests-Tier1', quantity: 10_000_000, usd: 7.5 },
    { usageType: 'EU-Requests-HTTPS-Proxy', quantity: 2_000_000, usd: 2.4 },
    { usageType: 'USE1-Requests-OriginShield', quantity: 4_000_000, usd: 3.6 },
    { usageType: 'Invalidations', quantity: 1500, usd: 2.5 },
    { usageType: 'Executions-CloudFrontFunctions', quantity: 6_000_000, usd: 0.6 },
    { usageType: 'Global-DataTransfer-Out-Bytes', quantity: 1024, usd: 0 },
    { usageType: 'SSL-Cert-Custom', quantity: 1, usd: 600 },
  ];

  it('maps usage types onto price groups, per month', () => {
    const { usage, other, freeTier } = usageFromCostExplorer(rows, 2);
    expect(usage.transferGbByGroup).to.deep.equal({ US: 2000, ZA_ME: 150 });
    expect(usage.originTransferGbByGroup).to.deep.equal({ EU: 25 });
    expect(usage.requestsByGroup).to.deep.equal({ US: 20_000_000, EU: 1_000_000 });
    expect(usage.httpsShare).to.equal(16_000_000 / 21_000_000);
    expect(usage).to.deep.include({ originShieldRequests: 2_000_000, invalidationPaths: 750, functionInvocations: 3_000_000 });
    expect(other).to.deep.equal([{ usageType: 'SSL-Cert-Custom', quantity: 0.5, usd: 300 }]);
    expect(freeTier.map((r) => r.usageType)).to.deep.equal(['Global-DataTransfer-Out-Bytes']);
  });

  it('rejects a range of no months', () => {
    expect(() => usageFromCostExplorer(rows, 0)).to.throw(/months must be > 0, got 0/);
  });
});

describe('cost analysis: optimization levers', () => {
  // 20 TB in the US, 10 TB in South America, 5 TB in Australia; 100 M requests in the US.
  const usage: MonthlyUsage = {
    transferGbByGroup: { US: 20_000, SA: 10_000, AU: 5_000 },
    requestsByGroup: { US: 100_000_000 },
    originShieldRequests: 2_000_000,
    applyFreeTier: false,
  };

  it('bills viewers outside the price class at the cheapest group of the class', () => {
    expect(rebillForPriceClass(usage, 'PriceClass_200').transferGbByGroup).to.deep.equal({ US: 35_000 });
    expect(rebillForPriceClass(usage, 'PriceClass_All').transferGbByGroup).to.deep.equal(usage.transferGbByGroup);
  });

  it('prices each price class and names the traffic that moves to farther edges', () => {
    const lever = priceClassLever(usage, ctx());
    const all = monthlyCostUsd(usage).totalUsd;
    const us35 = tieredTransferCostUsd('US', 35_000) + requestCostUsd('US', 100_000_000, true) + 0.009 * 200;
    expect(cents(lever.monthlyUsd)).to.equal(cents(all - us35));
    expect(lever.table!.rows.map((r) => r[0])).to.deep.equal(['PriceClass_All (current)', 'PriceClass_200', 'PriceClass_100']);
    expect(lever.table!.rows[1]![3]).to.equal('42.9% (SA, AU)');
    expect(lever.summary).to.match(/^PriceClass_200 would cost \$[\d,.]+ less a month than PriceClass_All/);
  });

  it('values compression as the transfer of the bytes it removed', () => {
    const lever = compressionLever(usage, ctx({ bytesByContentTypeGb: { metadata: 300, static: 0, api: 0 }, compressedShare: 0.25 }));
    // 300 GB served compressed at 25 % were 1,200 GB: 900 GB saved, spread over US/SA/AU like the transfer.
    const base = monthlyCostUsd(usage).totalUsd;
    expect(cents(lever.monthlyUsd)).to.equal(cents(monthlyCostUsd(withTransferDelta(usage, 900)).totalUsd - base));
    expect(lever.table!.rows[0]).to.deep.equal(['metadata', 'on', '300 GB', '900 GB', `$${cents(lever.monthlyUsd).toFixed(2)}`, 'saved now']);
    expect(lever.assumptions).to.deep.equal([]);
  });

  it('counts what compressing an uncompressed textual route would save', () => {
    const off = resolveCatalog({ metadata: { compress: false } });
    const lever = compressionLever(usage, { priceClass: 'PriceClass_All', catalog: off, bytesByContentTypeGb: { metadata: 1000 } });
    expect(lever.table!.rows[0]!.slice(0, 4)).to.deep.equal(['metadata', 'OFF', '1,000 GB', '700 GB']);
    expect(lever.summary).to.match(/would save \$[\d,.]+ more/);
    expect(lever.assumptions).to.deep.equal(['compressed text is 30% of its original size']);
  });

  it('says what compression needs when per-type bytes are unknown', () => {
    expect(compressionLever(usage, ctx()).summary).to.match(/Needs the GB served per content type/);
  });

  it('prices Origin Shield and its break-even origin fetch cost', () => {
    const lever = originShieldLever(usage, ctx({ originShieldHitRatio: 0.25 }));
    expect(cents(lever.monthlyUsd)).to.equal(-1.8); // 2 M requests × $0.009 per 10,000
    expect(lever.table!.rows[0]).to.deep.equal(['2,000,000', '$1.80', '25%', '500,000', '$0.0360']);
    expect(originShieldLever(usage, ctx()).assumptions).to.deep.equal(['50% of shield requests are shield hits (measure OriginShieldHit in the logs)']);
  });

  it('values a point of hit ratio as the shield requests it removes', () => {
    const lever = hitRatioLever(usage, ctx({ hitRatio: 0.9 }));
    // 1 point of 10 points of misses: 2 M × 0.01 / 0.1 = 200,000 shield requests = $0.18.
    expect(cents(lever.monthlyUsd)).to.equal(0.18);
    expect(lever.table!.rows[0]).to.deep.equal(['90.0%', '200,000', '$0.18', '1,000,000', '350 GB']);
    expect(hitRatioLever(usage, ctx()).assumptions[0]).to.equal('hit ratio taken as the lowest catalog target, 80%');
  });

  it('values the free tier as the bill without it minus the bill with it', () => {
    const free = { ...usage, applyFreeTier: true };
    const lever = freeTierLever(free);
    expect(cents(lever.monthlyUsd)).to.equal(cents(monthlyCostUsd({ ...usage, applyFreeTier: false }).totalUsd - monthlyCostUsd(free).totalUsd));
    expect(lever.table!.rows[0]).to.deep.equal(['transfer out, GB', '1,024 of 1,024 (100%)']);
    expect(lever.table!.rows[2]).to.deep.equal(['CloudFront Functions invocations', '0 of 2,000,000 (0%)']);
  });

  it('lists the five levers in order', () => {
    expect(optimizationLevers(usage, ctx()).map((l) => l.id)).to.deep.equal(['price-class', 'compression', 'origin-shield', 'hit-ratio', 'free-tier']);
  });
});
