/**
 * The pack on the committed stacks' plans, and on prod with a one-day metadata TTL: the checks the
 * issue's "done when" names, run in-process on the same code as `npm run policy:check`.
 */
import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { readStackConfig } from '../../plan/stack-files';
import { checkPlan } from '../../policies/offline';
import { buildPlanSerially, planFor } from '../helpers/plan';
import { typeOf } from './helpers';

describe('the policy pack on the committed stacks', function () {
  this.timeout(120_000);

  it('finds no mandatory violation in the prod plan, where every rule is mandatory', async () => {
    const report = await checkPlan(await planFor('prod'));
    expect(report.enforcement).to.equal('mandatory');
    expect(report.violations.filter((v) => v.level === 'mandatory')).to.deep.equal([]);
    expect(report.rules.filter((r) => r.level === 'advisory').map((r) => r.name)).to.deep.equal([]);
  });

  it('finds no mandatory violation in the staging plan, where every rule is advisory', async () => {
    const report = await checkPlan(await planFor('staging'));
    expect(report.enforcement).to.equal('advisory');
    expect(report.mandatory).to.equal(0);
    expect(new Set(report.rules.map((r) => r.level))).to.deep.equal(new Set(['advisory']));
  });

  it('fails prod when its stack config sets the metadata default TTL to one day, naming the rule, the resource and the bound', async () => {
    const config = { ...readStackConfig('prod'), 'media-cdn:contentTypes': { metadata: { defaultTtl: 86_400, maxTtl: 86_400 } } };
    const plan = await buildPlanSerially({ stack: 'prod', config });
    const report = await checkPlan(plan);
    const policy = plan.resources.find((r) => r.type === typeOf(aws.cloudfront.CachePolicy) && r.name === 'cdn-prod-metadata')!;
    const mandatory = report.violations.filter((v) => v.level === 'mandatory');
    expect(mandatory.map((v) => [v.rule, v.urn])).to.deep.equal([
      ['default-ttl-within-update-interval', policy.urn],
      ['default-ttl-within-update-interval', policy.urn],
      ['max-ttl-bounded', policy.urn],
      ['max-ttl-bounded', policy.urn],
    ]);
    expect(mandatory[0]!.message).to.equal(
      "cache behavior '/metadata/*' of distribution 'cdn-distribution' serves metadata content (catalog route 'metadata') with cache policy 'cdn-prod-metadata', " +
      'whose default TTL is 86400 s (1d); the bound for metadata is its update interval, 900 s (15m) (lib/catalog/content-types.ts). ' +
      'Lower defaultTtl to 900 or less (media-cdn:contentTypes.metadata.defaultTtl), or declare metadata immutable in the catalog if its objects are versioned.',
    );
    expect(mandatory[2]!.message).to.include('whose max TTL is 86400 s (1d); the bound for metadata is 3600 s (1h)');
  });
});
