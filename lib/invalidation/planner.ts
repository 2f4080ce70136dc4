/**
 * The invalidation planner: turns requested items into the cheapest list of invalidation paths
 * that still covers every one of them, within a bound on over-invalidation.
 *
 * 1. Dedupe, and drop items covered by a requested wildcard (matching is lib/semantics
 *    `invalidationMatches`, spec §8.1).
 * 2. With an origin inventory (a bucket listing or a manifest), collapse the paths under a
 *    directory `/d/` into `/d/*` when that lowers the number of billed paths (a wildcard counts as
 *    one, spec §8.5) and the unchanged objects it also invalidates stay within the budget
 *    (`maxOverInvalidation` × changed objects). This is a knapsack on the directory tree: small
 *    instances are solved exactly (dynamic programming over node × budget); large ones by a
 *    Lagrangian search (each unchanged object costs λ paths; the cheapest tree cover for a given λ
 *    is one post-order pass) followed by a greedy fill of the budget left over.
 * 3. With `objective: 'cost'`, keep the least over-invalidation that reaches the same dollar cost
 *    given the paths already used this month (when the month's free 1,000 paths absorb the
 *    difference, nothing is collapsed).
 *
 * 4. With cache-tag candidates (`tags`, built by lib/tagging `tagCandidates`), plan a second time
 *    with every tag that is exact — each object known to carry it is among the changed objects —
 *    replacing the paths of its objects by one `#tag` item (billed as one path, spec §8.2, §8.5),
 *    and keep whichever plan bills fewer paths (then the less over-invalidation; the tag plan on a
 *    tie). Objects a tag may reach that could not be listed (`unlisted`, e.g. a custom origin's
 *    document) count as over-invalidated, within the same bound as the wildcards.
 *
 * Wildcards are only proposed inside `completePrefixes` (where the inventory is known to be
 * complete), so the over-invalidation is counted, never guessed. Without an inventory the planner
 * only dedupes (and uses the tag candidates it is given).
 */
import { INVALIDATION_LIMITS, invalidationMatches, isTagItem, isWildcardPath } from '../semantics';
import { billPaths } from './cost';
import { objectOf } from './items';

/** The objects at the origin, against which over-invalidation is counted. */
export interface OriginInventory {
  /**
   * Invalidation paths of the objects (`keyToPath` of each key, or a manifest's entries), each once
   * (an object listed twice counts twice, which only overestimates over-invalidation).
   */
  readonly paths: Iterable<string>;
  /** Path prefixes whose objects are all in `paths` (e.g. the listing's prefix, `/video/2024/`). */
  readonly completePrefixes: readonly string[];
}

export interface PlanOptions {
  /**
   * Unchanged objects the planner's wildcards may invalidate, as a fraction of the changed objects
   * (0.05 = for every 100 changed objects, at most 5 unchanged ones). @default 0.05
   */
  readonly maxOverInvalidation?: number;
  /** Paths already submitted this month by the account (ListInvalidations). @default 0 */
  readonly monthToDatePaths?: number;
  /**
   * `paths`: fewest billed paths within the bound (free paths are an account-wide monthly budget,
   * so they are saved too). `cost`: fewest dollars, then least over-invalidation. @default 'paths'
   */
  readonly objective?: 'paths' | 'cost';
  /**
   * Cache tags that may replace paths (lib/tagging `tagCandidates`): each with every object known
   * to carry it. Only used when the distribution has a CacheTagConfig and the objects' cached copies
   * carry the tags (docs/invalidation.md, "Cache tags"). @default none
   */
  readonly tags?: readonly TagCandidate[];
}

/** A cache tag the planner may send instead of the paths of the objects carrying it (spec §8.2). */
export interface TagCandidate {
  readonly tag: string;
  /** Invalidation paths of every object known to carry the tag (changed or not). */
  readonly objects: readonly string[];
  /** Objects that may carry the tag but could not be listed (counted as over-invalidated). @default 0 */
  readonly unlisted?: number;
}

