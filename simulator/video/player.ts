/**
 * The player-session model's assumptions and targets, each with its source or marked [assumption]
 * (docs/viewer-experience.md). The ABR ladder itself is not here: it is the workload's renditions at
 * the bitrates their files have (./ladder.ts), and the segment duration is the workload's
 * (`WorkloadProfile.video.segmentSeconds`). Plain data: every field may be overridden per run.
 *
 * Sources:
 * - [vhs] Video.js http-streaming (VHS) defaults, src/config.js
 *   (https://app.unpkg.com/@videojs/http-streaming@2.15.0/files/src/config.js): GOAL_BUFFER_LENGTH
 *   30 s (the forward buffer the player fills before it idles), BANDWIDTH_VARIANCE 1.2 (a rendition
 *   is chosen only when the estimated bandwidth exceeds its bitrate × 1.2), INITIAL_BANDWIDTH
 *   4,194,304 bit/s (the estimate before any segment was measured).
 * - [startup] startup time is "the time between when the user attempts to start playback and when
 *   they see the first frame" (Mux, https://www.mux.com/docs/guides/data-startup-time-metric.md);
 *   here: until the first `startupBufferSeconds` of media are buffered. Two seconds is the figure
 *   streaming reports hold viewers to: "2 seconds to deliver: start your stream or lose your
 *   audience" (Conviva, http://conviva.com/?p=1002) and "a two-second increase in start-up time can
 *   result in as much as 50 percent of the audience giving up" (Akamai's OVSP report, as quoted by
 *   Streaming Media, https://streamingmedia.com/Articles/News/Online-Video-News/Start-Up-Time-Rated-Most-Important-Factor-for-Streaming-Services-124163.aspx).
 *   Holding the p95 (not the mean) to 2 s is our [assumption].
 * - [rebuffering] rebuffering ratio = stall time / (stall time + watch time), Mux's Rebuffer
 *   Percentage and Conviva's rebuffering ratio; Conviva measured 0.78 % across its customers in
 *   Q2 2018 and put the engagement gain below 0.4 % (as reported by
 *   https://blog.codavel.com/high-quality-video-without-buffering-is-it-possible-in-a-mobile-app).
 *   The 0.5 % target — better than that industry average — is our [assumption].
 * - [throughput] the viewers' download throughput per region is lognormal around the region's
 *   `viewerMbps` (simulator/profile.ts, the same figure the engine's transfer times use); the spread
 *   between viewers (σ 0.6: a tenth of viewers below 0.46× the median) and from one segment to the
 *   next within a session (σ 0.25) are [assumption].
 * - [start] playback starts once one segment is buffered (VHS starts as soon as the first segment is
 *   appended) [assumption for the player mix]; the init segment (fMP4 `moov`, one per rendition)
 *   is 2 KB [assumption]; the session watches the workload's mean watched share of a title of middle
 *   length (`meanWatchedShare` × the middle of `durationMinutes`).
 */
import { InputError } from '../../lib/errors';

export interface PlayerTargets {
  /** Startup time the p95 of sessions must stay within, ms ([startup]). @default 2000 */
  readonly startupP95Ms: number;
  /** Largest rebuffering ratio (stall / (stall + watch)), a fraction ([rebuffering]). @default 0.005 */
  readonly rebufferingRatio: number;
}

export interface PlayerProfile {
  /** Media buffered before playback starts, seconds ([start]); rounded up to whole segments. */
  readonly startupBufferSeconds: number;
  /** Forward buffer the player fills before it pauses downloading, seconds ([vhs] GOAL_BUFFER_LENGTH). */
  readonly maxBufferSeconds: number;
  /** A rendition is chosen when the bandwidth estimate ≥ its bitrate × this ([vhs] BANDWIDTH_VARIANCE). */
  readonly bandwidthVariance: number;
  /** Bandwidth estimate before the first segment, Mbps ([vhs] INITIAL_BANDWIDTH). */
  readonly initialEstimateMbps: number;
  /** Weight of the newest segment in the bandwidth estimate (exponentially weighted mean) [assumption]. */
  readonly estimateWeight: number;
  /** Bytes of one rendition's init segment ([start]). */
  readonly initSegmentBytes: number;
  /** Lognormal σ of throughput between viewers of one region ([throughput]). */
  readonly viewerThroughputSigma: number;
  /** Lognormal σ of throughput from one segment to the next within a session ([throughput]). */
  readonly segmentThroughputSigma: number;
  /** Sessions simulated per viewer region (Monte Carlo over the region's TTFB and throughput). */
  readonly sessionsPerRegion: number;
  readonly targets: PlayerTargets;
}

