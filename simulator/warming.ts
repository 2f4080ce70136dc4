/**
 * Predictive warming evaluated with the simulator: the seed workload with a release schedule
 * is generated up to the end of a held-out window; the requests of the training windows before it are
 * turned into the access-log records the warmer reads; each strategy chooses what to warm within the
 * same byte budget (origin bytes); and the whole run is simulated once per strategy, the warm requests
 * one minute before the window (engine warm events), measuring the window only:
 * - none: no warming;
 * - top-N: the most requested objects of the last training window, most requested first;
 * - predictive: lib/warming `predictHotObjects` (recency-weighted popularity, trend, the release
 *   manifest) chosen by value per byte (`selectWithinBudget`).
 *
 * Records: one per simulated request (time as epoch seconds, URL, bytes served, edge). A byte range of
 * a rendition file (the seed's video segments) is named `?range=<index>` so that each piece is an object
 * of its own, as in the caches. Costs are the origin bytes a warm request pulls — each cache-key variant
 * (Accept-Encoding) of the object — weighted to full scale like every figure of the simulator, so the
 * budget is in full-scale bytes. Warm requests go to the first edge location of each region (their
 * regional edge caches and Origin Shield fill on the way), or to every edge.
 */
import { CONTENT_TYPE_NAMES, type ContentTypeName } from '../lib/catalog';
import { InputError } from '../lib/errors';
import { predictHotObjects, selectWithinBudget, topOfLastWindow, type AccessRecord, type PredictOptions, type ReleaseEntry } from '../lib/warming/predict';
import type { PolicyName } from './caches';
import { runEngine, type EngineStats, type TierCapacities, type WarmLog } from './engine';
import type { SimModel } from './plan-model';
import { SEED_PROFILE, type WorkloadProfile } from './profile';
import { DEFAULT_CAPACITY } from './simulate';
import { generateEvents, generateRequests, type RequestLog } from './workload/arrivals';
import { buildWorkload, MAX_AE_CLASSES, type Workload } from './workload/build';

export type WarmStrategy = 'none' | 'top-n' | 'predictive';

export interface WarmingEvaluationOptions {
  /** Release manifest entries (epoch times), given to the workload and to the predictor alike. */
  readonly releases: readonly ReleaseEntry[];
  /** Origin bytes each strategy may pull, full scale. */
  readonly budgetBytes: number;
  /** @default 1 */
  readonly seed?: number;
  /** Share of objects simulated. @default 0.005 */
  readonly scale?: number;
  readonly profile?: WorkloadProfile;
  /** Start of the held-out window, simulated seconds (0 = 00:00 UTC of the simulated day). @default 72000 (20:00 UTC) */
  readonly heldOutStartSec?: number;
  /** Epoch seconds of simulated time 0, which places the manifest's releases. @default 2025-11-24T00:00:00Z */
  readonly simulatedDayEpochSec?: number;
  /** @default 3600 */
  readonly windowSec?: number;
  /** Windows before the held-out one whose requests are the training logs. @default 6 */
  readonly trainingWindows?: number;
  /** Hours simulated before the training windows to fill the caches (not in the logs). @default 18 */
  readonly warmupHours?: number;
  /** Seconds before the window when the warm requests are made. @default 60 */
  readonly leadSec?: number;
  /** 'regions': the first edge location of each region; 'all': every simulated edge. @default 'regions' */
  readonly warmEdges?: 'regions' | 'all';
  /** @default 'lru' */
  readonly policy?: PolicyName;
  readonly capacity?: Partial<TierCapacities>;
  readonly predict?: Partial<Omit<PredictOptions, 'nowSec' | 'windowSec' | 'releases'>>;
}

