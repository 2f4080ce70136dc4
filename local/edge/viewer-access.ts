/**
 * Checks on the viewer before any cache is looked at: the viewer protocol policy (spec §10.3), geo
 * restriction (spec §10.1) and signed URLs/cookies (spec §10.2). Pure: each reads the request and the
 * model and says what to answer; the edge sends it.
 */
import type { DistributionModel, ModelBehavior } from '../../lib/distribution';
import { checkSignedRequest, withoutSigningParams, type SignedCheckReason } from '../../lib/warming/signed-urls';
import { joinQuery, SIGNED_MESSAGES } from './http';

/** Is the request plain HTTP as the edge sees it (`assumeHttps: false` and no `X-Forwarded-Proto: https`)? */
export function isPlainHttp(assumeHttps: boolean | undefined, viewerHeaders: Readonly<Record<string, string>>): boolean {
  return assumeHttps === false && viewerHeaders['x-forwarded-proto'] !== 'https';
}

/** Status of the redirect to HTTPS (`redirect-to-https`): 301 for GET/HEAD, else 307 (403 for HTTP/1.0). */
export function httpsRedirectStatus(method: string, httpVersion: string): number {
  return method === 'GET' || method === 'HEAD' ? 301 : httpVersion === '1.0' ? 403 : 307;
}

/**
 * Does geo restriction block the viewer? The country is read from the first of `countryHeaders`
 * present (upper-cased); an unknown location is served (spec §10.1).
 */
export function isGeoBlocked(geo: DistributionModel['geoRestriction'], viewerHeaders: Readonly<Record<string, string>>, countryHeaders: readonly string[]): boolean {
  if (geo.type === 'none') return false;
  const country = viewerCountry(viewerHeaders, countryHeaders);
  return country !== undefined && (geo.type === 'whitelist') !== geo.locations.includes(country);
}

/** The viewer's country (upper case) from the first of the country headers present; undefined when none is. */
export function viewerCountry(viewerHeaders: Readonly<Record<string, string>>, countryHeaders: readonly string[]): string | undefined {
  for (const h of countryHeaders) {
    const c = viewerHeaders[h];
    if (c !== undefined) return c.toUpperCase();
  }
  return undefined;
}

/** What a signed URL or cookie check needs of a request. */
export interface SignedAccessRequest {
  /** The viewer's Host header. */
  readonly host: string | undefined;
  readonly rawPath: string;
  /** Raw query pairs, signing parameters included. */
  readonly query: readonly (readonly [string, string])[];
  readonly cookies: readonly (readonly [string, string])[];
  readonly nowMs: number;
  readonly clientIp: string;
}

/**
 * Checks a request to a behavior with trusted key groups against its signed URL or cookies (spec
 * §10.2): the resource may have been signed for any host the distribution answers to, over https or
 * http, with the query string left once the signing parameters are removed. Returns why access is
 * denied, or undefined when it is allowed.
 */
export function signedAccessDenied(model: DistributionModel, b: ModelBehavior, req: SignedAccessRequest): SignedCheckReason | undefined {
  const keys = b.trustedKeyGroupIds.flatMap((id) => model.keyGroups.get(id) ?? []);
  const strippedQuery = joinQuery(withoutSigningParams(req.query));
  const hosts = [...new Set([req.host, model.domainName, ...model.aliases].filter((h): h is string => !!h))];
  const resourceUrls = hosts.flatMap((h) => ['https', 'http'].map((s) => `${s}://${h}${req.rawPath}${strippedQuery ? `?${strippedQuery}` : ''}`));
  const check = checkSignedRequest({ resourceUrls, query: req.query, cookies: req.cookies, nowSec: Math.floor(req.nowMs / 1000), clientIp: req.clientIp, keys });
  return check.ok ? undefined : check.reason;
}

/** The XML body of the 403 for a denied signed URL or cookie, worded as CloudFront words it. */
export function signedDenialBody(reason: SignedCheckReason): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${SIGNED_MESSAGES[reason]}</Message></Error>`);
}