/** A tag the planner chose. */
export interface PlannedTag {
  readonly tag: string;
  /** Requested items it replaces. */
  readonly replaces: number;
  /** Objects it may invalidate that could not be listed (over-invalidation). */
  readonly unlistedObjects: number;
}

export const DEFAULT_MAX_OVERINVALIDATION = 0.05;

/** A wildcard the planner made. */
export interface PlannedWildcard {
  readonly path: string;
  /** Requested items it replaces. */
  readonly replaces: number;
  /** Objects it invalidates that were not requested (counted from the inventory). */
  readonly unchangedObjects: number;
}

export interface PlanStats {
  /** Items as requested, duplicates included: what a naive script sends. */
  readonly requestedItems: number;
  readonly duplicates: number;
  /** Items dropped because a requested wildcard covers them. */
  readonly coveredByRequestedWildcards: number;
  /** Requested items replaced by the planner's wildcards. */
  readonly collapsedItems: number;
  /** What is sent, by quota class (spec §8.4). */
  readonly paths: number;
  readonly wildcards: number;
  readonly tags: number;
  /** Paths the bill counts: every sent item once, a wildcard as one (spec §8.5). */
  readonly billedPaths: number;
  /** Of the billed paths, those beyond the month's free 1,000. */
  readonly paidPaths: number;
  readonly estimatedCostUsd: number;
  readonly naiveBilledPaths: number;
  readonly naiveCostUsd: number;
  readonly monthToDatePaths: number;
  /** Objects the request asked for (distinct objects of plain paths + inventory objects under requested wildcards). */
  readonly changedObjects: number;
  readonly overInvalidatedObjects: number;
  /** overInvalidatedObjects / changedObjects × 100. */
  readonly overInvalidationPct: number;
  readonly maxOverInvalidationPct: number;
}

export interface InvalidationPlan {
  /** The items to send, sorted. */
  readonly items: readonly string[];
  readonly wildcards: readonly PlannedWildcard[];
  /** Tags chosen from `PlanOptions.tags` (requested `#tag` items are not listed here). */
  readonly tags: readonly PlannedTag[];
  readonly stats: PlanStats;
  readonly notes: readonly string[];
}

interface TreeNode {
  readonly prefix: string;
  readonly children: Map<string, TreeNode>;
  ownItems: number;
  ownObjects: number;
  ownUnchanged: number;
  /** Subtree totals. */
  items: number;
  unchanged: number;
  allowed: boolean;
}

function newNode(prefix: string): TreeNode {
  return { prefix, children: new Map(), ownItems: 0, ownObjects: 0, ownUnchanged: 0, items: 0, unchanged: 0, allowed: false };
}

/** Sorted minimal set of wildcard prefixes (no prefix starts with another). */
function wildcardAntichain(wildcards: readonly string[]): string[] {
  const prefixes = wildcards.map((w) => w.slice(0, -1)).sort();
  const out: string[] = [];
  for (const p of prefixes) {
    const last = out[out.length - 1];
    if (last === undefined || !p.startsWith(last)) out.push(p);
  }
  return out;
}

/**
 * The requested wildcard covering `item` (other than `item` itself), if any. In a sorted antichain
 * only the greatest prefix ≤ item can be a prefix of it; the match itself is the spec's rule.
 */
function coveringWildcard(antichain: readonly string[], item: string): string | undefined {
  let lo = 0;
  let hi = antichain.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (antichain[mid]! <= item) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const w = `${antichain[found]!}*`;
  return w !== item && invalidationMatches(w, { uri: item }) ? w : undefined;
}

/** The directory tree of requested items and inventory objects, in pre-order once finished. */
class DirectoryTree {
  readonly root = newNode('/');
  order: TreeNode[] = [];
  /** Index one past the end of each node's subtree in `order`. */
  end: Int32Array = new Int32Array(0);
  /** Indexes of each node's children in `order`. */
  kids: number[][] = [];

  private lastDir = '';
  private lastNode: TreeNode | undefined;

