import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  buildBehavior, cachePolicyKey, countryOriginRequestPolicy, countryOriginRequestPolicyArgs, originRequestPolicyName, planCachePolicies,
  type BehaviorArgs, type BehaviorRefs, type CachePolicyPlan,
} from '../lib/builders';
import type { Catalog, ContentTypeSpec, OriginName } from '../lib/catalog';
import { type MANAGED_ORIGIN_REQUEST_POLICIES } from '../lib/semantics/managed-policies';
import type { OriginRouting } from '../lib/routing';

/**
 * Policies shared between content types. An account holds only 20 custom cache policies and 20
 * response headers policies (spec §15.1), so identical settings become one resource, created by the
 * first content type that needs it and reused by the others.
 */
export class SharedPolicies {
  private readonly cachePolicies = new Map<string, pulumi.Output<string>>();
  private readonly plans: ReadonlyMap<string, CachePolicyPlan>;

  constructor(catalog: Catalog, readonly namePrefix: string, readonly responseHeadersPolicyArgs: aws.cloudfront.ResponseHeadersPolicyArgs) {
    this.plans = new Map(planCachePolicies(catalog, namePrefix).map((p) => [p.key, p]));
  }

  private responseHeadersPolicyId?: pulumi.Output<string>;
  private readonly countryPolicies = new Map<string, pulumi.Output<string>>();

  /**
   * Id of the custom origin request policy that extends the managed `managedName` with the viewer
   * country (regional routes), creating it under `parent` the first time.
   */
  countryOriginRequestPolicyId(managedName: string, parent: pulumi.Resource): pulumi.Output<string> {
    const known = this.countryPolicies.get(managedName);
    if (known) return known;
    const plan = countryOriginRequestPolicy(managedName as keyof typeof MANAGED_ORIGIN_REQUEST_POLICIES);
    const policyName = `${this.namePrefix}-${managedName}-country`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
    const id = new aws.cloudfront.OriginRequestPolicy(policyName, countryOriginRequestPolicyArgs(plan, policyName), { parent }).id;
    this.countryPolicies.set(managedName, id);
    return id;
  }

  /** Id of the cache policy for `key`, creating the custom policy under `parent` the first time. */
  cachePolicyId(key: string, parent: pulumi.Resource): pulumi.Output<string> {
    const known = this.cachePolicies.get(key);
    if (known) return known;
    const plan = this.plans.get(key);
    if (!plan) throw new Error(`no cache policy planned for key ${key}`);
    const id = plan.kind === 'managed'
      ? pulumi.output(plan.id)
      : new aws.cloudfront.CachePolicy(plan.args.name, plan.args, { parent }).id;
    this.cachePolicies.set(key, id);
    return id;
  }

  /** Id of the shared response headers policy, creating it under `parent` the first time. */
  responseHeadersId(resourceName: string, parent: pulumi.Resource): pulumi.Output<string> {
    this.responseHeadersPolicyId ??= new aws.cloudfront.ResponseHeadersPolicy(resourceName, this.responseHeadersPolicyArgs, { parent }).id;
    return this.responseHeadersPolicyId;
  }
}

export interface ContentBehaviorArgs {
  /** The content type (one catalog entry, with its routes). */
  readonly contentType: ContentTypeSpec;
  readonly shared: SharedPolicies;
  /** Trusted key group for routes that need signed URLs or cookies. */
  readonly trustedKeyGroupId: pulumi.Input<string>;
  /** ARN of the viewer-request URL normalization function. */
  readonly normalizeFunctionArn: pulumi.Input<string>;
  /** ARN of the viewer-request image negotiation function (routes with `viewerFunction: 'image'`). */
  readonly imageFunctionArn: pulumi.Input<string>;
  /** Routing of the origins with regional copies (empty for a single-Region stack). */
  readonly routing: ReadonlyMap<OriginName, OriginRouting>;
  /** ARNs of the regional routes' viewer-request functions, by key (lib/builders/viewer-functions.ts). */
  readonly regionalFunctionArns: ReadonlyMap<string, pulumi.Input<string>>;
}

/**
 * One content type of the catalog turned into CloudFront settings: its cache policies (managed where
 * one fits, custom ones shared across types), origin request policies (managed), the response headers
 * policy and a cache behavior per route. `MediaCdn` places the behaviors in the distribution, in the
 * catalog's most-specific-first order.
 */
export class ContentBehavior extends pulumi.ComponentResource {
  /** Behavior settings per route id (without the path pattern). */
  readonly behaviors: ReadonlyMap<string, BehaviorArgs<pulumi.Input<string>>>;
  /** Cache policy id per route id. */
  readonly cachePolicyIds: ReadonlyMap<string, pulumi.Output<string>>;

  constructor(name: string, args: ContentBehaviorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:ContentBehavior', name, {}, opts);
    const { contentType, shared } = args;
    const responseHeadersPolicyId = shared.responseHeadersId(`${shared.namePrefix}-headers`, this);
    const cachePolicyIds = new Map<string, pulumi.Output<string>>();
    const behaviors = new Map<string, BehaviorArgs<pulumi.Input<string>>>();
    for (const route of contentType.routes) {
      const policyId = shared.cachePolicyId(cachePolicyKey(route), this);
      cachePolicyIds.set(route.id, policyId);
      const refs: BehaviorRefs<pulumi.Input<string>> = {
        cachePolicyId: () => policyId,
        responseHeadersPolicyId,
        trustedKeyGroupId: args.trustedKeyGroupId,
        normalizeFunctionArn: args.normalizeFunctionArn,
        imageFunctionArn: args.imageFunctionArn,
        regionalFunctionArn: (key) => {
          const arn = args.regionalFunctionArns.get(key);
          if (arn === undefined) throw new Error(`no regional viewer function '${key}' was created`);
          return arn;
        },
        countryOriginRequestPolicyId: (managedName) => shared.countryOriginRequestPolicyId(managedName, this),
      };
      behaviors.set(route.id, buildBehavior(route, refs, args.routing));
    }
    this.behaviors = behaviors;
    this.cachePolicyIds = cachePolicyIds;
    this.registerOutputs({
      routes: contentType.routes.map((r) => ({
        id: r.id, pathPatterns: r.pathPatterns, originRequestPolicy: originRequestPolicyName(r), cachePolicyId: cachePolicyIds.get(r.id),
      })),
    });
  }
}
