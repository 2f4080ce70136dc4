export * from './types';
export * from './content-types';
export * from './resolve';
export * from './tags';
export * from './cache-control';
