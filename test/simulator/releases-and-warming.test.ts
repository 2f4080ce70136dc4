/**
 * The seed workload's release schedule (a release manifest read from a file: objects by kind, request
 * times from the release on, determinism by seed) and predictive warming evaluated with the simulator
 * on a held-out window, where prediction must beat no warming and the top-N of the last window.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problemsOf } from '../../lib/errors';
import { parseReleaseManifest } from '../../lib/warming/predict';
import { harmonic } from '../../simulator/alias';
import { simModelFromPlan, type SimModel } from '../../simulator/plan-model';
import { DEFAULT_RELEASE_PROFILE, SEED_PROFILE, type WorkloadProfile } from '../../simulator/profile';
import { evaluateWarmingInSimulator } from '../../simulator/warming';
import { generateRequests } from '../../simulator/workload/arrivals';
import { buildWorkload, MAX_AE_CLASSES } from '../../simulator/workload/build';
import { episodeReleaseManifest, readReleaseManifest, releasePeakSessions, releaseShape } from '../../simulator/workload/releases';
import { planFor } from '../helpers/plan';

/** A small platform: 200 titles of 20–40 minutes, small catalogs, 0.5 Gbps. */
const SMALL: WorkloadProfile = {
  ...SEED_PROFILE,
  averageGbps: 0.5,
  video: { ...SEED_PROFILE.video, titles: 200, durationMinutes: [20, 40] },
  catalog: { ...SEED_PROFILE.catalog, imagesPerTitle: 2, metadataDocuments: 2000, staticFiles: 100, apiQueries: 1000 },
};
const DAY = Date.UTC(2025, 10, 24) / 1000;
const AT_20H = DAY + 20 * 3600;


