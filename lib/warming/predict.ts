/**
 * Predictive preloading: which objects will be requested in the next window and are probably not in
 * the cache when it starts, so that warming them now turns their first requests from misses into hits.
 *
 * For each object (path + query) seen in the access logs:
 * - recency-weighted popularity: requests per window, weighted 2^(−age / half-life) over the last
 *   `historyWindows` windows;
 * - trend: (last window + 1) / (the window before + 1), clamped to [1/maxTrend, maxTrend], multiplies
 *   the popularity (rising titles keep rising for a window);
 * - release schedule: objects of episodes released in the next window (a manifest) get the popularity
 *   of a comparable object — the `releaseQuantile` of their content prefix — or the manifest's own
 *   `expectedRequests`; their size is the manifest's `bytes`, else that of the known objects of the
 *   same shape (digits masked: episode 6's segment 3 is like episode 5's).
 * The value of warming an object is P(requested in the window) × P(not cached at its start), with
 * P(requested) = 1 − e^(−predicted) and "cached" meaning requested within its residency before now
 * (the copy is still there, so a warm request would change nothing a viewer's hit or refresh hit
 * would not). Objects are chosen by value per byte until the byte budget (origin bytes pulled by
 * warming) is spent.
 */
import { InputError, show } from '../errors';
import { asObject } from '../json';

/** One request from the access logs, as prediction needs it. */
export interface AccessRecord {
  /** Epoch seconds. */
  readonly timeSec: number;
  readonly path: string;
  /** Raw query without `?`, '' for none. */
  readonly query: string;
  /** Bytes sent (sc-bytes) or the object size when known. */
  readonly bytes: number;
  readonly status: number;
  readonly method?: string;
  readonly edge?: string;
  readonly resultType?: string;
}

/** A release: objects that go live at a time (new episodes), from a manifest. */
export interface ReleaseEntry {
  readonly title?: string;
  /** Epoch seconds. */
  readonly releaseAtSec: number;
  /** Paths (with optional `?query`) of the release's objects. */
  readonly paths: readonly string[];
  /** Expected requests per object in the first window, when the team knows better than the model. */
  readonly expectedRequests?: number;
  /** Object size, bytes, when no log has it yet. */
  readonly bytes?: number;
}

export interface PredictOptions {
  /** Start of the window to predict (end of the training logs), epoch seconds. */
  readonly nowSec: number;
  readonly windowSec: number;
  /** @default windowSec */
  readonly halfLifeSec?: number;
  /** @default 24 */
  readonly historyWindows?: number;
  /** @default 4 */
  readonly maxTrend?: number;
  readonly releases?: readonly ReleaseEntry[];
  /** Popularity quantile of existing objects under the same prefix given to a release's objects. @default 0.9 */
  readonly releaseQuantile?: number;
  /**
   * How long a copy stays servable after its last request, seconds — as a hit or a refresh hit (an
   * expired copy is revalidated, not refetched); the behavior's MaxTTL is a fair estimate. Unknown ⇒
   * assume the object is not cached.
   */
  readonly residencySecOf?: (path: string, query: string) => number | undefined;
  /** Size of an object never seen in the logs. @default 65536 */
  readonly defaultBytes?: number;
}

export interface Prediction {
  readonly path: string;
  readonly query: string;
  /** Expected requests in the window. */
  readonly predictedRequests: number;
  readonly bytes: number;
  /** Last request before `nowSec`, epoch seconds. */
  readonly lastSeenSec?: number;
  /** Expected misses avoided by warming: P(requested) × P(not cached). */
  readonly value: number;
  readonly reasons: readonly ('popular' | 'trending' | 'release' | 'cold')[];
}

