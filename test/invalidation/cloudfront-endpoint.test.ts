import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { expect } from 'chai';
import { invalidationFilter, parseXml, startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';

function client(ep: CloudFrontEndpoint, maxAttempts = 1): CloudFrontClient {
  return new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts });
}

function create(cf: CloudFrontClient, ref: string, items: string[], distributionId = 'E1') {
  return cf.send(new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: ref, Paths: { Quantity: items.length, Items: items } } }));
}

async function error(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const x = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: x.name, status: x.$metadata?.httpStatusCode, message: x.message };
  }
  throw new Error('expected the call to fail');
}

describe('local/cloudfront-endpoint with the real @aws-sdk/client-cloudfront', () => {
  let ep: CloudFrontEndpoint;
  let cf: CloudFrontClient;

  beforeEach(async () => {
    ep = await startCloudFrontEndpoint({ distributions: ['E1'], completionDelayMs: 60_000, limits: { maxPaths: 10, maxWildcards: 2 } });
    cf = client(ep);
  });
  afterEach(async () => {
    cf.destroy();
    await ep.close();
  });

  it('creates an invalidation (201, Location, InProgress) and returns it from GetInvalidation', async () => {
    const r = await create(cf, 'ref-1', ['/a&b.jpg', '/video/*', '#release:1']);
    expect(r.$metadata.httpStatusCode).to.equal(201);
    expect(r.Location).to.equal(`https://cloudfront.amazonaws.com/2020-05-31/distribution/E1/invalidation/${r.Invalidation!.Id}`);
    expect(r.Invalidation).to.deep.include({ Status: 'InProgress' });
    expect(r.Invalidation!.Id).to.match(/^I[A-Z2-7]{13}$/);
    expect(r.Invalidation!.InvalidationBatch).to.deep.equal({ CallerReference: 'ref-1', Paths: { Quantity: 3, Items: ['/a&b.jpg', '/video/*', '#release:1'] } });
    const g = await cf.send(new GetInvalidationCommand({ DistributionId: 'E1', Id: r.Invalidation!.Id }));
    expect(g.Invalidation).to.deep.equal(r.Invalidation);
  });

  it('returns the original for the same CallerReference and batch (in any order), and refuses other paths (409)', async () => {
    const first = await create(cf, 'ref-1', ['/a', '/b']);
    const again = await create(cf, 'ref-1', ['/b', '/a']);
    expect(again.Invalidation!.Id).to.equal(first.Invalidation!.Id);
    expect(ep.model.stats).to.deep.include({ created: 1, replays: 1 });
    expect(await error(create(cf, 'ref-1', ['/c']))).to.deep.equal({
      name: 'InvalidationBatchAlreadyExists', status: 409, message: 'An invalidation batch with CallerReference ref-1 already exists with different paths; use a new CallerReference.',
    });
  });

  const invalid: { name: string; items: string[]; message: string }[] = [
    { name: 'a path without the leading slash', items: ['a.jpg'], message: "Your request contains one or more invalid invalidation paths. Invalidation path 'a.jpg' must start with '/'; use '/a.jpg'." },
    { name: 'a tilde', items: ['/ok', '/a~b'], message: "Your request contains one or more invalid invalidation paths. Invalidation path '/a~b' contains '~' (raw or as %7E), which CloudFront does not support in invalidation paths; invalidate a prefix before the '~' with a trailing '*' instead." },
    { name: 'a tag with a wildcard', items: ['#a*'], message: "Your request contains one or more invalid invalidation paths. Invalidation tag item '#a*' contains '*'; tags take no wildcards — list each tag exactly." },
  ];
  for (const c of invalid) {
    it(`refuses a batch with ${c.name} (InvalidArgument, 400) and creates nothing`, async () => {
      expect(await error(create(cf, 'ref-x', c.items))).to.deep.equal({ name: 'InvalidArgument', status: 400, message: c.message });
      expect(ep.model.invalidations('E1')).to.have.length(0);
    });
  }

  it('answers NoSuchDistribution (404) for an unknown distribution', async () => {
    expect(await error(create(cf, 'r', ['/a'], 'E404'))).to.deep.equal({ name: 'NoSuchDistribution', status: 404, message: 'The specified distribution does not exist: E404.' });
  });

  it('answers InconsistentQuantities when Quantity does not match Items', async () => {
    const res = await fetch(`${ep.endpoint}/2020-05-31/distribution/E1/invalidation`, {
      method: 'POST', body: '<InvalidationBatch><Paths><Quantity>2</Quantity><Items><Path>/a</Path></Items></Paths><CallerReference>r</CallerReference></InvalidationBatch>',
    });
    expect(res.status).to.equal(400);
    const err = parseXml(await res.text());
    expect(err.children[0]!.children.map((c) => [c.name, c.text])).to.deep.equal([['Type', 'Sender'], ['Code', 'InconsistentQuantities'], ['Message', 'Paths.Quantity is 2 but Paths.Items has 1 items.']]);
  });

  it('enforces the in-progress quotas per distribution: paths and wildcards independently (TooManyInvalidationsInProgress, 400)', async () => {
    await create(cf, 'r1', ['/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8']);
    await create(cf, 'r2', ['/w1*', '/w2*']);
    expect(await error(create(cf, 'r3', ['/9', '/10', '/11']))).to.deep.equal({
      name: 'TooManyInvalidationsInProgress', status: 400, message: 'Processing your request will cause you to exceed the maximum number of in-progress invalidations.',
    });
    expect(await error(create(cf, 'r4', ['/w3*']))).to.have.property('name', 'TooManyInvalidationsInProgress');
    await create(cf, 'r5', ['/9', '#tag']);
    expect(ep.model.inProgress('E1')).to.deep.equal({ paths: 10, wildcards: 2 });
    expect(ep.model.stats).to.deep.include({ limitRejections: 2, peakPaths: 10, peakWildcards: 2 });
  });

  it('in record mode accepts batches over the quotas and counts them', async () => {
    const rec = await startCloudFrontEndpoint({ distributions: ['E1'], limits: { maxPaths: 1, maxWildcards: 1 }, limitMode: 'record' });
    const c = client(rec);
    await create(c, 'r1', ['/a']);
    await create(c, 'r2', ['/b']);
    expect(rec.model.stats).to.deep.include({ created: 2, limitViolations: 1, peakPaths: 2 });
    c.destroy();
    await rec.close();
  });

  it('completes invalidations after the delay, frees the quota and fires the completion hook', async () => {
    const fast = await startCloudFrontEndpoint({ distributions: ['E1'], completionDelayMs: 30, limits: { maxPaths: 1, maxWildcards: 1 } });
    const c = client(fast);
    const completed: string[] = [];
    fast.onCompleted((i) => completed.push(i.id));
    const r = await create(c, 'r1', ['/a']);
    await new Promise((res) => setTimeout(res, 80));
    expect((await c.send(new GetInvalidationCommand({ DistributionId: 'E1', Id: r.Invalidation!.Id }))).Invalidation!.Status).to.equal('Completed');
    expect(completed).to.deep.equal([r.Invalidation!.Id]);
    await create(c, 'r2', ['/b']);
    c.destroy();
    await fast.close();
  });

  it('lists newest first with Marker/NextMarker paging', async () => {
    const big = await startCloudFrontEndpoint({ distributions: ['E1'] });
    const c = client(big);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(c, `r${i}`, [`/${i}`])).Invalidation!.Id!);
    const p1 = (await c.send(new ListInvalidationsCommand({ DistributionId: 'E1', MaxItems: 2 }))).InvalidationList!;
    expect(p1.Items!.map((i) => i.Id)).to.deep.equal([ids[4], ids[3]]);
    expect(p1).to.deep.include({ IsTruncated: true, NextMarker: ids[3], Quantity: 2, MaxItems: 2 });
    const p3 = (await c.send(new ListInvalidationsCommand({ DistributionId: 'E1', MaxItems: 2, Marker: ids[1] }))).InvalidationList!;
    expect(p3.Items!.map((i) => i.Id)).to.deep.equal([ids[0]]);
    expect(p3.IsTruncated).to.equal(false);
    c.destroy();
    await big.close();
  });

  it('applies each created invalidation to registered caches and listeners once (not on replays)', async () => {
    const entries = [{ uri: '/video/a.ts' }, { uri: '/video/b.ts', tags: ['release:1'] }, { uri: '/static/app.js' }, { uri: '/thumbnails/x.jpg?width=100' }];
    let cache = [...entries];
    const seen: string[][] = [];
    ep.registerCache('E1', { invalidate: (items) => { cache = cache.filter((e) => !invalidationFilter(items)(e)); } });
    ep.onInvalidation((e) => seen.push([...e.items]));
    await create(cf, 'r1', ['/video/a.ts', '#RELEASE:1', '/thumbnails/x.jpg*']);
    await create(cf, 'r1', ['/video/a.ts', '#RELEASE:1', '/thumbnails/x.jpg*']);
    expect(cache).to.deep.equal([{ uri: '/static/app.js' }]);
    expect(seen).to.deep.equal([['/video/a.ts', '#RELEASE:1', '/thumbnails/x.jpg*']]);
  });

  it('refuses tag items on a distribution without tag invalidation', async () => {
    ep.addDistribution('E2', { tagInvalidation: false });
    expect((await error(create(cf, 'r', ['#t'], 'E2'))).message).to.equal("Your request contains one or more invalid invalidation paths. Invalidation tag item '#t' was given, but distribution E2 has no CacheTagConfig; add one or invalidate paths.");
  });

  describe('faults', () => {
    const kinds: { kind: 'throttling' | 'too-many-invalidations' | 'internal-error' | 'service-unavailable'; name: string; status: number }[] = [
      { kind: 'throttling', name: 'Throttling', status: 400 },
      { kind: 'too-many-invalidations', name: 'TooManyInvalidationsInProgress', status: 400 },
      { kind: 'internal-error', name: 'InternalError', status: 500 },
      { kind: 'service-unavailable', name: 'ServiceUnavailable', status: 503 },
    ];
    for (const k of kinds) {
      it(`injects ${k.kind} as ${k.name} (${k.status}) and creates nothing`, async () => {
        ep.faults.injectOnce(k.kind, 'CreateInvalidation');
        expect(await error(create(cf, 'r', ['/a']))).to.deep.include({ name: k.name, status: k.status });
        expect(ep.model.invalidations('E1')).to.have.length(0);
        expect((await create(cf, 'r', ['/a'])).$metadata.httpStatusCode).to.equal(201);
      });
    }

    it('create-then-fail creates the invalidation but answers 500; the retry with the same CallerReference gets the original', async () => {
      ep.faults.injectOnce('create-then-fail');
      expect(await error(create(cf, 'r', ['/a']))).to.deep.include({ name: 'InternalError', status: 500 });
      expect(ep.model.invalidations('E1')).to.have.length(1);
      const retry = await create(cf, 'r', ['/a']);
      expect(retry.Invalidation!.Id).to.equal(ep.model.invalidations('E1')[0]!.id);
      expect(ep.model.stats).to.deep.include({ created: 1, replays: 1 });
    });

    it('reset closes the connection without an answer; slow answers after the work is done', async () => {
      ep.faults.injectOnce('reset');
      expect((await error(create(cf, 'r', ['/a']))).name).to.not.equal('');
      ep.setFaults({ rate: 1, kinds: ['slow'], slowMs: 300 });
      const slow = new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1, requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } });
      expect((await error(create(slow, 's', ['/b']))).name).to.equal('TimeoutError');
      expect(ep.model.invalidations('E1').map((i) => i.callerReference)).to.deep.equal(['s']);
      slow.destroy();
    });

    it('injects faults at the planned rate, reproducibly from the seed', async () => {
      ep.setFaults({ rate: 0.3, kinds: ['throttling'], seed: 7 });
      let failed = 0;
      for (let i = 0; i < 40; i++) {
        try {
          await cf.send(new ListInvalidationsCommand({ DistributionId: 'E1' }));
        } catch {
          failed++;
        }
      }
      expect(failed).to.equal(ep.faults.injected.throttling);
      expect(failed).to.equal(12);
    });
  });
});
