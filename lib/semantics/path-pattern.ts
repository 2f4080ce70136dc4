/**
 * Cache-behaviour path patterns: matching, behaviour selection, shadowing analysis, validation and
 * ordering (spec §1).
 *
 * Pattern language (spec §1.2): `*` = zero or more characters including `/`; `?` = exactly one
 * character; no other metacharacters; case-sensitive; anchored at both ends; one leading `/` is
 * optional on both the pattern and the path. "Character" means one UTF-16 code unit, which is one
 * byte for the (percent-encoded, ASCII) paths CloudFront receives.
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html ,
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html
 */
import { CLOUDFRONT_LIMITS } from './limits';
import { showValue } from './format';

const STAR = 42; // '*'
const QMARK = 63; // '?'
const SLASH = 47; // '/'

/** The fixed pattern of the default cache behaviour, always evaluated last (spec §1.1, §1.2). */
export const DEFAULT_BEHAVIOR_PATTERN = '*';

/** A compiled path matcher: true when the (raw) request path matches. spec §1.2 */
export type PathMatcher = (path: string) => boolean;

/**
 * Strips one leading `/` from a pattern or a path (spec §1.2: "Normalise both pattern and request
 * path by stripping one leading `/` before comparing"). Only one slash is removed: `//a` ⇒ `/a`.
 */
export function normalizePattern(p: string): string {
  return p.charCodeAt(0) === SLASH ? p.slice(1) : p;
}

/** Offset of the first character after one optional leading '/'. */
function startOffset(s: string): number {
  return s.charCodeAt(0) === SLASH ? 1 : 0;
}

/**
 * Iterative glob matcher over `p[pStart..]` and `s[sStart..]` (no regex, no allocation). Classic
 * last-star backtracking: correct for the `*`/`?` language and O(|p|·|s|) in the worst case.
 */
function globMatchFrom(p: string, pStart: number, s: string, sStart: number): boolean {
  const pn = p.length;
  const sn = s.length;
  let pi = pStart;
  let si = sStart;
  let starP = -1;
  let starS = 0;
  while (si < sn) {
    if (pi < pn) {
      const c = p.charCodeAt(pi);
      if (c === STAR) {
        starP = pi++;
        starS = si;
        continue;
      }
      if (c === QMARK || c === s.charCodeAt(si)) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
      continue;
    }
    return false;
  }
  while (pi < pn && p.charCodeAt(pi) === STAR) pi++;
  return pi === pn;
}

/**
 * True when `path` matches the cache-behaviour `pattern` (spec §1.2): anchored at both ends, `*`
 * matches zero or more characters including `/`, `?` exactly one character, case-sensitive, one
 * optional leading `/` on both sides.
 *
 * The caller passes the URL path only; query strings never take part in behaviour selection. If
 * `path` nevertheless contains `?`, the whole string is treated as the path (nothing is split off):
 * splitting is the caller's job, and silently dropping text would hide a caller bug.
 *
 * The raw path is matched as received (no percent-decoding or dot-segment removal): whether
 * CloudFront normalises first is [unverified] (spec §1.2); see {@link decodedPathSelectsDifferently}.
 */
export function matchPathPattern(pattern: string, path: string): boolean {
  return globMatchFrom(pattern, startOffset(pattern), path, startOffset(path));
}

/**
 * Precompiles a pattern into a matcher with the same semantics as {@link matchPathPattern}
 * (spec §1.2). Patterns without `?` use string searches only (`prefix*`, `*suffix`,
 * `prefix*suffix`, `a*b*c` with leftmost-greedy middle segments); others use the glob matcher.
 */
