/**
 * The seed workload: every assumption the simulator makes about viewers and traffic (the network's
 * own assumptions live in lib/network.ts and are referenced here), each with its source or marked [assumption] (our own estimate, documented in
 * docs/performance-analysis.md). Content-type facts (size ranges, update intervals, targets, routes)
 * are NOT here: they come from the catalog (lib/catalog) through the plan.
 *
 * Every number is a default that a caller may override (`WorkloadProfile` is plain data).
 */
import type { ContentTypeName } from '../lib/catalog';
import type { FaultMode } from '../lib/faults/scenarios';
import { NETWORK_PROFILE, type NetworkProfile } from '../lib/network';
import type { PriceRegionGroup } from '../lib/semantics/pricing';
import type { PlayerProfile } from './video/player';

/** The five viewer regions; each has its edge locations and one regional edge cache. */
export const REGIONS = ['NA', 'EU', 'AP', 'SA', 'MEA'] as const;
export type Region = (typeof REGIONS)[number];
/** The regions' names in tables and reports. */
export const REGION_NAMES: Readonly<Record<Region, string>> = { NA: 'North America', EU: 'Europe', AP: 'Asia-Pacific', SA: 'South America', MEA: 'Middle East & Africa' };

export interface CountryProfile {
  /** ISO 3166-1 alpha-2. */
  readonly code: string;
  readonly region: Region;
  /** CloudFront data-transfer price group of the country (spec §13.2). */
  readonly priceGroup: PriceRegionGroup;
  /** Share of viewers, in percent (normalized over all countries). */
  readonly viewerShare: number;
  /** Edge locations (airport codes) that serve the country, nearest first. */
  readonly edges: readonly string[];
}

export interface RegionProfile {
  /** Edge locations of the region in order of size; the first `edgesPerRegion` are simulated. */
  readonly edges: readonly string[];
  /** Viewer download throughput, Mbps (for transfer time). */
  readonly viewerMbps: number;
  /** Hour of peak traffic in UTC (local 21:00). */
  readonly peakHourUtc: number;
}

/** How objects of a type change and are invalidated. */
export interface UpdateProfile {
  /** Share of the type's assets that change at each update interval (the interval is the catalog's). */
  readonly changedShare: number;
  /** Whether a change is followed by a CloudFront invalidation of the changed paths. */
  readonly invalidate: boolean;
}

