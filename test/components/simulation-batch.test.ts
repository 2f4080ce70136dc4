import { expect } from 'chai';
import type { Plan, PlanResource } from '../../lib/plan';
import { readStackConfig } from '../../plan/stack-files';
import { checkPlan } from '../../policies/offline';
import { buildPlanSerially, findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const T = {
  component: 'media-cdn:cdn:SimulationBatch',
  compute: 'aws:batch/computeEnvironment:ComputeEnvironment',
  queue: 'aws:batch/jobQueue:JobQueue',
  definition: 'aws:batch/jobDefinition:JobDefinition',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  bucket: 'aws:s3/bucket:Bucket',
  publicAccess: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  encryption: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  lifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
};
const ACCOUNT = '123456789012';
const REGION = 'us-east-2';
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/media-cdn-sim:2026-12-04`;
const SETTINGS = {
  enabled: true, image: IMAGE, vcpu: 2, memoryMiB: 8192, shards: 32, maxvCpus: 128,
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'], retentionDays: 14,
};

function policyOf(plan: Plan, role: string): { Sid: string; Effect: string; Action: unknown; Resource: unknown; Condition?: unknown }[] {
  const policies = findResources(plan, T.rolePolicy).filter((r) => inputsOf(r).role === role);
  expect(policies, `policies of ${role}`).to.have.length(1);
  return JSON.parse(inputsOf(policies[0]!).policy).Statement;
}

describe('SimulationBatch (under Pulumi mocks)', function () {
  this.timeout(300_000);
  let off: Plan;
  let on: Plan;
  let bucket: PlanResource;
  before(async () => {
    off = await planFor('staging');
    on = await buildPlanSerially({ stack: 'staging', config: { ...readStackConfig('staging'), 'media-cdn:simulationBatch': SETTINGS } });
    bucket = findResource(on, T.bucket, 'sim-bucket');
  });

  it('is absent from a stack that does not enable it, whose outputs are empty', () => {
    expect(findResources(off, T.component)).to.deep.equal([]);
    expect(off.resources.filter((r) => r.type.startsWith('aws:batch/'))).to.deep.equal([]);
    expect(off.resources.filter((r) => r.name.startsWith('sim-'))).to.deep.equal([]);
    expect(off.outputs).to.include({ simulationBucket: '', simulationJobQueue: '', simulationJobDefinition: '', simulationSubmitCommand: '' });
  });

  it('creates one managed FARGATE compute environment in the configured subnets and security groups', () => {
    expect(findResources(on, T.component)).to.have.length(1);
    expect(findResources(on, T.compute)).to.have.length(1);
    const ce = inputsOf(findResource(on, T.compute, 'sim-compute'));
    expect(ce).to.deep.include({ name: 'media-cdn-staging-sim', type: 'MANAGED', state: 'ENABLED', region: REGION });
    expect(ce.computeResources).to.deep.equal({ type: 'FARGATE', maxVcpus: 128, subnets: SETTINGS.subnetIds, securityGroupIds: SETTINGS.securityGroupIds });
    expect(ce.serviceRole).to.equal(undefined); // Batch's service-linked role
  });

  it('queues onto that compute environment', () => {
    const q = inputsOf(findResource(on, T.queue, 'sim-queue'));
    expect(q).to.deep.include({ name: 'media-cdn-staging-sim', state: 'ENABLED', priority: 1 });
    expect(q.computeEnvironmentOrders).to.deep.equal([{ order: 1, computeEnvironment: `arn:aws:batch:${REGION}:${ACCOUNT}:compute-environment/media-cdn-staging-sim` }]);
  });

  it('defines a Fargate container job: the image, the sizes, both roles, the environment contract, awslogs, retries and a timeout', () => {
    const d = inputsOf(findResource(on, T.definition, 'sim-job'));
    expect(d).to.deep.include({ name: 'media-cdn-staging-sim', type: 'container', platformCapabilities: ['FARGATE'], propagateTags: true });
    expect(d.retryStrategy).to.deep.equal({ attempts: 2, evaluateOnExits: [{ onExitCode: '2', action: 'EXIT' }] });
    expect(d.timeout).to.deep.equal({ attemptDurationSeconds: 21600 });
    const c = JSON.parse(d.containerProperties);
    expect(c).to.deep.include({
      image: IMAGE,
      command: ['node', 'scripts/launch.js', 'batch-entry'],
      jobRoleArn: `arn:aws:iam::${ACCOUNT}:role/sim-job`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sim-execution`,
      resourceRequirements: [{ type: 'VCPU', value: '2' }, { type: 'MEMORY', value: '8192' }],
      networkConfiguration: { assignPublicIp: 'DISABLED' },
      fargatePlatformConfiguration: { platformVersion: 'LATEST' },
    });
    expect(c.environment).to.deep.equal([
      { name: 'SIM_INPUT_URI', value: `s3://${bucket.id}/inputs/` },
      { name: 'SIM_OUTPUT_URI', value: `s3://${bucket.id}/results/` },
      { name: 'SIM_SHARDS', value: '32' },
      { name: 'SIM_REGION', value: REGION },
    ]);
    expect(c.logConfiguration.options).to.deep.equal({ 'awslogs-group': '/aws/batch/media-cdn-staging-sim', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'sim' });
    expect(inputsOf(findResource(on, T.logGroup, 'sim-logs'))).to.deep.include({ name: '/aws/batch/media-cdn-staging-sim', retentionInDays: 30 });
  });

  it('keeps inputs and parts in an encrypted, private, TLS-only bucket that expires them', () => {
    const forBucket = (type: string) => findResources(on, type).filter((r) => r.name.startsWith('sim-bucket-'));
    expect(inputsOf(forBucket(T.publicAccess)[0]!)).to.deep.include({ bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(inputsOf(forBucket(T.encryption)[0]!).rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }]);
    expect(inputsOf(forBucket(T.lifecycle)[0]!).rules[0]).to.deep.include({ status: 'Enabled', expiration: { days: 14 } });
    const policy = JSON.parse(inputsOf(forBucket(T.bucketPolicy)[0]!).policy);
    expect(policy.Statement.map((s: { Sid: string; Effect: string }) => `${s.Sid} ${s.Effect}`)).to.deep.equal(['DenyInsecureTransport Deny']);
  });

  it('lets the job role read inputs/ and write results/ of its bucket, and nothing else', () => {
    expect(policyOf(on, 'sim-job')).to.deep.equal([
      { Sid: 'ReadInput', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket.id}/inputs/*` },
      { Sid: 'ListInputLogs', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket.id}`, Condition: { StringLike: { 's3:prefix': 'inputs/logs/*' } } },
      { Sid: 'WriteParts', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket.id}/results/*` },
    ]);
  });

  it('lets the execution role pull the one ECR repository and write the job\'s log streams, nothing else', () => {
    expect(policyOf(on, 'sim-execution')).to.deep.equal([
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/batch/media-cdn-staging-sim:log-stream:*` },
      { Sid: 'RegistryToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'PullImage', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/media-cdn-sim` },
    ]);
  });

  it('has both roles trusted by ECS tasks of this account only, with no managed policy attached', () => {
    for (const name of ['sim-job', 'sim-execution']) {
      const role = inputsOf(findResource(on, T.role, name));
      expect(JSON.parse(role.assumeRolePolicy).Statement, name).to.deep.equal([
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } },
      ]);
      expect(role.managedPolicyArns, name).to.equal(undefined);
    }
    expect(findResources(on, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((r) => r.name.startsWith('sim-'))).to.deep.equal([]);
  });

  it('exports the bucket, the queue, the definition and the submit command of an array job of the configured shards', () => {
    expect(on.outputs).to.include({
      simulationBucket: bucket.id,
      simulationJobQueue: 'media-cdn-staging-sim',
      simulationJobDefinition: 'media-cdn-staging-sim',
      simulationSubmitCommand: `aws batch submit-job --region ${REGION} --job-name media-cdn-sim --job-queue media-cdn-staging-sim --job-definition media-cdn-staging-sim --array-properties size=32`,
    });
  });

  it('passes the whole policy pack (names carry the stack, buckets private and encrypted, tags), advisory rules included', async () => {
    const report = await checkPlan(on);
    expect(report.resources).to.equal(off.resources.length + 15);
    expect(report.violations.map((v) => `${v.rule}: ${v.message}`)).to.deep.equal([]);
  });

  it('refuses to plan an enabled stack without subnets, naming the fix', async () => {
    const { subnetIds: _drop, ...noSubnets } = SETTINGS;
    let message = '';
    try {
      await buildPlanSerially({ stack: 'staging', config: { ...readStackConfig('staging'), 'media-cdn:simulationBatch': noSubnets } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/media-cdn:simulationBatch\.subnetIds is empty but media-cdn:simulationBatch\.enabled is true/);
  });
});
