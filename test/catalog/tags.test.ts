import { expect } from 'chai';
import { deriveObjectTags, formatTagHeader, parseTagHeader, resolveCatalog, validateTags, contentTypeOfPath } from '../../lib/catalog';
import { InputError } from '../../lib/errors';

describe('cache tags from the catalog', () => {
  const catalog = resolveCatalog();

  const good: [string, Record<string, string>, string[]][] = [
    ['video/123/master.m3u8', {}, ['type:video', 'video:123']],
    ['/video/123/1080p/seg-00001.m4s', {}, ['type:video', 'video:123']],
    ['video/premium/777/720p/seg-1.ts', {}, ['type:video', 'video:777']],
    ['thumbnails/123/poster-640.webp', {}, ['type:thumbnails', 'video:123']],
    ['previews/123/sprite.jpg', {}, ['type:thumbnails', 'video:123']],
    ['metadata/videos/123.json', {}, ['type:metadata', 'video:123']],
    ['metadata/playlists/top-10.json', {}, ['type:metadata', 'playlist:top-10']],
    ['metadata/profiles/ana.json', {}, ['type:metadata']],
    ['static/app.3f9c.js', {}, ['type:static']],
    ['index.html', {}, ['type:static']],
    ['api/search', {}, ['type:api']],
    ['video/123/master.m3u8', { release: 'r2026-11' }, ['type:video', 'video:123', 'release:r2026-11']],
    ['video/123/master.m3u8', { release: '' }, ['type:video', 'video:123']],
    ['video/master.m3u8', {}, ['type:video']],
  ];
  for (const [key, meta, tags] of good) {
    it(`tags ${key}${meta.release ? ` (release ${meta.release})` : ''} as ${tags.join(', ')}`, () => {
      expect(deriveObjectTags(catalog, key, meta)).to.deep.equal(tags);
    });
  }

  const bad: [string, Record<string, string>, RegExp][] = [
    ['a release id with a comma', { release: 'a,b' }, /object 'video\/1\/a\.ts': .*contains a comma/],
    ['a release id with a space', { release: 'r 1' }, /object 'video\/1\/a\.ts': .*outside printable ASCII 33-126/],
    ['a release id that is too long', { release: 'r'.repeat(300) }, /object 'video\/1\/a\.ts': .*at most 256 characters/],
  ];
  for (const [name, meta, message] of bad) {
    it(`rejects ${name}, naming the object and the fix`, () => {
      expect(() => deriveObjectTags(catalog, 'video/1/a.ts', meta)).to.throw(InputError, message);
    });
  }

  it('rejects more than 50 tags on one object', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`);
    expect(validateTags(tags, 'k')).to.deep.equal([`object 'k' has 51 cache tags; CloudFront keeps only 50 (spec §8.2), so drop some.`]);
  });

  it('round-trips tags through the header value and keeps 50 at most', () => {
    expect(parseTagHeader(formatTagHeader(['type:video', 'video:1']))).to.deep.equal(['type:video', 'video:1']);
    expect(parseTagHeader(' a , ,b ')).to.deep.equal(['a', 'b']);
    expect(parseTagHeader(undefined)).to.deep.equal([]);
    expect(parseTagHeader(Array.from({ length: 60 }, (_, i) => `t${i}`).join(','))).to.have.length(50);
  });

  it('finds the content type of a path through behavior selection', () => {
    expect(contentTypeOfPath(catalog, '/api/me/x')).to.equal('api');
    expect(contentTypeOfPath(catalog, '/unknown')).to.equal('static');
  });
});
