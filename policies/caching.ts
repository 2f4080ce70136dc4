/**
 * Caching rules: TTLs within the content-type catalog's bounds, every content type served by a
 * behavior of its own and none shadowed, cache-key hygiene, compression of text, error caching,
 * Origin Shield on video, the custom cache policy quota and the additional-metrics subscription.
 *
 * Bounds come from lib/catalog (update intervals, `MAX_TTL_INTERVALS`, allow-lists, error-caching
 * TTLs) and CloudFront behaviour from lib/semantics (behavior selection, shadowing, compression,
 * cache-key validation, managed policies, quotas). Behaviors of routes the catalog marks as never
 * cached (`caching: 'disabled'`) are left to personalized-routes-uncached.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { buildCustomErrorResponses } from '../lib/builders/behaviors';
import {
  CONTENT_TYPE_NAMES, CONTENT_TYPES, defaultTtlBound, MAX_TTL_INTERVALS, maxStaleSeconds, maxTtlBound, staleWindowProblems, type ContentTypeSpec,
} from '../lib/catalog';
import { validateCacheKeyPolicy } from '../lib/semantics/cache-key';
import {
  compressionDecision, describeCompressionReason, isCompressibleContentType, MAX_COMPRESSIBLE_BYTES, MIN_COMPRESSIBLE_BYTES,
} from '../lib/semantics/compression';
import { CLOUDFRONT_LIMITS } from '../lib/semantics/limits';
import { MANAGED_CACHE_POLICIES } from '../lib/semantics/managed-policies';
import { findShadowedPatterns, normalizePattern } from '../lib/semantics/path-pattern';
import { behaviorViews, catalog, servedPatterns, typeOf, type BehaviorView } from './lib/behaviors';
import { cachePolicyFromProps, resolveCachePolicy, resolveOriginRequestPolicy, type ResolvedCachePolicy } from './lib/cache-policies';
import { resourceRule, stackRule, type MediaCdnPolicy } from './lib/define';
import { targetOrigins } from './lib/origins';
import type { CachePolicyShape, DistributionShape } from './lib/shapes';
import { distributionsOf, ofType, primaryDistributionsOf, type StackDistribution } from './lib/stack';
import { quoteList, seconds } from './lib/text';

const CATALOG_FILE = 'lib/catalog/content-types.ts';

function typeNamed(name: string): ContentTypeSpec | undefined {
  return CONTENT_TYPES.find((t) => t.name === name);
}


/** A cached behavior (its route is cached per the catalog) with its resolved cache policy. */
interface CachedBehavior {
  readonly d: StackDistribution;
  readonly view: BehaviorView;
  readonly policy: ResolvedCachePolicy;
}

function cachedBehaviors(resources: readonly PolicyResource[], exemptTypes: readonly string[] = []): CachedBehavior[] {
  return distributionsOf(resources).flatMap((d) => behaviorViews(d.props).flatMap((view) => {
    if (view.route.caching !== 'custom' || exemptTypes.includes(view.type.name)) return [];
    const policy = resolveCachePolicy(view.behavior, resources);
    return policy ? [{ d, view, policy }] : [];
  }));
}

/** Where a TTL or key problem is fixed: the custom cache policy, else the distribution. */
function urnOf(c: CachedBehavior): string {
  return c.policy.urn ?? c.d.resource.urn;
}

function serves(c: CachedBehavior): string {
  return `${c.view.label} of ${c.d.label} serves ${c.view.type.name} content (catalog route '${c.view.route.id}')`;
}

const API_TYPE = typeNamed('api')!;
const API_BOUND = maxTtlBound(API_TYPE);

/** The API has a TTL rule of its own; the generic TTL rules leave it alone. */
const EXEMPT_TYPES = {
  type: 'array' as const, items: { type: 'string' as const }, default: [API_TYPE.name],
  description: 'Content types judged by a rule of their own (api: api-public-get-ttl).',
};

export const defaultTtlWithinUpdateInterval = stackRule({
  name: 'default-ttl-within-update-interval',
  description: "A cached behavior's default TTL is no longer than its content type's update interval, unless the catalog declares the type immutable.",
  remediationSteps: "Lower the route's defaultTtl in media-cdn:contentTypes (or its cache policy) to the type's update interval or less; if the type's objects are versioned and never change in place, declare it immutable in lib/catalog/content-types.ts instead.",
  docs: {
    group: 'caching',
    why: 'Objects without Cache-Control are kept for the default TTL; longer than the update interval means viewers get stale content (for example a day-old playlist) unless every update is followed by an invalidation.',
    references: [],
  },
  config: { exemptTypes: EXEMPT_TYPES },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources, config.exemptTypes)) {
      const bound = defaultTtlBound(c.view.type);
      if (c.policy.ttl.defaultTtl <= bound) continue;
      report(
        `${serves(c)} with ${c.policy.label}, whose default TTL is ${seconds(c.policy.ttl.defaultTtl)}; the bound for ${c.view.type.name} ` +
        `is its update interval, ${seconds(bound)} (${CATALOG_FILE}). Lower defaultTtl to ${bound} or less ` +
        `(media-cdn:contentTypes.${c.view.route.id}.defaultTtl), or declare ${c.view.type.name} immutable in the catalog if its objects are versioned.`,
        urnOf(c),
      );
    }
  },
});

