/** The local CloudFront edge (docs/local-development.md). */
export * from './edge';
export * from './cache';
export * from './access-log';
export * from './edge-log';
export * from './local-stack';
export * from './replay';
export type { LocalOrigins } from './origin-client';
