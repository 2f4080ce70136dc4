/**
 * Turns raw stack-config values into one validated, typed `StackConfig`. Pure: callers (index.ts under
 * Pulumi, the offline plan, the scripts) read the values and pass them in.
 */
import { CUSTOM_ORIGINS, resolveCatalog, S3_ORIGINS, type Catalog, type CatalogOverrides, type OriginName } from '../catalog';
import { shieldRegionNear } from '../builders/origins';
import { InputError, show } from '../errors';
import { isRemovableResponseHeader } from '../semantics/response-headers';
import { AWS_REGIONS, isKnownAwsRegion } from '../network';
import { ALL_AWS_REGIONS, isAwsRegion } from '../aws-regions';
import { closestName } from '../suggest';
import { candidateShapeProblems, relabelCandidateProblems, type CandidateValues } from './candidate';
import { parseSimulationBatch, type SimulationBatchConfig } from './simulation-batch';
import { CONFIG_SCHEMA, type ConfigKeySpec, type ENVIRONMENTS, type GEO_RESTRICTION_TYPES, type HTTP_VERSIONS, type MODERN_TLS_POLICIES, type PRICE_CLASSES, ORIGIN_SHIELD_REGIONS, type ENFORCEMENT_LEVELS, type ALARM_SEVERITIES, CLOUDWATCH_LOG_RETENTION_DAYS } from './schema';

export const CONFIG_NAMESPACE = 'media-cdn';

/** Custom domains whose DNS is in a Route 53 hosted zone (config `domain`). */
export interface DomainConfig {
  /** Names the distribution serves; the first is the certificate's domain name. */
  readonly names: readonly string[];
  /** Hosted zone id; '' when the zone is looked up by `hostedZone`. */
  readonly hostedZoneId: string;
  /** Hosted zone name (`example.com`); '' when `hostedZoneId` is given. */
  readonly hostedZone: string;
}

/** One origin's connection settings over the stack-wide ones (spec §9.1); unset fields fall back to them. */
export interface OriginTimeouts {
  readonly connectionAttempts?: number;
  readonly connectionTimeoutSeconds?: number;
  /** Custom origins (metadata, api) only. */
  readonly readTimeoutSeconds?: number;
}

