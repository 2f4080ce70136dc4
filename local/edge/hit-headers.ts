/**
 * Precomputed response header blocks for cache hits: everything a hit on a stored entry sends except
 * `Age` and `X-Amz-Cf-Id` is the same for every request served from that entry at one edge location
 * (the entry's headers, `X-Cache`, `Via`, `X-Amz-Cf-Pop`, the response headers policy's static
 * headers, `Content-Length`). The block is built once per (entry, edge location, HTTP version, X-Cache)
 * by the same steps as any response — so the bytes on the wire do not change — and kept as the flat
 * `[name, value, …]` list `writeHead` takes, with the positions of the two values filled per request
 * and the byte count the access log needs.
 */
import type { CacheEntry } from './cache';

export interface HitHeaderBlock {
  /** What the block was built for; a request that differs rebuilds it. */
  readonly pop: string;
  readonly httpVersion: string;
  readonly xCache: string;
  readonly policyId: string | undefined;
  /** The entry's header record the block was built from (replaced when the entry is refreshed). */
  readonly source: Record<string, string>;
  /** Names and values, in response order; `ageAt` and `idAt` index the two per-request values. */
  readonly flat: readonly string[];
  readonly ageAt: number;
  readonly idAt: number;
  /** Header bytes as the access log counts them (see LocalEdge.send), without the Age and id values. */
  readonly staticBytes: number;
  readonly contentType: string | undefined;
  readonly contentLength: number;
}

/** Placeholders of the per-request values while a block is built. */
export const AGE_SLOT = '\u0000age';
export const ID_SLOT = '\u0000id';

/**
 * Turns the header record of a response (built with the placeholders for Age and the request id) into
 * a block. Returns undefined when the record holds a list value (set-cookie): such responses take the
 * general path.
 */
export function toHitHeaderBlock(out: Record<string, string | string[]>, key: Pick<HitHeaderBlock, 'pop' | 'httpVersion' | 'xCache' | 'policyId' | 'source'>): HitHeaderBlock | undefined {
  const flat: string[] = [];
  let ageAt = -1, idAt = -1, bytes = 17;
  for (const k in out) {
    const v = out[k]!;
    if (typeof v !== 'string') return undefined;
    flat.push(k, v);
    if (v === AGE_SLOT) ageAt = flat.length - 1;
    else if (v === ID_SLOT) idAt = flat.length - 1;
    bytes += k.length + 4 + (v === AGE_SLOT || v === ID_SLOT ? 0 : v.length);
  }
  if (ageAt < 0 || idAt < 0) return undefined;
  return {
    ...key, flat, ageAt, idAt, staticBytes: bytes,
    contentType: typeof out['content-type'] === 'string' ? out['content-type'] : undefined,
    contentLength: Number(out['content-length']),
  };
}

/** The entry's block when it was built for this request's edge location, HTTP version, X-Cache and headers policy. */
export function cachedHitHeaders(e: CacheEntry, pop: string, httpVersion: string, xCache: string, policyId: string | undefined): HitHeaderBlock | undefined {
  const b = e.hitHeaders;
  return b !== undefined && b.pop === pop && b.httpVersion === httpVersion && b.xCache === xCache && b.policyId === policyId && b.source === e.headers ? b : undefined;
}
