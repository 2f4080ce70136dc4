/**
 * Cache warming and predictive preloading, pure: the plan's distribution as the edge and the
 * warmer see it, warm requests from cache policies, allowed targets, pacing, signed URLs, the
 * prediction model and its held-out evaluation. CloudFront's rules come from lib/semantics.
 */
export * from './variants';
export * from './targets';
export * from './schedule';
export * from './signed-urls';
export * from './predict';
export * from './evaluate';
export * from './scenario';
