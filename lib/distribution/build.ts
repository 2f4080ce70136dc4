/**
 * Builds the {@link DistributionModel} of one distribution from a list of resources (an offline
 * plan's, or a stack's as CrossGuard gives them): behaviors in order with their cache and origin
 * request policies resolved, origins, origin groups, error responses, key groups, functions.
 * Pure: no I/O.
 */
import { InputError, show } from '../errors';
import { DEFAULT_BEHAVIOR_PATTERN } from '../semantics/path-pattern';
import { parseRegionalOriginId } from '../builders/origins';
import { behaviorCachePolicy } from './cache-policy';
import { asObject, items, num, text, valueAt, type Json } from './json';
import type {
  DistributionModel, ModelBehavior, ModelErrorResponse, ModelFunctionAssociation, ModelOrigin, ModelOriginGroup, ModelPublicKey,
} from './model';
import { ORIGIN_CONNECTION_DEFAULTS } from './model';
import { behaviorOriginRequestPolicy } from './origin-request-policy';
import { CLOUDFRONT_TYPES } from './resource-types';
import { indexResources, type ModelResource, type ResourceIndex } from './resources';

export interface BuildOptions {
  /** The distribution's id; default: the resource's id. */
  readonly distributionId?: string;
  /** The distribution's domain; default: `<id lower case>.cloudfront.net`. */
  readonly domainName?: string;
  /** How error messages say to fix a plan that refers to something it lacks. @default 'rebuild the plan with \'npm run plan\'' */
  readonly fix?: string;
}

/** Bucket name of an S3 origin domain (`bucket.s3.region.amazonaws.com`, `bucket.s3.amazonaws.com`). */
export function bucketOfS3Domain(domainName: string): string | undefined {
  return /^(.+?)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(domainName)?.[1];
}

/** AWS Region of a regional S3 domain (`bucket.s3.us-west-2.amazonaws.com` → us-west-2); undefined otherwise. */
export function awsRegionOfS3Domain(domainName: string): string | undefined {
  return /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(domainName)?.[1];
}

/** AWS Region of a Lambda function URL domain (`<id>.lambda-url.us-west-2.on.aws` → us-west-2); undefined otherwise. */
export function awsRegionOfFunctionUrlDomain(domainName: string): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(domainName)?.[1];
}

function originOf(o: Json): ModelOrigin {
  const id = String(o.originId);
  const domainName = String(o.domainName ?? '');
  const bucket = o.customOriginConfig ? undefined : bucketOfS3Domain(domainName);
  const s3 = !o.customOriginConfig && (bucket !== undefined || o.s3OriginConfig !== undefined);
  // a custom origin's Region: a function URL's domain names it; a regional copy's id does (`metadata-us-west-2`)
  const region = s3 ? awsRegionOfS3Domain(domainName) : awsRegionOfFunctionUrlDomain(domainName) ?? parseRegionalOriginId(id)?.region;
  const originShield = asObject(o.originShield);
  const shield = originShield?.enabled === true ? { ...(text(originShield.originShieldRegion) ? { awsRegion: String(originShield.originShieldRegion) } : {}) } : undefined;
  // connection settings as planned, CloudFront's defaults where the plan leaves them out (spec §9.1)
  const or = (v: unknown, fallback: number) => { const n = num(v); return n !== undefined && Number.isFinite(n) ? n : fallback; };
  const readTimeout = valueAt(o.customOriginConfig, 'originReadTimeout') ?? valueAt(o.s3OriginConfig, 'originReadTimeout');
  const connection = {
    attempts: or(o.connectionAttempts, ORIGIN_CONNECTION_DEFAULTS.attempts),
    connectTimeoutSec: or(o.connectionTimeout, ORIGIN_CONNECTION_DEFAULTS.connectTimeoutSec),
    readTimeoutSec: or(readTimeout, ORIGIN_CONNECTION_DEFAULTS.readTimeoutSec),
  };
  return {
    id,
    domainName,
    kind: s3 ? 's3' : 'custom',
    ...(bucket !== undefined && s3 ? { bucket } : {}),
    ...(region !== undefined ? { awsRegion: region } : {}),
    ...(shield ? { originShield: shield } : {}),
    connection,
  };
}

