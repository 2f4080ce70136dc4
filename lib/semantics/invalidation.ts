/**
 * Invalidation items: validation, matching against cached entries, limits and cost (spec §8).
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/invalidation-specifying-objects.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/invalidation-specifying-tags.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PayingForInvalidation.html
 */
import { showValue } from './format';

/**
 * Invalidation quotas (spec §8.4; the free paths and the price per path are lib/semantics/pricing
 * `FREE_TIER` and `OTHER_PRICES`). `maxInProgressPaths`/`maxInProgressWildcards`
 * are the per-distribution in-progress quotas [doc]; the per-second rates are the 2026 third-party
 * reading of the quota [3p] — implement both as configurable limiters.
 */
export const INVALIDATION_LIMITS = Object.freeze({
  /** Non-wildcard paths in progress per distribution. */
  maxInProgressPaths: 3000,
  /** Wildcard paths in progress per distribution. */
  maxInProgressWildcards: 15,
  /** Maximum path length, characters. */
  maxPathLength: 4000,
  /** Paths-or-tags per second per account [3p]. */
  ratePathsPerSecond: 150,
  /** Wildcard invalidations per second per account [3p]. */
  rateWildcardsPerSecond: 1,
} as const);

/** Maximum length of a cache tag, characters (spec §8.2). */
export const MAX_TAG_LENGTH = 256;
/** Maximum number of tags kept per object; extras are ignored (spec §8.2). */
export const MAX_TAGS_PER_OBJECT = 50;

/** True for a tag-invalidation item (`#tag`, spec §8.2). */
export function isTagItem(p: string): boolean {
  return p.charCodeAt(0) === 35; // '#'
}

/** True for a path whose last character is `*` — a prefix wildcard (spec §8.1). Tag items are never wildcards. */
export function isWildcardPath(p: string): boolean {
  return !isTagItem(p) && p.length > 0 && p.charCodeAt(p.length - 1) === 42;
}

/** RFC 1738 "unsafe" printable ASCII characters that must be percent-encoded (`~` is rejected separately, `%` starts escapes). */
const UNSAFE_ASCII = new Set([' ', '<', '>', '"', '#', '{', '}', '|', '\\', '^', '[', ']', '`']);

/**
 * Characters that never need encoding (RFC 1738 alphanumerics, "safe" and "extra"); a `%XX`
 * escape of one of them is over-encoded and will not match (spec §8.1). Reserved characters
 * (`; / ? : @ = &`) may legitimately be encoded: `%3F` is a literal `?` in a file name.
 */
const NEEDS_NO_ENCODING = (() => {
  const t = new Array<boolean>(128).fill(false);
  for (let c = 48; c <= 57; c++) t[c] = true;
  for (let c = 65; c <= 90; c++) t[c] = true;
  for (let c = 97; c <= 122; c++) t[c] = true;
  for (const ch of "$-_.+!*'(),") t[ch.charCodeAt(0)] = true;
  return t;
})();

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Percent-encodes the characters an invalidation path must encode — non-ASCII (as UTF-8), control
 * characters, RFC 1738 unsafe characters and a `%` that does not start a valid escape — and nothing
 * else (spec §8.1). Used to suggest fixes; `~` cannot be fixed this way (it is not supported).
 */
export function encodeInvalidationPath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    const c = path.charCodeAt(i);
    if (c === 37) {
      const ok = i + 2 < path.length && isHex(path.charCodeAt(i + 1)) && isHex(path.charCodeAt(i + 2));
      out += ok ? '%' : '%25';
      continue;
    }
    if (c < 32 || c === 127 || UNSAFE_ASCII.has(ch)) {
      out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
      continue;
    }
    if (c > 127) {
      const cp = path.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      if (cp > 0xffff) i++;
      out += encodeURIComponent(s);
      continue;
    }
    out += ch;
  }
  return out;
}

/** Result of {@link checkInvalidationPath}. spec §8.1, §8.2 */
export interface InvalidationPathCheck {
  /** Problems that make CloudFront reject the batch (InvalidArgument) or the path never match. */
  errors: string[];
  /** Legal but probably unintended (e.g. a `*` that is not last, matched literally). */
  warnings: string[];
}

