/** Eviction policies behind one interface (see slot-cache.ts), and a factory by name. */
import { FifoCache, LruCache } from './lru';
import { S3FifoCache } from './s3fifo';
import type { Cache, PolicyName } from './slot-cache';

export * from './slot-cache';
export { KeyIndex } from './key-index';
export { LruCache, FifoCache } from './lru';
export { S3FifoCache, type S3FifoOptions } from './s3fifo';

/** A cache of `capacity` bytes (or objects) using the named policy. */
export function createCache(policy: PolicyName, capacity: number, expectedObjects?: number): Cache {
  switch (policy) {
    case 'lru': return new LruCache(capacity, expectedObjects);
    case 'fifo': return new FifoCache(capacity, expectedObjects);
    case 's3fifo': return new S3FifoCache(capacity, expectedObjects);
  }
}
