/**
 * The failure scenarios shared by the simulator (`npm run sim -- --fault <scenario>@<start>+<duration>`)
 * and the drills on the local edge (`npm run drill`): what fails, how it fails, what protects the
 * viewer, and the availability each must keep. Pure data and parsing; docs/resilience.md explains
 * each scenario and the figures measured.
 *
 * How an origin fails (spec §9.1, §2.4):
 * - `refused`: the connection is refused or reset at once (a stopped server); CloudFront answers 502;
 * - `timeout`: connections time out (a black-holed address): the viewer waits attempts × connection timeout;
 * - `slow`: the origin answers after its response timeout: attempts × read timeout, then 504;
 * - `http5xx`: the origin answers 503 at its usual speed.
 * Origin groups fail over on each of these (the 5xx statuses are in every group's criteria, spec §9.2).
 */
import { InputError, show } from '../errors';

export type FaultMode = 'refused' | 'timeout' | 'slow' | 'http5xx';
export const FAULT_MODES: readonly FaultMode[] = ['refused', 'timeout', 'slow', 'http5xx'];

/** The status a viewer gets when the failure is not masked (spec §3.5). */
export const FAULT_STATUS: Readonly<Record<FaultMode, number>> = { refused: 502, timeout: 504, slow: 504, http5xx: 503 };

/**
 * Which origins fail:
 * - `primary-s3`: the S3 origins in the stack's Region (the origin groups' primaries);
 * - `region`: every origin in the stack's Region (`aws:region`: every group's primary, and the origin
 *   of every viewer without a nearer regional copy), whatever its role;
 * - `primaries`: the origins requests reach first in the stack's Region (S3 primaries, metadata, API;
 *   not the regional copies nor the groups' secondaries);
 * - `api`: the API origin in the stack's Region (its copies in other Regions stay up);
 * - `none`: no origin fails (load scenarios).
 */
export type FaultTarget = 'primary-s3' | 'region' | 'primaries' | 'api' | 'none';

/** Extra load during the window: a release going live on cold objects, or invalidations of every path. */
export type FaultLoad = 'release' | 'invalidate-all';

/**
 * Which requests the availability target is judged on: `all` viewer requests, or `cacheable` ones
 * (GET/HEAD on caching behaviors) when the failing origin has no second copy for proxied requests.
 */
export type TargetScope = 'all' | 'cacheable';

export interface FaultScenario {
  readonly name: string;
  readonly summary: string;
  /** What keeps viewers served. */
  readonly protects: string;
  readonly target: FaultTarget;
  readonly mode: FaultMode;
  readonly load?: FaultLoad;
  /** Seconds between invalidations of every path during the window (`invalidate-all`). */
  readonly invalidateEverySec?: number;
  /** Default duration of the fault, seconds. */
  readonly defaultDurationSec: number;
  /** Availability target, percent of the scoped requests answered 2xx/3xx/206. */
  readonly targetPct: number;
  readonly targetScope: TargetScope;
  /** Why the target or its scope is not 99.99 % of all requests. */
  readonly targetNote?: string;
}

export const DEFAULT_TARGET_PCT = 99.99;

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  {
    name: 'primary-s3-down', target: 'primary-s3', mode: 'refused', defaultDurationSec: 1800, targetPct: DEFAULT_TARGET_PCT, targetScope: 'all',
    summary: 'The S3 buckets in the stack Region refuse connections.',
    protects: 'origin groups fail over to the replica buckets in the failover Region (spec §9.2); cache hits never touch either.',
  },
  {
    name: 'region-origin-down', target: 'region', mode: 'refused', defaultDurationSec: 1800, targetPct: DEFAULT_TARGET_PCT, targetScope: 'cacheable',
    summary: "Every origin in the stack's Region refuses connections (the S3 primaries, metadata and API).",
    protects: 'origin groups fail over to the secondaries in another Region (S3 replicas; metadata and API copies where configured); stale-if-error and cached copies serve the rest.',
    targetNote: 'proxied API requests (POST, private GET) cannot fail over (spec §9.2): they fail for the outage, so the target applies to cacheable requests.',
  },
  {
    name: 'origin-slow', target: 'primaries', mode: 'slow', defaultDurationSec: 900, targetPct: DEFAULT_TARGET_PCT, targetScope: 'cacheable',
    summary: 'Every primary origin answers after its response timeout.',
    protects: 'origin groups fail over after the read timeouts; stale-if-error serves what is cached; the viewer waits attempts × read timeout on a miss.',
    targetNote: 'proxied API requests time out (504) and cannot fail over (spec §9.2): the target applies to cacheable requests.',
  },
  {
    name: 'error-burst', target: 'primaries', mode: 'http5xx', defaultDurationSec: 120, targetPct: DEFAULT_TARGET_PCT, targetScope: 'cacheable',
    summary: 'Every primary origin answers 503 for a short burst.',
    protects: 'origin groups fail over on 503; stale-if-error serves expired copies; errors are cached for ErrorCachingMinTTL (spec §3.3).',
    targetNote: 'proxied API requests get the 503 and cannot fail over (spec §9.2): the target applies to cacheable requests.',
  },
  {
    name: 'api-down', target: 'api', mode: 'refused', defaultDurationSec: 900, targetPct: DEFAULT_TARGET_PCT, targetScope: 'cacheable',
    summary: "The API origin in the stack's Region refuses connections (its copies in other Regions stay up).",
    protects: 'public API GETs fail over to the API copy in another Region where configured; cached answers with stale-if-error; everything else does not use the API origin.',
    targetNote: 'proxied API requests (POST, private GET) cannot fail over (spec §9.2): they fail for the outage, so the target applies to cacheable requests.',
  },
  {
    name: 'release-herd', target: 'none', mode: 'refused', load: 'release', defaultDurationSec: 1800, targetPct: DEFAULT_TARGET_PCT, targetScope: 'all',
    summary: "A release goes live: many viewers ask for cold objects at once.",
    protects: 'request collapsing (spec §4.3) and Origin Shield (spec §9.4) send one origin request per object and tier.',
  },
  {
    name: 'invalidation-storm', target: 'none', mode: 'refused', load: 'invalidate-all', invalidateEverySec: 60, defaultDurationSec: 600, targetPct: DEFAULT_TARGET_PCT, targetScope: 'all',
    summary: 'Every path is invalidated once a minute.',
    protects: 'the origins absorb the refills; nothing fails, but origin requests and TTFB rise.',
  },
];