function functionsOf(b: Json): ModelFunctionAssociation[] {
  // arn:aws:cloudfront::<account>:function/<name>; arn:aws:lambda:<region>:<account>:function:<name>:<version>
  const cloudFrontName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
  const lambdaName = (arn: string) => arn.split(':')[6] ?? arn;
  return [
    ...items<Json>(b.functionAssociations).map((f) => ({ runtime: 'cloudfront-function' as const, eventType: String(f.eventType), arn: String(f.functionArn), name: cloudFrontName(String(f.functionArn)) })),
    ...items<Json>(b.lambdaFunctionAssociations).map((f) => ({ runtime: 'lambda-edge' as const, eventType: String(f.eventType), arn: String(f.lambdaArn), name: lambdaName(String(f.lambdaArn)) })),
  ];
}

function viewerRequestCode(resources: ResourceIndex, fn: ModelFunctionAssociation, where: string, fix: string): { name: string; code: string } {
  const r = resources.ofType(CLOUDFRONT_TYPES.function).find((x) => x.id === fn.name || x.props.name === fn.name);
  if (!r || typeof r.props.code !== 'string') {
    throw new InputError(`${where} associates function ${show(fn.arn)}, which the stack does not define with code; ${fix}.`);
  }
  return { name: fn.name, code: r.props.code };
}

function behaviorOf(resources: ResourceIndex, b: Json, isDefault: boolean, where: string, fix: string): ModelBehavior {
  const cachePolicy = behaviorCachePolicy(b, resources);
  if (!cachePolicy) {
    throw new InputError(`${where} uses cache policy ${show(b.cachePolicyId)}, which is neither a managed policy nor a CachePolicy of the stack; ${fix}.`);
  }
  const originRequestPolicy = behaviorOriginRequestPolicy(b, resources);
  const functions = functionsOf(b);
  const viewerRequest = functions.find((f) => f.runtime === 'cloudfront-function' && f.eventType === 'viewer-request');
  const methods = (v: unknown) => (items<string>(v).length > 0 ? items<string>(v) : ['GET', 'HEAD']);
  return {
    pathPattern: isDefault ? DEFAULT_BEHAVIOR_PATTERN : String(b.pathPattern ?? ''),
    isDefault,
    targetOriginId: String(b.targetOriginId ?? ''),
    viewerProtocolPolicy: text(b.viewerProtocolPolicy) ?? 'allow-all',
    allowedMethods: methods(b.allowedMethods),
    cachedMethods: methods(b.cachedMethods),
    compress: b.compress === true,
    cachePolicy,
    ...(originRequestPolicy ? { originRequestPolicy } : {}),
    ...(text(b.responseHeadersPolicyId) ? { responseHeadersPolicyId: String(b.responseHeadersPolicyId) } : {}),
    trustedKeyGroupIds: items<string>(b.trustedKeyGroups),
    functions,
    ...(viewerRequest ? { viewerRequestFunction: viewerRequestCode(resources, viewerRequest, where, fix) } : {}),
  };
}

/**
 * The model of `distribution`, reading the policies, functions and keys it refers to from `resources`.
 * @throws InputError when the distribution has no default behavior, or a behavior names a cache
 *   policy, origin or function code the resources do not define.
 */