export interface StrategyFigures {
  readonly strategy: WarmStrategy;
  /** Requests of the window on behaviors that cache (GET/HEAD), full scale. */
  readonly requests: number;
  /** Answered without the origin sending a body (any tier, 304 revalidations included). */
  readonly hitRatio: number;
  /** Fresh at the viewer's edge location. */
  readonly edgeHitRatio: number;
  readonly videoHitRatio: number;
  /** Bytes the origins sent for viewer requests in the window, full scale. */
  readonly viewerOriginBytes: number;
  readonly warm: {
    /** Objects chosen (simulated) and the cache keys warmed per edge. */
    readonly objects: number;
    readonly keys: number;
    /** Objects chosen per content type, and how many of them belong to a release. */
    readonly objectsByType: Readonly<Partial<Record<ContentTypeName, number>>>;
    readonly releaseObjects: number;
    /** Warm requests to edges, origin fetches and bytes (full scale). */
    readonly requests: number;
    readonly originFetches: number;
    readonly originBytes: number;
  };
  /** Viewer plus warm origin bytes. */
  readonly originBytes: number;
}

export interface WarmingEvaluation {
  readonly none: StrategyFigures;
  readonly topN: StrategyFigures;
  readonly predictive: StrategyFigures;
  /** Percentage points of hit ratio over no warming / over the top-N of the last window. */
  readonly upliftVsNone: number;
  readonly upliftVsTopN: number;
  readonly budgetBytes: number;
  readonly windowStart: string;
  readonly windowSec: number;
  readonly trainingRecords: number;
  readonly predictions: number;
  readonly warmEdges: readonly string[];
  readonly simulatedRequests: number;
}

/** @throws InputError for options out of range. */
export function validateWarmingEvaluationOptions(o: WarmingEvaluationOptions): void {
  const problems: string[] = [];
  if (!(o.budgetBytes > 0 && Number.isFinite(o.budgetBytes))) problems.push(`the warming budget must be a positive number of bytes, got ${o.budgetBytes}; e.g. --budget-gb 10.`);
  if (o.windowSec !== undefined && !(o.windowSec >= 60 && o.windowSec <= 86_400)) problems.push(`the window must be from 60 s to 1 day, got ${o.windowSec} s.`);
  if (o.trainingWindows !== undefined && !(Number.isInteger(o.trainingWindows) && o.trainingWindows >= 1 && o.trainingWindows <= 24)) problems.push(`the training windows must be a whole number from 1 to 24, got ${o.trainingWindows}.`);
  if (o.warmupHours !== undefined && !(o.warmupHours >= 0 && o.warmupHours <= 168)) problems.push(`the warm-up must be from 0 to 168 hours, got ${o.warmupHours}.`);
  if (o.leadSec !== undefined && !(o.leadSec >= 0)) problems.push(`the warming lead must be ≥ 0 seconds, got ${o.leadSec}.`);
  if (problems.length > 0) throw new InputError(problems);
}

/** Per simulated object: the URL the records name it by, its cost and its keys. */
interface ObjectIndex {
  readonly path: string[];
  readonly query: string[];
  readonly keyObject: Int32Array;
  /** Objects by `path?query` (query with `range=` for byte ranges) and by path alone. */
  readonly byUri: Map<string, number>;
  readonly byPath: Map<string, number[]>;
}

function indexObjects(w: Workload): ObjectIndex {
  const nAe = Math.min(MAX_AE_CLASSES, w.profile.acceptEncodings.length);
  const keyObject = new Int32Array(w.keys.count).fill(-1);
  const path: string[] = new Array(w.objects);
  const query: string[] = new Array(w.objects);
  const byUri = new Map<string, number>();
  const byPath = new Map<string, number[]>();
  for (let o = 0; o < w.objects; o++) {
    for (let c = 0; c < nAe; c++) {
      const k = w.objectKeys[o * MAX_AE_CLASSES + c]!;
      if (keyObject[k]! < 0) keyObject[k] = o;
    }
    const url = w.keyPath[w.objectKeys[o * MAX_AE_CLASSES]!]!;
    const q = url.indexOf('?');
    const range = w.objectRange[o]!;
    path[o] = q < 0 ? url : url.slice(0, q);
    const raw = q < 0 ? '' : url.slice(q + 1);
    query[o] = range < 0 ? raw : raw === '' ? `range=${range}` : `${raw}&range=${range}`;
    byUri.set(query[o] ? `${path[o]}?${query[o]}` : path[o]!, o);
    (byPath.get(path[o]!) ?? byPath.set(path[o]!, []).get(path[o]!)!).push(o);
  }
  return { path, query, keyObject, byUri, byPath };
}

