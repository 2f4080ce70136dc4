/**
 * What viewers feel, per viewer region: player sessions (./session.ts) simulated over the region's
 * simulated TTFB of video manifests, first segments and later segments (EngineStats.videoTtfbByRegion)
 * and the region's viewer throughput, against the player targets (./player.ts). Pure.
 *
 * Each region plays `sessionsPerRegion` sessions; a session's median throughput is lognormal around
 * the region's `viewerMbps`. Startup percentiles are nearest-rank over the sessions; the rebuffering
 * ratio is the region's total stall over its total stall + watch time (how Conviva and Mux aggregate
 * it). A region whose viewers made no video segment request is left out. When a region has no
 * manifest (or first-segment) request in the sample, its first-segment (or later-segment) TTFB
 * stands in, and the result says so (`ttfbStandIns`).
 */
import type { Catalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { VIDEO_ROLES } from '../engine';
import { bucketUpperMs, HIST_BUCKETS } from '../latency';
import { REGIONS, type Region, type WorkloadProfile } from '../profile';
import { Rng } from '../rng';
import { abrLadder, manifestBytesOf, watchSecondsOf } from './ladder';
import { DEFAULT_PLAYER_PROFILE, validatePlayerProfile, type PlayerProfile, type PlayerTargets } from './player';
import { simulateSession, type PlayerTtfb, type Rendition, type SessionWorld, type TtfbSampler } from './session';

/** Everything the model needs besides the TTFB histograms: plain data (it travels in shard part files). */
export interface VideoExperienceInputs {
  readonly ladder: readonly Rendition[];
  readonly segmentSeconds: number;
  readonly watchSeconds: number;
  readonly manifestBytes: number;
  /** Median viewer throughput by region, Mbps. */
  readonly viewerMbps: Readonly<Record<Region, number>>;
  readonly player: PlayerProfile;
  readonly seed: number;
}

export interface VideoRegionResult {
  readonly sessions: number;
  readonly viewerMbps: number;
  readonly startupP50Ms: number;
  readonly startupP95Ms: number;
  /** Share of the sessions' startup time spent waiting for first bytes (the rest is transfer at the viewer's throughput). */
  readonly startupTtfbShare: number;
  /** Stall over stall + watch time, all sessions of the region. */
  readonly rebufferingRatio: number;
  /** Share of sessions that stalled at least once after starting. */
  readonly sessionsWithStall: number;
  /** Media-time-weighted mean bitrate played, Mbps. */
  readonly meanBitrateMbps: number;
  readonly startupPass: boolean;
  readonly rebufferingPass: boolean;
  /** Player requests whose region had no simulated TTFB of their own and what stood in. */
  readonly ttfbStandIns: readonly string[];
}

/** Every region's sessions together, each region weighted by its viewers' video segment requests. */
export interface VideoOverallResult {
  readonly startupP50Ms: number;
  readonly startupP95Ms: number;
  readonly rebufferingRatio: number;
  readonly startupPass: boolean;
  readonly rebufferingPass: boolean;
}

export interface VideoExperienceResult {
  readonly ladder: readonly Rendition[];
  readonly segmentSeconds: number;
  readonly watchSeconds: number;
  readonly targets: PlayerTargets;
  readonly regions: Readonly<Partial<Record<Region, VideoRegionResult>>>;
  /** All viewers (absent when no region had video requests). */
  readonly overall?: VideoOverallResult;
  /** Every region meets both targets. */
  readonly pass: boolean;
}

/** The model's inputs from the workload profile and the catalog (the player profile: `profile.player`, else the default). */
export function videoExperienceInputs(profile: WorkloadProfile, catalog: Catalog, seed: number): VideoExperienceInputs {
  const viewerMbps = {} as Record<Region, number>;
  for (const r of REGIONS) viewerMbps[r] = profile.regions[r].viewerMbps;
  return {
    ladder: abrLadder(profile, catalog), segmentSeconds: profile.video.segmentSeconds, watchSeconds: watchSecondsOf(profile),
    manifestBytes: manifestBytesOf(profile), viewerMbps, player: profile.player ?? DEFAULT_PLAYER_PROFILE, seed,
  };
}

/** Checks the inputs. @throws InputError naming each bad field. */
export function validateVideoExperienceInputs(x: VideoExperienceInputs): void {
  validatePlayerProfile(x.player);
  const problems: string[] = [];
  if (x.ladder.length === 0) problems.push('video.renditions must list at least one rendition.');
  x.ladder.forEach((r, i) => {
    if (!(Number.isFinite(r.bitrateMbps) && r.bitrateMbps > 0)) problems.push(`rendition '${r.name}' must have a bitrate in Mbps > 0, got ${r.bitrateMbps}.`);
    else if (i > 0 && r.bitrateMbps < x.ladder[i - 1]!.bitrateMbps) problems.push(`renditions must be listed lowest bitrate first: '${r.name}' (${r.bitrateMbps} Mbps) follows '${x.ladder[i - 1]!.name}' (${x.ladder[i - 1]!.bitrateMbps} Mbps).`);
  });
  if (!(Number.isFinite(x.segmentSeconds) && x.segmentSeconds > 0)) problems.push(`video.segmentSeconds must be a number of seconds > 0, got ${x.segmentSeconds}.`);
  else if (x.player.maxBufferSeconds < x.segmentSeconds) problems.push(`player.maxBufferSeconds (${x.player.maxBufferSeconds}) must hold at least one segment of ${x.segmentSeconds} s.`);
  if (!(Number.isFinite(x.watchSeconds) && x.watchSeconds > 0)) problems.push(`the watched media per session must be a number of seconds > 0, got ${x.watchSeconds} (video.meanWatchedShare × video.durationMinutes).`);
  if (!(Number.isFinite(x.manifestBytes) && x.manifestBytes >= 0)) problems.push(`the playlist size must be a number of bytes ≥ 0, got ${x.manifestBytes}.`);
  for (const r of REGIONS) {
    const m = x.viewerMbps[r];
    if (!(typeof m === 'number' && Number.isFinite(m) && m > 0)) problems.push(`regions.${r}.viewerMbps must be a throughput in Mbps > 0, got ${m}.`);
  }
  if (problems.length > 0) throw new InputError(problems);
}

/** A sampler over histogram `h[offset .. offset + HIST_BUCKETS)` (bucket upper bounds, as percentileMs); undefined when empty. */
export function histogramSampler(h: Float64Array, offset: number): TtfbSampler | undefined {
  const cum = new Float64Array(HIST_BUCKETS);
  let acc = 0;
  for (let b = 0; b < HIST_BUCKETS; b++) { acc += h[offset + b]!; cum[b] = acc; }
  if (!(acc > 0)) return undefined;
  const total = acc;
  return {
    sample(u: number): number {
      const target = u * total;
      let lo = 0, hi = HIST_BUCKETS - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > target) hi = mid;
        else lo = mid + 1;
      }
      return bucketUpperMs(lo);
    },
  };
}

