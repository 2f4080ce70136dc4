/**
 * Distribution-wide settings from stack config: certificate and TLS, HTTP versions, price class, geo
 * restriction (spec §10, §13.6).
 */
import type { StackConfig } from '../config';

/** Viewer certificate: the ACM certificate with SNI and the configured TLS policy, or (staging only) the default one. */
export function buildViewerCertificate(config: StackConfig) {
  if (config.acmCertificateArn) {
    return { acmCertificateArn: config.acmCertificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: config.minimumProtocolVersion };
  }
  // The *.cloudfront.net certificate forces TLSv1 whatever is configured (spec §10.4); staging only.
  return { cloudfrontDefaultCertificate: true };
}

export function buildRestrictions(config: StackConfig) {
  return {
    geoRestriction: {
      restrictionType: config.geoRestrictionType,
      locations: [...config.geoRestrictionLocations].sort(),
    },
  };
}

/** Settings that do not depend on other resources. */
export function buildDistributionSettings(config: StackConfig) {
  return {
    enabled: true,
    comment: `media-cdn ${config.stack}`,
    aliases: [...config.domainAliases],
    defaultRootObject: 'index.html',
    httpVersion: config.httpVersion,
    isIpv6Enabled: config.ipv6,
    priceClass: config.priceClass,
    restrictions: buildRestrictions(config),
    viewerCertificate: buildViewerCertificate(config),
    // Origins return an object's tags in this header; `#tag` invalidations then remove it (spec §8.2).
    ...(config.cacheTagHeader ? { cacheTagConfig: { headerName: config.cacheTagHeader } } : {}),
  };
}