export const maxTtlBounded = stackRule({
  name: 'max-ttl-bounded',
  description: "A cached behavior's max TTL is at most the catalog's number of update intervals for its content type (a year for immutable types).",
  remediationSteps: "Lower the route's maxTtl in media-cdn:contentTypes (or its cache policy) to the bound in the message.",
  docs: {
    group: 'caching',
    why: "The max TTL caps how long an origin's Cache-Control may keep an object; an unbounded cap lets one wrong header pin stale content at the edge for up to a year.",
    references: [],
  },
  config: { exemptTypes: EXEMPT_TYPES },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources, config.exemptTypes)) {
      const bound = maxTtlBound(c.view.type);
      if (c.policy.ttl.maxTtl <= bound) continue;
      const why = c.view.type.immutable ? 'a year (immutable type)' : `${MAX_TTL_INTERVALS[c.view.type.name]} × its update interval of ${seconds(c.view.type.updateIntervalSeconds)}`;
      report(
        `${serves(c)} with ${c.policy.label}, whose max TTL is ${seconds(c.policy.ttl.maxTtl)}; the bound for ${c.view.type.name} is ` +
        `${seconds(bound)}, ${why} (${CATALOG_FILE}, MAX_TTL_INTERVALS). Lower maxTtl to ${bound} or less (media-cdn:contentTypes.${c.view.route.id}.maxTtl).`,
        urnOf(c),
      );
    }
  },
});

export const apiPublicGetTtl = stackRule({
  name: 'api-public-get-ttl',
  description: 'Cached API responses (public GETs) have default and max TTLs of at most 5 minutes.',
  remediationSteps: "Set the api route's defaultTtl and maxTtl to 300 s or less; the origin's Cache-Control can then only shorten them.",
  docs: {
    group: 'caching',
    why: 'Search and catalog listings change constantly; the catalog allows them one update interval (5 minutes) at the edge so that a listing is never more than 5 minutes old.',
    references: [],
  },
  config: {
    contentType: { type: 'string', default: API_TYPE.name, description: 'The content type of the API.' },
    maxSeconds: { type: 'integer', minimum: 0, default: API_BOUND, description: 'Largest default and max TTL of a cached API behavior (from the catalog: update interval × MAX_TTL_INTERVALS.api).' },
  },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources)) {
      if (c.view.type.name !== config.contentType) continue;
      const over = (['defaultTtl', 'maxTtl'] as const).filter((f) => c.policy.ttl[f] > config.maxSeconds);
      if (over.length === 0) continue;
      report(
        `${serves(c)} with ${c.policy.label}: ${over.map((f) => `${f} ${seconds(c.policy.ttl[f])}`).join(', ')}; public API GETs may be cached for ` +
        `at most ${seconds(config.maxSeconds)}. Lower ${over.join(' and ')} to ${config.maxSeconds} or less (media-cdn:contentTypes.${c.view.route.id}).`,
        urnOf(c),
      );
    }
  },
});

export const personalizedRoutesUncached = stackRule({
  name: 'personalized-routes-uncached',
  description: 'Every path of a route the catalog marks as never cached (personalized and authenticated API routes) is served by a behavior whose max TTL is 0.',
  remediationSteps: 'Give each personalized pattern (e.g. /api/me/*) its own behavior, placed before /api/*, with the managed CachingDisabled cache policy and the AllViewerExceptHostHeader origin request policy.',
  docs: {
    group: 'caching',
    why: "A cached personalized response is served to the next viewer who asks for the same URL: one user's profile or session leaks to another.",
    references: [],
  },
  config: {
    maxTtlSeconds: { type: 'integer', minimum: 0, default: MANAGED_CACHE_POLICIES.CachingDisabled.maxTtl, description: 'Largest max TTL allowed on personalized routes (CachingDisabled: 0).' },
  },
  validate(args, report, config) {
    const routes = catalog().routes.filter((r) => r.caching === 'disabled');
    for (const d of distributionsOf(args.resources)) {
      for (const s of servedPatterns(d.props, routes)) {
        if (!s.servedBy) continue;
        const policy = resolveCachePolicy(s.servedBy.behavior, args.resources);
        if (!policy || policy.ttl.maxTtl <= config.maxTtlSeconds) continue;
        const fix = s.servedBy.pathPattern === s.pattern
          ? `Use the managed CachingDisabled policy (${MANAGED_CACHE_POLICIES.CachingDisabled.id}) on it.`
          : `Add a behavior for '${s.pattern}' before ${s.servedBy.isDefault ? 'the default one' : `'${s.servedBy.pathPattern}'`}, with the managed CachingDisabled policy (${MANAGED_CACHE_POLICIES.CachingDisabled.id}).`;
        report(
          `paths like '${s.witness}' of the personalized route '${s.route.id}' (pattern '${s.pattern}') are served by ${s.servedBy.label} of ${d.label}, ` +
          `using ${policy.label} with a max TTL of ${seconds(policy.ttl.maxTtl)}; personalized and authenticated responses must never be cached ` +
          `(max TTL ${config.maxTtlSeconds}). ${fix}`,
          d.resource.urn,
        );
      }
    }
  },
});

