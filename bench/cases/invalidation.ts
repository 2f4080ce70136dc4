/**
 * A release touching 10,000 objects spread over 40 folders of a generated 200,000-object video origin:
 * billed paths of the plan against the naive list (one path per changed object), the over-invalidation
 * and the planning time. The origin and the release are generated from a fixed seed (docs/invalidation.md,
 * "Benchmark"), so every run plans the same release.
 */
import { resolveCatalog } from '../../lib/catalog';
import { keyToPath, planInvalidation } from '../../lib/invalidation';
import { FREE_TIER, invalidationMatches } from '../../lib/semantics';
import { derivedTags, tagCandidates } from '../../lib/tagging';
import type { BenchCase } from '../types';
import { mulberry32 } from '../../lib/random';

const OBJECTS = 200_000;
const RELEASE_OBJECTS = 10_000;
const RELEASE_FOLDERS = 40;
/** Videos the re-encode release of the tag figures changes whole. */
const RELEASE_VIDEOS = 40;
const RENDITIONS = ['2160p', '1080p', '720p', '480p'];

const rng = mulberry32;

export interface GeneratedRelease {
  /** Object keys of the origin. */
  readonly keys: string[];
  /** Keys the release changed. */
  readonly changed: string[];
}

/**
 * The origin: 200 titles × 4 renditions = 800 folders `video/title-NNNN/<rendition>/` of 150–350
 * objects (an init segment, a playlist, media segments; exactly 200,000 in all) plus each title's
 * The release re-encodes 40 renditions: 34 are replaced whole, 4 keep 2–5 % of their objects, 2
 * are re-encoded in part (45–55 %), for exactly 10,000 changed objects.
 */
export function generateRelease(seed = 42): GeneratedRelease {
  const r = rng(seed);
  const folders: { dir: string; size: number }[] = [];
  for (let t = 0; t < 200; t++) for (const rendition of RENDITIONS) folders.push({ dir: `video/title-${String(t).padStart(4, '0')}/${rendition}/`, size: 150 + Math.floor(r() * 201) });
  // Scale sizes to exactly OBJECTS.
  let total = folders.reduce((s, f) => s + f.size, 0);
  for (let i = 0; total !== OBJECTS; i = (i + 1) % folders.length) {
    const f = folders[i]!;
    if (total < OBJECTS && f.size < 350) {
      f.size++;
      total++;
    } else if (total > OBJECTS && f.size > 150) {
      f.size--;
      total--;
    }
  }
  const keysOf = (f: { dir: string; size: number }) => [`${f.dir}init.mp4`, `${f.dir}playlist.m3u8`, ...Array.from({ length: f.size - 2 }, (_, i) => `${f.dir}seg-${String(i).padStart(5, '0')}.m4s`)];
  const keys = folders.flatMap(keysOf);

  // The mix is fixed: 34 renditions replaced whole, 4 keeping 2–5 % of their objects, 2 re-encoded
  // in part (45–55 %). Exactly 10,000 changed objects are reached by choosing which folders are
  // replaced whole (swapping one for an untouched folder of the size that closes the gap), never by
  // changing the shares.
  const order = folders.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const touched = order.slice(0, RELEASE_FOLDERS);
  const untouched = order.slice(RELEASE_FOLDERS);
  const shares = touched.map((_, i) => (i < 34 ? 1 : i < 38 ? 0.95 + r() * 0.03 : 0.45 + r() * 0.1));
  const countOf = (i: number) => (shares[i] === 1 ? folders[touched[i]!]!.size : Math.max(2, Math.round(folders[touched[i]!]!.size * shares[i]!)));
  let gap = RELEASE_OBJECTS - touched.reduce((s, _, i) => s + countOf(i), 0);
  for (let round = 0; gap !== 0 && round < 10_000; round++) {
    const j = Math.floor(r() * 34);
    const want = folders[touched[j]!]!.size + gap;
    let best = -1;
    for (let u = 0; u < untouched.length; u++) {
      if (best < 0 || Math.abs(folders[untouched[u]!]!.size - want) < Math.abs(folders[untouched[best]!]!.size - want)) best = u;
    }
    const swapped = touched[j]!;
    touched[j] = untouched[best]!;
    untouched[best] = swapped;
    gap = RELEASE_OBJECTS - touched.reduce((s, _, i) => s + countOf(i), 0);
  }
  if (gap !== 0) throw new Error(`generateRelease: could not reach ${RELEASE_OBJECTS} changed objects (gap ${gap})`);
  const touchedFolders = touched.map((i) => folders[i]!);
  const changed: string[] = [];
  touchedFolders.forEach((f, i) => {
    // Which objects of a partially changed folder changed is random.
    const shuffled = keysOf(f).map((k) => ({ k, w: r() })).sort((a, b) => a.w - b.w).map((x) => x.k);
    changed.push(...shuffled.slice(0, countOf(i)));
  });
  return { keys, changed };
}

