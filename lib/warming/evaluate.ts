/**
 * Evaluation of warming strategies on a held-out window: the training logs are replayed to build the
 * cache state, a strategy warms its objects just before the window, and the window is replayed to
 * measure CacheHitRate (hits and refresh hits over cacheable requests, spec §12). Strategies at the
 * same byte budget: no warming, the top-N objects of the last training window, and the predictor.
 *
 * The replay itself is an interface: the local edge's in-process replay (local/edge/replay.ts)
 * implements it, on the small scenario of ./scenario.ts — a quick check through the edge's own caches.
 * The figures of record (`npm run bench -- --only warm`, `npm run warm -- --evaluate`) come from the
 * simulator instead (simulator/warming.ts: the engine's warm events on the seed workload with a
 * release schedule, same strategies and budget rule).
 */
import { expandWarmRequests, type EncodingVariant, type WarmTarget } from './variants';
import type { DistributionModel } from '../distribution';
import { predictHotObjects, selectWithinBudget, topOfLastWindow, type AccessRecord, type PredictOptions, type ReleaseEntry } from './predict';

export type ReplayResult = 'Hit' | 'RefreshHit' | 'Miss' | 'Error';

/** A cache hierarchy a request trace can be replayed through. */
export interface WindowReplay {
  /** Empties every cache. */
  reset(): void;
  /** One viewer request at `record.timeSec` through `record.edge`. */
  request(record: AccessRecord, headers: Readonly<Record<string, string>>): ReplayResult;
  /** One warm request (not counted). */
  warm(path: string, query: string, headers: Readonly<Record<string, string>>, edge: string, timeSec: number): void;
}

export interface StrategyResult {
  readonly strategy: 'none' | 'top-n' | 'predictive';
  readonly requests: number;
  readonly hits: number;
  readonly hitRatio: number;
  readonly warmedObjects: number;
  readonly warmRequests: number;
  /** Bytes the warm requests pulled (object size × variants). */
  readonly warmedBytes: number;
}

export interface EvaluationInput {
  readonly model: DistributionModel;
  readonly training: readonly AccessRecord[];
  readonly heldOut: readonly AccessRecord[];
  readonly nowSec: number;
  readonly windowSec: number;
  readonly releases: readonly ReleaseEntry[];
  readonly budgetBytes: number;
  /** Edge locations warmed (each gets every warm request). */
  readonly edges: readonly string[];
  /** Accept-Encoding the viewers send. */
  readonly viewerAcceptEncoding?: string;
  readonly warmEncodings?: readonly EncodingVariant[];
  /** Seconds before the window when warming happens. @default 60 */
  readonly leadSec?: number;
  readonly predict?: Partial<PredictOptions>;
}

export interface Evaluation {
  readonly none: StrategyResult;
  readonly topN: StrategyResult;
  readonly predictive: StrategyResult;
  /** Percentage points of CacheHitRate over no warming. */
  readonly upliftVsNone: number;
  /** Percentage points of CacheHitRate over warming the top-N of the last window. */
  readonly upliftVsTopN: number;
}

function run(replay: WindowReplay, input: EvaluationInput, strategy: StrategyResult['strategy'], targets: readonly WarmTarget[]): StrategyResult {
  const headers: Record<string, string> = input.viewerAcceptEncoding ? { 'accept-encoding': input.viewerAcceptEncoding } : {};
  replay.reset();
  for (const r of input.training) replay.request(r, headers);
  const expansion = expandWarmRequests(input.model, targets, { encodings: input.warmEncodings ?? ['br,gzip'], imageFormats: [] });
  const at = input.nowSec - (input.leadSec ?? 60);
  let warmedBytes = 0;
  for (const w of expansion.requests) {
    for (const edge of input.edges) replay.warm(w.path, w.query, w.headers, edge, at);
    warmedBytes += w.bytes ?? 0;
  }
  let requests = 0;
  let hits = 0;
  for (const r of input.heldOut) {
    const res = replay.request(r, headers);
    if (res === 'Error') continue;
    requests++;
    if (res !== 'Miss') hits++;
  }
  return { strategy, requests, hits, hitRatio: requests === 0 ? 0 : hits / requests, warmedObjects: targets.length, warmRequests: expansion.requests.length * input.edges.length, warmedBytes };
}

/** Runs the three strategies at the same byte budget and reports their hit ratios and the uplift. */
export function evaluateWarming(replay: WindowReplay, input: EvaluationInput): Evaluation {
  const variants = (input.warmEncodings ?? ['br,gzip']).length;
  const none = run(replay, input, 'none', []);
  const top = topOfLastWindow(input.training, input.nowSec, input.windowSec);
  const topTargets: WarmTarget[] = [];
  let spent = 0;
  for (const t of top) {
    if (spent + t.bytes * variants > input.budgetBytes) continue;
    spent += t.bytes * variants;
    topTargets.push({ path: t.path, query: t.query, weight: t.requests, bytes: t.bytes });
  }
  const predictions = predictHotObjects(input.training, {
    nowSec: input.nowSec, windowSec: input.windowSec, releases: input.releases, ...input.predict,
  });
  const chosen = selectWithinBudget(predictions, input.budgetBytes, (p) => p.bytes * variants);
  const predictive = run(replay, input, 'predictive', chosen.map((p) => ({ path: p.path, query: p.query, weight: p.predictedRequests, bytes: p.bytes })));
  const topN = run(replay, input, 'top-n', topTargets);
  return {
    none, topN, predictive,
    upliftVsNone: 100 * (predictive.hitRatio - none.hitRatio),
    upliftVsTopN: 100 * (predictive.hitRatio - topN.hitRatio),
  };
}
