/**
 * What a cache behavior caches and forwards, as the rules name it: the distribution model's reading
 * (lib/distribution: managed policies, cache policies of the stack, legacy settings, origin request
 * policies) over the stack's resources, with the labels and URNs violation messages use.
 */
import type { PolicyResource } from '@pulumi/policy';
import {
  behaviorCachePolicy, behaviorOriginRequestPolicy, cachePolicyOfProps, indexResources, resourcesOfStack, type ResourceIndex,
} from '../../lib/distribution';
import type { CacheKeyPolicy } from '../../lib/semantics/cache-key';
import type { OriginRequestForwarding } from '../../lib/semantics/managed-policies';
import type { TtlPolicy } from '../../lib/semantics/ttl';
import type { BehaviorShape, CachePolicyShape } from './shapes';

export interface ResolvedCachePolicy {
  readonly kind: 'managed' | 'custom' | 'legacy';
  /** How messages name it: `managed cache policy CachingOptimized`, `cache policy 'cdn-prod-metadata'`. */
  readonly label: string;
  /** The stack resource to fix, for custom policies. */
  readonly urn?: string;
  readonly ttl: TtlPolicy;
  readonly key: CacheKeyPolicy;
}

const indexes = new WeakMap<readonly PolicyResource[], ResourceIndex>();

/** The stack's resources indexed by type and id, once per resource list. */
function indexOf(resources: readonly PolicyResource[]): ResourceIndex {
  let index = indexes.get(resources);
  if (!index) {
    index = indexResources(resourcesOfStack(resources));
    indexes.set(resources, index);
  }
  return index;
}

/** The semantics view of a cache policy resource's settings (TTL defaults applied, spec §2.1). */
export function cachePolicyFromProps(p: CachePolicyShape): { ttl: TtlPolicy; key: CacheKeyPolicy } {
  const m = cachePolicyOfProps(p.id ?? '', p.name ?? '', p);
  return { ttl: { minTtl: m.minTtl, defaultTtl: m.defaultTtl, maxTtl: m.maxTtl }, key: m.key };
}

/**
 * The cache policy of a behavior: managed, defined in the stack, or legacy settings. Undefined when
 * the behavior names a policy id that is neither managed nor in the stack (rule
 * behaviors-use-known-cache-policies reports those).
 */
export function resolveCachePolicy(b: BehaviorShape, resources: readonly PolicyResource[]): ResolvedCachePolicy | undefined {
  const p = behaviorCachePolicy(b, indexOf(resources));
  if (!p) return undefined;
  const label = p.kind === 'managed' ? `managed cache policy ${p.name}` : p.kind === 'custom' ? `cache policy '${p.name}'` : 'the legacy cache settings of the behavior';
  return { kind: p.kind, label, ...(p.urn !== undefined ? { urn: p.urn } : {}), ttl: { minTtl: p.minTtl, defaultTtl: p.defaultTtl, maxTtl: p.maxTtl }, key: p.key };
}

export interface ResolvedOriginRequestPolicy {
  readonly label: string;
  readonly urn?: string;
  readonly forwards: OriginRequestForwarding;
}

/** The origin request policy of a behavior (managed or in the stack); undefined when it has none, it is unknown, or what it forwards is not modelled. */
export function resolveOriginRequestPolicy(b: BehaviorShape, resources: readonly PolicyResource[]): ResolvedOriginRequestPolicy | undefined {
  const p = behaviorOriginRequestPolicy(b, indexOf(resources));
  if (!p?.forwards) return undefined;
  const label = p.kind === 'managed' ? `managed origin request policy ${p.name}` : `origin request policy '${p.name}'`;
  return { label, ...(p.urn !== undefined ? { urn: p.urn } : {}), forwards: p.forwards };
}