export function compilePathPattern(pattern: string): PathMatcher {
  const p = normalizePattern(pattern);
  const hasQ = p.indexOf('?') >= 0;
  const firstStar = p.indexOf('*');
  if (firstStar < 0 && !hasQ) {
    return (path) => {
      const off = startOffset(path);
      return path.length - off === p.length && path.startsWith(p, off);
    };
  }
  if (hasQ) {
    return (path) => globMatchFrom(p, 0, path, startOffset(path));
  }
  const segments = p.split('*');
  const first = segments[0] ?? '';
  const last = segments[segments.length - 1] ?? '';
  const fixed = first.length + last.length;
  if (segments.length === 2) {
    if (last === '') {
      return (path) => path.startsWith(first, startOffset(path));
    }
    return (path) => {
      const off = startOffset(path);
      return path.length - off >= fixed && path.startsWith(first, off) && path.endsWith(last);
    };
  }
  const middle = segments.slice(1, -1).filter((s) => s !== '');
  return (path) => {
    const off = startOffset(path);
    if (path.length - off < fixed || !path.startsWith(first, off) || !path.endsWith(last)) return false;
    let pos = off + first.length;
    const end = path.length - last.length;
    for (const seg of middle) {
      const idx = path.indexOf(seg, pos);
      if (idx < 0 || idx + seg.length > end) return false;
      pos = idx + seg.length;
    }
    return true;
  };
}

const compiledCache = new Map<string, PathMatcher>();
const COMPILED_CACHE_MAX = 4096;

/** Cached {@link compilePathPattern}; the cache is bounded and cleared when full. spec §1.2 */
function cachedMatcher(pattern: string): PathMatcher {
  let m = compiledCache.get(pattern);
  if (m === undefined) {
    if (compiledCache.size >= COMPILED_CACHE_MAX) compiledCache.clear();
    m = compilePathPattern(pattern);
    compiledCache.set(pattern, m);
  }
  return m;
}

/**
 * Selects the cache behaviour for a path: the first behaviour in configured order whose pattern
 * matches wins (no "best match"); `undefined` means the default behaviour (spec §1.2). Compiled
 * matchers are cached per pattern string, so calling this in a loop does not recompile.
 */
export function selectBehavior<T extends { pathPattern: string }>(
  ordered: readonly T[],
  path: string,
): T | undefined {
  for (const b of ordered) {
    if (cachedMatcher(b.pathPattern)(path)) return b;
  }
  return undefined;
}

/**
 * Precompiles an ordered behaviour list into a selector with {@link selectBehavior} semantics
 * (spec §1.2). Use it in hot loops (simulator, local edge).
 */
export function compileBehaviorSelector<T extends { pathPattern: string }>(
  ordered: readonly T[],
): (path: string) => T | undefined {
  const matchers = ordered.map((b) => compilePathPattern(b.pathPattern));
  const items = ordered.slice();
  return (path) => {
    for (let i = 0; i < matchers.length; i++) {
      if (matchers[i]!(path)) return items[i];
    }
    return undefined;
  };
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;

/**
 * Percent-decodes a raw path and removes `//` runs and `.`/`..` segments, giving the form a
 * normalising proxy would match. Invalid escapes are left as they are. Used only to warn: whether
 * CloudFront normalises before matching is [unverified] (spec §1.2).
 */
export function normalizeDecodedPath(rawPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    decoded = rawPath.replace(PERCENT_ESCAPE, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
  const leading = decoded.startsWith('/');
  const out: string[] = [];
  const parts = decoded.split('/');
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i]!;
    const isLast = i === parts.length - 1;
    if (seg === '.' || (seg === '' && !isLast)) continue;
    if (seg === '..') {
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return (leading ? '/' : '') + out.join('/');
}

/**
 * True when the raw path and its decoded/normalised form ({@link normalizeDecodedPath}) select
 * different behaviours. spec §1.2 asks the emulator to match the raw path and log a warning in
 * this case [unverified whether CloudFront normalises].
 */
export function decodedPathSelectsDifferently<T extends { pathPattern: string }>(
  ordered: readonly T[],
  rawPath: string,
): boolean {
  const normalized = normalizeDecodedPath(rawPath);
  if (normalized === rawPath) return false;
  return selectBehavior(ordered, rawPath) !== selectBehavior(ordered, normalized);
}

/**
 * Canonical form of a pattern for language comparisons: leading `/` stripped, and every run of
 * wildcards that contains a `*` rewritten as its `?`s followed by one `*` (`*?*` ≡ `?*`), which
 * denotes the same set of paths (spec §1.2 pattern language).
 */
export function canonicalPattern(p: string): string {
  const s = normalizePattern(p);
  if (s.indexOf('*') < 0) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== STAR && c !== QMARK) {
      out += s[i];
      i++;
      continue;
    }
    let q = 0;
    let star = false;
    while (i < s.length) {
      const d = s.charCodeAt(i);
      if (d === QMARK) q++;
      else if (d === STAR) star = true;
      else break;
      i++;
    }
    out += '?'.repeat(q) + (star ? '*' : '');
  }
  return out;
}

