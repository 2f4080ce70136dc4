/**
 * The network model: every assumption about round trips between viewers, CloudFront edge locations,
 * regional edge caches (RECs), Origin Shield and origins, each with its source. The simulator's
 * latency model (simulator/latency.ts), the regional-origin selection and the docs
 * (docs/performance-analysis.md, "The latency model") read these tables and nothing else.
 *
 * Sources:
 * - [cloudping] AWS Region ↔ AWS Region round trips: medians (p50) after the CloudPing grid,
 *   https://www.cloudping.co/grid (TCP round trips between the Regions' service endpoints, measured
 *   every 6 h; project https://github.com/mda590/cloudping.co), rounded to 5 ms. [unverified] The
 *   grid cannot be reached from the machine this table was written on: the figures were entered from
 *   recollection of it, not copied from a fetched page. Cross-checked against the one published table
 *   that could be read, "Latency Between AWS Global Regions" (averages, 2017, as reproduced in
 *   https://acomputerscientistlearnsaws.blogspot.com/2017/04/aws-regions.html): of the pairs it shares
 *   with this table, us-east-1 ↔ eu-central-1 (89 vs 90), ↔ ap-northeast-1 (145 vs 148),
 *   ↔ ap-northeast-2 (178 vs 175), ↔ ap-southeast-1 (217 vs 215), ↔ sa-east-1 (120 vs 115) and
 *   ap-northeast-1 ↔ ap-northeast-2 (31 vs 35) agree within 5 %; us-east-1 ↔ us-west-2 (87 vs 67),
 *   ↔ eu-west-1 (81 vs 68), ↔ ap-southeast-2 (230 vs 198) and Europe ↔ Singapore (239–326 vs
 *   155–175) are shorter here, as paths built since 2017 made them. Also checked against the issue's
 *   reference points (Asia-Pacific ↔ us-east-1 ≈ 185 ms weighted by viewers, South America ≈ 140,
 *   af-south-1 ≈ 225) and https://dev.to/aws-builders/looking-at-aws-inter-region-latency-through-distance-34eh.
 *   Replace the table with a fetched grid (or AWS Network Manager's inter-Region p50s) when one can be read.
 * - [intra-region] inside one Region (across Availability Zones): 0.25–3.4 ms measured by
 *   https://www.xkyle.com/Measuring-AWS-Region-and-AZ-Latency/ → 2 ms.
 * - [rec] the regional edge caches: CloudFront developer guide, "How CloudFront works with regional
 *   edge caches" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HowCloudFrontWorks.html#CloudFrontRegionaledgecaches)
 *   and the Origin Shield Regions, which are the RECs' Regions
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/origin-shield.html, spec §9.4):
 *   North America 3, Europe 3, Asia-Pacific 5, South America 1, none in the Middle East or Africa.
 * - [edge-rec] which REC an edge location uses is not published: each edge goes to its nearest REC by
 *   the matrix above [assumption]; Middle-East edges (Dubai) use Mumbai (ap-south-1) and African edges
 *   (Johannesburg, Lagos, Cairo) use Frankfurt (eu-central-1), the RECs AWS maps me-south-1 and
 *   af-south-1 Origin Shields towards (spec §9.4); edge ↔ REC round trips from the great-circle
 *   distance at ~1 ms per 100 km of fiber [assumption].
 * - [last-mile] viewer ↔ edge medians by region: typical fixed/mobile last-mile medians [assumption].
 * - [sigma] noise: lognormal σ 0.3 on the last mile (wide: Wi-Fi, mobile, congestion) [assumption];
 *   σ 0.08 on the AWS backbone (CloudPing's p90 sits ~5–15 % above its p50, i.e. σ ≈ 0.04–0.11);
 *   σ 0.3 on the origin's own first-byte time [assumption].
 * - [handshake] a new viewer connection costs TCP (1 RTT) + TLS 1.3 (1 RTT) before the request
 *   (RFC 8446 §2), QUIC/HTTP3 1 RTT for both (RFC 9000 §7); CloudFront supports HTTP/3
 *   (https://aws.amazon.com/blogs/aws/new-http-3-support-for-amazon-cloudfront/). The share of
 *   HTTP/3 requests (30 %) and the mean requests per viewer connection (50: players and browsers keep
 *   one HTTP/2 or HTTP/3 connection per host for a session) are [assumption].
 */
