/**
 * Applies a planned response headers policy (security headers, CORS, custom headers) to a response,
 * the last step of the edge pipeline (spec §4.2 step 8). Shapes are those of
 * `aws.cloudfront.ResponseHeadersPolicyArgs` in the plan.
 */

import { asObject, type JsonObject } from '../../lib/json';

type Json = JsonObject;

function items(v: unknown): string[] {
  return v && typeof v === 'object' && Array.isArray((v as Json).items) ? ((v as Json).items as unknown[]).map(String) : [];
}

function put(headers: Record<string, string>, name: string, value: string, override: boolean): void {
  if (override || headers[name] === undefined) headers[name] = value;
}

/** Adds the policy's headers to `headers` (lower-case names) for a request carrying `origin` (the Origin header). */
export function applyResponseHeadersPolicy(policy: Json | undefined, headers: Record<string, string>, origin: string | undefined): void {
  if (!policy) return;
  const sec = policy.securityHeadersConfig as Json | undefined;
  if (sec) {
    const hsts = sec.strictTransportSecurity as Json | undefined;
    if (hsts) {
      const v = [`max-age=${Number(hsts.accessControlMaxAgeSec ?? 0)}`, hsts.includeSubdomains ? 'includeSubDomains' : '', hsts.preload ? 'preload' : ''].filter(Boolean).join('; ');
      put(headers, 'strict-transport-security', v, hsts.override === true);
    }
    const contentTypeOptions = asObject(sec.contentTypeOptions);
    if (contentTypeOptions) put(headers, 'x-content-type-options', 'nosniff', contentTypeOptions.override === true);
    const frameOptions = asObject(sec.frameOptions);
    if (frameOptions) put(headers, 'x-frame-options', String(frameOptions.frameOption), frameOptions.override === true);
    const referrerPolicy = asObject(sec.referrerPolicy);
    if (referrerPolicy) put(headers, 'referrer-policy', String(referrerPolicy.referrerPolicy), referrerPolicy.override === true);
    const xss = sec.xssProtection as Json | undefined;
    if (xss) put(headers, 'x-xss-protection', xss.protection ? `1${xss.modeBlock ? '; mode=block' : ''}` : '0', xss.override === true);
  }
  const cors = policy.corsConfig as Json | undefined;
  if (cors && origin !== undefined) {
    const allowed = items(cors.accessControlAllowOrigins);
    const override = cors.originOverride === true;
    if (allowed.includes('*') || allowed.includes(origin)) {
      put(headers, 'access-control-allow-origin', allowed.includes('*') ? '*' : origin, override);
      const expose = items(cors.accessControlExposeHeaders);
      if (expose.length > 0) put(headers, 'access-control-expose-headers', expose.join(', '), override);
      if (cors.accessControlAllowCredentials === true) put(headers, 'access-control-allow-credentials', 'true', override);
    }
  }
  for (const h of ((policy.customHeadersConfig as Json | undefined)?.items ?? []) as Json[]) {
    put(headers, String(h.header).toLowerCase(), String(h.value), h.override === true);
  }
  for (const name of removedHeaders(policy)) delete headers[name];
}

/** Lower-case names of the headers the policy removes from viewer responses (`removeHeadersConfig`). */
function removedHeaders(policy: Json): string[] {
  return (((policy.removeHeadersConfig as Json | undefined)?.items ?? []) as Json[]).map((h) => String(h.header).toLowerCase());
}

/** A response headers policy reduced to what is added per response (built once per policy). */
export interface CompiledHeadersPolicy {
  apply(headers: Record<string, string>, origin: string | undefined): void;
}

/** Compiles a policy: the static headers (security, custom) as a list; CORS evaluated per request. */
export function compileResponseHeadersPolicy(policy: Json): CompiledHeadersPolicy {
  const fixed: Record<string, string> = {};
  applyResponseHeadersPolicy({ ...policy, corsConfig: undefined }, fixed, undefined);
  const overrides = new Set<string>();
  const probe: Record<string, string> = {};
  for (const k of Object.keys(fixed)) probe[k] = '\u0000';
  applyResponseHeadersPolicy({ ...policy, corsConfig: undefined }, probe, undefined);
  for (const k of Object.keys(fixed)) if (probe[k] !== '\u0000') overrides.add(k);
  const list = Object.entries(fixed).map(([name, value]) => ({ name, value, override: overrides.has(name) }));
  const cors = policy.corsConfig ? { corsConfig: policy.corsConfig } : undefined;
  const removed = removedHeaders(policy);
  return {
    apply(headers, origin) {
      for (let i = 0; i < list.length; i++) {
        const h = list[i]!;
        if (h.override || headers[h.name] === undefined) headers[h.name] = h.value;
      }
      if (cors && origin !== undefined) applyResponseHeadersPolicy(cors, headers, origin);
      for (let i = 0; i < removed.length; i++) delete headers[removed[i]!];
    },
  };
}