/** DP inclusion check on canonical patterns: sound, fast, incomplete (see patternCovers). */
function coversByDp(g: string, s: string): boolean {
  const sn = s.length;
  let prev = new Uint8Array(sn + 1);
  let cur = new Uint8Array(sn + 1);
  prev[0] = 1;
  for (let i = 0; i < g.length; i++) {
    const gc = g.charCodeAt(i);
    if (gc === STAR) {
      cur[0] = prev[0]!;
      for (let j = 1; j <= sn; j++) cur[j] = prev[j]! | cur[j - 1]!;
    } else {
      cur[0] = 0;
      for (let j = 1; j <= sn; j++) {
        const sc = s.charCodeAt(j - 1);
        const ok = gc === QMARK ? sc !== STAR : sc === gc;
        cur[j] = ok ? prev[j - 1]! : 0;
      }
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[sn] === 1;
}

/** The "any other character" symbol of the reduced alphabet used by the exact inclusion search. */
const OTHER = -1;

/** Adds the positions reachable through `*` matching the empty string (in place). */
function globClosure(p: string, set: Uint8Array): void {
  for (let i = 0; i < p.length; i++) if (set[i] === 1 && p.charCodeAt(i) === STAR) set[i + 1] = 1;
}

/** NFA step of a glob pattern over one character code (`OTHER` = a character not in any pattern). */
function globStep(p: string, set: Uint8Array, c: number): Uint8Array | undefined {
  const next = new Uint8Array(p.length + 1);
  let any = false;
  for (let i = 0; i < p.length; i++) {
    if (set[i] !== 1) continue;
    const pc = p.charCodeAt(i);
    if (pc === STAR) {
      next[i] = 1;
      any = true;
    } else if (pc === QMARK || pc === c) {
      next[i + 1] = 1;
      any = true;
    }
  }
  if (!any) return undefined;
  globClosure(p, next);
  return next;
}

const MAX_INCLUSION_STATES = 20_000;

/**
 * True iff every path matched by `specific` is also matched by `general` (spec §1.2; used to find
 * behaviours that can never be selected because an earlier one covers them).
 *
 * Works on the canonical forms ({@link canonicalPattern}). First a dynamic program (a `*` of
 * `general` may absorb any run of tokens of `specific` — literals, `?` or `*`; a `?` matches one
 * literal or `?`; literals must be equal), which is sound and answers the common cases in
 * O(|general|·|specific|). When it says no, an exact search over the product of the two patterns'
 * automata decides, using the literal characters of both patterns plus one "other character" as
 * the alphabet (so `?*` is found to cover `*b`). The search is bounded (20,000 states); beyond that
 * the answer is `false`, never a wrong `true`.
 */
export function patternCovers(general: string, specific: string): boolean {
  const g = canonicalPattern(general);
  const s = canonicalPattern(specific);
  if (coversByDp(g, s)) return true;
  const alphabet = new Set<number>([OTHER]);
  for (const p of [g, s]) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c !== STAR && c !== QMARK) alphabet.add(c);
    }
  }
  const gStart = new Uint8Array(g.length + 1);
  gStart[0] = 1;
  globClosure(g, gStart);
  const sStart = new Uint8Array(s.length + 1);
  sStart[0] = 1;
  globClosure(s, sStart);
  const empty = new Uint8Array(g.length + 1);
  const key = (a: Uint8Array, b: Uint8Array): string => `${a.join('')}|${b.join('')}`;
  const seen = new Set<string>([key(sStart, gStart)]);
  const queue: [Uint8Array, Uint8Array][] = [[sStart, gStart]];
  for (let qi = 0; qi < queue.length; qi++) {
    const [ss, gs] = queue[qi]!;
    if (ss[s.length] === 1 && gs[g.length] !== 1) return false;
    for (const c of alphabet) {
      const ns = globStep(s, ss, c);
      if (ns === undefined) continue;
      const ng = globStep(g, gs, c) ?? empty;
      const k = key(ns, ng);
      if (seen.has(k)) continue;
      if (seen.size >= MAX_INCLUSION_STATES) return false;
      seen.add(k);
      queue.push([ns, ng]);
    }
  }
  return true;
}