export interface WorkloadProfile {
  /** Mean bandwidth to viewers over the day, Gbps (the source's 50 Gbps average). */
  readonly averageGbps: number;
  /** Peak 5-minute bandwidth over the average (the source's 100 Gbps peak ⇒ 2). */
  readonly peakToAverage: number;
  /** Share of each region's mean traffic that does not follow the daily curve (night-time floor). */
  readonly diurnalFloor: number;
  readonly regions: Readonly<Record<Region, RegionProfile>>;
  readonly countries: readonly CountryProfile[];
  /** Edge locations simulated per region (each with its own cache). */
  readonly edgesPerRegion: Readonly<Record<Region, number>>;
  /**
   * Viewer-side round trips, noise and connection reuse (lib/network.ts, with the sources). The AWS
   * Region round trips and the regional edge caches are fixed tables of that module.
   */
  readonly network: NetworkProfile;
  /** Origin time to first byte by origin kind, median ms. */
  readonly originFirstByteMs: Readonly<Record<'s3' | 'metadata' | 'api', number>>;
  /** Processing time of one CloudFront tier (lookup, headers), ms. */
  readonly tierProcessingMs: number;
  /** Viewer Accept-Encoding values and their shares (spec §5.3 normalizes them). */
  readonly acceptEncodings: readonly { readonly header: string | undefined; readonly share: number }[];
  /** Compressed size over original size, per encoding, by media type family. */
  readonly compressionRatio: Readonly<Record<'json' | 'javascript' | 'css' | 'html' | 'svg' | 'manifest', { readonly gzip: number; readonly br: number }>>;
  /** Zipf exponent of each type's popularity. */
  readonly zipfAlpha: Readonly<Record<ContentTypeName, number>>;
  readonly video: {
    /** Titles in the library. */
    readonly titles: number;
    /** Share of titles under /video/premium/ (signed URLs). */
    readonly premiumShare: number;
    /** Renditions with their share of playback; file sizes spread over the catalog's video size range. */
    readonly renditions: readonly { readonly name: string; readonly share: number }[];
    /** Title length range, minutes. */
    readonly durationMinutes: readonly [number, number];
    /** Segment duration, seconds (one byte range of the rendition file per segment). */
    readonly segmentSeconds: number;
    /** Mean share of a title a session watches (exponential drop-off from the start). */
    readonly meanWatchedShare: number;
    /** Manifest requests per playback session (master + media playlists + ABR switches). */
    readonly manifestsPerSession: number;
    /** Manifest size range, bytes. */
    readonly manifestBytes: readonly [number, number];
  };
  /** Requests per playback session for the other types (browsing, app, API). */
  readonly perSession: {
    readonly thumbnails: number;
    readonly metadata: number;
    readonly static: number;
    readonly apiPublic: number;
    readonly apiPrivateGet: number;
    /** Progress heartbeats and writes (POST): proxied, never cached, not in the hit ratio. */
    readonly apiPost: number;
  };
  readonly catalog: {
    /** Images per title (posters, backdrops, episode stills) under /thumbnails/. */
    readonly imagesPerTitle: number;
    /** Preview images per title under /previews/. */
    readonly previewsPerTitle: number;
    /** Requested widths (the normalize function's ladder) and their shares. */
    readonly imageWidths: readonly { readonly width: number; readonly share: number }[];
    /** Requested formats and their shares. */
    readonly imageFormats: readonly { readonly format: string; readonly share: number }[];
    readonly metadataDocuments: number;
    readonly staticFiles: number;
    readonly apiQueries: number;
  };
  readonly updates: Readonly<Record<ContentTypeName, UpdateProfile>>;
  /** Seconds between an update and its invalidation request. */
  readonly invalidationDelaySeconds: number;
  /**
   * The video player of the viewer-experience model (simulator/video: startup and rebuffering per
   * region) and its targets. @default DEFAULT_PLAYER_PROFILE
   */
  readonly player?: PlayerProfile;
  /** How the releases of a release manifest (new episodes) are watched. @default DEFAULT_RELEASE_PROFILE */
  readonly releases?: ReleaseProfile;
  /**
   * Windows (simulated seconds) in which every origin fails (5xx or unreachable): requests that need
   * an origin get a stale copy within `stale-if-error`, else an error (simulator/engine.ts).
   * @default none: origins never fail
   */
  readonly originOutages?: readonly OriginOutage[];
}

/** An origin outage: from `fromSec` (inclusive) to `toSec` (exclusive), simulated seconds. */
export interface OriginOutage {
  readonly fromSec: number;
  readonly toSec: number;
  /** Ids of the origins that fail (lib/faults picks them per scenario). @default every origin */
  readonly origins?: readonly string[];
  /** How they fail (lib/faults FaultMode). @default 'http5xx': the origin answers 503 at its usual speed */
  readonly mode?: FaultMode;
}

/**
 * Popularity of a release (simulator/workload/releases.ts): from its release time it ramps up to the
 * popularity of a top title within minutes, then decays exponentially.
 */
export interface ReleaseProfile {
  /** At its peak a release is watched as much as the video title of this popularity rank (1 = the most watched). */
  readonly peakTitleRank: number;
  /** Minutes from the release time to the peak (linear ramp). */
  readonly rampMinutes: number;
  /** Half-life of the popularity after the peak, hours. */
  readonly halfLifeHours: number;
  /** Requests per release session of each image variant group (the episode's stills) and each other document. */
  readonly imagesPerSession: number;
  readonly documentsPerSession: number;
}

/**
 * New episodes are watched at once: a new episode of a hit series is the most watched title of its
 * evening, within minutes of going live, and the interest decays over days (Yu et al., "Understanding
 * User Behavior in Large-Scale Video-on-Demand Systems", EuroSys 2006: the popularity of new content
 * drops quickly after its introduction). Rank 1, a 10-minute ramp and a 24-hour half-life are our
 * [assumption]; every session of a release fetches its master playlist, its media playlists and
 * segments like any title, one still per image listed and each listed document once.
 */
export const DEFAULT_RELEASE_PROFILE: ReleaseProfile = { peakTitleRank: 1, rampMinutes: 10, halfLifeHours: 24, imagesPerSession: 1, documentsPerSession: 1 };

