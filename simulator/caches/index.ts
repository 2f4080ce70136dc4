/** Eviction policies behind one interface (see slot-cache.ts), and a factory by name. */
import { FifoCache, LruCache } from './lru';
import { S3FifoCache } from './s3fifo';
import type { Cache, CacheOptions, PolicyName } from './slot-cache';

export * from './slot-cache';
export { DirectIndex } from './direct-index';
export { KeyIndex } from './key-index';
export { LruCache, FifoCache } from './lru';
export { S3FifoCache, type S3FifoOptions } from './s3fifo';

/** A cache of `capacity` bytes (or objects) using the named policy. */
export function createCache(policy: PolicyName, capacity: number, expectedObjects?: number, opts: CacheOptions = {}): Cache {
  switch (policy) {
    case 'lru': return new LruCache(capacity, expectedObjects, opts);
    case 'fifo': return new FifoCache(capacity, expectedObjects, opts);
    case 's3fifo': return new S3FifoCache(capacity, expectedObjects, opts);
  }
}