describe('simulator/workload: the release schedule', function () {
  this.timeout(60_000);
  let model: SimModel;
  let dir: string;
  before(async () => {
    model = simModelFromPlan(await planFor('prod'));
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-releases-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = [{
    title: 't0 s01e09', releaseAt: '2025-11-24T20:00:00Z',
    paths: [
      '/video/t0/s01e09/master.m3u8', '/video/t0/s01e09/720p/index.m3u8', '/video/t0/s01e09/720p/seg-00000.ts', '/video/t0/s01e09/720p/seg-00001.ts',
      '/thumbnails/t0/s01e09/still0.jpg', '/metadata/episodes/t0-s01e09.json', '/video/t0/s01e09/master.m3u8',
    ],
  }];

  it('reads the manifest the warmer reads, from a file, and refuses a missing file, bad JSON and bad entries', () => {
    const good = join(dir, 'releases.json');
    writeFileSync(good, JSON.stringify(manifest));
    expect(readReleaseManifest(good)).to.deep.equal(parseReleaseManifest(manifest, good));
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '[{');
    const badEntry = join(dir, 'entry.json');
    writeFileSync(badEntry, JSON.stringify([{ releaseAt: 'soon', paths: ['/video/x.ts'] }]));
    expect([
      ...problemsOf(() => readReleaseManifest(join(dir, 'none.json'))),
      ...problemsOf(() => readReleaseManifest(notJson)).map((p) => p.replace(/\(.*\)/, '(…)')),
      ...problemsOf(() => readReleaseManifest(badEntry)),
    ]).to.deep.equal([
      `release manifest '${join(dir, 'none.json')}' cannot be read; give a JSON file such as [{"title": "show", "releaseAt": "2025-11-24T20:00:00Z", "paths": ["/video/show/s01e06/master.m3u8"]}].`,
      `release manifest '${notJson}' is not JSON (…).`,
      `${badEntry} entry 1: releaseAt must be an ISO date or epoch seconds, got 'soon'.`,
    ]);
  });

  it('turns each listed path into objects by its behavior: playlists, segments, image variants, a document; a repeated path once', () => {
    const w = buildWorkload(model, { seed: 1, scale: 1, profile: SMALL, releases: parseReleaseManifest(manifest, 'm') });
    const rel = w.families.filter((f) => f.name.startsWith('release:'));
    expect(rel.map((f) => [f.name, f.type, f.objects, f.sampled])).to.deep.equal([
      ['release:t0 s01e09:video', 'video', 4, 4],
      ['release:t0 s01e09:thumbnails', 'thumbnails', 12, 12],
      ['release:t0 s01e09:metadata', 'metadata', 1, 1],
    ]);
    expect(w.releases.map((r) => [r.title, r.at, r.objects.length])).to.deep.equal([['t0 s01e09', 20 * 3600, 17]]);
    const paths = [...w.releases[0]!.objects].map((o) => w.keyPath[w.objectKeys[o * MAX_AE_CLASSES]!]!);
    // most requested first
    expect(paths.slice(0, 6)).to.deep.equal([
      '/video/t0/s01e09/720p/index.m3u8', '/video/t0/s01e09/master.m3u8', '/video/t0/s01e09/720p/seg-00000.ts', '/video/t0/s01e09/720p/seg-00001.ts',
      '/thumbnails/t0/s01e09/still0.jpg?width=320&quality=80&format=webp', '/thumbnails/t0/s01e09/still0.jpg?width=640&quality=80&format=webp',
    ]);
    // per release session: the 720p playlist 4 × 0.3, master 1, segments 0.3 × the drop-off
    const peak = releasePeakSessions(SMALL, w.sessionsPerSecond);
    expect(peak).to.be.closeTo(w.sessionsPerSecond / harmonic(200, 1), 1e-12);
    expect([...w.releases[0]!.peakRate.slice(0, 3)].map((r) => Number((r / peak).toFixed(4)))).to.deep.equal([1.2, 1, 0.3]);
  });

  it('ramps up to the peak within minutes of the release and halves every half-life', () => {
    const p = DEFAULT_RELEASE_PROFILE;
    expect([-1, 0, 300, 600, 600 + 24 * 3600, 600 + 48 * 3600].map((s) => releaseShape(p, s))).to.deep.equal([0, 0, 0.5, 1, 0.5, 0.25]);
  });

  it('requests release objects only from the release time on, identically for a seed', () => {
    const releases = parseReleaseManifest(episodeReleaseManifest(SMALL, { series: ['t0', 't3'], releaseAtSec: AT_20H, minutes: 10 }), 'm');
    const w = buildWorkload(model, { seed: 1, scale: 0.05, profile: SMALL, releases });
    const released = new Set(w.releases.flatMap((r) => [...r.objects].flatMap((o) => [0, 1, 2].map((c) => w.objectKeys[o * MAX_AE_CLASSES + c]!))));
    const count = (seed: number) => {
      const req = generateRequests(w, 19 * 3600, 21 * 3600, seed);
      let before = 0, after = 0;
      for (let i = 0; i < req.length; i++) {
        if (!released.has(req.key[i]!)) continue;
        if (req.time[i]! < 20 * 3600) before++;
        else after++;
      }
      let sorted = true;
      for (let i = 1; i < req.length; i++) if (req.time[i]! < req.time[i - 1]!) sorted = false;
      return { requests: req.length, before, after, sorted };
    };
    const a = count(1);
    expect(a).to.deep.equal(count(1));
    expect([a.before, a.after > 1000, a.sorted]).to.deep.equal([0, true, true]);
    expect(count(2)).not.to.deep.equal(a);
  });
});

describe('simulator/warming: predictive warming on a held-out window, with the simulator', function () {
  this.timeout(60_000);
  it('beats no warming and the top-N of the last window at the same budget, and stays within it', async () => {
    const model = simModelFromPlan(await planFor('prod'));
    const releases = parseReleaseManifest(episodeReleaseManifest(SMALL, { series: ['t0', 't3'], releaseAtSec: AT_20H, minutes: 10 }), 'm');
    const budgetBytes = 2 ** 29;
    const ev = evaluateWarmingInSimulator(model, { releases, budgetBytes, scale: 0.05, profile: SMALL, warmupHours: 2, trainingWindows: 2 });
    const pct = (x: number) => Number((100 * x).toFixed(2));
    expect({
      hitRatio: { none: pct(ev.none.hitRatio), topN: pct(ev.topN.hitRatio), predictive: pct(ev.predictive.hitRatio) },
      upliftVsNone: Number(ev.upliftVsNone.toFixed(2)),
      upliftVsTopN: Number(ev.upliftVsTopN.toFixed(2)),
      predictiveReleaseObjects: ev.predictive.warm.releaseObjects,
      sameViewerRequests: ev.none.requests === ev.predictive.requests && ev.none.requests === ev.topN.requests,
      withinBudget: ev.predictive.warm.originBytes <= budgetBytes && ev.topN.warm.originBytes <= budgetBytes,
      noWarmingPullsNothing: ev.none.warm.originBytes,
      warmEdges: ev.warmEdges,
    }).to.deep.equal({
      hitRatio: { none: 82.28, topN: 82.53, predictive: 83.03 }, // prod: metadata and API viewers nearest us-west-2 fill from the copies there
      upliftVsNone: 0.76,
      upliftVsTopN: 0.5,
      predictiveReleaseObjects: 135,
      sameViewerRequests: true,
      withinBudget: true,
      noWarmingPullsNothing: 0,
      warmEdges: ['IAD', 'FRA', 'NRT', 'GRU', 'DXB'],
    });
  });

  it('refuses a budget, window or training length out of range, naming each', () => {
    expect(problemsOf(() => evaluateWarmingInSimulator({} as SimModel, { releases: [], budgetBytes: 0, windowSec: 10, trainingWindows: 0 }))).to.deep.equal([
      'the warming budget must be a positive number of bytes, got 0; e.g. --budget-gb 10.',
      'the window must be from 60 s to 1 day, got 10 s.',
      'the training windows must be a whole number from 1 to 24, got 0.',
    ]);
  });
});