/**
 * The seed profile. Sources:
 * - bandwidth: the "about 50 Gbps average and 100 Gbps peak";
 * - regions/countries: the issue's "20+ countries across 5 regions"; shares [assumption] shaped like a
 *   global streaming service (about a third North America, a third Europe);
 * - edges: CloudFront edge locations named by airport code as in `x-edge-location`
 *   (https://aws.amazon.com/cloudfront/features/#Global_Edge_Network); counts per region [assumption];
 * - network (round trips, regional edge caches, noise, handshakes): lib/network.ts, each with its source;
 * - 6-second segments: Apple HLS authoring specification
 *   (https://developer.apple.com/documentation/http-live-streaming/hls-authoring-specification-for-apple-devices);
 * - popularity: Zipf with α 0.7–1.0 is the usual fit for video and web objects (Breslau et al.,
 *   "Web Caching and Zipf-like Distributions", INFOCOM 1999; Cha et al., "I Tube, You Tube", IMC 2007);
 * - Accept-Encoding: browsers send `gzip, deflate, br` over HTTPS; TV and player stacks often gzip only
 *   [assumption for the mix];
 * - compression ratios: typical gzip level 6 / Brotli level 4–5 results on JSON, JS and CSS
 *   (Alakuijala et al., "Comparison of Brotli, Deflate, Zopfli, LZMA, LZHAM and Bzip2", Google 2015)
 *   [rounded assumption];
 * - per-session request counts and update shares [assumption], see docs/performance-analysis.md.
 */
