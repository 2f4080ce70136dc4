/**
 * A reusable 127.0.0.1 server for the AWS JSON protocols and fake CloudWatch, Logs Insights and
 * Cost Explorer operations, for tests and demos of the monitoring and cost scripts.
 */
export * from './server';
export * from './services';
export * from './cloudfront';
