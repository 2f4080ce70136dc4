import { expect } from 'chai';
import { buildTrafficConfig, continuousDeploymentPhase, FRESH_STACK, nextStep, previousDeployment, primaryPolicyId } from '../../lib/builders';

describe('continuous deployment phases', () => {
  it('creates the primary unattached on a fresh stack, attaches once it exists, and is off without staging', () => {
    const cases: [boolean, unknown, string][] = [
      [true, {}, 'create'],
      [true, { distributionId: '' }, 'create'],
      [true, { distributionId: 'E1ABC' }, 'attach'],
      [false, { distributionId: 'E1ABC' }, 'off'],
      [false, {}, 'off'],
    ];
    for (const [staging, outputs, phase] of cases) {
      expect(continuousDeploymentPhase(staging, previousDeployment(outputs)), JSON.stringify([staging, outputs])).to.equal(phase);
    }
  });

  it('reads missing or odd previous outputs as a fresh stack', () => {
    for (const o of [undefined, null, 'x', [], { distributionId: 42 }]) expect(previousDeployment(o)).to.deep.equal(FRESH_STACK);
  });

  it("gives the primary the policy's id only in the attach phase", () => {
    expect(primaryPolicyId('attach', 'P1')).to.equal('P1');
    expect(primaryPolicyId('create', 'P1')).to.equal(undefined);
    expect(primaryPolicyId('off', 'P1')).to.equal(undefined);
    expect(nextStep('create')).to.match(/^run 'pulumi up' again: it attaches/);
  });

  it('routes by weight when one is set, else by header', () => {
    expect(buildTrafficConfig({ stagingTrafficWeight: 5, stagingHeaderName: 'aws-cf-cd-staging', stagingHeaderValue: 'true' }))
      .to.deep.equal({ type: 'SingleWeight', singleWeightConfig: { weight: 0.05 } });
    expect(buildTrafficConfig({ stagingTrafficWeight: 0, stagingHeaderName: 'aws-cf-cd-beta', stagingHeaderValue: '1' }))
      .to.deep.equal({ type: 'SingleHeader', singleHeaderConfig: { header: 'aws-cf-cd-beta', value: '1' } });
  });
});
