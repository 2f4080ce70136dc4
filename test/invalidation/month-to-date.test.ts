/**
 * `submit` reads the month-to-date usage (ListInvalidations) before planning: throttling, 5xx and
 * dropped connections are retried with backoff (lib/invalidation/backoff `withRetries`) and, when
 * they persist, end as a failed run (exit 1), never as bad input (exit 2). Against the local
 * CloudFront endpoint failing the first N ListInvalidations calls; the SDK's own retries are off
 * (--sdk-max-attempts 1 equivalent) so each fault reaches the CLI.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCloudFrontEndpoint, type CloudFrontEndpoint, type FaultKind } from '../../local/cloudfront-endpoint';
import { InputError } from '../../lib/errors';
import { RetriesExhausted, withRetries } from '../../lib/invalidation';
import { CheckFailed } from '../../scripts/lib/cli';
import { main } from '../../scripts/invalidate';
import { localApi, tempDir, writeOutputs } from './helpers';

describe('submit: transient failures while reading the month-to-date usage', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let ep: CloudFrontEndpoint;
  let api: ReturnType<typeof localApi>;
  let outputsFile: string;
  let distributionId: string;
  const delays: number[] = [];

  async function submit(args: string[], file = outputsFile): Promise<{ code?: number; error?: unknown; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    delays.length = 0;
    try {
      const code = await main(['--outputs', file, '--queue', join(tmp.dir, 'q.sqlite'), '--no-metrics', 'submit', '--dry-run', '--backoff-base-ms', '200', ...args], {
        cloudfront: api.api, out: (l) => out.push(l), err: (l) => err.push(l), sleep: async (ms) => { delays.push(ms); },
      });
      return { code, out, err };
    } catch (error) {
      return { error, out, err };
    }
  }

  before(async () => {
    tmp = tempDir('inv-mtd-');
    ({ file: outputsFile, outputs: { distributionId } } = writeOutputs(tmp.dir));
    ep = await startCloudFrontEndpoint({ distributions: [distributionId], completionDelayMs: 20 });
    api = localApi(ep.endpoint, { sdkMaxAttempts: 1 });
    await api.api.create(distributionId, 'earlier-this-month', ['/static/a.js', '/static/b.js', '/static/c.js']);
  });
  after(async () => {
    api?.destroy();
    await ep?.close();
    tmp?.remove();
  });

  it('retries throttling, 500, 503 and a reset with backoff, then plans with the real usage (exit 0)', async () => {
    const faults: FaultKind[] = ['throttling', 'internal-error', 'service-unavailable', 'reset'];
    for (const f of faults) ep.faults.injectOnce(f, 'ListInvalidations');
    const r = await submit(['/static/app.js']);
    expect(r.error).to.equal(undefined);
    expect(r.code).to.equal(0);
    expect(delays).to.have.length(4);
    delays.forEach((d, i) => expect(d).to.be.within(0, 200 * 2 ** i));
    expect(r.err.filter((l) => l.startsWith("note: reading this month's invalidations failed"))).to.have.length(4);
    expect(r.err[0]).to.match(/\(Throttling \(HTTP 400\): .*\); retrying in \d+\.\d s \(attempt 2 of 5\)\.$/);
    expect(r.out.join('\n')).to.match(/month-to-date paths\s+3\b/);
  });

  it('fails the run (exit 1, one line) when the failures outlast every attempt, never as bad input', async () => {
    for (let i = 0; i < 5; i++) ep.faults.injectOnce('service-unavailable', 'ListInvalidations');
    const r = await submit(['/static/app.js', '--quiet']);
    expect(r.error).to.be.instanceOf(CheckFailed);
    expect(r.error).not.to.be.instanceOf(InputError);
    expect((r.error as Error).message).to.match(/^error: could not read this month's invalidations with ListInvalidations: ServiceUnavailable \(HTTP 503\): .* \(after 5 attempts\); CloudFront is throttling or unreachable and nothing was sent: run again later, or give --month-to-date <paths> to plan without it\.$/);
    expect((r.error as Error).message).not.to.contain('\n');
    expect(delays).to.have.length(4);
    expect(r.err).to.deep.equal([]);
  });

  it('reports a distribution that does not exist as bad input (exit 2) at once, without retrying', async () => {
    const dir = join(tmp.dir, 'other');
    mkdirSync(dir);
    const other = writeOutputs(dir, 'ENOSUCHDIST0001');
    const r = await submit(['/static/app.js'], other.file);
    expect(r.error).to.be.instanceOf(InputError);
    expect((r.error as InputError).problems[0]).to.match(/^could not read this month's invalidations with ListInvalidations \(NoSuchDistribution: /);
    expect(delays).to.deep.equal([]);
  });

  it('withRetries: a fatal error is thrown as it came, a persisting retryable one as RetriesExhausted', async () => {
    const sleep = async () => undefined;
    const fatal = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    let calls = 0;
    const thrown = await withRetries(() => { calls++; return Promise.reject(fatal); }, { sleep }).catch((e: unknown) => e);
    expect([thrown, calls]).to.deep.equal([fatal, 1]);
    calls = 0;
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const gaveUp = await withRetries(() => { calls++; return Promise.reject(reset); }, { sleep, policy: { baseMs: 1, maxMs: 1, maxAttempts: 3 } }).catch((e: unknown) => e);
    expect(gaveUp).to.be.instanceOf(RetriesExhausted);
    expect([(gaveUp as RetriesExhausted).kind, (gaveUp as RetriesExhausted).attempts, calls]).to.deep.equal(['network', 3, 3]);
    calls = 0;
    expect(await withRetries(() => (++calls < 3 ? Promise.reject(reset) : Promise.resolve('ok')), { sleep })).to.equal('ok');
  });
});
