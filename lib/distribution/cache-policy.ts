/**
 * What a cache behavior caches, whatever form the program gave it (spec §5.2, §5.5, §5.6): an AWS
 * managed cache policy (lib/semantics/managed-policies.ts), a CachePolicy resource of the stack, or
 * the legacy per-behavior settings (`forwardedValues` and behavior TTLs). The one reader of cache
 * policies: the simulator, the local edge, the warmer, the plan summary and the policies all get
 * their TTLs and keys from here. Omitted TTLs get CloudFront's defaults (lib/semantics/ttl.ts).
 */
import type { CacheKeyPolicy, KeyListBehavior } from '../semantics/cache-key';
import { AMPLIFY_HOSTING_CACHE_POLICIES, managedCachePolicyById } from '../semantics/managed-policies';
import { applyCachePolicyTtlDefaults, type TtlPolicy } from '../semantics/ttl';
import { asObject, fieldsOf, items, num, text, valueAt, type Json } from './json';
import { CLOUDFRONT_TYPES } from './resource-types';
import type { ResourceIndex } from './resources';

/** A behavior's cache policy: TTL triple, key contents and where it came from. */
export interface ModelCachePolicy extends TtlPolicy {
  /** `managed` (AWS, by id), `custom` (a CachePolicy of the stack) or `legacy` (forwardedValues, spec §5.5). */
  readonly kind: 'managed' | 'custom' | 'legacy';
  /** The policy id; '' for legacy settings. */
  readonly id: string;
  /** Managed policy name, the custom policy's `name` (else its logical name), or `legacy ForwardedValues`. */
  readonly name: string;
  /** URN of the CachePolicy resource, for custom policies. */
  readonly urn?: string;
  readonly key: CacheKeyPolicy;
  /**
   * Nothing is cached (nor collapsed, nor compressed; spec §2.2, §4.3, §6.1): MaxTTL 0 (e.g.
   * CachingDisabled), or legacy settings forwarding all headers (spec §5.5).
   */
  readonly cachingDisabled: boolean;
}

export const LEGACY_POLICY_NAME = 'legacy ForwardedValues';

const NOTHING: CacheKeyPolicy = Object.freeze({
  headers: Object.freeze([]), cookies: Object.freeze({ behavior: 'none' as const }), queryStrings: Object.freeze({ behavior: 'none' as const }),
  enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false,
});

function keyList(behavior: unknown, names: readonly string[]): { behavior: KeyListBehavior; names?: readonly string[] } {
  const b = (text(behavior) ?? 'none') as KeyListBehavior;
  return names.length > 0 ? { behavior: b, names } : { behavior: b };
}

/** The key part of a planned CachePolicy (its `parametersInCacheKeyAndForwardedToOrigin`, spec §5.2). */
export function cacheKeyOfPolicyProps(params: unknown): CacheKeyPolicy {
  const p: Json = asObject(params) ?? {};
  return {
    headers: text(valueAt(p.headersConfig, 'headerBehavior')) === 'whitelist' ? items<string>(valueAt(p.headersConfig, 'headers')) : [],
    cookies: keyList(valueAt(p.cookiesConfig, 'cookieBehavior'), items<string>(valueAt(p.cookiesConfig, 'cookies'))),
    queryStrings: keyList(valueAt(p.queryStringsConfig, 'queryStringBehavior'), items<string>(valueAt(p.queryStringsConfig, 'queryStrings'))),
    enableAcceptEncodingGzip: p.enableAcceptEncodingGzip === true,
    enableAcceptEncodingBrotli: p.enableAcceptEncodingBrotli === true,
  };
}

/** TTLs with CloudFront's defaults for the omitted ones (spec §2.1; MinTTL omitted counts as 0). */
function ttlsOf(p: Json): TtlPolicy {
  const defaultTtl = num(p.defaultTtl);
  const maxTtl = num(p.maxTtl);
  return applyCachePolicyTtlDefaults({
    minTtl: num(p.minTtl) ?? 0,
    ...(defaultTtl !== undefined ? { defaultTtl } : {}),
    ...(maxTtl !== undefined ? { maxTtl } : {}),
  });
}

