/**
 * Invalidation request items: where they came from, their validation (every rule is
 * `checkInvalidationPath` of lib/semantics, spec §8.1–§8.2) and the mapping from S3 object keys to
 * the paths CloudFront caches them under.
 */
import { checkInvalidationPath, encodeInvalidationPath, isTagItem, isWildcardPath, showValue } from '../semantics';

/** An item as the user gave it, with where it came from for error messages. */
export interface SourcedItem {
  readonly item: string;
  /** e.g. "argument 2", "paths.txt line 14", "stdin line 3". */
  readonly source: string;
}

/** Result of {@link validateItems}: every problem, each naming the item, its source and the fix. */
export interface ItemsCheck {
  readonly items: string[];
  readonly problems: string[];
  readonly warnings: string[];
}

/**
 * Validates every item with the spec's rules (lib/semantics `checkInvalidationPath`) and prefixes
 * each message with its source, so a user can fix all of them in one go. Nothing may be sent when
 * `problems` is not empty (the caller throws an InputError).
 */
export function validateItems(items: readonly SourcedItem[]): ItemsCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const ok: string[] = [];
  for (const { item, source } of items) {
    const check = checkInvalidationPath(item);
    for (const e of check.errors) problems.push(`${source}: ${e}`);
    for (const w of check.warnings) warnings.push(`${source}: ${w}`);
    if (check.errors.length === 0) ok.push(item);
  }
  if (items.length === 0) problems.push('no invalidation paths were given; pass paths as arguments, with --paths-file <file>, on stdin (-), or select objects with --pattern or --content-type.');
  return { items: ok, problems, warnings };
}

/**
 * Splits a path list (a file or stdin) into sourced items: one item per line, surrounding
 * whitespace and `\r` removed, blank lines skipped. There are no comment lines: `#` starts a tag
 * item (spec §8.2).
 */
export function parseItemList(text: string, sourceName: string): SourcedItem[] {
  const out: SourcedItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const item = lines[i]!.trim();
    if (item !== '') out.push({ item, source: `${sourceName} line ${i + 1}` });
  }
  return out;
}

/**
 * Characters `encodeInvalidationPath` leaves as they are (RFC 1738 alphanumerics, safe, extra and
 * reserved characters); `%` and `~` are not among them, so keys with those take the full path.
 */
const NEEDS_NO_ENCODING = /^[A-Za-z0-9$\-_.+!*'(),;/?:@=&]*$/;

/** How an origin object key maps to the invalidation item that covers its cached copies. */
export interface KeyPath {
  /** The invalidation item: `/` + the key, percent-encoded where the spec requires (spec §8.1). */
  readonly path: string;
  /** Set when the key cannot be invalidated exactly and a prefix wildcard stands in for it. */
  readonly warning?: string;
}

/**
 * The invalidation path of an S3 object key. Keys map 1:1 to URL paths (the origins have no origin
 * path), so the path is `/` + the key with non-ASCII and unsafe characters percent-encoded
 * (lib/semantics `encodeInvalidationPath`). `~` cannot be invalidated (spec §8.1): such a key is
 * covered by a wildcard on the part before the first `~`, with a warning.
 */
export function keyToPath(key: string): KeyPath {
  const raw = key.startsWith('/') ? key : `/${key}`;
  // Most keys need no encoding: skip the character-by-character encoder (and its rope strings).
  if (NEEDS_NO_ENCODING.test(raw)) return { path: raw };
  const tilde = raw.indexOf('~');
  if (tilde < 0) return { path: encodeInvalidationPath(raw) };
  const path = `${encodeInvalidationPath(raw.slice(0, tilde))}*`;
  return {
    path,
    warning: `object key ${showValue(key)} contains '~', which CloudFront cannot invalidate (spec §8.1); ${showValue(path)} is invalidated instead.`,
  };
}

/** The object key a (non-wildcard) path names: the inverse of {@link keyToPath} for keys without `~`. */
export function pathToKey(path: string): string {
  const p = path.startsWith('/') ? path.slice(1) : path;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** Kind of an item for quotas and reports (spec §8.4). */
export type ItemKind = 'path' | 'wildcard' | 'tag';

export function itemKind(item: string): ItemKind {
  return isTagItem(item) ? 'tag' : isWildcardPath(item) ? 'wildcard' : 'path';
}

/** The path part of an item (before `?`), the object it names. */
export function objectOf(item: string): string {
  const q = item.indexOf('?');
  return q < 0 ? item : item.slice(0, q);
}