function checkTag(item: string): InvalidationPathCheck {
  const errors: string[] = [];
  const tag = item.slice(1);
  const shown = showValue(item);
  if (tag.length === 0) {
    errors.push(`Invalidation tag item ${shown} has no tag after '#'; write '#<tag>', e.g. '#product:tv'.`);
    return { errors, warnings: [] };
  }
  if (tag.length > MAX_TAG_LENGTH) {
    errors.push(`Invalidation tag item ${shown} has a ${tag.length}-character tag; shorten the tag to at most ${MAX_TAG_LENGTH} characters.`);
  }
  const bad = new Set<string>();
  for (const ch of tag) {
    const c = ch.codePointAt(0)!;
    if (c < 33 || c > 126) bad.add(ch);
  }
  if (bad.size > 0) {
    errors.push(
      `Invalidation tag item ${shown} contains characters outside printable ASCII 33-126 (${[...bad].map((c) => JSON.stringify(c)).join(', ')}); remove them.`,
    );
  }
  if (tag.includes(',')) {
    errors.push(`Invalidation tag item ${shown} contains a comma; give each tag as its own '#' item.`);
  }
  if (tag.includes('*')) {
    errors.push(`Invalidation tag item ${shown} contains '*'; tags take no wildcards — list each tag exactly.`);
  }
  return { errors, warnings: [] };
}

/**
 * Checks one invalidation item (spec §8.1, §8.2). Paths: must start with `/`; at most 4,000
 * characters; no `~` raw or as `%7E`; non-ASCII, control and RFC 1738 unsafe characters (space
 * `<` `>` `"` `#` `{` `}` `|` `\` `^` `[` `]` `` ` ``) must be percent-encoded; a `%` must start a
 * valid `%XX`; escapes of characters that need no encoding (`%41`) are over-encoded and never
 * match. A `*` that is not the last character is legal but literal, so it is a warning. Tag items
 * (`#tag`): ASCII 33–126, no commas, at most 256 characters, no wildcards. Every message names the
 * item and the fix.
 */
export function checkInvalidationPath(item: string): InvalidationPathCheck {
  if (typeof item !== 'string') {
    return { errors: [`Invalidation path ${showValue(item)} is not a string; give a path such as '/images/logo.png'.`], warnings: [] };
  }
  if (item.length === 0) {
    return { errors: [`Invalidation path '' is empty; give a path starting with '/', e.g. '/index.html'.`], warnings: [] };
  }
  if (isTagItem(item)) return checkTag(item);

  const errors: string[] = [];
  const warnings: string[] = [];
  const shown = showValue(item);
  if (item.charCodeAt(0) !== 47) {
    errors.push(`Invalidation path ${shown} must start with '/'; use '/${item}'.`);
  }
  if (item.length > INVALIDATION_LIMITS.maxPathLength) {
    errors.push(
      `Invalidation path ${shown} is ${item.length} characters long; the maximum is ${INVALIDATION_LIMITS.maxPathLength} — invalidate a shorter prefix with a trailing '*'.`,
    );
  }
  let tilde = false;
  const unsafe = new Set<string>();
  let nonAscii = false;
  const badPercent: string[] = [];
  const overEncoded: string[] = [];
  for (let i = 0; i < item.length; i++) {
    const c = item.charCodeAt(i);
    const ch = item[i]!;
    if (c === 126) {
      tilde = true;
    } else if (c === 37) {
      const h1 = item.charCodeAt(i + 1);
      const h2 = item.charCodeAt(i + 2);
      if (i + 2 < item.length && isHex(h1) && isHex(h2)) {
        const byte = parseInt(item.slice(i + 1, i + 3), 16);
        if (byte === 126) tilde = true;
        else if (byte < 128 && NEEDS_NO_ENCODING[byte]) overEncoded.push(item.slice(i, i + 3));
        i += 2;
      } else {
        badPercent.push(item.slice(i, i + 3));
      }
    } else if (c > 127) {
      nonAscii = true;
    } else if (c < 32 || c === 127 || UNSAFE_ASCII.has(ch)) {
      unsafe.add(ch);
    }
  }
  const suggestion = tilde ? '' : ` e.g. ${showValue(encodeInvalidationPath(fixOverEncoding(item)))}`;
  if (tilde) {
    errors.push(`Invalidation path ${shown} contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead.`);
  }
  if (nonAscii) {
    errors.push(`Invalidation path ${shown} contains non-ASCII characters; percent-encode them as UTF-8,${suggestion}.`);
  }
  if (unsafe.size > 0) {
    const list = [...unsafe].map((c) => JSON.stringify(c)).join(', ');
    errors.push(`Invalidation path ${shown} contains characters that must be URL-encoded (${list}); percent-encode them,${suggestion}.`);
  }
  if (badPercent.length > 0) {
    errors.push(
      `Invalidation path ${shown} has '%' not followed by two hex digits (${badPercent.map((s) => `'${s}'`).join(', ')}); write a literal '%' as '%25'.`,
    );
  }
  if (overEncoded.length > 0) {
    const decoded = overEncoded.map((e) => `'${e}' → '${String.fromCharCode(parseInt(e.slice(1), 16))}'`).join(', ');
    errors.push(
      `Invalidation path ${shown} is over-encoded (${decoded}); those characters need no encoding and the path would not match — write them literally${suggestion}.`,
    );
  }
  const star = item.indexOf('*');
  if (star >= 0 && star < item.length - 1) {
    warnings.push(
      `Invalidation path ${shown} has '*' before the end; only a trailing '*' is a wildcard, so it matches a literal asterisk — move the '*' to the end for a prefix match.`,
    );
  }
  return { errors, warnings };
}

