/**
 * The release schedule of the seed workload: new episodes that go live at scheduled times, read from a
 * release manifest in the format `npm run warm -- --releases` reads (lib/warming/predict.ts
 * `parseReleaseManifest`: `[{ "title", "releaseAt", "paths": [...] }]`).
 *
 * Each listed path is one object of the release; what it is comes from the behavior the plan selects
 * for it (its content type) and its name:
 * - video: `*.m3u8` / `*.mpd` are playlists (`master*` the master), anything else a segment; the
 *   rendition is the profile's rendition named in the path (`/720p/`, `720p.m3u8`); a rendition's
 *   segments are watched in the order listed, with the seed's drop-off (a session watches
 *   `meanWatchedShare` of the episode on average) and are sized like the seed's segments of that
 *   rendition (its file for a title of middle length over its segments);
 * - thumbnails: an image requested in the seed's width × format variants (`?width=…&quality=80&format=…`);
 * - anything else: one document (metadata, …) sized from the catalog's range.
 * The manifest's `expectedRequests` and `bytes` are hints for the predictor, not used here.
 *
 * Popularity (profile `releases`, DEFAULT_RELEASE_PROFILE): release sessions ramp up from the release
 * time to the rate of the video title of rank `peakTitleRank` within `rampMinutes`, then decay with a
 * half-life of `halfLifeHours`; they come on top of the calibrated seed traffic, with the same daily
 * curve, viewers and edges. Release objects are sampled like a family under `--scale`.
 */
import { readFileSync } from 'node:fs';
import type { Catalog, ContentTypeName } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { parseReleaseManifest, type ReleaseEntry } from '../../lib/warming/predict';
import { harmonic } from '../alias';
import type { SimModel } from '../plan-model';
import { DEFAULT_RELEASE_PROFILE, type ReleaseProfile, type WorkloadProfile } from '../profile';
import { hashUnit } from '../rng';
import { dropOffRate, type CompressionFamily, type Family, type ObjectSpec } from './families';

/** Epoch seconds of the simulated day's 00:00 UTC (simulated time 0) unless a caller sets another. */
export const DEFAULT_SIMULATED_DAY_EPOCH_SEC = Date.UTC(2025, 10, 24) / 1000;

/** A release family: the objects of one release of one content type. */
export interface ReleaseFamily {
  readonly release: number;
  readonly family: Family;
}

/** One release as the workload simulates it. */
export interface WorkloadRelease {
  readonly title: string;
  /** Release time, simulated seconds. */
  readonly at: number;
  /** Simulated objects of the release (indexes into the workload's objects). */
  readonly objects: Int32Array;
  /** Their simulated request rates at the peak, req/s (the release's daily-curve multiplier aside). */
  readonly peakRate: Float64Array;
}

/** Reads and checks a release manifest file. @throws InputError naming the file and every bad entry. */
export function readReleaseManifest(file: string): ReleaseEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`release manifest '${file}' cannot be read; give a JSON file such as [{"title": "show", "releaseAt": "2025-11-24T20:00:00Z", "paths": ["/video/show/s01e06/master.m3u8"]}].`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`release manifest '${file}' is not JSON (${(e as Error).message}).`);
  }
  return parseReleaseManifest(raw, file);
}

/** The release's popularity relative to its peak, `sinceSec` seconds after it went live (0 before). */
export function releaseShape(p: ReleaseProfile, sinceSec: number): number {
  if (sinceSec < 0) return 0;
  const ramp = p.rampMinutes * 60;
  if (sinceSec < ramp) return sinceSec / ramp;
  return Math.pow(2, -(sinceSec - ramp) / (p.halfLifeHours * 3600));
}

/** Full-scale release sessions per second at the peak, given the seed's playback sessions per second. */
export function releasePeakSessions(profile: WorkloadProfile, sessionsPerSecond: number): number {
  const p = profile.releases ?? DEFAULT_RELEASE_PROFILE;
  const alpha = profile.zipfAlpha.video;
  const rank = Math.min(profile.video.titles, Math.max(1, Math.round(p.peakTitleRank)));
  return (sessionsPerSecond * Math.pow(rank, -alpha)) / harmonic(profile.video.titles, alpha);
}

