import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import {
  backoffDelayMs, billPaths, callerReference, classifyFailure, fitsInFlight, loadOf, monthStartUtc, retryDecision, sendWithBackoff,
  splitIntoBatches, validateBatchSizes, type InvalidationApi,
} from '../../lib/invalidation';

/** An error shaped as the SDK throws them: its name is the AWS error code, HTTP status in $metadata. */
function sdkError(name: string, message = name, httpStatusCode?: number): Error {
  return Object.assign(new Error(message), { name, ...(httpStatusCode !== undefined ? { $metadata: { httpStatusCode } } : {}) });
}

describe('invalidation/batching, caller references, backoff, cost', () => {
  describe('splitIntoBatches', () => {
    it('fills each batch up to the path and wildcard sizes, sorted and deterministic', () => {
      const items = ['/c', '/a', '/w1*', '/b', '/w2*', '/w3*', '#t', '/d'];
      expect(splitIntoBatches(items, { paths: 2, wildcards: 2 })).to.deep.equal([
        ['#t', '/a', '/w1*', '/w2*'],
        ['/b', '/c', '/w3*'],
        ['/d'],
      ]);
      expect(splitIntoBatches([...items].reverse(), { paths: 2, wildcards: 2 })).to.deep.equal(splitIntoBatches(items, { paths: 2, wildcards: 2 }));
    });

    it('keeps every batch within the in-progress quotas (3,000 paths, 15 wildcards) with the defaults', () => {
      const items = [...Array.from({ length: 7000 }, (_, i) => `/p/${i}`), ...Array.from({ length: 40 }, (_, i) => `/w/${i}/*`)];
      const batches = splitIntoBatches(items);
      expect(batches.map((b) => loadOf(b))).to.deep.equal([
        { paths: 1000, wildcards: 5 }, { paths: 1000, wildcards: 5 }, { paths: 1000, wildcards: 5 }, { paths: 1000, wildcards: 5 },
        { paths: 1000, wildcards: 5 }, { paths: 1000, wildcards: 5 }, { paths: 1000, wildcards: 5 }, { paths: 0, wildcards: 5 },
      ]);
      expect(batches.flat().sort()).to.deep.equal([...items].sort());
    });

    it('returns no batch for no items', () => {
      expect(splitIntoBatches([])).to.deep.equal([]);
    });
  });

  describe('validateBatchSizes', () => {
    it('accepts sizes within the quotas', () => {
      expect(() => validateBatchSizes({ paths: 3000, wildcards: 15 })).not.to.throw();
    });
    it('rejects sizes a distribution could never accept, naming the option and the range', () => {
      try {
        validateBatchSizes({ paths: 3001, wildcards: 0 });
        expect.fail('should throw');
      } catch (e) {
        expect(e).to.be.instanceOf(InputError);
        expect((e as InputError).problems).to.deep.equal([
          '--batch-paths must be a whole number from 1 to 3000 (the in-progress path quota, spec §8.4), got 3001.',
          '--batch-wildcards must be a whole number from 1 to 15 (the in-progress wildcard quota, spec §8.4), got 0.',
        ]);
      }
    });
  });

  describe('fitsInFlight', () => {
    const cases: { inFlight: [number, number]; batch: [number, number]; fits: boolean }[] = [
      { inFlight: [2000, 10], batch: [1000, 5], fits: true },
      { inFlight: [2001, 0], batch: [1000, 0], fits: false },
      { inFlight: [0, 11], batch: [0, 5], fits: false },
      { inFlight: [0, 0], batch: [3000, 15], fits: true },
    ];
    for (const c of cases) {
      it(`${c.batch[0]} paths + ${c.batch[1]} wildcards on top of ${c.inFlight[0]} + ${c.inFlight[1]} in flight ${c.fits ? 'fit' : 'do not fit'}`, () => {
        expect(fitsInFlight({ paths: c.inFlight[0], wildcards: c.inFlight[1] }, { paths: c.batch[0], wildcards: c.batch[1] })).to.equal(c.fits);
      });
    }
    it('counts #tag items with the paths', () => {
      expect(loadOf(['/a', '#t', '/b*'])).to.deep.equal({ paths: 2, wildcards: 1 });
    });
  });

  describe('callerReference', () => {
    const ref = callerReference('E1', ['/b', '/a'], 'req-1');
    it('is a stable hash of the distribution, the sorted items and the request id', () => {
      expect(ref).to.equal(callerReference('E1', ['/a', '/b'], 'req-1'));
      expect(ref).to.match(/^mcdn-[0-9a-f]{40}$/);
    });
    it('differs when any of the three differs', () => {
      expect(new Set([ref, callerReference('E2', ['/a', '/b'], 'req-1'), callerReference('E1', ['/a', '/c'], 'req-1'), callerReference('E1', ['/a', '/b'], 'req-2')]).size).to.equal(4);
    });
    it('cannot be confused by items that concatenate alike', () => {
      expect(callerReference('E1', ['/a', '/b'], 'r')).not.to.equal(callerReference('E1', ['/a","/b'], 'r'));
    });
  });

  describe('backoff', () => {
    const classes: { error: object; kind: string }[] = [
      { error: { name: 'TooManyInvalidationsInProgress', $metadata: { httpStatusCode: 400 } }, kind: 'in-flight-limit' },
      { error: { name: 'Throttling', $metadata: { httpStatusCode: 400 } }, kind: 'throttled' },
      { error: { name: 'Whatever', $metadata: { httpStatusCode: 429 } }, kind: 'throttled' },
      { error: { name: 'InternalError', $metadata: { httpStatusCode: 500 } }, kind: 'server' },
      { error: { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }, kind: 'server' },
      { error: { name: 'TimeoutError' }, kind: 'network' },
      { error: { name: 'Error', code: 'ECONNRESET' }, kind: 'network' },
      { error: { name: 'Error', message: 'socket hang up' }, kind: 'network' },
      { error: { name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } }, kind: 'fatal' },
      { error: { name: 'InvalidationBatchAlreadyExists', $metadata: { httpStatusCode: 409 } }, kind: 'fatal' },
      { error: { name: 'NoSuchDistribution', $metadata: { httpStatusCode: 404 } }, kind: 'fatal' },
      { error: { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, kind: 'fatal' },
    ];
    for (const c of classes) {
      it(`classifies ${JSON.stringify(c.error)} as ${c.kind}`, () => expect(classifyFailure(c.error)).to.equal(c.kind));
    }

    it('grows exponentially with full jitter, capped', () => {
      const policy = { baseMs: 100, maxMs: 1000, maxAttempts: 5 };
      expect([1, 2, 3, 4, 5, 30].map((a) => backoffDelayMs(a, policy, () => 0.999999))).to.deep.equal([99, 199, 399, 799, 999, 999]);
      expect(backoffDelayMs(3, policy, () => 0)).to.equal(0);
    });

    it('gives up throttling after maxAttempts but waits out the in-progress quota, and never retries fatal errors', () => {
      const policy = { baseMs: 100, maxMs: 1000, maxAttempts: 3 };
      const half = () => 0.5;
      expect(retryDecision({ name: 'Throttling' }, 2, policy, half)).to.deep.equal({ retry: true, delayMs: 100, kind: 'throttled' });
      expect(retryDecision({ name: 'Throttling' }, 3, policy, half)).to.deep.equal({ retry: false, kind: 'throttled' });
      expect(retryDecision({ name: 'TooManyInvalidationsInProgress' }, 50, policy, half)).to.deep.equal({ retry: true, delayMs: 500, kind: 'in-flight-limit' });
      expect(retryDecision({ name: 'InvalidArgument' }, 1, policy, half)).to.deep.equal({ retry: false, kind: 'fatal' });
    });

    it('sendWithBackoff retries with the same CallerReference until it succeeds', async () => {
      const calls: string[] = [];
      const errors = [sdkError('Throttling'), sdkError('ServiceUnavailable', 'ServiceUnavailable', 503)];
      const api: InvalidationApi = {
        async create(d, ref, items) {
          calls.push(ref);
          const e = errors.shift();
          if (e) throw e;
          return { id: 'I1', status: 'InProgress', createTime: new Date(0), callerReference: ref, items };
        },
        get: () => Promise.reject(new Error('unused')),
        list: () => Promise.reject(new Error('unused')),
      };
      const slept: number[] = [];
      const r = await sendWithBackoff(api, 'E1', 'ref-1', ['/a'], { policy: { baseMs: 10, maxMs: 100, maxAttempts: 5 }, sleep: async (ms) => void slept.push(ms), random: () => 0.5, now: () => 0 });
      expect(r).to.deep.include({ ok: true, attempts: 3 });
      expect(calls).to.deep.equal(['ref-1', 'ref-1', 'ref-1']);
      expect(slept).to.deep.equal([5, 10]);
    });

    it('sendWithBackoff stops at a fatal error and before a deadline', async () => {
      const api = (e: Error): InvalidationApi => ({ create: () => Promise.reject(e), get: () => Promise.reject(e), list: () => Promise.reject(e) });
      const o = { policy: { baseMs: 1000, maxMs: 1000, maxAttempts: 5 }, sleep: async () => {}, random: () => 0.5, now: () => 0 };
      expect(await sendWithBackoff(api(sdkError('InvalidArgument', 'bad', 400)), 'E1', 'r', ['/a'], o)).to.deep.equal({
        ok: false, error: 'InvalidArgument (HTTP 400): bad', retryable: false, attempts: 1,
      });
      expect(await sendWithBackoff(api(sdkError('Throttling', 'Rate exceeded')), 'E1', 'r', ['/a'], { ...o, deadline: 100 })).to.deep.equal({
        ok: false, error: 'Throttling: Rate exceeded', retryable: true, attempts: 1,
      });
    });
  });

  describe('cost (spec §8.5)', () => {
    const cases: { paths: number; used: number; free: number; billed: number; usd: number }[] = [
      { paths: 40, used: 0, free: 40, billed: 0, usd: 0 },
      { paths: 10_000, used: 0, free: 1000, billed: 9000, usd: 45 },
      { paths: 10_000, used: 1000, free: 0, billed: 10_000, usd: 50 },
      { paths: 40, used: 990, free: 10, billed: 30, usd: 0.15 },
    ];
    for (const c of cases) {
      it(`${c.paths} paths after ${c.used} this month: ${c.free} free, ${c.billed} billed, $${c.usd}`, () => {
        expect(billPaths(c.paths, c.used)).to.deep.equal({ paths: c.paths, freePaths: c.free, billedPaths: c.billed, usd: c.usd });
      });
    }
    it('starts the billing month at 00:00 UTC on the 1st', () => {
      expect(monthStartUtc(new Date('2025-03-31T23:59:59-05:00')).toISOString()).to.equal('2025-04-01T00:00:00.000Z');
    });
  });
});