export const minTtlHonorsNoStore = stackRule({
  name: 'min-ttl-honors-no-store',
  description: "A cached behavior's minimum TTL is the catalog's (0), so that an origin's no-store, no-cache and private are honored.",
  remediationSteps: 'Set minTtl to 0 in the cache policy; do not use managed CachingOptimized (min TTL 1 s) for content whose origin may say no-store.',
  docs: {
    group: 'caching',
    why: 'With a minimum TTL above 0 CloudFront overrides no-store/private and caches the response anyway (spec §2.2): an origin can no longer keep an error page or a private response out of the cache.',
    references: [],
  },
  config: {
    extraSeconds: { type: 'integer', minimum: 0, default: 0, description: "Seconds the minimum TTL may exceed the catalog route's minimum." },
  },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources)) {
      const bound = c.view.route.ttl.minTtl + config.extraSeconds;
      if (c.policy.ttl.minTtl <= bound) continue;
      report(
        `${serves(c)} with ${c.policy.label}, whose minimum TTL is ${seconds(c.policy.ttl.minTtl)}; the bound is ${seconds(bound)} ` +
        `(the catalog's minimum), because a minimum above 0 makes CloudFront cache responses the origin marked no-store or private. ` +
        `Set minTtl to ${bound}.`,
        urnOf(c),
      );
    }
  },
});

export const everyContentTypeHasBehavior = resourceRule({
  name: 'every-content-type-has-behavior',
  description: "Every path pattern of every catalog content type is served by a cache behavior of that content type, not by another type's behavior or the default one.",
  remediationSteps: "Add an ordered cache behavior for the pattern in the message (components/media-cdn.ts builds one per catalog pattern); keep a stack's pathPatterns overrides inside the type's own prefix.",
  docs: {
    group: 'caching',
    why: "A type without its own behavior inherits another type's TTLs, cache key and origin: metadata served with the static app shell's one-day TTL, or video without Origin Shield.",
    references: [],
  },
  resource: aws.cloudfront.Distribution,
  config: {
    contentTypes: { type: 'array', items: { type: 'string' }, default: [...CONTENT_TYPE_NAMES], description: 'Content types that must each have behaviors of their own.' },
  },
  validate(props, _args, report, config) {
    for (const s of servedPatterns(props)) {
      if (!config.contentTypes.includes(s.route.contentType)) continue;
      if (!s.servedBy) {
        report(`paths like '${s.witness}' of content type '${s.route.contentType}' (pattern '${s.pattern}') have no cache behavior at all; add one for '${s.pattern}'.`);
      } else if (s.servedBy.type.name !== s.route.contentType) {
        report(
          `paths like '${s.witness}' of content type '${s.route.contentType}' (pattern '${s.pattern}', route '${s.route.id}') are served by ` +
          `${s.servedBy.label}, which serves '${s.servedBy.type.name}' content; every content type needs behaviors of its own. ` +
          `Add an ordered cache behavior for '${s.pattern}' with the ${s.route.contentType} settings.`,
        );
      }
    }
  },
});

export const noShadowedBehaviors = resourceRule({
  name: 'no-shadowed-behaviors',
  description: 'No ordered cache behavior is shadowed by an earlier, more general pattern that matches every path it matches.',
  remediationSteps: 'Order behaviors most specific first (lib/catalog does: orderMostSpecificFirst) or make the shadowed pattern more specific.',
  docs: {
    group: 'caching',
    why: 'CloudFront uses the first behavior whose pattern matches (spec §1.2): a shadowed behavior is dead configuration, and its paths silently get the earlier behavior\'s TTLs, key and signing.',
    references: [],
  },
  resource: aws.cloudfront.Distribution,
  config: {
    ignorePatterns: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Patterns allowed to be shadowed (kept on purpose).' },
  },
  validate(props, _args, report, config) {
    const patterns = ((props as DistributionShape).orderedCacheBehaviors ?? []).map((b) => b.pathPattern ?? '');
    for (const s of findShadowedPatterns(patterns)) {
      if (config.ignorePatterns.includes(s.pattern)) continue;
      const duplicate = normalizePattern(s.pattern) === normalizePattern(s.shadowedBy);
      report(
        `cache behavior '${s.pattern}' (position ${s.index + 1}) can never be selected: ` +
        (duplicate
          ? `it repeats '${s.shadowedBy}' at position ${s.shadowedByIndex + 1}, which comes first (first match wins, spec §1.2). Remove one of the two.`
          : `'${s.shadowedBy}' at position ${s.shadowedByIndex + 1} matches every path it matches and comes first (first match wins, spec §1.2). ` +
            `Move '${s.pattern}' before '${s.shadowedBy}' or remove it.`),
      );
    }
  },
});

