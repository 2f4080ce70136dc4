export * from './schema';
export * from './stack-config';
export * from './candidate';
