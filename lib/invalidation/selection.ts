/**
 * Selecting objects to invalidate from an origin listing or a manifest: by key pattern, by content
 * type (and prefix) and by modification time. Pure: the caller lists the bucket (ListObjectsV2) or
 * reads the manifest and passes the entries in; this module says what to list and what to keep.
 */
import type { ContentTypeName } from '../catalog';
import { InputError } from '../errors';
import { objectKeyProblem } from '../object-key';
import { showValue } from '../semantics';
import { keyToPath, pathToKey } from './items';
import type { KeyPattern } from './pattern';
import { isS3Origin, type Routing } from './routing';

/** One object of a listing or a manifest. */
export interface ObjectEntry {
  /** Object key (`video/a.m3u8`) or path (`/video/a.m3u8`). */
  readonly key: string;
  readonly lastModified?: Date;
}

/** What the operator asked for (any combination; all given filters apply). */
export interface Selection {
  readonly pattern?: KeyPattern;
  readonly contentType?: ContentTypeName;
  /** Relative to each of the content type's folders (`x/`), or an absolute path prefix (`/video/x/`). */
  readonly prefix?: string;
  /** Keep only objects modified at or after this time. */
  readonly changedSince?: Date;
}

/** One ListObjectsV2 to run: the origin (S3 bucket) and the key prefix. */
export interface ListingTarget {
  readonly origin: string;
  readonly keyPrefix: string;
}

/** How to resolve a selection: list buckets, or (custom origins without a manifest) send wildcards. */
export type SelectionTargets =
  | { readonly kind: 'listing'; readonly targets: readonly ListingTarget[] }
  | { readonly kind: 'wildcards'; readonly items: readonly string[]; readonly note: string };

function typePathPrefixes(sel: Selection, routing: Routing, type: ContentTypeName): string[] {
  if (sel.prefix?.startsWith('/')) return [sel.prefix];
  return routing.prefixesOf(type).map((p) => p + (sel.prefix ?? ''));
}

/**
 * Which listings a selection needs (or, for a content type on a custom origin without a manifest,
 * the wildcards that are exactly "everything under its folders").
 * @throws InputError when the selection cannot be resolved (pattern on a custom origin, prefix without a type).
 */
export function selectionTargets(sel: Selection, routing: Routing, s3Origins: readonly string[], hasManifest: boolean): SelectionTargets {
  if (sel.prefix !== undefined && sel.contentType === undefined) {
    throw new InputError(`--prefix ${showValue(sel.prefix)} needs --content-type (it is relative to the content type's folders); or use --pattern '${sel.prefix.replace(/^\//, '')}**'.`);
  }
  if (sel.contentType !== undefined) {
    const type = sel.contentType;
    const origin = routing.originOfType(type);
    const prefixes = typePathPrefixes(sel, routing, type);
    if (!isS3Origin(origin)) {
      if (hasManifest) return { kind: 'listing', targets: [] };
      if (sel.pattern || sel.changedSince) {
        throw new InputError(`content type '${type}' is served by the custom origin '${origin}', which cannot be listed; give --manifest <file> with its objects to use --pattern or --changed-since.`);
      }
      return {
        kind: 'wildcards',
        items: prefixes.map((p) => `${p}*`),
        note: `content type '${type}' is served by the custom origin '${origin}', which cannot be listed: its folders are invalidated with wildcards (${prefixes.map((p) => `${p}*`).join(', ')}).`,
      };
    }
    // The default behaviour also serves the static type: without a prefix, list the whole bucket.
    const whole = sel.prefix === undefined && routing.defaultType === type;
    const keyPrefixes = whole ? [''] : prefixes.map((p) => p.slice(1));
    return { kind: 'listing', targets: keyPrefixes.map((keyPrefix) => ({ origin, keyPrefix: sel.pattern && sel.pattern.prefix.startsWith(keyPrefix) ? sel.pattern.prefix : keyPrefix })) };
  }
  if (sel.pattern) {
    const path = `/${sel.pattern.prefix}`;
    const owner = s3Origins.find((o) => routing.wholePrefixesOf(o).some((w) => path.startsWith(w)));
    return { kind: 'listing', targets: (owner ? [owner] : s3Origins).map((origin) => ({ origin, keyPrefix: sel.pattern!.prefix })) };
  }
  return { kind: 'listing', targets: [] };
}

