/**
 * A local CloudFront KeyValueStore data-plane endpoint on 127.0.0.1 (DescribeKeyValueStore, ListKeys,
 * GetKey, PutKey, DeleteKey, UpdateKeys), for tests and demos of the image index writer; the local edge
 * can read a store's items through `model.items(arn)`.
 */
export * from './model';
export * from './server';