/** A behaviour whose pattern can never be selected because an earlier one covers it. spec §1.2 */
export interface ShadowedPattern {
  /** Index of the shadowed pattern in the ordered list. */
  index: number;
  /** The shadowed pattern as configured. */
  pattern: string;
  /** The first earlier pattern that covers it. */
  shadowedBy: string;
  /** Index of {@link ShadowedPattern.shadowedBy}. */
  shadowedByIndex: number;
}

/**
 * Finds behaviours that can never be selected under first-match-wins (spec §1.2): pattern `j` is
 * shadowed when an earlier pattern `i < j` covers it ({@link patternCovers}). Duplicates (including
 * `/a` after `a`) are reported as shadowed too. Only single-pattern coverage is detected; a pattern
 * covered by the union of several earlier ones is not reported.
 */
export function findShadowedPatterns(orderedPatterns: readonly string[]): ShadowedPattern[] {
  const out: ShadowedPattern[] = [];
  for (let j = 1; j < orderedPatterns.length; j++) {
    const pj = orderedPatterns[j]!;
    for (let i = 0; i < j; i++) {
      const pi = orderedPatterns[i]!;
      if (patternCovers(pi, pj)) {
        out.push({ index: j, pattern: pj, shadowedBy: pi, shadowedByIndex: i });
        break;
      }
    }
  }
  return out;
}

/** A group of patterns that are equal after stripping one leading `/`. spec §1.2 */
export interface DuplicatePattern {
  /** The first occurrence as configured. */
  pattern: string;
  /** The normalised form shared by the group ({@link normalizePattern}). */
  normalized: string;
  /** Indexes of every occurrence, ascending (at least two). */
  indexes: number[];
}

/**
 * Groups patterns that are identical after normalisation (`/images/*` ≡ `images/*`, spec §1.2).
 * Returns one entry per duplicated pattern, in order of first occurrence.
 */
export function findDuplicatePatterns(patterns: readonly string[]): DuplicatePattern[] {
  const groups = new Map<string, DuplicatePattern>();
  patterns.forEach((p, i) => {
    const n = normalizePattern(p);
    const g = groups.get(n);
    if (g) g.indexes.push(i);
    else groups.set(n, { pattern: p, normalized: n, indexes: [i] });
  });
  return [...groups.values()].filter((g) => g.indexes.length > 1);
}

/**
 * Characters allowed in a path pattern (spec §1.2, [doc-2023]): `A–Z a–z 0–9 _ - . * $ / ~ " ' @ :
 * +` and `&`. `?` is also accepted because it is a documented wildcard, although the 2023 list
 * omits it.
 */