import { InputError } from './errors';

/** AWS Regions the round-trip matrix covers (every Region the config may name for origins/shields). */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-south-1',
  'me-south-1', 'me-central-1', 'af-south-1',
] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

/**
 * [cloudping] Median round trips, ms: row i lists the round trips from AWS_REGIONS[i] to
 * AWS_REGIONS[0 .. i-1] (lower triangle; the matrix is symmetric).
 */
const RTT_LOWER_TRIANGLE: readonly (readonly number[])[] = [
  /* us-east-1      */ [],
  /* us-east-2      */ [12],
  /* us-west-1      */ [62, 50],
  /* us-west-2      */ [67, 50, 22],
  /* ca-central-1   */ [16, 25, 78, 60],
  /* sa-east-1      */ [115, 125, 175, 175, 125],
  /* eu-west-1      */ [68, 78, 130, 125, 70, 175],
  /* eu-west-2      */ [76, 85, 138, 130, 78, 185, 12],
  /* eu-west-3      */ [80, 90, 140, 138, 86, 190, 18, 10],
  /* eu-central-1   */ [90, 98, 148, 145, 95, 200, 25, 16, 10],
  /* eu-north-1     */ [105, 115, 165, 155, 102, 215, 40, 32, 30, 22],
  /* ap-northeast-1 */ [148, 135, 110, 100, 145, 255, 200, 210, 215, 225, 245],
  /* ap-northeast-2 */ [175, 155, 130, 125, 170, 285, 230, 240, 245, 230, 250, 35],
  /* ap-southeast-1 */ [215, 200, 170, 165, 210, 325, 175, 165, 160, 155, 175, 70, 75],
  /* ap-southeast-2 */ [198, 190, 140, 140, 200, 310, 255, 265, 280, 285, 295, 110, 140, 92],
  /* ap-southeast-3 */ [225, 215, 185, 180, 225, 340, 190, 180, 175, 170, 190, 85, 90, 18, 95],
  /* ap-south-1     */ [185, 195, 230, 220, 190, 300, 125, 115, 110, 115, 135, 130, 145, 60, 150, 75],
  /* me-south-1     */ [160, 170, 220, 215, 165, 275, 95, 85, 80, 80, 100, 160, 175, 90, 180, 100, 35],
  /* me-central-1   */ [165, 175, 225, 220, 170, 280, 100, 90, 85, 85, 105, 165, 180, 95, 185, 105, 35, 8],
  /* af-south-1     */ [225, 235, 285, 280, 230, 340, 160, 150, 145, 155, 175, 350, 370, 300, 385, 315, 240, 230, 235],
];

/** [intra-region] Round trip inside one AWS Region, ms. */
export const SAME_REGION_RTT_MS = 2;

const REGION_INDEX: ReadonlyMap<string, number> = new Map(AWS_REGIONS.map((r, i) => [r, i]));

/** Whether the matrix knows an AWS Region. */
export function isKnownAwsRegion(region: string): region is AwsRegion {
  return REGION_INDEX.has(region);
}

function regionIndex(region: string, role: string): number {
  const i = REGION_INDEX.get(region);
  if (i === undefined) {
    throw new InputError(`${role} '${region}' is not an AWS Region the latency model knows; use one of ${AWS_REGIONS.join(', ')} (or add its round trips to lib/network.ts with their source).`);
  }
  return i;
}

/**
 * Median round trip between two AWS Regions, ms ([cloudping]; SAME_REGION_RTT_MS within one Region).
 * @throws InputError naming the known Regions when either is unknown.
 */
export function rttMs(a: string, b: string, role = 'AWS Region'): number {
  const i = regionIndex(a, role), j = regionIndex(b, role);
  if (i === j) return SAME_REGION_RTT_MS;
  return i > j ? RTT_LOWER_TRIANGLE[i]![j]! : RTT_LOWER_TRIANGLE[j]![i]!;
}

/** The viewer regions of the workload (simulator/profile.ts REGIONS). */
export type ViewerRegion = 'NA' | 'EU' | 'AP' | 'SA' | 'MEA';

export interface RegionalEdgeCache {
  /** AWS Region the REC sits in (the Origin Shield of that Region is this REC). */
  readonly awsRegion: AwsRegion;
  readonly city: string;
  readonly continent: 'NA' | 'EU' | 'AP' | 'SA';
}