  /** The node of the folder holding `path` (listings come grouped by folder, so the last one is cached). */
  nodeFor(path: string): TreeNode {
    const cut = path.lastIndexOf('/') + 1;
    if (this.lastNode !== undefined && cut === this.lastDir.length && path.startsWith(this.lastDir)) return this.lastNode;
    const node = this.walk(path);
    this.lastDir = path.slice(0, cut);
    this.lastNode = node;
    return node;
  }

  private walk(path: string): TreeNode {
    let node = this.root;
    let from = 1;
    for (;;) {
      const slash = path.indexOf('/', from);
      if (slash < 0) return node;
      const seg = path.slice(from, slash);
      let child = node.children.get(seg);
      if (!child) {
        child = newNode(path.slice(0, slash + 1));
        node.children.set(seg, child);
      }
      node = child;
      from = slash + 1;
    }
  }

  finish(completePrefixes: readonly string[]): void {
    const order: TreeNode[] = [];
    const parent: number[] = [];
    const stack: [TreeNode, number][] = [[this.root, -1]];
    while (stack.length > 0) {
      const [n, p] = stack.pop()!;
      parent.push(p);
      const me = order.length;
      order.push(n);
      // Children in a canonical order, so float sums and tie-breaks do not depend on the input order.
      const names = [...n.children.keys()].sort().reverse();
      for (const name of names) stack.push([n.children.get(name)!, me]);
    }
    const kids: number[][] = order.map(() => []);
    for (let i = 1; i < order.length; i++) kids[parent[i]!]!.push(i);
    const end = new Int32Array(order.length);
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i]!;
      n.items = n.ownItems;
      n.unchanged = n.ownUnchanged;
      let e = i + 1;
      for (const k of kids[i]!) {
        n.items += order[k]!.items;
        n.unchanged += order[k]!.unchanged;
        e = Math.max(e, end[k]!);
      }
      end[i] = e;
      n.allowed = n.items >= 2 && completePrefixes.some((p) => n.prefix.startsWith(p));
    }
    this.order = order;
    this.end = end;
    this.kids = kids;
  }
}

interface Cover {
  /** 1 where the node is replaced by its wildcard (and its subtree dropped). */
  readonly chosen: Uint8Array;
  readonly count: number;
  readonly over: number;
}

/** The cheapest cover for a given λ (one post-order pass; ties keep the explicit paths), measured. */
function coverFor(tree: DirectoryTree, lambda: number): Cover {
  const { order, kids } = tree;
  const n = order.length;
  const f = new Float64Array(n);
  const chosen = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const node = order[i]!;
    let explicit = node.ownItems;
    for (const k of kids[i]!) explicit += f[k]!;
    const wildcard = node.allowed ? 1 + lambda * node.unchanged : Infinity;
    if (wildcard < explicit) {
      chosen[i] = 1;
      f[i] = wildcard;
    } else f[i] = explicit;
  }
  return measure(tree, chosen);
}

/** Count and over-invalidation of a cover (outermost chosen nodes win). */
function measure(tree: DirectoryTree, chosen: Uint8Array): Cover {
  let count = 0;
  let over = 0;
  const { order, end } = tree;
  for (let i = 0; i < order.length; ) {
    const node = order[i]!;
    if (chosen[i]) {
      count += 1;
      over += node.unchanged;
      i = end[i]!;
    } else {
      count += node.ownItems;
      i++;
    }
  }
  return { chosen, count, over };
}

/**
 * Spends the budget left after the Lagrangian search: repeatedly collapses the node with the best
 * saved-paths per extra-unchanged-object ratio that still fits (ties: more paths saved, then the
 * smaller prefix), until nothing fits.
 */