/**
 * The same release as re-encodes (docs/invalidation.md, "Cache tags"): a 200,000-object origin of
 * 800 videos, each with a master playlist, four renditions (playlist, init segment, 30–80 media
 * segments), four thumbnails, 1–20 preview frames and a metadata document, spread over /video/,
 * /thumbnails/, /previews/ and /metadata/videos/; the release re-encodes 40 of them whole, exactly
 * 10,000 changed objects.
 */
export function generateVideoRelease(seed = 42): GeneratedRelease & { readonly videos: string[] } {
  const r = rng(seed);
  const VIDEOS = 800;
  const ids = Array.from({ length: VIDEOS }, (_, i) => `v${String(i).padStart(4, '0')}`);
  const segs = ids.map(() => 30 + Math.floor(r() * 51));
  const previews = ids.map(() => 1 + Math.floor(r() * 20));
  const total = (v: number) => 1 + RENDITIONS.length * (segs[v]! + 2) + 4 + previews[v]! + 1;
  let sum = ids.reduce((s, _, v) => s + total(v), 0);
  for (let v = 0; sum !== OBJECTS; v = (v + 1) % VIDEOS) {
    if (sum < OBJECTS && previews[v]! < 20) {
      previews[v]!++;
      sum++;
    } else if (sum > OBJECTS && previews[v]! > 1) {
      previews[v]!--;
      sum--;
    }
  }
  const keysOf = (v: number): string[] => {
    const id = ids[v]!;
    const out = [`video/${id}/master.m3u8`];
    for (const rendition of RENDITIONS) {
      out.push(`video/${id}/${rendition}/playlist.m3u8`, `video/${id}/${rendition}/init.mp4`);
      for (let i = 0; i < segs[v]!; i++) out.push(`video/${id}/${rendition}/seg-${String(i).padStart(5, '0')}.m4s`);
    }
    for (const w of [320, 640, 1280, 1920]) out.push(`thumbnails/${id}/poster-${w}.jpg`);
    for (let i = 0; i < previews[v]!; i++) out.push(`previews/${id}/frame-${String(i).padStart(3, '0')}.jpg`);
    out.push(`metadata/videos/${id}.json`);
    return out;
  };
  const keys = ids.flatMap((_, v) => keysOf(v));
  const order = ids.map((_, v) => v);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const touched = order.slice(0, RELEASE_VIDEOS);
  const untouched = order.slice(RELEASE_VIDEOS);
  let gap = RELEASE_OBJECTS - touched.reduce((s, v) => s + total(v), 0);
  for (let round = 0; gap !== 0 && round < 10_000; round++) {
    const j = Math.floor(r() * touched.length);
    const want = total(touched[j]!) + gap;
    let best = 0;
    for (let u = 1; u < untouched.length; u++) if (Math.abs(total(untouched[u]!) - want) < Math.abs(total(untouched[best]!) - want)) best = u;
    [touched[j], untouched[best]] = [untouched[best]!, touched[j]!];
    gap = RELEASE_OBJECTS - touched.reduce((s, v) => s + total(v), 0);
  }
  if (gap !== 0) throw new Error(`generateVideoRelease: could not reach ${RELEASE_OBJECTS} changed objects (gap ${gap})`);
  return { keys, changed: touched.flatMap(keysOf), videos: touched.map((v) => ids[v]!).sort() };
}

/**
 * Objects an invalidation removes that did not change, counted by applying its items to every
 * origin object with lib/semantics `invalidationMatches`, each object carrying the tags the catalog
 * derives from its key (what the origin sends once the objects are tagged).
 */
export function measureOverInvalidation(items: readonly string[], keys: readonly string[], changed: ReadonlySet<string>): { removed: number; unchanged: number } {
  const catalog = resolveCatalog();
  let removed = 0;
  let unchanged = 0;
  for (const k of keys) {
    const uri = keyToPath(k).path;
    const entry = { uri, tags: derivedTags(catalog, uri) };
    if (!items.some((i) => invalidationMatches(i, entry))) continue;
    removed++;
    if (!changed.has(k)) unchanged++;
  }
  return { removed, unchanged };
}

