/**
 * The headers the local edge adds to every response (spec §3.6): `X-Cache`, `Via` (also sent to the
 * origin), `X-Amz-Cf-Pop`, `X-Amz-Cf-Id`, the behavior's response headers policy (compiled once per
 * policy, response-headers.ts), `Content-Length`; and `Age` of a stored copy.
 */
import { createHash } from 'node:crypto';
import type { DistributionModel } from '../../lib/distribution';
import type { CacheEntry } from './cache';
import type { LocalEdgeOptions } from './options';
import type { Outcome } from './outcome';
import { compileResponseHeadersPolicy, type CompiledHeadersPolicy } from './response-headers';

/** `Age` of a stored copy at `now` (epoch ms): whole seconds since it was fetched from the origin. */
export function ageOf(e: CacheEntry, now: number): string {
  return String(Math.max(0, Math.floor((now - e.storedAtMs) / 1000)));
}

/** The edge's own response headers, with what is derived once per edge location or policy kept. */
export class EdgeHeaders {
  private readonly viaIds = new Map<string, string>();
  private readonly viaCache = new Map<string, string>();
  private readonly compiledPolicies = new Map<string, CompiledHeadersPolicy | undefined>();

  constructor(private readonly model: DistributionModel, private readonly opts: Pick<LocalEdgeOptions, 'debugHeaders'>) {}

  /** Adds the edge's own headers to a response: X-Cache, Via, the POP, the request id, the headers policy, Content-Length. */
  add(out: Record<string, string | string[]>, pop: string, httpVersion: string, requestId: string, o: Outcome,
    policyId: string | undefined, viewerOrigin: string | undefined, contentLength: number): void {
    const cookies = out['set-cookie'];
    if (typeof cookies === 'string') out['set-cookie'] = cookies.split('\n');
    out['x-cache'] = o.xCache;
    out.via = this.via(pop, httpVersion);
    out['x-amz-cf-pop'] = pop;
    out['x-amz-cf-id'] = requestId;
    if (this.opts.debugHeaders === true) out['x-local-cache-tier'] = o.tier;
    if (policyId) this.headersPolicy(policyId)?.apply(out as Record<string, string>, viewerOrigin);
    out['content-length'] = String(contentLength);
  }

  /** `Via` as CloudFront rewrites it: `<http-version> <id>.cloudfront.net (CloudFront)` (spec §3.6). */
  via(pop: string, httpVersion: string): string {
    const k = `${pop} ${httpVersion}`;
    let v = this.viaCache.get(k);
    if (v === undefined) {
      v = `${httpVersion === '2.0' ? '2.0' : '1.1'} ${this.viaId(pop)}.cloudfront.net (CloudFront)`;
      this.viaCache.set(k, v);
    }
    return v;
  }

  private viaId(pop: string): string {
    let id = this.viaIds.get(pop);
    if (id === undefined) {
      id = createHash('md5').update(`${this.model.distributionId}:${pop}`).digest('hex');
      this.viaIds.set(pop, id);
    }
    return id;
  }

  private headersPolicy(id: string): CompiledHeadersPolicy | undefined {
    if (!this.compiledPolicies.has(id)) {
      const p = this.model.responseHeadersPolicies.get(id);
      this.compiledPolicies.set(id, p ? compileResponseHeadersPolicy(p) : undefined);
    }
    return this.compiledPolicies.get(id);
  }
}
