/**
 * Predictive preloading: the model on hand-made logs, budget selection, the inputs it parses, and the
 * held-out evaluation — training windows replayed through the edge's caches, each strategy warms at
 * the same byte budget, the next window measured — where prediction must beat both no warming and the
 * top-N of the last window.
 */
import { expect } from 'chai';
import { problemsOf } from '../../lib/errors';
import { compileBehaviorSelector } from '../../lib/semantics';
import { distributionModelFromPlan, type DistributionModel } from '../../lib/distribution';
import { evaluateWarming } from '../../lib/warming/evaluate';
import {
  parseDuration, parseReleaseManifest, predictHotObjects, selectWithinBudget, topOfLastWindow, type AccessRecord,
} from '../../lib/warming/predict';
import { buildScenario } from '../../lib/warming/scenario';
import { EdgeReplay } from '../../local/edge/replay';
import { stagingPlanWithTestKey } from './helpers';

const H = 3600;
const NOW = 100 * H;

/** `count` GET requests of `path` spread over the window that ends `windowsAgo` windows before NOW. */
function requests(path: string, windowsAgo: number, count: number, bytes = 1000): AccessRecord[] {
  return Array.from({ length: count }, (_, i) => ({ timeSec: NOW - (windowsAgo + 1) * H + ((i + 0.5) * H) / count, path, query: '', bytes, status: 200, method: 'GET' }));
}


