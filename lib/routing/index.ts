export * from './aws-regions';
export * from './viewer-countries';
export * from './origin-routing';