/** Replaces over-encoded escapes by their literal characters (for fix suggestions). */
function fixOverEncoding(item: string): string {
  let out = '';
  for (let i = 0; i < item.length; i++) {
    const c = item.charCodeAt(i);
    if (c === 37 && i + 2 < item.length && isHex(item.charCodeAt(i + 1)) && isHex(item.charCodeAt(i + 2))) {
      const byte = parseInt(item.slice(i + 1, i + 3), 16);
      if (byte < 128 && NEEDS_NO_ENCODING[byte]) {
        out += String.fromCharCode(byte);
        i += 2;
        continue;
      }
    }
    out += item[i];
  }
  return out;
}

/** The errors of {@link checkInvalidationPath} only (spec §8.1, §8.2); empty when valid. */
export function validateInvalidationPath(item: string): string[] {
  return checkInvalidationPath(item).errors;
}

/** A cached entry as invalidation sees it (spec §8.1). */
export interface InvalidationEntry {
  /** Path, plus `?` + query string only when query strings are part of the key. */
  readonly uri: string;
  /** Cache tags of the object (from the CacheTagConfig header), if any. */
  readonly tags?: readonly string[];
}

/**
 * The spec's emulator matching (spec §8.1, §8.2): a `#tag` item matches entries carrying that tag
 * (case-insensitive); an item ending in `*` is a prefix match on the entry's uri (path + query);
 * anything else must equal the uri exactly (case-sensitive; a `*` elsewhere is literal). One item
 * removes every key variant (headers, cookies, encodings) of a matching uri.
 */
export function invalidationMatches(item: string, entry: InvalidationEntry): boolean {
  if (isTagItem(item)) {
    const tags = entry.tags;
    if (tags === undefined || tags.length === 0) return false;
    const want = item.slice(1).toLowerCase();
    for (const t of tags) if (t.toLowerCase() === want) return true;
    return false;
  }
  if (isWildcardPath(item)) return entry.uri.startsWith(item.slice(0, -1));
  return entry.uri === item;
}

/** Counts of a batch by quota class (spec §8.4). Tag items count with plain paths [inferred]. */
export function classifyInvalidationItems(items: readonly string[]): { paths: number; wildcards: number; tags: number } {
  let paths = 0;
  let wildcards = 0;
  let tags = 0;
  for (const it of items) {
    if (isTagItem(it)) tags++;
    else if (isWildcardPath(it)) wildcards++;
    else paths++;
  }
  return { paths, wildcards, tags };
}
