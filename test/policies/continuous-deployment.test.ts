import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { continuousDeploymentOnCreate } from '../../policies/continuous-deployment';
import { checkPlan, planResources } from '../../policies/offline';
import { buildPlanSerially, planFor } from '../helpers/plan';
import { clone, messagesOf, typeOf } from './helpers';


const DIST = typeOf(aws.cloudfront.Distribution);
const POLICY = typeOf(aws.cloudfront.ContinuousDeploymentPolicy);

describe('deployment rule continuous-deployment-on-create', function () {
  this.timeout(180_000);

  it('passes the fresh prod plan, where the primary is created without the policy', async () => {
    const { forStack } = planResources(clone(await planFor('prod')));
    expect(await messagesOf(continuousDeploymentOnCreate, forStack)).to.deep.equal([]);
  });

  it('passes the next pulumi up, which attaches the policy to the primary that exists', async () => {
    const fresh = await planFor('prod');
    const next = await buildPlanSerially({ stack: 'prod', previousOutputs: fresh.outputs });
    const { forStack } = planResources(clone(next));
    expect(forStack.find((r) => r.type === DIST && r.name === 'cdn-distribution')!.props.continuousDeploymentPolicyId).to.be.a('string').and.not.equal('');
    expect(await messagesOf(continuousDeploymentOnCreate, forStack)).to.deep.equal([]);
  });

  it('fails a fresh plan that attaches the policy on creation', async () => {
    const plan = clone(await planFor('prod'));
    const policyId = plan.resources.find((r) => r.type === POLICY)!.id;
    (plan.resources.find((r) => r.type === DIST && r.name === 'cdn-distribution')!.inputs as Record<string, unknown>).continuousDeploymentPolicyId = policyId;
    const { forStack } = planResources(plan);
    expect(await messagesOf(continuousDeploymentOnCreate, forStack)).to.deep.equal([
      `distribution 'cdn-distribution' is created with continuousDeploymentPolicyId '${policyId}', which CloudFront refuses on creation (the stack's previous outputs show no primary distribution); create it without the policy and attach the policy on the next update.`,
    ]);
    expect(await messagesOf(continuousDeploymentOnCreate, forStack, { exemptDistributions: ['cdn-distribution'] })).to.deep.equal([]);
    const report = await checkPlan(plan);
    expect(report.violations.filter((v) => v.rule === 'continuous-deployment-on-create').map((v) => v.level)).to.deep.equal(['mandatory']);
  });
});
