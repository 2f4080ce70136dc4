/**
 * A small, deterministic streaming workload for evaluating warming on a held-out window: series with
 * Zipf popularity, a couple of trending titles, playback sessions (metadata, thumbnail, manifests,
 * then segments until the viewer drops off), and new episodes of popular titles released at the start
 * of the held-out window (the release manifest the predictor reads). Training windows precede it.
 *
 * A small stand-in for the local edge's replay (local/edge/replay.ts); the simulator's seed workload
 * has a release schedule of its own (simulator/workload/releases.ts) for the evaluation of record.
 */
import type { AccessRecord, ReleaseEntry } from './predict';
import { mulberry32 } from '../random';

export interface ScenarioOptions {
  /** @default 7 */
  readonly seed?: number;
  /** @default 30 */
  readonly titles?: number;
  /** Episodes already released per title. @default 5 */
  readonly episodes?: number;
  /** Segments per episode rendition. @default 20 */
  readonly segments?: number;
  /** @default 3600 */
  readonly windowSec?: number;
  /** @default 6 */
  readonly trainingWindows?: number;
  /** Playback sessions per window. @default 250 */
  readonly sessionsPerWindow?: number;
  /** Titles whose next episode is released at the start of the held-out window. @default 3 */
  readonly releases?: number;
  /** Titles whose popularity grows window over window. @default 2 */
  readonly trending?: number;
  /** Edge locations viewers are spread over. @default ['IAD89-C1', 'FRA56-C1'] */
  readonly edges?: readonly string[];
  /** Start of the held-out window, epoch seconds. @default 2025-11-24T20:00:00Z */
  readonly nowSec?: number;
  /** Bytes of a video segment. @default 1 MiB */
  readonly segmentBytes?: number;
}

/** How the origin answers for an object of the scenario. */
export interface ScenarioObject {
  readonly bytes: number;
  readonly cacheControl: string;
  readonly contentType: string;
}

export interface Scenario {
  readonly nowSec: number;
  readonly windowSec: number;
  readonly training: AccessRecord[];
  readonly heldOut: AccessRecord[];
  readonly releases: ReleaseEntry[];
  readonly objects: ReadonlyMap<string, ScenarioObject>;
  /** Accept-Encoding the scenario's viewers send. */
  readonly acceptEncoding: string;
}

/** mulberry32: a tiny seeded PRNG, enough for a reproducible workload. */
export const seededRandom = mulberry32;