export interface StackConfig {
  readonly stack: string;
  /** AWS Region of the origin buckets and regional resources (`aws:region`). */
  readonly region: string;
  readonly environment: (typeof ENVIRONMENTS)[number];
  /** Custom domains in Route 53 (certificate and DNS records made by the program); undefined when not configured. */
  readonly domain: DomainConfig | undefined;
  /** The names the distribution serves: `domain.names`, or `domainAliases`. */
  readonly domainAliases: readonly string[];
  readonly acmCertificateArn: string;
  readonly minimumProtocolVersion: (typeof MODERN_TLS_POLICIES)[number];
  readonly priceClass: (typeof PRICE_CLASSES)[number];
  readonly httpVersion: (typeof HTTP_VERSIONS)[number];
  readonly ipv6: boolean;
  readonly geoRestrictionType: (typeof GEO_RESTRICTION_TYPES)[number];
  readonly geoRestrictionLocations: readonly string[];
  readonly originShieldRegion: (typeof ORIGIN_SHIELD_REGIONS)[number];
  readonly failoverRegion: string;
  /** Extra Regions of the S3 origins, without aws:region; empty for a single-Region stack. */
  readonly originRegions: readonly string[];
  readonly metadataOriginDomain: string;
  readonly apiOriginDomain: string;
  /** Metadata origins in other Regions, by Region. */
  readonly metadataOriginDomains: Readonly<Record<string, string>>;
  /** API origins in other Regions, by Region. */
  readonly apiOriginDomains: Readonly<Record<string, string>>;
  readonly originSecretHeaderName: string;
  readonly originSecretRotation: number;
  readonly originAlbArns: readonly string[];
  readonly originConnectionAttempts: number;
  readonly originConnectionTimeoutSeconds: number;
  readonly originReadTimeoutSeconds: number;
  /** Per-origin connection settings over the stack-wide ones (`originTimeouts`); `{}` when none. */
  readonly originTimeouts: Readonly<Partial<Record<OriginName, OriginTimeouts>>>;
  readonly originKeepaliveTimeoutSeconds: number;
  readonly wafRateLimitPer5Minutes: number;
  readonly signingPublicKeyPem: string;
  readonly corsAllowedOrigins: readonly string[];
  readonly logRetentionDays: number;
  readonly noncurrentVersionExpirationDays: number;
  readonly stagingDistribution: boolean;
  readonly stagingTrafficWeight: number;
  readonly stagingHeaderName: string;
  readonly stagingHeaderValue: string;
  /** The candidate block as written (only candidate keys); `{}` when there is none. */
  readonly candidate: CandidateValues;
  /**
   * The config the staging distribution is built from: this config with the candidate applied, or
   * undefined when there is no candidate (the staging distribution then mirrors the primary).
   */
  readonly candidateConfig?: StackConfig;
  readonly cacheTagHeader: string;
  /** Whether the response headers policy strips cacheTagHeader from viewer responses. */
  readonly removeCacheTagHeader: boolean;
  readonly policyEnforcement: (typeof ENFORCEMENT_LEVELS)[number];
  readonly contentTypes: CatalogOverrides;
  readonly alarmSeverity: (typeof ALARM_SEVERITIES)[number];
  readonly alarmEmails: readonly string[];
  readonly alarmHttpsEndpoints: readonly string[];
  readonly bandwidthCeilingGbps: number;
  readonly accessLogGroupRetentionDays: number;
  /** Parquet log delivery, Glue table, Athena workgroup and named queries (docs/log-analytics.md). */
  readonly logAnalytics: boolean;
  /** BytesScannedCutoffPerQuery of the log-analytics workgroup, in GB (10^9 bytes). */
  readonly logAnalyticsScanLimitGb: number;
  readonly logAnalyticsResultsRetentionDays: number;
  /** 0 when the stack has no budget. */
  readonly monthlyBudgetUsd: number;
  readonly budgetActualAlertPercent: number;
  readonly budgetForecastAlertPercent: number;
  readonly costAnomalyMonitor: boolean;
  /** '' when the stack subscribes to no existing monitor. */
  readonly costAnomalyMonitorArn: string;
  readonly costAnomalyAlertUsd: number;
  /** Real-user monitoring of the web player (CloudWatch RUM app monitor, identity pool, guest role). */
  readonly rum: boolean;
  /** Share of player sessions RUM records, 0 to 1. */
  readonly rumSessionSampleRate: number;
  /**
   * The player pages' domains the app monitor accepts events from: `rumDomains` as configured, or the
   * hosts of `corsAllowedOrigins` when it is empty (see `resolveRumDomains`).
   */
  readonly rumDomains: readonly string[];
  readonly rumCloudWatchLogs: boolean;
  /** The SimulationBatch component's settings (docs/simulation-batch.md); undefined when the stack does not enable it. */
  readonly simulationBatch: SimulationBatchConfig | undefined;
  /** The content-type catalog with this stack's overrides applied. */
  readonly catalog: Catalog;
}

/** ", did you mean 'us-east-1'" for a near miss, else nothing. */
function regionHint(region: unknown): string {
  const near = typeof region === 'string' ? closestName(region, ALL_AWS_REGIONS) : undefined;
  return near !== undefined ? ` (did you mean '${near}'?)` : ` (not an AWS Region; the list is in lib/aws-regions.ts)`;
}
const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const COUNTRY_RE = /^[A-Z]{2}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ANOMALY_MONITOR_ARN_RE = /^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/;
const ALB_ARN_RE = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;
const ACM_ARN_RE = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

/** Config namespaces a stack file may use: the program's, the AWS provider's, Pulumi's own. */
export const CONFIG_NAMESPACES = [CONFIG_NAMESPACE, 'aws', 'pulumi'] as const;

