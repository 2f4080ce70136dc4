/**
 * CloudFront signed URLs and signed cookies (spec §10.2): building and verifying canned and custom
 * policies signed with RSA (SHA-1 by default, SHA-256 with `Hash-Algorithm=SHA256`).
 *
 * The warmer signs requests for behaviors with trusted key groups; the local edge verifies them with
 * the key group's public keys from the plan. Pure computation (node:crypto, no I/O).
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-canned-policy.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-custom-policy.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-canned-policy.html
 */
import { createSign, createVerify } from 'node:crypto';
import { matchPathPattern } from '../semantics/path-pattern';

/** Query parameters of a signed URL (spec §10.2). */
export const SIGNED_URL_QUERY_PARAMS = ['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'] as const;
/** Cookies of signed cookies (spec §10.2). */
export const SIGNED_COOKIE_NAMES = ['CloudFront-Expires', 'CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id'] as const;

/** URL-safe base64 as CloudFront uses it: `+`→`-`, `=`→`_`, `/`→`~` (spec §10.2). */
export function cloudFrontBase64(data: Buffer | string): string {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
}

/** Inverse of {@link cloudFrontBase64}. */
export function decodeCloudFrontBase64(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}

/** The whitespace-free canned policy CloudFront reconstructs for `Expires` (spec §10.2). */
export function cannedPolicy(resourceUrl: string, expiresSec: number): string {
  return `{"Statement":[{"Resource":"${resourceUrl}","Condition":{"DateLessThan":{"AWS:EpochTime":${expiresSec}}}}]}`;
}

/** The conditions of a custom policy (spec §10.2). */
export interface CustomPolicy {
  /** URL pattern; `*` and `?` are wildcards. */
  readonly resource: string;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  /** IPv4 CIDR such as `192.0.2.0/24`. */
  readonly ipAddress?: string;
}

export function customPolicyJson(p: CustomPolicy): string {
  const condition: Record<string, unknown> = { DateLessThan: { 'AWS:EpochTime': p.dateLessThan } };
  if (p.dateGreaterThan !== undefined) condition.DateGreaterThan = { 'AWS:EpochTime': p.dateGreaterThan };
  if (p.ipAddress !== undefined) condition.IpAddress = { 'AWS:SourceIp': p.ipAddress };
  return JSON.stringify({ Statement: [{ Resource: p.resource, Condition: condition }] });
}

export type SignatureHash = 'SHA1' | 'SHA256';

export interface Signer {
  /** Id of the public key in the distribution's trusted key group. */
  readonly keyPairId: string;
  readonly privateKeyPem: string;
  readonly hash?: SignatureHash;
}

function sign(policy: string, signer: Signer): string {
  const s = createSign(signer.hash === 'SHA256' ? 'RSA-SHA256' : 'RSA-SHA1');
  s.update(policy);
  return cloudFrontBase64(s.sign(signer.privateKeyPem));
}

function appendQuery(url: string, params: readonly (readonly [string, string])[]): string {
  const q = params.map(([k, v]) => `${k}=${v}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${q}`;
}

/** A canned-policy signed URL: `url` + `Expires`, `Signature`, `Key-Pair-Id` (spec §10.2). */
export function signCannedUrl(url: string, expiresSec: number, signer: Signer): string {
  const params: [string, string][] = [['Expires', String(expiresSec)], ['Signature', sign(cannedPolicy(url, expiresSec), signer)], ['Key-Pair-Id', signer.keyPairId]];
  if (signer.hash === 'SHA256') params.push(['Hash-Algorithm', 'SHA256']);
  return appendQuery(url, params);
}

/** A custom-policy signed URL: `url` + `Policy`, `Signature`, `Key-Pair-Id` (spec §10.2). */
export function signCustomPolicyUrl(url: string, policy: CustomPolicy, signer: Signer): string {
  const json = customPolicyJson(policy);
  const params: [string, string][] = [['Policy', cloudFrontBase64(json)], ['Signature', sign(json, signer)], ['Key-Pair-Id', signer.keyPairId]];
  if (signer.hash === 'SHA256') params.push(['Hash-Algorithm', 'SHA256']);
  return appendQuery(url, params);
}

/** Signed cookies for a custom policy (spec §10.2: cookies take custom or canned policies). */
export function signedCookies(policy: CustomPolicy, signer: Signer): Record<string, string> {
  const json = customPolicyJson(policy);
  return { 'CloudFront-Policy': cloudFrontBase64(json), 'CloudFront-Signature': sign(json, signer), 'CloudFront-Key-Pair-Id': signer.keyPairId };
}

/** Signed cookies for a canned policy on one resource URL. */
export function signedCannedCookies(resourceUrl: string, expiresSec: number, signer: Signer): Record<string, string> {
  return { 'CloudFront-Expires': String(expiresSec), 'CloudFront-Signature': sign(cannedPolicy(resourceUrl, expiresSec), signer), 'CloudFront-Key-Pair-Id': signer.keyPairId };
}

/** What the edge knows about a request when checking its signature. */
export interface SignedRequest {
  /**
   * The URLs the viewer may have signed, without the signing parameters: the request's scheme, host
   * and path plus the remaining query string, for every host the distribution answers to.
   */
  readonly resourceUrls: readonly string[];
  /** Raw query pairs in order (signing parameters included). */
  readonly query: readonly (readonly [string, string])[];
  /** Request cookies. */
  readonly cookies: readonly (readonly [string, string])[];
  readonly nowSec: number;
  readonly clientIp?: string;
  /** Public keys of the behavior's trusted key groups. */
  readonly keys: readonly { readonly id: string; readonly pem: string }[];
}

export type SignedCheckReason =
  | 'missing-signature'
  | 'unknown-key-pair'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'resource-mismatch'
  | 'ip-mismatch';

export type SignedCheck =
  | { readonly ok: true; readonly via: 'url' | 'cookie'; readonly keyPairId: string }
  | { readonly ok: false; readonly reason: SignedCheckReason; readonly via?: 'url' | 'cookie' };

function verify(policy: string | Buffer, signature: string, pem: string, hash: SignatureHash): boolean {
  try {
    const v = createVerify(hash === 'SHA256' ? 'RSA-SHA256' : 'RSA-SHA1');
    v.update(policy);
    return v.verify(pem, decodeCloudFrontBase64(signature));
  } catch {
    return false;
  }
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.replace(/^::ffff:/, ''));
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** True when an IPv4 address is inside an IPv4 CIDR (`a.b.c.d` alone means /32). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? '');
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

