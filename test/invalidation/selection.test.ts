import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import {
  buildRouting, compileKeyPattern, foldersToList, listingCompletePrefixes, parseCron, parseIsoTime, parseManifest,
  parsePipelineMessage, rateExpression, selectFromListing, selectionTargets,
} from '../../lib/invalidation';
import { contentTypeOutputs } from '../../lib/outputs';

const catalog = resolveCatalog();
const routing = buildRouting(contentTypeOutputs(catalog));
const S3 = ['video', 'images', 'static'];

function problems(f: () => unknown): readonly string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  return [];
}

describe('invalidation/selection: patterns, routing, manifests, schedules', () => {
  describe('compileKeyPattern', () => {
    const cases: { pattern: string; key: string; match: boolean }[] = [
      { pattern: 'video/2024/**/*.m3u8', key: 'video/2024/show/ep1/master.m3u8', match: true },
      { pattern: 'video/2024/**/*.m3u8', key: 'video/2024/master.m3u8', match: true },
      { pattern: 'video/2024/**/*.m3u8', key: 'video/2024/show/seg.ts', match: false },
      { pattern: 'video/2024/**/*.m3u8', key: 'video/2023/show/master.m3u8', match: false },
      { pattern: 'video/*/master.m3u8', key: 'video/a/b/master.m3u8', match: false },
      { pattern: 'video/*/master.m3u8', key: 'video/a/master.m3u8', match: true },
      { pattern: '/video/**/*.{m3u8,mpd}', key: 'video/x/manifest.mpd', match: true },
      { pattern: 'thumbnails/x/?.jpg', key: 'thumbnails/x/a.jpg', match: true },
      { pattern: 'thumbnails/x/?.jpg', key: 'thumbnails/x/ab.jpg', match: false },
      { pattern: 'static/app(1).js', key: 'static/app(1).js', match: true },
      { pattern: 'VIDEO/**', key: 'video/a', match: false },
    ];
    for (const c of cases) {
      it(`${c.pattern} ${c.match ? 'matches' : 'does not match'} ${c.key}`, () => expect(compileKeyPattern(c.pattern).matches(c.key)).to.equal(c.match));
    }
    it('lists with the literal prefix before the first operator', () => {
      expect(compileKeyPattern('video/2024/**/*.m3u8').prefix).to.equal('video/2024/');
      expect(compileKeyPattern('/static/app.js').prefix).to.equal('static/app.js');
      expect(compileKeyPattern('**/*.m3u8').prefix).to.equal('');
    });
    const bad: { pattern: string; message: string }[] = [
      { pattern: '', message: "--pattern '' is empty; give a glob over object keys such as 'video/2024/**/*.m3u8'." },
      { pattern: 'video/a**/x', message: "--pattern 'video/a**/x' has '**' inside a path segment; use '**' as a whole segment ('a/**/b') or '*' within a segment." },
      { pattern: 'video/*.{m3u8,mpd', message: "--pattern 'video/*.{m3u8,mpd' has a '{' without its '}'; close the alternatives, e.g. '*.{m3u8,mpd}'." },
      { pattern: 'video/{a,{b,c}}', message: "--pattern 'video/{a,{b,c}}' nests '{' braces; list flat alternatives such as '*.{m3u8,mpd}'." },
    ];
    for (const b of bad) it(`rejects ${JSON.stringify(b.pattern)}`, () => expect(problems(() => compileKeyPattern(b.pattern))).to.deep.equal([b.message]));
  });

  describe('routing from the stack outputs', () => {
    const cases: { path: string; type: string; origin: string }[] = [
      { path: '/video/a/master.m3u8', type: 'video', origin: 'video' },
      { path: '/video/premium/a/seg.ts', type: 'video', origin: 'video' },
      { path: '/thumbnails/a.jpg', type: 'thumbnails', origin: 'images' },
      { path: '/previews/a.jpg', type: 'thumbnails', origin: 'images' },
      { path: '/metadata/videos/1.json', type: 'metadata', origin: 'metadata' },
      { path: '/api/search', type: 'api', origin: 'api' },
      { path: '/index.html', type: 'static', origin: 'static' },
    ];
    for (const c of cases) it(`routes ${c.path} to ${c.type} (${c.origin})`, () => expect([routing.typeOf(c.path), routing.originOf(c.path)]).to.deep.equal([c.type, c.origin]));

    it('knows the folders of each type and which folders an origin serves whole', () => {
      expect(routing.prefixesOf('thumbnails')).to.deep.equal(['/previews/', '/thumbnails/']);
      expect(routing.prefixesOf('video')).to.deep.equal(['/video/']);
      expect(routing.wholePrefixesOf('video')).to.deep.equal(['/video/']);
      expect(routing.wholePrefixesOf('static')).to.deep.equal(['/fonts/', '/static/']);
      expect(routing.wholePrefixesOf('api')).to.deep.equal(['/api/']);
    });
  });

  describe('selectionTargets and selectFromListing', () => {
    it('lists the content type folders (with --prefix relative to them)', () => {
      expect(selectionTargets({ contentType: 'thumbnails', prefix: 'x/' }, routing, S3, false)).to.deep.equal({
        kind: 'listing', targets: [{ origin: 'images', keyPrefix: 'previews/x/' }, { origin: 'images', keyPrefix: 'thumbnails/x/' }],
      });
    });
    it('lists the whole static bucket for the static type (the default behaviour serves it too)', () => {
      expect(selectionTargets({ contentType: 'static' }, routing, S3, false)).to.deep.equal({ kind: 'listing', targets: [{ origin: 'static', keyPrefix: '' }] });
    });
    it('turns a custom-origin type without a manifest into the wildcards of its folders', () => {
      expect(selectionTargets({ contentType: 'metadata' }, routing, S3, false)).to.deep.equal({
        kind: 'wildcards', items: ['/metadata/*'],
        note: "content type 'metadata' is served by the custom origin 'metadata', which cannot be listed: its folders are invalidated with wildcards (/metadata/*).",
      });
    });
    it('lists only the origin that serves a pattern folder, or every S3 origin when it cannot tell', () => {
      expect(selectionTargets({ pattern: compileKeyPattern('video/2024/**/*.m3u8') }, routing, S3, false)).to.deep.equal({ kind: 'listing', targets: [{ origin: 'video', keyPrefix: 'video/2024/' }] });
      expect(selectionTargets({ pattern: compileKeyPattern('**/*.css') }, routing, S3, false)).to.deep.equal({
        kind: 'listing', targets: [{ origin: 'video', keyPrefix: '' }, { origin: 'images', keyPrefix: '' }, { origin: 'static', keyPrefix: '' }],
      });
    });
    const bad: { name: string; sel: object; message: string }[] = [
      { name: '--prefix without --content-type', sel: { prefix: 'x/' }, message: "--prefix 'x/' needs --content-type (it is relative to the content type's folders); or use --pattern 'x/**'." },
      { name: '--pattern on a custom origin without a manifest', sel: { contentType: 'api', pattern: compileKeyPattern('api/**') }, message: "content type 'api' is served by the custom origin 'api', which cannot be listed; give --manifest <file> with its objects to use --pattern or --changed-since." },
    ];
    for (const b of bad) it(`rejects ${b.name}`, () => expect(problems(() => selectionTargets(b.sel, routing, S3, false))).to.deep.equal([b.message]));

    it('keeps objects of the type, prefix, pattern and time, and counts every served object in the inventory', () => {
      const t0 = new Date('2025-06-01T00:00:00Z');
      const entries = [
        { key: 'thumbnails/x/a.jpg', lastModified: new Date('2025-06-02T00:00:00Z') },
        { key: 'thumbnails/x/b.jpg', lastModified: new Date('2025-05-01T00:00:00Z') },
        { key: 'previews/x/a.jpg', lastModified: new Date('2025-06-03T00:00:00Z') },
        { key: 'thumbnails/y/a.jpg', lastModified: new Date('2025-06-03T00:00:00Z') },
        { key: 'other/a.jpg', lastModified: new Date('2025-06-03T00:00:00Z') },
      ];
      const s = selectFromListing(entries, { contentType: 'thumbnails', prefix: 'x/', changedSince: t0 }, routing, 'images');
      expect(s.items).to.deep.equal(['/thumbnails/x/a.jpg', '/previews/x/a.jpg']);
      expect(s.inventory).to.deep.equal(['/thumbnails/x/a.jpg', '/thumbnails/x/b.jpg', '/previews/x/a.jpg', '/thumbnails/y/a.jpg']);
      expect(listingCompletePrefixes(routing, 'images', 'thumbnails/x/')).to.deep.equal(['/thumbnails/x/']);
      expect(listingCompletePrefixes(routing, 'images', '')).to.deep.equal(['/previews/', '/thumbnails/']);
    });

    it('lists the folders holding two or more explicit paths, outermost only, for collapsing', () => {
      expect(foldersToList(['/video/a/1.ts', '/video/a/2.ts', '/video/a/b/1.ts', '/video/a/b/2.ts', '/video/c/1.ts', '/static/x%20y/a.css', '/static/x%20y/b.css', '/api/x', '/api/y'], routing)).to.deep.equal([
        { origin: 'static', keyPrefix: 'static/x y/' },
        { origin: 'video', keyPrefix: 'video/a/' },
      ]);
    });
  });

  describe('parseManifest', () => {
    it('reads one key per line and takes its top-level folders as complete', () => {
      expect(parseManifest('/metadata/a.json\nmetadata/b.json\n\n', 'm.txt')).to.deep.equal({ objects: [{ key: '/metadata/a.json' }, { key: 'metadata/b.json' }], complete: ['/metadata/'] });
    });
    it('reads JSON with times and declared complete prefixes', () => {
      expect(parseManifest('{"objects": ["/a/1", {"key": "/a/2", "lastModified": "2025-01-01T00:00:00Z"}], "complete": ["/a/"]}', 'm.json')).to.deep.equal({
        objects: [{ key: '/a/1' }, { key: '/a/2', lastModified: new Date('2025-01-01T00:00:00Z') }], complete: ['/a/'],
      });
    });
    it('rejects bad entries naming the file, the entry and the fix', () => {
      expect(problems(() => parseManifest('{"objects": [1, {"key": "/a", "lastModified": "soon"}], "complete": ["a/"]}', 'm.json'))).to.deep.equal([
        'manifest m.json objects[0] is 1; give a key string or {"key": "...", "lastModified": "..."}.',
        "manifest m.json objects[1].lastModified 'soon' is not a date; use ISO 8601 such as '2025-01-01T00:00:00Z'.",
        `manifest m.json "complete" must be a list of path prefixes starting with '/', got ["a/"].`,
      ]);
    });
    it('refuses garbage: binary bytes, and keys that are not object keys', () => {
      expect(problems(() => parseManifest('\u0000\u0007\u0000garbage', 'g.bin'))).to.deep.equal([
        'manifest g.bin is not text (it holds NUL or undecodable bytes); give the release\'s object keys, one per line, or {"objects": [...]}.',
      ]);
      const p = problems(() => parseManifest('video/1/a.ts\nvideo/../../secret\nstatic/\u0007x\n', 'm.txt'));
      expect(p).to.have.length(2);
      expect(p[0]).to.equal(`manifest m.txt: key "video/../../secret" has a '..' segment, which a store or proxy may resolve to another folder or bucket; list the bucket's object keys (video/123/master.m3u8).`);
      expect(p[1]).to.equal('manifest m.txt: key "static/\\u0007x" has a control character; list the bucket\'s object keys (video/123/master.m3u8).');
    });
  });

  describe('time: --at and cron', () => {
    it('computes the next runs of a five-field cron in UTC', () => {
      const cron = parseCron('0 */6 * * *');
      expect(cron.next(new Date('2025-06-01T05:59:00Z')).toISOString()).to.equal('2025-06-01T06:00:00.000Z');
      expect(cron.next(new Date('2025-06-01T06:00:00Z')).toISOString()).to.equal('2025-06-01T12:00:00.000Z');
    });
    const bad: { cron: string; message: string }[] = [
      { cron: '0 */6 * *', message: "--cron '0 */6 * *' has 4 fields; give five (minute hour day-of-month month day-of-week), e.g. '0 */6 * * *' for every 6 hours." },
      { cron: '61 * * * *', message: "--cron '61 * * * *' is not a valid cron expression (Constraint error, got value 61 expected range 0-59); e.g. '*/15 * * * *' for every 15 minutes." },
    ];
    for (const b of bad) it(`rejects cron ${JSON.stringify(b.cron)}`, () => expect(problems(() => parseCron(b.cron))).to.deep.equal([b.message]));
    it('reads --at only as ISO 8601 with a zone', () => {
      expect(parseIsoTime('2025-06-01T02:00:00+02:00', '--at').toISOString()).to.equal('2025-06-01T00:00:00.000Z');
      expect(problems(() => parseIsoTime('2025-06-01 02:00', '--at'))).to.deep.equal(["--at '2025-06-01 02:00' is not an ISO 8601 time with a zone; use e.g. '2025-06-01T02:00:00Z'."]);
    });
  });

  describe('pipeline messages and schedules', () => {
    it('reads S3 event notifications (keys URL-encoded with + for spaces), created and removed', () => {
      const body = JSON.stringify({ Records: [
        { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'video/a+b/%C3%A9.ts' } } },
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'video/x.ts' } } },
        { eventName: 'ObjectRestore:Post', s3: { bucket: { name: 'b' }, object: { key: 'video/y.ts' } } },
      ] });
      expect(parsePipelineMessage(body)).to.deep.equal({ kind: 'object-changes', changes: [
        { bucket: 'b', key: 'video/a b/é.ts', removed: false },
        { bucket: 'b', key: 'video/x.ts', removed: true },
      ] });
    });
    it('ignores the s3:TestEvent and bodies that are not ours', () => {
      expect(parsePipelineMessage('{"Event":"s3:TestEvent"}')).to.deep.equal({ kind: 'ignored', reason: 's3:TestEvent' });
      expect(parsePipelineMessage('nope')).to.deep.equal({ kind: 'ignored', reason: 'body is not JSON' });
    });
    it('writes an update interval as an EventBridge rate expression', () => {
      expect([300, 900, 3600, 21_600, 86_400].map(rateExpression)).to.deep.equal(['rate(5 minutes)', 'rate(15 minutes)', 'rate(1 hour)', 'rate(6 hours)', 'rate(1 day)']);
    });
  });
});