function pick(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

const ep = (n: number) => `s01e${String(n).padStart(2, '0')}`;

/** The objects of one episode, in the order a session requests them (before segments). */
export function episodeObjects(title: string, episode: number, segments: number): { head: string[]; segments: string[] } {
  const base = `/video/${title}/${ep(episode)}`;
  return {
    head: [`/metadata/videos/${title}-${ep(episode)}.json`, `/thumbnails/${title}/${ep(episode)}.jpg`, `${base}/master.m3u8`, `${base}/720p/index.m3u8`],
    segments: Array.from({ length: segments }, (_, s) => `${base}/720p/seg-${String(s).padStart(5, '0')}.ts`),
  };
}

export function buildScenario(o: ScenarioOptions = {}): Scenario {
  const rnd = seededRandom(o.seed ?? 7);
  const nTitles = o.titles ?? 30;
  const nEpisodes = o.episodes ?? 5;
  const nSegments = o.segments ?? 20;
  const W = o.windowSec ?? 3600;
  const nTraining = o.trainingWindows ?? 6;
  const sessions = o.sessionsPerWindow ?? 250;
  const nReleases = Math.min(o.releases ?? 3, nTitles);
  const nTrending = Math.min(o.trending ?? 2, nTitles);
  const edges = o.edges ?? ['IAD89-C1', 'FRA56-C1'];
  const nowSec = o.nowSec ?? Date.UTC(2025, 10, 24, 20) / 1000;
  const segBytes = o.segmentBytes ?? 1_048_576;
  const titles = Array.from({ length: nTitles }, (_, i) => `series-${String(i + 1).padStart(2, '0')}`);
  const base = titles.map((_, i) => 1 / (i + 1) ** 0.9);
  // trending titles start in the long tail and double every window
  const trendingIdx = Array.from({ length: nTrending }, (_, i) => nTitles - 1 - i * 3).filter((i) => i >= 0);
  const releaseIdx = [...Array.from({ length: nReleases - Math.min(1, trendingIdx.length) }, (_, i) => i), ...trendingIdx.slice(0, 1)].slice(0, nReleases);

  const objects = new Map<string, ScenarioObject>();
  const addEpisode = (title: string, e: number) => {
    const { head, segments } = episodeObjects(title, e, nSegments);
    objects.set(head[0]!, { bytes: 3_000, cacheControl: 'public, max-age=60, s-maxage=900', contentType: 'application/json' });
    objects.set(head[1]!, { bytes: 60_000, cacheControl: 'public, max-age=7200', contentType: 'image/jpeg' });
    objects.set(head[2]!, { bytes: 1_500, cacheControl: 'public, max-age=60, s-maxage=300', contentType: 'application/vnd.apple.mpegurl' });
    objects.set(head[3]!, { bytes: 2_400, cacheControl: 'public, max-age=60, s-maxage=300', contentType: 'application/vnd.apple.mpegurl' });
    for (const s of segments) objects.set(s, { bytes: segBytes, cacheControl: 'public, max-age=86400', contentType: 'video/mp2t' });
  };
  titles.forEach((t) => { for (let e = 1; e <= nEpisodes; e++) addEpisode(t, e); });
  const releases: ReleaseEntry[] = releaseIdx.map((i) => {
    const t = titles[i]!;
    addEpisode(t, nEpisodes + 1);
    const { head, segments } = episodeObjects(t, nEpisodes + 1, nSegments);
    return { title: t, releaseAtSec: nowSec, paths: [...head, ...segments] };
  });
  const released = new Set(releaseIdx);

  const sessionRequests = (windowIndex: number, startSec: number, out: AccessRecord[]) => {
    const weights = base.map((w, i) => (trendingIdx.includes(i) ? w * 2 ** (windowIndex + 4) / 8 : w));
    for (let s = 0; s < sessions; s++) {
      const ti = pick(weights, rnd());
      const heldOut = windowIndex >= nTraining;
      const latest = heldOut && released.has(ti) ? nEpisodes + 1 : nEpisodes;
      const e = latest > nEpisodes && rnd() < 0.7 ? latest : rnd() < 0.5 ? nEpisodes : 1 + Math.floor(rnd() * nEpisodes);
      const { head, segments } = episodeObjects(titles[ti]!, e, nSegments);
      const edge = edges[Math.floor(rnd() * edges.length)]!;
      let t = startSec + rnd() * (W - 10);
      const watched = Math.max(1, Math.min(nSegments, Math.round(-Math.log(1 - rnd() * 0.999) * 6)));
      for (const p of [...head, ...segments.slice(0, watched)]) {
        if (t >= startSec + W) break;
        out.push({ timeSec: t, path: p, query: '', bytes: objects.get(p)!.bytes, status: 200, method: 'GET', edge });
        t += p.endsWith('.ts') ? 6 : 0.2;
      }
    }
  };
  const training: AccessRecord[] = [];
  for (let w = 0; w < nTraining; w++) sessionRequests(w, nowSec - (nTraining - w) * W, training);
  const heldOut: AccessRecord[] = [];
  sessionRequests(nTraining, nowSec, heldOut);
  training.sort((a, b) => a.timeSec - b.timeSec);
  heldOut.sort((a, b) => a.timeSec - b.timeSec);
  return { nowSec, windowSec: W, training, heldOut, releases, objects, acceptEncoding: 'gzip, deflate, br' };
}
