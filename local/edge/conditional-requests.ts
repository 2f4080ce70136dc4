/**
 * Conditional requests served from a stored 200 (RFC 9110 §13, spec §7): If-None-Match, compared
 * weakly, takes precedence over If-Modified-Since.
 */
import { parseHttpDate } from '../../lib/semantics';
import { stripWeak } from './http';

/** Does the viewer's condition hold for the stored headers, so that the answer is 304 Not Modified? */
export function isNotModified(viewerHeaders: Readonly<Record<string, string>>, stored: Readonly<Record<string, string>>): boolean {
  const inm = viewerHeaders['if-none-match'];
  const etag = stored.etag;
  if (inm !== undefined) return etag !== undefined && inm.split(',').some((t) => t.trim() === '*' || stripWeak(t) === stripWeak(etag));
  if (viewerHeaders['if-modified-since'] && stored['last-modified']) {
    const since = parseHttpDate(viewerHeaders['if-modified-since']);
    const lm = parseHttpDate(stored['last-modified']);
    return since !== undefined && lm !== undefined && lm <= since;
  }
  return false;
}
