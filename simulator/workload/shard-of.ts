/**
 * Which shard an asset belongs to (simulator/shard.ts): here, below the engine, so that the request
 * generator can draw one shard's requests only.
 */

export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
}

/** The shard of an asset: a 32-bit mix of its id (not its popularity rank order), modulo the count. */
export function shardOfAsset(asset: number, count: number): number {
  let h = Math.imul(asset ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % count;
}