export const staticCacheKeyExcludesCookiesAndAuthorization = stackRule({
  name: 'static-cache-key-excludes-cookies-and-authorization',
  description: 'The cache key of static, video and thumbnail behaviors contains no cookies and no Authorization header.',
  remediationSteps: "Use a cache policy with cookieBehavior 'none' and without Authorization in headersConfig for these behaviors (the catalog's keys have none).",
  docs: {
    group: 'caching',
    why: 'Cookies and Authorization differ per viewer: in the key they give every viewer a private copy of public objects, so the hit ratio collapses and the origin serves every request.',
    references: [],
  },
  config: {
    contentTypes: { type: 'array', items: { type: 'string' }, default: ['static', 'video', 'thumbnails'], description: 'Content types whose key must not vary per viewer.' },
    forbiddenHeaders: { type: 'array', items: { type: 'string' }, default: ['Authorization'], description: 'Headers that must not be in the key (case-insensitive).' },
  },
  validate(args, report, config) {
    const forbidden = config.forbiddenHeaders.map((h) => h.toLowerCase());
    for (const c of cachedBehaviors(args.resources)) {
      if (!config.contentTypes.includes(c.view.type.name)) continue;
      const key = c.policy.key;
      if (key.cookies.behavior !== 'none') {
        const names = key.cookies.names?.length ? ` (${quoteList(key.cookies.names)})` : '';
        report(
          `${serves(c)} with ${c.policy.label}, which puts cookies in the cache key (cookie behavior '${key.cookies.behavior}'${names}); ` +
          `${c.view.type.name} objects are the same for every viewer, so the key must have no cookies. Set cookieBehavior to 'none'.`,
          urnOf(c),
        );
      }
      const headers = key.headers.filter((h) => forbidden.includes(h.toLowerCase()) || h === '*');
      if (headers.length > 0) {
        report(
          `${serves(c)} with ${c.policy.label}, which puts ${quoteList(headers)} in the cache key; ${c.view.type.name} objects are the same ` +
          `for every viewer, so the key must not contain ${quoteList(config.forbiddenHeaders)}. Remove ${headers.length > 1 ? 'them' : 'it'} from headersConfig.`,
          urnOf(c),
        );
      }
    }
  },
});

export const queryStringsAllowListed = stackRule({
  name: 'query-strings-allow-listed',
  description: "A cached behavior keys on query strings only through an allow-list whose names are in its catalog route's allow-list.",
  remediationSteps: "Use queryStringBehavior 'whitelist' with only the names of the route's catalog cacheKey.queryStrings (or 'none'); add a new parameter to the catalog first.",
  docs: {
    group: 'caching',
    why: "Every extra query parameter in the key (tracking ids, cache busters) splits one object into many: 'all' or an unreviewed name lets any client fragment the cache at will.",
    references: [],
  },
  config: {
    extraAllowed: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Query parameters allowed in every key besides the catalog allow-lists.' },
  },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources)) {
      const qs = c.policy.key.queryStrings;
      const allowed = [...c.view.route.cacheKey.queryStrings, ...config.extraAllowed];
      if (qs.behavior === 'all' || qs.behavior === 'allExcept') {
        report(
          `${serves(c)} with ${c.policy.label}, whose query-string behavior is '${qs.behavior}': any parameter a client adds splits the cache. ` +
          `Use 'whitelist' with the catalog's names (${allowed.length > 0 ? quoteList(allowed) : "none: use 'none'"}).`,
          urnOf(c),
        );
      } else if (qs.behavior === 'whitelist') {
        const extra = (qs.names ?? []).filter((n) => !allowed.includes(n));
        if (extra.length === 0) continue;
        report(
          `${serves(c)} with ${c.policy.label}, which keys on query parameters ${quoteList(extra)} that are not in the catalog allow-list of route ` +
          `'${c.view.route.id}' (${allowed.length > 0 ? quoteList(allowed) : 'none'}). Remove them, or add them to the route's cacheKey.queryStrings in ${CATALOG_FILE}.`,
          urnOf(c),
        );
      }
    }
  },
});

const ALL_VIEWER_HEADERS = ['allViewer', 'allViewerAndWhitelistCloudFront', 'allExcept'];
const ALL_COOKIES = ['all', 'allExcept'];

