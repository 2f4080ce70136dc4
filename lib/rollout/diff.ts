/**
 * Readable differences for `npm run rollout -- status`: the candidate against the stack config it
 * would replace, and the staging distribution's live config against the primary's.
 */
import type { StackConfig } from '../config';
import type { RouteSpec } from '../catalog';

export interface Difference {
  /** Dotted path, e.g. `priceClass` or `contentTypes.metadata.ttl.defaultTtl`. */
  readonly path: string;
  readonly primary: unknown;
  readonly candidate: unknown;
}

/** Leaves of a JSON-like value as path → value (arrays are leaves, compared whole). */
export function flatten(value: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value instanceof Date ? value.toISOString() : value);
  return out;
}

/** Paths whose values differ between `a` and `b`, sorted; `ignore` drops paths starting with any of its entries. */
export function diffValues(a: unknown, b: unknown, ignore: readonly string[] = []): Difference[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths
    .filter((p) => !ignore.some((i) => p === i || p.startsWith(`${i}.`)))
    .filter((p) => JSON.stringify(fa.get(p)) !== JSON.stringify(fb.get(p)))
    .map((p) => ({ path: p, primary: fa.get(p), candidate: fb.get(p) }));
}

/** What a route is at the edge: the fields a candidate's contentTypes can change. */
function routeView(r: RouteSpec): Record<string, unknown> {
  return { pathPatterns: r.pathPatterns, ttl: r.ttl, compress: r.compress };
}

/**
 * The candidate against the stack config: one difference per changed setting; contentTypes compared
 * on the resolved routes (patterns, TTLs, compression), so a changed update interval shows its TTLs.
 */
export function candidateDiff(config: StackConfig): Difference[] {
  const candidate = config.candidateConfig;
  if (!candidate) return [];
  const out: Difference[] = [];
  for (const key of Object.keys(config.candidate)) {
    if (key === 'contentTypes') {
      const view = (c: StackConfig) => Object.fromEntries(c.catalog.routes.map((r) => [r.id, routeView(r)]));
      out.push(...diffValues(view(config), view(candidate)).map((d) => ({ ...d, path: `contentTypes.${d.path}` })));
    } else {
      out.push({ path: key, primary: config[key as keyof StackConfig], candidate: candidate[key as keyof StackConfig] });
    }
  }
  return out;
}

/** Fields of a DistributionConfig that differ by role and are never promoted (CloudFront keeps the primary's). */
export const ROLE_FIELDS = ['CallerReference', 'Aliases', 'Staging', 'ContinuousDeploymentPolicyId'] as const;

/** The staging distribution's live config against the primary's, without the fields a promotion keeps. */
export function liveDiff(primaryConfig: unknown, stagingConfig: unknown): Difference[] {
  return diffValues(primaryConfig, stagingConfig, ROLE_FIELDS);
}

const show = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));

/** `path: primary → candidate`, one line each, aligned. */
export function renderDiff(diffs: readonly Difference[], none = '  (no difference)'): string {
  if (diffs.length === 0) return none;
  const width = Math.max(...diffs.map((d) => d.path.length));
  return diffs.map((d) => `  ${d.path.padEnd(width)}  ${show(d.primary)} → ${show(d.candidate)}`).join('\n');
}
