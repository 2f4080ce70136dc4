/**
 * What an object's cache-tag metadata should be, and whether it is: the pure core of tagging at the
 * origin (`npm run tag`, the upload helper, the seeded local origins, the audit). The rules
 * themselves are the catalog's (lib/catalog/tags.ts); this module applies them to S3 user metadata,
 * which S3 returns as the `x-amz-meta-<key>` header CloudFront reads (spec §8.2).
 */
import { cacheTagMetadataKey, deriveObjectTags, formatTagHeader, parseTagHeader, type Catalog } from '../catalog';

/** The catalog and the header (and so the user-metadata key) objects are tagged for. */
export interface TagSettings {
  readonly catalog: Catalog;
  /** The distribution's `CacheTagConfig.HeaderName`, e.g. `x-amz-meta-cache-tags`. */
  readonly headerName: string;
  /** The S3 user-metadata key S3 sends as that header, e.g. `cache-tags`. */
  readonly metadataKey: string;
}

/**
 * Settings for a header. @throws InputError when the header cannot come from S3 user metadata (see
 * lib/catalog `cacheTagMetadataKey`).
 */
export function tagSettings(catalog: Catalog, headerName: string): TagSettings {
  return { catalog, headerName: headerName.toLowerCase(), metadataKey: cacheTagMetadataKey(headerName) };
}

/** S3 lower-cases user-metadata keys; so does this module, so that lookups agree. */
function lowerKeys(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * The user metadata an object should carry: its own metadata (kept as it is) with the cache-tag key
 * set to the tags the catalog derives from its key and metadata (`release`).
 * @throws InputError when a derived tag breaks CloudFront's rules (lib/catalog `deriveObjectTags`).
 */
export function taggedMetadata(s: TagSettings, key: string, metadata: Readonly<Record<string, string>> = {}): { metadata: Record<string, string>; tags: string[] } {
  const own = lowerKeys(metadata);
  const tags = deriveObjectTags(s.catalog, key, own);
  return { metadata: { ...own, [s.metadataKey]: formatTagHeader(tags) }, tags };
}

/** How an object's tags compare with what the catalog derives. */
export type TagState = 'current' | 'missing' | 'stale';

export interface ObjectTagStatus {
  readonly key: string;
  readonly state: TagState;
  /** Tags the catalog derives. */
  readonly want: readonly string[];
  /** Tags the object carries (parsed from its metadata). */
  readonly have: readonly string[];
}

/** Same tags in any order (CloudFront reads a set, spec §8.2). */
function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((t, i) => t === y[i]);
}

/**
 * Compares an object's cache-tag metadata with the catalog's tags for it: `missing` when it has none,
 * `stale` when they differ (renamed rules, a new release, a hand-written value), `current` otherwise.
 * @throws InputError when the derived tags break CloudFront's rules.
 */
export function objectTagStatus(s: TagSettings, key: string, metadata: Readonly<Record<string, string>> = {}): ObjectTagStatus {
  const own = lowerKeys(metadata);
  const want = deriveObjectTags(s.catalog, key, own);
  const raw = own[s.metadataKey];
  const have = parseTagHeader(raw);
  const state: TagState = raw === undefined || have.length === 0 ? 'missing' : sameTags(want, have) ? 'current' : 'stale';
  return { key, state, want, have };
}

/**
 * The tags a cached copy of the object carries when CloudFront fetched it with this metadata: the
 * header value split at commas, at most 50, compared case-insensitively (spec §8.2).
 */
export function tagsFromMetadata(s: Pick<TagSettings, 'metadataKey'>, metadata: Readonly<Record<string, string>> | undefined): string[] {
  if (!metadata) return [];
  return parseTagHeader(lowerKeys(metadata)[s.metadataKey]);
}