export const noAllViewerForwardingOnCachedBehaviors = stackRule({
  name: 'no-all-viewer-forwarding-on-cached-behaviors',
  description: 'A cached behavior does not forward all viewer headers or cookies (AllViewer-style origin request policies or legacy forwarding).',
  remediationSteps: 'Use the managed CORS-S3Origin or CORS-CustomOrigin origin request policy, or a custom one that lists only the headers the origin needs; keep AllViewer* for never-cached routes.',
  docs: {
    group: 'caching',
    why: 'Forwarding every header and cookie lets the origin vary responses per viewer, splitting the key in effect (and literally with legacy forwarding); forwarded cookies also stop request collapsing and revalidation (spec §5.4).',
    references: [],
  },
  config: {
    allowedPolicies: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Origin request policy ids or names allowed anyway.' },
  },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources)) {
      const b = c.view.behavior;
      const orp = resolveOriginRequestPolicy(b, args.resources);
      if (orp && !config.allowedPolicies.some((p) => p === b.originRequestPolicyId || orp.label.includes(p))) {
        const what = [
          ALL_VIEWER_HEADERS.includes(orp.forwards.headers.behavior) ? `every viewer header (header behavior '${orp.forwards.headers.behavior}')` : '',
          ALL_COOKIES.includes(orp.forwards.cookies.behavior) ? `every cookie (cookie behavior '${orp.forwards.cookies.behavior}')` : '',
        ].filter((w) => w !== '');
        if (what.length > 0) {
          report(
            `${serves(c)} and is cached (max TTL ${seconds(c.policy.ttl.maxTtl)}), but its ${orp.label} forwards ${what.join(' and ')} to the origin: ` +
            `responses then vary per viewer and forwarded cookies stop request collapsing (spec §5.4). Use CORS-S3Origin or CORS-CustomOrigin, ` +
            `or a policy listing only the headers the origin needs.`,
            orp.urn ?? c.d.resource.urn,
          );
        }
      }
      const fv = b.forwardedValues;
      if (fv && ((fv.headers ?? []).includes('*') || fv.cookies?.forward === 'all')) {
        report(
          `${serves(c)} with legacy forwarded values that forward ${(fv.headers ?? []).includes('*') ? "all headers ('*'), which disables caching" : 'all cookies, each of which enters the cache key'}; ` +
          'use a cache policy and an origin request policy that name only what the origin needs.',
          c.d.resource.urn,
        );
      }
    }
  },
});

/** Accept-Encoding of a typical modern viewer, for the compression decision. */
const MODERN_ACCEPT_ENCODING = 'br, gzip';

export const textTypesCompressed = stackRule({
  name: 'text-types-compressed',
  description: 'Cached behaviors of text content types (catalog `textual`) let CloudFront compress: Compress on and gzip or Brotli in the cache policy.',
  remediationSteps: "Set compress: true on the behavior and enableAcceptEncodingGzip/Brotli: true in its cache policy (media-cdn:contentTypes.<route>.compress must stay true).",
  docs: {
    group: 'caching',
    why: 'JSON, CSS and JavaScript shrink 70-90 % with Brotli; without edge compression every byte is billed and downloaded in full, and players start later.',
    references: [],
  },
  config: {
    acceptEncoding: { type: 'string', default: MODERN_ACCEPT_ENCODING, description: "The viewer Accept-Encoding the decision is made for." },
  },
  validate(args, report, config) {
    for (const c of cachedBehaviors(args.resources)) {
      const type = c.view.type;
      if (!type.textual) continue;
      const contentType = type.mediaTypes.find((m) => isCompressibleContentType(m)) ?? type.mediaTypes[0];
      const decision = compressionDecision({
        behaviorCompress: c.view.behavior.compress === true,
        policyGzip: c.policy.key.enableAcceptEncodingGzip,
        policyBrotli: c.policy.key.enableAcceptEncodingBrotli,
        cachingDisabled: c.policy.ttl.maxTtl === 0,
        httpVersion: '2',
        acceptEncoding: config.acceptEncoding,
        contentLength: Math.min(MAX_COMPRESSIBLE_BYTES, Math.max(MIN_COMPRESSIBLE_BYTES, type.sizeBytes.min)),
        status: 200,
        contentType,
      });
      if (decision.compress) continue;
      const reason = describeCompressionReason(decision.reason).replace(/^Not compressed: /, '');
      report(
        `${serves(c)}, a text type, but CloudFront would not compress its ${contentType} responses: ${reason} ` +
        "Turn on the behavior's compress flag and gzip/Brotli in its cache policy.",
        decision.reason === 'behavior-compress-off' ? c.d.resource.urn : urnOf(c),
      );
    }
  },
});

/** Error-caching TTL per status code that the catalog asks for (the smallest any type wants). */
function catalogErrorTtl(code: number): number | undefined {
  return buildCustomErrorResponses(catalog()).find((e) => e.errorCode === code)?.errorCachingMinTtl;
}

const CATALOG_5XX = buildCustomErrorResponses(catalog()).map((e) => e.errorCode).filter((c) => c >= 500);