function uriOf(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

/** A path with every run of digits masked, to find objects of the same kind (`seg-00003.ts` ~ `seg-00004.ts`). */
export function pathShape(path: string): string {
  return path.replace(/[0-9]+/g, '#');
}

/** The content prefix a release borrows its popularity from: the first two path segments. */
export function contentPrefix(path: string): string {
  const parts = path.split('/');
  return parts.slice(0, 3).join('/');
}

/** Nearest-rank quantile of an ascending list (0 for an empty one). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Checks the options. @throws InputError */
export function validatePredictOptions(o: PredictOptions): void {
  const problems: string[] = [];
  if (!Number.isFinite(o.nowSec)) problems.push(`the prediction time must be a number of epoch seconds, got ${show(o.nowSec)}.`);
  if (!(o.windowSec > 0)) problems.push(`--window must be positive (e.g. 1h), got ${show(o.windowSec)} seconds.`);
  if (o.halfLifeSec !== undefined && !(o.halfLifeSec > 0)) problems.push(`the half-life must be positive, got ${show(o.halfLifeSec)}.`);
  if (o.releaseQuantile !== undefined && !(o.releaseQuantile >= 0 && o.releaseQuantile <= 1)) problems.push(`the release quantile must be within 0..1, got ${show(o.releaseQuantile)}.`);
  if (problems.length > 0) throw new InputError(problems);
}

/** Predicts the next window's objects, most valuable first (by value, then predicted requests). */
export function predictHotObjects(records: readonly AccessRecord[], o: PredictOptions): Prediction[] {
  validatePredictOptions(o);
  const W = o.windowSec;
  const history = o.historyWindows ?? 24;
  const halfLife = o.halfLifeSec ?? W;
  const maxTrend = o.maxTrend ?? 4;
  const from = o.nowSec - history * W;
  interface Acc { path: string; query: string; counts: Float64Array; bytes: number; last: number }
  const objects = new Map<string, Acc>();
  for (const r of records) {
    if (r.timeSec >= o.nowSec || r.timeSec < from) continue;
    if (r.method !== undefined && r.method !== 'GET') continue;
    if (r.status >= 400) continue;
    const uri = uriOf(r.path, r.query);
    let a = objects.get(uri);
    if (!a) {
      a = { path: r.path, query: r.query, counts: new Float64Array(history), bytes: 0, last: -Infinity };
      objects.set(uri, a);
    }
    const w = Math.min(history - 1, Math.floor((o.nowSec - r.timeSec) / W));
    a.counts[w]! += 1;
    a.bytes = Math.max(a.bytes, r.bytes);
    a.last = Math.max(a.last, r.timeSec);
  }
  let weightSum = 0;
  const weights = Array.from({ length: history }, (_, i) => 2 ** (-(i * W) / halfLife));
  for (const w of weights) weightSum += w;

  const predicted = new Map<string, { rate: number; trend: number; acc: Acc }>();
  for (const [uri, a] of objects) {
    let s = 0;
    for (let i = 0; i < history; i++) s += a.counts[i]! * weights[i]!;
    const rate = s / weightSum;
    const trend = Math.min(maxTrend, Math.max(1 / maxTrend, (a.counts[0]! + 1) / ((history > 1 ? a.counts[1]! : a.counts[0]!) + 1)));
    predicted.set(uri, { rate, trend, acc: a });
  }

  const out = new Map<string, Prediction>();
  const value = (lambda: number, cached: boolean) => (cached ? 0 : 1 - Math.exp(-lambda));
  for (const [uri, p] of predicted) {
    const lambda = p.rate * p.trend;
    const residency = o.residencySecOf?.(p.acc.path, p.acc.query);
    const cached = residency !== undefined && o.nowSec - p.acc.last < residency;
    const reasons: Prediction['reasons'][number][] = ['popular'];
    if (p.trend > 1.5) reasons.push('trending');
    if (!cached) reasons.push('cold');
    out.set(uri, { path: p.acc.path, query: p.acc.query, predictedRequests: lambda, bytes: p.acc.bytes || (o.defaultBytes ?? 65_536), lastSeenSec: p.acc.last, value: value(lambda, cached), reasons });
  }

  // Releases in the window: popularity of a comparable object under the same prefix.
  const byPrefix = new Map<string, number[]>();
  for (const p of out.values()) {
    const k = contentPrefix(p.path);
    (byPrefix.get(k) ?? byPrefix.set(k, []).get(k)!).push(p.predictedRequests);
  }
  for (const list of byPrefix.values()) list.sort((a, b) => a - b);
  const all = [...out.values()].map((p) => p.predictedRequests).sort((a, b) => a - b);
  // a released object is as large as the known objects of the same shape (digits masked: episode 6's
  // segment 3 is like episode 5's)
  const sizeByShape = new Map<string, number>();
  for (const p of out.values()) {
    const k = pathShape(p.path);
    sizeByShape.set(k, Math.max(sizeByShape.get(k) ?? 0, p.bytes));
  }
  const q = o.releaseQuantile ?? 0.9;
  for (const rel of o.releases ?? []) {
    if (rel.releaseAtSec < o.nowSec - W || rel.releaseAtSec >= o.nowSec + W) continue;
    for (const raw of rel.paths) {
      const qi = raw.indexOf('?');
      const path = qi < 0 ? raw : raw.slice(0, qi);
      const query = qi < 0 ? '' : raw.slice(qi + 1);
      const uri = uriOf(path, query);
      const known = out.get(uri);
      const peer = byPrefix.get(contentPrefix(path));
      const lambda = rel.expectedRequests ?? Math.max(1, quantile(peer && peer.length > 0 ? peer : all, q));
      const cached = known !== undefined && known.value === 0;
      out.set(uri, {
        path, query,
        predictedRequests: Math.max(lambda, known?.predictedRequests ?? 0),
        bytes: known?.bytes ?? rel.bytes ?? sizeByShape.get(pathShape(path)) ?? o.defaultBytes ?? 65_536,
        ...(known?.lastSeenSec !== undefined ? { lastSeenSec: known.lastSeenSec } : {}),
        value: value(Math.max(lambda, known?.predictedRequests ?? 0), cached),
        reasons: ['release', ...(cached ? [] : ['cold' as const])],
      });
    }
  }
  return [...out.values()].sort((a, b) => b.value - a.value || b.predictedRequests - a.predictedRequests || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Greedy selection by value per byte within a byte budget (`costOf` defaults to the object size;
 * pass one that multiplies by the encoding variants warmed). Objects with no value are never chosen.
 */
export function selectWithinBudget<T extends { value: number; bytes: number }>(items: readonly T[], budgetBytes: number, costOf: (item: T) => number = (i) => i.bytes): T[] {
  const ranked = items
    .filter((i) => i.value > 0)
    .map((item, idx) => ({ item, idx, density: item.value / Math.max(1, costOf(item)) }))
    .sort((a, b) => b.density - a.density || a.idx - b.idx);
  const out: T[] = [];
  let spent = 0;
  for (const { item } of ranked) {
    const c = costOf(item);
    if (spent + c > budgetBytes) continue;
    out.push(item);
    spent += c;
  }
  return out;
}

/** The `top` most requested objects of the last window before `nowSec` (the simple baseline). */
export function topOfLastWindow(records: readonly AccessRecord[], nowSec: number, windowSec: number): { path: string; query: string; requests: number; bytes: number }[] {
  const counts = new Map<string, { path: string; query: string; requests: number; bytes: number }>();
  for (const r of records) {
    if (r.timeSec >= nowSec || r.timeSec < nowSec - windowSec || r.status >= 400) continue;
    if (r.method !== undefined && r.method !== 'GET') continue;
    const uri = uriOf(r.path, r.query);
    const c = counts.get(uri) ?? counts.set(uri, { path: r.path, query: r.query, requests: 0, bytes: 0 }).get(uri)!;
    c.requests++;
    c.bytes = Math.max(c.bytes, r.bytes);
  }
  return [...counts.values()].sort((a, b) => b.requests - a.requests || (a.path < b.path ? -1 : 1));
}

/** Parses a duration such as `90s`, `15m`, `1h`, `2d` (or plain seconds). @throws InputError */
export function parseDuration(text: string | undefined, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec((text ?? '').trim());
  if (!m) throw new InputError(`${option} must be a duration such as 30m, 1h or 2d, got ${show(text)}.`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const sec = n * (unit === 's' ? 1 : unit === 'm' ? 60 : unit === 'h' ? 3600 : 86_400);
  if (!(sec > 0)) throw new InputError(`${option} must be longer than zero, got ${show(text)}.`);
  return sec;
}

/**
 * Parses a release manifest: `[{ "title"?, "releaseAt": ISO date or epoch seconds, "paths": [..],
 * "expectedRequests"?, "bytes"? }]`. @throws InputError naming every bad entry.
 */
export function parseReleaseManifest(raw: unknown, source: string): ReleaseEntry[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { releases?: unknown }).releases) ? (raw as { releases: unknown[] }).releases : undefined;
  if (!list) throw new InputError(`${source} must be a JSON list of releases such as [{"title": "show", "releaseAt": "2025-11-26T20:00:00Z", "paths": ["/video/show/s01e05/master.m3u8"]}], got ${show(raw)}.`);
  const problems: string[] = [];
  const out: ReleaseEntry[] = [];
  list.forEach((entry: unknown, i: number) => {
    const e = asObject(entry) ?? {};
    const where = `${source} entry ${i + 1}`;
    const at = typeof e.releaseAt === 'number' ? e.releaseAt : typeof e.releaseAt === 'string' ? Date.parse(e.releaseAt) / 1000 : NaN;
    if (!Number.isFinite(at)) problems.push(`${where}: releaseAt must be an ISO date or epoch seconds, got ${show(e.releaseAt)}.`);
    const paths = e.paths;
    if (!Array.isArray(paths) || paths.length === 0 || paths.some((p: unknown) => typeof p !== 'string' || !p.startsWith('/'))) {
      problems.push(`${where}: paths must be a non-empty list of paths starting with '/', got ${show(paths)}.`);
    }
    if (e.expectedRequests !== undefined && !(Number(e.expectedRequests) >= 0)) problems.push(`${where}: expectedRequests must be a non-negative number, got ${show(e.expectedRequests)}.`);
    if (problems.length === 0) {
      out.push({
        ...(typeof e.title === 'string' ? { title: e.title } : {}),
        releaseAtSec: at, paths: paths as string[],
        ...(e.expectedRequests !== undefined ? { expectedRequests: Number(e.expectedRequests) } : {}),
        ...(e.bytes !== undefined ? { bytes: Number(e.bytes) } : {}),
      });
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return out;
}
