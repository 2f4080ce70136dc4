/**
 * Static-asset compression analysis on top of lib/semantics/compression.ts: which objects CloudFront
 * compresses and why not, measured savings, monthly value, precompressed copies.
 */
export * from './media-types';
export * from './analysis';
export * from './savings';
export * from './precompress';
