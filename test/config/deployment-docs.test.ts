import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../plan/stack-files';
import { planFor } from '../helpers/plan';

const page = () => readFileSync(join(PROJECT_DIR, 'docs', 'deployment.md'), 'utf8');

/** IAM service prefixes that manage the resources of a provider module (aws:<module>/...). */
const IAM_SERVICES: Readonly<Record<string, readonly string[]>> = {
  cloudfront: ['cloudfront'], wafv2: ['wafv2'], s3: ['s3'], iam: ['iam'], lambda: ['lambda'], sqs: ['sqs'], scheduler: ['scheduler'],
  sns: ['sns'], cloudwatch: ['cloudwatch', 'logs'], budgets: ['budgets'], costexplorer: ['ce'], acm: ['acm'], route53: ['route53'],
  secretsmanager: ['secretsmanager'], glue: ['glue'], athena: ['athena'], rum: ['rum'], cognito: ['cognito-identity'],
};

describe('docs/deployment.md', function () {
  this.timeout(120_000);

  it('is linked from the README and has the first-deploy, staged rollout and rollback sections', () => {
    expect(readFileSync(join(PROJECT_DIR, 'README.md'), 'utf8')).to.include('](docs/deployment.md)');
    for (const h of ['## 1. Bootstrap', '## 2. Domain and certificate', '## 3. Secrets', '## 4. First deploy', '## Staged rollout', '## Origins only through CloudFront', '## Rollback', '## IAM permissions of the deployer']) {
      expect(page(), h).to.include(`\n${h}`);
    }
  });

  it("grants the deployer every AWS service whose resources the prod plan creates", async () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(page())?.[1];
    const policy = JSON.parse(json!) as { Statement: { Action: string | string[] }[] };
    const granted = new Set(policy.Statement.flatMap((s) => [s.Action].flat()).map((a) => a.split(':')[0]));
    const modules = new Set((await planFor('prod')).resources.filter((r) => r.type.startsWith('aws:')).map((r) => r.type.split(':')[1]!.split('/')[0]!));
    for (const m of modules) {
      const services = IAM_SERVICES[m];
      expect(services, `no IAM service known for provider module '${m}'`).to.not.equal(undefined);
      for (const s of services!) expect(granted.has(s), `${m} → ${s}`).to.equal(true);
    }
  });
});