/** Objects selected from a listing, and the inventory the planner counts over-invalidation against. */
export interface Selected {
  readonly items: string[];
  readonly inventory: string[];
  readonly warnings: string[];
}

/**
 * Filters the listed objects of one origin by the selection. Objects the distribution would not
 * serve from this origin (its behaviours route the path elsewhere) are left out of both the items
 * and the inventory.
 */
export function selectFromListing(entries: Iterable<ObjectEntry>, sel: Selection, routing: Routing, origin: string): Selected {
  const items: string[] = [];
  const inventory: string[] = [];
  const warnings: string[] = [];
  const absolute = sel.prefix?.startsWith('/') ? sel.prefix : undefined;
  const relative = sel.contentType && sel.prefix !== undefined && !absolute ? typePathPrefixes(sel, routing, sel.contentType) : undefined;
  for (const e of entries) {
    const kp = keyToPath(e.key);
    const rawPath = e.key.startsWith('/') ? e.key : `/${e.key}`;
    if (routing.originOf(rawPath) !== origin) continue;
    inventory.push(kp.path);
    if (sel.contentType && routing.typeOf(rawPath) !== sel.contentType) continue;
    if (absolute && !rawPath.startsWith(absolute)) continue;
    if (relative && !relative.some((p) => rawPath.startsWith(p))) continue;
    if (sel.pattern && !sel.pattern.matches(e.key)) continue;
    if (sel.changedSince && (e.lastModified === undefined || e.lastModified.getTime() < sel.changedSince.getTime())) continue;
    if (kp.warning) warnings.push(kp.warning);
    items.push(kp.path);
  }
  return { items, inventory, warnings };
}

/**
 * Path prefixes where a listing of `origin` under `keyPrefix` is the complete set of objects the
 * distribution serves: the listing's prefix inside one of the origin's whole folders, or the whole
 * folders inside the listing's prefix.
 */
export function listingCompletePrefixes(routing: Routing, origin: string, keyPrefix: string): string[] {
  const listed = `/${keyPrefix}`;
  const out = routing.wholePrefixesOf(origin).flatMap((w) => (listed.startsWith(w) ? [listed] : w.startsWith(listed) ? [w] : []));
  return [...new Set(out)];
}

/**
 * The folders worth listing to collapse explicit paths: per S3 origin, the distinct parent folders
 * holding at least two of the paths (a wildcard must replace two paths to pay off), inside the
 * origin's whole folders, outermost only. Keys are returned as ListObjectsV2 prefixes.
 */
export function foldersToList(paths: readonly string[], routing: Routing): ListingTarget[] {
  const counts = new Map<string, { origin: string; n: number }>();
  for (const p of paths) {
    if (p.startsWith('#') || p.endsWith('*')) continue;
    const obj = p.split('?')[0]!;
    const origin = routing.originOf(obj);
    if (!isS3Origin(origin)) continue;
    const dir = obj.slice(0, obj.lastIndexOf('/') + 1);
    if (!routing.wholePrefixesOf(origin).some((w) => dir.startsWith(w))) continue;
    const c = counts.get(dir);
    if (c) c.n++;
    else counts.set(dir, { origin, n: 1 });
  }
  const dirs = [...counts.entries()].filter(([, c]) => c.n >= 2).map(([d]) => d).sort();
  const out: ListingTarget[] = [];
  let last: string | undefined;
  for (const d of dirs) {
    if (last !== undefined && d.startsWith(last)) continue;
    out.push({ origin: counts.get(d)!.origin, keyPrefix: pathToKey(d) });
    last = d;
  }
  return out;
}

