/**
 * The distribution's web ACL (scope CLOUDFRONT, us-east-1) and, for origins behind an Application Load
 * Balancer, the regional web ACL that admits only requests carrying the origin secret header.
 */
import { CUSTOM_ORIGINS, type Catalog } from '../catalog';

/** Priority order of the edge web ACL's rules: cheap reputation block first, rate limit last. */
const RULES = ['ip-reputation', 'common-rules', 'body-size-outside-api', 'rate-limit'] as const;

/**
 * Rules of AWSManagedRulesCommonRuleSet that legitimate clients of this CDN trip: API POST bodies over
 * 8 KB (SizeRestrictions_BODY) and smart-TV and set-top players that send no User-Agent
 * (NoUserAgent_HEADER). They count instead of blocking; body size is then blocked outside the API by
 * `body-size-outside-api`, from the label the counted rule leaves.
 * Source: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
export const COMMON_RULES_COUNTED = ['SizeRestrictions_BODY', 'NoUserAgent_HEADER'] as const;
/** Label SizeRestrictions_BODY adds to a request it matches (the rule group's label namespace). */
export const BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function managedRule(name: (typeof RULES)[number], ruleGroup: string, countedRules: readonly string[] = []) {
  return {
    name,
    priority: RULES.indexOf(name),
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: ruleGroup,
        ...(countedRules.length > 0 ? { ruleActionOverrides: countedRules.map((r) => ({ name: r, actionToUse: { count: {} } })) } : {}),
      },
    },
    visibilityConfig: visibility(name),
  };
}

/** A statement matching URI paths that start with `prefix`. */
function pathStartsWith(prefix: string) {
  return {
    byteMatchStatement: {
      searchString: prefix,
      positionalConstraint: 'STARTS_WITH',
      fieldToMatch: { uriPath: {} },
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
}

/** One statement, or an OR of several (WAF's orStatement needs two or more). */
function anyOf<S>(statements: readonly S[]): S | { orStatement: { statements: S[] } } {
  return statements.length === 1 ? statements[0]! : { orStatement: { statements: [...statements] } };
}

/**
 * Path prefixes of the routes served by custom origins (metadata, API): the dynamic requests a
 * client can flood. Media (video segments, thumbnails, static files) is served from cache and is
 * requested by the hundred per viewer per minute, so it stays outside the rate limit: a household or
 * a carrier NAT watching video passes 5,000 segment requests in 5 minutes.
 */
export function rateLimitedPathPrefixes(catalog: Catalog): string[] {
  const prefixes = catalog.routes
    .filter((r) => CUSTOM_ORIGINS.includes(r.origin))
    .flatMap((r) => r.pathPatterns.map((p) => p.slice(0, p.search(/[*?]/) < 0 ? p.length : p.search(/[*?]/))))
    .filter((p) => p !== '' && p !== '/');
  const sorted = [...new Set(prefixes)].sort();
  return sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(q)));
}

/** Path prefixes of the API routes (where POST bodies are large). */
export function apiPathPrefixes(catalog: Catalog): string[] {
  return rateLimitedPathPrefixes({ ...catalog, routes: catalog.routes.filter((r) => r.origin === 'api') });
}

/**
 * Web ACL for the distribution (scope CLOUDFRONT, created in us-east-1): AWS managed IP reputation and
 * common rule sets (body size and missing User-Agent counted, see COMMON_RULES_COUNTED), large bodies
 * blocked outside the API, and a per-IP rate limit over 5 minutes scoped down to the dynamic routes.
 */
export function buildWebAclArgs(namePrefix: string, ratePer5Minutes: number, catalog: Catalog) {
  const limited = rateLimitedPathPrefixes(catalog);
  const api = apiPathPrefixes(catalog);
  return {
    name: `${namePrefix}-edge`,
    description: 'media-cdn: managed common rules, IP reputation, per-IP rate limit on dynamic routes',
    scope: 'CLOUDFRONT' as const,
    defaultAction: { allow: {} },
    rules: [
      managedRule('ip-reputation', 'AWSManagedRulesAmazonIpReputationList'),
      managedRule('common-rules', 'AWSManagedRulesCommonRuleSet', COMMON_RULES_COUNTED),
      {
        name: 'body-size-outside-api',
        priority: RULES.indexOf('body-size-outside-api'),
        action: { block: {} },
        statement: {
          andStatement: {
            statements: [
              { labelMatchStatement: { scope: 'LABEL', key: BODY_SIZE_LABEL } },
              { notStatement: { statement: anyOf(api.map(pathStartsWith)) } },
            ],
          },
        },
        visibilityConfig: visibility('body-size-outside-api'),
      },
      {
        name: 'rate-limit',
        priority: RULES.indexOf('rate-limit'),
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: ratePer5Minutes,
            aggregateKeyType: 'IP',
            evaluationWindowSec: 300,
            scopeDownStatement: anyOf(limited.map(pathStartsWith)),
          },
        },
        visibilityConfig: visibility('rate-limit'),
      },
    ],
    visibilityConfig: visibility(`${namePrefix}-edge`),
  };
}

/**
 * Regional web ACL for an origin-side Application Load Balancer: blocks every request without the
 * origin secret header, so only CloudFront (which adds it) reaches the origin. `T` is the type of the
 * secret (a Pulumi secret output in the component).
 */
export function buildOriginWebAclArgs<T>(namePrefix: string, headerName: string, secret: T) {
  return {
    name: `${namePrefix}-origin`,
    description: 'media-cdn: only requests from CloudFront (origin secret header) reach the origin',
    scope: 'REGIONAL' as const,
    defaultAction: { block: {} },
    rules: [{
      name: 'from-cloudfront',
      priority: 0,
      action: { allow: {} },
      statement: {
        byteMatchStatement: {
          searchString: secret,
          positionalConstraint: 'EXACTLY',
          fieldToMatch: { singleHeader: { name: headerName.toLowerCase() } },
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
      visibilityConfig: visibility('from-cloudfront'),
    }],
    visibilityConfig: visibility(`${namePrefix}-origin`),
  };
}
