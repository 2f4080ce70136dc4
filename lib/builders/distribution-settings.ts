/**
 * Distribution-wide settings from stack config: certificate and TLS, HTTP versions, price class, geo
 * restriction (spec §10, §13.6).
 */
import type { StackConfig } from '../config';

/**
 * Viewer certificate: an ACM certificate with SNI and the configured TLS policy, or (staging only) the
 * default one. `certificateArn` is the certificate the program created for `domain`; without it,
 * `acmCertificateArn` from config.
 */
export function buildViewerCertificate<T = string>(config: StackConfig, certificateArn?: T) {
  const arn = certificateArn ?? (config.acmCertificateArn || undefined);
  if (arn !== undefined) {
    return { acmCertificateArn: arn, sslSupportMethod: 'sni-only', minimumProtocolVersion: config.minimumProtocolVersion };
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

/** Settings that depend on no other resource but the certificate (see `buildViewerCertificate`). */
export function buildDistributionSettings<T = string>(config: StackConfig, certificateArn?: T) {
  return {
    enabled: true,
    comment: `media-cdn ${config.stack}`,
    aliases: [...config.domainAliases],
    defaultRootObject: 'index.html',
    httpVersion: config.httpVersion,
    isIpv6Enabled: config.ipv6,
    priceClass: config.priceClass,
    restrictions: buildRestrictions(config),
    viewerCertificate: buildViewerCertificate(config, certificateArn),
    // Origins return an object's tags in this header; `#tag` invalidations then remove it (spec §8.2).
    ...(config.cacheTagHeader ? { cacheTagConfig: { headerName: config.cacheTagHeader } } : {}),
  };
}
