import { expect } from 'chai';
import { createCache, DirectIndex, FifoCache, KeyIndex, LruCache, S3FifoCache, type Cache } from '../../simulator/caches';
import { naiveLruMisses } from '../../simulator/single-cache';
import { Rng } from '../../simulator/rng';

/** Replays ids (size 1 each unless given) and returns 'h'/'m' per request. */
function replay(cache: Cache, ids: readonly number[], sizes?: readonly number[]): string {
  return ids.map((id, i) => (cache.access(id, sizes?.[i] ?? 1) ? 'h' : 'm')).join('');
}

describe('simulator/caches: eviction policies on hand-computed traces', () => {
  const cases: { name: string; make: () => Cache; ids: number[]; sizes?: number[]; expected: string }[] = [
    // capacity 2: 1 2 1 3 (evicts 2, the least recent) 2 (miss, evicts 1) 1 (miss)
    { name: 'LRU evicts the least recently used object', make: () => new LruCache(2), ids: [1, 2, 1, 3, 2, 1], expected: 'mmhmmm' },
    { name: 'LRU keeps an object that is hit before eviction', make: () => new LruCache(2), ids: [1, 2, 1, 3, 1, 3], expected: 'mmhmhh' },
    // FIFO ignores the hit on 1: 3 evicts 1 (oldest insert), so the next 1 misses
    { name: 'FIFO evicts in insertion order whatever the hits', make: () => new FifoCache(2), ids: [1, 2, 1, 3, 1], expected: 'mmhmm' },
    // bytes: capacity 10; 6 + 5 > 10 evicts 1; 3 fits with 2 (5 + 3)
    { name: 'LRU by bytes evicts until the new object fits', make: () => new LruCache(10), ids: [1, 2, 3, 2, 1], sizes: [6, 5, 3, 5, 6], expected: 'mmmhm' },
    { name: 'an object larger than the cache is never admitted', make: () => new LruCache(10), ids: [1, 1], sizes: [11, 11], expected: 'mm' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(replay(c.make(), c.ids, c.sizes)).to.equal(c.expected);
    });
  }

  const upTo = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

  it('S3-FIFO: an object seen once leaves the small queue for the ghost; back again, it enters main', () => {
    // capacity 20 objects: small 2, main 18, ghost 18 (libCacheSim ratios). The small queue holds all
    // 20 while main is empty; the 21st evicts the oldest (1, never hit) to the ghost.
    const c = new S3FifoCache(20);
    expect(replay(c, [...upTo(1, 20), 21])).to.equal('m'.repeat(21));
    expect([c.find(1), c.count]).to.deep.equal([-1, 20]);
    expect(replay(c, [1])).to.equal('m'); // ghost hit: 1 goes to main, 2 (oldest in small) goes to the ghost
    expect([c.find(1) >= 0, c.find(2)]).to.deep.equal([true, -1]);
    expect(replay(c, [1, 2, 2])).to.equal('hmh'); // 2 returns from the ghost to main too
  });

  it('S3-FIFO moves an object hit twice in the small queue to main instead of evicting it', () => {
    const c = new S3FifoCache(20);
    expect(replay(c, [1, 1, 1, ...upTo(2, 20), 21])).to.equal('mhh' + 'm'.repeat(20));
    // 21 evicted from small: 1 (freq 2) moved to main, then 2 (freq 0) demoted to the ghost
    expect([c.find(1) >= 0, c.find(2), c.find(3) >= 0, c.count]).to.deep.equal([true, -1, true, 20]);
  });

  it('S3-FIFO admits nothing when the small queue rounds down to zero, as libCacheSim does', () => {
    expect(replay(new S3FifoCache(9), [1, 1, 1])).to.equal('mmm');
  });

  it('remove drops a key and frees its bytes', () => {
    for (const policy of ['lru', 'fifo', 's3fifo'] as const) {
      const c = createCache(policy, 100);
      c.insert(7, 5);
      expect([c.remove(7), c.remove(7), c.used, c.count, c.find(7)], policy).to.deep.equal([true, false, 0, 0, -1]);
    }
  });

  it('rejects a capacity that is not a positive number', () => {
    expect(() => new LruCache(0)).to.throw(RangeError, /positive number, got 0/);
    expect(() => new LruCache(Number.NaN)).to.throw(RangeError);
  });

  it('the typed-array LRU misses exactly as a Map-based LRU on a random trace', () => {
    const rng = new Rng(5);
    const ids = Array.from({ length: 20_000 }, () => Math.floor(Math.pow(rng.next(), 3) * 2000));
    for (const capacity of [1, 10, 150, 1999]) {
      const c = new LruCache(capacity, 16); // small hint: exercises pool and index growth
      let misses = 0;
      for (const id of ids) if (!c.access(id, 1)) misses++;
      expect(misses, `capacity ${capacity}`).to.equal(naiveLruMisses(ids, ids.length, capacity));
    }
  });
});

describe('simulator/caches: dense keys (single-cache mode) behave as hashed keys', () => {
  it('every policy hits and evicts the same with a DirectIndex as with a KeyIndex, counting objects or bytes', () => {
    const rng = new Rng(11);
    const ids = Array.from({ length: 20_000 }, () => Math.floor(Math.pow(rng.next(), 3) * 3000));
    const sizes = ids.map((id) => 1 + (id % 7) * 13);
    for (const policy of ['lru', 'fifo', 's3fifo'] as const) {
      for (const [capacity, bySize] of [[1, false], [10, false], [400, false], [2999, false], [50, true], [5000, true]] as const) {
        const hashed = createCache(policy, capacity, 16);
        const dense = createCache(policy, capacity, 16, { denseKeys: 16 }); // small hints: both grow
        const s = bySize ? sizes : undefined;
        expect(replay(dense, ids, s), `${policy} ${capacity}${bySize ? ' bytes' : ''}`).to.equal(replay(hashed, ids, s));
        expect([dense.used, dense.count, dense.evictions]).to.deep.equal([hashed.used, hashed.count, hashed.evictions]);
      }
    }
  });
});

describe('simulator/caches/direct-index: one entry per dense key', () => {
  it('keeps every key findable through inserts, overwrites, deletes and growth', () => {
    const idx = new DirectIndex(4);
    const ref = new Map<number, number>();
    const rng = new Rng(10);
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(rng.next() * 3000);
      if (rng.next() < 0.3) {
        expect(idx.delete(k)).to.equal(ref.delete(k));
      } else {
        idx.set(k, i);
        ref.set(k, i);
      }
    }
    expect(idx.size).to.equal(ref.size);
    for (let k = 0; k < 4000; k++) expect(idx.get(k)).to.equal(ref.get(k) ?? -1);
  });
});

describe('simulator/caches/key-index: open addressing', () => {
  it('keeps every key findable through inserts, overwrites, deletes and growth', () => {
    const idx = new KeyIndex(4);
    const ref = new Map<number, number>();
    const rng = new Rng(9);
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(rng.next() * 300) * 1024; // colliding low bits on purpose
      if (rng.next() < 0.3) {
        expect(idx.delete(k)).to.equal(ref.delete(k));
      } else {
        idx.set(k, i);
        ref.set(k, i);
      }
    }
    expect(idx.size).to.equal(ref.size);
    for (let k = 0; k < 300 * 1024; k += 1024) expect(idx.get(k)).to.equal(ref.get(k) ?? -1);
  });
});
