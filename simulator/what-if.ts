/**
 * What-if overrides (`--set route.field=value`, `--set stackKey=value`): parsed here, applied to a
 * stack's config so that the plan is rebuilt through the real config path (lib/config validation,
 * lib/catalog overrides, the program under mocks). `static.defaultTtl=3600` sets
 * `media-cdn:contentTypes.static.defaultTtl`; `priceClass=PriceClass_100` sets `media-cdn:priceClass`.
 */
import { CONTENT_TYPES, OVERRIDE_FIELDS } from '../lib/catalog';
import { CONFIG_SCHEMA } from '../lib/config/schema';
import { InputError, show } from '../lib/errors';

export interface WhatIf {
  /** Route overrides, by route id. */
  readonly contentTypes: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Stack config keys without the namespace. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The `--set` arguments, for labels. */
  readonly labels: readonly string[];
}

const ROUTE_FIELDS: readonly string[] = OVERRIDE_FIELDS;

function parseValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Parses `--set` arguments. @throws InputError naming each bad argument and the accepted forms. */
export function parseSetOptions(sets: readonly string[]): WhatIf {
  const problems: string[] = [];
  const contentTypes: Record<string, Record<string, unknown>> = {};
  const config: Record<string, unknown> = {};
  const routeIds = CONTENT_TYPES.flatMap((t) => t.routes.map((r) => r.id));
  const configKeys = CONFIG_SCHEMA.map((s) => s.key).filter((k) => k !== 'contentTypes');
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0 || eq === s.length - 1) {
      problems.push(`--set ${show(s)} must be key=value, such as 'static.defaultTtl=3600' or 'priceClass=PriceClass_100'.`);
      continue;
    }
    const key = s.slice(0, eq).trim().replace(/^media-cdn:/, '');
    const value = parseValue(s.slice(eq + 1).trim());
    const dot = key.indexOf('.');
    if (dot > 0) {
      const route = key.slice(0, dot);
      const field = key.slice(dot + 1);
      if (!routeIds.includes(route)) { problems.push(`--set ${show(s)}: unknown route '${route}'; use one of: ${routeIds.join(', ')}.`); continue; }
      if (!ROUTE_FIELDS.includes(field)) { problems.push(`--set ${show(s)}: unknown setting '${field}' of route '${route}'; use one of: ${ROUTE_FIELDS.join(', ')}.`); continue; }
      contentTypes[route] = { ...contentTypes[route], [field]: value };
    } else {
      if (!configKeys.includes(key)) { problems.push(`--set ${show(s)}: '${key}' is neither route.setting nor a stack setting; stack settings: ${configKeys.join(', ')}.`); continue; }
      config[key] = value;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { contentTypes, config, labels: [...sets] };
}

export function isEmptyWhatIf(w: WhatIf): boolean {
  return Object.keys(w.contentTypes).length === 0 && Object.keys(w.config).length === 0;
}

/**
 * A stack's config (namespaced keys, as in Pulumi.<stack>.yaml) with the what-if applied; route
 * overrides merge into the stack's own `media-cdn:contentTypes`.
 */
export function applyWhatIf(stackConfig: Readonly<Record<string, unknown>>, w: WhatIf): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stackConfig };
  for (const [k, v] of Object.entries(w.config)) out[`media-cdn:${k}`] = v;
  if (Object.keys(w.contentTypes).length > 0) {
    const current = (stackConfig['media-cdn:contentTypes'] ?? {}) as Record<string, Record<string, unknown>>;
    const merged: Record<string, Record<string, unknown>> = { ...current };
    for (const [route, fields] of Object.entries(w.contentTypes)) merged[route] = { ...current[route], ...fields };
    out['media-cdn:contentTypes'] = merged;
  }
  return out;
}
