/**
 * The response headers policy shared by every behavior: security headers, CORS for web players,
 * Timing-Allow-Origin so players can measure resource timing across origins, and the removal of the
 * cache-tag header (an origin-to-CloudFront header that viewers need not see).
 *
 * No X-XSS-Protection: browsers dropped the XSS auditor it controlled, and OWASP advises against
 * sending it (a filter that is on can introduce leaks); Content-Security-Policy is the replacement.
 */
import type { StackConfig } from '../config';

/** HSTS max-age: two years, the preload list's requirement. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

export function buildResponseHeadersPolicyArgs(config: StackConfig, name: string) {
  const allowAll = config.corsAllowedOrigins.includes('*');
  return {
    name,
    comment: `media-cdn ${config.stack}: security headers, CORS for players, Timing-Allow-Origin`,
    corsConfig: {
      accessControlAllowCredentials: false,
      accessControlAllowHeaders: { items: ['Range', 'Content-Type', 'Authorization', 'Accept'] },
      accessControlAllowMethods: { items: ['GET', 'HEAD', 'OPTIONS'] },
      accessControlAllowOrigins: { items: allowAll ? ['*'] : [...config.corsAllowedOrigins] },
      accessControlExposeHeaders: { items: ['Content-Length', 'Content-Range', 'Age', 'X-Cache'] },
      accessControlMaxAgeSec: 86_400,
      originOverride: true,
    },
    securityHeadersConfig: {
      strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: 'DENY', override: true },
      referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
    },
    customHeadersConfig: {
      // A comma-separated list (Resource Timing); origins joined with spaces match none of them.
      items: [{ header: 'Timing-Allow-Origin', value: allowAll ? '*' : config.corsAllowedOrigins.join(', '), override: true }],
    },
    // CloudFront reads the cache tags from this origin header (spec §8.2); viewers do not need them.
    // Whether removal happens after tag extraction is unverified, hence the setting.
    ...(config.cacheTagHeader !== '' && config.removeCacheTagHeader ? { removeHeadersConfig: { items: [{ header: config.cacheTagHeader }] } } : {}),
  };
}
