import { expect } from 'chai';
import { planInvalidation, type OriginInventory } from '../../lib/invalidation';
import { invalidationMatches, isTagItem, isWildcardPath } from '../../lib/semantics';
import { mulberry32 } from '../../lib/random';

/** Deterministic PRNG (mulberry32) so property tests are reproducible. */
const rng = mulberry32;

function files(dir: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${dir}seg-${String(i).padStart(3, '0')}.ts`);
}

describe('invalidation/planner', () => {
  describe('examples', () => {
    const inventory: OriginInventory = {
      paths: [...files('/video/a/', 10), ...files('/video/b/', 10), '/video/c/one.ts', '/video/c/two.ts'],
      completePrefixes: ['/video/'],
    };

    it('dedupes and drops paths covered by a requested wildcard, without an inventory', () => {
      const plan = planInvalidation(['/video/a/1.ts', '/video/a/1.ts', '/video/a/2.ts', '/video/b/*', '/video/b/x.ts', '/video/b/y/*', '#release:42'], undefined);
      expect(plan.items).to.deep.equal(['#release:42', '/video/a/1.ts', '/video/a/2.ts', '/video/b/*']);
      expect(plan.stats).to.deep.include({ requestedItems: 7, duplicates: 1, coveredByRequestedWildcards: 2, billedPaths: 4, paths: 2, wildcards: 1, tags: 1, naiveBilledPaths: 7 });
      expect(plan.notes).to.deep.equal(['no origin listing or manifest: paths were deduplicated but not collapsed into wildcards (over-invalidation could not be counted).']);
    });

    it('collapses a fully changed folder into one wildcard with no over-invalidation', () => {
      const plan = planInvalidation(files('/video/a/', 10), inventory, { maxOverInvalidation: 0 });
      expect(plan.items).to.deep.equal(['/video/a/*']);
      expect(plan.wildcards).to.deep.equal([{ path: '/video/a/*', replaces: 10, unchangedObjects: 0 }]);
      expect(plan.stats).to.deep.include({ billedPaths: 1, changedObjects: 10, overInvalidatedObjects: 0, overInvalidationPct: 0, collapsedItems: 10 });
    });

    it('keeps explicit paths when the folder wildcard would exceed the over-invalidation bound', () => {
      // 9 of 10 changed: the wildcard would invalidate 1 unchanged object = 11.1 % > 5 %.
      const changed = files('/video/a/', 9);
      const plan = planInvalidation(changed, inventory, { maxOverInvalidation: 0.05 });
      expect(plan.items).to.deep.equal(changed);
      expect(plan.stats.overInvalidatedObjects).to.equal(0);
    });

    it('uses the wildcard once the bound allows its unchanged objects', () => {
      const plan = planInvalidation(files('/video/a/', 9), inventory, { maxOverInvalidation: 0.12 });
      expect(plan.items).to.deep.equal(['/video/a/*']);
      expect(plan.stats.overInvalidatedObjects).to.equal(1);
      expect(plan.stats.overInvalidationPct).to.be.closeTo(100 / 9, 1e-9);
    });

    it('spends the budget where it saves most: two folders, room for one', () => {
      // a: 9 of 10 changed (1 unchanged, saves 8); b: 5 of 10 (5 unchanged, saves 4); budget 0.1 × 14 = 1.
      const plan = planInvalidation([...files('/video/a/', 9), ...files('/video/b/', 5)], inventory, { maxOverInvalidation: 0.1 });
      expect(plan.items).to.deep.equal(['/video/a/*', ...files('/video/b/', 5)]);
      expect(plan.stats.billedPaths).to.equal(6);
    });

    it('never proposes a wildcard outside the complete prefixes (the inventory says nothing there)', () => {
      const plan = planInvalidation(files('/static/', 5), { paths: files('/static/', 5), completePrefixes: ['/video/'] }, { maxOverInvalidation: 1 });
      expect(plan.items).to.deep.equal(files('/static/', 5));
    });

    it('does not collapse a single path (a wildcard must replace two to pay off)', () => {
      const plan = planInvalidation(['/video/c/one.ts'], inventory, { maxOverInvalidation: 1 });
      expect(plan.items).to.deep.equal(['/video/c/one.ts']);
    });

    it('absorbs a requested wildcard into a planner wildcard and counts its objects as changed', () => {
      const plan = planInvalidation(['/video/c/one*', '/video/c/two.ts'], inventory, { maxOverInvalidation: 0 });
      expect(plan.items).to.deep.equal(['/video/c/*']);
      expect(plan.stats.changedObjects).to.equal(2);
    });

    it('treats query-string variants as their object when counting unchanged objects', () => {
      const inv: OriginInventory = { paths: ['/thumbnails/x/a.jpg', '/thumbnails/x/b.jpg'], completePrefixes: ['/thumbnails/'] };
      const plan = planInvalidation(['/thumbnails/x/a.jpg?width=100', '/thumbnails/x/b.jpg?width=100'], inv, { maxOverInvalidation: 0 });
      expect(plan.items).to.deep.equal(['/thumbnails/x/*']);
    });

    it("with objective 'cost', keeps explicit paths when the month's free paths cover them", () => {
      const changed = files('/video/a/', 9);
      const byPaths = planInvalidation(changed, inventory, { maxOverInvalidation: 0.2 });
      const byCost = planInvalidation(changed, inventory, { maxOverInvalidation: 0.2, objective: 'cost', monthToDatePaths: 0 });
      expect(byPaths.items).to.deep.equal(['/video/a/*']);
      expect(byCost.items).to.deep.equal(changed);
      expect(byCost.stats.estimatedCostUsd).to.equal(0);
      const late = planInvalidation(changed, inventory, { maxOverInvalidation: 0.2, objective: 'cost', monthToDatePaths: 1000 });
      expect(late.items).to.deep.equal(['/video/a/*']);
      expect(late.stats.estimatedCostUsd).to.equal(0.005);
    });

    it('prices the plan and the naive list with the month-to-date usage (first 1,000 free, then $0.005)', () => {
      const plan = planInvalidation(files('/video/a/', 10), inventory, { maxOverInvalidation: 0, monthToDatePaths: 995 });
      expect(plan.stats).to.deep.include({ billedPaths: 1, paidPaths: 0, estimatedCostUsd: 0, naiveBilledPaths: 10, naiveCostUsd: 0.025, monthToDatePaths: 995 });
    });

    const bad: { name: string; options: object; message: string }[] = [
      { name: 'a negative bound', options: { maxOverInvalidation: -0.1 }, message: 'planInvalidation: maxOverInvalidation must be a fraction ≥ 0, got -0.1.' },
      { name: 'a fractional usage', options: { monthToDatePaths: 1.5 }, message: 'planInvalidation: monthToDatePaths must be a whole number ≥ 0, got 1.5.' },
    ];
    for (const b of bad) {
      it(`rejects ${b.name}`, () => {
        expect(() => planInvalidation(['/a'], undefined, b.options)).to.throw(RangeError, b.message);
      });
    }
  });

  describe('properties (seeded random origins)', function () {
    this.timeout(20_000);
    interface Case { inventory: string[]; requested: string[]; complete: string[]; maxOver: number }

    function randomCase(seed: number, size: 'small' | 'large'): Case {
      const r = rng(seed);
      const inventory: string[] = [];
      const dirs: string[] = [];
      const tops = size === 'small' ? 1 + Math.floor(r() * 3) : 3 + Math.floor(r() * 5);
      for (let a = 0; a < tops; a++) {
        dirs.push(`/v/a${a}/`);
        const subs = Math.floor(r() * (size === 'small' ? 3 : 6));
        for (let b = 0; b < subs; b++) dirs.push(`/v/a${a}/b${b}/`);
      }
      for (const d of dirs) {
        const n = 1 + Math.floor(r() * (size === 'small' ? 8 : 40));
        for (let i = 0; i < n; i++) inventory.push(`${d}f${i}.ts`);
      }
      const share = r();
      const requested: string[] = inventory.filter(() => r() < share);
      if (requested.length === 0) requested.push(inventory[0]!);
      for (let i = 0; i < 3; i++) if (r() < 0.3) requested.push(requested[Math.floor(r() * requested.length)]!); // duplicates
      if (r() < 0.2) requested.push(`${dirs[Math.floor(r() * dirs.length)]!}f1*`); // a requested wildcard
      if (r() < 0.2) requested.push('#release:7');
      if (r() < 0.2) requested.push('/elsewhere/x.js');
      const complete = r() < 0.8 ? ['/v/'] : [dirs[0]!];
      const maxOver = [0, 0.05, 0.1, 0.25, 1][Math.floor(r() * 5)]!;
      return { inventory, requested, complete, maxOver };
    }

    function check(c: Case): void {
      const plan = planInvalidation(c.requested, { paths: c.inventory, completePrefixes: c.complete }, { maxOverInvalidation: c.maxOver });
      // Every requested item is covered by an item of the plan (the spec's matching).
      for (const q of c.requested) {
        const covered = isTagItem(q) ? plan.items.includes(q) : plan.items.some((i) => invalidationMatches(i, { uri: q }));
        expect(covered, `${q} is covered`).to.equal(true);
      }
      // Cost never above naive, nor above the deduplicated list.
      expect(plan.stats.billedPaths).to.be.at.most(c.requested.length);
      expect(plan.stats.billedPaths).to.be.at.most(new Set(c.requested).size);
      expect(plan.items.length).to.equal(plan.stats.billedPaths);
      // No item is redundant.
      for (const i of plan.items) {
        expect(plan.items.some((j) => j !== i && isWildcardPath(j) && !isTagItem(i) && invalidationMatches(j, { uri: i })), `${i} is not covered by another item`).to.equal(false);
      }
      // Over-invalidation, recounted independently, is what the plan says and within the bound.
      const requestedObjects = new Set(c.requested.filter((q) => !isWildcardPath(q) && !isTagItem(q)));
      const requestedWildcards = c.requested.filter((q) => isWildcardPath(q) && !isTagItem(q));
      const unchanged = c.inventory.filter((p) => !requestedObjects.has(p) && !requestedWildcards.some((w) => invalidationMatches(w, { uri: p })));
      const planned = plan.wildcards.map((w) => w.path);
      const over = unchanged.filter((p) => planned.some((w) => invalidationMatches(w, { uri: p }))).length;
      expect(plan.stats.overInvalidatedObjects).to.equal(over);
      const changed = requestedObjects.size + c.inventory.filter((p) => !requestedObjects.has(p) && requestedWildcards.some((w) => invalidationMatches(w, { uri: p }))).length;
      expect(over).to.be.at.most(Math.floor(c.maxOver * changed + 1e-9));
      // Wildcards only where the inventory is complete.
      for (const w of planned) expect(c.complete.some((p) => w.startsWith(p)), `${w} is inside ${c.complete.join(', ')}`).to.equal(true);
      // Order of the request does not matter.
      const shuffled = [...c.requested].reverse();
      expect(planInvalidation(shuffled, { paths: [...c.inventory].reverse(), completePrefixes: c.complete }, { maxOverInvalidation: c.maxOver }).items).to.deep.equal(plan.items);
    }

    it('covers every requested path, costs no more than naive and stays within the bound (300 small origins)', () => {
      for (let seed = 1; seed <= 300; seed++) check(randomCase(seed, 'small'));
    });

    it('does the same on 40 larger origins (Lagrangian search)', () => {
      for (let seed = 1001; seed <= 1040; seed++) check(randomCase(seed, 'large'));
    });

    it('is optimal on small trees: no cover of folders with fewer paths fits the bound (brute force, 150 origins)', () => {
      for (let seed = 1; seed <= 150; seed++) {
        const c = randomCase(seed, 'small');
        const requested = [...new Set(c.requested.filter((q) => q.startsWith('/v/') && !q.endsWith('*')))];
        if (requested.length === 0) continue;
        const plan = planInvalidation(requested, { paths: c.inventory, completePrefixes: ['/v/'] }, { maxOverInvalidation: c.maxOver });
        const dirs = ['/v/', ...new Set(c.inventory.map((p) => p.slice(0, p.lastIndexOf('/') + 1)))];
        for (const d of [...dirs]) if (d.split('/').length > 4) dirs.push(d.split('/').slice(0, 3).join('/') + '/');
        const cands = [...new Set(dirs)];
        const budget = Math.floor(c.maxOver * requested.length + 1e-9);
        const req = new Set(requested);
        let best = Infinity;
        for (let mask = 0; mask < 1 << cands.length; mask++) {
          const chosen = cands.filter((_, i) => mask & (1 << i)).filter((x, _i, all) => !all.some((o) => o !== x && x.startsWith(o)));
          const overN = c.inventory.filter((p) => !req.has(p) && chosen.some((o) => p.startsWith(o))).length;
          if (overN > budget) continue;
          best = Math.min(best, chosen.length + requested.filter((p) => !chosen.some((o) => p.startsWith(o))).length);
        }
        expect(plan.stats.billedPaths, `seed ${seed}`).to.equal(best);
      }
    });
  });
});