export const SEED_PROFILE: WorkloadProfile = {
  averageGbps: 50,
  peakToAverage: 2,
  diurnalFloor: 0.25,
  regions: {
    NA: { edges: ['IAD', 'ORD', 'DFW', 'LAX', 'SEA', 'ATL', 'JFK', 'MIA', 'YYZ', 'YVR', 'QRO'], viewerMbps: 50, peakHourUtc: 2 },
    EU: { edges: ['FRA', 'LHR', 'CDG', 'AMS', 'MAD', 'MXP', 'ARN', 'WAW', 'MUC', 'MAN', 'MRS', 'IST', 'TLV'], viewerMbps: 50, peakHourUtc: 20 },
    AP: { edges: ['NRT', 'SIN', 'BOM', 'SYD', 'ICN', 'KIX', 'DEL', 'MEL', 'CGK'], viewerMbps: 40, peakHourUtc: 13 },
    SA: { edges: ['GRU', 'GIG', 'EZE', 'SCL', 'BOG'], viewerMbps: 25, peakHourUtc: 0 },
    MEA: { edges: ['DXB', 'JNB', 'LOS', 'CAI'], viewerMbps: 20, peakHourUtc: 18 },
  },
  countries: [
    { code: 'US', region: 'NA', priceGroup: 'US', viewerShare: 28, edges: ['IAD', 'ORD', 'DFW', 'LAX', 'SEA', 'ATL', 'JFK', 'MIA'] },
    { code: 'CA', region: 'NA', priceGroup: 'US', viewerShare: 3.5, edges: ['YYZ', 'YVR'] },
    { code: 'MX', region: 'NA', priceGroup: 'US', viewerShare: 3, edges: ['QRO'] },
    { code: 'GB', region: 'EU', priceGroup: 'EU', viewerShare: 6, edges: ['LHR', 'MAN'] },
    { code: 'DE', region: 'EU', priceGroup: 'EU', viewerShare: 6, edges: ['FRA', 'MUC'] },
    { code: 'FR', region: 'EU', priceGroup: 'EU', viewerShare: 5, edges: ['CDG', 'MRS'] },
    { code: 'ES', region: 'EU', priceGroup: 'EU', viewerShare: 3, edges: ['MAD'] },
    { code: 'IT', region: 'EU', priceGroup: 'EU', viewerShare: 3, edges: ['MXP'] },
    { code: 'NL', region: 'EU', priceGroup: 'EU', viewerShare: 2, edges: ['AMS'] },
    { code: 'SE', region: 'EU', priceGroup: 'EU', viewerShare: 1.5, edges: ['ARN'] },
    { code: 'PL', region: 'EU', priceGroup: 'EU', viewerShare: 1.5, edges: ['WAW'] },
    { code: 'TR', region: 'EU', priceGroup: 'EU', viewerShare: 1, edges: ['IST'] },
    { code: 'IL', region: 'EU', priceGroup: 'EU', viewerShare: 1, edges: ['TLV'] },
    { code: 'JP', region: 'AP', priceGroup: 'JP', viewerShare: 5, edges: ['NRT', 'KIX'] },
    { code: 'KR', region: 'AP', priceGroup: 'AP', viewerShare: 2, edges: ['ICN'] },
    { code: 'SG', region: 'AP', priceGroup: 'AP', viewerShare: 1.5, edges: ['SIN'] },
    { code: 'IN', region: 'AP', priceGroup: 'IN', viewerShare: 4, edges: ['BOM', 'DEL'] },
    { code: 'AU', region: 'AP', priceGroup: 'AU', viewerShare: 3, edges: ['SYD', 'MEL'] },
    { code: 'ID', region: 'AP', priceGroup: 'AP', viewerShare: 1.5, edges: ['CGK'] },
    { code: 'BR', region: 'SA', priceGroup: 'SA', viewerShare: 5, edges: ['GRU', 'GIG'] },
    { code: 'AR', region: 'SA', priceGroup: 'SA', viewerShare: 1.5, edges: ['EZE'] },
    { code: 'CL', region: 'SA', priceGroup: 'SA', viewerShare: 1, edges: ['SCL'] },
    { code: 'CO', region: 'SA', priceGroup: 'SA', viewerShare: 1, edges: ['BOG'] },
    { code: 'AE', region: 'MEA', priceGroup: 'ZA_ME', viewerShare: 1.5, edges: ['DXB'] },
    { code: 'ZA', region: 'MEA', priceGroup: 'ZA_ME', viewerShare: 1.5, edges: ['JNB'] },
    { code: 'NG', region: 'MEA', priceGroup: 'ZA_ME', viewerShare: 0.5, edges: ['LOS'] },
    { code: 'EG', region: 'MEA', priceGroup: 'ZA_ME', viewerShare: 0.5, edges: ['CAI'] },
  ],
  edgesPerRegion: { NA: 4, EU: 4, AP: 3, SA: 2, MEA: 2 },
  network: NETWORK_PROFILE,
  originFirstByteMs: { s3: 25, metadata: 20, api: 45 },
  tierProcessingMs: 1,
  acceptEncodings: [
    { header: 'gzip, deflate, br', share: 0.85 },
    { header: 'gzip, deflate', share: 0.12 },
    { header: undefined, share: 0.03 },
  ],
  compressionRatio: {
    json: { gzip: 0.22, br: 0.18 },
    javascript: { gzip: 0.3, br: 0.25 },
    css: { gzip: 0.22, br: 0.18 },
    html: { gzip: 0.3, br: 0.25 },
    svg: { gzip: 0.35, br: 0.3 },
    manifest: { gzip: 0.3, br: 0.25 },
  },
  zipfAlpha: { video: 1.0, thumbnails: 1.0, metadata: 0.9, static: 1.0, api: 0.9 },
  video: {
    titles: 5000,
    premiumShare: 0.2,
    renditions: [
      { name: '480p', share: 0.15 },
      { name: '720p', share: 0.3 },
      { name: '1080p', share: 0.45 },
      { name: '2160p', share: 0.1 },
    ],
    durationMinutes: [60, 120],
    segmentSeconds: 6,
    meanWatchedShare: 0.45,
    manifestsPerSession: 5,
    manifestBytes: [2_000, 20_000],
  },
  perSession: { thumbnails: 120, metadata: 40, static: 12, apiPublic: 30, apiPrivateGet: 6, apiPost: 80 },
  catalog: {
    imagesPerTitle: 10,
    previewsPerTitle: 1,
    imageWidths: [{ width: 160, share: 0.1 }, { width: 320, share: 0.5 }, { width: 640, share: 0.3 }, { width: 1280, share: 0.1 }],
    imageFormats: [{ format: 'avif', share: 0.3 }, { format: 'webp', share: 0.6 }, { format: 'jpeg', share: 0.1 }],
    metadataDocuments: 60_000,
    staticFiles: 1_500,
    apiQueries: 20_000,
  },
  updates: {
    video: { changedShare: 0.002, invalidate: true },
    thumbnails: { changedShare: 0.01, invalidate: true },
    metadata: { changedShare: 0.005, invalidate: true },
    static: { changedShare: 0.05, invalidate: true },
    api: { changedShare: 0.3, invalidate: false },
  },
  invalidationDelaySeconds: 60,
  releases: DEFAULT_RELEASE_PROFILE,
};
