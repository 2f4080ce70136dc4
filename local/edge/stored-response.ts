/**
 * What of an origin response the edge keeps with a cached object (or passes on when proxying): the
 * headers (no connection-level or edge-generated ones; Set-Cookie only when cookies are forwarded,
 * spec §3.6), its cache tags (spec §8.2) and the origin's validators (spec §4.1).
 */
import { MAX_TAGS_PER_OBJECT } from '../../lib/semantics';
import type { ModelBehavior } from '../../lib/distribution';
import { forwardsCookies } from './behaviors';
import { NOT_STORED } from './http';
import type { OriginResponse } from './origin-client';

/** Response headers to store or pass on; Set-Cookie values are joined with newlines (split again when sent). */
export function storedHeaders(b: ModelBehavior, r: OriginResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (!NOT_STORED.has(k)) out[k] = v;
  // spec §3.6: Set-Cookie is stripped unless cookies are forwarded
  if (r.setCookies.length > 0 && forwardsCookies(b)) out['set-cookie'] = r.setCookies.join('\n');
  return out;
}

/** The cache tags of a response: the tag header's comma-separated values, lower case, at most MAX_TAGS_PER_OBJECT. */
export function tagsOf(tagHeader: string | undefined, r: OriginResponse): string[] {
  if (!tagHeader) return [];
  const v = r.headers[tagHeader];
  if (!v) return [];
  return v.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '').slice(0, MAX_TAGS_PER_OBJECT);
}

/** The origin's ETag and Last-Modified, kept for revalidation (the stored ETag may be weakened by compression). */
export function validatorsOf(r: OriginResponse): { etag?: string; lastModified?: string } {
  return { ...(r.headers.etag ? { etag: r.headers.etag } : {}), ...(r.headers['last-modified'] ? { lastModified: r.headers['last-modified'] } : {}) };
}
