export * from './schema';
export * from './stack-config';
export * from './candidate';
export * from './simulation-batch';