const ROLE_NAMES = ['manifest', 'first segment', 'segment'] as const;

/** The player TTFB of one region from its three role histograms; undefined when it has no segment TTFB at all. */
function regionTtfb(hist: Float64Array, ri: number): { ttfb: PlayerTtfb; standIns: string[] } | undefined {
  const [manifest, first, later] = [0, 1, 2].map((role) => histogramSampler(hist, (ri * VIDEO_ROLES + role) * HIST_BUCKETS));
  const segment = later ?? first;
  if (segment === undefined) return undefined;
  const standIns: string[] = [];
  const firstSegment = first ?? segment;
  if (first === undefined) standIns.push(`${ROLE_NAMES[1]}: ${ROLE_NAMES[2]} TTFB`);
  if (later === undefined) standIns.push(`${ROLE_NAMES[2]}: ${ROLE_NAMES[1]} TTFB`);
  const m = manifest ?? firstSegment;
  if (manifest === undefined) standIns.push(`${ROLE_NAMES[0]}: ${first ? ROLE_NAMES[1] : ROLE_NAMES[2]} TTFB`);
  return { ttfb: { manifest: m, firstSegment, segment }, standIns };
}

/** Nearest-rank q-quantile of sorted values. */
function nearestRank(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * Plays the sessions of every region with video requests. `videoTtfbByRegion` is
 * EngineStats.videoTtfbByRegion. @throws InputError for bad inputs or a histogram of the wrong size.
 */
export function videoExperience(videoTtfbByRegion: Float64Array, x: VideoExperienceInputs): VideoExperienceResult {
  validateVideoExperienceInputs(x);
  const expected = REGIONS.length * VIDEO_ROLES * HIST_BUCKETS;
  if (videoTtfbByRegion.length !== expected) throw new InputError(`the video TTFB histograms must hold ${expected} buckets (${REGIONS.length} regions × ${VIDEO_ROLES} roles × ${HIST_BUCKETS}), got ${videoTtfbByRegion.length}.`);
  const { player: p } = x;
  const regions: Partial<Record<Region, VideoRegionResult>> = {};
  const pooled: { startup: Float64Array; weight: number; stall: number; watch: number }[] = [];
  REGIONS.forEach((region, ri) => {
    const t = regionTtfb(videoTtfbByRegion, ri);
    if (t === undefined) return;
    const world: SessionWorld = { ladder: x.ladder, segmentSeconds: x.segmentSeconds, watchSeconds: x.watchSeconds, manifestBytes: x.manifestBytes, player: p, ttfb: t.ttfb };
    const rng = new Rng(x.seed, 31 + ri);
    const n = p.sessionsPerRegion;
    const startup = new Float64Array(n);
    let stall = 0, watch = 0, stalled = 0, bitrate = 0, startupTotal = 0, startupTtfb = 0;
    for (let s = 0; s < n; s++) {
      const mbps = x.viewerMbps[region] * Math.exp(p.viewerThroughputSigma * rng.normal());
      const o = simulateSession(world, mbps, rng);
      startup[s] = o.startupMs;
      startupTotal += o.startupMs;
      startupTtfb += o.startupTtfbMs;
      stall += o.stallMs;
      watch += o.watchMs;
      bitrate += o.meanBitrateMbps;
      if (o.stallMs > 0) stalled++;
    }
    startup.sort();
    const p95 = nearestRank(startup, 0.95);
    const ratio = stall / (stall + watch);
    pooled.push({ startup, weight: segmentRequests(videoTtfbByRegion, ri) / n, stall, watch });
    regions[region] = {
      sessions: n, viewerMbps: x.viewerMbps[region],
      startupP50Ms: round(nearestRank(startup, 0.5), 1), startupP95Ms: round(p95, 1), startupTtfbShare: round(startupTtfb / startupTotal, 4),
      rebufferingRatio: round(ratio, 6), sessionsWithStall: round(stalled / n, 4), meanBitrateMbps: round(bitrate / n, 2),
      startupPass: p95 <= p.targets.startupP95Ms, rebufferingPass: ratio <= p.targets.rebufferingRatio, ttfbStandIns: t.standIns,
    };
  });
  const values = Object.values(regions);
  return {
    ladder: x.ladder.map((r) => ({ name: r.name, bitrateMbps: round(r.bitrateMbps, 3) })), segmentSeconds: x.segmentSeconds,
    watchSeconds: x.watchSeconds, targets: p.targets, regions, ...(pooled.length > 0 ? { overall: overallOf(pooled, p.targets) } : {}),
    pass: values.length > 0 && values.every((r) => r.startupPass && r.rebufferingPass),
  };
}

/** Weight of the segment requests (first and later) of region `ri`. */
function segmentRequests(h: Float64Array, ri: number): number {
  let n = 0;
  for (const role of [1, 2]) {
    const off = (ri * VIDEO_ROLES + role) * HIST_BUCKETS;
    for (let b = 0; b < HIST_BUCKETS; b++) n += h[off + b]!;
  }
  return n;
}

/** The regions' sessions pooled, each session weighted by its region's segment requests per session (weighted nearest rank). */
function overallOf(pooled: readonly { startup: Float64Array; weight: number; stall: number; watch: number }[], targets: PlayerTargets): VideoOverallResult {
  const all: [number, number][] = [];
  for (const g of pooled) for (const ms of g.startup) all.push([ms, g.weight]);
  all.sort((a, b) => a[0] - b[0]);
  const total = all.reduce((s, [, w]) => s + w, 0);
  const quantile = (q: number) => {
    let acc = 0;
    for (const [ms, w] of all) { acc += w; if (acc >= q * total) return ms; }
    return all[all.length - 1]![0];
  };
  const stall = pooled.reduce((s, g) => s + g.weight * g.stall, 0);
  const played = pooled.reduce((s, g) => s + g.weight * (g.stall + g.watch), 0);
  const p95 = quantile(0.95);
  const ratio = played > 0 ? stall / played : 0;
  return {
    startupP50Ms: round(quantile(0.5), 1), startupP95Ms: round(p95, 1), rebufferingRatio: round(ratio, 6),
    startupPass: p95 <= targets.startupP95Ms, rebufferingPass: ratio <= targets.rebufferingRatio,
  };
}