export const errorCachingTtlsFor5xx = resourceRule({
  name: 'error-caching-ttls-for-5xx',
  description: "Each 5xx status has a custom error response whose error-caching TTL is set, at least 1 s and no longer than the catalog's.",
  remediationSteps: 'Add customErrorResponses entries for 500, 502, 503 and 504 with errorCachingMinTtl from the catalog (buildCustomErrorResponses does).',
  docs: {
    group: 'caching',
    why: "Without an entry CloudFront caches 5xx for 10 s by default; 0 sends every request of an outage to the failing origin, and a long TTL keeps serving the error after the origin recovered.",
    references: [],
  },
  resource: aws.cloudfront.Distribution,
  config: {
    statusCodes: { type: 'array', items: { type: 'integer' }, default: CATALOG_5XX, description: 'Origin statuses that need an error-caching TTL (the 5xx codes of the catalog).' },
    minSeconds: { type: 'integer', minimum: 0, default: 1, description: 'Shortest error-caching TTL (0 would not shield a failing origin).' },
  },
  validate(props, _args, report, config) {
    const responses = (props as DistributionShape).customErrorResponses ?? [];
    for (const code of config.statusCodes) {
      const bound = catalogErrorTtl(code);
      const entry = responses.find((r) => r.errorCode === code);
      const range = `between ${config.minSeconds} and ${bound ?? '?'} s (${bound !== undefined ? 'the shortest the catalog asks for' : 'no catalog value'})`;
      if (entry?.errorCachingMinTtl === undefined) {
        report(`${code} responses have no error-caching TTL (CloudFront's default is 10 s); add a custom error response for ${code} with errorCachingMinTtl ${range}.`);
      } else if (entry.errorCachingMinTtl < config.minSeconds || (bound !== undefined && entry.errorCachingMinTtl > bound)) {
        report(`${code} responses are cached for ${seconds(entry.errorCachingMinTtl)}; errorCachingMinTtl must be ${range}.`);
      }
    }
  },
});

export const originShieldOnVideoOrigin = resourceRule({
  name: 'origin-shield-on-video-origin',
  description: 'Every origin that serves video (directly or as a member of an origin group) has Origin Shield enabled.',
  remediationSteps: "Set originShield { enabled: true, originShieldRegion: <Region closest to the bucket> } on the video origins (media-cdn:originShieldRegion).",
  docs: {
    group: 'caching',
    why: 'Video segments are large and requested from every edge at once on a release; Origin Shield collapses those misses into one origin fetch per object (spec §9.4).',
    references: [],
  },
  resource: aws.cloudfront.Distribution,
  config: {
    contentTypes: { type: 'array', items: { type: 'string' }, default: ['video'], description: 'Content types whose origins need Origin Shield.' },
  },
  validate(props, _args, report, config) {
    const d = props as DistributionShape;
    const seen = new Set<string>();
    for (const view of behaviorViews(d)) {
      if (!config.contentTypes.includes(view.type.name)) continue;
      for (const o of targetOrigins(d, view.behavior.targetOriginId)) {
        const id = o.originId ?? '';
        if (seen.has(id)) continue;
        seen.add(id);
        if (o.originShield?.enabled === true && o.originShield.originShieldRegion) continue;
        report(
          `origin '${id}' serves ${view.type.name} (${view.label}) without Origin Shield (${o.originShield ? `enabled: ${o.originShield.enabled}` : 'no originShield'}); ` +
          "set originShield { enabled: true, originShieldRegion } to the Region closest to the origin.",
        );
      }
    }
  },
});

export const customCachePoliciesWithinQuota = stackRule({
  name: 'custom-cache-policies-within-quota',
  description: 'The stack defines no more custom cache policies than the account quota allows (20).',
  remediationSteps: 'Share one cache policy between routes with identical settings (planCachePolicies does) and use managed policies where one fits.',
  docs: {
    group: 'caching',
    why: 'An account may hold 20 custom cache policies (spec §15.1); a stack that needs more fails at deploy time, halfway through an update.',
    references: [],
  },
  config: {
    max: { type: 'integer', minimum: 0, default: CLOUDFRONT_LIMITS.customCachePoliciesPerAccount, description: 'Most custom cache policies one stack may define.' },
  },
  validate(args, report, config) {
    const policies = ofType(args.resources, aws.cloudfront.CachePolicy);
    if (policies.length <= config.max) return;
    report(
      `the stack defines ${policies.length} custom cache policies; the account quota is ${config.max} (spec §15.1). ` +
      'Merge policies with identical settings or use managed ones.',
    );
  },
});

export const monitoringSubscriptionEnabled = stackRule({
  name: 'monitoring-subscription-enabled',
  description: 'Every distribution has a monitoring subscription that turns on the additional CloudWatch metrics (CacheHitRate, OriginLatency).',
  remediationSteps: "Create an aws.cloudfront.MonitoringSubscription for the distribution with realtimeMetricsSubscriptionStatus 'Enabled'.",
  docs: {
    group: 'caching',
    why: 'CacheHitRate and OriginLatency exist only with the subscription (spec §12); without it the hit-ratio alarms and dashboards have no data.',
    references: [],
  },
  config: {
    includeStaging: { type: 'boolean', default: true, description: 'Also require it on continuous-deployment staging distributions.' },
  },
  validate(args, report, config) {
    const subs = ofType(args.resources, aws.cloudfront.MonitoringSubscription);
    for (const d of distributionsOf(args.resources)) {
      if (d.props.staging === true && !config.includeStaging) continue;
      const mine = subs.filter((s) => s.props.distributionId !== undefined && s.props.distributionId === d.props.id);
      const status = mine.map((s) => s.props.monitoringSubscription?.realtimeMetricsSubscriptionConfig?.realtimeMetricsSubscriptionStatus);
      if (status.includes('Enabled')) continue;
      report(
        mine.length === 0
          ? `${d.label} has no monitoring subscription, so CacheHitRate and OriginLatency are not published; add an aws.cloudfront.MonitoringSubscription with status 'Enabled'.`
          : `${d.label} has a monitoring subscription with status ${status.map((s) => `'${String(s)}'`).join(', ')}; set realtimeMetricsSubscriptionStatus to 'Enabled'.`,
        d.resource.urn,
      );
    }
  },
});