/** The distinct cache keys of an object (one per Accept-Encoding class that keys differently). */
function keysOf(w: Workload, o: number): number[] {
  const nAe = Math.min(MAX_AE_CLASSES, w.profile.acceptEncodings.length);
  const out: number[] = [];
  for (let c = 0; c < nAe; c++) {
    const k = w.objectKeys[o * MAX_AE_CLASSES + c]!;
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

/** Access-log records of the simulated requests in [fromSec, toSec). */
export function accessRecords(w: Workload, requests: RequestLog, fromSec: number, toSec: number, index = indexObjects(w)): AccessRecord[] {
  const out: AccessRecord[] = [];
  const edges = w.topology.edges;
  for (let i = 0; i < requests.length; i++) {
    const t = requests.time[i]!;
    if (t < fromSec) continue;
    if (t >= toSec) break;
    const k = requests.key[i]!;
    const o = index.keyObject[k]!;
    out.push({
      timeSec: w.simulatedDayEpochSec + t, path: index.path[o]!, query: index.query[o]!, bytes: w.keys.size[k]!, status: 200,
      method: w.keys.cacheableMethod[k] === 1 ? 'GET' : 'POST', edge: edges[requests.edge[i]!]!.code,
    });
  }
  return out;
}

/** Runs the three strategies on the same requests and reports their hit ratios and origin bytes. */
export function evaluateWarmingInSimulator(model: SimModel, o: WarmingEvaluationOptions): WarmingEvaluation {
  validateWarmingEvaluationOptions(o);
  const seed = o.seed ?? 1;
  const scale = o.scale ?? 0.005;
  const W = o.windowSec ?? 3600;
  const start = o.heldOutStartSec ?? 20 * 3600;
  const trainFrom = start - (o.trainingWindows ?? 6) * W;
  const from = trainFrom - (o.warmupHours ?? 18) * 3600;
  const to = start + W;
  const w = buildWorkload(model, {
    seed, scale, profile: o.profile ?? SEED_PROFILE, releases: o.releases, ...(o.simulatedDayEpochSec !== undefined ? { simulatedDayEpochSec: o.simulatedDayEpochSec } : {}),
  });
  const requests = generateRequests(w, from, to, seed);
  const events = generateEvents(w, from, to, seed);
  const index = indexObjects(w);
  const records = accessRecords(w, requests, trainFrom, start, index);
  const nowEpoch = w.simulatedDayEpochSec + start;

  const cacheable = (obj: number) => w.keys.ttl[w.objectKeys[obj * MAX_AE_CLASSES]!]! >= 0;
  const costOf = (obj: number) => {
    let c = 0;
    for (const k of keysOf(w, obj)) c += w.keys.originSize[k]! * w.keys.weight[k]!;
    return c;
  };
  const objectsOf = (path: string, query: string): readonly number[] => {
    const exact = index.byUri.get(query ? `${path}?${query}` : path);
    if (exact !== undefined) return [exact];
    return query === '' ? index.byPath.get(path) ?? [] : [];
  };

  // top-N of the last window, most requested first, within the budget
  const topN: number[] = [];
  let spent = 0;
  for (const t of topOfLastWindow(records, nowEpoch, W)) {
    for (const obj of objectsOf(t.path, t.query)) {
      if (!cacheable(obj)) continue;
      const c = costOf(obj);
      if (spent + c > o.budgetBytes) continue;
      spent += c;
      topN.push(obj);
    }
  }

  // predictive: value per byte within the budget
  const predictions = predictHotObjects(records, {
    residencySecOf: (path) => model.select(path).ttl.maxTtl, ...o.predict, nowSec: nowEpoch, windowSec: W, releases: o.releases,
  });
  const items: { obj: number; value: number; bytes: number }[] = [];
  const listed = new Set<number>();
  for (const p of predictions) {
    for (const obj of objectsOf(p.path, p.query)) {
      if (listed.has(obj) || !cacheable(obj)) continue;
      listed.add(obj);
      const weight = w.keys.weight[w.objectKeys[obj * MAX_AE_CLASSES]!]!;
      items.push({ obj, value: p.value * weight, bytes: costOf(obj) });
    }
  }
  const predictive = selectWithinBudget(items, o.budgetBytes).map((i) => i.obj);

  const edges = w.topology.edges;
  const warmEdges = o.warmEdges === 'all' ? edges.map((_, i) => i) : edges.map((e, i) => ({ e, i })).filter(({ e }, j, all) => all.findIndex((x) => x.e.region === e.region) === j).map(({ i }) => i);
  const warmAt = start - (o.leadSec ?? 60);
  const warmLogOf = (objects: readonly number[]): { log: WarmLog; keys: number } => {
    const keys = objects.flatMap((obj) => keysOf(w, obj));
    const n = keys.length * warmEdges.length;
    const log = { length: n, time: new Float64Array(n).fill(warmAt), key: new Int32Array(n), edge: new Uint8Array(n) };
    let i = 0;
    for (const k of keys) for (const e of warmEdges) { log.key[i] = k; log.edge[i] = e; i++; }
    return { log, keys: keys.length };
  };
  const run = (strategy: WarmStrategy, objects: readonly number[]): StrategyFigures => {
    const { log, keys } = warmLogOf(objects);
    const s = runEngine(w, requests, events, {
      policy: o.policy ?? 'lru', capacity: { ...DEFAULT_CAPACITY, ...o.capacity }, capacityScale: w.scale, hitLevel: 'cloudfront', refreshHitIsHit: true,
      measureFrom: start, measureTo: to, seed, warm: log,
    });
    const objectsByType: Partial<Record<ContentTypeName, number>> = {};
    for (const obj of objects) {
      const type = CONTENT_TYPE_NAMES[w.keys.type[w.objectKeys[obj * MAX_AE_CLASSES]!]!]!;
      objectsByType[type] = (objectsByType[type] ?? 0) + 1;
    }
    return figures(strategy, s, { objects: objects.length, keys, objectsByType, releaseObjects: objects.filter((x) => releaseObject.has(x)).length });
  };
  const releaseObject = new Set<number>(w.releases.flatMap((r) => [...r.objects]));
  const none = run('none', []);
  const top = run('top-n', topN);
  const pred = run('predictive', predictive);
  return {
    none, topN: top, predictive: pred,
    upliftVsNone: 100 * (pred.hitRatio - none.hitRatio),
    upliftVsTopN: 100 * (pred.hitRatio - top.hitRatio),
    budgetBytes: o.budgetBytes,
    windowStart: new Date(nowEpoch * 1000).toISOString(),
    windowSec: W,
    trainingRecords: records.length,
    predictions: predictions.length,
    warmEdges: warmEdges.map((i) => edges[i]!.code),
    simulatedRequests: requests.length,
  };
}

function figures(strategy: WarmStrategy, s: EngineStats, chosen: Pick<StrategyFigures['warm'], 'objects' | 'keys' | 'objectsByType' | 'releaseObjects'>): StrategyFigures {
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const caching = sum(s.caching);
  const vi = CONTENT_TYPE_NAMES.indexOf('video');
  const viewerOriginBytes = sum(s.originBytes);
  return {
    strategy,
    requests: caching,
    hitRatio: caching > 0 ? sum(s.hits) / caching : 0,
    edgeHitRatio: caching > 0 ? sum(s.edgeHits) / caching : 0,
    videoHitRatio: s.caching[vi]! > 0 ? s.hits[vi]! / s.caching[vi]! : 0,
    viewerOriginBytes,
    warm: { ...chosen, requests: s.warm.requests, originFetches: s.warm.originFetches, originBytes: s.warm.originBytes },
    originBytes: viewerOriginBytes + s.warm.originBytes,
  };
}