/**
 * Checks a request against the signed-URL/cookie rules (spec §10.2): any of `Expires`, `Policy`,
 * `Signature`, `Key-Pair-Id` in the query makes it a signed URL and cookies are ignored; otherwise
 * the `CloudFront-*` cookies are used. The key pair must belong to a trusted key group, the signature
 * must verify over the canned policy (rebuilt from a resource URL and `Expires`) or over the given
 * custom policy, and the policy's resource, dates and IP condition must hold.
 */
export function checkSignedRequest(req: SignedRequest): SignedCheck {
  const q = new Map<string, string>();
  for (const [k, v] of req.query) if (!q.has(k)) q.set(k, v);
  const isUrl = ['Expires', 'Policy', 'Signature', 'Key-Pair-Id'].some((k) => q.has(k));
  let via: 'url' | 'cookie';
  let expires: string | undefined;
  let policyB64: string | undefined;
  let signature: string | undefined;
  let keyPairId: string | undefined;
  let hash: SignatureHash = 'SHA1';
  if (isUrl) {
    via = 'url';
    expires = q.get('Expires');
    policyB64 = q.get('Policy');
    signature = q.get('Signature');
    keyPairId = q.get('Key-Pair-Id');
    if (q.get('Hash-Algorithm') === 'SHA256') hash = 'SHA256';
  } else {
    const c = new Map<string, string>();
    for (const [k, v] of req.cookies) if (!c.has(k)) c.set(k, v);
    if (!SIGNED_COOKIE_NAMES.some((n) => c.has(n))) return { ok: false, reason: 'missing-signature' };
    via = 'cookie';
    expires = c.get('CloudFront-Expires');
    policyB64 = c.get('CloudFront-Policy');
    signature = c.get('CloudFront-Signature');
    keyPairId = c.get('CloudFront-Key-Pair-Id');
  }
  if (signature === undefined || keyPairId === undefined || (expires === undefined && policyB64 === undefined)) {
    return { ok: false, reason: 'malformed', via };
  }
  const key = req.keys.find((k) => k.id === keyPairId);
  if (!key) return { ok: false, reason: 'unknown-key-pair', via };

  if (policyB64 !== undefined) {
    const policy = decodeCloudFrontBase64(policyB64);
    if (!verify(policy, signature, key.pem, hash)) return { ok: false, reason: 'bad-signature', via };
    let statement: { Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };
    try {
      statement = (JSON.parse(policy.toString('utf8')) as { Statement: (typeof statement)[] }).Statement[0]!;
    } catch {
      return { ok: false, reason: 'malformed', via };
    }
    const cond = statement.Condition ?? {};
    const lessThan = Number(cond.DateLessThan?.['AWS:EpochTime']);
    if (!Number.isFinite(lessThan)) return { ok: false, reason: 'malformed', via };
    if (req.nowSec >= lessThan) return { ok: false, reason: 'expired', via };
    const greaterThan = cond.DateGreaterThan?.['AWS:EpochTime'];
    if (greaterThan !== undefined && req.nowSec <= Number(greaterThan)) return { ok: false, reason: 'not-yet-valid', via };
    const resource = typeof statement.Resource === 'string' ? statement.Resource : '*';
    if (!req.resourceUrls.some((u) => matchPathPattern(resource, u))) return { ok: false, reason: 'resource-mismatch', via };
    const ip = cond.IpAddress?.['AWS:SourceIp'];
    if (typeof ip === 'string' && (req.clientIp === undefined || !ipInCidr(req.clientIp, ip))) return { ok: false, reason: 'ip-mismatch', via };
    return { ok: true, via, keyPairId };
  }
  const exp = Number(expires);
  if (!Number.isInteger(exp)) return { ok: false, reason: 'malformed', via };
  const signedUrl = req.resourceUrls.find((u) => verify(cannedPolicy(u, exp), signature, key.pem, hash));
  if (signedUrl === undefined) return { ok: false, reason: via === 'url' ? 'bad-signature' : 'resource-mismatch', via };
  if (req.nowSec >= exp) return { ok: false, reason: 'expired', via };
  return { ok: true, via, keyPairId };
}

/** The query pairs without the signed-URL parameters, in order (what the origin and the key see, spec §5.8). */
export function withoutSigningParams(pairs: readonly (readonly [string, string])[]): [string, string][] {
  const drop = new Set<string>(SIGNED_URL_QUERY_PARAMS);
  return pairs.filter(([k]) => !drop.has(k)).map(([k, v]) => [k, v]);
}
