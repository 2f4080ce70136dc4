/**
 * The error boundary as a user meets it: `npm run invalidate`, `warm` and `tag` on a machine without AWS
 * credentials, as child processes with an empty credential chain: dry runs plan offline, real runs exit 3.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  function run(args: string[], script = 'scripts/invalidate.ts') {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: dir, NODE_PATH: join(REPO, 'node_modules'),
      AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1',
    };
    const r = spawnSync(process.execPath, [tsx, script, ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 90_000 });
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

  it('a submit that lists nothing fails on the month-to-date read with the same exit 3 line, not as bad input', () => {
    const queue = join(dir, 'queue-mtd.db');
    const r = run(['--stack', 'prod', 'submit', '--list-origin', 'none', '--tags', 'off', '--queue', queue, '--quiet', ...PATHS]);
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stderr).to.match(/^error: AWS credentials are missing or invalid/m).and.not.match(/ListInvalidations|^\s+at /m);
    expect(r.stdout).to.not.match(/queued|submitted/i);
  });

  it('--debug adds the stack trace of that error', () => {
    const r = run(['--stack', 'prod', 'submit', '--month-to-date', '0', '--queue', join(dir, 'q2.db'), '--quiet', '--debug', ...PATHS]);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.match(/CredentialsProviderError/).and.match(/^\s+at /m);
  });

  it('warm --content-type --dry-run plans each behavior of the type with a stand-in object and exits 0', () => {
    const json = join(dir, 'warm.json');
    const r = run(['--stack', 'prod', '--content-type', 'thumbnails', '--top', '40', '--dry-run', '--json', json], 'scripts/warm.ts');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^note: planned without listing s3:\/\/origins-images-[0-9a-f]+ \(no AWS credentials\)/m);
    expect(r.stdout).to.include('/thumbnails/example?format=avif').and.include('/previews/example?format=jpeg');
    // two behaviors × three image formats = 3 variants per object; 40 objects × 3 × 1 edge × (warm + verify)
    expect(r.stdout).to.include('up to 40 objects × about 3.0 variants each = 120 variants × 1 edge(s)');
    expect(r.stdout).to.include('240 requests');
    expect(r.stdout + r.stderr).to.not.match(/CredentialsProviderError|^\s+at /m);
    expect(JSON.parse(readFileSync(json, 'utf8'))).to.deep.include({ dryRun: true }).and.have.nested.property('offline.plannedRequests', 240);
  });

  it('warm --content-type without --dry-run exits 3 with the one credentials line', () => {
    const r = run(['--stack', 'prod', '--content-type', 'thumbnails', '--quiet'], 'scripts/warm.ts');
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).to.deep.equal([
      r.stderr.split('\n').find((l) => l.startsWith('error: AWS credentials are missing or invalid'))!,
    ]);
    expect(r.stderr).to.not.match(/^\s+at /m);
  });

  it('tag apply --dry-run lists the tags each prefix would carry and exits 0; without --dry-run it exits 3', () => {
    const dry = run(['--stack', 'prod', 'apply', '--prefix', 'video/', '--prefix', 'thumbnails/1/', '--dry-run', '--quiet'], 'scripts/tag.ts');
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/s3:\/\/origins-video-[0-9a-f]+\/video\/\*\s+type:video$/m);
    expect(dry.stdout).to.match(/s3:\/\/origins-images-[0-9a-f]+\/thumbnails\/1\/\*\s+type:thumbnails,video:1$/m);
    expect(dry.stderr).to.include('note: planned without listing (no AWS credentials)');
    const real = run(['--stack', 'prod', 'apply', '--prefix', 'video/', '--quiet', '--state', join(dir, 'tag-state.json')], 'scripts/tag.ts');
    expect(real.code, real.stderr).to.equal(3);
    expect(real.stderr).to.match(/^error: AWS credentials are missing or invalid/m).and.not.match(/^\s+at /m);
    expect(existsSync(join(dir, 'tag-state.json'))).to.equal(false);
  });

  it('--offline makes the same dry runs without trying AWS at all: no aws: line, the notes name --offline', () => {
    const inv = run(['--stack', 'prod', 'submit', '--dry-run', '--offline', '--quiet', ...PATHS]);
    expect(inv.code, inv.stderr).to.equal(0);
    expect(inv.stdout).to.include('planned without listing the origin folders (--offline)').and.include("--offline: this month's invalidations were not read");
    const warm = run(['--stack', 'prod', '--content-type', 'static', '--top', '10', '--dry-run', '--offline'], 'scripts/warm.ts');
    expect(warm.code, warm.stderr).to.equal(0);
    expect(warm.stderr).to.match(/^note: planned without listing s3:\/\/origins-static-[0-9a-f]+ \(--offline\)/m);
    const tag = run(['--stack', 'prod', 'apply', '--prefix', 'static/', '--dry-run', '--offline'], 'scripts/tag.ts');
    expect(tag.code, tag.stderr).to.equal(0);
    expect(tag.stdout).to.match(/s3:\/\/origins-static-[0-9a-f]+\/static\/\*\s+type:static$/m);
    for (const r of [inv, warm, tag]) expect(r.stderr).to.not.match(/^aws: |^\s+at /m);
  });
});
