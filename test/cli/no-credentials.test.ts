/**
 * The error boundary as a user meets it: `npm run invalidate` on a machine without AWS credentials
 * (the command of the error-boundary issue), as a child process with an empty credential chain.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../invalidation/helpers';

describe('a command without AWS credentials (the error boundary)', function () {
  this.timeout(120_000);
  let dir: string;
  // the script as npm runs it (tsx), so that --stack finds the repository's stack files
  const tsx = require.resolve('tsx/cli');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'no-creds-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the bundled CLI with no credentials anywhere the SDK's default chain looks. */
  function run(args: string[]) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: dir, NODE_PATH: join(REPO, 'node_modules'),
      AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1',
    };
    const r = spawnSync(process.execPath, [tsx, 'scripts/invalidate.ts', ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 90_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const PATHS = ['/video/123/*', '/video/124/seg1.ts', '/video/124/seg2.ts'];

  it('a dry run plans offline, says what it could not list, and exits 0 with no stack trace or SDK notice', () => {
    const r = run(['--stack', 'prod', 'submit', '--dry-run', '--month-to-date', '0', '--quiet', ...PATHS]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('dry run: nothing was sent');
    expect(r.stdout).to.include('planned without listing the origin folders (no AWS credentials)');
    expect(r.stdout).to.include('planned without cache tags (no AWS credentials');
    expect(r.stdout + r.stderr).to.not.match(/NodeVersionSupportWarning|CredentialsProviderError|^\s+at /m);
  });

  it('a dry run of a --pattern sends the pattern\'s folder as one wildcard and says the listing was skipped', () => {
    const r = run(['--stack', 'prod', 'submit', '--dry-run', '--month-to-date', '0', '--quiet', '--pattern', 'video/2024/**/*.m3u8']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^\s+\/video\/2024\/\*$/m);
    expect(r.stdout).to.include("planned without listing s3://…/video/2024/ (no AWS credentials)");
  });

  it('a real submit exits 3 with one error line naming what to set, and queues nothing', () => {
    const queue = join(dir, 'queue.db');
    const r = run(['--stack', 'prod', 'submit', '--month-to-date', '0', '--queue', queue, '--quiet', ...PATHS]);
    expect(r.code, r.stderr).to.equal(3);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/^error: AWS credentials are missing or invalid .*set AWS_PROFILE or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
    expect(r.stderr).to.not.match(/^\s+at |NodeVersionSupportWarning/m);
    expect(existsSync(queue)).to.equal(false);
  });

  it('--debug adds the stack trace of that error', () => {
    const r = run(['--stack', 'prod', 'submit', '--month-to-date', '0', '--queue', join(dir, 'q2.db'), '--quiet', '--debug', ...PATHS]);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.match(/CredentialsProviderError/).and.match(/^\s+at /m);
  });
});
