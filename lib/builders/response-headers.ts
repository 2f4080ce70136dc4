/**
 * The response headers policy shared by every behavior: security headers, CORS for web players and
 * Timing-Allow-Origin so players can measure resource timing across origins.
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
      xssProtection: { protection: true, modeBlock: true, override: true },
    },
    customHeadersConfig: {
      items: [{ header: 'Timing-Allow-Origin', value: allowAll ? '*' : config.corsAllowedOrigins.join(' '), override: true }],
    },
  };
}
