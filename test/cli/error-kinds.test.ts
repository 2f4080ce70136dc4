import { expect } from 'chai';
import { awsCallFailure, classifyError, EnvironmentError, EXIT_CODES } from '../../lib/error-kinds';

const err = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name }, extra);

describe('lib/error-kinds: one line and an exit code for what the environment refused', () => {
  const cases: [string, unknown, string, number, RegExp][] = [
    ['missing credentials', err('CredentialsProviderError', 'Could not load credentials from any providers'), 'credentials', 3, /^AWS credentials are missing or invalid \(Could not load credentials from any providers\); set AWS_PROFILE/],
    ['an expired token', err('ExpiredToken', 'The security token included in the request is expired'), 'credentials', 3, /AWS_PROFILE/],
    ['access denied (by name)', err('AccessDenied', 'User is not authorized to perform cloudfront:CreateInvalidation'), 'access-denied', 3, /^AWS denied the request \(AccessDenied: User is not authorized to perform cloudfront:CreateInvalidation\); grant/],
    ['access denied (HTTP 403)', err('UnknownError', 'Forbidden', { $metadata: { httpStatusCode: 403 } }), 'access-denied', 3, /HTTP 403|UnknownError/],
    ['throttling after retries', err('ThrottlingException', 'Rate exceeded'), 'throttled', 3, /after every retry \(ThrottlingException: Rate exceeded\)/],
    ['a refused connection wrapped by fetch', Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 }) }), 'unreachable', 3, /^cannot reach 127\.0\.0\.1:4566 \(ECONNREFUSED\)/],
    ['an unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND', hostname: 'nowhere.invalid' }), 'unreachable', 3, /^cannot reach nowhere\.invalid \(ENOTFOUND\)/],
    ['a full disk', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: '/tmp/out.json' }), 'file-system', 3, /^'\/tmp\/out\.json' cannot be written: the disk is full/],
    ['a read-only file system', Object.assign(new Error('EROFS'), { code: 'EROFS', syscall: 'open', path: '/ro/x' }), 'file-system', 3, /read-only/],
    ['a directory given as a file', Object.assign(new Error('EISDIR'), { code: 'EISDIR', syscall: 'open', path: 'out' }), 'file-system', 3, /^'out' is a directory; give a file path \(EISDIR on open\)\.$/],
    ['a 5xx the retries did not outlast (by name)', err('InternalError', 'We encountered an internal error. Please try again.'), 'service-error', 3, /^AWS kept failing the request after every retry \(InternalError: We encountered an internal error/],
    ['a 5xx the retries did not outlast (HTTP 503)', err('UnknownError', 'Service Unavailable', { $metadata: { httpStatusCode: 503 } }), 'service-error', 3, /run again later/],
    ['an EnvironmentError already said', new EnvironmentError('access-denied', 'missing permission s3:ListBucket on bucket b; grant it.'), 'access-denied', 3, /^missing permission s3:ListBucket on bucket b; grant it\.$/],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')"), 'internal', 4, /^internal error: TypeError: Cannot read properties of undefined \(reading 'x'\) \(a bug: run again with --debug/],
    ['a thrown string', 'boom', 'internal', 4, /^internal error: boom/],
  ];
  for (const [what, e, kind, code, line] of cases) {
    it(what, () => {
      const c = classifyError(e);
      expect([c.kind, c.exitCode]).to.deep.equal([kind, code]);
      expect(c.line).to.match(line);
      expect(c.line).to.not.include('\n');
    });
  }

  it('names the endpoint requests were going to when it is known', () => {
    expect(classifyError(err('ThrottlingException', 'slow down'), 'http://127.0.0.1:9000').line).to.include('at http://127.0.0.1:9000');
  });

  it('keeps the documented codes', () => {
    expect(EXIT_CODES).to.deep.equal({ ok: 0, checkFailed: 1, badInput: 2, environment: 3, internal: 4 });
  });

  it('awsCallFailure names the action and resource for the environment\'s kinds, and leaves the rest to the caller', () => {
    const said = (e: unknown) => awsCallFailure(e, 's3:ListBucket', "bucket 'media'")?.message;
    expect(said(err('AccessDenied', 'User is not authorized'))).to.equal("missing permission s3:ListBucket on bucket 'media' (AWS said: User is not authorized); grant it to the caller's role (docs/deployment.md lists what each script needs).");
    expect(said(err('CredentialsProviderError', 'Could not load credentials from any providers'))).to.match(/^no usable AWS credentials to call s3:ListBucket \(Could not load/);
    expect(said(err('SlowDown', 'Please reduce your request rate.'))).to.match(/^AWS kept throttling s3:ListBucket on bucket 'media' after every retry/);
    expect(said(err('InternalError', 'oops'))).to.match(/^AWS kept failing s3:ListBucket on bucket 'media' after every retry \(InternalError: oops\)/);
    expect(said(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))).to.match(/^cannot reach the AWS endpoint for s3:ListBucket on bucket 'media' \(ECONNREFUSED: fetch failed\); check --endpoint/);
    expect(awsCallFailure(err('AccessDenied', 'x'), 'a', 'b')).to.be.instanceOf(EnvironmentError).and.have.property('kind', 'access-denied');
    expect(said(err('NoSuchBucket', 'The specified bucket does not exist'))).to.equal(undefined);
  });
});
