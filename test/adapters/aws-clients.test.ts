/**
 * The one AWS client factory per service (adapters/aws-clients.ts) with the real SDK clients against a
 * 127.0.0.1 server that records each request: where requests go (flag, AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_ENDPOINT_URL), path-style S3 without flexible checksums, the standard retry mode's attempts, and
 * endpoint safety: a remote endpoint refused unless allowed, stand-in credentials for a stand-in
 * endpoint unless real ones are asked for, and the one line that says so before anything is sent.
 */
import { ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import {
  chooseEndpoint, cloudFrontClient, cloudWatchClient, describeEndpointChoice, isLoopbackHost, s3Client, STAND_IN_CREDENTIALS, type ConnectionOptions,
} from '../../adapters/aws-clients';
import { InputError } from '../../lib/errors';
import { EMPTY_LISTING, startRecordingServer, type RecordingServer } from '../helpers/recording-server';

const REAL = { AWS_ACCESS_KEY_ID: 'AKIAREALKEY0000000001', AWS_SECRET_ACCESS_KEY: 'real-secret' };

/** Runs `f` with the caller's real credentials in process.env (the SDK's default chain reads them there). */
async function withRealCredentials<T>(f: () => Promise<T>): Promise<T> {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, profile: process.env.AWS_PROFILE };
  Object.assign(process.env, REAL);
  delete process.env.AWS_PROFILE;
  try {
    return await f();
  } finally {
    for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_PROFILE', saved.profile]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('AWS endpoint choice (chooseEndpoint)', () => {
  const chosen: [string, ConnectionOptions, { url?: string; source?: string; loopback: boolean; credentials: string }][] = [
    ["none: AWS's own, your credentials", { env: {} }, { loopback: false, credentials: 'yours' }],
    ['the flag wins over both variables', { endpoint: 'http://127.0.0.1:1', env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2', AWS_ENDPOINT_URL: 'http://127.0.0.1:3' } },
      { url: 'http://127.0.0.1:1', source: '--endpoint', loopback: true, credentials: 'stand-in' }],
    ["the service's variable wins over AWS_ENDPOINT_URL", { env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2', AWS_ENDPOINT_URL: 'http://127.0.0.1:3' } },
      { url: 'http://127.0.0.1:2', source: 'AWS_ENDPOINT_URL_S3', loopback: true, credentials: 'stand-in' }],
    ['AWS_ENDPOINT_URL for every service', { env: { AWS_ENDPOINT_URL: 'http://localhost:3', AWS_ENDPOINT_URL_CLOUDFRONT: 'http://127.0.0.1:9' } },
      { url: 'http://localhost:3', source: 'AWS_ENDPOINT_URL', loopback: true, credentials: 'stand-in' }],
    ['an empty variable is no endpoint', { env: { AWS_ENDPOINT_URL: '', AWS_ENDPOINT_URL_S3: '' } }, { loopback: false, credentials: 'yours' }],
    ['real credentials only when asked', { endpoint: 'http://[::1]:4566', useRealCredentials: true, env: {} },
      { url: 'http://[::1]:4566', source: '--endpoint', loopback: true, credentials: 'yours' }],
    ['a remote endpoint when allowed, still with stand-in credentials', { endpoint: 'https://localstack.ci.example:4566', allowRemoteEndpoint: true, env: {} },
      { url: 'https://localstack.ci.example:4566', source: '--endpoint', loopback: false, credentials: 'stand-in' }],
  ];
  for (const [name, o, want] of chosen) {
    it(`chooses ${name}`, () => {
      expect(chooseEndpoint('S3', o)).to.deep.equal({ service: 'S3', ...want });
    });
  }

  const refused: [string, ConnectionOptions, string][] = [
    ['a private-range address from the flag', { endpoint: 'http://10.0.0.5:4566', env: {} },
      "--endpoint 'http://10.0.0.5:4566' is not on this machine; the scripts send requests only to a local stand-in (127.0.0.1, ::1, localhost) unless told otherwise: add --allow-remote-endpoint to send them to 10.0.0.5:4566, or give an endpoint such as http://127.0.0.1:4568."],
    ['a host name from AWS_ENDPOINT_URL, naming the variable', { env: { AWS_ENDPOINT_URL: 'https://evil.example' } },
      "AWS_ENDPOINT_URL 'https://evil.example' is not on this machine; the scripts send requests only to a local stand-in (127.0.0.1, ::1, localhost) unless told otherwise: add --allow-remote-endpoint to send them to evil.example, or give an endpoint such as http://127.0.0.1:4568."],
    ['a name that only starts like localhost', { env: { AWS_ENDPOINT_URL_S3: 'http://localhost.evil.example:80' } }, "AWS_ENDPOINT_URL_S3 'http://localhost.evil.example:80' is not on this machine"],
    ['not a URL', { endpoint: 'localhost:4566', env: {} }, "--endpoint 'localhost:4566' must be an http:// or https:// URL, such as http://127.0.0.1:4568."],
    ['garbage', { endpoint: 'http://', env: {} }, "--endpoint 'http://' is not a URL; give one such as http://127.0.0.1:4568."],
    ["a bad service variable, with its local server's port", { env: { AWS_ENDPOINT_URL_S3: 'ftp://x' } }, "AWS_ENDPOINT_URL_S3 'ftp://x' must be an http:// or https:// URL, such as http://127.0.0.1:4568."],
  ];
  for (const [name, o, message] of refused) {
    it(`refuses ${name}`, () => {
      expect(() => chooseEndpoint('S3', o)).to.throw(InputError, message);
    });
  }

  const hosts: [string, boolean][] = [
    ['127.0.0.1', true], ['127.9.8.7', true], ['[::1]', true], ['::ffff:127.0.0.1', true], ['localhost', true], ['LOCALHOST', true],
    ['10.0.0.5', false], ['192.168.1.1', false], ['0.0.0.0', false], ['[::]', false], ['localhost.localstack.cloud', false], ['128.0.0.1', false],
  ];
  for (const [host, loopback] of hosts) {
    it(`${loopback ? 'counts' : 'does not count'} ${host} as this machine`, () => {
      expect(isLoopbackHost(host)).to.equal(loopback);
    });
  }

  it('shows the choice in one line naming endpoint, source and whose credentials', () => {
    expect([
      describeEndpointChoice(chooseEndpoint('S3', { endpoint: 'http://127.0.0.1:4568', env: {} })),
      describeEndpointChoice(chooseEndpoint('S3', { env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4568' }, useRealCredentials: true })),
      describeEndpointChoice(chooseEndpoint('CLOUDFRONT', { endpoint: 'https://ls.example', allowRemoteEndpoint: true, env: {} })),
      describeEndpointChoice(chooseEndpoint('CLOUDFRONT', { env: {} })),
    ]).to.deep.equal([
      "aws: AWS requests go to http://127.0.0.1:4568 (--endpoint; this machine), signed with stand-in credentials 'test', not yours (--use-real-credentials sends yours)",
      "aws: S3 requests go to http://127.0.0.1:4568 (AWS_ENDPOINT_URL_S3; this machine), signed with your credentials (the SDK's default chain; --use-real-credentials)",
      "aws: AWS requests go to https://ls.example (--endpoint; another machine, allowed by --allow-remote-endpoint), signed with stand-in credentials 'test', not yours (--use-real-credentials sends yours)",
      "aws: AWS requests go to AWS's own endpoints, signed with your credentials (the SDK's default chain)",
    ]);
  });
});

describe('AWS client factories, the real SDK against a 127.0.0.1 recorder', function () {
  this.timeout(20_000);
  let server: RecordingServer;
  let answer: (i: number) => { status?: number; headers?: Record<string, string>; body?: string };

  beforeEach(async () => {
    answer = () => EMPTY_LISTING;
    server = await startRecordingServer((_, i) => answer(i));
  });
  afterEach(async () => server?.close());

  it('signs requests to a loopback stand-in with the stand-in key, not the real one in the environment, and says so first', async () => {
    const lines: string[] = [];
    await withRealCredentials(async () => {
      const s3 = s3Client({ endpoint: server.endpoint, env: {}, announce: (l) => lines.push(`${l} [after ${server.requests.length} requests]`) }, 'us-east-1');
      await s3.send(new ListObjectsV2Command({ Bucket: 'media-video' }));
      s3.destroy();
    });
    expect(server.requests.map((r) => r.accessKeyId)).to.deep.equal([STAND_IN_CREDENTIALS.accessKeyId]);
    expect(lines).to.deep.equal([`aws: AWS requests go to ${server.endpoint} (--endpoint; this machine), signed with stand-in credentials 'test', not yours (--use-real-credentials sends yours) [after 0 requests]`]);
  });

  it('sends the real key only with useRealCredentials', async () => {
    await withRealCredentials(async () => {
      const s3 = s3Client({ endpoint: server.endpoint, useRealCredentials: true, env: {}, announce: false }, 'us-east-1');
      await s3.send(new ListObjectsV2Command({ Bucket: 'media-video' }));
      s3.destroy();
    });
    expect(server.requests.map((r) => r.accessKeyId)).to.deep.equal([REAL.AWS_ACCESS_KEY_ID]);
  });

  it('honors AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL the same way for every service', async () => {
    await withRealCredentials(async () => {
      const env = { AWS_ENDPOINT_URL: server.endpoint, AWS_ENDPOINT_URL_S3: server.endpoint };
      const s3 = s3Client({ env, announce: false }, 'eu-west-1');
      await s3.send(new ListObjectsV2Command({ Bucket: 'media-video' }));
      answer = () => ({ headers: { 'content-type': 'text/xml' }, body: '<InvalidationList><IsTruncated>false</IsTruncated><Marker></Marker><MaxItems>100</MaxItems><Quantity>0</Quantity></InvalidationList>' });
      const cf = cloudFrontClient({ env, announce: false });
      await cf.send(new ListInvalidationsCommand({ DistributionId: 'E1' }));
      answer = () => ({ headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"MetricDataResults":[]}' });
      const cw = cloudWatchClient({ env, announce: false });
      await cw.send(new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(60_000), MetricDataQueries: [] }));
      [s3, cf, cw].forEach((c) => c.destroy());
    });
    expect(server.requests.map((r) => [r.method, r.url.split('?')[0], r.accessKeyId])).to.deep.equal([
      ['GET', '/media-video/', 'test'],
      ['GET', '/2020-05-31/distribution/E1/invalidation', 'test'],
      ['POST', '/', 'test'],
    ]);
  });

  it('addresses S3 path-style and adds no flexible checksum to a PutObject', async () => {
    answer = () => ({ headers: { etag: '"abc"' } });
    const s3 = s3Client({ endpoint: server.endpoint, env: {}, announce: false }, 'us-east-1');
    await s3.send(new PutObjectCommand({ Bucket: 'media-static', Key: 'css/site.css', Body: 'body{}' }));
    s3.destroy();
    const r = server.requests[0]!;
    expect([r.method, r.url.split('?')[0], r.headers.host, Object.keys(r.headers).filter((h) => h.startsWith('x-amz-checksum') || h === 'x-amz-sdk-checksum-algorithm')])
      .to.deep.equal(['PUT', '/media-static/css/site.css', new URL(server.endpoint).host, []]);
  });

  const attempts: [number, number, boolean][] = [[3, 3, true], [2, 2, false]];
  for (const [maxAttempts, sent, succeeds] of attempts) {
    it(`retries a 503 in the standard mode: ${maxAttempts} attempts ${succeeds ? 'outlast' : 'give up on'} two failures`, async () => {
      answer = (i) => (i < 2 ? { status: 503, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>SlowDown</Code><Message>slow</Message></Error>' } : EMPTY_LISTING);
      const s3 = s3Client({ endpoint: server.endpoint, env: {}, maxAttempts, retryDelayMs: 1, announce: false }, 'us-east-1');
      const outcome = await s3.send(new ListObjectsV2Command({ Bucket: 'b' })).then(() => 'ok', (e: Error) => e.name);
      s3.destroy();
      expect([outcome, server.requests.length]).to.deep.equal([succeeds ? 'ok' : 'SlowDown', sent]);
    });
  }

  it('shows nothing for a client that sends nothing, and the line once for one that sends twice', async () => {
    const lines: string[] = [];
    s3Client({ endpoint: server.endpoint, env: {}, announce: (l) => lines.push(l) }, 'us-east-1').destroy();
    expect(lines).to.have.length(0);
    const s3 = s3Client({ endpoint: server.endpoint, env: {}, announce: (l) => lines.push(l) }, 'us-east-1');
    await s3.send(new ListObjectsV2Command({ Bucket: 'b' }));
    await s3.send(new ListObjectsV2Command({ Bucket: 'b' }));
    s3.destroy();
    expect([lines.length, server.requests.length]).to.deep.equal([1, 2]);
  });

  it('refuses a remote endpoint before building a client, so nothing is sent', () => {
    const lines: string[] = [];
    expect(() => s3Client({ env: { AWS_ENDPOINT_URL: 'http://192.168.10.20:4566' }, announce: (l) => lines.push(l) }, 'us-east-1')).to.throw(InputError, /--allow-remote-endpoint/);
    expect(lines).to.deep.equal([]);
  });
});
