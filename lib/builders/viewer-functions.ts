/**
 * Which viewer-request function each route's behavior gets, and the code of the regional ones. A
 * behavior takes one viewer-request function, so a route that normalizes (or negotiates images) and
 * is routed to regional origins gets one function doing both; a routed route without another function
 * gets one that only selects the origin. Functions select per origin (a function cannot see which
 * origin its behavior targets), so there is one regional function per (kind, origin).
 *
 * Regional routes also need the viewer's country in the request the function sees: CloudFront adds
 * `CloudFront-Viewer-Country` only when a cache or origin request policy of the behavior includes it
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/example-function-redirect-url.html),
 * so they use a custom origin request policy: the managed one they had, plus that header. Putting it
 * in the cache key instead would split every object's cache entry per country.
 */
import type { Catalog, OriginName, RouteSpec } from '../catalog';
import { MANAGED_ORIGIN_REQUEST_POLICIES, type OriginRequestForwarding } from '../semantics/managed-policies';
import type { OriginRouting } from '../routing/origin-routing';
import { buildImageFunctionCode } from './image-function';
import { buildNormalizeFunctionCode } from './normalize-function';
import { buildOriginSelectFunctionCode, VIEWER_COUNTRY_HEADER } from './origin-select-function';

export type ViewerFunctionKind = 'normalize' | 'image' | 'select';

/** A viewer-request function of a regional route. */
export interface RegionalFunctionPlan {
  /** `<kind>-<origin>`, e.g. `select-video`; also the resource-name suffix. */
  readonly key: string;
  readonly kind: ViewerFunctionKind;
  readonly origin: OriginName;
  readonly code: string;
  /** Associates the image variant index (image kind). */
  readonly usesKeyValueStore: boolean;
  readonly comment: string;
}

/**
 * The function key of a route: `normalize` / `image` for the shared single-Region functions,
 * `<kind>-<origin>` for a regional route, `undefined` for none.
 */
export function viewerFunctionKey(route: RouteSpec, routing: ReadonlyMap<OriginName, OriginRouting>): string | undefined {
  const base: ViewerFunctionKind | undefined = route.normalizeUrl ? (route.viewerFunction ?? 'normalize') : undefined;
  if (!routing.has(route.origin)) return base;
  return `${base ?? 'select'}-${route.origin}`;
}

const COMMENTS: Readonly<Record<ViewerFunctionKind, string>> = {
  normalize: 'normalizes paths and image query parameters, and selects the nearest Region\'s origin',
  image: 'normalizes thumbnail URLs, picks the image variant, and selects the nearest Region\'s origin',
  select: 'selects the nearest Region\'s origin',
};

/** The regional functions the catalog's routes need, one per key, in route order. */
export function planRegionalViewerFunctions(catalog: Catalog, routing: ReadonlyMap<OriginName, OriginRouting>): RegionalFunctionPlan[] {
  const out = new Map<string, RegionalFunctionPlan>();
  for (const route of catalog.routes) {
    const r = routing.get(route.origin);
    const key = viewerFunctionKey(route, routing);
    if (!r || key === undefined || out.has(key)) continue;
    const kind = key.slice(0, key.length - route.origin.length - 1) as ViewerFunctionKind;
    const code = kind === 'image' ? buildImageFunctionCode(r) : kind === 'normalize' ? buildNormalizeFunctionCode({}, r) : buildOriginSelectFunctionCode(r);
    out.set(key, { key, kind, origin: route.origin, code, usesKeyValueStore: kind === 'image', comment: `media-cdn: ${COMMENTS[kind]} (${route.origin})` });
  }
  return [...out.values()];
}

/** A custom origin request policy: a managed policy's forwarding plus the viewer country. */
export interface CountryOriginRequestPolicyPlan {
  /** The managed policy it extends; also the key behaviors refer to it by. */
  readonly extends: string;
  readonly forwards: OriginRequestForwarding;
}

/**
 * The managed policy's forwarding plus `CloudFront-Viewer-Country`. A header allow-list takes it as
 * one more name; "all viewer headers except Host" cannot name a CloudFront header, so it becomes all
 * viewer headers plus the country, which forwards the viewer's Host as well: origins behind such a
 * route must accept the distribution's domain names as Host (docs/architecture.md, dynamic origins).
 */
export function countryOriginRequestPolicy(managedName: keyof typeof MANAGED_ORIGIN_REQUEST_POLICIES): CountryOriginRequestPolicyPlan {
  const f = MANAGED_ORIGIN_REQUEST_POLICIES[managedName].forwards;
  if (!f) throw new Error(`the managed origin request policy ${managedName} has no modelled forwarding to extend`);
  const headers: OriginRequestForwarding['headers'] = f.headers.behavior === 'whitelist' || f.headers.behavior === 'none'
    ? { behavior: 'whitelist', names: [...(f.headers.names ?? []), VIEWER_COUNTRY_HEADER] }
    : { behavior: 'allViewerAndWhitelistCloudFront', names: [VIEWER_COUNTRY_HEADER] };
  return { extends: managedName, forwards: { ...f, headers } };
}

/** The origin request policy args of a plan (aws.cloudfront.OriginRequestPolicyArgs as plain data). */
export function countryOriginRequestPolicyArgs(plan: CountryOriginRequestPolicyPlan, name: string) {
  const list = (behavior: string, names: readonly string[] | undefined, itemsKey: string) =>
    names && names.length > 0 ? { [itemsKey]: { items: [...names] } } : {};
  const { headers, cookies, queryStrings } = plan.forwards;
  return {
    name,
    comment: `media-cdn: ${plan.extends} plus the viewer country, for regional origin selection`,
    headersConfig: { headerBehavior: headers.behavior, ...list(headers.behavior, headers.names, 'headers') },
    cookiesConfig: { cookieBehavior: cookies.behavior, ...list(cookies.behavior, cookies.names, 'cookies') },
    queryStringsConfig: { queryStringBehavior: queryStrings.behavior, ...list(queryStrings.behavior, queryStrings.names, 'queryStrings') },
  };
}