/**
 * Problems of fully qualified config keys (`ns:key`) in namespaces the program does not read: a
 * misspelled namespace (`mediacdn:priceClass`) would otherwise be ignored without a word.
 */
export function configNamespaceProblems(keys: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const i = key.indexOf(':');
    if (i < 0) continue;
    const ns = key.slice(0, i);
    if ((CONFIG_NAMESPACES as readonly string[]).includes(ns)) continue;
    const near = closestName(ns, CONFIG_NAMESPACES);
    const fix = near !== undefined ? `did you mean ${near}:${key.slice(i + 1)}?` : `use ${CONFIG_NAMESPACE}:<setting> for this program's settings`;
    problems.push(`${key} is in the namespace '${ns}', which nothing here reads (known: ${CONFIG_NAMESPACES.join(', ')}); ${fix}`);
  }
  return problems;
}

/**
 * Validates raw values (keys without the `media-cdn:` prefix; strings, numbers, booleans, arrays or
 * parsed objects) and applies the schema's defaults.
 * @throws InputError listing every problem, each naming `media-cdn:<key>`, the value and the fix.
 */
export function parseStackConfig(stack: string, region: string | undefined, raw: Readonly<Record<string, unknown>>): StackConfig {
  const problems: string[] = [];
  const known = new Set(CONFIG_SCHEMA.map((s) => s.key));
  for (const key of Object.keys(raw)) {
    if (known.has(key)) continue;
    const near = closestName(key, known);
    problems.push(near !== undefined
      ? `${CONFIG_NAMESPACE}:${key} is not a known setting; did you mean ${CONFIG_NAMESPACE}:${near}? (docs/configuration.md lists every setting)`
      : `${CONFIG_NAMESPACE}:${key} is not a known setting; see docs/configuration.md for the list (known: ${[...known].join(', ')}).`);
  }
  const values: Record<string, unknown> = {};
  for (const spec of CONFIG_SCHEMA) values[spec.key] = coerce(spec, raw[spec.key], problems);

  if (!isAwsRegion(region)) {
    problems.push(`aws:region must be an AWS Region such as 'us-east-1', got ${show(region)}${regionHint(region)}; set it with 'pulumi config set aws:region us-east-1'.`);
  }
  const k = (key: string) => `${CONFIG_NAMESPACE}:${key}`;
  const domain = parseDomain(values.domain as Readonly<Record<string, unknown>>, k('domain'), problems);
  if (domain && (values.domainAliases as readonly string[]).length > 0) {
    problems.push(`${k('domainAliases')} and ${k('domain')} are both set; list the names in ${k('domain')}.names only (domainAliases is for DNS outside Route 53).`);
  }
  const v = { ...values, domain, domainAliases: domain ? domain.names : values.domainAliases } as Omit<StackConfig, 'stack' | 'region' | 'catalog'>;

  if (v.environment === 'prod' && !v.acmCertificateArn && !v.domain) {
    problems.push(`${k('acmCertificateArn')} is empty and ${k('domain')} is not set, but prod must serve its aliases with a custom certificate (the default *.cloudfront.net certificate is allowed in staging only); set ${k('domain')} to {"names": [...], "hostedZone": "<your Route 53 zone>"} to create and validate one, or ${k('acmCertificateArn')} to an existing ACM certificate ARN in us-east-1.`);
  }
  if (v.acmCertificateArn && !ACM_ARN_RE.test(v.acmCertificateArn)) {
    problems.push(`${k('acmCertificateArn')} must be an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<uuid>), got ${show(v.acmCertificateArn)}; CloudFront only accepts certificates from us-east-1.`);
  }
  if (v.domainAliases.length > 0 && !v.acmCertificateArn && !v.domain) {
    problems.push(`${k('domainAliases')} is set to ${show(v.domainAliases)} but ${k('acmCertificateArn')} is empty; aliases need a certificate that covers them.`);
  }
  if (v.domainAliases.length > 100) problems.push(`${k('domainAliases')} has ${v.domainAliases.length} names; CloudFront allows 100 per distribution (spec §15.1).`);
  for (const a of v.domainAliases) {
    if (!DOMAIN_RE.test(a.replace(/^\*\./, ''))) problems.push(`${k('domainAliases')} contains ${show(a)}, which is not a domain name such as 'cdn.example.com'.`);
  }
  for (const key of ['metadataOriginDomain', 'apiOriginDomain'] as const) {
    if (!DOMAIN_RE.test(v[key])) problems.push(`${k(key)} must be a domain name such as 'api.example.com' (no scheme, no path), got ${show(v[key])}.`);
  }
  if (!isAwsRegion(v.failoverRegion)) problems.push(`${k('failoverRegion')} must be an AWS Region such as 'us-west-2', got ${show(v.failoverRegion)}${regionHint(v.failoverRegion)}; set it with 'pulumi config set ${k('failoverRegion')} us-west-2'.`);
  else if (v.failoverRegion === region) problems.push(`${k('failoverRegion')} is ${show(v.failoverRegion)}, the same as aws:region; the secondary buckets must live in another Region to survive a regional outage.`);
  const originRegions = checkOriginRegions(v, region, problems);
  for (const key of ['metadataOriginDomains', 'apiOriginDomains'] as const) checkRegionalDomains(key, v[key], region, problems);
  checkOriginTimeouts(v.originTimeouts, problems);
  for (const c of v.geoRestrictionLocations) {
    if (!COUNTRY_RE.test(c)) problems.push(`${k('geoRestrictionLocations')} contains ${show(c)}; use ISO 3166-1 alpha-2 codes in capitals such as 'US'.`);
  }
  if (v.geoRestrictionType === 'none' && v.geoRestrictionLocations.length > 0) {
    problems.push(`${k('geoRestrictionLocations')} lists ${show(v.geoRestrictionLocations)} but ${k('geoRestrictionType')} is 'none'; set it to 'whitelist' or 'blacklist', or clear the list.`);
  }
  if (v.geoRestrictionType !== 'none' && v.geoRestrictionLocations.length === 0) {
    problems.push(`${k('geoRestrictionType')} is '${v.geoRestrictionType}' but ${k('geoRestrictionLocations')} is empty; list the countries or set the type to 'none'.`);
  }
  if (!/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/.test(v.signingPublicKeyPem)) {
    problems.push(`${k('signingPublicKeyPem')} must hold a PEM public key (-----BEGIN PUBLIC KEY----- ...) for the trusted key group that signs protected video URLs; generate one with 'openssl genrsa -out private.pem 2048 && openssl rsa -pubout -in private.pem'.`);
  }
  for (const o of v.corsAllowedOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o)) problems.push(`${k('corsAllowedOrigins')} contains ${show(o)}; use '*' or scheme://host such as 'https://www.example.com'.`);
  }
  if (!/^aws-cf-cd-[A-Za-z0-9-]+$/.test(v.stagingHeaderName)) {
    problems.push(`${k('stagingHeaderName')} must start with 'aws-cf-cd-' (CloudFront's rule for continuous-deployment headers), got ${show(v.stagingHeaderName)}.`);
  }
  if (v.cacheTagHeader !== '' && !/^[A-Za-z0-9-]{1,128}$/.test(v.cacheTagHeader)) {
    problems.push(`${k('cacheTagHeader')} must be an HTTP header name such as 'x-amz-meta-cache-tags' (letters, digits and '-'), got ${show(v.cacheTagHeader)}; or '' to turn cache tags off.`);
  }
  if (!/^[A-Za-z0-9-]{1,128}$/.test(v.originSecretHeaderName) || /^(x-amz-|x-edge-|x-amzn-)/i.test(v.originSecretHeaderName)) {
    problems.push(`${k('originSecretHeaderName')} must be a header name of letters, digits and '-' that CloudFront lets an origin custom header use (not X-Amz-*, X-Amzn-* or X-Edge-*), got ${show(v.originSecretHeaderName)}; e.g. 'x-origin-verify'.`);
  }
  for (const a of v.originAlbArns) {
    if (!ALB_ARN_RE.test(a)) problems.push(`${k('originAlbArns')} contains ${show(a)}, which is not an Application Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>).`);
  }
  if (v.cacheTagHeader !== '' && v.removeCacheTagHeader && !isRemovableResponseHeader(v.cacheTagHeader)) {
    problems.push(`${k('cacheTagHeader')} is ${show(v.cacheTagHeader)}, a header CloudFront cannot remove from viewer responses (response headers policies may not remove it); use a header such as 'x-amz-meta-cache-tags'.`);
  }
  if (v.costAnomalyMonitorArn !== '' && !ANOMALY_MONITOR_ARN_RE.test(v.costAnomalyMonitorArn)) {
    problems.push(`${k('costAnomalyMonitorArn')} must be a Cost Anomaly Detection monitor ARN (arn:aws:ce::<account>:anomalymonitor/<id>), got ${show(v.costAnomalyMonitorArn)}; or '' to subscribe to none.`);
  }
  if (v.costAnomalyMonitorArn !== '' && v.costAnomalyMonitor) {
    problems.push(`${k('costAnomalyMonitor')} is true and ${k('costAnomalyMonitorArn')} is set; pick one: create this stack's monitor, or subscribe to the existing one.`);
  }
  if (v.stagingDistribution && (v.httpVersion === 'http3' || v.httpVersion === 'http2and3')) {
    problems.push(`${k('httpVersion')} is '${v.httpVersion}' but ${k('stagingDistribution')} is true; CloudFront continuous deployment cannot be used with HTTP/3, so set httpVersion to 'http2' or turn the staging distribution off.`);
  }
  if (v.stagingDistribution && v.environment !== 'prod') {
    problems.push(`${k('stagingDistribution')} is true in a ${v.environment} stack; the staging distribution exists to try changes before they reach prod viewers, so enable it in prod only.`);
  }

  for (const e of v.alarmEmails) {
    if (!EMAIL_RE.test(e)) problems.push(`${k('alarmEmails')} contains ${show(e)}, which is not an email address such as 'cdn-oncall@example.com'.`);
  }
  for (const u of v.alarmHttpsEndpoints) {
    if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(u)) problems.push(`${k('alarmHttpsEndpoints')} contains ${show(u)}; SNS HTTPS subscriptions need an https:// URL such as 'https://alerts.example.com/sns'.`);
  }
  const rumDomains = resolveRumDomains(v, problems);
  const simulationBatch = parseSimulationBatch(values.simulationBatch as Readonly<Record<string, unknown>>, k('simulationBatch'), problems);
  if (!(CLOUDWATCH_LOG_RETENTION_DAYS as readonly number[]).includes(v.accessLogGroupRetentionDays)) {
    problems.push(`${k('accessLogGroupRetentionDays')} is ${v.accessLogGroupRetentionDays}, which CloudWatch Logs does not accept; use one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}.`);
  }

  let catalog: Catalog | undefined;
  try {
    catalog = resolveCatalog(v.contentTypes, k('contentTypes'));
  } catch (e) {
    if (e instanceof InputError) problems.push(...e.problems);
    else throw e;
  }
  problems.push(...candidateShapeProblems(raw.candidate, v.stagingDistribution));
  if (problems.length > 0 || !catalog) throw new InputError(problems);
  const base: StackConfig = { ...v, originRegions, rumDomains, simulationBatch, stack, region: region!, catalog };
  return Object.keys(v.candidate).length === 0 ? base : { ...base, candidateConfig: parseCandidate(base, raw) };
}

