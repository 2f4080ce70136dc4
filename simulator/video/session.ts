/**
 * One video player session, step by step (docs/viewer-experience.md):
 *
 * 1. startup: the master playlist, then the chosen rendition's media playlist, its init segment and
 *    the segments that make up the startup buffer, one after another; each request waits its time
 *    to first byte (drawn from the simulated CDN's TTFB for that kind of request) and then its body
 *    at the viewer's throughput. Startup time is the time until that buffer is full.
 * 2. playback: the player fetches the next segment whenever its forward buffer has room for one;
 *    while a fetch is under way the buffer drains at 1 s per s, and when it empties the session
 *    stalls until the segment arrives. Rebuffering ratio = stall / (stall + watch).
 * 3. ABR: before each segment the player picks the highest rendition whose bitrate × the bandwidth
 *    variance fits its bandwidth estimate (the lowest when none does); the estimate starts at the
 *    player's default and follows each segment's measured throughput (bits over TTFB + transfer) as
 *    an exponentially weighted mean. A switch costs the new rendition's media playlist and init segment.
 *
 * Pure and deterministic: the random draws come from the caller's generator.
 */
import type { PlayerProfile } from './player';

/** One rung of the ABR ladder. */
export interface Rendition {
  readonly name: string;
  readonly bitrateMbps: number;
}

/** A time-to-first-byte distribution: the ms at quantile `u` ∈ [0, 1). */
export interface TtfbSampler {
  sample(u: number): number;
}

/** TTFB of the three kinds of request a player makes. */
export interface PlayerTtfb {
  readonly manifest: TtfbSampler;
  /** The first segment of a rendition (and its init segment, the same file's first bytes). */
  readonly firstSegment: TtfbSampler;
  readonly segment: TtfbSampler;
}

/** What a session plays and how the player behaves; the same for every session of a region. */
export interface SessionWorld {
  /** Renditions, lowest bitrate first. */
  readonly ladder: readonly Rendition[];
  readonly segmentSeconds: number;
  /** Media watched per session, seconds (rounded up to whole segments). */
  readonly watchSeconds: number;
  /** Bytes of one playlist (master or media). */
  readonly manifestBytes: number;
  readonly player: PlayerProfile;
  readonly ttfb: PlayerTtfb;
}

/** The random draws a session needs (simulator/rng.ts Rng has both). */
export interface Draws {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

export interface SessionOutcome {
  readonly startupMs: number;
  /** Of the startup time, the time spent waiting for first bytes (the CDN's share), ms. */
  readonly startupTtfbMs: number;
  readonly stallMs: number;
  /** Media played, ms (whole segments). */
  readonly watchMs: number;
  /** Media-time-weighted mean bitrate of the segments played, Mbps. */
  readonly meanBitrateMbps: number;
}

/** Index of the highest rendition whose bitrate × variance fits the estimate; 0 when none does. */
export function pickRendition(ladder: readonly Rendition[], estimateMbps: number, variance: number): number {
  let pick = 0;
  for (let r = 0; r < ladder.length; r++) if (ladder[r]!.bitrateMbps * variance <= estimateMbps) pick = r;
  return pick;
}

/**
 * Plays one session for a viewer whose median throughput is `throughputMbps`; each segment's
 * throughput varies around it by the player profile's `segmentThroughputSigma`.
 */
export function simulateSession(world: SessionWorld, throughputMbps: number, draws: Draws): SessionOutcome {
  const { ladder, segmentSeconds: D, player: p, ttfb } = world;
  const transfer = (bytes: number, mbps: number) => (bytes * 8) / (mbps * 1e6);
  let waited = 0;
  const ttfbS = (s: TtfbSampler) => {
    const seconds = s.sample(draws.next()) / 1000;
    waited += seconds;
    return seconds;
  };
  const playlist = () => ttfbS(ttfb.manifest) + transfer(world.manifestBytes, throughputMbps);
  const init = () => ttfbS(ttfb.firstSegment) + transfer(p.initSegmentBytes, throughputMbps);
  const segments = Math.max(1, Math.ceil(world.watchSeconds / D - 1e-9));
  const startupSegments = Math.min(segments, Math.max(1, Math.ceil(p.startupBufferSeconds / D - 1e-9)));

  let estimate = p.initialEstimateMbps;
  let measured = false;
  let rendition = pickRendition(ladder, estimate, p.bandwidthVariance);
  let bits = 0;
  /** Fetches segment i on the current rendition: seconds from request to last byte. */
  const fetchSegment = (i: number): number => {
    const mbps = p.segmentThroughputSigma === 0 ? throughputMbps : throughputMbps * Math.exp(p.segmentThroughputSigma * draws.normal());
    const segmentBits = ladder[rendition]!.bitrateMbps * 1e6 * D;
    const seconds = ttfbS(i === 0 ? ttfb.firstSegment : ttfb.segment) + segmentBits / (mbps * 1e6);
    bits += segmentBits;
    const sample = segmentBits / seconds / 1e6;
    estimate = measured ? p.estimateWeight * sample + (1 - p.estimateWeight) * estimate : sample;
    measured = true;
    return seconds;
  };
  /** Picks the next segment's rendition; a switch costs its media playlist and init segment, seconds. */
  const adapt = (): number => {
    const next = pickRendition(ladder, estimate, p.bandwidthVariance);
    if (next === rendition) return 0;
    rendition = next;
    return playlist() + init();
  };

  // 1. startup
  let clock = playlist() + playlist() + init();
  for (let i = 0; i < startupSegments; i++) {
    if (i > 0) clock += adapt();
    clock += fetchSegment(i);
  }
  const startupMs = clock * 1000;
  const startupTtfbMs = waited * 1000;

  // 2. playback
  let buffer = startupSegments * D;
  let stall = 0;
  for (let i = startupSegments; i < segments; i++) {
    // room for one more segment: idle (playing) until the buffer is down to maxBuffer − D
    const room = Math.max(D, p.maxBufferSeconds) - D;
    if (buffer > room) buffer = room;
    const f = adapt() + fetchSegment(i);
    if (f > buffer) { stall += f - buffer; buffer = 0; }
    else buffer -= f;
    buffer += D;
  }
  return { startupMs, startupTtfbMs, stallMs: stall * 1000, watchMs: segments * D * 1000, meanBitrateMbps: bits / (segments * D) / 1e6 };
}
