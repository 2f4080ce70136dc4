import { expect } from 'chai';
import { monthlyCostUsd, regionalOriginCostLines } from '../../lib/semantics/pricing';

describe('regional origin costs (lib/semantics/pricing)', () => {
  it('bills storage, inter-Region transfer and replication PUTs per copy (hand-computed)', () => {
    // 3 Regions × 40,000 GB stored × $0.023 = $2,760; 3 × 2,000 GB × $0.02 = $120; 3 × 500,000 PUTs × $0.005/1,000 = $7.50
    const lines = regionalOriginCostLines({ regions: 3, storedGb: 40_000, replicatedGb: 2_000, replicatedObjects: 500_000 });
    expect(lines.map((l) => [l.item, l.quantity, l.unit, Math.round(l.usd * 100) / 100])).to.deep.equal([
      ['Regional origin storage (S3 Standard)', 120_000, 'GB-month', 2760],
      ['Replication transfer (inter-Region)', 6_000, 'GB', 120],
      ['Replication PUT requests', 1_500_000, 'requests', 7.5],
    ]);
  });

  it('costs nothing for a single-Region stack', () => {
    expect(regionalOriginCostLines({ regions: 0, storedGb: 40_000, replicatedGb: 2_000, replicatedObjects: 500_000 })).to.deep.equal([]);
  });

  it('adds the lines to the monthly estimate', () => {
    const base = monthlyCostUsd({ transferGbByGroup: { US: 5_000 }, requestsByGroup: { US: 50_000_000 } });
    const withCopies = monthlyCostUsd({ transferGbByGroup: { US: 5_000 }, requestsByGroup: { US: 50_000_000 }, regionalOrigins: { regions: 1, storedGb: 1_000, replicatedGb: 100, replicatedObjects: 10_000 } });
    expect(withCopies.totalUsd - base.totalUsd).to.be.closeTo(23 + 2 + 0.05, 1e-9);
  });

  it('rejects negative usage', () => {
    expect(() => regionalOriginCostLines({ regions: 1, storedGb: -1, replicatedGb: 0, replicatedObjects: 0 })).to.throw(RangeError, /storedGb/);
  });
});