const EXTENSION_MEDIA_TYPES: Readonly<Record<string, { mediaType: string; family?: CompressionFamily }>> = {
  m3u8: { mediaType: 'application/vnd.apple.mpegurl', family: 'manifest' },
  mpd: { mediaType: 'application/dash+xml', family: 'manifest' },
  ts: { mediaType: 'video/mp2t' },
  m4s: { mediaType: 'video/iso.segment' },
  mp4: { mediaType: 'video/mp4' },
  json: { mediaType: 'application/json', family: 'json' },
  js: { mediaType: 'application/javascript', family: 'javascript' },
  css: { mediaType: 'text/css', family: 'css' },
  html: { mediaType: 'text/html', family: 'html' },
  svg: { mediaType: 'image/svg+xml', family: 'svg' },
};

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

function logUniform(min: number, max: number, u: number): number {
  return Math.round(min * Math.pow(max / min, u));
}

interface ReleaseObject {
  readonly spec: ObjectSpec;
  readonly perSession: number;
}

/**
 * The families of the releases: one per (release, content type), objects most requested first.
 * Releases must have a title or paths that differ; a path listed twice (in any release) counts once.
 */
export function releaseFamilies(entries: readonly ReleaseEntry[], model: SimModel, profile: WorkloadProfile, catalog: Catalog, seed: number): ReleaseFamily[] {
  const rp = profile.releases ?? DEFAULT_RELEASE_PROFILE;
  const v = profile.video;
  const R = v.renditions.length;
  const x = dropOffRate(v.meanWatchedShare);
  const midMinutes = (v.durationMinutes[0] + v.durationMinutes[1]) / 2;
  const segmentsOfMidTitle = (midMinutes * 60) / v.segmentSeconds;
  const video = catalog.type('video').sizeBytes;
  const segmentBytes = (r: number) => {
    const step = r < 0 ? 0.5 : R === 1 ? 1 : r / (R - 1);
    return Math.max(1, Math.round((video.min * Math.pow(video.max / video.min, step)) / segmentsOfMidTitle));
  };
  const renditionOf = (path: string) => v.renditions.findIndex((rd) => path.includes(`/${rd.name}/`) || path.includes(`/${rd.name}.`));
  const c = profile.catalog;
  const thumbs = catalog.type('thumbnails').sizeBytes;
  const formatFactor: Record<string, number> = { avif: 0.6, webp: 0.75, jpeg: 1, png: 1.3 };
  const W = c.imageWidths.length;
  const seen = new Set<string>();
  const out: ReleaseFamily[] = [];

  entries.forEach((rel, ri) => {
    const byType = new Map<ContentTypeName, ReleaseObject[]>();
    const add = (type: ContentTypeName, o: ReleaseObject) => (byType.get(type) ?? byType.set(type, []).get(type)!).push(o);
    // segments per rendition, in the order listed
    const segments = new Map<number, string[]>();
    const unique = rel.paths.filter((p) => !seen.has(p) && (seen.add(p), true));
    const kinds = unique.map((raw) => {
      const q = raw.indexOf('?');
      const path = q < 0 ? raw : raw.slice(0, q);
      const query = q < 0 ? '' : raw.slice(q + 1);
      const type = model.select(path).contentType;
      const ext = extensionOf(path);
      const isPlaylist = ext === 'm3u8' || ext === 'mpd';
      if (type === 'video' && !isPlaylist) {
        const r = renditionOf(path);
        (segments.get(r) ?? segments.set(r, []).get(r)!).push(raw);
      }
      return { raw, path, query, type, ext, isPlaylist };
    });
    const asset = (path: string) => `release:${ri}:${path}`;
    kinds.forEach((k, i) => {
      const known = EXTENSION_MEDIA_TYPES[k.ext];
      const base = { path: k.path, query: k.query, method: 'GET' as const, rangeIndex: -1, asset: asset(k.raw), invalidationItems: [k.query ? `${k.path}*` : k.path] };
      if (k.type === 'video') {
        const r = renditionOf(k.path);
        const share = r < 0 ? 1 : v.renditions[r]!.share;
        if (k.isPlaylist) {
          const master = k.path.slice(k.path.lastIndexOf('/') + 1).startsWith('master') || k.ext === 'mpd';
          add('video', {
            spec: { ...base, mediaType: known!.mediaType, size: logUniform(v.manifestBytes[0], v.manifestBytes[1], hashUnit(seed, 701, ri * 100_003 + i)), compressionFamily: 'manifest' },
            perSession: master ? 1 : (v.manifestsPerSession - 1) * share,
          });
        } else {
          const list = segments.get(r)!;
          const j = list.indexOf(k.raw);
          add('video', {
            spec: { ...base, mediaType: known?.mediaType ?? 'video/mp4', size: segmentBytes(r), ...(known?.family ? { compressionFamily: known.family } : {}) },
            perSession: share * Math.exp((-j * x) / list.length),
          });
        }
      } else if (k.type === 'thumbnails' && k.query === '') {
        // one object per width × format variant, as the normalize function leaves the query
        c.imageWidths.forEach((wd, wi) => c.imageFormats.forEach((f) => {
          const step = W === 1 ? 1 : wi / (W - 1);
          const size = Math.min(thumbs.max, Math.max(thumbs.min, Math.round(thumbs.min * Math.pow(thumbs.max / thumbs.min, step) * (formatFactor[f.format] ?? 1) * (0.85 + 0.3 * hashUnit(seed, 702, ri * 100_003 + i)))));
          add('thumbnails', {
            spec: { ...base, query: `width=${wd.width}&quality=80&format=${f.format}`, mediaType: `image/${f.format}`, size },
            perSession: rp.imagesPerSession * wd.share * f.share,
          });
        }));
      } else {
        const range = catalog.type(k.type).sizeBytes;
        add(k.type, {
          spec: { ...base, mediaType: known?.mediaType ?? 'application/octet-stream', size: logUniform(range.min, range.max, hashUnit(seed, 703, ri * 100_003 + i)), ...(known?.family ? { compressionFamily: known.family } : {}) },
          perSession: rp.documentsPerSession,
        });
      }
    });
    for (const [type, objects] of byType) {
      // most requested first, listing order on ties (the sampler keeps one object per block of neighbours)
      const order = objects.map((o, i) => ({ o, i })).sort((a, b) => b.o.perSession - a.o.perSession || a.i - b.i).map((e) => e.o);
      out.push({
        release: ri,
        family: {
          name: `release:${rel.title ?? ri + 1}:${type}`,
          type,
          count: order.length,
          assets: order.length,
          itemsPerUpdate: 0,
          forEach(cb) { order.forEach((o, ref) => cb(ref, o.perSession, o.spec.size)); },
          describe(ref) { return order[ref]!.spec; },
        },
      });
    }
  });
  return out;
}

