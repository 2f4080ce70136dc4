export * from './schema';
export * from './stack-config';
