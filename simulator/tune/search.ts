/**
 * The tuner's search: the point of a space that meets every target at the lowest monthly cost, found
 * with an injected evaluation function (the simulator in `npm run tune`, a synthetic function in the
 * tests). Deterministic: points are visited in a fixed order and ties go to the earlier option.
 *
 * 1. baseline: the stack as it is, at full fidelity (the "before" of the report);
 * 2. per group: separable dimensions (a content type's TTLs and stale windows) are chosen for every
 *    group at once: slice i sets each such dimension to its i-th option, so k options cost k runs,
 *    not k^groups; a group takes the option that meets its targets with the smallest cost share
 *    (else the one closest to meeting them);
 * 3. global dimensions (price class, Regions), at coarse fidelity: with a monotone dimension (more
 *    Regions: never slower, never cheaper), the lowest option that meets every target for each
 *    combination of the others, by bisection; else every combination when there are few enough,
 *    else descent over pairs of dimensions;
 * 4. the separable choice again at the cheapest feasible combination;
 * 5. verification: the cheapest coarse-feasible (or nearly feasible) points at full fidelity; the
 *    answer is the cheapest one that meets every target there, within the budget.
 * Evaluations are cached by their settings, so a point reached twice costs one run.
 */
import { InputError } from '../../lib/errors';
import { shortfall, totalShortfall, type Evaluate, type Evaluation, type Fidelity, type Point, type Settings, type TuneSpace } from './types';

export interface TuneOptions {
  /** Monthly cost cap, USD: an answer must cost no more. */
  readonly budgetUsd?: number;
  /** Points verified at full fidelity that meet every target before the search stops. @default 2 */
  readonly finalists?: number;
  /** Most full-fidelity verifications. @default 6 */
  readonly maxVerifications?: number;
  /** Largest number of global combinations searched exhaustively; beyond it, descent over pairs. @default 96 */
  readonly maxCombinations?: number;
  /** A coarse point missing no target by more than this share is still verified at full fidelity. @default 0.03 */
  readonly nearSlack?: number;
  /**
   * When no option of a separable dimension meets its group's targets, it moves off the reference
   * option only if the group's total shortfall drops by more than this (simulation noise). @default 0.02
   */
  readonly noise?: number;
  /** Called after each evaluation that ran (cache hits are free). */
  readonly onProgress?: (p: { readonly done: number; readonly planned: number; readonly phase: string }) => void;
}

export interface Scored {
  readonly point: Point;
  readonly settings: Settings;
  readonly evaluation: Evaluation;
}

export interface TuneLogEntry {
  readonly phase: string;
  readonly fidelity: Fidelity;
  readonly point: Point;
  readonly costUsd: number;
  readonly pass: boolean;
  readonly shortfall: number;
}

export interface TuneResult {
  /** The stack as it is, at full fidelity. */
  readonly baseline: Scored;
  /** The answer: meets every target at full fidelity, within the budget, cheapest verified. */
  readonly best?: Scored;
  /** The answer, or when there is none the verified point closest to meeting the targets. */
  readonly closest: Scored;
  /** 'over-budget': points meet every target but none within --budget-usd. */
  readonly status: 'ok' | 'infeasible' | 'over-budget';
  /** With 'over-budget': the cheapest verified point that meets every target. */
  readonly cheapestFeasible?: Scored;
  readonly evaluations: { readonly coarse: number; readonly full: number };
  readonly log: readonly TuneLogEntry[];
}

/** The merged settings of a point (later dimensions win on a shared key; `fixed` first). */
export function settingsOf(space: TuneSpace, point: Point): Settings {
  const out: Record<string, unknown> = { ...space.fixed };
  space.dimensions.forEach((d, i) => Object.assign(out, d.options[point[i]!]!.settings));
  return out;
}

function settingsKey(s: Settings): string {
  return JSON.stringify(Object.keys(s).sort().map((k) => [k, s[k]]));
}

