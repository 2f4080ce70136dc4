/**
 * Tagging at the origin (spec §8.2): the cache-tag metadata each object should carry (from the
 * catalog's rules), the replace-copy that sets it on existing objects, the resumable state of a
 * tagging run, the audit, and the tag candidates the invalidation planner may use instead of paths.
 * Pure: the scripts (scripts/tagging/) and the pipeline's Lambda do the S3 calls.
 */
export * from './object-tags';
export * from './copy-in-place';
export * from './checkpoint';
export * from './audit';
export * from './candidates';
export * from './tag-planning';
