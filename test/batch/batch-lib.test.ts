import { expect } from 'chai';
import { InputError, problemsOf } from '../../lib/errors';
import {
  batchTaskTrustPolicy, ecrImageOf, executionRolePolicy, FARGATE_SIZES, FARGATE_VCPUS, fargateMemoriesFor, fargateResourceProblems, fargateResourceRequirements,
  jobContainerProperties, jobEnvironment, jobRolePolicy, logsPrefix, parseS3Uri, parseSimArgs, partKey, planKey, readJobEnvironment, simArgsFor, submitJobCommand,
} from '../../lib/batch';

describe('lib/batch: Fargate vCPU and memory (AWS Batch ResourceRequirement table)', () => {
  it('offers the seven vCPU counts of the table', () => expect(FARGATE_VCPUS).to.deep.equal([0.25, 0.5, 1, 2, 4, 8, 16]));
  it('lists each row\'s memories as the table words them', () => {
    expect(fargateMemoriesFor(0.25)).to.deep.equal([512, 1024, 2048]);
    expect(fargateMemoriesFor(0.5)).to.deep.equal([1024, 2048, 3072, 4096]);
    expect(fargateMemoriesFor(1)).to.deep.equal([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(fargateMemoriesFor(2)).to.have.length(13);
    expect(fargateMemoriesFor(4)).to.have.members(Array.from({ length: 23 }, (_, i) => 8192 + 1024 * i)).and.have.length(23);
    expect(fargateMemoriesFor(8)).to.deep.equal([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
    expect(fargateMemoriesFor(16)).to.deep.equal([32768, 40960, 49152, 57344, 65536, 73728, 81920, 90112, 98304, 106496, 114688, 122880]);
    expect(fargateMemoriesFor(3)).to.deep.equal([]);
    expect(FARGATE_SIZES.every((s) => s.memoriesMiB.length > 0)).to.equal(true);
  });
  for (const [vcpu, mem] of [[0.25, 512], [1, 2048], [2, 16384], [4, 30720], [8, 61440], [16, 122880]] as const) {
    it(`accepts ${vcpu} vCPU with ${mem} MiB`, () => expect(fargateResourceProblems(vcpu, mem)).to.deep.equal([]));
  }
  it('rejects 1536 MiB with 0.25 vCPU (not a step of the first row)', () => expect(fargateResourceProblems(0.25, 1536)[0]).to.match(/512, 1024 or 2048 MiB, got 1536/));
  it('rejects memory beyond the row and suggests the vCPU counts that take it', () => {
    expect(fargateResourceProblems(1, 16384)).to.deep.equal(["simulationBatch.memoryMiB must be, for 1 vCPU on Fargate, 2048 to 8192 in steps of 1024 MiB, got 16384; or keep 16384 MiB with vcpu 2 or 4 or 8."]);
  });
  it('rejects a vCPU count Fargate does not offer, and a non-number', () => {
    expect(fargateResourceProblems(3, 8192)[0]).to.match(/vcpu must be one of the vCPU counts Fargate offers \(0.25, 0.5, 1, 2, 4, 8, 16\), got 3/);
    expect(fargateResourceProblems('2', 8192)).to.have.length(1);
    expect(fargateResourceProblems(2, 5000)[0]).to.match(/4096 to 16384 in steps of 1024 MiB, got 5000\.$/);
  });
  it('writes resourceRequirements as Batch wants them: strings', () => {
    expect(fargateResourceRequirements(0.5, 1024)).to.deep.equal([{ type: 'VCPU', value: '0.5' }, { type: 'MEMORY', value: '1024' }]);
  });
});

const GOOD_ENV = {
  SIM_INPUT_URI: 's3://media-cdn-sim-abc/inputs/',
  SIM_OUTPUT_URI: 's3://media-cdn-sim-abc/results/',
  SIM_SHARDS: '8',
  SIM_REGION: 'eu-west-1',
  AWS_BATCH_JOB_ARRAY_INDEX: '3',
  AWS_BATCH_JOB_ARRAY_SIZE: '8',
  AWS_BATCH_JOB_ID: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b:3',
};

describe('lib/batch: the job\'s environment contract', () => {
  it('reads the shard from AWS Batch\'s array index, the parent job id without the index, the input and output prefixes', () => {
    expect(readJobEnvironment(GOOD_ENV)).to.deep.equal({
      input: { bucket: 'media-cdn-sim-abc', prefix: 'inputs/' },
      output: { bucket: 'media-cdn-sim-abc', prefix: 'results/' },
      region: 'eu-west-1',
      shard: { index: 3, count: 8 },
      jobId: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      simArgs: [],
    });
  });
  it('passes extra sim options from SIM_ARGS', () => {
    expect(readJobEnvironment({ ...GOOD_ENV, SIM_ARGS: '["--scale","1","--seed","7"]' }).simArgs).to.deep.equal(['--scale', '1', '--seed', '7']);
  });
  it('lists every problem of a bad environment at once, each naming the variable and the fix', () => {
    const problems = problemsOf(() => readJobEnvironment({ SIM_INPUT_URI: 'https://x/inputs/', SIM_OUTPUT_URI: 's3://media-cdn-sim-abc/results', SIM_SHARDS: '8', SIM_REGION: 'Europe', AWS_BATCH_JOB_ARRAY_SIZE: '4' }));
    expect(problems).to.deep.equal([
      "SIM_INPUT_URI must be s3://<bucket>/<prefix>/, such as s3://media-cdn-sim/inputs/, got 'https://x/inputs/'.",
      "SIM_OUTPUT_URI 's3://media-cdn-sim-abc/results' must end with '/': it names a prefix (folder), not an object.",
      "SIM_REGION must be the bucket's AWS Region such as 'us-east-1', got 'Europe'.",
      'AWS_BATCH_JOB_ARRAY_INDEX must be a whole number, got undefined; AWS Batch sets it in the children of an array job: submit with --array-properties size=<shards>.',
      'the array job has 4 children (AWS_BATCH_JOB_ARRAY_SIZE) but SIM_SHARDS is 8; submit with --array-properties size=8, or override SIM_SHARDS to 4.',
      "AWS_BATCH_JOB_ID must be an AWS Batch job id such as '0f1e2d3c-…:3', got undefined.",
    ]);
  });
  it('rejects an index outside the shards and a shard count beyond what --shard takes', () => {
    expect(problemsOf(() => readJobEnvironment({ ...GOOD_ENV, AWS_BATCH_JOB_ARRAY_INDEX: '8' }))).to.deep.equal(['AWS_BATCH_JOB_ARRAY_INDEX is 8, outside the 8 shards (0 to 7).']);
    expect(problemsOf(() => readJobEnvironment({ ...GOOD_ENV, SIM_SHARDS: '5000', AWS_BATCH_JOB_ARRAY_SIZE: '5000' }))).to.deep.equal(['SIM_SHARDS must be from 2 to 4096, got 5000.']);
  });
  it('refuses SIM_ARGS that are not a JSON array of strings, or that set what the job sets', () => {
    expect(() => parseSimArgs('--scale 1')).to.throw(InputError, /SIM_ARGS must be a JSON array of strings/);
    expect(() => parseSimArgs('[1]')).to.throw(InputError, /JSON array of strings/);
    expect(() => parseSimArgs('["--json=x.json","--trace","logs/"]')).to.throw(InputError, /SIM_ARGS contains --json=x.json, --trace, which the job sets itself/);
    expect(parseSimArgs('')).to.deep.equal([]);
  });
  it('parses s3:// URIs into bucket and prefix', () => {
    expect(parseS3Uri('s3://b-1.example/a/b/', 'X')).to.deep.equal({ bucket: 'b-1.example', prefix: 'a/b/' });
    expect(parseS3Uri('s3://bucket-x', 'X')).to.deep.equal({ bucket: 'bucket-x', prefix: '' });
    expect(() => parseS3Uri('s3://B/x/', 'X')).to.throw(InputError, /X must be s3:\/\/<bucket>\/<prefix>\//);
  });
  it('names parts results/<job id>/part-NNNN.json, so a listing sorts them by shard', () => {
    expect(partKey('results/', 'job-1', 3)).to.equal('results/job-1/part-0003.json');
    expect(partKey('results/', 'job-1', 4095)).to.equal('results/job-1/part-4095.json');
    expect(() => partKey('results/', 'job-1', 4096)).to.throw(InputError, /0 to 4095, got 4096/);
    expect(() => partKey('results/', 'job-1', -1)).to.throw(InputError);
    expect(planKey('inputs/run-7/')).to.equal('inputs/run-7/plan.json');
  });
  it('runs sim on the plan, as its shard, writing the part quietly, with the extra options last', () => {
    expect(simArgsFor({ shard: { index: 3, count: 8 }, simArgs: ['--scale', '1'] }, '/tmp/plan.json', '/tmp/part.json')).to.deep.equal([
      '--plan', '/tmp/plan.json', '--shard', '3/8', '--json', '/tmp/part.json', '--quiet', '--scale', '1',
    ]);
  });
  it('replays its shard of the downloaded logs when there are logs', () => {
    expect(simArgsFor({ shard: { index: 0, count: 2 }, simArgs: [] }, '/tmp/plan.json', '/tmp/part.json', '/tmp/logs')).to.deep.equal([
      '--plan', '/tmp/plan.json', '--trace', '/tmp/logs', '--format', 'cloudfront-log', '--shard', '0/2', '--json', '/tmp/part.json', '--quiet',
    ]);
    expect(logsPrefix('inputs/')).to.equal('inputs/logs/');
  });
  it('sets the job definition\'s environment that readJobEnvironment reads back', () => {
    const env = Object.fromEntries(jobEnvironment({ bucket: 'media-cdn-sim-abc', region: 'eu-west-1', shards: 8 }).map((e) => [e.name, e.value]));
    expect(readJobEnvironment({ ...env, AWS_BATCH_JOB_ARRAY_INDEX: '3', AWS_BATCH_JOB_ARRAY_SIZE: '8', AWS_BATCH_JOB_ID: GOOD_ENV.AWS_BATCH_JOB_ID })).to.deep.equal(readJobEnvironment(GOOD_ENV));
  });
});

describe('lib/batch: IAM documents, least privilege', () => {
  const bucketArn = 'arn:aws:s3:::media-cdn-sim-abc';
  it('trusts ECS tasks of this account only', () => {
    expect(batchTaskTrustPolicy('123456789012')).to.deep.equal({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
    });
  });
  it('lets the job read the input prefix and write the output prefix, nothing else', () => {
    expect(jobRolePolicy({ bucketArn, inputPrefix: 'inputs/', outputPrefix: 'results/' }).Statement).to.deep.equal([
      { Sid: 'ReadInput', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::media-cdn-sim-abc/inputs/*' },
      { Sid: 'ListInputLogs', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::media-cdn-sim-abc', Condition: { StringLike: { 's3:prefix': 'inputs/logs/*' } } },
      { Sid: 'WriteParts', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::media-cdn-sim-abc/results/*' },
    ]);
  });
  it('refuses a whole-bucket or wildcard prefix', () => {
    expect(() => jobRolePolicy({ bucketArn, inputPrefix: '', outputPrefix: 'results/' })).to.throw(InputError, /input prefix must be a folder/);
    expect(() => jobRolePolicy({ bucketArn, inputPrefix: 'inputs/', outputPrefix: 'r*/' })).to.throw(InputError, /output prefix/);
  });
  it('reads the ECR repository of an image URI, and nothing from other registries', () => {
    expect(ecrImageOf('123456789012.dkr.ecr.eu-west-1.amazonaws.com/media-cdn/sim:2026-12-04')).to.deep.equal({ account: '123456789012', region: 'eu-west-1', repository: 'media-cdn/sim' });
    expect(ecrImageOf(`123456789012.dkr.ecr.us-east-1.amazonaws.com/sim@sha256:${'a'.repeat(64)}`)).to.deep.equal({ account: '123456789012', region: 'us-east-1', repository: 'sim' });
    expect(ecrImageOf('public.ecr.aws/acme/sim:1')).to.equal(undefined);
    expect(ecrImageOf('ghcr.io/acme/sim:1')).to.equal(undefined);
  });
  it('lets the execution role write the job\'s log streams and pull the one ECR repository', () => {
    const doc = executionRolePolicy({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/media-cdn-sim:1', logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/batch/media-cdn-sim' });
    expect(doc.Statement).to.deep.equal([
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/batch/media-cdn-sim:log-stream:*' },
      { Sid: 'RegistryToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'PullImage', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/media-cdn-sim' },
    ]);
  });
  it('grants no ECR action for an image outside ECR', () => {
    const doc = executionRolePolicy({ image: 'ghcr.io/acme/sim:1', logGroupArn: 'arn:aws:logs:eu-west-1:1:log-group:g' });
    expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(['WriteLogs']);
  });
});

describe('lib/batch: the job definition and the submit command', () => {
  it('runs the entry script on Fargate LATEST with the sizes, the roles, the environment and awslogs', () => {
    const p = jobContainerProperties({
      image: 'img:1', vcpu: 2, memoryMiB: 8192, jobRoleArn: 'arn:job', executionRoleArn: 'arn:exec', logGroupName: '/aws/batch/x', region: 'eu-west-1', bucket: 'b-sim', shards: 16, assignPublicIp: false,
    });
    expect(p).to.deep.include({
      image: 'img:1', command: ['node', 'scripts/launch.js', 'batch-entry'], jobRoleArn: 'arn:job', executionRoleArn: 'arn:exec',
      resourceRequirements: [{ type: 'VCPU', value: '2' }, { type: 'MEMORY', value: '8192' }],
      fargatePlatformConfiguration: { platformVersion: 'LATEST' }, networkConfiguration: { assignPublicIp: 'DISABLED' },
    });
    expect(p.environment).to.deep.equal([
      { name: 'SIM_INPUT_URI', value: 's3://b-sim/inputs/' }, { name: 'SIM_OUTPUT_URI', value: 's3://b-sim/results/' },
      { name: 'SIM_SHARDS', value: '16' }, { name: 'SIM_REGION', value: 'eu-west-1' },
    ]);
    expect(p.logConfiguration).to.deep.equal({ logDriver: 'awslogs', options: { 'awslogs-group': '/aws/batch/x', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'sim' } });
  });
  it('submits an array job of one child per shard', () => {
    expect(submitJobCommand({ queue: 'q', definition: 'd', shards: 16, region: 'eu-west-1' })).to.equal('aws batch submit-job --region eu-west-1 --job-name media-cdn-sim --job-queue q --job-definition d --array-properties size=16');
  });
});