/** [rec] CloudFront's regional edge caches: NA 3, EU 3, AP 5, SA 1; none in the Middle East or Africa. */
export const REGIONAL_EDGE_CACHES: readonly RegionalEdgeCache[] = [
  { awsRegion: 'us-east-1', city: 'N. Virginia', continent: 'NA' },
  { awsRegion: 'us-east-2', city: 'Ohio', continent: 'NA' },
  { awsRegion: 'us-west-2', city: 'Oregon', continent: 'NA' },
  { awsRegion: 'eu-central-1', city: 'Frankfurt', continent: 'EU' },
  { awsRegion: 'eu-west-1', city: 'Ireland', continent: 'EU' },
  { awsRegion: 'eu-west-2', city: 'London', continent: 'EU' },
  { awsRegion: 'ap-northeast-1', city: 'Tokyo', continent: 'AP' },
  { awsRegion: 'ap-northeast-2', city: 'Seoul', continent: 'AP' },
  { awsRegion: 'ap-southeast-1', city: 'Singapore', continent: 'AP' },
  { awsRegion: 'ap-southeast-2', city: 'Sydney', continent: 'AP' },
  { awsRegion: 'ap-south-1', city: 'Mumbai', continent: 'AP' },
  { awsRegion: 'sa-east-1', city: 'São Paulo', continent: 'SA' },
];

/** An edge location's REC and the median round trip to it. */
export interface EdgeRec {
  readonly rec: AwsRegion;
  readonly rttMs: number;
}

/** [edge-rec] Known edge locations (airport codes, as in `x-edge-location`): nearest REC and round trip. */
export const EDGE_RECS: Readonly<Record<string, EdgeRec>> = {
  // North America
  IAD: { rec: 'us-east-1', rttMs: 2 }, ORD: { rec: 'us-east-2', rttMs: 10 }, DFW: { rec: 'us-east-2', rttMs: 25 },
  LAX: { rec: 'us-west-2', rttMs: 25 }, SEA: { rec: 'us-west-2', rttMs: 4 }, ATL: { rec: 'us-east-1', rttMs: 14 },
  JFK: { rec: 'us-east-1', rttMs: 8 }, MIA: { rec: 'us-east-1', rttMs: 28 }, YYZ: { rec: 'us-east-2', rttMs: 12 },
  YVR: { rec: 'us-west-2', rttMs: 6 }, QRO: { rec: 'us-east-2', rttMs: 50 },
  // Europe
  FRA: { rec: 'eu-central-1', rttMs: 2 }, LHR: { rec: 'eu-west-2', rttMs: 2 }, CDG: { rec: 'eu-west-2', rttMs: 8 },
  AMS: { rec: 'eu-west-2', rttMs: 8 }, MAD: { rec: 'eu-central-1', rttMs: 25 }, MXP: { rec: 'eu-central-1', rttMs: 10 },
  ARN: { rec: 'eu-central-1', rttMs: 22 }, WAW: { rec: 'eu-central-1', rttMs: 18 }, MUC: { rec: 'eu-central-1', rttMs: 6 },
  MAN: { rec: 'eu-west-2', rttMs: 6 }, MRS: { rec: 'eu-central-1', rttMs: 15 }, DUB: { rec: 'eu-west-1', rttMs: 2 },
  IST: { rec: 'eu-central-1', rttMs: 40 }, TLV: { rec: 'eu-central-1', rttMs: 55 },
  // Asia-Pacific
  NRT: { rec: 'ap-northeast-1', rttMs: 2 }, KIX: { rec: 'ap-northeast-1', rttMs: 8 }, ICN: { rec: 'ap-northeast-2', rttMs: 2 },
  SIN: { rec: 'ap-southeast-1', rttMs: 2 }, CGK: { rec: 'ap-southeast-1', rttMs: 18 }, SYD: { rec: 'ap-southeast-2', rttMs: 2 },
  MEL: { rec: 'ap-southeast-2', rttMs: 12 }, BOM: { rec: 'ap-south-1', rttMs: 2 }, DEL: { rec: 'ap-south-1', rttMs: 25 },
  // South America (Bogotá is nearer N. Virginia, via Miami, than São Paulo)
  GRU: { rec: 'sa-east-1', rttMs: 2 }, GIG: { rec: 'sa-east-1', rttMs: 8 }, EZE: { rec: 'sa-east-1', rttMs: 40 },
  SCL: { rec: 'sa-east-1', rttMs: 55 }, BOG: { rec: 'us-east-1', rttMs: 60 },
  // Middle East and Africa: no REC of their own
  DXB: { rec: 'ap-south-1', rttMs: 30 }, JNB: { rec: 'eu-central-1', rttMs: 160 }, LOS: { rec: 'eu-central-1', rttMs: 100 },
  CAI: { rec: 'eu-central-1', rttMs: 55 },
};

