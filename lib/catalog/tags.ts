/**
 * Cache tags (spec §8.2): how an object's tags derive from its key and metadata. The origin returns
 * them, comma-separated, in the distribution's cache-tag header; one `#tag` invalidation item then
 * removes every cached object that carries the tag.
 *
 * Every object gets `type:<content type>`; each content type declares further rules in the catalog
 * (`ContentTypeSpec.tagRules`, lib/catalog/content-types.ts): objects of one video (its manifests,
 * segments, thumbnails, previews and metadata document) get `video:<id>`; objects whose metadata
 * names a release get `release:<id>`.
 */
import { InputError } from '../errors';
import { selectBehavior } from '../semantics/path-pattern';
import { MAX_TAGS_PER_OBJECT, validateInvalidationPath } from '../semantics/invalidation';
import { CONTENT_TYPES } from './content-types';
import type { Catalog } from './resolve';
import type { ContentTypeName, TagRule } from './types';

/** The built-in catalog's tag rules per content type (each type's `tagRules`). */
export const TAG_RULES: Readonly<Record<ContentTypeName, readonly TagRule[]>> = Object.fromEntries(
  CONTENT_TYPES.map((t) => [t.name, t.tagRules]),
) as Record<ContentTypeName, readonly TagRule[]>;

/** Object metadata key (S3 user metadata `x-amz-meta-release`) naming the release an object belongs to. */
export const RELEASE_METADATA_KEY = 'release';

/** Default name of the cache-tag header: S3 returns user metadata `cache-tags` as this header. */
export const DEFAULT_CACHE_TAG_HEADER = 'x-amz-meta-cache-tags';

/** S3 returns user metadata `<key>` as the response header `x-amz-meta-<key>`. */
const S3_METADATA_HEADER_PREFIX = 'x-amz-meta-';

/**
 * The S3 user-metadata key an object must carry for S3 to send the cache-tag header `headerName`
 * (`x-amz-meta-cache-tags` → `cache-tags`). The one place that maps the header to the key.
 * @throws InputError when the header is not an `x-amz-meta-*` header (S3 origins cannot send it) or is empty (tags off).
 */
export function cacheTagMetadataKey(headerName: string): string {
  const h = headerName.toLowerCase();
  if (h === '') {
    throw new InputError(`cache tags are off (media-cdn:cacheTagHeader is ''); set it to '${DEFAULT_CACHE_TAG_HEADER}' to tag objects.`);
  }
  if (!h.startsWith(S3_METADATA_HEADER_PREFIX) || h.length === S3_METADATA_HEADER_PREFIX.length) {
    throw new InputError(
      `cache-tag header '${headerName}' is not an S3 user-metadata header, so the S3 origins cannot send it; use '${S3_METADATA_HEADER_PREFIX}<key>' such as '${DEFAULT_CACHE_TAG_HEADER}'.`,
    );
  }
  return h.slice(S3_METADATA_HEADER_PREFIX.length);
}

interface CompiledRule {
  readonly re: RegExp;
  readonly names: readonly string[];
  readonly rule: TagRule;
}

const compiledRules = new WeakMap<TagRule, CompiledRule>();

function escapeRe(s: string): string {
  return s.replace(/[.+?^$()[\]\\|{}]/g, '\\$&');
}

function compile(rule: TagRule): CompiledRule {
  let c = compiledRules.get(rule);
  if (c) return c;
  const names: string[] = [];
  let source = '';
  for (const part of rule.path.split(/(\{[a-z]+\}|\*)/)) {
    if (part === '*') source += '.*';
    else if (/^\{[a-z]+\}$/.test(part)) {
      names.push(part.slice(1, -1));
      source += '([^/]+)';
    } else source += escapeRe(part);
  }
  c = { re: new RegExp(`^${source}$`), names, rule };
  compiledRules.set(rule, c);
  return c;
}

/**
 * Problems of a catalog's tag rules: placeholders a tag uses but the path does not capture, and tag
 * templates that could never make a valid tag (a comma, a space). Empty when the rules are sound.
 */
export function validateTagRules(catalog: Pick<Catalog, 'types'>): string[] {
  const problems: string[] = [];
  for (const t of catalog.types) {
    for (const rule of t.tagRules) {
      const { names } = compile(rule);
      if (!rule.path.startsWith('/')) problems.push(`tag rule '${rule.path}' of ${t.name} must start with '/'.`);
      for (const template of rule.tags) {
        for (const m of template.matchAll(/\{([a-z]+)\}/g)) {
          if (!names.includes(m[1]!)) problems.push(`tag template '${template}' of ${t.name} uses {${m[1]}}, which its path '${rule.path}' does not capture.`);
        }
        const literal = template.replace(/\{[a-z]+\}/g, 'x');
        problems.push(...validateInvalidationPath(`#${literal}`).map((p) => `tag template '${template}' of ${t.name}: ${p}`));
      }
    }
  }
  return problems;
}

