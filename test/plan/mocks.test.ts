import { expect } from 'chai';
import { PlanMocks } from '../../plan/mocks';

const resource = (type: string, inputs: Record<string, unknown> = {}) => ({ type, name: 'x', inputs, custom: true, provider: '' }) as Parameters<PlanMocks['newResource']>[0];

describe('offline plan mocks', () => {
  const mocks = new PlanMocks('us-east-1');

  it('computes the outputs the program reads (a function URL, a bucket domain)', () => {
    const url = mocks.newResource(resource('aws:lambda/functionUrl:FunctionUrl', { functionName: 'f', region: 'us-west-2' }));
    expect(url.state.functionUrl).to.match(/^https:\/\/[0-9a-f]{32}\.lambda-url\.us-west-2\.on\.aws\/$/);
    const bucket = mocks.newResource(resource('aws:s3/bucket:Bucket'));
    expect(bucket.state.bucketRegionalDomainName).to.match(/^x-[0-9a-f]{8}\.s3\.us-east-1\.amazonaws\.com$/);
  });

  it('echoes the inputs of types the program reads only as inputs', () => {
    expect(mocks.newResource(resource('aws:s3/bucketVersioning:BucketVersioning', { bucket: 'b' }))).to.deep.equal({ id: 'x-id', state: { bucket: 'b' } });
  });

  it('refuses a resource type it has no mock for, naming the file to change', () => {
    expect(() => mocks.newResource(resource('aws:ec2/instance:Instance'))).to.throw(
      "the offline plan has no mock for resource type aws:ec2/instance:Instance ('x'); add its computed outputs to COMPUTED in plan/mocks.ts, or add it to ECHO_TYPES if the program reads only its inputs",
    );
  });
});
