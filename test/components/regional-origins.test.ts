import { expect } from 'chai';
import { join } from 'node:path';
import { loadOriginAwareHandler } from '../../lib/images/edge-runtime';
import type { Plan } from '../../lib/plan';
import { buildPlanSerially, findResource, findResources, inputsOf } from '../helpers/plan';

const T = {
  distribution: 'aws:cloudfront/distribution:Distribution',
  bucket: 'aws:s3/bucket:Bucket',
  publicAccess: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  encryption: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  versioning: 'aws:s3/bucketVersioning:BucketVersioning',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  replication: 'aws:s3/bucketReplicationConfig:BucketReplicationConfig',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  fn: 'aws:cloudfront/function:Function',
  orp: 'aws:cloudfront/originRequestPolicy:OriginRequestPolicy',
  oac: 'aws:cloudfront/originAccessControl:OriginAccessControl',
};

/** The regional test stack: prod plus S3 origins in five more Regions and metadata/API in two. */
const REGIONS = ['eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ap-southeast-2', 'ap-south-1'];
const S3 = ['video', 'images', 'static'];

describe('MediaCdn with regional origins (test/stacks/regional, under Pulumi mocks)', function () {
  this.timeout(180_000);
  let plan: Plan;
  let dist: { origins: any[]; originGroups: any[]; orderedCacheBehaviors: any[]; defaultCacheBehavior: any };
  before(async () => {
    plan = await buildPlanSerially({ stack: 'prod', dir: join(__dirname, '..', 'stacks', 'regional') });
    dist = inputsOf(findResource(plan, T.distribution, 'cdn-distribution'));
  });

  it('creates one private, versioned, encrypted bucket per S3 origin and Region, in that Region', () => {
    for (const o of S3) {
      for (const r of REGIONS) {
        const name = `origins-${o}-${r}`;
        expect(inputsOf(findResource(plan, T.bucket, name)).region, name).to.equal(r);
        expect(inputsOf(findResource(plan, T.publicAccess, `${name}-public-access`))).to.deep.include({
          region: r, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        });
        expect(inputsOf(findResource(plan, T.encryption, `${name}-encryption`)).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal('AES256');
        expect(inputsOf(findResource(plan, T.versioning, `${name}-versioning`)).versioningConfiguration.status).to.equal('Enabled');
      }
    }
  });

  it('replicates each primary bucket with one configuration: the failover replica and one rule per Region, with distinct priorities', () => {
    for (const o of S3) {
      const cfg = inputsOf(findResource(plan, T.replication, `origins-${o}-replication`));
      expect(cfg.region).to.equal('us-east-1');
      const rules = cfg.rules as any[];
      expect(rules.map((r) => r.id)).to.deep.equal(['replicate-all', ...REGIONS.map((r) => `replicate-to-${r}`)]);
      expect(new Set(rules.map((r) => r.priority)).size).to.equal(rules.length);
      for (const [i, r] of REGIONS.entries()) {
        const bucket = findResource(plan, T.bucket, `origins-${o}-${r}`).id;
        expect(rules[i + 1].destination.bucket).to.equal(`arn:aws:s3:::${bucket}`);
        expect(rules[i + 1].deleteMarkerReplication).to.deep.equal({ status: 'Enabled' });
      }
    }
    const policy = JSON.parse(String(inputsOf(findResource(plan, T.rolePolicy, 'origins-replication')).policy));
    const writes = policy.Statement.find((s: any) => s.Action.includes('s3:ReplicateObject')).Resource as string[];
    for (const o of S3) for (const r of REGIONS) expect(writes).to.include(`arn:aws:s3:::${findResource(plan, T.bucket, `origins-${o}-${r}`).id}/*`);
  });

  it('makes every regional bucket an origin signed by the OAC, with Origin Shield in its own Region', () => {
    const oac = findResource(plan, T.oac, 'origins-oac').id;
    for (const o of S3) {
      for (const r of REGIONS) {
        const origin = dist.origins.find((x) => x.originId === `${o}-${r}`);
        expect(origin, `${o}-${r}`).to.not.equal(undefined);
        expect(origin.domainName).to.equal(`${findResource(plan, T.bucket, `origins-${o}-${r}`).id}.s3.${r}.amazonaws.com`);
        expect(origin.originAccessControlId).to.equal(oac);
        expect(origin.originShield).to.deep.equal({ enabled: true, originShieldRegion: r });
      }
    }
    expect(dist.origins.find((x) => x.originId === 'api-ap-northeast-1').domainName).to.equal('api.ap-northeast-1.internal.example-stream.com');
    // metadata and API have copies, none in the failover Region: each group's secondary is its first copy
    expect(dist.originGroups.map((g) => [g.originId, g.members.map((m: { originId: string }) => m.originId)])).to.deep.equal([
      ['video-group', ['video-primary', 'video-secondary']], ['images-group', ['images-primary', 'images-fallback']], ['static-group', ['static-primary', 'static-secondary']],
      ['metadata-group', ['metadata', 'metadata-eu-central-1']], ['api-group', ['api', 'api-eu-central-1']],
    ]);
  });

  it("lets only this stack's distributions read each regional bucket (OAC, AWS:SourceArn)", () => {
    const arns = ['cdn-distribution', 'cdn-staging'].map((n) => findResource(plan, T.distribution, n)).map((d) => `arn:aws:cloudfront::123456789012:distribution/${d.id}`);
    for (const o of S3) {
      for (const r of REGIONS) {
        const p = inputsOf(findResource(plan, T.bucketPolicy, `cdn-access-${o}-${r}`));
        expect(p.region).to.equal(r);
        const doc = JSON.parse(String(p.policy));
        expect(doc.Statement[0].Principal).to.deep.equal({ Service: 'cloudfront.amazonaws.com' });
        expect(doc.Statement[0].Condition).to.deep.equal({ StringEquals: { 'AWS:SourceArn': arns } });
      }
    }
  });

  it('gives every routed behavior a selecting function and an origin request policy that forwards the viewer country', async () => {
    const fns = new Map(findResources(plan, T.fn).map((f) => [f.id, inputsOf<Record<string, any>>(f)]));
    const orps = new Map(findResources(plan, T.orp).map((p) => [p.id, inputsOf<Record<string, any>>(p)]));
    for (const b of [...dist.orderedCacheBehaviors, dist.defaultCacheBehavior]) {
      const orp = orps.get(b.originRequestPolicyId);
      expect(orp, `${b.pathPattern}: origin request policy`).to.not.equal(undefined);
      expect(orp!.headersConfig.headers.items, b.pathPattern).to.include('CloudFront-Viewer-Country');
      expect(b.functionAssociations, b.pathPattern).to.have.length(1);
    }
    // Run the planned video function in the emulation: a viewer in Japan goes to Tokyo, failing over to the primary.
    const video = dist.orderedCacheBehaviors.find((b) => b.pathPattern === '/video/*');
    const code = [...fns.values()].find((f) => `arn:aws:cloudfront::123456789012:function/${f.name}` === video.functionAssociations[0].functionArn)!.code as string;
    const handler = loadOriginAwareHandler(code, new Map(), { originIds: dist.origins.map((o) => o.originId) });
    const out = await handler({ request: { method: 'GET', uri: '/video/a.ts', querystring: {}, headers: { 'cloudfront-viewer-country': { value: 'JP' } }, cookies: {} } });
    expect(out.origin).to.deep.include({ kind: 'group', originIds: ['video-ap-northeast-1', 'video-primary'] });
  });

  it('associates the image variant index with the regional image function', () => {
    const f = inputsOf(findResource(plan, T.fn, 'cdn-image-images'));
    expect(f.keyValueStoreAssociations).to.have.length(1);
    expect(f.runtime).to.equal('cloudfront-js-2.0');
  });
});