export function faultScenario(name: string): FaultScenario | undefined {
  return FAULT_SCENARIOS.find((s) => s.name === name);
}

/** A scenario placed in time: start and duration in seconds. */
export interface FaultSpec {
  readonly scenario: FaultScenario;
  readonly startSec: number;
  readonly durationSec: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds of `90s`, `30m`, `10h`, `1h30m` or a plain number of seconds; NaN when malformed. */
export function parseDurationText(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = /^(?:\d+(?:\.\d+)?[smhd])+$/.exec(text);
  if (!m) return NaN;
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) total += Number(n) * UNIT_SECONDS[u!]!;
  return total;
}

/**
 * Parses `<scenario>@<start>+<duration>` (`primary-s3-down@10h+30m`); `+<duration>` may be left out
 * (the scenario's default), and so may `@<start>` (`defaultStartSec`).
 * @throws InputError naming the part that is wrong and the scenarios known.
 */
export function parseFaultSpec(text: string, defaultStartSec: number, option = '--fault'): FaultSpec {
  const m = /^([a-z0-9-]+)(?:@([^+]+))?(?:\+(.+))?$/.exec(text.trim());
  const names = FAULT_SCENARIOS.map((s) => s.name).join(', ');
  if (!m) throw new InputError(`${option} ${show(text)} is not <scenario>@<start>+<duration> (e.g. primary-s3-down@10h+30m); scenarios: ${names}.`);
  const scenario = faultScenario(m[1]!);
  const problems: string[] = [];
  if (!scenario) problems.push(`${option}: ${show(m[1])} is not a fault scenario; use one of ${names}.`);
  const startSec = m[2] === undefined ? defaultStartSec : parseDurationText(m[2]);
  if (!(startSec >= 0 && Number.isFinite(startSec))) problems.push(`${option}: the start ${show(m[2])} must be a time such as 10h, 90m or 3600 (seconds into the measured period).`);
  const durationSec = m[3] === undefined ? scenario?.defaultDurationSec ?? 1 : parseDurationText(m[3]);
  if (!(durationSec > 0 && Number.isFinite(durationSec))) problems.push(`${option}: the duration ${show(m[3])} must be a positive time such as 30m, 90s or 2h.`);
  if (problems.length > 0) throw new InputError(problems);
  return { scenario: scenario!, startSec, durationSec };
}

/** What an origin is, for choosing the failing ones. */
export interface FaultOriginFacts {
  readonly id: string;
  /** 's3' or the custom origin's kind ('metadata', 'api'). */
  readonly kind: string;
  readonly awsRegion: string;
  /** A regional copy (`<origin>-<region>`), an origin group's secondary, or a primary. */
  readonly role: 'primary' | 'secondary' | 'regional';
}

/**
 * Whether an origin fails in a scenario. `region` is the AWS Region the `region` target takes down
 * (see {@link faultRegion}).
 */
export function originFails(target: FaultTarget, o: FaultOriginFacts, region: string): boolean {
  switch (target) {
    case 'primary-s3': return o.kind === 's3' && o.role === 'primary';
    case 'region': return o.awsRegion === region;
    case 'primaries': return o.role === 'primary';
    case 'api': return o.kind === 'api' && o.role === 'primary';
    case 'none': return false;
  }
}

/**
 * The Region the `region` target takes down: the stack's, where every origin group's primary lives
 * (a regional copy's Region going down only sends its viewers to the primary, a lesser fault).
 */
export function faultRegion(stackRegion: string): string {
  return stackRegion;
}