describe('predictive preloading', function () {
  this.timeout(60_000);
  let model: DistributionModel;
  before(async () => {
    model = distributionModelFromPlan(await stagingPlanWithTestKey());
  });

  describe('predictHotObjects', () => {
    const logs = [
      ...requests('/video/steady/a.ts', 2, 8), ...requests('/video/steady/a.ts', 1, 8), ...requests('/video/steady/a.ts', 0, 8),
      ...requests('/video/rising/b.ts', 2, 1), ...requests('/video/rising/b.ts', 1, 3), ...requests('/video/rising/b.ts', 0, 20),
      ...requests('/video/old/c.ts', 30, 50),
      { timeSec: NOW - 10, path: '/video/steady/missing.ts', query: '', bytes: 100, status: 404, method: 'GET' },
      { timeSec: NOW + 10, path: '/video/future/d.ts', query: '', bytes: 100, status: 200, method: 'GET' },
    ];

    it('ranks a rising object above a steady one, ignoring errors, the future and objects older than the history', () => {
      const p = predictHotObjects(logs, { nowSec: NOW, windowSec: H });
      expect(p.map((x) => ({ path: x.path, requests: Number(x.predictedRequests.toFixed(3)), reasons: x.reasons }))).to.deep.equal([
        { path: '/video/rising/b.ts', requests: 43.5, reasons: ['popular', 'trending', 'cold'] },
        { path: '/video/steady/a.ts', requests: 7, reasons: ['popular', 'cold'] },
      ]);
    });

    it('gives no value to an object still within its residency, and full weight to one past it', () => {
      const p = predictHotObjects(logs, { nowSec: NOW, windowSec: H, residencySecOf: (path) => (path.includes('steady') ? 2 * H : 60) });
      expect(p.map((x) => [x.path, x.value === 0])).to.deep.equal([['/video/rising/b.ts', false], ['/video/steady/a.ts', true]]);
    });

    it('gives a release in the window the 90th-percentile popularity of its prefix, or its expected requests', () => {
      const p = predictHotObjects(logs, {
        nowSec: NOW, windowSec: H,
        releases: [
          { title: 'new', releaseAtSec: NOW + 600, paths: ['/video/new/e1.ts'] },
          { title: 'told', releaseAtSec: NOW + 600, paths: ['/video/told/e1.ts'], expectedRequests: 3, bytes: 5000 },
          { title: 'later', releaseAtSec: NOW + 2 * H, paths: ['/video/later/e1.ts'] },
        ],
      });
      expect(p.map((x) => ({ path: x.path, requests: Number(x.predictedRequests.toFixed(3)), bytes: x.bytes, reasons: x.reasons }))).to.deep.equal([
        { path: '/video/new/e1.ts', requests: 43.5, bytes: 65_536, reasons: ['release', 'cold'] },
        { path: '/video/rising/b.ts', requests: 43.5, bytes: 1000, reasons: ['popular', 'trending', 'cold'] },
        { path: '/video/steady/a.ts', requests: 7, bytes: 1000, reasons: ['popular', 'cold'] },
        { path: '/video/told/e1.ts', requests: 3, bytes: 5000, reasons: ['release', 'cold'] },
      ]);
    });

    it('sizes a released object like the known objects of the same shape (next episode\'s segment ~ this one\'s)', () => {
      const p = predictHotObjects(requests('/video/show/s01e05/720p/seg-00003.ts', 0, 4, 1_048_576), {
        nowSec: NOW, windowSec: H,
        releases: [{ releaseAtSec: NOW, paths: ['/video/show/s01e06/720p/seg-00003.ts', '/video/show/s01e06/master.m3u8'] }],
      });
      expect(p.map((x) => [x.path, x.bytes])).to.deep.equal([
        ['/video/show/s01e05/720p/seg-00003.ts', 1_048_576], ['/video/show/s01e06/720p/seg-00003.ts', 1_048_576], ['/video/show/s01e06/master.m3u8', 65_536],
      ]);
    });

    it('chooses by value per byte within the budget and skips objects without value', () => {
      const items = [
        { id: 'big', value: 1, bytes: 900 }, { id: 'small', value: 0.5, bytes: 100 }, { id: 'mid', value: 0.9, bytes: 400 }, { id: 'cached', value: 0, bytes: 1 },
      ];
      expect([selectWithinBudget(items, 500).map((i) => i.id), selectWithinBudget(items, 1000).map((i) => i.id), selectWithinBudget(items, 2000, (i) => i.bytes * 2).map((i) => i.id)]).to.deep.equal([
        ['small', 'mid'], ['small', 'mid'], ['small', 'mid'],
      ]);
    });

    it('lists the top objects of the last window for the baseline', () => {
      expect(topOfLastWindow(logs, NOW, H).map((t) => [t.path, t.requests])).to.deep.equal([['/video/rising/b.ts', 20], ['/video/steady/a.ts', 8]]);
    });
  });

  describe('inputs', () => {
    it('parses durations and refuses others', () => {
      expect([parseDuration('90', '--window'), parseDuration('15m', '--window'), parseDuration('1h', '--window'), parseDuration('2d', '--window')]).to.deep.equal([90, 900, 3600, 172_800]);
      expect([...problemsOf(() => parseDuration('1 week', '--window')), ...problemsOf(() => parseDuration('0h', '--window'))]).to.deep.equal([
        "--window must be a duration such as 30m, 1h or 2d, got '1 week'.",
        "--window must be longer than zero, got '0h'.",
      ]);
    });

    it('reads a release manifest and names every bad entry', () => {
      expect(parseReleaseManifest([{ title: 't', releaseAt: '2025-11-24T20:00:00Z', paths: ['/video/t/e1/master.m3u8'], expectedRequests: 40 }], 'r.json')).to.deep.equal([
        { title: 't', releaseAtSec: Date.UTC(2025, 10, 24, 20) / 1000, paths: ['/video/t/e1/master.m3u8'], expectedRequests: 40 },
      ]);
      expect(problemsOf(() => parseReleaseManifest([{ releaseAt: 'tomorrow', paths: ['video/x'] }], 'r.json'))).to.deep.equal([
        "r.json entry 1: releaseAt must be an ISO date or epoch seconds, got 'tomorrow'.",
        'r.json entry 1: paths must be a non-empty list of paths starting with \'/\', got ["video/x"].',
      ]);
    });
  });

  describe('held-out evaluation through the edge caches', () => {
    it('predictive warming beats no warming and the top-N of the last window at the same budget', () => {
      const sc = buildScenario({ titles: 12, sessionsPerWindow: 80, trainingWindows: 4, segments: 8 });
      const select = compileBehaviorSelector(model.behaviors);
      const ev = evaluateWarming(new EdgeReplay(model, (p) => sc.objects.get(p)), {
        model, training: sc.training, heldOut: sc.heldOut, nowSec: sc.nowSec, windowSec: sc.windowSec, releases: sc.releases,
        budgetBytes: 2 * 2 ** 20, edges: ['IAD89-C1', 'FRA56-C1'], viewerAcceptEncoding: sc.acceptEncoding,
        predict: { residencySecOf: (p) => (select(p) ?? model.defaultBehavior).cachePolicy.maxTtl },
      });
      expect({
        requests: ev.none.requests,
        hits: { none: ev.none.hits, topN: ev.topN.hits, predictive: ev.predictive.hits },
        withinBudget: ev.predictive.warmedBytes <= 2 * 2 ** 20 && ev.topN.warmedBytes <= 2 * 2 ** 20,
        upliftPoints: Number(ev.upliftVsNone.toFixed(2)),
        beatsTopN: ev.predictive.hitRatio > ev.topN.hitRatio,
      }).to.deep.equal({ requests: 681, hits: { none: 625, topN: 625, predictive: 638 }, withinBudget: true, upliftPoints: 1.91, beatsTopN: true });
    });
  });
});
