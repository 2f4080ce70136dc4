/**
 * Object-key patterns for `--pattern`: a glob over origin object keys, resolved against a bucket
 * listing or a manifest. This is not CloudFront's path-pattern language (that is lib/semantics
 * `matchPathPattern`, where `*` spans `/`); it is the shell-style glob operators expect:
 *
 * - `**` any characters, `/` included (`a/**\/b` also matches `a/b`);
 * - `*` any characters except `/`; `?` one character except `/`;
 * - `{m3u8,mpd}` one of the alternatives (not nested).
 *
 * A leading `/` is optional. Matching is case-sensitive, like S3 keys and CloudFront paths.
 */
import { InputError } from '../errors';
import { showValue } from '../semantics';

export interface KeyPattern {
  readonly source: string;
  /** Literal text before the first operator: the ListObjectsV2 `Prefix` that finds every match. */
  readonly prefix: string;
  matches(key: string): boolean;
}

function escapeRegex(ch: string): string {
  return /[.+^${}()|[\]\\*?]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Compiles a key pattern. @throws InputError naming the option, the pattern and the fix (empty
 * pattern, unbalanced or nested braces, `**` glued to other characters).
 */
export function compileKeyPattern(pattern: string, option = '--pattern'): KeyPattern {
  const p = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  const problems: string[] = [];
  if (p === '') problems.push(`${option} ${showValue(pattern)} is empty; give a glob over object keys such as 'video/2024/**/*.m3u8'.`);
  let re = '';
  let inBrace = false;
  let firstOp = -1;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*' && p[i + 1] === '*') {
      if (firstOp < 0) firstOp = i;
      const before = i === 0 || p[i - 1] === '/';
      const after = i + 2 === p.length || p[i + 2] === '/';
      if (!before || !after) {
        problems.push(`${option} ${showValue(pattern)} has '**' inside a path segment; use '**' as a whole segment ('a/**/b') or '*' within a segment.`);
        break;
      }
      if (p[i + 2] === '/') {
        re += '(?:[^]*/)?';
        i += 2;
      } else {
        re += '[^]*';
        i += 1;
      }
    } else if (ch === '*') {
      if (firstOp < 0) firstOp = i;
      re += '[^/]*';
    } else if (ch === '?') {
      if (firstOp < 0) firstOp = i;
      re += '[^/]';
    } else if (ch === '{') {
      if (firstOp < 0) firstOp = i;
      if (inBrace) {
        problems.push(`${option} ${showValue(pattern)} nests '{' braces; list flat alternatives such as '*.{m3u8,mpd}'.`);
        break;
      }
      inBrace = true;
      re += '(?:';
    } else if (ch === '}' && inBrace) {
      inBrace = false;
      re += ')';
    } else if (ch === ',' && inBrace) {
      re += '|';
    } else {
      re += escapeRegex(ch);
    }
  }
  if (inBrace && problems.length === 0) problems.push(`${option} ${showValue(pattern)} has a '{' without its '}'; close the alternatives, e.g. '*.{m3u8,mpd}'.`);
  if (problems.length > 0) throw new InputError(problems);
  const regex = new RegExp(`^${re}$`);
  return {
    source: pattern,
    prefix: firstOp < 0 ? p : p.slice(0, firstOp),
    matches: (key) => regex.test(key.startsWith('/') ? key.slice(1) : key),
  };
}
