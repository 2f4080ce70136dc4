/**
 * One model of a planned distribution, built once from a plan or a stack's resources and read by the
 * simulator, the local edge, the warmer, the plan summary and the policies. Pure: no I/O.
 */
export * from './resource-types';
export * from './resources';
export * from './cache-policy';
export * from './origin-request-policy';
export * from './model';
export * from './build';
export * from './from-plan';
export * from './from-catalog';
