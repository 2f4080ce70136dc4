/**
 * The shared skeleton of every eviction policy: a pool of slots in typed arrays (key, size, links,
 * and the engine's per-object metadata: expiry, version), a free list, and an open-addressing index
 * from key to slot. Policies (one file each, like libCacheSim's cache/eviction/*.c) decide the order.
 *
 * Keys are non-negative int32 values (dense object ids or key ids). Sizes are bytes, or 1 per object
 * when a cache counts objects. Nothing here allocates per request; the pool doubles when full.
 */
import { DirectIndex } from './direct-index';
import { KeyIndex } from './key-index';

export const POLICY_NAMES = ['lru', 'fifo', 's3fifo'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export function isPolicyName(s: string): s is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(s);
}

/** The interface the engine and the single-cache runner use. */
export interface Cache {
  readonly policy: PolicyName;
  /** Capacity in bytes (or objects when every size is 1). */
  readonly capacity: number;
  /** Bytes (or objects) held. */
  readonly used: number;
  /** Objects held. */
  readonly count: number;
  /** Objects evicted to make room (not removals). */
  readonly evictions: number;
  /** Expiry time (simulation seconds) per slot; valid until the next insert. */
  readonly expires: Float64Array;
  /** Object version per slot; valid until the next insert. */
  readonly version: Int32Array;
  /** Size per slot. */
  readonly size: Float64Array;
  /** The slot holding `key`, or -1. Does not count as an access. */
  find(key: number): number;
  /** Records a hit on a slot returned by find (promotion, frequency). */
  touch(slot: number): void;
  /** Inserts an absent key, evicting as needed; the slot, or -1 when the policy does not admit it (too large). */
  insert(key: number, size: number): number;
  /** Drops a key (invalidation, replacement); true when it was cached. */
  remove(key: number): boolean;
  /** find + touch on a hit, insert on a miss; true on a hit. The single-cache fast path. */
  access(key: number, size: number): boolean;
}

/** Options every policy takes. */
export interface CacheOptions {
  /**
   * The keys are dense (0, 1, 2, …, as the dense object ids of single-cache mode), about this many:
   * the key-to-slot index is then one array entry per key (DirectIndex) instead of a hash table.
   * @default keys are any non-negative int32 (KeyIndex)
   */
  readonly denseKeys?: number;
}

/** The key-to-slot index of a cache: a hash table for any keys, an array for dense ones. */
export type SlotIndex = KeyIndex | DirectIndex;

export abstract class SlotCache implements Cache {
  abstract readonly policy: PolicyName;
  readonly capacity: number;
  used = 0;
  count = 0;
  evictions = 0;
  key: Int32Array;
  size: Float64Array;
  prev: Int32Array;
  next: Int32Array;
  expires: Float64Array;
  version: Int32Array;
  protected readonly index: SlotIndex;
  private freeHead = -1;
  private top = 0;

  /**
   * @param capacity bytes (or objects) the cache holds, > 0
   * @param expectedObjects a sizing hint for the pool and index (they grow as needed)
   */
  constructor(capacity: number, expectedObjects = 1024, opts: CacheOptions = {}) {
    if (!(capacity > 0) || !Number.isFinite(capacity)) throw new RangeError(`cache capacity must be a positive number, got ${capacity}.`);
    this.capacity = capacity;
    const n = Math.max(16, Math.min(expectedObjects, 1 << 24));
    this.key = new Int32Array(n);
    this.size = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.expires = new Float64Array(n);
    this.version = new Int32Array(n);
    this.index = opts.denseKeys !== undefined ? new DirectIndex(opts.denseKeys) : new KeyIndex(n);
  }

  abstract find(key: number): number;
  abstract touch(slot: number): void;
  abstract insert(key: number, size: number): number;
  abstract remove(key: number): boolean;

  access(key: number, size: number): boolean {
    const slot = this.find(key);
    if (slot >= 0) {
      this.touch(slot);
      return true;
    }
    this.insert(key, size);
    return false;
  }

  protected alloc(key: number, size: number): number {
    let slot = this.freeHead;
    if (slot >= 0) this.freeHead = this.next[slot]!;
    else {
      if (this.top === this.key.length) this.growPool(this.key.length + Math.max(16, this.key.length >>> 1));
      slot = this.top++;
    }
    this.key[slot] = key;
    this.size[slot] = size;
    this.expires[slot] = 0;
    this.version[slot] = 0;
    this.index.set(key, slot);
    return slot;
  }

  protected release(slot: number): void {
    this.index.delete(this.key[slot]!);
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
  }

  /** Grows the per-slot arrays to `n` slots (by half each time: less slack in caches of millions of objects than doubling); subclasses with more arrays extend it. */
  protected growPool(n: number): void {
    const g32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    const g64 = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
    this.key = g32(this.key);
    this.size = g64(this.size);
    this.prev = g32(this.prev);
    this.next = g32(this.next);
    this.expires = g64(this.expires);
    this.version = g32(this.version);
  }
}
