/**
 * `rollback`: S3 object versions come from aws-sdk-client-mock (s3rver 3 has no versioning), the
 * invalidation goes to the local CloudFront endpoint. The CLI runs in-process through `main()`.
 */
import { CopyObjectCommand, DeleteObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { main } from '../../scripts/invalidate';
import { decideRollback, type KeyVersion } from '../../scripts/invalidation/rollback';
import { localApi, TEST_BUCKETS, tempDir, writeOutputs } from './helpers';

const t = (iso: string) => new Date(iso);
const v = (versionId: string, iso: string, isLatest = false, deleteMarker = false, etag?: string): KeyVersion => ({ versionId, lastModified: t(iso), isLatest, deleteMarker, ...(etag ? { etag } : {}) });

describe('rollback: restore earlier S3 versions and invalidate them', () => {
  describe('decideRollback', () => {
    const history = [v('v3', '2025-06-03T00:00:00Z', true, false, '"c"'), v('v2', '2025-06-02T00:00:00Z', false, false, '"b"'), v('v1', '2025-06-01T00:00:00Z', false, false, '"a"')];
    const cases: { name: string; versions: KeyVersion[]; to: { time?: Date; versionId?: string }; expected: object }[] = [
      { name: 'restores the version current at the time', versions: history, to: { time: t('2025-06-02T12:00:00Z') }, expected: { action: 'restore', target: history[1] } },
      { name: 'restores a named version', versions: history, to: { versionId: 'v1' }, expected: { action: 'restore', target: history[2] } },
      { name: 'does nothing when that version is current', versions: history, to: { time: t('2025-06-04T00:00:00Z') }, expected: { action: 'none', why: 'that version is current' } },
      { name: 'does nothing when the current version has the same content (a rollback re-run)', versions: [v('v4', '2025-06-05T00:00:00Z', true, false, '"b"'), ...history.map((x) => ({ ...x, isLatest: false }))], to: { time: t('2025-06-02T12:00:00Z') }, expected: { action: 'none', why: 'the current version has the same content' } },
      { name: 'deletes an object that did not exist at the time', versions: history, to: { time: t('2025-05-01T00:00:00Z') }, expected: { action: 'delete', why: 'did not exist at that time' } },
      { name: 'restores over a delete marker', versions: [v('d1', '2025-06-03T00:00:00Z', true, true), v('v1', '2025-06-01T00:00:00Z')], to: { time: t('2025-06-02T00:00:00Z') }, expected: { action: 'restore' } },
      { name: 'does nothing for an object absent then and now', versions: [v('d1', '2025-06-03T00:00:00Z', true, true)], to: { time: t('2025-06-02T00:00:00Z') }, expected: { action: 'none', why: 'absent then and now' } },
    ];
    for (const c of cases) {
      it(c.name, () => expect(decideRollback(c.versions, c.to)).to.deep.include(c.expected));
    }
    it('names the versions when the version id is unknown', () => {
      expect(decideRollback(history, { versionId: 'nope' })).to.deep.equal({ problem: "has no version 'nope' (it has 3: v3, v2, v1); give a version id of this object or an ISO time." });
    });
  });

  describe('the command', () => {
    let tmp: ReturnType<typeof tempDir>;
    let ep: CloudFrontEndpoint;
    let api: ReturnType<typeof localApi>;
    let outputsFile: string;
    let distributionId: string;
    // Created in before(), not at load time: a client mock is global to S3Client and must not leak into other files.
    let s3: ReturnType<typeof mockClient>;
    const bucket = TEST_BUCKETS.static;

    const versions: Record<string, { Versions?: object[]; DeleteMarkers?: object[] }> = {
      'static/app.js': { Versions: [
        { Key: 'static/app.js', VersionId: 'v3', IsLatest: true, LastModified: t('2025-06-03T00:00:00Z'), ETag: '"c"' },
        { Key: 'static/app.js', VersionId: 'v2', IsLatest: false, LastModified: t('2025-06-02T00:00:00Z'), ETag: '"b"' },
        { Key: 'static/app.js.map', VersionId: 'm1', IsLatest: true, LastModified: t('2025-06-01T00:00:00Z') },
      ] },
      'static/new.js': { Versions: [{ Key: 'static/new.js', VersionId: 'n1', IsLatest: true, LastModified: t('2025-06-02T12:00:00Z') }] },
      'static/same.js': { Versions: [{ Key: 'static/same.js', VersionId: 's1', IsLatest: true, LastModified: t('2025-05-01T00:00:00Z') }] },
      'static/gone.js': {
        Versions: [{ Key: 'static/gone.js', VersionId: 'g1', IsLatest: false, LastModified: t('2025-05-01T00:00:00Z') }],
        DeleteMarkers: [{ Key: 'static/gone.js', VersionId: 'gd', IsLatest: true, LastModified: t('2025-06-03T00:00:00Z') }],
      },
    };

    async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['--outputs', outputsFile, '--queue', join(tmp.dir, 'q.sqlite'), '--no-metrics', '--quiet', ...args], {
        cloudfront: api.api, s3: (region) => new S3Client({ region }), out: (l) => out.push(l), err: (l) => err.push(l),
      });
      return { code, out, err };
    }

    before(async () => {
      s3 = mockClient(S3Client);
      tmp = tempDir('inv-rollback-');
      ({ file: outputsFile, outputs: { distributionId } } = writeOutputs(tmp.dir));
      ep = await startCloudFrontEndpoint({ distributions: [distributionId], completionDelayMs: 20 });
      api = localApi(ep.endpoint);
    });
    beforeEach(() => {
      s3.reset();
      s3.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({ IsTruncated: false, ...versions[input.Prefix] }));
      s3.on(CopyObjectCommand).resolves({});
      s3.on(DeleteObjectCommand).resolves({});
    });
    after(async () => {
      s3.restore();
      api.destroy();
      await ep.close();
      tmp.remove();
    });

    const PATHS = ['/static/app.js', '/static/new.js', '/static/same.js', '/static/gone.js'];

    it('--dry-run shows what it would restore and changes nothing', async () => {
      const r = await cli(['rollback', '--to', '2025-06-02T06:00:00Z', '--dry-run', ...PATHS]);
      expect(r.code).to.equal(0);
      const table = r.out[0]!.split('\n').slice(2).map((l) => l.split(/ {2,}/));
      expect(table).to.deep.equal([
        ['/static/app.js', 'v3', 'v2 (2025-06-02T00:00:00.000Z)', 'restore: restore version of 2025-06-02T00:00:00.000Z'],
        ['/static/new.js', 'n1', '(did not exist)', 'delete: did not exist at that time'],
        ['/static/same.js', 's1', 's1 (2025-05-01T00:00:00.000Z)', 'none: that version is current'],
        ['/static/gone.js', '(deleted) gd', 'g1 (2025-05-01T00:00:00.000Z)', 'restore: restore version of 2025-05-01T00:00:00.000Z'],
      ]);
      expect(r.out[1]).to.equal('\ndry run: 3 objects would be restored or removed and invalidated; nothing was changed.');
      expect(s3.commandCalls(CopyObjectCommand)).to.have.length(0);
      expect(s3.commandCalls(DeleteObjectCommand)).to.have.length(0);
      expect(ep.model.invalidations(distributionId)).to.have.length(0);
    });

    it('restores the versions, removes what did not exist, and invalidates exactly the changed paths', async () => {
      const r = await cli(['rollback', '--to', '2025-06-02T06:00:00Z', '--wait', '--poll-ms', '10', ...PATHS]);
      expect(r.code, r.err.join('\n')).to.equal(0);
      expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: bucket, Key: 'static/app.js', CopySource: `${bucket}/static%2Fapp.js?versionId=v2`, MetadataDirective: 'COPY' },
        { Bucket: bucket, Key: 'static/gone.js', CopySource: `${bucket}/static%2Fgone.js?versionId=g1`, MetadataDirective: 'COPY' },
      ]);
      expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).to.deep.equal([{ Bucket: bucket, Key: 'static/new.js' }]);
      const invs = ep.model.invalidations(distributionId);
      expect(invs.map((i) => [...i.items].sort())).to.deep.equal([['/static/app.js', '/static/gone.js', '/static/new.js']]);
      expect(r.out[r.out.length - 1]).to.match(/^restored 3 objects; all 1 batches of rollback-[0-9a-f]{12} completed\.$/);
    });

    it('run again, it restores nothing and sends no second invalidation', async () => {
      const r = await cli(['rollback', '--to', '2025-06-02T06:00:00Z', ...PATHS]);
      expect(r.code).to.equal(0);
      expect(r.out[0]).to.match(/^this rollback was applied already \(request rollback-[0-9a-f]{12}\)/);
      expect(s3.commandCalls(CopyObjectCommand)).to.have.length(0);
      expect(ep.model.invalidations(distributionId)).to.have.length(1);
    });

    it('restores a named version id', async () => {
      const r = await cli(['rollback', '--to', 'v2', '--paths', '/static/app.js', '--wait', '--poll-ms', '10']);
      expect(r.code).to.equal(0);
      expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input.CopySource)).to.deep.equal([`${bucket}/static%2Fapp.js?versionId=v2`]);
    });

    const bad: { args: string[]; problems: string[] }[] = [
      { args: ['rollback', '/static/app.js'], problems: ["rollback needs --to: an ISO time such as '2025-06-01T02:00:00Z' or an S3 version id."] },
      {
        args: ['rollback', '--to', '2025-06-02T06:00:00Z', '/static/*', '/metadata/videos/1.json', '#release:1'],
        problems: [
          "rollback restores single objects, got the wildcard '/static/*'; list each object's path.",
          "'/metadata/videos/1.json' is served by the metadata origin, which is not an S3 bucket; rollback restores S3 object versions only.",
          "rollback restores single objects, got the tag item '#release:1'; list each object's path.",
        ],
      },
      { args: ['rollback', '--to', 'nope', '/static/app.js'], problems: [`'/static/app.js' (s3://${bucket}/static/app.js) has no version 'nope' (it has 2: v3, v2); give a version id of this object or an ISO time.`] },
    ];
    for (const b of bad) {
      it(`rejects ${b.args.slice(1).join(' ')} and changes nothing`, async () => {
        try {
          await cli(b.args);
          expect.fail('should throw');
        } catch (e) {
          expect(e).to.be.instanceOf(InputError);
          expect((e as InputError).problems).to.deep.equal(b.problems);
        }
        expect(s3.commandCalls(CopyObjectCommand)).to.have.length(0);
      });
    }
  });
});
