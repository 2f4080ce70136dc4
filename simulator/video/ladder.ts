/**
 * The ABR ladder of the seed workload: its renditions (`WorkloadProfile.video.renditions`, lowest
 * first: 480p, 720p, 1080p, 2160p — the catalog's 4K/1080p/720p/480p) at the bitrates their files
 * have. The workload spreads the rendition files geometrically over the catalog's video size range
 * for a title of middle length (workload/families.ts `renditionLadderBytes`), so a rendition's
 * bitrate is its file's bits over that length: with 1–10 GB and 60–120 min titles, 1.48, 3.18,
 * 6.86 and 14.8 Mbps — in the range of Apple's HLS authoring ladder for 480p–2160p
 * (https://developer.apple.com/documentation/http-live-streaming/hls-authoring-specification-for-apple-devices).
 */
import type { Catalog } from '../../lib/catalog';
import type { WorkloadProfile } from '../profile';
import { renditionLadderBytes } from '../workload/families';
import type { Rendition } from './session';

/** The renditions of the workload with their bitrates, lowest first. */
export function abrLadder(profile: WorkloadProfile, catalog: Catalog): Rendition[] {
  const v = profile.video;
  const { min, max } = catalog.type('video').sizeBytes;
  const seconds = ((v.durationMinutes[0] + v.durationMinutes[1]) / 2) * 60;
  const R = v.renditions.length;
  return v.renditions.map((r, i) => ({ name: r.name, bitrateMbps: (renditionLadderBytes(min, max, R, i) * 8) / seconds / 1e6 }));
}

/** Media a session watches, seconds: the workload's mean watched share of a title of middle length. */
export function watchSecondsOf(profile: WorkloadProfile): number {
  const v = profile.video;
  return v.meanWatchedShare * ((v.durationMinutes[0] + v.durationMinutes[1]) / 2) * 60;
}

/** Bytes of one playlist: the geometric middle of the workload's manifest size range. */
export function manifestBytesOf(profile: WorkloadProfile): number {
  const [lo, hi] = profile.video.manifestBytes;
  return Math.round(Math.sqrt(lo * hi));
}