function greedyFill(tree: DirectoryTree, start: Cover, budget: number): Cover {
  let cover = start;
  const { order, end, kids } = tree;
  const n = order.length;
  const cost = new Float64Array(n);
  const over = new Float64Array(n);
  const inside = new Uint8Array(n);
  for (let round = 0; round < 10_000; round++) {
    const left = budget - cover.over;
    inside.fill(0);
    for (let i = 0; i < n; i++) {
      if ((cover.chosen[i] || inside[i]) && end[i]! > i + 1) inside.fill(1, i + 1, end[i]);
    }
    let best = -1;
    let bestSave = 0;
    let bestExtra = 0;
    for (let i = n - 1; i >= 0; i--) {
      const node = order[i]!;
      if (cover.chosen[i]) {
        cost[i] = 1;
        over[i] = node.unchanged;
        continue;
      }
      let c = node.ownItems;
      let o = 0;
      for (const k of kids[i]!) {
        c += cost[k]!;
        o += over[k]!;
      }
      cost[i] = c;
      over[i] = o;
      if (inside[i] || !node.allowed) continue;
      const save = c - 1;
      const extra = node.unchanged - o;
      if (save <= 0 || extra > left) continue;
      const cmp = save * bestExtra - bestSave * extra;
      if (best < 0 || cmp > 0 || (cmp === 0 && (save > bestSave || (save === bestSave && node.prefix < order[best]!.prefix)))) {
        best = i;
        bestSave = save;
        bestExtra = extra;
      }
    }
    if (best < 0) return cover;
    const chosen = cover.chosen.slice();
    chosen.fill(0, best + 1, end[best]);
    chosen[best] = 1;
    cover = measure(tree, chosen);
  }
  return cover;
}

/** Largest `nodes × (budget + 1)²` solved exactly by {@link exactCover} (~10 ms). */
const EXACT_LIMIT = 2_000_000;

/**
 * The optimal cover by dynamic programming over (node, budget): `best[v][b]` is the fewest paths in
 * v's subtree with at most b unchanged objects invalidated (children combined by min-plus
 * convolution). Among optimal covers it takes the least over-invalidation. Only for small trees and
 * budgets ({@link EXACT_LIMIT}); undefined otherwise.
 */
function exactCover(tree: DirectoryTree, budget: number): Cover | undefined {
  const { order, kids } = tree;
  const n = order.length;
  const B = Math.max(0, Math.floor(budget));
  if (n * (B + 1) * (B + 1) > EXACT_LIMIT) return undefined;
  const best: Float64Array[] = new Array(n);
  const explicitBest: Float64Array[] = new Array(n);
  const conv = (a: Float64Array, c: Float64Array): Float64Array => {
    const out = new Float64Array(B + 1).fill(Infinity);
    for (let i = 0; i <= B; i++) {
      if (a[i] === Infinity) continue;
      for (let j = 0; i + j <= B; j++) if (a[i]! + c[j]! < out[i + j]!) out[i + j] = a[i]! + c[j]!;
    }
    for (let b = 1; b <= B; b++) if (out[b - 1]! < out[b]!) out[b] = out[b - 1]!;
    return out;
  };
  for (let i = n - 1; i >= 0; i--) {
    const node = order[i]!;
    let h: Float64Array = new Float64Array(B + 1).fill(node.ownItems);
    for (const k of kids[i]!) h = conv(h, best[k]!);
    explicitBest[i] = h;
    const g = h.slice();
    if (node.allowed) for (let b = node.unchanged; b <= B; b++) if (1 < g[b]!) g[b] = 1;
    best[i] = g;
  }
  // Least budget that still reaches the optimum, then walk down choosing.
  let b0 = B;
  while (b0 > 0 && best[0]![b0 - 1] === best[0]![B]) b0--;
  const chosen = new Uint8Array(n);
  const walk = (i: number, b: number): void => {
    const node = order[i]!;
    if (explicitBest[i]![b]! <= best[i]![b]!) {
      // Explicit here: split b among the children as the convolution did.
      let rest = b;
      const ks = kids[i]!;
      // Prefix convolutions to find each child's share.
      const prefix: Float64Array[] = [new Float64Array(B + 1).fill(node.ownItems)];
      for (const k of ks) prefix.push(conv(prefix[prefix.length - 1]!, best[k]!));
      for (let j = ks.length - 1; j >= 0; j--) {
        const k = ks[j]!;
        const target = prefix[j + 1]![rest]!;
        let share = 0;
        for (let x = 0; x <= rest; x++) {
          if (prefix[j]![rest - x]! + best[k]![x]! === target) {
            share = x;
            break;
          }
        }
        walk(k, share);
        rest -= share;
      }
    } else chosen[i] = 1;
  };
  walk(0, b0);
  return measure(tree, chosen);
}

