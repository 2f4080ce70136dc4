export * from './cache-policies';
export * from './origins';
export * from './behaviors';
export * from './response-headers';
export * from './distribution-settings';
export * from './normalize-function';
export * from './bucket-policies';
export * from './web-acl';
