/**
 * Which content type and origin serve a path, from the stack outputs' `contentTypes` (each type's
 * path patterns and origin). Behaviour selection is lib/semantics (`orderMostSpecificFirst`,
 * `compileBehaviorSelector`, spec §1.2); paths no pattern matches go to the default behaviour, which
 * serves the static route (lib/catalog `DEFAULT_ROUTE_ID`).
 */
import { CONTENT_TYPE_NAMES, DEFAULT_ROUTE_ID, S3_ORIGINS, type ContentTypeName, type OriginName } from '../catalog';
import { InputError } from '../errors';
import { compileBehaviorSelector, orderMostSpecificFirst, showValue } from '../semantics';

/** The part of the `contentTypes` stack output routing needs. */
export type ContentTypeRoutes = Readonly<Record<string, { readonly pathPatterns: readonly string[]; readonly origin: string }>>;

export interface Routing {
  /** The type the default (`*`) behaviour serves. */
  readonly defaultType: ContentTypeName;
  /** The content type whose behaviour serves `path` (the default behaviour serves static). */
  typeOf(path: string): ContentTypeName;
  /** The origin of that content type. */
  originOf(path: string): string;
  /** Directory prefixes (`/video/`) a type's patterns live under, outermost only. */
  prefixesOf(type: ContentTypeName): string[];
  /** The origin of a type. */
  originOfType(type: ContentTypeName): string;
  /**
   * Directory prefixes served entirely by `origin` (a `/<dir>/*` pattern of one of its types that no
   * pattern of another origin reaches into): where a listing of that origin is the whole truth, so
   * a wildcard's over-invalidation can be counted.
   */
  wholePrefixesOf(origin: string): string[];
}

/** Literal part of a behaviour pattern before its first `*`/`?`, with the leading `/`. */
function literalPrefix(pattern: string): string {
  const p = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const i = p.search(/[*?]/);
  return i < 0 ? p : p.slice(0, i);
}

function dirOf(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

function outermost(prefixes: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of [...new Set(prefixes)].sort()) {
    if (!out.some((o) => p.startsWith(o))) out.push(p);
  }
  return out;
}

/** Builds the routing of a stack from its `contentTypes` output. */
export function buildRouting(contentTypes: ContentTypeRoutes): Routing {
  const entries = orderMostSpecificFirst(
    Object.entries(contentTypes).flatMap(([type, t]) => t.pathPatterns.map((pathPattern) => ({ pathPattern, type: type as ContentTypeName, origin: t.origin }))),
  );
  const select = compileBehaviorSelector(entries);
  const defaultType = (CONTENT_TYPE_NAMES.find((n) => n === DEFAULT_ROUTE_ID) ?? 'static') as ContentTypeName;
  const originOfType = (type: ContentTypeName): string => {
    const t = contentTypes[type];
    if (!t) throw new InputError(`content type ${showValue(type)} is not in the stack outputs; use one of ${Object.keys(contentTypes).join(', ')}.`);
    return t.origin;
  };
  return {
    defaultType,
    typeOf: (path) => select(path)?.type ?? defaultType,
    originOf: (path) => select(path)?.origin ?? originOfType(defaultType),
    originOfType,
    prefixesOf: (type) => outermost((contentTypes[type]?.pathPatterns ?? []).map((p) => dirOf(literalPrefix(p)))),
    wholePrefixesOf: (origin) => {
      const mine = entries.filter((e) => e.origin === origin && /^\/?[^*?]*\/\*$/.test(e.pathPattern)).map((e) => literalPrefix(e.pathPattern));
      const others = entries.filter((e) => e.origin !== origin).map((e) => literalPrefix(e.pathPattern));
      return outermost(mine.filter((d) => !others.some((o) => o.startsWith(d) || d.startsWith(o))));
    },
  };
}

/** True when the origin is an S3 bucket (listable, versioned). */
export function isS3Origin(origin: string): origin is OriginName {
  return (S3_ORIGINS as readonly string[]).includes(origin);
}
