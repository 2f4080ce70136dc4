export * from './viewer-countries';
export * from './origin-routing';