/** The content type that serves a path (the default behavior's for paths no pattern matches). */
export function contentTypeOfPath(catalog: Catalog, path: string): ContentTypeName {
  return (selectBehavior(catalog.behaviors, path)?.route ?? catalog.defaultRoute).contentType;
}

/** Checks tags against CloudFront's rules (ASCII 33–126, no commas, ≤ 256 characters, ≤ 50 an object). */
export function validateTags(tags: readonly string[], objectKey: string): string[] {
  const problems: string[] = [];
  if (tags.length > MAX_TAGS_PER_OBJECT) {
    problems.push(`object '${objectKey}' has ${tags.length} cache tags; CloudFront keeps only ${MAX_TAGS_PER_OBJECT} (spec §8.2), so drop some.`);
  }
  for (const t of tags) {
    problems.push(...validateInvalidationPath(`#${t}`).map((m) => `object '${objectKey}': ${m}`));
  }
  return problems;
}

/** The tags the type's first matching rule gives a path (without `type:`), or none. */
function ruleTags(catalog: Catalog, type: ContentTypeName, path: string): string[] {
  for (const rule of catalog.type(type).tagRules) {
    const c = compile(rule);
    const m = c.re.exec(path);
    if (!m) continue;
    return rule.tags.map((template) => template.replace(/\{([a-z]+)\}/g, (_, name: string) => m[c.names.indexOf(name) + 1] ?? ''));
  }
  return [];
}

/**
 * The cache tags of an object, from its key (with or without the leading '/') and its metadata.
 * @throws InputError when a derived tag breaks CloudFront's tag rules (e.g. a release id with a comma).
 */
export function deriveObjectTags(catalog: Catalog, objectKey: string, metadata: Readonly<Record<string, string>> = {}): string[] {
  const path = objectKey.startsWith('/') ? objectKey : `/${objectKey}`;
  const type = contentTypeOfPath(catalog, path);
  const tags = [`type:${type}`, ...ruleTags(catalog, type, path)];
  const release = metadata[RELEASE_METADATA_KEY];
  if (release !== undefined && release !== '') tags.push(`release:${release}`);
  const problems = validateTags(tags, objectKey);
  if (problems.length > 0) throw new InputError(problems);
  return tags;
}

/** Where objects carrying a tag can be: path prefixes (`/video/123/`) and exact paths (`/metadata/videos/123.json`). */
export interface TagScope {
  readonly tag: string;
  readonly prefixes: readonly string[];
  readonly paths: readonly string[];
}

/**
 * The inverse of the catalog's tag rules: every place an object carrying `tag` can live, or
 * undefined for tags no rule bounds (`type:…` covers whole behaviors, `release:…` comes from
 * metadata, anything else is unknown). Literal parts of templates compare case-insensitively, as
 * CloudFront compares tags (spec §8.2); captured ids keep their case.
 */
export function tagScope(catalog: Catalog, tag: string): TagScope | undefined {
  const prefixes = new Set<string>();
  const paths = new Set<string>();
  for (const t of catalog.types) {
    for (const rule of t.tagRules) {
      for (const template of rule.tags) {
        const names: string[] = [];
        const source = template.split(/(\{[a-z]+\})/).map((part) => {
          if (/^\{[a-z]+\}$/.test(part)) {
            names.push(part.slice(1, -1));
            return '([^/,]+)';
          }
          return escapeRe(part);
        }).join('');
        const m = new RegExp(`^${source}$`, 'i').exec(tag);
        if (!m) continue;
        const value = (name: string) => m[names.indexOf(name) + 1];
        // The rule's path with the captured ids filled in, cut at the first part left open.
        let out = '';
        let open = false;
        for (const part of rule.path.split(/(\{[a-z]+\}|\*)/)) {
          if (part === '*') { open = true; break; }
          if (/^\{[a-z]+\}$/.test(part)) {
            const v = value(part.slice(1, -1));
            if (v === undefined) { open = true; break; }
            out += v;
          } else out += part;
        }
        (open ? prefixes : paths).add(out);
      }
    }
  }
  if (prefixes.size === 0 && paths.size === 0) return undefined;
  return { tag, prefixes: [...prefixes].sort(), paths: [...paths].sort() };
}

/** The header value an origin sends: tags joined by commas. */
export function formatTagHeader(tags: readonly string[]): string {
  return tags.join(',');
}

/** Tags from a header value (comma-separated, blanks dropped, at most 50 kept as CloudFront does). */
export function parseTagHeader(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((t) => t.trim()).filter((t) => t !== '').slice(0, MAX_TAGS_PER_OBJECT);
}
