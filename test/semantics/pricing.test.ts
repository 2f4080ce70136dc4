import { expect } from 'chai';
import {
  billedGroupForPriceClass,
  GIB,
  groupsInPriceClass,
  monthlyCostUsd,
  requestCostUsd,
  tieredTransferCostUsd,
  type MonthlyUsage,
  type PriceRegionGroup,
} from '../../lib/semantics';

const EPS = 1e-9;

describe('semantics/pricing (spec §13)', () => {
  it('bills GB as 2^30 bytes', () => expect(GIB).to.equal(1_073_741_824));

  describe('tieredTransferCostUsd (spec §13.2)', () => {
    const cases: [PriceRegionGroup, number, number, string][] = [
      ['US', 0, 0, 'nothing transferred costs nothing'],
      ['US', 10_240, 870.4, 'the first 10 TB (10,240 GB) are at $0.085'],
      ['US', 10_241, 870.48, 'GB 10,241 is billed at the second tier ($0.080)'],
      ['EU', 51_200, 4147.2, 'the 51,200 GB boundary closes the second tier'],
      ['IN', 1000, 109, 'India first tier is $0.109'],
      ['JP', 20_000, 2036, 'Japan tiers: 10,240 at $0.114 + 9,760 at $0.089'],
      ['SA', 10_240, 1126.4, 'South America first tier is $0.110'],
      ['US', 6_000_000, 160_724.48, 'over 5 PB walks all seven tiers'],
    ];
    for (const [group, gb, usd, name] of cases) it(name, () => expect(tieredTransferCostUsd(group, gb)).to.be.closeTo(usd, EPS));

    it('rejects negative volumes and unknown groups', () => {
      expect(() => tieredTransferCostUsd('US', -1)).to.throw(RangeError, /gb must be a finite number ≥ 0, got -1/);
      expect(() => tieredTransferCostUsd('XX' as PriceRegionGroup, 1)).to.throw(RangeError, /unknown price group 'XX'/);
    });
  });

  describe('requestCostUsd (spec §13.3)', () => {
    const cases: [PriceRegionGroup, number, boolean, number, string][] = [
      ['US', 10_000, true, 0.01, 'US HTTPS is $0.0100 per 10k'],
      ['US', 1_000_000, false, 0.75, 'US HTTP is $0.0075 per 10k'],
      ['EU', 1_000_000, true, 1.2, 'Europe HTTPS is $0.0120 per 10k'],
      ['JP', 1_000_000, true, 1.2, 'Japan uses the Europe row'],
      ['ZA_ME', 1_000_000, false, 0.9, 'South Africa / Middle East use the Europe row'],
      ['AP', 1_000_000, true, 1.2, 'Asia Pacific uses the Europe row'],
      ['IN', 1_000_000, true, 1.2, 'India uses the Europe row'],
      ['AU', 1_000_000, true, 1.25, 'Australia has its own HTTPS price ($0.0125)'],
      ['SA', 1_000_000, false, 1.6, 'South America HTTP is $0.0160 per 10k'],
      ['SA', 1_000_000, true, 2.2, 'South America HTTPS is $0.0220 per 10k'],
    ];
    for (const [group, count, https, usd, name] of cases) it(name, () => expect(requestCostUsd(group, count, https)).to.be.closeTo(usd, EPS));
  });

  describe('monthlyCostUsd (spec §13.8)', () => {
    const cases: { name: string; usage: MonthlyUsage; total: number }[] = [
      { name: 'usage within the free tier costs nothing', usage: { transferGbByGroup: { US: 500, EU: 500 }, requestsByGroup: { US: 5_000_000 } }, total: 0 },
      { name: 'bills transfer and requests beyond the free tier', usage: { transferGbByGroup: { US: 2048 }, requestsByGroup: { US: 20_000_000 } }, total: 87.04 + 10 },
      { name: 'allocates free GB to US before EU', usage: { transferGbByGroup: { US: 800, EU: 800 }, requestsByGroup: {} }, total: 576 * 0.085 },
      { name: 'a custom free-tier order changes which group pays', usage: { transferGbByGroup: { US: 800, SA: 800 }, requestsByGroup: {}, freeTierOrder: ['SA', 'US'] }, total: 576 * 0.085 },
      { name: 'applyFreeTier: false bills everything', usage: { transferGbByGroup: { US: 1024 }, requestsByGroup: {}, applyFreeTier: false }, total: 87.04 },
      { name: 'splits requests by httpsShare', usage: { transferGbByGroup: {}, requestsByGroup: { US: 20_000_000 }, httpsShare: 0.5 }, total: 5 + 3.75 },
      { name: 'adds Origin Shield at $0.0090 per 10k', usage: { transferGbByGroup: {}, requestsByGroup: {}, originShieldRequests: 1_000_000 }, total: 0.9 },
      { name: 'adds invalidations beyond 1,000 free paths', usage: { transferGbByGroup: {}, requestsByGroup: {}, invalidationPaths: 1500 }, total: 2.5 },
      { name: 'adds function invocations beyond 2 M free', usage: { transferGbByGroup: {}, requestsByGroup: {}, functionInvocations: 3_000_000 }, total: 0.1 },
      { name: 'adds data transfer to origin', usage: { transferGbByGroup: {}, requestsByGroup: {}, originTransferGbByGroup: { US: 100 } }, total: 2 },
    ];
    for (const c of cases) it(c.name, () => expect(monthlyCostUsd(c.usage).totalUsd).to.be.closeTo(c.total, EPS));

    it('itemises free-tier and billed lines per group', () => {
      const { lines } = monthlyCostUsd({ transferGbByGroup: { US: 800, EU: 800 }, requestsByGroup: {} });
      expect(lines.map((l) => [l.item, l.group, l.quantity, l.unit])).to.deep.equal([
        ['Data transfer out (free tier)', 'US', 800, 'GB'],
        ['Data transfer out (free tier)', 'EU', 224, 'GB'],
        ['Data transfer out', 'EU', 576, 'GB'],
      ]);
      expect(lines[0]!.usd).to.equal(0);
    });

    it('rejects an httpsShare above 1 and negative usage', () => {
      expect(() => monthlyCostUsd({ transferGbByGroup: {}, requestsByGroup: {}, httpsShare: 1.5 })).to.throw(RangeError, /httpsShare must be between 0 and 1, got 1.5/);
      expect(() => monthlyCostUsd({ transferGbByGroup: { EU: -3 }, requestsByGroup: {} })).to.throw(RangeError, /transferGbByGroup.EU/);
    });
  });

  describe('price classes (spec §13.6)', () => {
    const cases: [string, PriceRegionGroup[]][] = [
      ['PriceClass_100', ['US', 'EU']],
      ['PriceClass_200', ['US', 'EU', 'ZA_ME', 'JP', 'AP', 'IN']],
      ['PriceClass_All', ['US', 'EU', 'ZA_ME', 'SA', 'JP', 'AU', 'AP', 'IN']],
      ['None', ['US', 'EU', 'ZA_ME', 'SA', 'JP', 'AU', 'AP', 'IN']],
    ];
    for (const [pc, groups] of cases) it(`${pc} uses ${groups.join(', ')}`, () => expect(groupsInPriceClass(pc)).to.deep.equal(groups));

    it('rejects an unknown price class', () => {
      expect(() => groupsInPriceClass('PriceClass_300')).to.throw(RangeError, /unknown price class 'PriceClass_300'/);
    });

    it('bills viewers outside the class at the cheapest group of the class', () => {
      expect(billedGroupForPriceClass('SA', 'PriceClass_100')).to.equal('US');
      expect(billedGroupForPriceClass('AU', 'PriceClass_200')).to.equal('US');
      expect(billedGroupForPriceClass('JP', 'PriceClass_200')).to.equal('JP');
    });
  });
});
