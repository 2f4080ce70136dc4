import { expect } from 'chai';
import { CONTENT_TYPES, maxStaleSeconds } from '../../lib/catalog';
import { REGIONAL_EDGE_CACHES } from '../../lib/network';
import { readStackConfig } from '../../plan/stack-files';
import type { SimulationResult } from '../../simulator/results';
import { bestCaseSettings, hypotheticalDomain, unreachableReasons, unreachableTargets } from '../../simulator/tune/best-case';
import { defaultTuneSpace, regionsDimension } from '../../simulator/tune/space';
import type { Evaluation, TargetOutcome } from '../../simulator/tune/types';

describe('the best case of the model (simulator/tune/best-case.ts)', () => {
  const config = readStackConfig('prod');
  const space = defaultTuneSpace(config);
  const best = bestCaseSettings(space, config, 'us-east-1');

  it('puts every stale window at the catalog bound and every TTL ladder at its top', () => {
    for (const t of CONTENT_TYPES) {
      for (const r of t.routes.filter((x) => x.caching === 'custom')) {
        expect(best[`${r.id}.staleWhileRevalidate`], r.id).to.equal(maxStaleSeconds(t));
        expect(best[`${r.id}.staleIfError`], r.id).to.equal(maxStaleSeconds(t));
      }
    }
    const ttl = space.dimensions.find((d) => d.name === 'video default TTLs')!;
    const top = ttl.options.filter((o) => !o.label.startsWith('as configured')).at(-1)!;
    for (const [k, v] of Object.entries(top.settings)) expect(best[k], k).to.equal(v);
  });

  it('takes PriceClass_All and the longest Regions ladder, and keeps the configured Origin Shield Region', () => {
    expect(best.priceClass).to.equal('PriceClass_All');
    const ladder = regionsDimension(config, 'us-east-1').options.at(-1)!.settings.originRegions as string[];
    expect(best.originRegions).to.deep.equal(ladder);
    expect(ladder.length).to.be.above(5);
    expect(best).to.not.have.property('originShieldRegion');
  });

  it('declares the metadata and API services in every other REC Region under reserved names, keeping declared ones', () => {
    const declared = { 'media-cdn:metadataOriginDomains': { 'eu-central-1': 'metadata.eu.example.com' } };
    const s = bestCaseSettings(space, { ...config, ...declared }, 'us-east-1');
    const metadata = s.metadataOriginDomains as Record<string, string>;
    const api = s.apiOriginDomains as Record<string, string>;
    const others = REGIONAL_EDGE_CACHES.map((r) => r.awsRegion as string).filter((r) => r !== 'us-east-1');
    expect(Object.keys(metadata).sort()).to.deep.equal([...others].sort());
    expect(metadata['eu-central-1']).to.equal('metadata.eu.example.com');
    expect(metadata['ap-south-1']).to.equal(hypotheticalDomain('metadata', 'ap-south-1'));
    expect(api['eu-central-1']).to.equal('api.eu-central-1.best-case.invalid');
    expect(api).to.not.have.property('us-east-1');
  });

  it('names the latency targets the best case misses, and only those', () => {
    const t = (name: string, kind: TargetOutcome['kind'], pass: boolean): TargetOutcome => ({ name, value: 1, target: 1, sense: 'atMost', pass, unit: 'ms', kind });
    const e: Evaluation = { costUsd: 0, costLines: [], pass: false, groupCost: {}, targets: [t('a p95 TTFB', 'latency', false), t('b p95 TTFB', 'latency', true), t('a hit ratio', 'efficiency', false)] };
    expect(unreachableTargets(e).map((x) => x.name)).to.deep.equal(['a p95 TTFB']);
  });

  it('explains each unreachable target from the best case: edge misses and the slow viewer regions', () => {
    const cell = (p95: number, pass: boolean) => ({ requests: 1, hitRatio: 1, p95LatencyMs: p95, latencyPass: pass });
    const region = (p95: number, pass: boolean, share: number) => ({ requests: 1, shareUnder100Ms: share, types: { thumbnails: cell(p95, pass), api: cell(p95, pass) } });
    const r = {
      types: { thumbnails: { p95LatencyMs: 72.6, edgeHitRatio: 0.845, requests: 100, cachedRouteRequests: 100 }, api: { p95LatencyMs: 188.6, edgeHitRatio: 0.643, requests: 100, cachedRouteRequests: 26 } },
      totals: { edgeHitRatio: 0.7 },
      regions: { NA: region(79, false, 0.89), EU: region(48.6, true, 0.98) },
    } as unknown as SimulationResult;
    const thumbs: TargetOutcome = { name: 'thumbnails p95 TTFB', group: 'thumbnails', value: 72.6, target: 50, sense: 'atMost', pass: false, unit: 'ms', kind: 'latency' };
    const within: TargetOutcome = { name: '95 % of all requests within 100 ms TTFB', value: 0.911, target: 0.95, sense: 'atLeast', pass: false, unit: 'ratio', kind: 'latency' };
    const api: TargetOutcome = { ...thumbs, name: 'api p95 TTFB', group: 'api', value: 188.6, target: 150 };
    const [a, b, c] = unreachableReasons(r, [thumbs, within, api]);
    expect(c).to.match(/^api p95 188\.6 ms \(goal 150 ms\): 74\.0 % of its requests are never cached \(personalized routes, POSTs\) and always wait for the origin; of the rest, 35\.7 % are not served/);
    expect(a).to.equal("thumbnails p95 72.6 ms (goal 50 ms): 15.5 % of its requests are not served by the viewer's edge location even so (first requests of an object there within its TTL and stale window), and each costs a round trip beyond the edge; p95 by viewer region NA 79!, EU 49 ms (! over the goal).");
    expect(b).to.equal("95 % of all requests within 100 ms TTFB: 91.1 % (goal 95.0 %); 30.0 % of cacheable requests are not served by the viewer's edge location; by viewer region NA 89.0 %, EU 98.0 %.");
  });
});