/** Most domains a CloudWatch RUM app monitor accepts (CreateAppMonitor `DomainList`: 1 to 5 items). */
export const RUM_MAX_DOMAINS = 5;
const RUM_DOMAIN_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * The domains of the player pages that send RUM events: `rumDomains`, or the hosts of
 * `corsAllowedOrigins` (the players' origins) when it is empty; each once. With `rum` on the list
 * must hold 1 to 5 domain names. Problems name the key, the value and the fix.
 */
function resolveRumDomains(v: { rum: boolean; rumDomains: readonly string[]; corsAllowedOrigins: readonly string[] }, problems: string[]): readonly string[] {
  const key = `${CONFIG_NAMESPACE}:rumDomains`;
  const explicit = v.rumDomains.length > 0;
  const hosts = explicit ? v.rumDomains : v.corsAllowedOrigins.filter((o) => o !== '*').map((o) => o.replace(/^https?:\/\//, '').replace(/:\d+$/, ''));
  const domains = [...new Set(hosts)];
  if (!v.rum) return domains;
  if (domains.length === 0) {
    problems.push(`${key} is empty and ${CONFIG_NAMESPACE}:corsAllowedOrigins names no player origin (${show(v.corsAllowedOrigins)}), but ${CONFIG_NAMESPACE}:rum is true; list the player pages' domains in ${key}, such as ["www.example.com"], or set rum to false.`);
  }
  if (domains.length > RUM_MAX_DOMAINS) {
    problems.push(`${explicit ? key : `${CONFIG_NAMESPACE}:corsAllowedOrigins`} gives ${domains.length} RUM domains (${domains.join(', ')}), but an app monitor accepts at most ${RUM_MAX_DOMAINS}; list the player pages' domains in ${key}, using '*.example.com' to cover several hosts.`);
  }
  for (const d of explicit ? domains : []) {
    if (!RUM_DOMAIN_RE.test(d)) problems.push(`${key} contains ${show(d)}, which is not a domain name such as 'www.example.com' or '*.example.com' (no scheme, no path).`);
  }
  return domains;
}

/**
 * `originRegions` without aws:region (allowed only first): each an AWS Region, listed once, not the
 * failover Region (which already holds a replica of every bucket), with an Origin Shield Region near it.
 */
function checkOriginRegions(v: { originRegions: readonly string[]; failoverRegion: string }, region: string | undefined, problems: string[]): readonly string[] {
  const key = `${CONFIG_NAMESPACE}:originRegions`;
  const list = v.originRegions[0] === region ? v.originRegions.slice(1) : v.originRegions;
  const seen = new Set<string>();
  for (const r of list) {
    if (r === region) {
      problems.push(`${key} lists aws:region ${show(r)} after other Regions; aws:region is the primary: list it first or leave it out.`);
    } else if (!isAwsRegion(r)) {
      problems.push(`${key} contains ${show(r)}${regionHint(r)}; list AWS Regions such as 'eu-central-1'.`);
    } else if (!isKnownAwsRegion(r)) {
      problems.push(`${key} contains ${show(r)}, which is not an AWS Region the latency model knows; use one of ${AWS_REGIONS.join(', ')}.`);
    } else if (seen.has(r)) {
      problems.push(`${key} lists ${show(r)} twice; list each Region once.`);
    } else if (r === v.failoverRegion) {
      problems.push(`${key} contains ${show(r)}, the failoverRegion, whose buckets already replicate every origin; pick another Region, or move ${CONFIG_NAMESPACE}:failoverRegion elsewhere.`);
    } else if (shieldRegionNear(r) === undefined) {
      problems.push(`${key} contains ${show(r)}, which has no Origin Shield and no published nearest shield Region; use a Region that offers Origin Shield (${ORIGIN_SHIELD_REGIONS.join(', ')}).`);
    }
    seen.add(r);
  }
  return list;
}

/** A Region → domain map of regional dynamic origins: known Regions other than aws:region, domain names as values. */
function checkRegionalDomains(name: 'metadataOriginDomains' | 'apiOriginDomains', map: Readonly<Record<string, unknown>>, region: string | undefined, problems: string[]): void {
  const key = `${CONFIG_NAMESPACE}:${name}`;
  const single = name === 'metadataOriginDomains' ? 'metadataOriginDomain' : 'apiOriginDomain';
  for (const [r, domain] of Object.entries(map)) {
    if (r === region) problems.push(`${key} has an entry for aws:region ${show(r)}; the primary Region's origin is ${CONFIG_NAMESPACE}:${single}, so remove the entry.`);
    else if (!isAwsRegion(r)) problems.push(`${key} has the key ${show(r)}${regionHint(r)}; key each domain by an AWS Region such as 'eu-central-1'.`);
    else if (!isKnownAwsRegion(r)) problems.push(`${key} has the key ${show(r)}, which is not an AWS Region the latency model knows; key each domain by one of ${AWS_REGIONS.join(', ')}.`);
    if (typeof domain !== 'string' || !DOMAIN_RE.test(domain)) problems.push(`${key}.${r} must be a domain name such as 'api.eu.example.com' (no scheme, no path), got ${show(domain)}.`);
  }
}

/** The fields of one `originTimeouts` entry and the range each takes: the stack-wide key's (spec §9.1). */
const ORIGIN_TIMEOUT_FIELDS = {
  connectionAttempts: 'originConnectionAttempts',
  connectionTimeoutSeconds: 'originConnectionTimeoutSeconds',
  readTimeoutSeconds: 'originReadTimeoutSeconds',
} as const;

/** `originTimeouts`: keys are origin names, values objects of known fields, integers in range; read timeouts on custom origins only. */
function checkOriginTimeouts(map: Readonly<Record<string, unknown>>, problems: string[]): void {
  const key = `${CONFIG_NAMESPACE}:originTimeouts`;
  const origins: readonly string[] = [...S3_ORIGINS, ...CUSTOM_ORIGINS];
  for (const [origin, entry] of Object.entries(map)) {
    if (!origins.includes(origin)) {
      problems.push(`${key} has the key ${show(origin)}, which is not an origin; key the settings by one of ${origins.join(', ')}.`);
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${key}.${origin} must be an object such as {"connectionAttempts": 1, "readTimeoutSeconds": 4}, got ${show(entry)}.`);
      continue;
    }
    for (const [field, value] of Object.entries(entry as Record<string, unknown>)) {
      const global = (ORIGIN_TIMEOUT_FIELDS as Readonly<Record<string, string>>)[field];
      if (global === undefined) {
        problems.push(`${key}.${origin} has the field ${show(field)}; use ${Object.keys(ORIGIN_TIMEOUT_FIELDS).join(', ')}.`);
        continue;
      }
      const range = CONFIG_SCHEMA.find((s) => s.key === global)!.range!;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
        problems.push(`${key}.${origin}.${field} must be a whole number from ${range[0]} to ${range[1]} (as ${CONFIG_NAMESPACE}:${global}), got ${show(value)}.`);
      } else if (field === 'readTimeoutSeconds' && !(CUSTOM_ORIGINS as readonly string[]).includes(origin)) {
        problems.push(`${key}.${origin}.readTimeoutSeconds is set, but ${origin} is an S3 origin, whose response timeout stays CloudFront's 30 s (the provider cannot set it); remove the field.`);
      }
    }
  }
}

/** The config with the candidate applied, validated like any stack config; problems name `candidate.<key>`. */
function parseCandidate(base: StackConfig, raw: Readonly<Record<string, unknown>>): StackConfig {
  const keys = Object.keys(base.candidate);
  const merged: Record<string, unknown> = { ...raw, ...base.candidate };
  delete merged.candidate;
  let config: StackConfig;
  try {
    config = parseStackConfig(base.stack, base.region, merged);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(relabelCandidateProblems(e.problems, keys));
    throw e;
  }
  const same = keys.filter((k) => JSON.stringify(config[k as keyof StackConfig]) === JSON.stringify(base[k as keyof StackConfig]));
  if (same.length > 0) {
    throw new InputError(same.map((k) => `${CONFIG_NAMESPACE}:candidate.${k} is ${show(base.candidate[k as keyof CandidateValues])}, the same as the stack's ${CONFIG_NAMESPACE}:${k}; a candidate lists only what differs, so drop it.`));
  }
  return config;
}

/** The `domain` object: names and a hosted zone (id or name); undefined when empty. */
function parseDomain(raw: Readonly<Record<string, unknown>>, key: string, problems: string[]): DomainConfig | undefined {
  if (Object.keys(raw).length === 0) return undefined;
  for (const f of Object.keys(raw)) {
    if (!['names', 'hostedZone', 'hostedZoneId'].includes(f)) problems.push(`${key}.${f} is not a known field; use names, hostedZone or hostedZoneId.`);
  }
  const names = raw.names;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    problems.push(`${key}.names must be a non-empty list of domain names such as ["cdn.example.com"], got ${show(names)}.`);
    return undefined;
  }
  const zone = typeof raw.hostedZone === 'string' ? raw.hostedZone.replace(/\.$/, '') : '';
  const zoneId = typeof raw.hostedZoneId === 'string' ? raw.hostedZoneId : '';
  if ((zone === '') === (zoneId === '')) {
    problems.push(`${key} needs exactly one of hostedZone (the Route 53 zone's name, such as 'example.com') or hostedZoneId (such as 'Z0123456789ABCDEFGHIJ'), got ${show({ hostedZone: raw.hostedZone, hostedZoneId: raw.hostedZoneId })}.`);
  }
  if (zoneId !== '' && !/^Z[A-Z0-9]{1,31}$/.test(zoneId)) problems.push(`${key}.hostedZoneId must be a Route 53 hosted zone id such as 'Z0123456789ABCDEFGHIJ', got ${show(zoneId)}.`);
  if (zone !== '' && !DOMAIN_RE.test(zone)) problems.push(`${key}.hostedZone must be a domain name such as 'example.com', got ${show(raw.hostedZone)}.`);
  for (const n of names as string[]) {
    const bare = n.replace(/^\*\./, '');
    if (zone !== '' && bare !== zone && !bare.endsWith(`.${zone}`)) problems.push(`${key}.names contains ${show(n)}, which is not in the hosted zone '${zone}'; the validation and alias records must go in the zone that holds the name.`);
  }
  return { names: [...names] as string[], hostedZoneId: zoneId, hostedZone: zone };
}

function coerce(spec: ConfigKeySpec, value: unknown, problems: string[]): unknown {
  const key = `${CONFIG_NAMESPACE}:${spec.key}`;
  if (value === undefined || value === null) return spec.default;
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') {
        problems.push(`${key} must be a string, got ${show(value)}.`);
        return spec.default;
      }
      if (spec.oneOf && !spec.oneOf.includes(value)) {
        problems.push(`${key} must be one of ${spec.oneOf.join(', ')}; got ${show(value)}.`);
        return spec.default;
      }
      return value;
    case 'integer': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        problems.push(`${key} must be a whole number, got ${show(value)}.`);
        return spec.default;
      }
      if (spec.range && (n < spec.range[0] || n > spec.range[1])) {
        problems.push(`${key} must be between ${spec.range[0]} and ${spec.range[1]}, got ${n}.`);
        return spec.default;
      }
      return n;
    }
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        problems.push(`${key} must be a number${spec.range ? ` from ${spec.range[0]} to ${spec.range[1]}` : ''}, got ${show(value)}.`);
        return spec.default;
      }
      if (spec.range && (n < spec.range[0] || n > spec.range[1])) {
        problems.push(`${key} must be between ${spec.range[0]} and ${spec.range[1]}, got ${n}${spec.range[1] === 1 && n > 1 && n <= 100 ? `; it is a share, not a percentage: write ${n / 100} for ${n} %` : ''}.`);
        return spec.default;
      }
      return n;
    }
    case 'boolean':
      if (value === 'true' || value === 'false') return value === 'true';
      if (typeof value !== 'boolean') {
        problems.push(`${key} must be true or false, got ${show(value)}.`);
        return spec.default;
      }
      return value;
    case 'array':
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) {
        problems.push(`${key} must be a list of strings, got ${show(value)}.`);
        return spec.default;
      }
      return value;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${key} must be an object, got ${show(value)}.`);
        return spec.default;
      }
      return value;
  }
}