/** [edge-rec] The REC of an edge location not in EDGE_RECS (e.g. from a replayed log), by its region. */
export const DEFAULT_EDGE_REC: Readonly<Record<ViewerRegion, EdgeRec>> = {
  NA: { rec: 'us-east-1', rttMs: 15 },
  EU: { rec: 'eu-central-1', rttMs: 15 },
  AP: { rec: 'ap-northeast-1', rttMs: 30 },
  SA: { rec: 'sa-east-1', rttMs: 20 },
  MEA: { rec: 'eu-central-1', rttMs: 80 },
};

/** The REC serving an edge location and the round trip to it ([edge-rec]). */
export function recFor(edgeCode: string, region: ViewerRegion): EdgeRec {
  return EDGE_RECS[edgeCode] ?? DEFAULT_EDGE_REC[region];
}

/** Round trips at the viewer's end and the noise of each kind of hop; overridable per run (plain data). */
export interface NetworkProfile {
  /** [last-mile] Viewer ↔ edge round trip, median ms, by viewer region. */
  readonly viewerRttMs: Readonly<Record<ViewerRegion, number>>;
  /** [sigma] Lognormal σ of the viewer ↔ edge round trip. */
  readonly lastMileSigma: number;
  /** [sigma] Lognormal σ of every round trip between AWS sites (edge ↔ REC ↔ shield ↔ origin). */
  readonly backboneSigma: number;
  /** [sigma] Lognormal σ of the origin's own first-byte time. */
  readonly originSigma: number;
  /** [handshake] Mean requests per viewer connection (1 = every request opens a connection). */
  readonly requestsPerConnection: number;
  /** [handshake] Share of viewer connections over QUIC (HTTP/3), 0–1. */
  readonly http3Share: number;
}

/** [handshake] Extra viewer round trips before the first request of a connection. */
export const HANDSHAKE_RTTS = { tcpTls13: 2, quic: 1 } as const;

export const NETWORK_PROFILE: NetworkProfile = {
  viewerRttMs: { NA: 18, EU: 16, AP: 25, SA: 28, MEA: 32 },
  lastMileSigma: 0.3,
  backboneSigma: 0.08,
  originSigma: 0.3,
  requestsPerConnection: 50,
  http3Share: 0.3,
};

/**
 * Expected handshake cost per request, in viewer round trips: the share of requests that open a
 * connection (1 / requestsPerConnection) times the mix of TCP+TLS 1.3 (2 RTT) and QUIC (1 RTT).
 */
export function meanHandshakeRtts(n: NetworkProfile): number {
  return (1 / n.requestsPerConnection) * ((1 - n.http3Share) * HANDSHAKE_RTTS.tcpTls13 + n.http3Share * HANDSHAKE_RTTS.quic);
}

/**
 * Checks a network profile. @throws InputError naming each bad field.
 */
export function validateNetworkProfile(n: NetworkProfile): void {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(n.viewerRttMs)) if (!(v >= 0 && Number.isFinite(v))) problems.push(`network.viewerRttMs.${k} must be a finite number of ms ≥ 0, got ${v}.`);
  for (const k of ['lastMileSigma', 'backboneSigma', 'originSigma'] as const) if (!(n[k] >= 0 && n[k] <= 2)) problems.push(`network.${k} must be a lognormal σ from 0 to 2, got ${n[k]}.`);
  if (!(n.requestsPerConnection >= 1 && Number.isFinite(n.requestsPerConnection))) problems.push(`network.requestsPerConnection must be ≥ 1 (1 = a new connection per request), got ${n.requestsPerConnection}.`);
  if (!(n.http3Share >= 0 && n.http3Share <= 1)) problems.push(`network.http3Share must be a share from 0 to 1, got ${n.http3Share}.`);
  if (problems.length > 0) throw new InputError(problems);
}
