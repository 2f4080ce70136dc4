/**
 * The audit of tagged objects: which objects under the given prefixes carry no cache tags, or tags
 * that differ from what the catalog derives now (`npm run tag -- audit`). Pure: the caller lists and
 * reads the objects and passes their statuses in.
 */
import type { ObjectTagStatus } from './object-tags';

export interface AuditReport {
  readonly scanned: number;
  readonly current: number;
  readonly missing: readonly ObjectTagStatus[];
  readonly stale: readonly ObjectTagStatus[];
  /** Objects whose derived tags break CloudFront's rules (the message names the object and the fix). */
  readonly invalid: readonly { readonly key: string; readonly problem: string }[];
}

/** Groups statuses into the report, keys sorted within each group. */
export function summarizeAudit(statuses: readonly ObjectTagStatus[], invalid: readonly { key: string; problem: string }[] = []): AuditReport {
  const by = (s: ObjectTagStatus['state']) => statuses.filter((x) => x.state === s).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    scanned: statuses.length + invalid.length,
    current: by('current').length,
    missing: by('missing'),
    stale: by('stale'),
    invalid: [...invalid].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

/** True when every object carries its current tags. */
export function auditClean(r: AuditReport): boolean {
  return r.missing.length === 0 && r.stale.length === 0 && r.invalid.length === 0;
}
