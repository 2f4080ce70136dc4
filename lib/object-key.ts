/**
 * Object keys and key prefixes given to the scripts that write or list S3 (`npm run tag`, `images`,
 * `invalidate` selections, `warm` listings): one check for all of them. S3 itself takes a key
 * literally, but `.`/`..` segments are resolved by everything around it (s3rver and other file-backed
 * stand-ins, URL normalizers, the folder store of `npm run images --dir`), so a key such as
 * `../origins-video/x.m3u8` can land outside the bucket or in another one while the script reports and
 * tags the first. Such keys are refused, so the bucket a key goes to is always the one whose behavior
 * serves the key as written.
 * S3 key rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
import { InputError, show } from './errors';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_OBJECT_KEY_BYTES = 1024;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * What is wrong with a key (or, with `prefix`, a key prefix, which may be empty and may end inside a
 * segment), as the end of a sentence; undefined when it is fine.
 */
export function objectKeyProblem(key: string, opts: { prefix?: boolean } = {}): string | undefined {
  if (key === '' && !opts.prefix) return 'is empty';
  if (key.startsWith('/')) return "starts with '/' (an S3 key has no leading slash; the viewer path '/a/b' is key 'a/b')";
  if (CONTROL.test(key)) return 'has a control character';
  if (key.includes('\\')) return "has a backslash ('\\'), which some stores read as a folder separator";
  const segments = key.split('/');
  const dot = segments.find((s) => s === '.' || s === '..');
  if (dot !== undefined) return `has a '${dot}' segment, which a store or proxy may resolve to another folder or bucket`;
  if (Buffer.byteLength(key, 'utf8') > MAX_OBJECT_KEY_BYTES) return `is longer than S3's ${MAX_OBJECT_KEY_BYTES} bytes`;
  return undefined;
}

/** True when the key (or prefix) passes {@link objectKeyProblem}. */
export function isSafeObjectKey(key: string, opts: { prefix?: boolean } = {}): boolean {
  return objectKeyProblem(key, opts) === undefined;
}

/**
 * The key, checked.
 * @param option the option or source named in the error, e.g. `--key`.
 * @throws InputError naming the option, the value and the fix.
 */
export function checkObjectKey(key: string, option: string, opts: { prefix?: boolean; given?: string } = {}): string {
  const problem = objectKeyProblem(key, opts);
  if (problem !== undefined) {
    const example = opts.prefix ? 'video/123/' : 'video/123/master.m3u8';
    throw new InputError(`${option} ${show(opts.given ?? key)} ${problem}; give the ${opts.prefix ? 'prefix' : 'key'} as written in the bucket, e.g. ${example}.`);
  }
  return key;
}

/**
 * A key (or prefix) given on the command line either as a key (`video/1/a.ts`) or as the viewer path
 * (`/video/1/a.ts`): one leading slash is dropped, then the result is checked.
 * @throws InputError for any problem of {@link objectKeyProblem} (so `//a` is refused, not rewritten).
 */
export function keyFromArgument(raw: string, option: string, opts: { prefix?: boolean } = {}): string {
  return checkObjectKey(raw.startsWith('/') ? raw.slice(1) : raw, option, { ...opts, given: raw });
}