/** @throws InputError when a dimension has no option or its current index is out of range. */
export function validateSpace(space: TuneSpace): void {
  const problems: string[] = [];
  for (const d of space.dimensions) {
    if (d.options.length === 0) problems.push(`tune space: dimension '${d.name}' has no options; give it at least one.`);
    else if (!(Number.isInteger(d.current) && d.current >= 0 && d.current < d.options.length)) {
      problems.push(`tune space: dimension '${d.name}' has current option ${d.current}, outside 0..${d.options.length - 1}.`);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}

const maxShortfall = (e: Evaluation) => Math.max(0, ...e.targets.map(shortfall));

/** Orders evaluations: feasible before infeasible; feasible by cost, infeasible by shortfall. */
function better(a: Evaluation, b: Evaluation): boolean {
  if (a.pass !== b.pass) return a.pass;
  if (a.pass) return a.costUsd < b.costUsd;
  const sa = totalShortfall(a.targets), sb = totalShortfall(b.targets);
  return sa !== sb ? sa < sb : a.costUsd < b.costUsd;
}

export async function tune(space: TuneSpace, evaluate: Evaluate, opts: TuneOptions = {}): Promise<TuneResult> {
  validateSpace(space);
  const finalists = opts.finalists ?? 2;
  const maxVerifications = opts.maxVerifications ?? 6;
  const maxCombinations = opts.maxCombinations ?? 96;
  const nearSlack = opts.nearSlack ?? 0.03;
  const noise = opts.noise ?? 0.02;
  const dims = space.dimensions;
  const separable = dims.map((d, i) => i).filter((i) => dims[i]!.separableBy !== undefined && dims[i]!.options.length > 1);
  const global = dims.map((d, i) => i).filter((i) => dims[i]!.separableBy === undefined && dims[i]!.options.length > 1);

  // Rounds of separable dimensions: at most one dimension per group in a round.
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  for (const i of separable) {
    const g = dims[i]!.separableBy!;
    const k = seen.get(g) ?? 0;
    seen.set(g, k + 1);
    (rounds[k] ??= []).push(i);
  }
  const sliceRuns = rounds.reduce((s, r) => s + Math.max(...r.map((i) => dims[i]!.options.length)), 0);
  const combinations = global.reduce((p, i) => p * dims[i]!.options.length, 1);
  const exhaustive = combinations <= maxCombinations;
  // The monotone global dimension with the most options is searched by bisection for each
  // combination of the others.
  const ladder = global.filter((i) => dims[i]!.monotoneFor !== undefined).sort((a, b) => dims[b]!.options.length - dims[a]!.options.length)[0];
  const others = global.filter((i) => i !== ladder);
  const ladderCombinations = others.reduce((p, i) => p * dims[i]!.options.length, 1);
  const ladderRuns = ladder === undefined ? 0 : ladderCombinations * (2 + Math.ceil(Math.log2(Math.max(2, dims[ladder]!.options.length))));
  const pairGrid = global.reduce((sum, d, k) => sum + global.slice(k + 1).reduce((x, e) => x + dims[d]!.options.length * dims[e]!.options.length, 0), 0);
  let planned = 1 + 2 * sliceRuns + (ladder !== undefined && ladderCombinations <= maxCombinations ? ladderRuns : exhaustive ? combinations : Math.max(pairGrid, 1) * 2) + finalists;

  const cache = new Map<string, Promise<Evaluation>>();
  const log: TuneLogEntry[] = [];
  const counts = { coarse: 0, full: 0 };
  let done = 0;
  const evalAt = async (point: Point, fidelity: Fidelity, phase: string): Promise<Scored> => {
    const settings = settingsOf(space, point);
    const key = `${fidelity}|${settingsKey(settings)}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = evaluate(settings, fidelity);
      cache.set(key, pending);
      const e = await pending;
      counts[fidelity]++;
      done++;
      if (done > planned) planned = done;
      log.push({ phase, fidelity, point: [...point], costUsd: e.costUsd, pass: e.pass, shortfall: totalShortfall(e.targets) });
      opts.onProgress?.({ done, planned, phase });
    }
    return { point: [...point], settings, evaluation: await pending };
  };

  const current = dims.map((d) => d.current);
  const baseline = await evalAt(current, 'full', 'baseline');

  /** Chooses every separable dimension per group, the others held at `ref`. */
  const pickSeparable = async (ref: Point, phase: string): Promise<number[]> => {
    const cur = [...ref];
    for (const round of rounds) {
      const len = Math.max(...round.map((i) => dims[i]!.options.length));
      const slices: Evaluation[] = [];
      for (let s = 0; s < len; s++) {
        const p = [...cur];
        for (const i of round) p[i] = Math.min(s, dims[i]!.options.length - 1);
        slices.push((await evalAt(p, 'coarse', phase)).evaluation);
      }
      for (const i of round) {
        const g = dims[i]!.separableBy!;
        const outcome = (j: number) => {
          const e = slices[j]!;
          const ts = e.targets.filter((t) => t.group === g);
          return { pass: ts.every((t) => t.pass), cost: e.groupCost[g] ?? 0, shortfall: totalShortfall(ts) };
        };
        const options = dims[i]!.options.map((_, j) => ({ j, ...outcome(j) }));
        const passing = options.filter((o) => o.pass);
        if (passing.length > 0) {
          // Cheapest passing option; on a tie the reference (the stack's value) stays, then the earliest.
          const start = options[cur[i]!]!.pass ? options[cur[i]!]! : passing[0]!;
          cur[i] = passing.reduce((a, b) => (b.cost < a.cost ? b : a), start).j;
        } else {
          // None meets the group's targets here: move off the reference only for a real gain, not noise.
          const ref = options[cur[i]!]!;
          const best = options.reduce((a, b) => (b.shortfall < a.shortfall ? b : a));
          if (best.shortfall < ref.shortfall - noise) cur[i] = best.j;
        }
      }
    }
    return cur;
  };

  // 2. per-group choice at the stack's own global settings.
  const withSeparable = await pickSeparable(current, 'per-type settings');

  // 3. global dimensions.
  const coarse: Scored[] = [];
  /** Every combination of `dimsToVary` (option indices, last dimension fastest) on top of `base`. */
  const combinationsOf = (base: Point, dimsToVary: readonly number[]): number[][] => {
    const out: number[][] = [];
    const total = dimsToVary.reduce((p, i) => p * dims[i]!.options.length, 1);
    const idx = dimsToVary.map(() => 0);
    for (let n = 0; n < total; n++) {
      const p = [...base];
      dimsToVary.forEach((d, k) => { p[d] = idx[k]!; });
      out.push(p);
      for (let k = dimsToVary.length - 1; k >= 0; k--) {
        if (++idx[k]! < dims[dimsToVary[k]!]!.options.length) break;
        idx[k] = 0;
      }
    }
    return out;
  };
  if (ladder !== undefined && ladderCombinations <= maxCombinations) {
    // For each combination of the other global settings, the lowest option of the ladder that meets
    // the targets it is monotone for; the others can only get worse further up, so that option is
    // the combination's candidate.
    // When even the top rung misses some of those targets (something outside the ladder limits them),
    // the bisection looks for the lowest rung that meets every one the top rung meets.
    const kind = dims[ladder]!.monotoneFor!;
    for (const p of combinationsOf(withSeparable, others)) {
      const at = async (j: number) => { const q = [...p]; q[ladder] = j; const s = await evalAt(q, 'coarse', 'global settings'); coarse.push(s); return s; };
      let hi = dims[ladder]!.options.length - 1;
      const top = await at(hi);
      const reachable = new Set(top.evaluation.targets.filter((t) => t.kind === kind && t.pass).map((t) => t.name));
      const meets = (s: Scored) => s.evaluation.targets.every((t) => !reachable.has(t.name) || t.pass);
      let lo = 0;
      if (meets(await at(lo))) continue;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (meets(await at(mid))) hi = mid; else lo = mid;
      }
    }
  } else if (exhaustive) {
    for (const p of combinationsOf(withSeparable, global)) coarse.push(await evalAt(p, 'coarse', 'global settings'));
  } else {
    // Descent over pairs of global dimensions (each pair's full grid), so that two settings that only
    // pay off together (a cheaper price class with more Regions) are found; until nothing improves.
    let cur = await evalAt(withSeparable, 'coarse', 'global settings');
    coarse.push(cur);
    const pairs: [number, number | undefined][] = global.length === 1 ? [[global[0]!, undefined]] : global.flatMap((d, k) => global.slice(k + 1).map((e) => [d, e] as [number, number]));
    for (let round = 0; round < 3; round++) {
      let moved = false;
      for (const [d, e] of pairs) {
        const base = cur.point;
        for (let j = 0; j < dims[d]!.options.length; j++) {
          for (let k = 0; k < (e === undefined ? 1 : dims[e]!.options.length); k++) {
            const p = [...base];
            p[d] = j;
            if (e !== undefined) p[e] = k;
            const s = await evalAt(p, 'coarse', 'global settings');
            coarse.push(s);
            if (better(s.evaluation, cur.evaluation)) { cur = s; moved = true; }
          }
        }
      }
      if (!moved) break;
    }
  }

  if (coarse.length === 0) coarse.push(await evalAt(withSeparable, 'coarse', 'global settings'));

  // 4. per-group choice again at the best global combination, if that moved the globals.
  const leader = coarse.reduce((a, b) => (better(b.evaluation, a.evaluation) ? b : a));
  if (separable.length > 0 && global.some((d) => leader.point[d] !== withSeparable[d])) {
    const refined = await pickSeparable(leader.point, 'per-type settings at the best Regions');
    coarse.push(await evalAt(refined, 'coarse', 'per-type settings at the best Regions'));
  }

  // 5. verification at full fidelity, cheapest first.
  const seenKeys = new Set<string>();
  const queue = coarse
    .filter((s) => s.evaluation.pass || maxShortfall(s.evaluation) <= nearSlack)
    .sort((a, b) => a.evaluation.costUsd - b.evaluation.costUsd || totalShortfall(a.evaluation.targets) - totalShortfall(b.evaluation.targets))
    .filter((s) => { const k = settingsKey(s.settings); if (seenKeys.has(k)) return false; seenKeys.add(k); return true; });
  if (queue.length === 0) queue.push(leader);
  const verified: Scored[] = [baseline];
  let feasibleFound = baseline.evaluation.pass ? 1 : 0;
  for (const s of queue) {
    if (feasibleFound >= finalists || verified.length > maxVerifications) break;
    const v = await evalAt(s.point, 'full', 'verification at full scale');
    verified.push(v);
    if (v.evaluation.pass) feasibleFound++;
  }

  const feasible = verified.filter((v) => v.evaluation.pass).sort((a, b) => a.evaluation.costUsd - b.evaluation.costUsd);
  const budget = opts.budgetUsd ?? Infinity;
  const best = feasible.find((v) => v.evaluation.costUsd <= budget);
  const closest = best ?? verified.reduce((a, b) => (better(b.evaluation, a.evaluation) ? b : a));
  const status = best ? 'ok' : feasible.length > 0 ? 'over-budget' : 'infeasible';
  return {
    baseline,
    ...(best ? { best } : {}),
    closest,
    status,
    ...(status === 'over-budget' ? { cheapestFeasible: feasible[0]! } : {}),
    evaluations: { ...counts },
    log,
  };
}
