/**
 * Image optimization: formats, the variant key scheme, the edge's negotiation rule, the quality search,
 * settings and manifests (the sharp transforms are in adapters/image-transform.ts).
 */
export * from './formats';
export * from './negotiation';
export * from './variant-keys';
export * from './kvs-index';
export * from './quality-search';
export * from './settings';
export * from './manifest';
export * from './edge-runtime';
export * from './prune';
export * from './fallback';
export * from './report-page';
