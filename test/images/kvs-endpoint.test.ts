import {
  CloudFrontKeyValueStoreClient, DeleteKeyCommand, DescribeKeyValueStoreCommand, GetKeyCommand, ListKeysCommand, PutKeyCommand, UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { expect } from 'chai';
import { request } from 'node:http';
import { KVS_ERRORS, startKvsEndpoint, type KvsEndpoint } from '../../local/kvs-endpoint';
import { chooseEndpoint, keyValueStoreClient, kvsEndpoint } from '../../adapters/aws-clients';

/** The KeyValueStore endpoint for a flag and an environment (remote endpoints allowed: the rewrite is under test). */
const resolveKvsEndpoint = (flag: string | undefined, env: NodeJS.ProcessEnv) =>
  kvsEndpoint(chooseEndpoint('CLOUDFRONT_KEYVALUESTORE', { ...(flag !== undefined ? { endpoint: flag } : {}), env, allowRemoteEndpoint: true }));
import { KVS_ACCOUNT as ACCOUNT, KVS_CREDENTIALS, newStoreArn } from './helpers';

/** The error a command rejects with: [name, HTTP status, message]. */
async function failure(p: Promise<unknown>): Promise<[string, number | undefined, string]> {
  const e = await p.then(() => { throw new Error('expected the call to fail'); }, (err: unknown) => err as Error & { $metadata?: { httpStatusCode?: number } });
  return [e.name, e.$metadata?.httpStatusCode, e.message];
}

describe('KeyValueStore endpoint choice (kvsEndpoint)', () => {
  const good: [string, string | undefined, NodeJS.ProcessEnv, ReturnType<typeof resolveKvsEndpoint>][] = [
    ['a loopback IPv4 becomes localhost, resolved to it', 'http://127.0.0.1:4598', {}, { endpoint: 'http://localhost:4598', loopbackAddress: '127.0.0.1' }],
    ['a loopback IPv6 becomes localhost, resolved to it', 'http://[::1]:4598', {}, { endpoint: 'http://localhost:4598', loopbackAddress: '::1' }],
    ['localhost resolves to 127.0.0.1', 'http://localhost:4566', {}, { endpoint: 'http://localhost:4566', loopbackAddress: '127.0.0.1' }],
    ['a host name is left to DNS (LocalStack)', 'https://localhost.localstack.cloud:4566', {}, { endpoint: 'https://localhost.localstack.cloud:4566' }],
    ['the flag wins over the environment', 'http://localhost:1', { AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: 'http://localhost:2', AWS_ENDPOINT_URL: 'http://localhost:3' }, { endpoint: 'http://localhost:1', loopbackAddress: '127.0.0.1' }],
    ['the service variable wins over AWS_ENDPOINT_URL', undefined, { AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: 'http://localhost:2', AWS_ENDPOINT_URL: 'http://localhost:3' }, { endpoint: 'http://localhost:2', loopbackAddress: '127.0.0.1' }],
    ['AWS_ENDPOINT_URL applies to every service', undefined, { AWS_ENDPOINT_URL: 'http://localhost:3' }, { endpoint: 'http://localhost:3', loopbackAddress: '127.0.0.1' }],
    ["no endpoint: AWS's own", undefined, {}, undefined],
  ];
  for (const [name, flag, env, want] of good) {
    it(`chooses: ${name}`, () => {
      expect(resolveKvsEndpoint(flag, env)).to.deep.equal(want);
    });
  }

  const bad: [string, string | undefined, NodeJS.ProcessEnv, string][] = [
    ['not a URL', 'kvs:4598', {}, "--endpoint 'kvs:4598' must be an http:// or https:// URL, such as http://127.0.0.1:4598."],
    ['garbage', 'http://', {}, "--endpoint 'http://' is not a URL; give one such as http://127.0.0.1:4598."],
    ['an IP address that is not loopback, naming its variable', undefined, { AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: 'http://10.0.0.5:4566' },
      "AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE 'http://10.0.0.5:4566': the KeyValueStore client sends requests to <account>.<endpoint host>, which an IP address cannot take; give a host name that resolves with any prefix (e.g. http://localhost.localstack.cloud:4566), or localhost."],
  ];
  for (const [name, flag, env, message] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => resolveKvsEndpoint(flag, env)).to.throw(message);
    });
  }
});