/** A CachePolicy resource's settings: TTLs (defaults applied) and key (spec §5.2). */
export function cachePolicyOfProps(id: string, name: string, propsProps: object, urn?: string): ModelCachePolicy {
  const props = fieldsOf(propsProps);
  const ttl = ttlsOf(props);
  return { kind: 'custom', id, name, ...(urn !== undefined ? { urn } : {}), ...ttl, key: cacheKeyOfPolicyProps(props.parametersInCacheKeyAndForwardedToOrigin), cachingDisabled: ttl.maxTtl === 0 };
}

/**
 * The managed cache policy with this id (spec §5.6). The Amplify Hosting policies, whose key the
 * spec does not give, get their TTLs and the default key (domain and path).
 */
export function managedCachePolicy(id: string): ModelCachePolicy | undefined {
  const m = managedCachePolicyById(id);
  if (m) return { kind: 'managed', id: m.id, name: m.name, minTtl: m.minTtl, defaultTtl: m.defaultTtl, maxTtl: m.maxTtl, key: m.key, cachingDisabled: m.maxTtl === 0 };
  const a = AMPLIFY_HOSTING_CACHE_POLICIES.find((p) => p.id === id.toLowerCase());
  if (a) return { kind: 'managed', id: a.id, name: a.name, minTtl: a.minTtl, defaultTtl: a.defaultTtl, maxTtl: a.maxTtl, key: NOTHING, cachingDisabled: a.maxTtl === 0 };
  return undefined;
}

/**
 * Legacy cache settings of a behavior (spec §5.5): TTLs on the behavior (same defaults as a cache
 * policy), and everything forwarded is in the key: all query strings unless `queryStringCacheKeys`
 * names some; the forwarded cookies; the forwarded headers (`*`, all headers, is kept as the single
 * name '*' and disables caching); gzip when the behavior compresses (Brotli needs a cache policy).
 */
export function legacyCachePolicy(behaviorProps: object): ModelCachePolicy {
  const behavior = fieldsOf(behaviorProps);
  const fv: Json = asObject(behavior.forwardedValues) ?? {};
  const headers = items<string>(fv.headers);
  const keys = items<string>(fv.queryStringCacheKeys);
  const ttl = ttlsOf(behavior);
  return {
    kind: 'legacy',
    id: '',
    name: LEGACY_POLICY_NAME,
    ...ttl,
    key: {
      headers,
      cookies: keyList(valueAt(fv.cookies, 'forward'), items<string>(valueAt(fv.cookies, 'whitelistedNames'))),
      queryStrings: fv.queryString === true ? (keys.length > 0 ? { behavior: 'whitelist', names: keys } : { behavior: 'all' }) : { behavior: 'none' },
      enableAcceptEncodingGzip: behavior.compress === true,
      enableAcceptEncodingBrotli: false,
    },
    cachingDisabled: ttl.maxTtl === 0 || headers.includes('*'),
  };
}

/**
 * The cache policy of a behavior: managed, a CachePolicy of the stack, or legacy settings when the
 * behavior names none. Undefined when it names an id that is neither managed nor in `resources`.
 */
export function behaviorCachePolicy(behaviorProps: object, resources: ResourceIndex): ModelCachePolicy | undefined {
  const behavior = fieldsOf(behaviorProps);
  const id = text(behavior.cachePolicyId);
  if (id === undefined) return legacyCachePolicy(behavior);
  const managed = managedCachePolicy(id);
  if (managed) return managed;
  const r = resources.byId(CLOUDFRONT_TYPES.cachePolicy, id);
  if (!r) return undefined;
  return cachePolicyOfProps(id, text(r.props.name) ?? r.name, r.props, r.urn);
}
