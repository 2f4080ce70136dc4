import { expect } from 'chai';
import { boundedName, NAME_LIMITS, namesStack, stackOfUrn } from '../../lib/aws-names';

describe('AWS resource names', () => {
  it('joins parts within the limit and keeps names that differ past it different', () => {
    expect(boundedName(['cdn-prod', 'distribution', 'access-logs'], NAME_LIMITS.logDeliverySource)).to.equal('cdn-prod-distribution-access-logs');
    const long = (s: string) => boundedName(['cdn', 'a-very-long-stack-name-for-the-european-region', 'distribution', s], NAME_LIMITS.logDeliverySource);
    expect(long('access-logs')).to.have.length.at.most(60);
    expect(long('access-logs')).to.not.equal(long('access-logz'));
    expect(long('access-logs')).to.match(/^cdn-a-very-long-stack-name.*-[0-9a-f]{8}$/);
    expect(boundedName(['cdn', 'prod.eu'], NAME_LIMITS.logDeliverySource)).to.equal('cdn-prod-eu');
  });

  it('recognizes the stack name as a whole word only', () => {
    expect(namesStack('cdn-prod-access-logs', 'prod')).to.equal(true);
    expect(namesStack('/aws/vendedlogs/cloudfront/media-cdn-prod', 'prod')).to.equal(true);
    expect(namesStack('cdn-distribution-access-logs', 'prod')).to.equal(false);
    expect(namesStack('cdn-production-logs', 'prod')).to.equal(false);
  });

  it('reads the stack from a URN', () => {
    expect(stackOfUrn('urn:pulumi:prod::media-cdn::aws:sns/topic:Topic::cdn-topic')).to.equal('prod');
    expect(stackOfUrn('not-a-urn')).to.equal(undefined);
  });
});