/** A manifest: every object of some folders, with optional modification times. */
export interface Manifest {
  readonly objects: readonly ObjectEntry[];
  /** Path prefixes the manifest lists completely. */
  readonly complete: readonly string[];
}

/**
 * Parses a manifest file: either text, one object key or path per line, or JSON
 * `{ "objects": ["/a", { "key": "/b", "lastModified": "2025-01-01T00:00:00Z" }], "complete": ["/metadata/"] }`
 * (a bare JSON array is accepted too). Without `complete`, the manifest is taken to list every
 * object of the top-level folders it mentions.
 * @throws InputError naming the file, the entry and the fix.
 */
export function parseManifest(text: string, file: string): Manifest {
  const trimmed = text.trim();
  let objects: ObjectEntry[] = [];
  let complete: string[] | undefined;
  const problems: string[] = [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError(`manifest ${file} is not valid JSON (${(e as Error).message}); write one key per line or {"objects": [...]}.`);
    }
    const list = Array.isArray(raw) ? raw : (raw as { objects?: unknown }).objects;
    if (!Array.isArray(list)) throw new InputError(`manifest ${file} must hold {"objects": [...]} or a JSON array of keys, got ${showValue(raw)}.`);
    list.forEach((o, i) => {
      if (typeof o === 'string') objects.push({ key: o });
      else if (o && typeof o === 'object' && typeof (o as { key?: unknown }).key === 'string') {
        const lm = (o as { lastModified?: unknown }).lastModified;
        const d = lm === undefined ? undefined : new Date(String(lm));
        if (d && Number.isNaN(d.getTime())) problems.push(`manifest ${file} objects[${i}].lastModified ${showValue(lm)} is not a date; use ISO 8601 such as '2025-01-01T00:00:00Z'.`);
        objects.push(d && !Number.isNaN(d.getTime()) ? { key: (o as { key: string }).key, lastModified: d } : { key: (o as { key: string }).key });
      } else problems.push(`manifest ${file} objects[${i}] is ${showValue(o)}; give a key string or {"key": "...", "lastModified": "..."}.`);
    });
    const c = Array.isArray(raw) ? undefined : (raw as { complete?: unknown }).complete;
    if (c !== undefined) {
      if (!Array.isArray(c) || c.some((x) => typeof x !== 'string' || !x.startsWith('/'))) problems.push(`manifest ${file} "complete" must be a list of path prefixes starting with '/', got ${showValue(c)}.`);
      else complete = c as string[];
    }
  } else {
    objects = trimmed === '' ? [] : trimmed.split('\n').map((l) => l.trim()).filter((l) => l !== '').map((key) => ({ key }));
  }
  if (text.includes('\u0000') || text.includes('\ufffd')) throw new InputError(`manifest ${file} is not text (it holds NUL or undecodable bytes); give the release's object keys, one per line, or {"objects": [...]}.`);
  const bad = objects.map((o) => ({ key: o.key, problem: objectKeyProblem(o.key.replace(/^\//, '')) })).filter((b) => b.problem !== undefined);
  for (const b of bad.slice(0, 5)) problems.push(`manifest ${file}: key ${JSON.stringify(b.key)} ${b.problem}; list the bucket's object keys (video/123/master.m3u8).`);
  if (bad.length > 5) problems.push(`manifest ${file}: ${bad.length - 5} more keys are not valid object keys.`);
  if (problems.length > 0) throw new InputError(problems);
  if (complete === undefined) {
    const tops = new Set<string>();
    for (const o of objects) {
      const p = o.key.startsWith('/') ? o.key : `/${o.key}`;
      const slash = p.indexOf('/', 1);
      if (slash > 0) tops.add(p.slice(0, slash + 1));
    }
    complete = [...tops].sort();
  }
  return { objects, complete };
}
