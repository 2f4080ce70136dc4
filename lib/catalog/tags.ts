/**
 * Cache tags (spec §8.2): how an object's tags derive from its key and metadata. The origin returns
 * them, comma-separated, in the distribution's cache-tag header; one `#tag` invalidation item then
 * removes every cached object that carries the tag.
 *
 * Every object gets `type:<content type>`; objects of one video (its manifests, segments, thumbnails,
 * previews and metadata document) get `video:<id>`; objects whose metadata names a release get
 * `release:<id>`.
 */
import { InputError } from '../errors';
import { selectBehavior } from '../semantics/path-pattern';
import { MAX_TAGS_PER_OBJECT, validateInvalidationPath } from '../semantics/invalidation';
import type { Catalog } from './resolve';
import type { ContentTypeName } from './types';

/**
 * A path template: `{name}` captures one path segment (no '/'), `*` matches anything; the whole path
 * must match. `tags` are templates filled from the captures.
 */
export interface TagRule {
  readonly path: string;
  readonly tags: readonly string[];
}

/** Tag rules per content type; the first rule of the type whose path matches applies. */
export const TAG_RULES: Readonly<Record<ContentTypeName, readonly TagRule[]>> = {
  video: [
    { path: '/video/premium/{video}/*', tags: ['video:{video}'] },
    { path: '/video/{video}/*', tags: ['video:{video}'] },
  ],
  thumbnails: [
    { path: '/thumbnails/{video}/*', tags: ['video:{video}'] },
    { path: '/previews/{video}/*', tags: ['video:{video}'] },
  ],
  metadata: [
    { path: '/metadata/videos/{video}.json', tags: ['video:{video}'] },
    { path: '/metadata/playlists/{playlist}.json', tags: ['playlist:{playlist}'] },
  ],
  static: [],
  api: [],
};

/** Object metadata key (S3 user metadata `x-amz-meta-release`) naming the release an object belongs to. */
export const RELEASE_METADATA_KEY = 'release';

/** Default name of the cache-tag header: S3 returns user metadata `cache-tags` as this header. */
export const DEFAULT_CACHE_TAG_HEADER = 'x-amz-meta-cache-tags';

interface CompiledRule {
  readonly re: RegExp;
  readonly names: readonly string[];
  readonly tags: readonly string[];
}

function compile(rule: TagRule): CompiledRule {
  const names: string[] = [];
  let source = '';
  for (const part of rule.path.split(/(\{[a-z]+\}|\*)/)) {
    if (part === '*') source += '.*';
    else if (/^\{[a-z]+\}$/.test(part)) {
      names.push(part.slice(1, -1));
      source += '([^/]+)';
    } else source += part.replace(/[.+?^$()[\]\\|]/g, '\\$&');
  }
  return { re: new RegExp(`^${source}$`), names, tags: rule.tags };
}

const COMPILED: Readonly<Record<string, readonly CompiledRule[]>> = Object.fromEntries(
  Object.entries(TAG_RULES).map(([type, rules]) => [type, rules.map(compile)]),
);

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

/**
 * The cache tags of an object, from its key (with or without the leading '/') and its metadata.
 * @throws InputError when a derived tag breaks CloudFront's tag rules (e.g. a release id with a comma).
 */
export function deriveObjectTags(catalog: Catalog, objectKey: string, metadata: Readonly<Record<string, string>> = {}): string[] {
  const path = objectKey.startsWith('/') ? objectKey : `/${objectKey}`;
  const type = contentTypeOfPath(catalog, path);
  const tags = [`type:${type}`];
  for (const rule of COMPILED[type] ?? []) {
    const m = rule.re.exec(path);
    if (!m) continue;
    for (const template of rule.tags) {
      tags.push(template.replace(/\{([a-z]+)\}/g, (_, name: string) => m[rule.names.indexOf(name) + 1] ?? ''));
    }
    break;
  }
  const release = metadata[RELEASE_METADATA_KEY];
  if (release !== undefined && release !== '') tags.push(`release:${release}`);
  const problems = validateTags(tags, objectKey);
  if (problems.length > 0) throw new InputError(problems);
  return tags;
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
