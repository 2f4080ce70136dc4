export * from './diff';
export * from './operations';
export * from './stack-file';
