/**
 * Invalidation: validation of request items, the cost-aware planner, batching within the in-progress
 * quotas, idempotent CallerReferences, object selection (patterns, content types, manifests), backoff,
 * schedules, metrics and the event pipeline's plain data. Pure: no SDK, no I/O (the `api` module's
 * orchestration takes an `InvalidationApi` the caller adapts). CloudFront's rules themselves
 * (path validation, matching, quotas, prices) are lib/semantics.
 */
export * from './items';
export * from './cost';
export * from './planner';
export * from './batching';
export * from './rate';
export * from './caller-reference';
export * from './backoff';
export * from './api';
export * from './pattern';
export * from './routing';
export * from './selection';
export * from './schedule';
export * from './metrics';
export * from './pipeline';
export * from './report';
export * from './pipeline-assembly';
