/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP '23,
 * https://dl.acm.org/doi/10.1145/3600006.3613147): a small FIFO (10 % of the capacity) that filters
 * one-hit wonders, a main FIFO with lazy reinsertion (2-bit frequency), and a ghost FIFO of recently
 * demoted keys whose return goes straight to main. The structure mirrors libCacheSim's
 * cache/eviction/S3FIFO.c (small-size ratio 0.10, ghost ratio 0.90, move-to-main threshold 2).
 *
 * All three queues share the slot pool and the key index; `queue[slot]` says which list a slot is in.
 */
import { SlotCache, type CacheOptions, type PolicyName } from './slot-cache';

const SMALL = 1;
const MAIN = 2;
const GHOST = 3;
const FREQ_MAX = 127;

export interface S3FifoOptions extends CacheOptions {
  /** Share of the capacity for the small FIFO. @default 0.1 */
  readonly smallRatio?: number;
  /** Ghost FIFO size as a share of the capacity. @default 0.9 */
  readonly ghostRatio?: number;
  /** Hits in the small FIFO needed to move to main instead of the ghost. @default 2 */
  readonly moveToMainThreshold?: number;
}

export class S3FifoCache extends SlotCache {
  readonly policy: PolicyName = 's3fifo';
  queue: Uint8Array;
  freq: Uint8Array;
  readonly smallCapacity: number;
  readonly mainCapacity: number;
  readonly ghostCapacity: number;
  private readonly threshold: number;
  private smallUsed = 0;
  private mainUsed = 0;
  private ghostUsed = 0;
  // heads are the newest entries, tails the oldest, per queue (index 1..3)
  private readonly heads = new Int32Array([-1, -1, -1, -1]);
  private readonly tails = new Int32Array([-1, -1, -1, -1]);

  constructor(capacity: number, expectedObjects = 1024, opts: S3FifoOptions = {}) {
    super(capacity, expectedObjects, opts);
    this.queue = new Uint8Array(this.key.length);
    this.freq = new Uint8Array(this.key.length);
    // libCacheSim truncates the small size to an integer
    this.smallCapacity = Math.floor(capacity * (opts.smallRatio ?? 0.1));
    this.mainCapacity = capacity - this.smallCapacity;
    this.ghostCapacity = Math.floor(capacity * (opts.ghostRatio ?? 0.9));
    this.threshold = opts.moveToMainThreshold ?? 2;
  }

  find(key: number): number {
    const slot = this.index.get(key);
    return slot >= 0 && this.queue[slot] !== GHOST ? slot : -1;
  }

  touch(slot: number): void {
    if (this.freq[slot]! < FREQ_MAX) this.freq[slot]!++;
  }

  insert(key: number, size: number): number {
    const existing = this.index.get(key);
    let ghostHit = false;
    if (existing >= 0) {
      if (this.queue[existing] !== GHOST) return existing; // already cached
      this.unlink(existing);
      this.ghostUsed -= this.size[existing]!;
      this.release(existing);
      ghostHit = true;
    }
    if (size > this.smallCapacity) return -1; // libCacheSim S3FIFO_can_insert
    while (this.smallUsed + this.mainUsed + size > this.capacity) this.evict();
    if (!ghostHit && size >= this.smallCapacity) return -1; // libCacheSim S3FIFO_insert
    const slot = this.alloc(key, size);
    this.freq[slot] = 0;
    if (ghostHit) {
      this.pushHead(slot, MAIN);
      this.mainUsed += size;
    } else {
      this.pushHead(slot, SMALL);
      this.smallUsed += size;
    }
    this.used = this.smallUsed + this.mainUsed;
    this.count++;
    return slot;
  }

  remove(key: number): boolean {
    const slot = this.index.get(key);
    if (slot < 0) return false;
    const q = this.queue[slot]!;
    this.unlink(slot);
    if (q === GHOST) {
      this.ghostUsed -= this.size[slot]!;
      this.release(slot);
      return false;
    }
    if (q === SMALL) this.smallUsed -= this.size[slot]!;
    else this.mainUsed -= this.size[slot]!;
    this.used = this.smallUsed + this.mainUsed;
    this.count--;
    this.release(slot);
    return true;
  }

  protected override growPool(n: number): void {
    super.growPool(n);
    const q = new Uint8Array(n); q.set(this.queue); this.queue = q;
    const f = new Uint8Array(n); f.set(this.freq); this.freq = f;
  }

  private evict(): void {
    if (this.mainUsed > this.mainCapacity || this.smallUsed === 0) this.evictMain();
    else this.evictSmall();
  }

  private evictSmall(): void {
    while (this.smallUsed > 0) {
      const t = this.tails[SMALL]!;
      const size = this.size[t]!;
      this.unlink(t);
      this.smallUsed -= size;
      if (this.freq[t]! >= this.threshold) {
        this.freq[t] = 0;
        this.pushHead(t, MAIN);
        this.mainUsed += size;
        continue;
      }
      // demote to the ghost: the slot stays, as a ghost entry
      this.count--;
      this.evictions++;
      this.used = this.smallUsed + this.mainUsed;
      if (size <= this.ghostCapacity) {
        while (this.ghostUsed + size > this.ghostCapacity) this.dropGhostTail();
        this.pushHead(t, GHOST);
        this.ghostUsed += size;
      } else {
        this.release(t);
      }
      return;
    }
  }

  private evictMain(): void {
    while (this.mainUsed > 0) {
      const t = this.tails[MAIN]!;
      const f = this.freq[t]!;
      this.unlink(t);
      if (f >= 1) {
        this.freq[t] = Math.min(f, 3) - 1;
        this.pushHead(t, MAIN);
        continue;
      }
      this.mainUsed -= this.size[t]!;
      this.used = this.smallUsed + this.mainUsed;
      this.count--;
      this.evictions++;
      this.release(t);
      return;
    }
  }

  private dropGhostTail(): void {
    const t = this.tails[GHOST]!;
    this.unlink(t);
    this.ghostUsed -= this.size[t]!;
    this.release(t);
  }

  private pushHead(slot: number, q: number): void {
    this.queue[slot] = q;
    const h = this.heads[q]!;
    this.prev[slot] = -1;
    this.next[slot] = h;
    if (h >= 0) this.prev[h] = slot;
    else this.tails[q] = slot;
    this.heads[q] = slot;
  }

  private unlink(slot: number): void {
    const q = this.queue[slot]!;
    const p = this.prev[slot]!, n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.heads[q] = n;
    if (n >= 0) this.prev[n] = p;
    else this.tails[q] = p;
  }
}
