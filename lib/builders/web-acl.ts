/** Priority order of the web ACL's rules: cheap reputation block first, rate limit last. */
const RULES = ['ip-reputation', 'common-rules', 'rate-limit'] as const;

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function managedRule(name: (typeof RULES)[number], ruleGroup: string) {
  return {
    name,
    priority: RULES.indexOf(name),
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: ruleGroup } },
    visibilityConfig: visibility(name),
  };
}

/**
 * Web ACL for the distribution (scope CLOUDFRONT, created in us-east-1): AWS managed IP reputation and
 * common rule sets, and a per-IP rate limit over 5 minutes.
 */
export function buildWebAclArgs(namePrefix: string, ratePer5Minutes: number) {
  return {
    name: `${namePrefix}-edge`,
    description: 'media-cdn: managed common rules, IP reputation, per-IP rate limit',
    scope: 'CLOUDFRONT' as const,
    defaultAction: { allow: {} },
    rules: [
      managedRule('ip-reputation', 'AWSManagedRulesAmazonIpReputationList'),
      managedRule('common-rules', 'AWSManagedRulesCommonRuleSet'),
      {
        name: 'rate-limit',
        priority: RULES.indexOf('rate-limit'),
        action: { block: {} },
        statement: { rateBasedStatement: { limit: ratePer5Minutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: visibility('rate-limit'),
      },
    ],
    visibilityConfig: visibility(`${namePrefix}-edge`),
  };
}