/**
 * Bisects λ on [lo, hi] where `ok` holds at one end and flips once: returns the λ closest to the
 * `okAt` end's opposite side for which `ok` still holds, with its cover.
 */
function bisect(tree: DirectoryTree, okEnd: number, badEnd: number, ok: (c: Cover) => boolean): { lambda: number; cover: Cover } {
  let good = okEnd;
  let bad = badEnd;
  let cover = coverFor(tree, good);
  for (let i = 0; i < 64 && Math.abs(bad - good) > 1e-9; i++) {
    const mid = (good + bad) / 2;
    const c = coverFor(tree, mid);
    if (ok(c)) {
      good = mid;
      cover = c;
    } else bad = mid;
  }
  return { lambda: good, cover };
}

/**
 * Plans an invalidation (see the module comment). Items must already be valid
 * (`validateItems`). Throws a RangeError for a negative bound or usage.
 */
export function planInvalidation(requested: readonly string[], inventory: OriginInventory | undefined, options: PlanOptions = {}): InvalidationPlan {
  const maxOver = options.maxOverInvalidation ?? DEFAULT_MAX_OVERINVALIDATION;
  const monthToDate = options.monthToDatePaths ?? 0;
  if (!Number.isFinite(maxOver) || maxOver < 0) throw new RangeError(`planInvalidation: maxOverInvalidation must be a fraction ≥ 0, got ${maxOver}.`);
  if (!Number.isInteger(monthToDate) || monthToDate < 0) throw new RangeError(`planInvalidation: monthToDatePaths must be a whole number ≥ 0, got ${monthToDate}.`);

  const unique = [...new Set(requested)];
  const tags = unique.filter(isTagItem);
  const pathItems = unique.filter((i) => !isTagItem(i));
  const antichain = wildcardAntichain(pathItems.filter(isWildcardPath));
  const kept = pathItems.filter((i) => coveringWildcard(antichain, i) === undefined);
  const coveredCount = pathItems.length - kept.length;

  const ctx: CollapseContext = { antichain, inventory, maxOver, monthToDate, objective: options.objective ?? 'paths' };
  const byPaths = collapse(kept, tags.length, ctx);
  let chosen: Collapsed & { planned: PlannedTag[] } = { ...byPaths, planned: [] };
  if ((options.tags ?? []).length > 0) {
    const withTags = planTags(kept, tags, options.tags!, byPaths, ctx);
    if (withTags && (withTags.items.length < byPaths.items.length || (withTags.items.length === byPaths.items.length && withTags.over <= byPaths.over))) chosen = withTags;
  }
  const { items: collapsedItems, wildcards, over, changedObjects, planned } = chosen;
  const notes = [...chosen.notes];

  const items = [...collapsedItems, ...tags].sort();
  let paths = 0;
  let wild = 0;
  let tagItems = 0;
  for (const i of items) {
    if (isTagItem(i)) tagItems++;
    else if (isWildcardPath(i)) wild++;
    else paths++;
  }
  const bill = billPaths(items.length, monthToDate);
  const naive = billPaths(requested.length, monthToDate);
  const collapsed = wildcards.reduce((s, w) => s + w.replaces, 0);
  if (wildcards.length > INVALIDATION_LIMITS.maxInProgressWildcards) {
    notes.push(`the plan has ${wildcards.length} wildcards; at most ${INVALIDATION_LIMITS.maxInProgressWildcards} can be in progress at once, so they are sent in turns.`);
  }
  return {
    items,
    wildcards,
    tags: planned,
    notes,
    stats: {
      requestedItems: requested.length,
      duplicates: requested.length - unique.length,
      coveredByRequestedWildcards: coveredCount,
      collapsedItems: collapsed,
      paths,
      wildcards: wild,
      tags: tagItems,
      billedPaths: items.length,
      paidPaths: bill.billedPaths,
      estimatedCostUsd: bill.usd,
      naiveBilledPaths: requested.length,
      naiveCostUsd: naive.usd,
      monthToDatePaths: monthToDate,
      changedObjects,
      overInvalidatedObjects: over,
      overInvalidationPct: changedObjects === 0 ? 0 : (100 * over) / changedObjects,
      maxOverInvalidationPct: 100 * maxOver,
    },
  };
}

