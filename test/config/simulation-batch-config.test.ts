import { expect } from 'chai';
import { parseStackConfig } from '../../lib/config';
import { InputError } from '../../lib/errors';
import { readStackConfig } from '../../plan/stack-files';

const PEM = readStackConfig('prod')['media-cdn:signingPublicKeyPem'] as string;
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/media-cdn-sim:2026-12-04';
/** A minimal enabled setting; each bad case changes one field. */
const MINIMAL = { enabled: true, image: IMAGE, subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };

function parse(simulationBatch: unknown) {
  return parseStackConfig('staging', 'us-east-1', { environment: 'staging', signingPublicKeyPem: PEM, simulationBatch });
}

function problemsOf(simulationBatch: unknown): string[] {
  try {
    parse(simulationBatch);
  } catch (e) {
    if (e instanceof InputError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('simulationBatch in the stack config', () => {
  it('is off by default and in the committed stacks', () => {
    expect(parseStackConfig('staging', 'us-east-1', { environment: 'staging', signingPublicKeyPem: PEM }).simulationBatch).to.equal(undefined);
    expect(parse({}).simulationBatch).to.equal(undefined);
    expect(parse({ ...MINIMAL, enabled: false }).simulationBatch).to.equal(undefined);
    expect(readStackConfig('prod')['media-cdn:simulationBatch']).to.equal(undefined);
  });

  it('fills the defaults of a minimal enabled setting', () => {
    expect(parse(MINIMAL).simulationBatch).to.deep.equal({
      image: IMAGE, vcpu: 1, memoryMiB: 4096, shards: 16, maxvCpus: 64, subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'],
      assignPublicIp: false, retentionDays: 30, logRetentionDays: 30,
    });
  });

  it('takes a maximal setting as written', () => {
    const full = { ...MINIMAL, vcpu: 4, memoryMiB: 16384, shards: 256, maxvCpus: 1024, subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], assignPublicIp: true, retentionDays: 7, logRetentionDays: 14 };
    const { enabled, ...rest } = full;
    expect(enabled).to.equal(true);
    expect(parse(full).simulationBatch).to.deep.equal(rest);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no subnets when enabled', { subnetIds: [] }, /simulationBatch\.subnetIds is empty but media-cdn:simulationBatch\.enabled is true; the Fargate tasks run in your VPC \(no default VPC is assumed\)/],
    ['no security groups when enabled', { securityGroupIds: undefined }, /simulationBatch\.securityGroupIds is empty .* list the security group ids, such as \["sg-0123456789abcdef0"\]/],
    ['no image when enabled', { image: undefined }, /simulationBatch\.image is not set .* build and push the image of the Dockerfile at the repository root/],
    ['an image without a tag', { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/media-cdn-sim' }, /image must be an image URI with a tag or digest/],
    ['a subnet id that is not one', { subnetIds: ['vpc-0123456789abcdef0'] }, /subnetIds contains 'vpc-0123456789abcdef0', which is not a subnet id/],
    ['a vCPU/memory pair Fargate refuses', { vcpu: 1, memoryMiB: 16384 }, /memoryMiB must be, for 1 vCPU on Fargate, 2048 to 8192 in steps of 1024 MiB, got 16384; or keep 16384 MiB with vcpu 2 or 4 or 8/],
    ['a vCPU count Fargate does not offer', { vcpu: 3 }, /vcpu must be one of the vCPU counts Fargate offers/],
    ['one shard (an array job has at least two children)', { shards: 1 }, /shards must be a whole number from 2 to 4096, got 1/],
    ['more shards than --shard takes', { shards: 5000 }, /from 2 to 4096, got 5000/],
    ['maxvCpus below one child', { vcpu: 4, memoryMiB: 8192, maxvCpus: 2 }, /maxvCpus is 2, fewer than one child's .*vcpu \(4\), so no child could ever start; raise maxvCpus to at least 4/],
    ['a log retention CloudWatch Logs refuses', { logRetentionDays: 10 }, /logRetentionDays is 10, which CloudWatch Logs does not accept/],
    ['an unknown field', { memory: 4096 }, /simulationBatch\.memory is not a known field; use enabled, image, vcpu, memoryMiB/],
    ['enabled as a string', { enabled: 'yes' }, /enabled must be true or false, got 'yes'/],
  ];
  for (const [what, change, expected] of cases) {
    it(`rejects ${what}, naming the field and the fix`, () => {
      const problems = problemsOf({ ...MINIMAL, ...change });
      expect(problems.some((p) => expected.test(p)), problems.join('\n')).to.equal(true);
      expect(problems.every((p) => p.includes('media-cdn:simulationBatch'))).to.equal(true);
    });
  }

  it('still checks field types when disabled, but not the fields only a run needs', () => {
    expect(problemsOf({ enabled: false, shards: 0 })).to.deep.equal(['media-cdn:simulationBatch.shards must be a whole number from 2 to 4096, got 0.']);
    expect(problemsOf({ enabled: false })).to.deep.equal([]);
  });

  it('rejects a value that is not an object', () => {
    expect(problemsOf('on')).to.deep.equal(["media-cdn:simulationBatch must be an object, got 'on'."]);
  });
});