export function buildDistributionModel(resources: readonly ModelResource[], distribution: ModelResource, options: BuildOptions = {}): DistributionModel {
  const fix = options.fix ?? "rebuild the plan with 'npm run plan'";
  const index = indexResources(resources);
  const i = distribution.props as Json;
  const label = `distribution '${distribution.name}'`;
  if (!i.defaultCacheBehavior) throw new InputError(`${label} has no default cache behavior; ${fix}.`);

  const origins = new Map<string, ModelOrigin>(items<Json>(i.origins).map((o) => [String(o.originId), originOf(o)] as const));
  const originGroups = new Map<string, ModelOriginGroup>();
  for (const g of items<Json>(i.originGroups)) {
    const members = items<Json>(g.members).map((m) => String(m.originId));
    originGroups.set(String(g.originId), {
      id: String(g.originId),
      primaryOriginId: members[0] ?? '',
      secondaryOriginId: members[1] ?? members[0] ?? '',
      statusCodes: items<number>(valueAt(g.failoverCriteria, 'statusCodes')).map(Number),
    });
  }
  const checkTarget = (b: ModelBehavior, where: string): ModelBehavior => {
    const target = originGroups.get(b.targetOriginId)?.primaryOriginId ?? b.targetOriginId;
    if (!origins.has(target)) throw new InputError(`${where} of ${label} targets origin ${show(b.targetOriginId)}, which the distribution does not define; ${fix}.`);
    return b;
  };
  const behaviors = items<Json>(i.orderedCacheBehaviors).map((b, n) => {
    const where = `cache behavior ${n + 1} (${show(b.pathPattern)})`;
    return checkTarget(behaviorOf(index, b, false, where, fix), where);
  });
  const defaultBehavior = checkTarget(behaviorOf(index, i.defaultCacheBehavior as Json, true, 'the default cache behavior', fix), 'the default cache behavior');

  const customErrorResponses = new Map<number, ModelErrorResponse>();
  for (const e of items<Json>(i.customErrorResponses)) {
    const minTtl = num(e.errorCachingMinTtl);
    const responseCode = num(e.responseCode);
    customErrorResponses.set(Number(e.errorCode), {
      errorCode: Number(e.errorCode),
      ...(minTtl !== undefined ? { errorCachingMinTtl: minTtl } : {}),
      ...(responseCode !== undefined ? { responseCode } : {}),
      ...(text(e.responsePagePath) ? { responsePagePath: String(e.responsePagePath) } : {}),
    });
  }
  const publicKeys = new Map(index.ofType(CLOUDFRONT_TYPES.publicKey).map((k) => [k.id, String(k.props.encodedKey ?? '')] as const));
  const keyGroups = new Map<string, ModelPublicKey[]>();
  for (const g of index.ofType(CLOUDFRONT_TYPES.keyGroup)) {
    if (g.id === undefined) continue;
    keyGroups.set(g.id, items<string>(g.props.items).map((id) => ({ id, pem: publicKeys.get(id) ?? '' })).filter((k) => k.pem !== ''));
  }
  const responseHeadersPolicies = new Map(index.ofType(CLOUDFRONT_TYPES.responseHeadersPolicy).flatMap((r) => (r.id === undefined ? [] : [[r.id, r.props] as const])));
  const geo = asObject(valueAt(i.restrictions, 'geoRestriction'));
  const tagHeader = text(valueAt(i.cacheTagConfig, 'headerName'));
  const id = options.distributionId ?? distribution.id ?? distribution.name;
  return {
    distributionId: id,
    domainName: options.domainName ?? `${id.toLowerCase()}.cloudfront.net`,
    aliases: items<string>(i.aliases),
    staging: i.staging === true,
    priceClass: text(i.priceClass) ?? 'PriceClass_All',
    behaviors,
    defaultBehavior,
    origins,
    originGroups,
    customErrorResponses,
    geoRestriction: { type: (text(geo?.restrictionType) ?? 'none') as 'none' | 'whitelist' | 'blacklist', locations: items<string>(geo?.locations) },
    keyGroups,
    ...(tagHeader ? { cacheTagHeader: tagHeader.toLowerCase() } : {}),
    ...(text(i.defaultRootObject) ? { defaultRootObject: String(i.defaultRootObject) } : {}),
    responseHeadersPolicies,
  };
}