describe('local KeyValueStore endpoint, driven by the real @aws-sdk/client-cloudfront-keyvaluestore', function () {
  this.timeout(20_000);
  let kvs: KvsEndpoint;
  let client: CloudFrontKeyValueStoreClient;
  let port: string;

  before(async () => {
    kvs = await startKvsEndpoint();
    port = new URL(kvs.endpoint).port;
    client = keyValueStoreClient({ endpoint: kvs.endpoint, env: {}, credentials: KVS_CREDENTIALS, announce: false });
  });
  after(async () => {
    client?.destroy();
    await kvs?.close();
  });

  const fresh = (items?: Iterable<[string, string]>) => {
    const arn = newStoreArn();
    kvs.model.createStore(arn, items);
    return arn;
  };
  const etagOf = async (arn: string) => (await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }))).ETag!;

  it('is reached at <account>.localhost as the endpoint rules build it, signed with SigV4a', async () => {
    const arn = fresh();
    await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
    expect(kvs.calls.at(-1)).to.deep.equal({ operation: 'DescribeKeyValueStore', arn, host: `${ACCOUNT}.localhost:${port}`, status: 200 });
  });

  it('refuses a request that is not SigV4a-signed', async () => {
    const arn = fresh();
    const answer = await new Promise<{ status?: number; type?: string | string[] }>((resolve, reject) => {
      request(`${kvs.endpoint}/key-value-stores/${encodeURIComponent(arn)}`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=LOCAL/20260101/us-east-1/cloudfront-keyvaluestore/aws4_request' } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode, type: res.headers['x-amzn-errortype'] });
      }).on('error', reject).end();
    });
    expect(answer).to.deep.equal({ status: 403, type: 'AccessDeniedException' });
  });

  it('needs the *.localhost resolution: an explicit endpoint does not replace the endpoint rules, which prefix the account', async () => {
    const raw = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', endpoint: kvs.endpoint, credentials: KVS_CREDENTIALS });
    const logged: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args[0]); // the SDK logs the URL it could not build
    try {
      const e = await raw.send(new DescribeKeyValueStoreCommand({ KvsARN: fresh() })).then(() => undefined, (err: unknown) => err as { code?: string; input?: string });
      expect([e?.code, e?.input]).to.deep.equal(['ERR_INVALID_URL', `http://${ACCOUNT}.127.0.0.1:${port}/`]);
    } finally {
      console.error = consoleError;
      raw.destroy();
    }
  });

  it('describes an empty store with its ETag', async () => {
    const arn = fresh();
    const d = await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
    expect([d.KvsARN, d.ItemCount, d.TotalSizeInBytes, d.Status, d.ETag]).to.deep.equal([arn, 0, 0, 'READY', kvs.model.etag(arn)]);
    expect(d.Created).to.be.instanceOf(Date);
  });

  it('puts a key under the current ETag and answers the new ETag and the store size; keys with /, % and spaces round-trip', async () => {
    const arn = fresh();
    const before = await etagOf(arn);
    const key = 'thumbnails/show 1/a%20b.jpg';
    const out = await client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: before, Key: key, Value: 'w=320;f=avif;b=jpeg' }));
    expect([out.ItemCount, out.TotalSizeInBytes, out.ETag === before, out.ETag]).to.deep.equal([1, Buffer.byteLength(key) + 19, false, kvs.model.etag(arn)]);
    const got = await client.send(new GetKeyCommand({ KvsARN: arn, Key: key }));
    expect([got.Key, got.Value]).to.deep.equal([key, 'w=320;f=avif;b=jpeg']);
  });

  it('refuses a write under a stale ETag with ValidationException "Pre-Condition failed" and changes nothing', async () => {
    const arn = fresh();
    const stale = await etagOf(arn);
    kvs.model.writeAsAnotherClient(arn, 'other', 'x');
    expect(await failure(client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: stale, Key: 'a', Value: 'b' })))).to.deep.equal(['ValidationException', 400, 'Pre-Condition failed']);
    expect([...kvs.model.items(arn).keys()]).to.deep.equal(['other']);
  });

  it('applies UpdateKeys all or nothing: one value over 1 KB refuses the whole batch', async () => {
    const arn = fresh();
    const puts = [{ Key: 'a', Value: 'x'.repeat(1024) }, { Key: 'b', Value: 'x'.repeat(1025) }];
    expect(await failure(client.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: await etagOf(arn), Puts: puts })))).to.deep.equal(['ValidationException', 400, "Value of 'b' must be at most 1024 bytes, got 1025."]);
    expect(kvs.model.items(arn).size).to.equal(0);
  });

  const batchSizes: [number, string | undefined][] = [[50, undefined], [51, 'UpdateKeys takes at most 50 keys, got 51.']];
  for (const [n, refusal] of batchSizes) {
    it(`${refusal ? 'refuses' : 'takes'} an UpdateKeys of ${n} keys`, async () => {
      const arn = fresh();
      const send = client.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: await etagOf(arn), Puts: Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }));
      if (refusal) expect(await failure(send)).to.deep.equal(['ValidationException', 400, refusal]);
      else expect((await send).ItemCount).to.equal(n);
    });
  }

  const keys: [string, string, string | undefined][] = [
    ['a 512-byte key', 'é'.repeat(256), undefined],
    ['a 513-byte key', `${'é'.repeat(256)}a`, 'Key must be 1 to 512 bytes, got 513.'],
  ];
  for (const [name, key, refusal] of keys) {
    it(`${refusal ? 'refuses' : 'stores'} ${name} (quota counts UTF-8 bytes)`, async () => {
      const arn = fresh();
      const send = client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: await etagOf(arn), Key: key, Value: 'v' }));
      if (refusal) expect(await failure(send)).to.deep.equal(['ValidationException', 400, refusal]);
      else expect((await send).TotalSizeInBytes).to.equal(513);
    });
  }

  it('fills a store to exactly 5 MB and refuses one byte more with ServiceQuotaExceededException', async () => {
    // 5,120 items of 1,024 bytes (6-byte key + 1,018-byte value) = 5,242,880 bytes, the last one 10 bytes short.
    const items = Array.from({ length: 5120 }, (_, i): [string, string] => [`k${String(i).padStart(5, '0')}`, 'v'.repeat(i === 5119 ? 1008 : 1018)]);
    const arn = fresh(items);
    const full = await client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: await etagOf(arn), Key: 'k', Value: '123456789' }));
    expect(full.TotalSizeInBytes).to.equal(5 * 1024 * 1024);
    expect(await failure(client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: full.ETag!, Key: 'l', Value: '' }))))
      .to.deep.equal(['ServiceQuotaExceededException', 402, 'Limit exceeded. The store would hold 5242881 bytes, over 5242880.']);
  });

  it('deletes a key under the current ETag; a missing key is ResourceNotFoundException', async () => {
    const arn = fresh([['a', '1'], ['b', '2']]);
    const out = await client.send(new DeleteKeyCommand({ KvsARN: arn, IfMatch: await etagOf(arn), Key: 'a' }));
    expect([out.ItemCount, out.TotalSizeInBytes, [...kvs.model.items(arn).keys()]]).to.deep.equal([1, 2, ['b']]);
    expect(await failure(client.send(new DeleteKeyCommand({ KvsARN: arn, IfMatch: out.ETag!, Key: 'a' })))).to.deep.equal(['ResourceNotFoundException', 404, "Key 'a' was not found."]);
  });

  it('lists keys in key order, a page at a time, and refuses a page over 50', async () => {
    const arn = fresh([['e', '5'], ['a', '1'], ['c', '3'], ['b', '2'], ['d', '4']]);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListKeysCommand({ KvsARN: arn, MaxResults: 2, ...(token ? { NextToken: token } : {}) }));
      pages.push((page.Items ?? []).map((i) => `${i.Key}=${i.Value}`));
      token = page.NextToken;
    } while (token);
    expect(pages).to.deep.equal([['a=1', 'b=2'], ['c=3', 'd=4'], ['e=5']]);
    expect(await failure(client.send(new ListKeysCommand({ KvsARN: arn, MaxResults: 51 })))).to.deep.equal(['ValidationException', 400, 'MaxResults must be 1 to 50, got 51.']);
  });

  it('answers ResourceNotFoundException for a store that does not exist', async () => {
    const arn = newStoreArn();
    expect(await failure(client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn })))).to.deep.equal(['ResourceNotFoundException', 404, `Key value store '${arn}' was not found.`]);
  });

  it('injects ConflictException on the next writes, changing nothing, then answers normally', async () => {
    const arn = fresh();
    const etag = await etagOf(arn);
    kvs.failNext(1, KVS_ERRORS.conflict);
    expect(await failure(client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: etag, Key: 'a', Value: '1' })))).to.deep.equal(['ConflictException', 409, 'Resource is not in a state that can be modified.']);
    expect((await client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: etag, Key: 'a', Value: '1' }))).ItemCount).to.equal(1);
  });
});
