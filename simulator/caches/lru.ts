/**
 * LRU: a doubly linked list in typed arrays, most recently used at the head; the tail is evicted
 * until the new object fits (the same admission and eviction loop as libCacheSim's cache_get_base +
 * LRU.c, so miss counts match it on the same trace).
 */
import { SlotCache, type PolicyName } from './slot-cache';

export class LruCache extends SlotCache {
  readonly policy: PolicyName = 'lru';
  protected head = -1;
  protected tail = -1;

  find(key: number): number {
    return this.index.get(key);
  }

  touch(slot: number): void {
    if (slot === this.head) return;
    const prev = this.prev, next = this.next;
    // unlink
    const p = prev[slot]!, n = next[slot]!;
    next[p] = n; // slot is not the head, so p >= 0
    if (n >= 0) prev[n] = p;
    else this.tail = p;
    // link at head
    prev[slot] = -1;
    next[slot] = this.head;
    prev[this.head] = slot;
    this.head = slot;
  }

  insert(key: number, size: number): number {
    if (size > this.capacity) return -1;
    while (this.used + size > this.capacity) this.evictTail();
    const slot = this.alloc(key, size);
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head >= 0) this.prev[this.head] = slot;
    else this.tail = slot;
    this.head = slot;
    this.used += size;
    this.count++;
    return slot;
  }

  remove(key: number): boolean {
    const slot = this.index.get(key);
    if (slot < 0) return false;
    this.drop(slot);
    return true;
  }

  /** The single-cache fast path, inlined for speed. */
  override access(key: number, size: number): boolean {
    const slot = this.index.get(key);
    if (slot >= 0) {
      this.touch(slot);
      return true;
    }
    this.miss(key, size);
    return false;
  }

  /** Inserts an absent key on a miss: the tail's slot is reused when evicting the tail alone makes room. */
  protected miss(key: number, size: number): void {
    const tail = this.tail;
    if (tail >= 0 && this.used + size > this.capacity && this.used - this.size[tail]! + size <= this.capacity) this.replaceTail(tail, key, size);
    else this.insert(key, size);
  }

  /**
   * A miss that evicts exactly the tail (the usual case of a full cache): the tail's slot takes the new
   * object and moves to the head — the same eviction and insertion as evictTail + insert, without the
   * free-list round trip.
   */
  private replaceTail(tail: number, key: number, size: number): void {
    const index = this.index;
    index.delete(this.key[tail]!);
    this.evictions++;
    this.used += size - this.size[tail]!;
    this.key[tail] = key;
    this.size[tail] = size;
    this.expires[tail] = 0;
    this.version[tail] = 0;
    index.set(key, tail);
    if (tail !== this.head) {
      const p = this.prev[tail]!; // tail is not the head, so p >= 0
      this.next[p] = -1;
      this.tail = p;
      this.prev[tail] = -1;
      this.next[tail] = this.head;
      this.prev[this.head] = tail;
      this.head = tail;
    }
  }

  private evictTail(): void {
    this.drop(this.tail);
    this.evictions++;
  }

  private drop(slot: number): void {
    const p = this.prev[slot]!, n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.used -= this.size[slot]!;
    this.count--;
    this.release(slot);
  }
}

/** FIFO: LRU's list without promotion on a hit. */
export class FifoCache extends LruCache {
  override readonly policy: PolicyName = 'fifo';

  override touch(_slot: number): void {}

  override access(key: number, size: number): boolean {
    if (this.index.get(key) >= 0) return true;
    this.miss(key, size);
    return false;
  }
}
