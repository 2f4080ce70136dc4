/**
 * The simulation settings (`SimSettings`) and how they are read from the option values: numbers in
 * range, tier capacities, --edges / --alpha on the workload profile, --policy, --hit-level, --sweep.
 * Problems are collected, one line each, for the caller to throw. Pure; no I/O.
 */
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { InputError, show } from '../../lib/errors';
import { parseReleaseManifest, type ReleaseEntry } from '../../lib/warming/predict';
import type { PolicyName } from '../../simulator/caches';
import type { HitLevel, TierCapacities } from '../../simulator/engine';
import { REGIONS, SEED_PROFILE, type Region, type WorkloadProfile } from '../../simulator/profile';
import { DEFAULT_CAPACITY, DEFAULTS } from '../../simulator/simulate';
import { parseCacheSize } from '../../simulator/single-cache';
import { readJsonFile } from '../lib/cli';
import type { SimValues } from './options';

function capacityOption(v: SimValues, name: 'edge-cache' | 'rec-cache' | 'shield-cache', problems: string[]): number | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  try {
    const s = parseCacheSize(raw, `--${name}`);
    if (s.kind !== 'bytes') throw new InputError(`--${name} ${show(raw)} must be bytes with a unit, such as 2TiB or 500GB.`);
    return s.value;
  } catch (e) {
    if (e instanceof InputError) { problems.push(...e.problems); return undefined; }
    throw e;
  }
}

function listOption(raw: string | undefined, flag: string, names: readonly string[], problems: string[], check: (n: number) => boolean, expect: string): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [k, val] = part.split('=');
    const n = Number(val);
    if (!k || val === undefined || !names.includes(k.trim())) { problems.push(`--${flag} ${show(raw)}: '${part}' must be name=value with a name from ${names.join(', ')}.`); continue; }
    if (!Number.isFinite(n) || !check(n)) { problems.push(`--${flag} ${show(raw)}: ${k} must be ${expect}, got ${show(val)}.`); continue; }
    out[k.trim()] = n;
  }
  return out;
}

/** The workload profile with --edges and --alpha applied. */
function profileFrom(v: SimValues, problems: string[]): WorkloadProfile {
  let profile = SEED_PROFILE;
  const edges = listOption(v.edges, 'edges', REGIONS, problems, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  if (edges) profile = { ...profile, edgesPerRegion: { ...profile.edgesPerRegion, ...(edges as Partial<Record<Region, number>>) } };
  if (v.alpha !== undefined) {
    const single = Number(v.alpha);
    const ok = (n: number) => n > 0 && n <= 3;
    if (v.alpha.includes('=')) {
      const per = listOption(v.alpha, 'alpha', CONTENT_TYPE_NAMES, problems, ok, 'a number in (0, 3]');
      if (per) profile = { ...profile, zipfAlpha: { ...profile.zipfAlpha, ...per } };
    } else if (Number.isFinite(single) && ok(single)) {
      profile = { ...profile, zipfAlpha: Object.fromEntries(CONTENT_TYPE_NAMES.map((n) => [n, single])) as WorkloadProfile['zipfAlpha'] };
    } else problems.push(`--alpha ${show(v.alpha)} must be a number in (0, 3] or type=value pairs such as video=1,api=0.8.`);
  }
  return profile;
}

export interface SimSettings {
  readonly seed: number;
  readonly scale: number;
  readonly hours: number;
  readonly warmupHours: number;
  readonly policy: PolicyName;
  readonly capacity: TierCapacities;
  readonly hitLevel: HitLevel;
  readonly refreshHitIsHit: boolean;
  readonly profile: WorkloadProfile;
  readonly sweep: readonly number[];
  /** New episodes going live during the simulated day (--releases). */
  readonly releases: readonly ReleaseEntry[];
}

/** Reads --releases (the release manifest `npm run warm` takes), collecting its problems. */
function releasesFrom(v: SimValues, problems: string[]): ReleaseEntry[] {
  if (v.releases === undefined) return [];
  try {
    return parseReleaseManifest(readJsonFile(v.releases, 'release manifest'), v.releases);
  } catch (e) {
    if (e instanceof InputError) { problems.push(...e.problems.map((p) => `--releases: ${p}`)); return []; }
    throw e;
  }
}

export function settingsFrom(v: SimValues, problems: string[], defaults: Partial<SimSettings>): SimSettings {
  const policy = v.policy ?? defaults.policy ?? DEFAULTS.policy;
  const hitLevel = v['hit-level'] ?? DEFAULTS.hitLevel;
  let sweep = defaults.sweep ?? [];
  if (v.sweep !== undefined) {
    const parts = v.sweep.split(',').map((x) => Number(x));
    if (v.sweep.trim() === '' || parts.some((x) => !(x > 0 && x <= 100))) problems.push(`--sweep ${show(v.sweep)} must be comma-separated multipliers in (0, 100], such as 0.25,0.5,2.`);
    else sweep = parts;
  }
  return {
    seed: v.seed ?? defaults.seed ?? DEFAULTS.seed,
    scale: v.scale ?? defaults.scale ?? DEFAULTS.scale,
    hours: v.hours ?? defaults.hours ?? DEFAULTS.hours,
    warmupHours: v['warmup-hours'] ?? defaults.warmupHours ?? DEFAULTS.warmupHours,
    policy,
    capacity: {
      edge: capacityOption(v, 'edge-cache', problems) ?? DEFAULT_CAPACITY.edge,
      rec: capacityOption(v, 'rec-cache', problems) ?? DEFAULT_CAPACITY.rec,
      shield: capacityOption(v, 'shield-cache', problems) ?? DEFAULT_CAPACITY.shield,
    },
    hitLevel,
    refreshHitIsHit: !v['no-refresh-hits'],
    profile: profileFrom(v, problems),
    sweep,
    releases: releasesFrom(v, problems),
  };
}

/** The log-replay options of the settings (replay mode and --compare over a trace use the same). */
export function replayOptionsOf(s: SimSettings) {
  return { policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit, warmupSeconds: s.warmupHours * 3600, seed: s.seed };
}