/** The tag figures: the re-encode release planned with tag candidates, measured against the origin. */
export function tagFigures(): Record<string, { value: number; unit: string }> {
  const catalog = resolveCatalog();
  const { keys, changed, videos } = generateVideoRelease();
  const inventory = { paths: keys.map((k) => keyToPath(k).path), completePrefixes: ['/video/', '/thumbnails/', '/previews/', '/metadata/videos/'] };
  const requested = changed.map((k) => keyToPath(k).path);
  const started = process.hrtime.bigint();
  const tags = tagCandidates({ catalog, changed: requested, inventory });
  const plan = planInvalidation(requested, inventory, { maxOverInvalidation: 0.05, monthToDatePaths: FREE_TIER.invalidationPaths, tags });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const paths = planInvalidation(requested, inventory, { maxOverInvalidation: 0.05, monthToDatePaths: FREE_TIER.invalidationPaths });
  const measured = measureOverInvalidation(plan.items, keys, new Set(changed));
  if (measured.removed - measured.unchanged !== changed.length) throw new Error(`the tag plan misses ${changed.length - (measured.removed - measured.unchanged)} changed objects`);
  // The mixed release of the path benchmark: partly re-encoded renditions, so no video tag is exact.
  const mixed = generateRelease();
  const mixedRequested = mixed.changed.map((k) => keyToPath(k).path);
  const mixedInventory = { paths: mixed.keys.map((k) => keyToPath(k).path), completePrefixes: ['/video/'] };
  const mixedPlan = planInvalidation(mixedRequested, mixedInventory, {
    maxOverInvalidation: 0.05, monthToDatePaths: FREE_TIER.invalidationPaths, tags: tagCandidates({ catalog, changed: mixedRequested, inventory: mixedInventory }),
  });
  return {
    'invalidation.tagBilledPaths': { value: plan.stats.billedPaths, unit: `paths (${videos.length} re-encoded videos, goal ≤ ${videos.length})` },
    'invalidation.tagOverInvalidationPct': { value: Math.round((10_000 * measured.unchanged) / changed.length) / 100, unit: '% (measured, goal 0)' },
    'invalidation.tagItems': { value: plan.stats.tags, unit: 'tags' },
    'invalidation.tagReleasePathPlanBilledPaths': { value: paths.stats.billedPaths, unit: 'paths (same release, paths and wildcards only)' },
    'invalidation.tagReleasePathPlanOverInvalidationPct': { value: Math.round(100 * paths.stats.overInvalidationPct) / 100, unit: '% (paths and wildcards only)' },
    'invalidation.tagReleaseNaiveBilledPaths': { value: requested.length, unit: 'paths (one per changed object)' },
    'invalidation.tagPlanMs': { value: Math.round(ms), unit: 'ms (candidates + plan)' },
    'invalidation.tagMixedReleaseTags': { value: mixedPlan.stats.tags, unit: 'tags (partial re-encodes: none exact)' },
    'invalidation.tagMixedReleaseBilledPaths': { value: mixedPlan.stats.billedPaths, unit: 'paths (with tag candidates; = billedPaths)' },
  };
}

export const benchCase: BenchCase = {
  name: 'invalidation',
  description: 'plan a 10,000-object release over 40 folders of a 200,000-object origin (5 % over-invalidation bound); the same scale as 40 re-encoded videos with cache tags',
  async run() {
    const { keys, changed } = generateRelease();
    const inventory = keys.map((k) => keyToPath(k).path);
    const requested = changed.map((k) => keyToPath(k).path);
    const started = process.hrtime.bigint();
    const plan = planInvalidation(requested, { paths: inventory, completePrefixes: ['/video/'] }, { maxOverInvalidation: 0.05, monthToDatePaths: FREE_TIER.invalidationPaths });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const s = plan.stats;
    // The same release under a 1 % bound: the partially re-encoded folders must stay explicit.
    const tight = planInvalidation(requested, { paths: inventory, completePrefixes: ['/video/'] }, { maxOverInvalidation: 0.01, monthToDatePaths: FREE_TIER.invalidationPaths }).stats;
    return {
      'invalidation.billedPaths': { value: s.billedPaths, unit: 'paths' },
      'invalidation.naiveBilledPaths': { value: s.naiveBilledPaths, unit: 'paths' },
      'invalidation.billedRatio': { value: Math.round((1000 * s.billedPaths) / s.naiveBilledPaths) / 1000, unit: 'billed/naive' },
      'invalidation.overInvalidationPct': { value: Math.round(100 * s.overInvalidationPct) / 100, unit: '%' },
      'invalidation.wildcards': { value: s.wildcards, unit: 'paths' },
      'invalidation.costUsd': { value: s.estimatedCostUsd, unit: 'USD (free tier used up)' },
      'invalidation.naiveCostUsd': { value: s.naiveCostUsd, unit: 'USD (free tier used up)' },
      'invalidation.planMs': { value: Math.round(ms), unit: 'ms' },
      'invalidation.billedPathsAt1Pct': { value: tight.billedPaths, unit: 'paths (1 % bound)' },
      'invalidation.overInvalidationPctAt1Pct': { value: Math.round(100 * tight.overInvalidationPct) / 100, unit: '% (1 % bound)' },
      'invalidation.originObjects': { value: inventory.length, unit: 'objects' },
      ...tagFigures(),
    };
  },
};