interface CollapseContext {
  readonly antichain: readonly string[];
  readonly inventory: OriginInventory | undefined;
  readonly maxOver: number;
  readonly monthToDate: number;
  readonly objective: 'paths' | 'cost';
}

interface Collapsed {
  /** Path items (requested tags not included). */
  readonly items: string[];
  readonly wildcards: PlannedWildcard[];
  readonly over: number;
  readonly changedObjects: number;
  /** Unchanged objects the wildcards may still invalidate. */
  readonly budget: number;
  readonly notes: string[];
}

/**
 * Steps 2–3 of the module comment for the path items `kept` (requested wildcards included):
 * collapse folders into wildcards within the over-invalidation budget. `alsoChanged` objects are
 * changed but covered by tags already (no item, never counted as unchanged); `budget` overrides the
 * bound derived from the changed objects.
 */
function collapse(kept: readonly string[], extraItems: number, ctx: CollapseContext, alsoChanged?: { objects: ReadonlySet<string>; changedObjects: number; budget: number }): Collapsed {
  const { antichain, inventory, maxOver, monthToDate } = ctx;
  const notes: string[] = [];
  const plain = kept.filter((i) => !isWildcardPath(i));
  const requestedWildcards = kept.filter(isWildcardPath);
  const changedSet = new Set(plain.map(objectOf));
  let changedObjects = changedSet.size;
  if (!inventory) {
    if (plain.length > 1) notes.push('no origin listing or manifest: paths were deduplicated but not collapsed into wildcards (over-invalidation could not be counted).');
    return { items: [...kept], wildcards: [], over: 0, changedObjects: alsoChanged?.changedObjects ?? changedObjects, budget: alsoChanged?.budget ?? 0, notes };
  }
  const tree = new DirectoryTree();
  for (const p of plain) tree.nodeFor(objectOf(p)).ownItems++;
  for (const w of requestedWildcards) tree.nodeFor(w.slice(0, -1)).ownItems++;
  for (const obj of changedSet) tree.nodeFor(obj).ownObjects++;
  // An object listed twice counts twice: over-invalidation is then overestimated, never under.
  const anyWildcard = antichain.length > 0;
  for (const raw of inventory.paths) {
    const obj = raw.indexOf('?') < 0 ? raw : objectOf(raw);
    if (changedSet.has(obj)) continue;
    const node = tree.nodeFor(obj);
    node.ownObjects++;
    if (alsoChanged?.objects.has(obj)) continue;
    if (anyWildcard && coveringWildcard(antichain, obj) !== undefined) changedObjects++;
    else node.ownUnchanged++;
  }
  tree.finish(inventory.completePrefixes);
  const budget = alsoChanged ? alsoChanged.budget : Math.floor(maxOver * changedObjects + 1e-9);
  // λ prices one unchanged object in paths. Above `hi` no wildcard that over-invalidates pays off.
  const hi = kept.length + 2;
  let lambda = 0;
  let cover = coverFor(tree, 0);
  if (cover.over > budget) ({ lambda, cover } = bisect(tree, hi, 0, (c) => c.over <= budget));
  cover = greedyFill(tree, cover, budget);
  const exact = exactCover(tree, budget);
  if (exact && (exact.count < cover.count || (exact.count === cover.count && exact.over < cover.over))) cover = exact;
  if (ctx.objective === 'cost') {
    const usd = (c: Cover) => billPaths(c.count + extraItems, monthToDate).usd;
    const target = usd(cover);
    const least = bisect(tree, lambda, hi, (c) => usd(c) <= target && c.over <= budget).cover;
    if (usd(least) <= target && least.over <= budget && least.over < cover.over) cover = least;
  }
  const applied = applyCover(tree, cover, kept);
  return { ...applied, changedObjects: alsoChanged?.changedObjects ?? changedObjects, budget, notes };
}

