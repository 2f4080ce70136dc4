import {
  CreateDistributionCommand, DeleteContinuousDeploymentPolicyCommand, DeleteDistributionCommand, GetContinuousDeploymentPolicyCommand,
  GetContinuousDeploymentPolicyConfigCommand, GetDistributionCommand, GetDistributionConfigCommand, UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand, UpdateDistributionWithStagingConfigCommand, type CloudFrontClient,
} from '@aws-sdk/client-cloudfront';
import { expect } from 'chai';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { cloudFrontClient, distributionConfig, seedContinuousDeployment, WEB_ACL } from '../rollout/fixtures';

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const x = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return `${x.$metadata?.httpStatusCode} ${x.name}: ${x.message}`;
  }
  throw new Error('expected the call to fail');
}

describe('local/cloudfront-endpoint: distributions and continuous deployment with the real SDK', () => {
  let ep: CloudFrontEndpoint;
  let cf: CloudFrontClient;
  beforeEach(async () => {
    ep = await startCloudFrontEndpoint();
    cf = cloudFrontClient(ep);
  });
  afterEach(async () => {
    cf.destroy();
    await ep.close();
  });

  it('refuses a continuous-deployment policy on creation, and creates the distribution without one', async () => {
    expect(await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig('p', { ContinuousDeploymentPolicyId: 'abc' }) }))))
      .to.equal('400 InvalidArgument: Continuous deployment policy cannot be associated to distribution on creation; create the distribution, then update it with the policy id.');
    const created = await cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig('p') }));
    expect(created.$metadata.httpStatusCode).to.equal(201);
    expect(created.ETag).to.match(/^E[0-9A-F]{12}$/);
    const got = await cf.send(new GetDistributionCommand({ Id: created.Distribution!.Id! }));
    expect(got.Distribution!.DistributionConfig).to.deep.include({ PriceClass: 'PriceClass_All', WebACLId: WEB_ACL, Comment: 'media-cdn prod' });
    expect(got.Distribution!.DistributionConfig!.Aliases).to.deep.equal({ Quantity: 1, Items: ['cdn.example-stream.com'] });
    expect(got.ETag).to.equal(created.ETag);
  });

  it('refuses a staging distribution with aliases or HTTP/3', async () => {
    expect(await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig('s', { Staging: true }) }))))
      .to.equal('400 InvalidArgument: A staging distribution cannot have alternate domain names (Aliases).');
    expect(await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig('s', { Staging: true, Aliases: { Quantity: 0 }, HttpVersion: 'http2and3' }) }))))
      .to.match(/^400 InvalidArgument: Continuous deployment cannot be used with HTTP\/3/);
  });

  it('updates only with the current ETag: PreconditionFailed (412) on a stale one, InvalidIfMatchVersion without', async () => {
    const { primaryId } = await seedContinuousDeployment(cf, { attach: false });
    const current = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    const config = { ...current.DistributionConfig!, PriceClass: 'PriceClass_200' as const };
    expect(await failure(cf.send(new UpdateDistributionCommand({ Id: primaryId, DistributionConfig: config })))).to.match(/^400 InvalidIfMatchVersion: /);
    const updated = await cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: current.ETag, DistributionConfig: config }));
    expect(updated.ETag).to.not.equal(current.ETag);
    expect(await failure(cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: current.ETag, DistributionConfig: config })))).to.match(/^412 PreconditionFailed: /);
  });

  it('keeps an attached policy when an update leaves its id out, and detaches only on an explicit empty id', async () => {
    const { primaryId, policyId } = await seedContinuousDeployment(cf);
    let current = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    expect(current.DistributionConfig!.ContinuousDeploymentPolicyId).to.equal(policyId);
    const { ContinuousDeploymentPolicyId: _omitted, ...withoutId } = current.DistributionConfig!;
    await cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: current.ETag, DistributionConfig: withoutId }));
    current = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    expect(current.DistributionConfig!.ContinuousDeploymentPolicyId).to.equal(policyId);
    expect(await failure(cf.send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: (await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }))).ETag }))))
      .to.match(/^409 ContinuousDeploymentPolicyInUse: /);
    await cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, ContinuousDeploymentPolicyId: '' } }));
    const policy = await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    await cf.send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: policy.ETag }));
    expect(await failure(cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId })))).to.match(/^404 NoSuchContinuousDeploymentPolicy: /);
  });

  it('refuses to change the web ACL while a policy is attached', async () => {
    const { primaryId } = await seedContinuousDeployment(cf);
    const current = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    expect(await failure(cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, WebACLId: '' } }))))
      .to.equal('400 IllegalUpdate: The web ACL cannot be changed or removed while the distribution has a continuous deployment policy; delete the policy first.');
  });

  it('deletes a staging distribution only once no policy names it and it is disabled', async () => {
    const { stagingId, policyId } = await seedContinuousDeployment(cf, { attach: false });
    let staging = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    expect(await failure(cf.send(new DeleteDistributionCommand({ Id: stagingId, IfMatch: staging.ETag })))).to.match(/^409 DistributionNotDisabled: /);
    await cf.send(new UpdateDistributionCommand({ Id: stagingId, IfMatch: staging.ETag, DistributionConfig: { ...staging.DistributionConfig!, Enabled: false } }));
    staging = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    expect(await failure(cf.send(new DeleteDistributionCommand({ Id: stagingId, IfMatch: staging.ETag })))).to.match(/^400 IllegalDelete: Staging distribution .* is named by continuous deployment policy/);
    const policy = await cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policyId }));
    await cf.send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: policy.ETag }));
    await cf.send(new DeleteDistributionCommand({ Id: stagingId, IfMatch: staging.ETag }));
    expect(await failure(cf.send(new GetDistributionCommand({ Id: stagingId })))).to.match(/^404 NoSuchDistribution: /);
  });

  it('promotes the staging config onto the primary with both ETags, keeping aliases and the policy, and disables the policy', async () => {
    const { primaryId, stagingId, policyId } = await seedContinuousDeployment(cf);
    const staging = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    await cf.send(new UpdateDistributionCommand({ Id: stagingId, IfMatch: staging.ETag, DistributionConfig: { ...staging.DistributionConfig!, PriceClass: 'PriceClass_200' } }));
    const etags = async () => `${(await cf.send(new GetDistributionCommand({ Id: primaryId }))).ETag}, ${(await cf.send(new GetDistributionCommand({ Id: stagingId }))).ETag}`;
    const promote = (ifMatch: string | undefined) => cf.send(new UpdateDistributionWithStagingConfigCommand({ Id: primaryId, StagingDistributionId: stagingId, IfMatch: ifMatch }));

    expect(await failure(promote(await etags()))).to.equal(`400 IllegalUpdate: Continuous deployment policy ${policyId} is disabled; enable it (send traffic to the staging distribution) before promoting.`);
    const policy = await cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policyId }));
    await cf.send(new UpdateContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: policy.ETag, ContinuousDeploymentPolicyConfig: { ...policy.ContinuousDeploymentPolicyConfig!, Enabled: true } }));
    expect(await failure(promote((await etags()).split(',')[0]))).to.match(/^400 InvalidIfMatchVersion: /);
    expect(await failure(promote(`${staging.ETag}, ${staging.ETag}`))).to.match(/^412 PreconditionFailed: /);

    const promoted = await promote(await etags());
    const config = promoted.Distribution!.DistributionConfig!;
    expect([config.PriceClass, config.Staging, config.ContinuousDeploymentPolicyId, config.CallerReference]).to.deep.equal(['PriceClass_200', false, policyId, 'primary']);
    expect(config.Aliases).to.deep.equal({ Quantity: 1, Items: ['cdn.example-stream.com'] });
    expect((await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }))).ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.Enabled).to.equal(false);
  });

  it('refuses weights over 15 % and headers without the aws-cf-cd- prefix', async () => {
    const { policyId } = await seedContinuousDeployment(cf);
    const policy = await cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policyId }));
    const update = (TrafficConfig: object) => cf.send(new UpdateContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: policy.ETag, ContinuousDeploymentPolicyConfig: { ...policy.ContinuousDeploymentPolicyConfig!, TrafficConfig: TrafficConfig as never } }));
    expect(await failure(update({ Type: 'SingleWeight', SingleWeightConfig: { Weight: 0.2 } }))).to.equal('400 InvalidArgument: SingleWeightConfig.Weight must be from 0 to 0.15 (15 %), got 0.2.');
    expect(await failure(update({ Type: 'SingleHeader', SingleHeaderConfig: { Header: 'x-staging', Value: '1' } }))).to.equal("400 InvalidArgument: SingleHeaderConfig.Header must start with 'aws-cf-cd-', got 'x-staging'.");
  });
});
