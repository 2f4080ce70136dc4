/**
 * Origins of a distribution: which ones are S3 buckets, which bucket a domain names, and which
 * origins a behavior's target (an origin or an origin group) reaches.
 */
import type { DistributionShape, OriginGroupShape, OriginShape } from './shapes';

/** `name.s3.amazonaws.com`, `name.s3.region.amazonaws.com`, `name.s3-region.amazonaws.com` (REST endpoints). */
const S3_REST_DOMAIN = /^(.+?)\.s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;
/** `name.s3-website-region.amazonaws.com`, `name.s3-website.region.amazonaws.com`: public website endpoints. */
const S3_WEBSITE_DOMAIN = /^(.+?)\.s3-website[.-][a-z0-9-]+(?:\.[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;

export function isS3WebsiteDomain(domain: string | undefined): boolean {
  return domain !== undefined && S3_WEBSITE_DOMAIN.test(domain);
}

/** The bucket an S3 REST endpoint names; undefined for other domains (custom origins, website endpoints). */
export function bucketOfDomain(domain: string | undefined): string | undefined {
  if (domain === undefined || isS3WebsiteDomain(domain)) return undefined;
  return S3_REST_DOMAIN.exec(domain)?.[1];
}

/** An origin served from an S3 bucket's REST endpoint (or configured with `s3OriginConfig`). */
export function isS3Origin(o: OriginShape): boolean {
  return bucketOfDomain(o.domainName) !== undefined || o.s3OriginConfig !== undefined;
}

export function originGroup(d: DistributionShape, id: string | undefined): OriginGroupShape | undefined {
  return (d.originGroups ?? []).find((g) => g.originId === id);
}

export function origin(d: DistributionShape, id: string | undefined): OriginShape | undefined {
  return (d.origins ?? []).find((o) => o.originId === id);
}

/** The origins a behavior target reaches: the group's members, or the origin itself. */
export function targetOrigins(d: DistributionShape, targetOriginId: string | undefined): OriginShape[] {
  const group = originGroup(d, targetOriginId);
  const ids = group ? (group.members ?? []).map((m) => m.originId) : [targetOriginId];
  return ids.map((id) => origin(d, id)).filter((o): o is OriginShape => o !== undefined);
}
