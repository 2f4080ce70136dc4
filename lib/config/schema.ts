/**
 * Every `media-cdn:*` stack-config key: its type, default and meaning. `Pulumi.yaml` declares the same
 * keys (a test keeps the two equal) and `docs/configuration.md` lists them.
 */

export type ConfigKind = 'string' | 'integer' | 'boolean' | 'array' | 'object';

export interface ConfigKeySpec {
  readonly key: string;
  readonly kind: ConfigKind;
  readonly description: string;
  readonly default: string | number | boolean | readonly string[] | Readonly<Record<string, unknown>>;
  /** Allowed values for string keys. */
  readonly oneOf?: readonly string[];
  /** Inclusive range for integer keys. */
  readonly range?: readonly [number, number];
}

export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export const HTTP_VERSIONS = ['http1.1', 'http2', 'http3', 'http2and3'] as const;
export const GEO_RESTRICTION_TYPES = ['none', 'whitelist', 'blacklist'] as const;
export const ENVIRONMENTS = ['staging', 'prod'] as const;
export const ENFORCEMENT_LEVELS = ['advisory', 'mandatory'] as const;
/** Viewer TLS policies CloudFront offers that still require TLS 1.2 or newer (spec §10.4). */
export const MODERN_TLS_POLICIES = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'] as const;
/** Regions that can host Origin Shield (spec §9.4). */
export const ORIGIN_SHIELD_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2',
  'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'sa-east-1',
] as const;

export const CONFIG_SCHEMA: readonly ConfigKeySpec[] = [
  { key: 'environment', kind: 'string', oneOf: ENVIRONMENTS, default: 'staging',
    description: 'Which environment this stack is: staging allows the default CloudFront certificate and advisory policies; prod requires a custom certificate.' },
  { key: 'domainAliases', kind: 'array', default: [],
    description: 'Alternate domain names (CNAMEs) served by the distribution; they must be covered by acmCertificateArn.' },
  { key: 'acmCertificateArn', kind: 'string', default: '',
    description: 'ARN of an ACM certificate in us-east-1 for the aliases. Empty uses the *.cloudfront.net certificate, which is allowed in staging only.' },
  { key: 'minimumProtocolVersion', kind: 'string', oneOf: MODERN_TLS_POLICIES, default: 'TLSv1.2_2021',
    description: 'Viewer TLS security policy (spec §10.4); TLSv1.2_2021 or newer.' },
  { key: 'priceClass', kind: 'string', oneOf: PRICE_CLASSES, default: 'PriceClass_All',
    description: 'Edge locations used (spec §13.6): PriceClass_All reaches viewers in every region at the best latency.' },
  { key: 'httpVersion', kind: 'string', oneOf: HTTP_VERSIONS, default: 'http2and3',
    description: 'HTTP versions offered to viewers.' },
  { key: 'ipv6', kind: 'boolean', default: true, description: 'Serve viewers over IPv6 as well as IPv4.' },
  { key: 'geoRestrictionType', kind: 'string', oneOf: GEO_RESTRICTION_TYPES, default: 'none',
    description: 'Geo restriction: none, whitelist (allow only geoRestrictionLocations) or blacklist (deny them).' },
  { key: 'geoRestrictionLocations', kind: 'array', default: [],
    description: 'ISO 3166-1 alpha-2 country codes for the geo restriction.' },
  { key: 'originShieldRegion', kind: 'string', oneOf: ORIGIN_SHIELD_REGIONS, default: 'us-east-1',
    description: 'AWS Region of Origin Shield for every origin; pick the one closest to the origins (spec §9.4).' },
  { key: 'failoverRegion', kind: 'string', default: 'us-west-2',
    description: 'Region of the secondary S3 buckets that origin groups fail over to; objects are replicated there.' },
  { key: 'metadataOriginDomain', kind: 'string', default: 'metadata.origin.example.com',
    description: 'Domain name of the metadata service (custom HTTPS origin).' },
  { key: 'apiOriginDomain', kind: 'string', default: 'api.origin.example.com',
    description: 'Domain name of the API service (custom HTTPS origin).' },
  { key: 'originConnectionAttempts', kind: 'integer', range: [1, 3], default: 3,
    description: 'Connection attempts per origin request (spec §9.1).' },
  { key: 'originConnectionTimeoutSeconds', kind: 'integer', range: [1, 10], default: 10,
    description: 'Seconds to wait for an origin connection, per attempt (spec §9.1).' },
  { key: 'originReadTimeoutSeconds', kind: 'integer', range: [1, 120], default: 30,
    description: 'Seconds to wait for the first byte and between packets from a custom origin (spec §9.1).' },
  { key: 'originKeepaliveTimeoutSeconds', kind: 'integer', range: [1, 120], default: 5,
    description: 'Seconds an idle connection to a custom origin is kept open (spec §9.1).' },
  { key: 'wafRateLimitPer5Minutes', kind: 'integer', range: [10, 2_000_000_000], default: 2000,
    description: 'Requests one IP address may send in 5 minutes before the web ACL blocks it.' },
  { key: 'signingPublicKeyPem', kind: 'string', default: '',
    description: 'PEM of the RSA 2048 public key in the trusted key group that signs URLs and cookies for protected video. Required.' },
  { key: 'corsAllowedOrigins', kind: 'array', default: ['*'],
    description: 'Origins (scheme://host) of the web players allowed to read content cross-origin.' },
  { key: 'logRetentionDays', kind: 'integer', range: [1, 3650], default: 90,
    description: 'Days access logs are kept in the log bucket.' },
  { key: 'noncurrentVersionExpirationDays', kind: 'integer', range: [1, 3650], default: 30,
    description: 'Days noncurrent object versions are kept in the origin buckets (rollback window).' },
  { key: 'stagingDistribution', kind: 'boolean', default: false,
    description: 'Create a staging distribution with a continuous-deployment policy to try config changes before promotion.' },
  { key: 'stagingTrafficWeight', kind: 'integer', range: [0, 15], default: 0,
    description: 'Percent of viewer traffic sent to the staging distribution; 0 routes only requests that carry stagingHeaderName.' },
  { key: 'stagingHeaderName', kind: 'string', default: 'aws-cf-cd-staging',
    description: 'Request header (must start with aws-cf-cd-) that routes a request to the staging distribution.' },
  { key: 'stagingHeaderValue', kind: 'string', default: 'true',
    description: 'Value of stagingHeaderName that routes a request to the staging distribution.' },
  { key: 'policyEnforcement', kind: 'string', oneOf: ENFORCEMENT_LEVELS, default: 'advisory',
    description: 'How the policy pack treats violations for this stack: advisory warns, mandatory fails the preview.' },
  { key: 'contentTypes', kind: 'object', default: {},
    description: 'Per-route overrides of the content-type catalog, keyed by route id: {"metadata": {"defaultTtl": 900, "maxTtl": 3600, "pathPatterns": ["/metadata/*"], "compress": true}}.' },
];

export function configKeySpec(key: string): ConfigKeySpec | undefined {
  return CONFIG_SCHEMA.find((s) => s.key === key);
}