export const behaviorsUseKnownCachePolicies = stackRule({
  name: 'behaviors-use-known-cache-policies',
  description: 'Every cache behavior uses a cache policy that is AWS-managed or defined in this program, never legacy forwarded values.',
  remediationSteps: 'Replace forwardedValues and per-behavior TTLs with a cachePolicyId (a managed policy or an aws.cloudfront.CachePolicy of this stack).',
  docs: {
    group: 'caching',
    why: "Legacy settings cannot cache Brotli and put everything forwarded in the key (spec §5.5); a policy defined elsewhere cannot be checked by the other rules.",
    references: [],
  },
  config: {
    allowedExternalPolicyIds: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Cache policy ids defined outside this program that are allowed.' },
  },
  validate(args, report, config) {
    for (const d of distributionsOf(args.resources)) {
      for (const view of behaviorViews(d.props)) {
        const id = view.behavior.cachePolicyId;
        if (!id) {
          report(`${view.label} of ${d.label} uses legacy cache settings (forwardedValues, per-behavior TTLs) instead of a cache policy; set a cachePolicyId.`, d.resource.urn);
        } else if (!resolveCachePolicy(view.behavior, args.resources) && !config.allowedExternalPolicyIds.includes(id)) {
          report(`${view.label} of ${d.label} uses cache policy '${id}', which is neither AWS-managed nor defined in this program, so its TTLs and key cannot be checked; define it here or use a managed one.`, d.resource.urn);
        } else if (view.behavior.forwardedValues) {
          report(`${view.label} of ${d.label} sets both a cache policy and legacy forwardedValues; remove forwardedValues.`, d.resource.urn);
        }
      }
    }
  },
});

export const cachePolicyKeyValid = resourceRule({
  name: 'cache-policy-key-valid',
  description: "A custom cache policy's key is valid: within CloudFront's name limits, no header that cannot be keyed, and no Accept-Encoding header.",
  remediationSteps: 'Fix the cache policy as the message says (lib/semantics/cache-key.ts validateCacheKeyPolicy lists every rule).',
  docs: {
    group: 'caching',
    why: 'CloudFront rejects keys over its limits at deploy time, and Accept-Encoding as a key header silently turns off edge compression (spec §5.2, §6.1).',
    references: [],
  },
  resource: aws.cloudfront.CachePolicy,
  config: {
    maxNamesPerList: { type: 'integer', minimum: 1, default: CLOUDFRONT_LIMITS.maxHeadersPerPolicy, description: 'Headers, cookies or query strings per list (quota).' },
    maxTotalNameChars: { type: 'integer', minimum: 1, default: CLOUDFRONT_LIMITS.maxPolicyNamesTotalChars, description: 'Total characters of all names (quota).' },
  },
  validate(props, args, report, config) {
    const p = props as CachePolicyShape;
    const { key } = cachePolicyFromProps(p);
    for (const problem of validateCacheKeyPolicy(key, `cache policy '${p.name ?? args.name}'`, config)) report(problem);
  },
});

/** Content types whose objects carry tags beyond `type:<name>` (catalog `tagRules`). */
const TAGGED_TYPES = CONTENT_TYPES.filter((t) => t.tagRules.length > 0).map((t) => t.name);

/** S3 returns user metadata as `x-amz-meta-<key>` headers; no other header can come from a bucket. */
const S3_METADATA_HEADER = /^x-amz-meta-[a-z0-9-]+$/i;

export const cacheTagConfigSet = resourceRule({
  name: 'cache-tag-config-set',
  description: 'When the content-type catalog declares cache tags, every distribution reads them from a response header (cacheTagConfig) the S3 origins can send.',
  remediationSteps: "Set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags' (the default); the distribution then gets cacheTagConfig { headerName }. Tag existing objects with 'npm run tag'.",
  docs: {
    group: 'caching',
    why:
      "Without CacheTagConfig CloudFront ignores the tags the origins send and rejects '#tag' invalidations, so a re-encoded video is invalidated " +
      'object by object (one billed path each, the 3,000-path in-flight quota) or by wildcards that over-invalidate (spec §8.2, §8.5).',
    references: [],
  },
  resource: aws.cloudfront.Distribution,
  config: {
    headerName: { type: 'string', default: '', description: "The header the origins send tags in (e.g. 'x-amz-meta-cache-tags'); '' accepts any x-amz-meta-* header." },
  },
  validate(props, args, report, config) {
    if (TAGGED_TYPES.length === 0) return;
    const d = props as DistributionShape;
    const label = `${d.staging === true ? 'staging distribution' : 'distribution'} '${args.name}'`;
    const declared = `the catalog declares cache tags for ${quoteList(TAGGED_TYPES)} (${CATALOG_FILE}, tagRules)`;
    const header = d.cacheTagConfig?.headerName;
    if (!header) {
      report(
        `${label} has no cacheTagConfig, but ${declared}: CloudFront would ignore the origins' tags and reject '#tag' invalidations. ` +
        "Set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags'.",
      );
    } else if (config.headerName !== '' && header.toLowerCase() !== config.headerName.toLowerCase()) {
      report(`${label} reads cache tags from '${header}', but the origins send them in '${config.headerName}' (policy config headerName); set media-cdn:cacheTagHeader to '${config.headerName}'.`);
    } else if (!S3_METADATA_HEADER.test(header)) {
      report(`${label} reads cache tags from '${header}', which the S3 origins cannot send (they return user metadata as x-amz-meta-<key>); set media-cdn:cacheTagHeader to 'x-amz-meta-cache-tags'.`);
    }
  },
});

