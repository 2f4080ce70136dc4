/**
 * What a behavior's origin request policy adds toward the origin (spec §5.4, §5.7): an AWS managed
 * policy by id, or an OriginRequestPolicy resource of the stack.
 */
import { managedOriginRequestPolicyById, type OriginRequestForwarding } from '../semantics/managed-policies';
import { asObject, fieldsOf, items, text, type Json } from './json';
import { CLOUDFRONT_TYPES } from './resource-types';
import type { ResourceIndex } from './resources';

export interface ModelOriginRequestPolicy {
  readonly kind: 'managed' | 'custom';
  readonly id: string;
  readonly name: string;
  /** URN of the OriginRequestPolicy resource, for custom policies. */
  readonly urn?: string;
  /** What it forwards; absent for managed policies the spec does not detail (spec §5.7). */
  readonly forwards?: OriginRequestForwarding;
}

function list<B extends string>(cfg: Json | undefined, behaviorKey: string, namesKey: string): { behavior: B; names?: readonly string[] } {
  const behavior = (text(cfg?.[behaviorKey]) ?? 'none') as B;
  const names = items<string>(cfg?.[namesKey]);
  return names.length > 0 ? { behavior, names } : { behavior };
}

/** An OriginRequestPolicy resource's forwarding (spec §5.4). */
export function originRequestForwardingOfProps(p: Json): OriginRequestForwarding {
  return {
    headers: list(asObject(p.headersConfig), 'headerBehavior', 'headers'),
    cookies: list(asObject(p.cookiesConfig), 'cookieBehavior', 'cookies'),
    queryStrings: list(asObject(p.queryStringsConfig), 'queryStringBehavior', 'queryStrings'),
  };
}

/**
 * The origin request policy of a behavior. Undefined when the behavior has none or names an id that
 * is neither managed nor in `resources`.
 */
export function behaviorOriginRequestPolicy(behaviorProps: object, resources: ResourceIndex): ModelOriginRequestPolicy | undefined {
  const behavior = fieldsOf(behaviorProps);
  const id = text(behavior.originRequestPolicyId);
  if (id === undefined) return undefined;
  const managed = managedOriginRequestPolicyById(id);
  if (managed) return { kind: 'managed', id: managed.id, name: managed.name, ...(managed.forwards ? { forwards: managed.forwards } : {}) };
  const r = resources.byId(CLOUDFRONT_TYPES.originRequestPolicy, id);
  if (!r) return undefined;
  return { kind: 'custom', id, name: text(r.props.name) ?? r.name, urn: r.urn, forwards: originRequestForwardingOfProps(r.props) };
}
