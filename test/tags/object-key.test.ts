/**
 * lib/object-key.ts: the one check of object keys and key prefixes that every script writing or
 * listing S3 applies (tag upload/apply/audit, images, compression, invalidate selections, warm).
 */
import { expect } from 'chai';
import { InputError, problemsOf } from '../../lib/errors';
import { checkObjectKey, isSafeObjectKey, keyFromArgument, MAX_OBJECT_KEY_BYTES, objectKeyProblem } from '../../lib/object-key';
import { validatePrefix } from '../../scripts/images/optimize';

describe('object keys (lib/object-key.ts)', () => {
  const good = ['video/123/master.m3u8', 'static/app.js', 'index.html', 'video/..hidden/x.ts', 'video/.well-known', 'a b/ü.jpg', 'video//double.ts', 'x'.repeat(MAX_OBJECT_KEY_BYTES)];
  for (const key of good) {
    it(`accepts ${JSON.stringify(key.length > 40 ? `${key.slice(0, 20)}…(${key.length})` : key)}`, () => {
      expect(objectKeyProblem(key)).to.equal(undefined);
      expect(checkObjectKey(key, '--key')).to.equal(key);
    });
  }

  const bad: [string, RegExp][] = [
    ['../../../trav1.txt', /has a '\.\.' segment/],
    ['../origins-video-abc/video/x.m3u8', /has a '\.\.' segment/],
    ['video/../../secret/x.m3u8', /has a '\.\.' segment/],
    ['video/..', /has a '\.\.' segment/],
    ['static/./a.js', /has a '\.' segment/],
    ['.', /has a '\.' segment/],
    ['/static/a.js', /starts with '\/'/],
    ['static\\..\\..\\x.txt', /has a backslash/],
    ['static/a\nb.js', /has a control character/],
    ['static/a\u0000.js', /has a control character/],
    ['static/a\u007f.js', /has a control character/],
    ['', /is empty/],
    ['é'.repeat(MAX_OBJECT_KEY_BYTES / 2 + 1), /longer than S3's 1024 bytes/],
  ];
  for (const [key, why] of bad) {
    it(`refuses ${JSON.stringify(key.slice(0, 40))} naming the option, the value and the fix`, () => {
      expect(objectKeyProblem(key)).to.match(why);
      expect(isSafeObjectKey(key)).to.equal(false);
      const problems = problemsOf(() => checkObjectKey(key, '--key'));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^--key '/).and.match(/; give the key as written in the bucket, e.g. video\/123\/master\.m3u8\.$/);
    });
  }

  it('takes a prefix that is empty or ends inside a segment, but not one with dot segments', () => {
    expect(checkObjectKey('', '--prefix', { prefix: true })).to.equal('');
    expect(checkObjectKey('video/12', '--prefix', { prefix: true })).to.equal('video/12');
    expect(problemsOf(() => checkObjectKey('../../', '--prefix', { prefix: true }))).to.deep.equal([
      "--prefix '../../' has a '..' segment, which a store or proxy may resolve to another folder or bucket; give the prefix as written in the bucket, e.g. video/123/.",
    ]);
  });

  it('reads one leading slash as the viewer path, and quotes the value as given when refusing', () => {
    expect(keyFromArgument('/video/1/a.ts', '--key')).to.equal('video/1/a.ts');
    expect(keyFromArgument('video/1/a.ts', '--key')).to.equal('video/1/a.ts');
    expect(problemsOf(() => keyFromArgument('//etc/x', '--key'))[0]).to.match(/^--key '\/\/etc\/x' starts with '\/'/);
    expect(() => keyFromArgument('/../x', '--key')).to.throw(InputError, "--key '/../x' has a '..' segment");
  });

  it('is the check of the images --prefix too', () => {
    expect(validatePrefix('thumbnails/')).to.equal('thumbnails/');
    expect(problemsOf(() => validatePrefix('thumbnails/../../')).join()).to.match(/^--prefix 'thumbnails\/\.\.\/\.\.\/' has a '\.\.' segment/);
    expect(problemsOf(() => validatePrefix('/thumbnails/')).join()).to.match(/starts with '\/'/);
  });
});
