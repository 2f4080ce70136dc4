export * from './media-origins';
export * from './origin-access-policies';
export * from './content-behavior';
export * from './media-cdn';