export interface ReleaseManifestOptions {
  /** Series of the seed (e.g. 't0'); each gets one new episode. */
  readonly series: readonly string[];
  /** Release time of every episode, epoch seconds. */
  readonly releaseAtSec: number;
  /** Episode code. @default 's01e09' */
  readonly episode?: string;
  /** Episode length, minutes. @default 45 */
  readonly minutes?: number;
  /** Episode stills per episode. @default 4 */
  readonly images?: number;
}

/**
 * A release manifest for new episodes of seed titles, HLS-packaged as the platform publishes them:
 * per episode the master playlist, one media playlist and the 6-second segments per rendition, its
 * stills and its metadata document. Written as JSON, `npm run warm -- --releases` reads it as is.
 */
export function episodeReleaseManifest(profile: WorkloadProfile, o: ReleaseManifestOptions): { title: string; releaseAt: string; paths: string[] }[] {
  const episode = o.episode ?? 's01e09';
  const segments = Math.ceil(((o.minutes ?? 45) * 60) / profile.video.segmentSeconds);
  return o.series.map((series) => {
    const base = `/video/${series}/${episode}`;
    const paths = [`${base}/master.m3u8`];
    for (const r of profile.video.renditions) paths.push(`${base}/${r.name}/index.m3u8`);
    for (const r of profile.video.renditions) for (let j = 0; j < segments; j++) paths.push(`${base}/${r.name}/seg-${String(j).padStart(5, '0')}.ts`);
    for (let i = 0; i < (o.images ?? 4); i++) paths.push(`/thumbnails/${series}/${episode}/still${i}.jpg`);
    paths.push(`/metadata/episodes/${series}-${episode}.json`);
    return { title: `${series} ${episode}`, releaseAt: new Date(o.releaseAtSec * 1000).toISOString(), paths };
  });
}
