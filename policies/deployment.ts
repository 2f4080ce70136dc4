/**
 * Deploy-time rules: what `pulumi up` on a real account rejects or gets wrong although the mocks and
 * a preview accept it. Names that collide between stacks of one account or between a resource and its
 * create-before-delete replacement, the one-per-account dimensional anomaly monitor, WAF rate rules
 * that count every media request, and list headers joined with spaces.
 */
import * as aws from '@pulumi/aws';
import { EXPLICIT_NAME_PROPERTY, namesStack, REPLACED_ON_CHANGE, stackOfUrn } from '../lib/aws-names';
import { isCommaListHeader, misjoinedListItems } from '../lib/semantics/response-headers';
import { resourceRule, stackRule, type MediaCdnPolicy } from './lib/define';

export const explicitNamesPerStack = stackRule({
  name: 'explicit-names-per-stack',
  description: 'Every explicit name of a resource whose names are unique per account (or per account and Region) carries the stack name.',
  remediationSteps: "Build the name from the stack (e.g. `${name}-${config.stack}-...`, lib/aws-names.ts boundedName), or drop it and let Pulumi autoname the resource.",
  docs: {
    group: 'deployment',
    why: "Two stacks in one account (staging and prod) that give a resource the same name collide: the second create fails with 'already exists', or, for log delivery sources and destinations, silently takes over the first stack's delivery.",
    references: [],
  },
  config: {
    exemptTypes: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Resource types whose names may omit the stack (e.g. shared by design).' },
  },
  validate(args, report, config) {
    for (const r of args.resources) {
      const property = EXPLICIT_NAME_PROPERTY[r.type];
      if (!property || config.exemptTypes.includes(r.type)) continue;
      const name = r.props[property];
      const stack = stackOfUrn(r.urn);
      if (typeof name !== 'string' || name === '' || !stack) continue;
      if (!namesStack(name, stack)) {
        report(`${r.type.split(':').pop()} '${r.name}' is named '${name}' (${property}), which does not carry the stack name '${stack}'; another stack in the account would collide with it. Put the stack in the name or let Pulumi autoname it.`, r.urn);
      }
    }
  },
});

export const replacedResourcesAutonamed = stackRule({
  name: 'replaced-resources-autonamed',
  description: 'Resources that are replaced create-before-delete when their content changes (CloudFront public keys, IAM server certificates) have no explicit name.',
  remediationSteps: 'Remove the explicit name (Pulumi then autonames the resource with a random suffix), so the replacement can exist beside the resource it replaces.',
  docs: {
    group: 'deployment',
    why: "Rotating a signing key replaces the public key (its encodedKey cannot change); Pulumi creates the new one before deleting the old, and with a fixed name the create fails with 'already exists'.",
    references: [],
  },
  config: {
    types: { type: 'array', items: { type: 'string' }, default: Object.keys(REPLACED_ON_CHANGE), description: 'Resource types replaced create-before-delete that must be autonamed.' },
  },
  validate(args, report, config) {
    for (const r of args.resources) {
      const changing = config.types.includes(r.type) ? REPLACED_ON_CHANGE[r.type] ?? ['its content'] : undefined;
      const property = EXPLICIT_NAME_PROPERTY[r.type] ?? 'name';
      if (!changing) continue;
      const name = r.props[property];
      if (typeof name === 'string' && name !== '') {
        report(`${r.type.split(':').pop()} '${r.name}' has the explicit name '${name}', but a change of ${changing.join(' or ')} replaces it create-before-delete and the new one would collide with that name; remove ${property} and let Pulumi autoname it.`, r.urn);
      }
    }
  },
});

