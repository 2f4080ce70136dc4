import { expect } from 'chai';
import type { Plan } from '../../lib/plan';
import { readStackConfig } from '../../plan/stack-files';
import { buildPlanSerially, findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const DIST = 'aws:cloudfront/distribution:Distribution';
const POLICY = 'aws:cloudfront/continuousDeploymentPolicy:ContinuousDeploymentPolicy';
const CACHE_POLICY = 'aws:cloudfront/cachePolicy:CachePolicy';

describe('MediaCdn: continuous deployment in two phases and the candidate (under Pulumi mocks)', function () {
  this.timeout(180_000);
  let fresh: Plan;
  let next: Plan;
  let candidate: Plan;
  before(async () => {
    fresh = await planFor('prod');
    next = await buildPlanSerially({ stack: 'prod', previousOutputs: fresh.outputs });
    candidate = await buildPlanSerially({
      stack: 'prod',
      previousOutputs: fresh.outputs,
      config: { ...readStackConfig('prod'), 'media-cdn:candidate': { priceClass: 'PriceClass_200', contentTypes: { metadata: { defaultTtl: 600 } } } },
    });
  });

  it('creates the primary without a policy on a fresh stack, with the staging distribution and the policy beside it', () => {
    const primary = inputsOf(findResource(fresh, DIST, 'cdn-distribution'));
    expect(primary).to.not.have.property('continuousDeploymentPolicyId');
    expect(primary.webAclId).to.be.a('string').and.match(/webacl/);
    expect(findResources(fresh, POLICY)).to.have.length(1);
    expect(fresh.outputs.continuousDeploymentPhase).to.equal('create');
  });

  it('reads its own previous outputs through a StackReference to the stack', () => {
    const ref = findResource(fresh, 'pulumi:pulumi:StackReference', 'cdn-previous-deployment');
    expect(ref.id).to.equal('organization/media-cdn/prod');
    expect(inputsOf(ref).outputs).to.deep.equal({});
  });

  it('attaches the policy on the next pulumi up, once the primary exists, and changes nothing else', () => {
    const policy = findResource(next, POLICY, 'cdn-continuous-deployment');
    const primary = inputsOf(findResource(next, DIST, 'cdn-distribution'));
    expect(primary.continuousDeploymentPolicyId).to.equal(policy.id);
    expect(next.outputs.continuousDeploymentPhase).to.equal('attach');
    const { continuousDeploymentPolicyId: _attached, ...rest } = primary;
    expect(rest).to.deep.equal(inputsOf(findResource(fresh, DIST, 'cdn-distribution')));
    expect(inputsOf(findResource(next, DIST, 'cdn-staging'))).to.not.have.property('continuousDeploymentPolicyId');
  });

  it('builds primary and staging alike without a candidate (same comment, so a promotion leaves no drift)', () => {
    const { aliases: _a, staging: _s, tags: _t, ...primary } = inputsOf(findResource(next, DIST, 'cdn-distribution'));
    const { aliases, staging, tags: _u, ...stagingRest } = inputsOf(findResource(next, DIST, 'cdn-staging'));
    delete primary.continuousDeploymentPolicyId;
    expect([aliases, staging]).to.deep.equal([[], true]);
    expect(stagingRest).to.deep.equal(primary);
  });

  it('builds the staging distribution from the candidate and the primary from the stack config alone', () => {
    const primary = inputsOf(findResource(candidate, DIST, 'cdn-distribution'));
    const staging = inputsOf(findResource(candidate, DIST, 'cdn-staging'));
    expect([primary.priceClass, staging.priceClass]).to.deep.equal(['PriceClass_All', 'PriceClass_200']);
    const ttl = (name: string) => inputsOf(findResource(candidate, CACHE_POLICY, name)).defaultTtl;
    expect([ttl('cdn-prod-metadata'), ttl('cdn-candidate-prod-metadata')]).to.deep.equal([900, 600]);
    const metadataPolicyOf = (d: Record<string, any>) => d.orderedCacheBehaviors.find((b: any) => b.pathPattern === '/metadata/*').cachePolicyId;
    expect(metadataPolicyOf(primary)).to.equal(findResource(candidate, CACHE_POLICY, 'cdn-prod-metadata').id);
    expect(metadataPolicyOf(staging)).to.equal(findResource(candidate, CACHE_POLICY, 'cdn-candidate-prod-metadata').id);
    expect(inputsOf(findResource(candidate, DIST, 'cdn-distribution'))).to.deep.equal(inputsOf(findResource(next, DIST, 'cdn-distribution')));
  });

  it('has no staging distribution, policy or stack reference where staging is off', async () => {
    const staging = await planFor('staging');
    expect(findResources(staging, POLICY)).to.have.length(0);
    expect(findResources(staging, 'pulumi:pulumi:StackReference')).to.have.length(0);
    expect(staging.outputs.continuousDeploymentPhase).to.equal('off');
    expect(staging.outputs.continuousDeploymentPolicyId).to.equal('');
  });
});
