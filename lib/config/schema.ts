/**
 * Every `media-cdn:*` stack-config key: its type, default and meaning. `Pulumi.yaml` declares the same
 * keys (a test keeps the two equal) and `docs/configuration.md` lists them.
 */

export type ConfigKind = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface ConfigKeySpec {
  readonly key: string;
  readonly kind: ConfigKind;
  readonly description: string;
  readonly default: string | number | boolean | readonly string[] | Readonly<Record<string, unknown>>;
  /** Allowed values for string keys. */
  readonly oneOf?: readonly string[];
  /** Inclusive range for integer and number keys. */
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
/** Alarm severities: prod pages (critical); staging notifies with longer windows and looser error thresholds (warning). */
export const ALARM_SEVERITIES = ['critical', 'warning'] as const;
/**
 * Retention periods CloudWatch Logs accepts for a log group, in days (PutRetentionPolicy).
 * Source: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const CONFIG_SCHEMA: readonly ConfigKeySpec[] = [
  { key: 'environment', kind: 'string', oneOf: ENVIRONMENTS, default: 'staging',
    description: 'Which environment this stack is: staging allows the default CloudFront certificate and advisory policies; prod requires a custom certificate.' },
  { key: 'domain', kind: 'object', default: {},
    description: 'Custom domains: {"names": ["cdn.example.com"], "hostedZone": "example.com"} (or "hostedZoneId": "Z123..."). The program creates an ACM certificate in us-east-1 for the names, validates it with DNS records in the Route 53 hosted zone, and points A/AAAA alias records at the distribution. With acmCertificateArn set, that certificate is used instead and none is created. Replaces domainAliases.' },
  { key: 'domainAliases', kind: 'array', default: [],
    description: 'Alternate domain names (CNAMEs) served by the distribution, for domains whose DNS is not in Route 53; they must be covered by acmCertificateArn, and their DNS records are yours to create. Prefer domain.' },
  { key: 'acmCertificateArn', kind: 'string', default: '',
    description: 'ARN of an existing ACM certificate in us-east-1 for the domain names. Empty: the certificate comes from domain (created and DNS-validated), or, without domain, the *.cloudfront.net certificate, which is allowed in staging only.' },
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
    description: 'AWS Region of Origin Shield for the primary origins; pick the one closest to them (spec §9.4). The failover secondaries use the shield Region nearest failoverRegion.' },
  { key: 'failoverRegion', kind: 'string', default: 'us-west-2',
    description: 'Region of the secondary S3 buckets that origin groups fail over to; objects are replicated there.' },
  { key: 'originRegions', kind: 'array', default: [],
    description: 'Extra AWS Regions that hold a copy of the S3 origins (video, images, static), filled by S3 replication from aws:region, each its own origin with Origin Shield nearby; viewers are routed to the nearest Region by the viewer-request function. aws:region is implicit (list it first or leave it out); empty keeps the single-Region design. Cost: replication transfer and storage per Region (docs/architecture.md).' },
  { key: 'metadataOriginDomain', kind: 'string', default: 'metadata.origin.example.com',
    description: 'Domain name of the metadata service (custom HTTPS origin).' },
  { key: 'apiOriginDomain', kind: 'string', default: 'api.origin.example.com',
    description: 'Domain name of the API service (custom HTTPS origin).' },
  { key: 'metadataOriginDomains', kind: 'object', default: {},
    description: 'Metadata service origins in other Regions, by AWS Region: {"eu-central-1": "metadata.eu.example.com"}; viewers nearest a Region use its origin and fail over to metadataOriginDomain. Empty: one origin (which may itself be a latency-routed domain). The contract each origin must meet is in docs/architecture.md.' },
  { key: 'apiOriginDomains', kind: 'object', default: {},
    description: 'API origins in other Regions, by AWS Region: {"eu-central-1": "api.eu.example.com"}; routed like metadataOriginDomains, failing over to apiOriginDomain. The personalized API routes then forward the viewer Host header (docs/architecture.md).' },
  { key: 'originSecretHeaderName', kind: 'string', default: 'x-origin-verify',
    description: 'Header CloudFront adds to every request to the metadata and API origins, carrying a secret kept in AWS Secrets Manager (media-cdn/<stack>/origin-verify); the origins reject requests without it (docs/deployment.md, "Origins only through CloudFront").' },
  { key: 'originSecretRotation', kind: 'integer', range: [1, 1_000_000], default: 1,
    description: 'Generation of the origin secret: raise it by one to rotate the secret (a new value is generated in Secrets Manager and sent by CloudFront; origins accept AWSCURRENT and AWSPREVIOUS meanwhile).' },
  { key: 'originAlbArns', kind: 'array', default: [],
    description: 'ARNs of Application Load Balancers in front of the metadata and API origins; each gets a regional web ACL that blocks requests without the origin secret header.' },
  { key: 'originConnectionAttempts', kind: 'integer', range: [1, 3], default: 3,
    description: 'Connection attempts per origin request (spec §9.1).' },
  { key: 'originConnectionTimeoutSeconds', kind: 'integer', range: [1, 10], default: 10,
    description: 'Seconds to wait for an origin connection, per attempt (spec §9.1).' },
  { key: 'originReadTimeoutSeconds', kind: 'integer', range: [1, 120], default: 30,
    description: 'Seconds to wait for the first byte and between packets from a custom origin (spec §9.1).' },
  { key: 'originTimeouts', kind: 'object', default: {},
    description: 'Per-origin connection settings over the three above, by origin (video, images, static, metadata, api): {"metadata": {"connectionAttempts": 1, "connectionTimeoutSeconds": 2, "readTimeoutSeconds": 4}}; each applies to every copy of the origin (primary, secondary, regional). readTimeoutSeconds only for metadata and api (the S3 origins keep CloudFront\'s 30 s). Short settings on an origin with a second origin make failover fast (docs/resilience.md).' },
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
  { key: 'candidate', kind: 'object', default: {},
    description: 'Candidate settings for a staged rollout: a subset of these keys (priceClass, httpVersion, ipv6, geoRestrictionType, geoRestrictionLocations, the origin timeouts and attempts, corsAllowedOrigins, contentTypes) that apply to the staging distribution only; npm run rollout -- promote moves them into the stack config. Needs stagingDistribution. See docs/deployment.md (Staged rollout).' },
  { key: 'cacheTagHeader', kind: 'string', default: 'x-amz-meta-cache-tags',
    description: 'Response header CloudFront reads cache tags from (spec §8.2); S3 returns user metadata cache-tags as x-amz-meta-cache-tags and the API/metadata origins send the same header. Empty turns tag invalidation off. Changing it does not re-tag objects already cached.' },
  { key: 'removeCacheTagHeader', kind: 'boolean', default: true,
    description: 'Remove cacheTagHeader from viewer responses with the response headers policy, so viewers do not see the tags. That CloudFront still reads the tags from the origin response when the policy removes the header is unverified (spec §8.2 does not say): set false if tag invalidations miss objects.' },
  { key: 'policyEnforcement', kind: 'string', oneOf: ENFORCEMENT_LEVELS, default: 'advisory',
    description: 'How the policy pack treats violations for this stack: advisory warns, mandatory fails the preview.' },
  { key: 'contentTypes', kind: 'object', default: {},
    description: 'Per-route overrides of the content-type catalog, keyed by route id: {"metadata": {"defaultTtl": 900, "maxTtl": 3600, "pathPatterns": ["/metadata/*"], "compress": true, "staleWhileRevalidate": 300, "staleIfError": 900}}. staleWhileRevalidate and staleIfError are the seconds the origins send in Cache-Control (spec §2.3), at most the type\'s update interval.' },
  { key: 'alarmSeverity', kind: 'string', oneOf: ALARM_SEVERITIES, default: 'warning',
    description: 'Severity of the CDN alarms (docs/monitoring.md): critical alarms fire on 15 minutes of breach with tight error thresholds (prod); warning alarms need 30 minutes and tolerate more errors (staging).' },
  { key: 'alarmEmails', kind: 'array', default: [],
    description: 'Email addresses subscribed to the alarm topic (each must confirm the subscription).' },
  { key: 'alarmHttpsEndpoints', kind: 'array', default: [],
    description: 'HTTPS endpoints (https://...) subscribed to the alarm topic, such as an incident-management webhook.' },
  { key: 'bandwidthCeilingGbps', kind: 'integer', range: [1, 150], default: 120,
    description: 'Alarm when the distribution serves more than this many Gbps for 15 minutes; the default is 80 % of the 150 Gbps per-distribution quota (spec §15.1).' },
  { key: 'accessLogGroupRetentionDays', kind: 'integer', range: [1, 3653], default: 30,
    description: 'Days the access logs delivered to CloudWatch Logs (for the dashboard, the alarms and npm run report) are kept; one of the retention periods CloudWatch Logs accepts.' },
  { key: 'monthlyBudgetUsd', kind: 'integer', range: [0, 100_000_000], default: 0,
    description: "Monthly AWS Budgets limit for this stack's CloudFront costs, in USD (filtered by the media-cdn:stack cost allocation tag, which must be activated: docs/deployment.md); 0 creates no budget. See docs/cost-analysis.md for how to size it." },
  { key: 'budgetActualAlertPercent', kind: 'integer', range: [1, 1000], default: 80,
    description: 'Notify the alarm topic when actual CloudFront spend passes this percentage of monthlyBudgetUsd.' },
  { key: 'budgetForecastAlertPercent', kind: 'integer', range: [1, 1000], default: 100,
    description: 'Notify the alarm topic when forecast CloudFront spend for the month passes this percentage of monthlyBudgetUsd.' },
  { key: 'costAnomalyMonitor', kind: 'boolean', default: false,
    description: "Create a customer-managed (CUSTOM) Cost Anomaly Detection monitor of this stack's spend, scoped by the media-cdn:stack cost allocation tag (activate the tag first: docs/deployment.md), notifying the alarm topic. Never the per-service DIMENSIONAL monitor, which AWS allows once per account and creates by default." },
  { key: 'costAnomalyMonitorArn', kind: 'string', default: '',
    description: 'ARN of an existing Cost Anomaly Detection monitor (such as the account\'s default per-service monitor) to subscribe the alarm topic to, instead of creating one; costAnomalyMonitor must then be false.' },
  { key: 'costAnomalyAlertUsd', kind: 'integer', range: [1, 10_000_000], default: 100,
    description: 'Smallest total impact, in USD, of a cost anomaly that is notified.' },
  { key: 'logAnalytics', kind: 'boolean', default: false,
    description: "Deliver the primary distribution's access logs to the log bucket also as Parquet with Hive-compatible partitions, with a Glue table (partition projection) over them, an Athena workgroup and a named query per analysis of analytics/sql/ (docs/log-analytics.md)." },
  { key: 'logAnalyticsScanLimitGb', kind: 'integer', range: [1, 100_000], default: 100,
    description: 'Largest amount of data, in GB, one Athena query of the log-analytics workgroup may scan before Athena cancels it (BytesScannedCutoffPerQuery, enforced); at $5 per TB a query then costs at most this many half-cents.' },
  { key: 'logAnalyticsResultsRetentionDays', kind: 'integer', range: [1, 3650], default: 7,
    description: "Days the Athena workgroup's query results are kept in its results bucket." },
  { key: 'simulationBatch', kind: 'object', default: {},
    description: 'Replay the simulator at scale as an AWS Batch array job on Fargate (docs/simulation-batch.md): {"enabled": true, "image": "<account>.dkr.ecr.<region>.amazonaws.com/media-cdn-sim:<tag>", "subnetIds": ["subnet-..."], "securityGroupIds": ["sg-..."]} and optionally vcpu (1), memoryMiB (4096; a pair Fargate accepts), shards (16, 2 to 4096), maxvCpus (64), assignPublicIp (false), retentionDays (30) and logRetentionDays (30). Creates an encrypted bucket for the inputs and the parts, a managed FARGATE compute environment, a job queue, a job definition, two least-privilege roles and a log group. Empty or enabled false: none of it. Cost: Fargate per vCPU-second and GB-second while children run, S3 storage of the parts.' },
  { key: 'rum', kind: 'boolean', default: false,
    description: 'Real-user monitoring of the web player: a CloudWatch RUM app monitor (us-east-1) for the player pages (rumDomains), its Cognito identity pool with an unauthenticated guest role that may only send events to it (rum:PutRumEvents), dashboard widgets and alarms on page load, LCP and JavaScript errors, and RUM figures in npm run report (docs/monitoring.md, "Real-user monitoring"). Cost: per RUM event collected.' },
  { key: 'rumSessionSampleRate', kind: 'number', range: [0, 1], default: 0.1,
    description: 'Share of player sessions RUM records (0 to 1, e.g. 0.1 = 10 %); RUM bills per event, so the cost grows with it. Used when rum is true.' },
  { key: 'rumDomains', kind: 'array', default: [],
    description: 'Domains (host names, "*.example.com" allowed; at most 5) of the pages that run the web player and send RUM events. Empty: the hosts of corsAllowedOrigins, which must then not be "*". Used when rum is true.' },
  { key: 'rumCloudWatchLogs', kind: 'boolean', default: false,
    description: 'Also copy the RUM events to a CloudWatch Logs group of the account (kept beyond the 30 days RUM keeps them, at CloudWatch Logs prices). Used when rum is true.' },
];

export function configKeySpec(key: string): ConfigKeySpec | undefined {
  return CONFIG_SCHEMA.find((s) => s.key === key);
}
