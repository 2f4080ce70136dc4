/**
 * CloudFront semantics — the single implementation of the rules in spec/cloudfront-semantics.md
 * (path patterns §1, TTLs §2–§3, cache keys §5, compression §6, invalidation §8, standard log fields §11, prices §13,
 * quotas §15). Pure: no I/O, no imports outside lib/. Used by the simulator, the local edge, the
 * CrossGuard policies and the scripts.
 */
export * from './path-pattern';
export * from './ttl';
export * from './cache-key';
export * from './compression';
export * from './invalidation';
export * from './managed-policies';
export * from './pricing';
export * from './limits';
export * from './logs';
export { showValue } from './format';
export * from './response-headers';
