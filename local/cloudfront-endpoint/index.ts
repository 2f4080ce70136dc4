/**
 * The local CloudFront endpoint: the REST-XML invalidation API on 127.0.0.1, with in-progress
 * quotas, CallerReference idempotency, completion after a delay, fault injection and hooks for a
 * local edge's caches. See docs/invalidation.md ("Local CloudFront endpoint").
 */
export * from './server';
export * from './model';
export * from './faults';
export { parseXml, buildXml, escapeXml, type XmlElement, type XmlNode } from './xml';
export * from './distributions';
export { distributionOperation, type DistributionOperation } from './distribution-api';
