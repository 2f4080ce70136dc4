/**
 * From a point's settings to the stack config: the `--set` arguments, the config they produce through
 * the real what-if path (simulator/what-if.ts), and the stack-file keys whose effective value changes
 * (a route setting compares with the stack's override, else the catalog's value).
 */
import { CONTENT_TYPES, type RouteSpec } from '../../lib/catalog';
import { CONFIG_SCHEMA } from '../../lib/config/schema';
import { applyWhatIf, parseSetOptions } from '../what-if';
import type { Settings } from './types';

const NS = 'media-cdn:';

/** `--set` arguments of settings (values JSON-encoded, so '"PriceClass_100"' stays a string). */
export function setArgsOf(settings: Settings): string[] {
  return Object.keys(settings).sort().map((k) => `${k}=${JSON.stringify(settings[k])}`);
}

/** The stack config with the settings applied, through `--set` parsing and `applyWhatIf`. */
export function configWith(stackConfig: Readonly<Record<string, unknown>>, settings: Settings): Record<string, unknown> {
  return applyWhatIf(stackConfig, parseSetOptions(setArgsOf(settings)));
}

export interface ConfigChange {
  /** Path under `config:` in the stack file, e.g. ['media-cdn:priceClass'] or ['media-cdn:contentTypes', 'video', 'defaultTtl']. */
  readonly path: readonly string[];
  /** The effective value before (stack file, else catalog or schema default). */
  readonly from: unknown;
  readonly to: unknown;
}

function catalogRouteValue(route: RouteSpec | undefined, field: string): unknown {
  if (!route) return undefined;
  if (field === 'minTtl' || field === 'defaultTtl' || field === 'maxTtl') return route.ttl[field];
  return (route as unknown as Record<string, unknown>)[field];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The stack-file keys the settings change, in a stable order. */
export function configChanges(stackConfig: Readonly<Record<string, unknown>>, settings: Settings): ConfigChange[] {
  const whatIf = parseSetOptions(setArgsOf(settings));
  const out: ConfigChange[] = [];
  const routes = new Map(CONTENT_TYPES.flatMap((t) => t.routes).map((r) => [r.id, r] as const));
  const overrides = (stackConfig[`${NS}contentTypes`] ?? {}) as Record<string, Record<string, unknown>>;
  for (const route of Object.keys(whatIf.contentTypes).sort()) {
    for (const [field, to] of Object.entries(whatIf.contentTypes[route]!)) {
      const from = overrides[route]?.[field] ?? catalogRouteValue(routes.get(route), field);
      if (!same(from, to)) out.push({ path: [`${NS}contentTypes`, route, field], from, to });
    }
  }
  for (const key of Object.keys(whatIf.config).sort()) {
    const to = whatIf.config[key];
    const from = stackConfig[`${NS}${key}`] ?? CONFIG_SCHEMA.find((s) => s.key === key)?.default;
    if (!same(from, to)) out.push({ path: [`${NS}${key}`], from, to });
  }
  return out;
}