const PATTERN_CHAR_ALLOWED: ReadonlyArray<boolean> = (() => {
  const t: boolean[] = new Array<boolean>(128).fill(false);
  for (let c = 48; c <= 57; c++) t[c] = true;
  for (let c = 65; c <= 90; c++) t[c] = true;
  for (let c = 97; c <= 122; c++) t[c] = true;
  for (const ch of `_-.*$/~"'@:+&?`) t[ch.charCodeAt(0)] = true;
  return t;
})();

/**
 * Validates a cache-behaviour path pattern (spec §1.2): non-empty, at most 255 characters, only
 * allowed characters (`&` is allowed; the API stores and returns it as `&amp;`). Returns error messages (empty when valid); each names the value and the fix.
 */
export function validatePathPattern(p: string): string[] {
  const errors: string[] = [];
  if (typeof p !== 'string') {
    return [`Path pattern ${showValue(p)} is not a string; give a pattern such as 'images/*.jpg'.`];
  }
  if (p.length === 0) {
    errors.push(`Path pattern '' is empty; give a pattern such as 'images/*.jpg' (the default behaviour already covers '*').`);
    return errors;
  }
  const max = CLOUDFRONT_LIMITS.maxPathPatternLength;
  if (p.length > max) {
    errors.push(`Path pattern ${showValue(p)} is ${p.length} characters long; shorten it to at most ${max} characters.`);
  }
  const bad = new Set<string>();
  for (const ch of p) {
    const c = ch.codePointAt(0)!;
    if (c >= 128 || !PATTERN_CHAR_ALLOWED[c]) bad.add(ch);
  }
  if (bad.size > 0) {
    const list = [...bad].map((c) => JSON.stringify(c)).join(', ');
    errors.push(
      `Path pattern ${showValue(p)} contains characters CloudFront does not allow (${list}); ` +
        `use only A-Z a-z 0-9 _ - . * ? $ / ~ " ' @ : + & (wildcards are '*' and '?').`,
    );
  }
  return errors;
}

const SPEC_BASE = 65536;

/**
 * Specificity of a pattern, larger = more specific (spec §1.2; used to order behaviours
 * most-specific first). Computed on the canonical form as the lexicographic triple
 * (literal characters, literal characters + `?` count, −`*` count) packed into one number: more
 * literals first, then more fixed-length positions, then fewer `*`. With this key, whenever
 * `patternCovers(a, b)` and the two canonical patterns differ, `b` scores strictly higher than `a`
 * (witness paths built from `b` — `*` as empty or long runs, `?` as a character foreign to both —
 * show that `b` has at least as many literals and at least `a`'s minimum length, and, when both
 * tie, no more `*` than `a`, with equality only for the same canonical pattern).
 */
export function patternSpecificity(p: string): number {
  const c = canonicalPattern(p);
  let lit = 0;
  let q = 0;
  let star = 0;
  for (let i = 0; i < c.length; i++) {
    const ch = c.charCodeAt(i);
    if (ch === STAR) star++;
    else if (ch === QMARK) q++;
    else lit++;
  }
  const cap = SPEC_BASE - 1;
  return Math.min(lit, cap) * SPEC_BASE * SPEC_BASE + Math.min(lit + q, cap) * SPEC_BASE + (cap - Math.min(star, cap));
}

/**
 * Stable sort, most specific first ({@link patternSpecificity} descending), so that a covered
 * pattern always precedes the pattern that covers it: if `patternCovers(a, b)` and `a` and `b`
 * denote different path sets, `b` comes before `a` (spec §1.2, first match wins). Patterns with the
 * same path set (`/a` and `a`, `*?` and `?*`) keep their input order. Does not mutate the input.
 */
export function orderMostSpecificFirst<T extends { pathPattern: string }>(items: readonly T[]): T[] {
  const keyed = items.map((item, i) => ({ item, i, k: patternSpecificity(item.pathPattern) }));
  keyed.sort((x, y) => y.k - x.k || x.i - y.i);
  return keyed.map((e) => e.item);
}
