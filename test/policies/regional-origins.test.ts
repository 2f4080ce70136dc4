import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { join } from 'node:path';
import type { Plan } from '../../lib/plan';
import { planResources, type CheckedResource } from '../../policies/offline';
import { POLICIES } from '../../policies/rules';
import { regionalOriginComplete } from '../../policies/origin-buckets';
import { buildPlanSerially } from '../helpers/plan';
import { clone, messagesOf, typeOf } from './helpers';

let regionalPlan: Promise<Plan> | undefined;

/** The regional test stack (test/stacks/regional) as stack rules see it; a fresh copy per call. */
async function regionalStack(): Promise<CheckedResource[]> {
  regionalPlan ??= buildPlanSerially({ stack: 'prod', dir: join(__dirname, '..', 'stacks', 'regional') });
  return planResources(clone(await regionalPlan)).forStack;
}

const find = (stack: CheckedResource[], cls: { new (...rest: any[]): unknown }, name: string) =>
  stack.find((r) => r.type === typeOf(cls as never) && r.name === name)!;

describe('regional-origin-complete (and the bucket rules on regional buckets)', function () {
  this.timeout(180_000);

  it('passes the regional stack: every rule of the pack', async () => {
    const stack = await regionalStack();
    for (const rule of POLICIES) {
      if (!('validateStack' in rule)) continue;
      expect(await messagesOf(rule, stack), rule.name).to.deep.equal([]);
    }
  });

  it('reports a regional origin without an origin access control', async () => {
    const stack = await regionalStack();
    const dist = find(stack, aws.cloudfront.Distribution, 'cdn-distribution');
    const origin = (dist.props.origins as { originId: string; originAccessControlId?: string }[]).find((o) => o.originId === 'video-eu-central-1')!;
    delete origin.originAccessControlId;
    expect(await messagesOf(regionalOriginComplete, stack)).to.deep.equal([
      "regional origin 'video-eu-central-1' of distribution 'cdn-distribution' has no origin access control; set originAccessControlId so CloudFront signs its requests.",
    ]);
  });

  it('reports a regional bucket no replication rule fills', async () => {
    const stack = await regionalStack();
    const cfg = find(stack, aws.s3.BucketReplicationConfig, 'origins-static-replication');
    cfg.props.rules = (cfg.props.rules as { id: string }[]).filter((r) => r.id !== 'replicate-to-sa-east-1');
    const bucket = find(stack, aws.s3.Bucket, 'origins-static-sa-east-1').props.id as string;
    const messages = await messagesOf(regionalOriginComplete, stack);
    expect(messages).to.have.length(2); // the primary and the staging distribution both read it
    expect(messages[0]).to.equal(`regional origin 'static-sa-east-1' of distribution 'cdn-distribution' reads bucket '${bucket}', which no replication rule fills; add a rule replicating the primary bucket to it.`);
  });

  it("reports a regional bucket whose policy does not admit this stack's distribution", async () => {
    const stack = await regionalStack();
    const p = find(stack, aws.s3.BucketPolicy, 'cdn-access-images-ap-northeast-1');
    const doc = JSON.parse(p.props.policy as string) as { Statement: { Condition?: unknown }[] };
    doc.Statement[0]!.Condition = { StringEquals: { 'AWS:SourceArn': ['arn:aws:cloudfront::123456789012:distribution/EOTHERSTACK'] } };
    p.props.policy = JSON.stringify(doc);
    const bucket = find(stack, aws.s3.Bucket, 'origins-images-ap-northeast-1').props.id as string;
    expect(await messagesOf(regionalOriginComplete, stack)).to.include(
      `regional origin 'images-ap-northeast-1' of distribution 'cdn-distribution' reads bucket '${bucket}', whose bucket policy does not let the CloudFront service read it for this distribution (AWS:SourceArn); add the origin bucket policy.`,
    );
  });

  it('ignores the origin groups\' members and custom origins', async () => {
    const stack = await regionalStack();
    for (const name of ['origins-video-replication', 'origins-images-replication', 'origins-static-replication']) {
      const cfg = find(stack, aws.s3.BucketReplicationConfig, name);
      cfg.props.rules = (cfg.props.rules as { id: string }[]).filter((r) => r.id !== 'replicate-all');
    }
    expect(await messagesOf(regionalOriginComplete, stack)).to.deep.equal([]);
  });
});