/**
 * Step 4: chooses exact tags greedily (most requested items replaced first; a tag must replace at
 * least two, or it saves nothing), then collapses what is left. Undefined when no tag qualifies.
 */
function planTags(kept: readonly string[], requestedTags: readonly string[], candidates: readonly TagCandidate[], byPaths: Collapsed, ctx: CollapseContext): (Collapsed & { planned: PlannedTag[] }) | undefined {
  const plain = kept.filter((i) => !isWildcardPath(i));
  const itemsOf = new Map<string, string[]>();
  for (const p of plain) {
    const obj = objectOf(p);
    const list = itemsOf.get(obj);
    if (list) list.push(p);
    else itemsOf.set(obj, [p]);
  }
  const changed = (obj: string) => itemsOf.has(obj) || coveringWildcard(ctx.antichain, obj) !== undefined;
  const scored = candidates
    .map((c) => {
      const objects = [...new Set(c.objects.map(objectOf))];
      return { c, objects, replaceable: objects.reduce((n, o) => n + (itemsOf.get(o)?.length ?? 0), 0) };
    })
    .filter((x) => x.replaceable >= 2 && x.objects.every(changed))
    .sort((a, b) => b.replaceable - a.replaceable || (a.c.tag < b.c.tag ? -1 : a.c.tag > b.c.tag ? 1 : 0));
  let budgetLeft = byPaths.budget;
  const covered = new Set<string>();
  const planned: PlannedTag[] = [];
  const seen = new Set(requestedTags.map((t) => t.slice(1).toLowerCase()));
  // A requested tag is sent anyway: the paths of the objects known to carry it are redundant.
  for (const c of candidates) if (seen.has(c.tag.toLowerCase())) for (const o of c.objects) covered.add(objectOf(o));
  for (const { c, objects } of scored) {
    const key = c.tag.toLowerCase();
    if (seen.has(key)) continue;
    const unlisted = c.unlisted ?? 0;
    const fresh = objects.filter((o) => !covered.has(o));
    const replaces = fresh.reduce((n, o) => n + (itemsOf.get(o)?.length ?? 0), 0);
    if (replaces < 2 || unlisted > budgetLeft) continue;
    seen.add(key);
    budgetLeft -= unlisted;
    for (const o of objects) covered.add(o);
    planned.push({ tag: c.tag, replaces, unlistedObjects: unlisted });
  }
  if (covered.size === 0) return undefined;
  const rest = kept.filter((i) => isWildcardPath(i) || !covered.has(objectOf(i)));
  const tagItems = planned.map((t) => `#${t.tag}`);
  const unlisted = planned.reduce((n, t) => n + t.unlistedObjects, 0);
  const collapsed = collapse(rest, requestedTags.length + tagItems.length, ctx, { objects: covered, changedObjects: byPaths.changedObjects, budget: budgetLeft });
  planned.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { ...collapsed, items: [...collapsed.items, ...tagItems], over: collapsed.over + unlisted, planned };
}

/** The items of a cover: the chosen wildcards plus every requested item outside them. */
function applyCover(tree: DirectoryTree, cover: Cover, kept: readonly string[]): { items: string[]; wildcards: PlannedWildcard[]; over: number } {
  const wildcards: PlannedWildcard[] = [];
  const { order, end } = tree;
  for (let i = 0; i < order.length; ) {
    if (cover.chosen[i]) {
      const node = order[i]!;
      wildcards.push({ path: `${node.prefix}*`, replaces: node.items, unchangedObjects: node.unchanged });
      i = end[i]!;
    } else i++;
  }
  if (wildcards.length === 0) return { items: [...kept], wildcards, over: 0 };
  const chosen = new Set(wildcards.map((w) => w.path));
  const antichain = wildcardAntichain([...chosen]);
  const items = kept.filter((i) => !chosen.has(i) && coveringWildcard(antichain, i) === undefined);
  wildcards.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { items: [...items, ...chosen], wildcards, over: cover.over };
}
