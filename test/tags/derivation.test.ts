/**
 * Cache tags from the catalog (pure): derivation from keys and metadata, the rules' inverse (where a
 * tag's objects live), validation with the messages users see, the header → S3 metadata key, the
 * metadata an object should carry and the replace-copy that sets it.
 */
import { expect } from 'chai';
import {
  cacheTagMetadataKey, CONTENT_TYPES, deriveObjectTags, resolveCatalog, tagScope, TAG_RULES, validateTagRules, validateTags,
  type ContentTypeSpec,
} from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { invalidationMatches } from '../../lib/semantics';
import {
  copyInPlaceRequest, copyPartRanges, copySourceOf, MAX_SINGLE_COPY_BYTES, objectTagStatus, taggedMetadata, tagSettings, tagsFromMetadata,
} from '../../lib/tagging';

const catalog = resolveCatalog();

describe('cache tags: derivation from keys and metadata', () => {
  const good: [string, Record<string, string>, string[]][] = [
    ['video/123/master.m3u8', {}, ['type:video', 'video:123']],
    ['video/123/1080p/seg-00001.m4s', {}, ['type:video', 'video:123']],
    ['/video/premium/777/720p/seg-1.ts', {}, ['type:video', 'video:777']],
    ['video/premium/master.m3u8', {}, ['type:video', 'video:premium']],
    ['thumbnails/123/poster-640.webp', {}, ['type:thumbnails', 'video:123']],
    ['previews/123/frame-001.jpg', {}, ['type:thumbnails', 'video:123']],
    ['previews/sprite.jpg', {}, ['type:thumbnails']],
    ['metadata/videos/123.json', {}, ['type:metadata', 'video:123']],
    ['metadata/videos/123/extra.json', {}, ['type:metadata']],
    ['metadata/playlists/top-10.json', {}, ['type:metadata', 'playlist:top-10']],
    ['metadata/profiles/ana.json', {}, ['type:metadata']],
    ['static/app.3f9c.js', { release: 'r42' }, ['type:static', 'release:r42']],
    ['fonts/inter.woff2', {}, ['type:static']],
    ['index.html', {}, ['type:static']],
    ['api/me/progress', {}, ['type:api']],
    ['video/Ab-9/x.ts', { Release: 'ignored-key-case', release: 'R1' }, ['type:video', 'video:Ab-9', 'release:R1']],
    ['video/123/x.ts', { release: '' }, ['type:video', 'video:123']],
  ];
  for (const [key, meta, tags] of good) {
    it(`${key}${meta.release ? ` (release '${meta.release}')` : ''} → ${tags.join(', ')}`, () => {
      expect(deriveObjectTags(catalog, key, meta)).to.deep.equal(tags);
    });
  }

  const bad: [string, string, Record<string, string>, string][] = [
    ['a video id with a comma', 'video/a,b/x.ts', {},
      "object 'video/a,b/x.ts': Invalidation tag item '#video:a,b' contains a comma; give each tag as its own '#' item."],
    ['a video id with non-ASCII characters', 'video/café/x.ts', {},
      "object 'video/café/x.ts': Invalidation tag item '#video:café' contains characters outside printable ASCII 33-126 (\"é\"); remove them."],
    ['a release id with a space', 'video/1/x.ts', { release: 'r 1' },
      "object 'video/1/x.ts': Invalidation tag item '#release:r 1' contains characters outside printable ASCII 33-126 (\" \"); remove them."],
    ['a release id with a wildcard', 'video/1/x.ts', { release: 'r*' },
      "object 'video/1/x.ts': Invalidation tag item '#release:r*' contains '*'; tags take no wildcards — list each tag exactly."],
    ['a 300-character video id', `video/${'v'.repeat(300)}/x.ts`, {},
      `object 'video/${'v'.repeat(300)}/x.ts': Invalidation tag item '#video:${'v'.repeat(69)}... has a 306-character tag; shorten the tag to at most 256 characters.`],
  ];
  for (const [name, key, meta, message] of bad) {
    it(`rejects ${name}, naming the object, the tag and the fix`, () => {
      expect(() => deriveObjectTags(catalog, key, meta)).to.throw(InputError).with.property('problems').that.deep.equals([message]);
    });
  }

  it('accepts exactly 50 tags an object and rejects 51', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t:${i}`);
    expect(validateTags(tags(50), 'k')).to.deep.equal([]);
    expect(validateTags(tags(51), 'k')).to.deep.equal(["object 'k' has 51 cache tags; CloudFront keeps only 50 (spec §8.2), so drop some."]);
  });

  it('accepts a 256-character tag and rejects a 257-character one', () => {
    expect(validateTags([`a:${'x'.repeat(254)}`], 'k')).to.deep.equal([]);
    expect(validateTags([`a:${'x'.repeat(255)}`], 'k')).to.have.length(1);
  });

  it('keeps the rules on the content types of the catalog, and they are sound', () => {
    expect(Object.fromEntries(CONTENT_TYPES.map((t) => [t.name, t.tagRules.map((r) => r.path)]))).to.deep.equal({
      video: ['/video/premium/{video}/*', '/video/{video}/*'],
      thumbnails: ['/thumbnails/{video}/*', '/previews/{video}/*'],
      metadata: ['/metadata/videos/{video}.json', '/metadata/playlists/{playlist}.json'],
      static: [],
      api: [],
    });
    expect(TAG_RULES.video).to.equal(CONTENT_TYPES[0]!.tagRules);
    expect(validateTagRules(catalog)).to.deep.equal([]);
  });

  it('reports rules that use an uncaptured placeholder or could only make invalid tags', () => {
    const broken: ContentTypeSpec = { ...CONTENT_TYPES[0]!, tagRules: [{ path: 'video/{video}/*', tags: ['video:{id}', 'bad tag,{video}'] }] };
    expect(validateTagRules({ types: [broken] })).to.deep.equal([
      "tag rule 'video/{video}/*' of video must start with '/'.",
      "tag template 'video:{id}' of video uses {id}, which its path 'video/{video}/*' does not capture.",
      "tag template 'bad tag,{video}' of video: Invalidation tag item '#bad tag,x' contains characters outside printable ASCII 33-126 (\" \"); remove them.",
      "tag template 'bad tag,{video}' of video: Invalidation tag item '#bad tag,x' contains a comma; give each tag as its own '#' item.",
    ]);
  });
});

describe('cache tags: where the objects of a tag live (the rules inverted)', () => {
  const cases: [string, { prefixes: string[]; paths: string[] } | undefined][] = [
    ['video:123', { prefixes: ['/previews/123/', '/thumbnails/123/', '/video/123/', '/video/premium/123/'], paths: ['/metadata/videos/123.json'] }],
    ['VIDEO:Ab-9', { prefixes: ['/previews/Ab-9/', '/thumbnails/Ab-9/', '/video/Ab-9/', '/video/premium/Ab-9/'], paths: ['/metadata/videos/Ab-9.json'] }],
    ['playlist:top-10', { prefixes: [], paths: ['/metadata/playlists/top-10.json'] }],
    ['type:video', undefined],
    ['release:r42', undefined],
    ['video:', undefined],
    ['unknown:1', undefined],
  ];
  for (const [tag, scope] of cases) {
    it(`${tag} → ${scope ? [...scope.prefixes, ...scope.paths].join(' ') : 'unbounded'}`, () => {
      const s = tagScope(catalog, tag);
      expect(s ? { prefixes: s.prefixes, paths: s.paths } : undefined).to.deep.equal(scope);
    });
  }

  it('bounds every object that derives the tag (checked on a sample of keys)', () => {
    const keys = ['video/9/a.ts', 'video/premium/9/b/c.m4s', 'thumbnails/9/p.jpg', 'previews/9/f.jpg', 'metadata/videos/9.json', 'video/10/a.ts'];
    const scope = tagScope(catalog, 'video:9')!;
    for (const key of keys) {
      const path = `/${key}`;
      const carries = invalidationMatches('#video:9', { uri: path, tags: deriveObjectTags(catalog, key) });
      const inside = scope.prefixes.some((p) => path.startsWith(p)) || scope.paths.includes(path);
      expect(inside, key).to.equal(carries);
    }
  });
});

describe('cache tags: the header, the S3 metadata key and the object metadata', () => {
  const keys: [string, string | RegExp][] = [
    ['x-amz-meta-cache-tags', 'cache-tags'],
    ['X-Amz-Meta-Tags', 'tags'],
    ['', /cache tags are off \(media-cdn:cacheTagHeader is ''\); set it to 'x-amz-meta-cache-tags' to tag objects\./],
    ['surrogate-key', /cache-tag header 'surrogate-key' is not an S3 user-metadata header, so the S3 origins cannot send it; use 'x-amz-meta-<key>'/],
    ['x-amz-meta-', /is not an S3 user-metadata header/],
  ];
  for (const [header, want] of keys) {
    it(`header '${header}' → ${typeof want === 'string' ? `metadata key '${want}'` : 'an error naming the fix'}`, () => {
      if (typeof want === 'string') expect(cacheTagMetadataKey(header)).to.equal(want);
      else expect(() => cacheTagMetadataKey(header)).to.throw(InputError, want);
    });
  }

  const s = tagSettings(catalog, 'x-amz-meta-cache-tags');
  const statuses: [string, Record<string, string>, string, string[]][] = [
    ['an object without tags', { owner: 'enc' }, 'missing', []],
    ['an object with an empty value', { 'cache-tags': '' }, 'missing', []],
    ['an object with the same tags in another order', { 'cache-tags': 'video:1,type:video' }, 'current', ['video:1', 'type:video']],
    ['an object tagged under an old rule', { 'cache-tags': 'type:video,title:1' }, 'stale', ['type:video', 'title:1']],
    ['an object whose release changed', { 'cache-tags': 'type:video,video:1', release: 'r2' }, 'stale', ['type:video', 'video:1']],
    ['an object with upper-case metadata keys', { 'Cache-Tags': 'type:video,video:1' }, 'current', ['type:video', 'video:1']],
  ];
  for (const [name, metadata, state, have] of statuses) {
    it(`audits ${name} as ${state}`, () => {
      const st = objectTagStatus(s, 'video/1/a.ts', metadata);
      expect({ state: st.state, have: st.have }).to.deep.equal({ state, have });
    });
  }

  it('sets the tags and keeps the other user metadata', () => {
    expect(taggedMetadata(s, 'video/1/a.ts', { Owner: 'enc', release: 'r2', 'cache-tags': 'old' })).to.deep.equal({
      metadata: { owner: 'enc', release: 'r2', 'cache-tags': 'type:video,video:1,release:r2' },
      tags: ['type:video', 'video:1', 'release:r2'],
    });
    expect(tagsFromMetadata(s, { 'cache-tags': ' a, b ,' })).to.deep.equal(['a', 'b']);
    expect(tagsFromMetadata(s, undefined)).to.deep.equal([]);
  });

  it('rewrites metadata in place keeping every header, conditional on the ETag read', () => {
    const head = {
      contentType: 'video/mp4', cacheControl: 'public, max-age=86400', contentEncoding: 'identity', contentDisposition: 'inline', contentLanguage: 'en',
      expires: new Date('2030-01-01T00:00:00Z'), etag: '"abc"', size: 10, storageClass: 'STANDARD_IA', serverSideEncryption: 'aws:kms', sseKmsKeyId: 'arn:aws:kms:k',
      metadata: {},
    };
    expect(copyInPlaceRequest('b', 'video/a b/é.mp4', head, { 'cache-tags': 'type:video' })).to.deep.equal({
      Bucket: 'b', Key: 'video/a b/é.mp4', CopySource: 'b/video/a%20b/%C3%A9.mp4', MetadataDirective: 'REPLACE', Metadata: { 'cache-tags': 'type:video' },
      ContentType: 'video/mp4', CacheControl: 'public, max-age=86400', ContentEncoding: 'identity', ContentDisposition: 'inline', ContentLanguage: 'en',
      Expires: new Date('2030-01-01T00:00:00Z'), StorageClass: 'STANDARD_IA', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:k', CopySourceIfMatch: '"abc"',
    });
    expect(copyInPlaceRequest('b', 'k', { metadata: {}, storageClass: 'STANDARD', serverSideEncryption: 'AES256' }, {})).to.deep.equal({
      Bucket: 'b', Key: 'k', CopySource: 'b/k', MetadataDirective: 'REPLACE', Metadata: {},
    });
    expect(copySourceOf('b', 'a/b?c#d')).to.equal('b/a/b%3Fc%23d');
  });

  it('copies objects over 5 GB part by part, within 10,000 parts of at least 5 MiB', () => {
    const GiB = 1024 ** 3;
    expect(copyPartRanges(0)).to.deep.equal([]);
    expect(copyPartRanges(10, 4)).to.deep.equal(['bytes=0-9']);
    expect(copyPartRanges(MAX_SINGLE_COPY_BYTES + 1, 2 * GiB)).to.deep.equal([`bytes=0-${2 * GiB - 1}`, `bytes=${2 * GiB}-${4 * GiB - 1}`, `bytes=${4 * GiB}-${5 * GiB}`]);
    expect(copyPartRanges(10 * GiB)).to.have.length(20);
    expect(copyPartRanges(5e12).length).to.be.at.most(10_000);
    expect(() => copyPartRanges(-1)).to.throw(RangeError, 'copyPartRanges: size must be a whole number of bytes, got -1.');
  });
});