export const DEFAULT_PLAYER_TARGETS: PlayerTargets = { startupP95Ms: 2000, rebufferingRatio: 0.005 };

export const DEFAULT_PLAYER_PROFILE: PlayerProfile = {
  startupBufferSeconds: 6,
  maxBufferSeconds: 30,
  bandwidthVariance: 1.2,
  initialEstimateMbps: 4_194_304 / 1e6,
  estimateWeight: 0.3,
  initSegmentBytes: 2_000,
  viewerThroughputSigma: 0.6,
  segmentThroughputSigma: 0.25,
  sessionsPerRegion: 2_000,
  targets: DEFAULT_PLAYER_TARGETS,
};

/** Checks a player profile. @throws InputError naming each bad field, the value and the range. */
export function validatePlayerProfile(p: PlayerProfile): void {
  const problems: string[] = [];
  const check = (name: string, value: number, ok: boolean, range: string) => {
    if (!ok) problems.push(`player.${name} must be ${range}, got ${value}.`);
  };
  const finite = (x: number) => typeof x === 'number' && Number.isFinite(x);
  check('startupBufferSeconds', p.startupBufferSeconds, finite(p.startupBufferSeconds) && p.startupBufferSeconds > 0, 'a number of seconds > 0');
  check('maxBufferSeconds', p.maxBufferSeconds, finite(p.maxBufferSeconds) && p.maxBufferSeconds >= p.startupBufferSeconds, `a number of seconds ≥ startupBufferSeconds (${p.startupBufferSeconds})`);
  check('bandwidthVariance', p.bandwidthVariance, finite(p.bandwidthVariance) && p.bandwidthVariance >= 1, 'a factor ≥ 1');
  check('initialEstimateMbps', p.initialEstimateMbps, finite(p.initialEstimateMbps) && p.initialEstimateMbps > 0, 'a bandwidth in Mbps > 0');
  check('estimateWeight', p.estimateWeight, finite(p.estimateWeight) && p.estimateWeight > 0 && p.estimateWeight <= 1, 'a weight in (0, 1]');
  check('initSegmentBytes', p.initSegmentBytes, finite(p.initSegmentBytes) && p.initSegmentBytes >= 0, 'a number of bytes ≥ 0');
  check('viewerThroughputSigma', p.viewerThroughputSigma, finite(p.viewerThroughputSigma) && p.viewerThroughputSigma >= 0 && p.viewerThroughputSigma <= 2, 'a lognormal σ from 0 to 2');
  check('segmentThroughputSigma', p.segmentThroughputSigma, finite(p.segmentThroughputSigma) && p.segmentThroughputSigma >= 0 && p.segmentThroughputSigma <= 2, 'a lognormal σ from 0 to 2');
  check('sessionsPerRegion', p.sessionsPerRegion, Number.isInteger(p.sessionsPerRegion) && p.sessionsPerRegion >= 1 && p.sessionsPerRegion <= 1_000_000, 'a whole number from 1 to 1,000,000');
  check('targets.startupP95Ms', p.targets.startupP95Ms, finite(p.targets.startupP95Ms) && p.targets.startupP95Ms > 0, 'a number of ms > 0');
  check('targets.rebufferingRatio', p.targets.rebufferingRatio, finite(p.targets.rebufferingRatio) && p.targets.rebufferingRatio >= 0 && p.targets.rebufferingRatio < 1, 'a fraction in [0, 1) (0.005 = 0.5 %)');
  if (problems.length > 0) throw new InputError(problems);
}