export const noDimensionalAnomalyMonitor = resourceRule({
  name: 'no-dimensional-anomaly-monitor',
  description: 'The program creates no AWS-managed (DIMENSIONAL) Cost Anomaly Detection monitor; its monitors are CUSTOM, scoped to the stack.',
  remediationSteps: "Use monitorType 'CUSTOM' with a monitorSpecification scoped to the stack's cost allocation tag (media-cdn:costAnomalyMonitor), or subscribe to the account's existing monitor (media-cdn:costAnomalyMonitorArn).",
  docs: {
    group: 'deployment',
    why: 'AWS allows one dimensional (per-service) monitor per account and creates it by default when Cost Explorer is enabled, so creating another fails in most accounts, and a second stack could never create its own.',
    references: [],
  },
  resource: aws.costexplorer.AnomalyMonitor,
  config: {
    forbiddenTypes: { type: 'array', items: { type: 'string' }, default: ['DIMENSIONAL'], description: 'Monitor types the program may not create.' },
  },
  validate(props, _args, report, config) {
    if (config.forbiddenTypes.includes(props.monitorType)) {
      report(`the anomaly monitor '${props.name}' is DIMENSIONAL (${props.monitorDimension ?? 'no dimension'}); an account holds one, created by AWS by default. Create a CUSTOM monitor scoped to this stack, or subscribe to the existing one.`);
    }
  },
});

export const wafRateRulesScoped = resourceRule({
  name: 'waf-rate-rules-scoped',
  description: 'Every rate-based rule of a web ACL has a scope-down statement, so media requests do not count towards the per-IP limit.',
  remediationSteps: "Add a scopeDownStatement to the rateBasedStatement that limits it to the dynamic routes (lib/builders/web-acl.ts: the custom origins' path prefixes).",
  docs: {
    group: 'deployment',
    why: 'A player fetches a video segment every few seconds per rendition and thumbnails by the dozen: a household or a carrier NAT passes 5,000 requests in 5 minutes while watching, and an unscoped rate rule blocks them.',
    references: [],
  },
  resource: aws.wafv2.WebAcl,
  config: {
    scopes: { type: 'array', items: { type: 'string' }, default: ['CLOUDFRONT', 'REGIONAL'], description: 'Web ACL scopes whose rate-based rules must be scoped down.' },
  },
  validate(props, _args, report, config) {
    if (!config.scopes.includes(props.scope)) return;
    for (const rule of (props.rules ?? []) as { name?: string; statement?: { rateBasedStatement?: { scopeDownStatement?: unknown; limit?: number } } }[]) {
      const rate = rule.statement?.rateBasedStatement;
      if (rate && (rate.scopeDownStatement === undefined || rate.scopeDownStatement === null)) {
        report(`rule '${rule.name}' of web ACL '${props.name}' rate-limits every request (limit ${rate.limit} per IP) with no scope-down statement, so video segments and thumbnails count; scope it down to the dynamic routes.`);
      }
    }
  },
});

export const listHeadersCommaSeparated = resourceRule({
  name: 'list-headers-comma-separated',
  description: 'Custom response headers that hold lists (Timing-Allow-Origin, Access-Control-*, Vary) separate their items with commas.',
  remediationSteps: "Join the items with ', ' (e.g. Timing-Allow-Origin: https://a.example, https://b.example).",
  docs: {
    group: 'deployment',
    why: 'Browsers read a space-joined list as one malformed item and match none of it: Timing-Allow-Origin then hides resource timing from every player.',
    references: [],
  },
  resource: aws.cloudfront.ResponseHeadersPolicy,
  config: {
    extraHeaders: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'More list headers to check, besides Timing-Allow-Origin, Access-Control-* and Vary (lib/semantics/response-headers.ts).' },
  },
  validate(props, _args, report, config) {
    for (const h of (props.customHeadersConfig?.items ?? []) as { header: string; value: string }[]) {
      if (!isCommaListHeader(h.header) && !config.extraHeaders.some((x) => x.toLowerCase() === h.header.toLowerCase())) continue;
      const bad = misjoinedListItems(h.value);
      if (bad.length > 0) report(`header '${h.header}' of response headers policy '${props.name}' is '${h.value}': ${bad.map((b) => `'${b}'`).join(', ')} joins items with spaces; separate them with commas.`);
    }
  },
});

export const deploymentPolicies: readonly MediaCdnPolicy[] = [
  explicitNamesPerStack, replacedResourcesAutonamed, noDimensionalAnomalyMonitor, wafRateRulesScoped, listHeadersCommaSeparated,
];