/**
 * The stale windows a stack declares, one `route:staleWhileRevalidate=N,staleIfError=M` entry per route
 * of the catalog: the catalog's own values under the stack's raw `media-cdn:contentTypes` overrides.
 * CloudFront reads these windows from the origins' Cache-Control only (spec §2.3) — no cache policy
 * field carries them — so the plan carries them in the stack's config, which this turns into the
 * rule's per-stack setting (policies/config/<stack>.json).
 */
export function declaredStaleWindows(contentTypes: unknown): string[] {
  const raw = (contentTypes !== null && typeof contentTypes === 'object' ? contentTypes : {}) as Record<string, Record<string, unknown> | undefined>;
  return catalog().routes.map((r) => {
    const o = raw[r.id] ?? {};
    return `${r.id}:staleWhileRevalidate=${String(o.staleWhileRevalidate ?? r.staleWhileRevalidate)},staleIfError=${String(o.staleIfError ?? r.staleIfError)}`;
  });
}

const STALE_ENTRY = /^([a-z0-9-]+):staleWhileRevalidate=([^,]*),staleIfError=(.*)$/;

export const staleWindowsWithinUpdateInterval = stackRule({
  name: 'stale-windows-within-update-interval',
  description: "The stale-while-revalidate and stale-if-error windows the origins send for a route are at most its content type's update interval, and 0 on never-cached routes.",
  remediationSteps: "Lower the route's staleWhileRevalidate / staleIfError in media-cdn:contentTypes to the bound in the message (the type's update interval).",
  docs: {
    group: 'caching',
    why:
      'Within these windows CloudFront serves an expired copy (spec §2.3): longer than one update interval, a viewer may get content two updates old, ' +
      'and stale-if-error would hide an origin outage for longer than a release cycle. The windows live in the Cache-Control the origins send ' +
      '(lib/catalog cacheControlFor), so the rule checks the values the stack declares, carried in its policy config (staleWindows).',
    references: [],
  },
  config: {
    staleWindows: {
      type: 'array', items: { type: 'string' }, default: declaredStaleWindows({}),
      description: "One 'route:staleWhileRevalidate=N,staleIfError=M' entry per route: the stack's declared windows (written per stack from media-cdn:contentTypes).",
    },
  },
  stackSettings: (stack) => ({ staleWindows: declaredStaleWindows(stack.contentTypes) }),
  validate(args, report, config) {
    const urn = primaryDistributionsOf(args.resources)[0]?.resource.urn;
    for (const entry of config.staleWindows) {
      const m = STALE_ENTRY.exec(entry);
      const route = m ? catalog().routes.find((r) => r.id === m[1]) : undefined;
      if (!m || !route) {
        report(`policy config staleWindows entry '${entry}' is not 'route:staleWhileRevalidate=N,staleIfError=M' with a route of the catalog; regenerate it with 'npm run policy:check -- --sync'.`, urn);
        continue;
      }
      const num = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
      const declared = { id: route.id, caching: route.caching, staleWhileRevalidate: num(m[2]!) as number, staleIfError: num(m[3]!) as number };
      for (const problem of staleWindowProblems(declared, maxStaleSeconds(typeOf(route)), `media-cdn:contentTypes.${route.id}`)) report(`${problem} (${CATALOG_FILE}, maxStaleSeconds)`, urn);
    }
  },
});

export const cachingPolicies: readonly MediaCdnPolicy[] = [
  defaultTtlWithinUpdateInterval,
  maxTtlBounded,
  apiPublicGetTtl,
  personalizedRoutesUncached,
  minTtlHonorsNoStore,
  everyContentTypeHasBehavior,
  noShadowedBehaviors,
  staticCacheKeyExcludesCookiesAndAuthorization,
  queryStringsAllowListed,
  noAllViewerForwardingOnCachedBehaviors,
  textTypesCompressed,
  errorCachingTtlsFor5xx,
  originShieldOnVideoOrigin,
  customCachePoliciesWithinQuota,
  monitoringSubscriptionEnabled,
  behaviorsUseKnownCachePolicies,
  cachePolicyKeyValid,
  cacheTagConfigSet,
  staleWindowsWithinUpdateInterval,
];
