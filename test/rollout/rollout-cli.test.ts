import {
  DeleteContinuousDeploymentPolicyCommand, GetContinuousDeploymentPolicyCommand, GetDistributionConfigCommand, UpdateDistributionCommand,
  type CloudFrontClient,
} from '@aws-sdk/client-cloudfront';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { readStackConfig } from '../../plan/stack-files';
import { validateStackFileConfig } from '../../plan/run-plan';
import { planFor } from '../helpers/plan';
import { REPO } from '../helpers/run-cli';
import { cloudFrontClient, runScriptAsync, seedContinuousDeployment, type Seeded } from './fixtures';

const CANDIDATE = [
  '  # tried on the staging distribution first',
  '  media-cdn:candidate:',
  '    priceClass: PriceClass_200',
  '    originReadTimeoutSeconds: 20',
  '',
].join('\n');

describe('npm run rollout: stage, promote, abort and detach against the local CloudFront endpoint', function () {
  this.timeout(300_000);
  let ep: CloudFrontEndpoint;
  let cf: CloudFrontClient;
  let dir: string;
  let stackFile: string;
  let outputsFile: string;
  let seeded: Seeded;
  let planOutputs: Record<string, unknown>;

  before(async () => {
    planOutputs = (await planFor('prod')).outputs;
  });

  beforeEach(async () => {
    ep = await startCloudFrontEndpoint();
    cf = cloudFrontClient(ep);
    seeded = await seedContinuousDeployment(cf);
    // What the candidate's pulumi up deployed to the staging distribution.
    const staging = await cf.send(new GetDistributionConfigCommand({ Id: seeded.stagingId }));
    await cf.send(new UpdateDistributionCommand({ Id: seeded.stagingId, IfMatch: staging.ETag, DistributionConfig: { ...staging.DistributionConfig!, PriceClass: 'PriceClass_200' } }));
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-rollout-'));
    stackFile = join(dir, 'Pulumi.prod.yaml');
    const committed = readFileSync(join(REPO, 'Pulumi.prod.yaml'), 'utf8').replace('  media-cdn:priceClass:', '  # where viewers are served from\n  media-cdn:priceClass:');
    writeFileSync(stackFile, `${committed.trimEnd()}\n${CANDIDATE}`);
    outputsFile = join(dir, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify({ ...planOutputs, distributionId: seeded.primaryId, stagingDistributionId: seeded.stagingId, continuousDeploymentPolicyId: seeded.policyId }));
  });
  afterEach(async () => {
    cf.destroy();
    await ep.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rollout = (...args: string[]) => runScriptAsync('scripts/rollout.ts', ['--stack', 'prod', '--stack-file', stackFile, '--outputs', outputsFile, '--endpoint', ep.endpoint, ...args]);
  const policyEnabled = async () => (await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: seeded.policyId }))).ContinuousDeploymentPolicy!.ContinuousDeploymentPolicyConfig!.Enabled;

  it('shows the candidate and the live difference, stages, promotes, and leaves a stack config equal to the candidate', async () => {
    const before = validateStackFileConfig('prod', readStackConfig('prod', dir));
    const status = await rollout('status');
    expect(status.status, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/policy attached, disabled \(no viewer reaches staging\); traffic \{"Type":"SingleHeader","SingleHeaderConfig":\{"Header":"aws-cf-cd-staging","Value":"true"\}\}/);
    expect(status.stdout).to.include('Candidate (stack config → candidate):\n  priceClass                PriceClass_All → PriceClass_200\n  originReadTimeoutSeconds  30 → 20\n');
    expect(status.stdout).to.include('Live (primary → staging distribution):\n  PriceClass  PriceClass_All → PriceClass_200');

    const early = await rollout('promote');
    expect(early.status).to.equal(1);
    expect(early.stderr.trim().split('\n')).to.deep.equal([
      `aws: AWS requests go to ${ep.endpoint} (--endpoint; this machine), signed with stand-in credentials 'test', not yours (--use-real-credentials sends yours)`,
      `rollout promote: the continuous-deployment policy ${seeded.policyId} is disabled, so no viewer has tried the candidate; run 'npm run rollout -- --stack prod stage' and check 'status' first.`,
    ]);

    const staged = await rollout('stage');
    expect(staged.status, staged.stderr).to.equal(0);
    expect(await policyEnabled()).to.equal(true);

    const dry = await rollout('promote', '--dry-run');
    expect(dry.status, dry.stderr).to.equal(0);
    expect(readStackConfig('prod', dir)['media-cdn:candidate']).to.not.equal(undefined);

    const json = join(dir, 'promote.json');
    const promoted = await rollout('promote', '--json', json);
    expect(promoted.status, promoted.stderr).to.equal(0);
    const primary = await cf.send(new GetDistributionConfigCommand({ Id: seeded.primaryId }));
    expect(primary.DistributionConfig!.PriceClass).to.equal('PriceClass_200');
    expect(primary.DistributionConfig!.Aliases!.Items).to.deep.equal(['cdn.example-stream.com']);
    expect(await policyEnabled()).to.equal(false);

    const after = validateStackFileConfig('prod', readStackConfig('prod', dir));
    const { candidate: _c, candidateConfig: _cc, ...afterRest } = after;
    const { candidate: _d, candidateConfig: _dc, ...expected } = before.candidateConfig!;
    // JSON: the catalog carries lookup functions, equal in what they return but not as objects.
    expect(JSON.parse(JSON.stringify(afterRest))).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    expect([after.priceClass, after.originReadTimeoutSeconds]).to.deep.equal(['PriceClass_200', 20]);
    expect(after.candidate).to.deep.equal({});
    const text = readFileSync(stackFile, 'utf8');
    expect(text).to.include('  # where viewers are served from\n  media-cdn:priceClass: PriceClass_200\n');
    expect(text).to.not.include('candidate');
    expect(text.indexOf('media-cdn:priceClass')).to.be.lessThan(text.indexOf('media-cdn:httpVersion'));
    expect(JSON.parse(readFileSync(json, 'utf8'))).to.deep.include({ command: 'promote', stack: 'prod', dryRun: false });
  });

  it('aborts: disables the policy and drops the candidate', async () => {
    expect((await rollout('stage')).status).to.equal(0);
    const aborted = await rollout('abort');
    expect(aborted.status, aborted.stderr).to.equal(0);
    expect(await policyEnabled()).to.equal(false);
    const config = readStackConfig('prod', dir);
    expect(config['media-cdn:candidate']).to.equal(undefined);
    expect(config['media-cdn:priceClass']).to.equal('PriceClass_All');
  });

  it('detaches in the order CloudFront requires, after which the policy can be deleted', async () => {
    expect((await rollout('stage')).status).to.equal(0);
    const detached = await rollout('detach');
    expect(detached.status, detached.stderr).to.equal(0);
    expect(await policyEnabled()).to.equal(false);
    expect((await cf.send(new GetDistributionConfigCommand({ Id: seeded.primaryId }))).DistributionConfig!.ContinuousDeploymentPolicyId).to.equal('');
    expect(readStackConfig('prod', dir)['media-cdn:stagingDistribution']).to.equal(false);
    const policy = await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: seeded.policyId }));
    await cf.send(new DeleteContinuousDeploymentPolicyCommand({ Id: seeded.policyId, IfMatch: policy.ETag }));
  });

  it('rejects bad input with exit 2 and one line, and writes nothing', async () => {
    const original = readFileSync(stackFile, 'utf8');
    const noStaging = join(dir, 'no-staging.json');
    writeFileSync(noStaging, JSON.stringify({ ...planOutputs, stagingDistributionId: '', continuousDeploymentPolicyId: '' }));
    const badDir = mkdtempSync(join(tmpdir(), 'media-cdn-rollout-bad-'));
    const badFile = join(badDir, 'Pulumi.prod.yaml');
    writeFileSync(badFile, `${readFileSync(join(REPO, 'Pulumi.prod.yaml'), 'utf8').trimEnd()}\n  media-cdn:candidate:\n    domainAliases: [x.example.com]\n`);
    const cases: [string[], string][] = [
      [['--stack', 'prod', '--stack-file', stackFile, '--outputs', outputsFile, 'launch'], "error: give one command: status, stage, promote, abort, detach (got 'launch'); see 'npm run rollout -- --stack <stack> status|stage|promote|abort|detach --help'."],
      [['--outputs', outputsFile, 'stage'], "error: --stack is required (it names the stack file that holds the candidate); see 'npm run rollout -- --stack <stack> status|stage|promote|abort|detach --help'."],
      [['--stack', 'prod', '--stack-file', stackFile, '--outputs', outputsFile, '--endpoint', 'http://10.0.0.5:4580', 'promote'], "error: --endpoint 'http://10.0.0.5:4580' is not on this machine; the scripts send requests only to a local stand-in (127.0.0.1, ::1, localhost) unless told otherwise: add --allow-remote-endpoint to send them to 10.0.0.5:4580, or give an endpoint such as http://127.0.0.1:4580."],
      [['--stack', 'prod', '--stack-file', stackFile, '--outputs', outputsFile, '--endpoint', 'ftp://x', 'promote'], "error: --endpoint 'ftp://x' must be an http:// or https:// URL, such as http://127.0.0.1:4580."],
      [['--stack', 'prod', '--stack-file', stackFile, '--outputs', noStaging, '--endpoint', ep.endpoint, 'promote'], `error: ${noStaging} has no stagingDistributionId or continuousDeploymentPolicyId; deploy the staging distribution first ('pulumi up' with media-cdn:stagingDistribution: true).`],
      [['--stack', 'prod', '--stack-file', badFile, '--outputs', outputsFile, '--endpoint', ep.endpoint, 'promote'], "error: media-cdn:candidate.domainAliases cannot be tried on the staging distribution; a candidate may set only priceClass, httpVersion, ipv6, geoRestrictionType, geoRestrictionLocations, originConnectionAttempts, originConnectionTimeoutSeconds, originReadTimeoutSeconds, originKeepaliveTimeoutSeconds, corsAllowedOrigins, contentTypes (change other keys with a normal 'pulumi up')."],
    ];
    for (const [args, message] of cases) {
      const r = await runScriptAsync('scripts/rollout.ts', args);
      expect([r.status, r.stderr.trim()], args.join(' ')).to.deep.equal([2, message]);
    }
    expect(readFileSync(stackFile, 'utf8')).to.equal(original);
    expect(ep.calls.filter((c) => c.operation !== 'GetDistribution' && c.operation !== 'GetContinuousDeploymentPolicy' && c.operation !== 'GetDistributionConfig')
      .map((c) => c.operation)).to.deep.equal(['CreateDistribution', 'CreateDistribution', 'CreateContinuousDeploymentPolicy', 'UpdateDistribution', 'UpdateDistribution']);
    rmSync(badDir, { recursive: true, force: true });
  });
});
