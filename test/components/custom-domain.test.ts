import { expect } from 'chai';
import type { Plan } from '../../lib/plan';
import { aliasRecordSpecs, certificateRequest } from '../../lib/builders';
import { readStackConfig } from '../../plan/stack-files';
import { buildPlanSerially, findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const T = {
  certificate: 'aws:acm/certificate:Certificate',
  validation: 'aws:acm/certificateValidation:CertificateValidation',
  record: 'aws:route53/record:Record',
  distribution: 'aws:cloudfront/distribution:Distribution',
};
const NAMES = ['cdn.example-stream.com', 'media.example-stream.com'];

describe('custom domain builders', () => {
  it('requests one DNS-validated certificate: the first name, the others as SANs', () => {
    expect(certificateRequest({ names: NAMES, hostedZone: 'example-stream.com', hostedZoneId: '' }, 'prod')).to.deep.include({
      domainName: 'cdn.example-stream.com', subjectAlternativeNames: ['media.example-stream.com'], validationMethod: 'DNS',
    });
  });

  it('points each name at the distribution with A, and AAAA when IPv6 is on', () => {
    expect(aliasRecordSpecs(['cdn.example.com', '*.img.example.com'], true).map((r) => `${r.id} ${r.type}`)).to.deep.equal([
      'cdn-example-com-a A', 'cdn-example-com-aaaa AAAA', 'wildcard-img-example-com-a A', 'wildcard-img-example-com-aaaa AAAA',
    ]);
    expect(aliasRecordSpecs(['cdn.example.com'], false).map((r) => r.type)).to.deep.equal(['A']);
  });
});

describe('custom domain of the prod stack (under Pulumi mocks)', function () {
  this.timeout(120_000);
  let plan: Plan;
  before(async () => {
    plan = await planFor('prod');
  });

  it('creates an ACM certificate in us-east-1 for the domain names, validated by DNS records in the hosted zone', () => {
    const cert = findResource(plan, T.certificate, 'domain-certificate');
    expect(inputsOf(cert)).to.deep.include({ region: 'us-east-1', domainName: NAMES[0], subjectAlternativeNames: [NAMES[1]], validationMethod: 'DNS' });
    const records = findResources(plan, T.record).filter((r) => r.name.startsWith('domain-validation-')).map((r) => inputsOf(r));
    expect(records).to.have.length(2);
    for (const r of records) expect(r).to.deep.include({ type: 'CNAME', ttl: 60 });
    const zones = new Set(findResources(plan, T.record).map((r) => inputsOf(r).zoneId));
    expect(zones.size).to.equal(1);
    const validation = inputsOf(findResource(plan, T.validation, 'domain-validation'));
    expect(validation.certificateArn).to.equal(cert.id);
    expect(validation.validationRecordFqdns).to.deep.equal(records.map((r) => String(r.name).replace(/\.$/, '')));
  });

  it('serves the names with the validated certificate and points A/AAAA alias records at the distribution', () => {
    const dist = findResource(plan, T.distribution, 'cdn-distribution');
    const d = inputsOf(dist);
    expect(d.aliases).to.deep.equal(NAMES);
    expect(d.viewerCertificate.acmCertificateArn).to.equal(inputsOf(findResource(plan, T.validation, 'domain-validation')).certificateArn);
    const aliases = findResources(plan, T.record).filter((r) => !r.name.startsWith('domain-validation-')).map((r) => inputsOf(r));
    expect(aliases.map((r) => `${r.name} ${r.type}`)).to.deep.equal(NAMES.flatMap((n) => [`${n} A`, `${n} AAAA`]));
    for (const r of aliases) expect(r.aliases).to.deep.equal([{ name: plan.outputs.domainName, zoneId: 'Z2FDTNDATAQYW2', evaluateTargetHealth: false }]);
  });
});

describe('custom domain with an existing certificate (under Pulumi mocks)', function () {
  this.timeout(120_000);

  it('uses acmCertificateArn, creates no certificate, and still writes the alias records in the given zone', async () => {
    const existing = 'arn:aws:acm:us-east-1:123456789012:certificate/8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
    const config = {
      ...readStackConfig('prod'),
      'media-cdn:acmCertificateArn': existing,
      'media-cdn:domain': { names: NAMES, hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    };
    const plan = await buildPlanSerially({ stack: 'prod', config });
    expect(findResources(plan, T.certificate)).to.deep.equal([]);
    expect(inputsOf(findResource(plan, T.distribution, 'cdn-distribution')).viewerCertificate.acmCertificateArn).to.equal(existing);
    const records = findResources(plan, T.record).map((r) => inputsOf(r));
    expect(records).to.have.length(4);
    for (const r of records) expect(r.zoneId).to.equal('Z0123456789ABCDEFGHIJ');
  });
});
