import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import {
  bucketEncrypted, bucketPolicyNotPublic, bucketPolicyRequiresTls, bucketPublicAccessBlocked, originBucketVersioned,
} from '../../policies/origin-buckets';
import { prodFixture, type Fixture } from './fixtures';
import { messagesOf, violationsOf } from './helpers';

type Props = Record<string, any>;

function editPolicy(f: Fixture, name: string, edit: (statements: Props[]) => Props[]): void {
  const p = f.find(aws.s3.BucketPolicy, name).props;
  const doc = JSON.parse(p.policy as string) as { Statement: Props[] };
  p.policy = JSON.stringify({ ...doc, Statement: edit(doc.Statement) });
}
const bucketNameOf = (f: Fixture, name: string): string => f.find(aws.s3.Bucket, name).props.id as string;

describe('origin bucket rules', function () {
  this.timeout(60_000);
  let f: Fixture;
  beforeEach(async () => {
    f = await prodFixture();
  });

  for (const rule of [bucketPublicAccessBlocked, bucketEncrypted, originBucketVersioned, bucketPolicyNotPublic, bucketPolicyRequiresTls]) {
    it(`${rule.name} passes the prod stack (eight buckets)`, async () => {
      expect(f.all(aws.s3.Bucket)).to.have.length(8);
      expect(await messagesOf(rule, f.stack)).to.deep.equal([]);
    });
  }

  describe('bucket-public-access-blocked', () => {
    it('reports a bucket without a block, on the bucket', async () => {
      const stack = f.stack.filter((r) => r.name !== 'origins-logs-public-access');
      expect(await violationsOf(bucketPublicAccessBlocked, stack)).to.deep.equal([{
        urn: f.find(aws.s3.Bucket, 'origins-logs').urn,
        message: `bucket '${bucketNameOf(f, 'origins-logs')}' has no public access block; add an aws.s3.BucketPublicAccessBlock with 'blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls' and 'restrictPublicBuckets' true.`,
      }]);
    });

    it('reports the settings that are off, on the block', async () => {
      Object.assign(f.find(aws.s3.BucketPublicAccessBlock, 'origins-images-public-access').props, { ignorePublicAcls: false, restrictPublicBuckets: undefined });
      expect(await violationsOf(bucketPublicAccessBlocked, f.stack)).to.deep.equal([{
        urn: f.find(aws.s3.BucketPublicAccessBlock, 'origins-images-public-access').urn,
        message: `bucket '${bucketNameOf(f, 'origins-images')}' has a public access block with 'ignorePublicAcls' and 'restrictPublicBuckets' not true; set them to true.`,
      }]);
    });
  });

  describe('bucket-encrypted', () => {
    it('reports a bucket without an encryption configuration and accepts aws:kms', async () => {
      const stack = f.stack.filter((r) => r.name !== 'origins-static-replica-encryption');
      expect(await messagesOf(bucketEncrypted, stack)).to.deep.equal([
        `bucket '${bucketNameOf(f, 'origins-static-replica')}' has no server-side encryption configuration; add one with sseAlgorithm 'AES256', 'aws:kms' or 'aws:kms:dsse'.`,
      ]);
      f.find(aws.s3.BucketServerSideEncryptionConfiguration, 'origins-video-encryption').props.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }];
      expect(await messagesOf(bucketEncrypted, f.stack)).to.deep.equal([]);
    });

    it('reports an algorithm outside the configured list', async () => {
      f.find(aws.s3.BucketServerSideEncryptionConfiguration, 'origins-video-encryption').props.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }];
      expect(await messagesOf(bucketEncrypted, f.stack, { algorithms: ['aws:kms'] })).to.have.length(8);
    });
  });

  describe('origin-bucket-versioned', () => {
    it('reports an origin bucket without versioning but not the log or Athena results bucket', async () => {
      const stack = f.stack.filter((r) => r.name !== 'origins-images-replica-versioning');
      expect(await violationsOf(originBucketVersioned, stack)).to.deep.equal([{
        urn: f.find(aws.s3.Bucket, 'origins-images-replica').urn,
        message: `origin bucket '${bucketNameOf(f, 'origins-images-replica')}' has no versioning configuration; add an aws.s3.BucketVersioning with status 'Enabled'.`,
      }]);
      expect((await messagesOf(originBucketVersioned, f.stack, { includeAllBuckets: true })).sort()).to.deep.equal([
        `origin bucket '${bucketNameOf(f, 'analytics-athena-results')}' has no versioning configuration; add an aws.s3.BucketVersioning with status 'Enabled'.`,
        `origin bucket '${bucketNameOf(f, 'origins-logs')}' has no versioning configuration; add an aws.s3.BucketVersioning with status 'Enabled'.`,
      ]);
    });
  });

  describe('bucket-policy-not-public', () => {
    it('reports an Allow for any principal, and accepts one restricted by a source condition', async () => {
      editPolicy(f, 'cdn-access-images', (s) => [...s, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' }]);
      expect(await messagesOf(bucketPolicyNotPublic, f.stack)).to.deep.equal([
        `the policy of bucket '${bucketNameOf(f, 'origins-images')}' has 1 statement(s) allowing any principal ('*') with no source condition; restrict them to the CloudFront service principal with AWS:SourceArn.`,
      ]);
      editPolicy(f, 'cdn-access-images', (s) => s.map((x) => (x.Principal?.AWS === '*' ? { ...x, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } } : x)));
      expect(await messagesOf(bucketPolicyNotPublic, f.stack)).to.deep.equal([]);
    });
  });

  describe('bucket-policy-requires-tls', () => {
    it('reports a policy without the TLS deny and a bucket without a policy', async () => {
      editPolicy(f, 'cdn-access-video', (s) => s.filter((x) => x.Sid !== 'DenyInsecureTransport'));
      const stack = f.stack.filter((r) => r.name !== 'cdn-access-logs');
      expect(await messagesOf(bucketPolicyRequiresTls, stack)).to.have.members([
        `the policy of bucket '${bucketNameOf(f, 'origins-video')}' does not deny requests with aws:SecureTransport false; add a DenyInsecureTransport statement.`,
        `bucket '${bucketNameOf(f, 'origins-logs')}' has no bucket policy, so nothing denies plain-HTTP requests; add a policy that denies aws:SecureTransport false.`,
      ]).and.to.have.length(2);
    });
  });
});
