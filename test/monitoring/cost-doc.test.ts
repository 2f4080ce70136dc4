import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCatalog } from '../../lib/catalog';
import { optimizationLevers, type Lever } from '../../lib/monitoring/cost-analysis';
import { monthlyCostUsd, type MonthlyUsage } from '../../lib/semantics/pricing';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'cost-analysis.md'), 'utf8');
const dollars = (v: number) => Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function workedMonth(): { usage: MonthlyUsage; bytesByContentTypeGb: Record<string, number>; hitRatio: number; originShieldHitRatio: number } {
  const m = /<!-- worked-month-usage -->\n```json\n([\s\S]*?)\n```/.exec(DOC);
  if (!m) throw new Error('docs/cost-analysis.md lacks the worked-month usage block');
  return JSON.parse(m[1]!);
}

describe('docs/cost-analysis.md worked month', () => {
  const month = workedMonth();
  const estimate = monthlyCostUsd(month.usage);
  const levers = optimizationLevers(month.usage, { priceClass: 'PriceClass_All', catalog: resolveCatalog(), ...month });
  const lever = (id: Lever['id']) => levers.find((l) => l.id === id)!;

  it('is 50 Gbps for a month of 30.4375 days', () => {
    const gb = Object.values(month.usage.transferGbByGroup).reduce((a, b) => a + (b ?? 0), 0);
    expect(Math.round((50e9 / 8) * 30.4375 * 86400 / 2 ** 30)).to.equal(gb);
  });

  it('states the total the model computes', () => {
    expect(DOC).to.contain(`**$${dollars(estimate.totalUsd)}**`);
    expect(DOC).to.contain(`| **total** | | **${dollars(estimate.totalUsd)}** |`);
  });

  it('states every transfer line the model computes', () => {
    for (const l of estimate.lines.filter((x) => x.item === 'Data transfer out')) {
      expect(DOC, `${l.group}`).to.contain(`| ${dollars(l.usd)} |`);
    }
  });

  it('states each lever\'s effect as the model values it', () => {
    const pc = lever('price-class').table!.rows;
    expect(DOC).to.contain(`**−$${pc[1]![2]!.replace('-$', '')}**`);
    expect(DOC).to.contain(`**−$${pc[2]![2]!.replace('-$', '')}**`);
    expect(DOC).to.contain(`**$${dollars(lever('compression').monthlyUsd)}**`);
    expect(DOC).to.contain(`**$${dollars(lever('origin-shield').monthlyUsd)}**`);
    expect(DOC).to.contain(`**$${dollars(lever('hit-ratio').monthlyUsd)}**`);
    expect(DOC).to.contain(`**$${dollars(lever('free-tier').monthlyUsd)}**`);
  });
});
