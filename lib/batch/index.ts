export * from './fargate-resources';
export * from './job-contract';
export * from './iam';
export * from './job-definition';
