/**
 * What a cache behavior caches and forwards, whatever form the program gave it: an AWS managed cache
 * policy (from lib/semantics/managed-policies.ts), a cache policy defined in the stack, or the
 * legacy per-behavior settings (spec §5.5). The result is the semantics module's `CacheKeyPolicy`
 * and `TtlPolicy`, so rules reason about keys and TTLs the way the edge and the simulator do.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import type { CacheKeyPolicy, KeyListBehavior } from '../../lib/semantics/cache-key';
import {
  managedCachePolicyById, managedOriginRequestPolicyById, type OriginRequestForwarding,
} from '../../lib/semantics/managed-policies';
import { applyCachePolicyTtlDefaults, type TtlPolicy } from '../../lib/semantics/ttl';
import type { BehaviorShape, CachePolicyShape, OriginRequestPolicyShape } from './shapes';
import { findById } from './stack';

export interface ResolvedCachePolicy {
  readonly kind: 'managed' | 'custom' | 'legacy';
  /** How messages name it: `managed cache policy CachingOptimized`, `cache policy 'cdn-prod-metadata'`. */
  readonly label: string;
  /** The stack resource to fix, for custom policies. */
  readonly urn?: string;
  readonly ttl: TtlPolicy;
  readonly key: CacheKeyPolicy;
}

function keyList(behavior: string | undefined, items: readonly string[] | undefined): { behavior: KeyListBehavior; names?: readonly string[] } {
  const b = (behavior ?? 'none') as KeyListBehavior;
  return items && items.length > 0 ? { behavior: b, names: items } : { behavior: b };
}

/** The semantics view of a cache policy resource's settings. */
export function cachePolicyFromProps(p: CachePolicyShape): { ttl: TtlPolicy; key: CacheKeyPolicy } {
  const params = p.parametersInCacheKeyAndForwardedToOrigin ?? {};
  const headers = params.headersConfig?.headerBehavior === 'whitelist' ? [...(params.headersConfig.headers?.items ?? [])] : [];
  return {
    ttl: applyCachePolicyTtlDefaults({ minTtl: p.minTtl ?? 0, defaultTtl: p.defaultTtl, maxTtl: p.maxTtl }),
    key: {
      headers,
      cookies: keyList(params.cookiesConfig?.cookieBehavior, params.cookiesConfig?.cookies?.items),
      queryStrings: keyList(params.queryStringsConfig?.queryStringBehavior, params.queryStringsConfig?.queryStrings?.items),
      enableAcceptEncodingGzip: params.enableAcceptEncodingGzip === true,
      enableAcceptEncodingBrotli: params.enableAcceptEncodingBrotli === true,
    },
  };
}

/**
 * Legacy settings (spec §5.5): everything forwarded is in the key; all query strings unless
 * `queryStringCacheKeys` names some; gzip only (Brotli needs a cache policy). Headers `['*']` (all)
 * is kept as the single name '*'.
 */
function legacyPolicy(b: BehaviorShape): { ttl: TtlPolicy; key: CacheKeyPolicy } {
  const fv = b.forwardedValues ?? {};
  const cookies = fv.cookies?.forward ?? 'none';
  const keys = fv.queryStringCacheKeys ?? [];
  return {
    ttl: applyCachePolicyTtlDefaults({ minTtl: b.minTtl ?? 0, defaultTtl: b.defaultTtl, maxTtl: b.maxTtl }),
    key: {
      headers: [...(fv.headers ?? [])],
      cookies: keyList(cookies, fv.cookies?.whitelistedNames),
      queryStrings: fv.queryString === true ? (keys.length > 0 ? { behavior: 'whitelist', names: keys } : { behavior: 'all' }) : { behavior: 'none' },
      enableAcceptEncodingGzip: b.compress === true,
      enableAcceptEncodingBrotli: false,
    },
  };
}

/**
 * The cache policy of a behavior: managed, defined in the stack, or legacy settings. Undefined when
 * the behavior names a policy id that is neither managed nor in the stack (rule
 * behaviors-use-known-cache-policies reports those).
 */
export function resolveCachePolicy(b: BehaviorShape, resources: readonly PolicyResource[]): ResolvedCachePolicy | undefined {
  if (!b.cachePolicyId) return { kind: 'legacy', label: 'the legacy cache settings of the behavior', ...legacyPolicy(b) };
  const managed = managedCachePolicyById(b.cachePolicyId);
  if (managed) return { kind: 'managed', label: `managed cache policy ${managed.name}`, ttl: managed, key: managed.key };
  const r = findById(resources, aws.cloudfront.CachePolicy, b.cachePolicyId);
  if (!r) return undefined;
  const props = r.props as CachePolicyShape;
  return { kind: 'custom', label: `cache policy '${props.name ?? r.name}'`, urn: r.urn, ...cachePolicyFromProps(props) };
}

export interface ResolvedOriginRequestPolicy {
  readonly label: string;
  readonly urn?: string;
  readonly forwards: OriginRequestForwarding;
}

/** The origin request policy of a behavior (managed or in the stack); undefined when it has none or it is unknown. */
export function resolveOriginRequestPolicy(b: BehaviorShape, resources: readonly PolicyResource[]): ResolvedOriginRequestPolicy | undefined {
  if (!b.originRequestPolicyId) return undefined;
  const managed = managedOriginRequestPolicyById(b.originRequestPolicyId);
  if (managed?.forwards) return { label: `managed origin request policy ${managed.name}`, forwards: managed.forwards };
  const r = findById(resources, aws.cloudfront.OriginRequestPolicy, b.originRequestPolicyId);
  if (!r) return undefined;
  const p = r.props as OriginRequestPolicyShape;
  return {
    label: `origin request policy '${p.name ?? r.name}'`,
    urn: r.urn,
    forwards: {
      headers: { behavior: (p.headersConfig?.headerBehavior ?? 'none') as OriginRequestForwarding['headers']['behavior'] },
      cookies: { behavior: (p.cookiesConfig?.cookieBehavior ?? 'none') as OriginRequestForwarding['cookies']['behavior'] },
      queryStrings: { behavior: (p.queryStringsConfig?.queryStringBehavior ?? 'none') as OriginRequestForwarding['queryStrings']['behavior'] },
    },
  };
}
