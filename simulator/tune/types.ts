/**
 * The tuner's vocabulary: a search space as plain data (dimensions of options, each option a set of
 * what-if settings in the form `npm run sim -- --set` takes), and what an evaluation of one point
 * returns (cost, targets). The search (search.ts) knows nothing else about CloudFront or the
 * simulator: the evaluation function is injected, so the search is testable on synthetic spaces.
 */

/** What-if settings: `route.field` or a stack setting (no namespace) → value, as `--set` takes them. */
export type Settings = Readonly<Record<string, unknown>>;

export interface TuneOption {
  /** Shown in reports, e.g. '21600 s' or 'PriceClass_200'. */
  readonly label: string;
  readonly settings: Settings;
}

export interface TuneDimension {
  /** e.g. 'video TTLs', 'priceClass'. */
  readonly name: string;
  /** Candidates; on equal cost the earlier one wins. */
  readonly options: readonly TuneOption[];
  /** Index of the option the stack has today (the baseline). */
  readonly current: number;
  /**
   * Set when the dimension moves only the targets of this group (a content type) and that group's
   * cost share: the search then chooses it per group, evaluating all groups' options at once.
   */
  readonly separableBy?: string;
  /**
   * Options in order of capability and cost for the targets of this kind: a later option meets every
   * such target an earlier one meets, costs at least as much, and does no better on the other
   * targets (more Regions: faster, dearer, more caches to fill). The search then bisects for the
   * lowest option that meets the targets of this kind instead of trying each.
   */
  readonly monotoneFor?: TargetKind;
}

export interface TuneSpace {
  readonly dimensions: readonly TuneDimension[];
  /** Settings held fixed whatever the point (e.g. a route's maxTtl kept ≥ its defaultTtl). */
  readonly fixed?: Settings;
}

/** Option index per dimension, in `space.dimensions` order. */
export type Point = readonly number[];

export interface TargetOutcome {
  /** e.g. 'video p95 TTFB'. */
  readonly name: string;
  /** The content type the target belongs to (undefined for the overall checks). */
  readonly group?: string;
  readonly value: number;
  readonly target: number;
  /** 'atMost': value must be ≤ target (latency); 'atLeast': value must be ≥ target (hit ratio, shares). */
  readonly sense: 'atMost' | 'atLeast';
  readonly pass: boolean;
  readonly unit: 'ms' | 'ratio';
  /** What the target measures: how fast ('latency') or how much the caches keep ('efficiency'). */
  readonly kind: TargetKind;
}

export type TargetKind = 'latency' | 'efficiency';

export interface CostItem {
  readonly item: string;
  readonly usd: number;
}

export interface Evaluation {
  readonly costUsd: number;
  readonly costLines: readonly CostItem[];
  readonly targets: readonly TargetOutcome[];
  readonly pass: boolean;
  /**
   * Per group, a cost share that only the group's own separable dimensions move (origin requests of
   * the content type): how the search ranks a group's options that all meet its targets.
   */
  readonly groupCost: Readonly<Record<string, number>>;
}

/** 'coarse': the cheap screening run; 'full': the run the answer is judged on (npm start's). */
export type Fidelity = 'coarse' | 'full';

export type Evaluate = (settings: Settings, fidelity: Fidelity) => Promise<Evaluation>;

/** Relative shortfall of a target: 0 when met, else how far off as a share of the target. */
export function shortfall(t: TargetOutcome): number {
  if (t.pass) return 0;
  const d = t.sense === 'atMost' ? t.value - t.target : t.target - t.value;
  return Math.max(0, d) / (t.target === 0 ? 1 : Math.abs(t.target));
}

/** Sum of the relative shortfalls of the targets (0 for a feasible point). */
export function totalShortfall(targets: readonly TargetOutcome[]): number {
  return targets.reduce((s, t) => s + shortfall(t), 0);
}
