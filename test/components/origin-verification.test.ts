import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { apiPathPrefixes, buildOriginWebAclArgs, rateLimitedPathPrefixes } from '../../lib/builders';
import type { Plan } from '../../lib/plan';
import { validateStackFileConfig } from '../../plan/run-plan';
import { readStackConfig } from '../../plan/stack-files';
import { buildPlanSerially, findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const T = {
  secret: 'aws:secretsmanager/secret:Secret',
  version: 'aws:secretsmanager/secretVersion:SecretVersion',
  webAcl: 'aws:wafv2/webAcl:WebAcl',
  association: 'aws:wafv2/webAclAssociation:WebAclAssociation',
  distribution: 'aws:cloudfront/distribution:Distribution',
};
const ALB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api-origin/50dc6c495c0c9188';

describe('web ACL scoping builders', () => {
  it('rate-limits the dynamic routes (custom origins) only, one prefix per subtree', () => {
    expect(rateLimitedPathPrefixes(resolveCatalog())).to.deep.equal(['/api/', '/metadata/']);
    expect(apiPathPrefixes(resolveCatalog())).to.deep.equal(['/api/']);
  });

  it('builds an origin-side web ACL that blocks by default and allows the exact secret header', () => {
    const acl = buildOriginWebAclArgs('origin-verify-prod-us-east-1', 'X-Origin-Verify', 's3cr3t');
    expect(acl).to.deep.include({ scope: 'REGIONAL', defaultAction: { block: {} } });
    expect(acl.rules[0]!.action).to.deep.equal({ allow: {} });
    expect(acl.rules[0]!.statement.byteMatchStatement).to.deep.include({ searchString: 's3cr3t', positionalConstraint: 'EXACTLY', fieldToMatch: { singleHeader: { name: 'x-origin-verify' } } });
  });
});

describe('origins reachable only through CloudFront (under Pulumi mocks)', function () {
  this.timeout(120_000);
  let plan: Plan;
  before(async () => {
    plan = await planFor('prod');
  });

  it('keeps the origin secret in Secrets Manager and sends it to the custom origins only', () => {
    const secret = findResource(plan, T.secret, 'origin-verify-secret');
    expect(inputsOf(secret)).to.deep.include({ name: 'media-cdn/prod/origin-verify', region: 'us-east-1' });
    const version = inputsOf(findResource(plan, T.version, 'origin-verify-secret-v1'));
    expect(version.secretId).to.equal(secret.id);
    expect(version.secretString).to.match(/^[A-Za-z0-9]{48}$/);
    const origins = inputsOf(findResource(plan, T.distribution, 'cdn-distribution')).origins as any[];
    for (const o of origins) {
      // the metadata and API origins and their copies in us-west-2
      const expected = /^(metadata|api)(-us-west-2)?$/.test(o.originId) ? [{ name: 'x-origin-verify', value: version.secretString }] : undefined;
      expect(o.customHeaders, o.originId).to.deep.equal(expected);
    }
  });

  it('never exports the secret value, only where it lives', () => {
    const version = inputsOf(findResource(plan, T.version, 'origin-verify-secret-v1'));
    expect(JSON.stringify(plan.outputs)).to.not.include(version.secretString);
    expect(plan.outputs.originSecretArn).to.match(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:media-cdn\/prod\/origin-verify-/);
    expect(findResources(plan, T.webAcl).map((r) => inputsOf(r).scope)).to.deep.equal(['CLOUDFRONT']);
  });
});

describe('origin secret with an origin-side ALB and a rotation (under Pulumi mocks)', function () {
  this.timeout(120_000);

  it('puts a regional web ACL checking the header on the ALB, and a new value in a new version after a rotation', async () => {
    const config = { ...readStackConfig('prod'), 'media-cdn:originAlbArns': [ALB], 'media-cdn:originSecretRotation': 2 };
    const plan = await buildPlanSerially({ stack: 'prod', config });
    // A new generation is a new version resource (created before the old one is deleted); Secrets
    // Manager draws its value (the mocks return a fixed one).
    const version = inputsOf(findResource(plan, T.version, 'origin-verify-secret-v2'));
    expect(findResources(plan, T.version).map((r) => r.name)).to.deep.equal(['origin-verify-secret-v2']);
    const acl = findResource(plan, T.webAcl, 'origin-verify-alb-waf-us-east-1');
    expect(inputsOf(acl)).to.deep.include({ scope: 'REGIONAL', region: 'us-east-1', defaultAction: { block: {} } });
    expect(inputsOf(acl).rules[0].statement.byteMatchStatement.searchString).to.equal(version.secretString);
    const association = inputsOf(findResource(plan, T.association, 'origin-verify-alb-waf-us-east-1-1'));
    expect(association.resourceArn).to.equal(ALB);
    expect(association.webAclArn).to.match(/^arn:aws:wafv2:us-east-1:123456789012:.*\/origin-verify-prod-us-east-1-origin\//);
  });

  it('rejects an ALB ARN that is not one', () => {
    expect(() => validateStackFileConfig('prod', { ...readStackConfig('prod'), 'media-cdn:originAlbArns': ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'] }))
      .to.throw(/originAlbArns contains 'arn:aws:ec2:us-east-1:123456789012:instance\/i-1', which is not an Application Load Balancer ARN/);
  });
});
