import { expect } from 'chai';
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { missCauses } from '../../simulator/miss-causes';
import type { SimModel, SimOrigin } from '../../simulator/plan-model';
import type { SimulationResult } from '../../simulator/results';

function model(origin: SimOrigin, priceClass: string): SimModel {
  const b = { contentType: 'api', origin } as unknown as SimModel['defaultBehavior'];
  return { behaviors: [b], defaultBehavior: { contentType: 'static', origin: { id: 'static-primary', kind: 's3', awsRegion: 'us-east-2' } }, priceClass } as unknown as SimModel;
}

function result(apiP95: number, share: number): SimulationResult {
  const types = Object.fromEntries(CONTENT_TYPE_NAMES.map((n) => [n, { latencyPass: true, hitRatioPass: true, p95LatencyMs: 20, targetLatencyMs: 50, hitRatio: 0.99, targetHitRatio: 0.9 }]));
  types.api = { latencyPass: apiP95 <= 150, hitRatioPass: true, p95LatencyMs: apiP95, targetLatencyMs: 150, hitRatio: 0.85, targetHitRatio: 0.8 };
  return { types, checks: [{ name: '95 % of all requests within 100 ms TTFB', value: share, target: 0.95, pass: share >= 0.95 }] } as unknown as SimulationResult;
}

describe('missCauses (simulator/miss-causes.ts): why a plan misses, from the plan', () => {
  it('names the single Region and the price class of a staging-like plan', () => {
    const lines = missCauses(model({ id: 'api', kind: 'api', awsRegion: 'us-east-2' }, 'PriceClass_100'), result(212.4, 0.81));
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^api p95 212.4 ms > 150 ms: misses and revalidations travel to api in us-east-2 only \(one Region/);
    expect(lines[0]).to.contain('PriceClass_100 leaves out the edges of ZA_ME, SA, JP, AU, AP, IN');
    expect(lines[1]).to.match(/^95 % of all requests within 100 ms TTFB: 81.0 %; the slowest 5 % of api take over 100 ms/);
  });

  it('lists the regional copies and says nothing when every target passes', () => {
    const regional: SimOrigin = { id: 'api', kind: 'api', awsRegion: 'us-east-1', regional: [{ id: 'api-eu-central-1', kind: 'api', awsRegion: 'eu-central-1' }] };
    expect(missCauses(model(regional, 'PriceClass_All'), result(170, 0.96))[0]).to.equal('api p95 170 ms > 150 ms: misses and revalidations travel to api in us-east-1, eu-central-1.');
    expect(missCauses(model(regional, 'PriceClass_All'), result(120, 0.96))).to.deep.equal([]);
  });
});
