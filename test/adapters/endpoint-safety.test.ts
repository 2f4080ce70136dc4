/**
 * Endpoint safety of every script that calls AWS, as child processes with real-looking credentials in
 * the environment and a 127.0.0.1 server that records the access key id of each request:
 * a loopback stand-in gets the stand-in key (never the caller's) unless --use-real-credentials, the
 * choice is shown in one line on stderr, and an endpoint on another machine (flag or AWS_ENDPOINT_URL)
 * exits 2 with one line before anything is sent unless --allow-remote-endpoint.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAND_IN_CREDENTIALS } from '../../adapters/aws-clients';
import { EMPTY_LISTING, startRecordingServer, type RecordingServer } from '../helpers/recording-server';
import { fixtureOutputs, runTsx } from '../monitoring/helpers';

const REAL_ENV = { AWS_ACCESS_KEY_ID: 'AKIAREALKEY0000000002', AWS_SECRET_ACCESS_KEY: 'real-secret', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_ENDPOINT_URL: '' };

/** The scripts, each with arguments that make it send at least one request (or refuse first). */
const SCRIPTS: [string, string, (outputs: string, dir: string) => string[]][] = [
  ['invalidate', 'scripts/invalidate.ts', (o, dir) => ['--outputs', o, '--queue', join(dir, 'q.sqlite'), '--no-metrics', 'submit', '/a', '--dry-run']],
  ['tag', 'scripts/tag.ts', (o) => ['--outputs', o, 'audit', '--prefix', 'video/']],
  ['warm', 'scripts/warm.ts', (o) => ['--outputs', o, '--content-type', 'video', '--top', '5', '--dry-run']],
  ['report', 'scripts/report.ts', (o) => ['--outputs', o, '--from', '2026-03-01', '--to', '2026-03-02', '--no-logs', '--quiet']],
  ['cost', 'scripts/cost.ts', (o) => ['--outputs', o, '--from', '2026-03-01', '--to', '2026-03-02', '--no-invalidations', '--quiet']],
  ['compression', 'scripts/compression.ts', (o) => ['--outputs', o]],
  ['images', 'scripts/images.ts', (o) => ['optimize', '--outputs', o, '--skip-index-store', '--dry-run']],
];

describe('endpoint safety of the scripts (child processes, a 127.0.0.1 recorder)', function () {
  this.timeout(120_000);
  let server: RecordingServer;
  let dir: string;
  let outputs: string;

  before(async () => {
    server = await startRecordingServer(() => EMPTY_LISTING);
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-endpoint-safety-'));
    outputs = join(dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify(fixtureOutputs()));
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, script, args] of SCRIPTS) {
    it(`${name}: signs requests to a loopback --endpoint with the stand-in key, not the caller's, and says so on stderr`, async () => {
      const before = server.requests.length;
      const r = await runTsx(script, [...args(outputs, dir), '--endpoint', server.endpoint], REAL_ENV);
      const keys = server.requests.slice(before).map((q) => q.accessKeyId);
      expect(keys.length, r.stderr).to.be.greaterThan(0);
      expect([...new Set(keys)]).to.deep.equal([STAND_IN_CREDENTIALS.accessKeyId]);
      expect(r.stderr).to.include(`aws: AWS requests go to ${server.endpoint} (--endpoint; this machine), signed with stand-in credentials 'test', not yours (--use-real-credentials sends yours)\n`);
    });

    it(`${name}: refuses AWS_ENDPOINT_URL on another machine with exit 2 and one line, sending nothing`, async () => {
      const before = server.requests.length;
      const r = await runTsx(script, args(outputs, dir), { ...REAL_ENV, AWS_ENDPOINT_URL: 'http://10.20.30.40:4566' });
      expect([r.status, r.stderr.trim().split('\n').filter((l) => l.startsWith('error:')).length, server.requests.length - before]).to.deep.equal([2, 1, 0]);
      expect(r.stderr).to.match(/error: AWS_ENDPOINT_URL 'http:\/\/10\.20\.30\.40:4566' is not on this machine; .* add --allow-remote-endpoint /);
    });
  }

  it('sends the caller\'s key to a loopback endpoint only with --use-real-credentials', async () => {
    const before = server.requests.length;
    const r = await runTsx('scripts/tag.ts', ['--outputs', outputs, 'audit', '--prefix', 'video/', '--endpoint', server.endpoint, '--use-real-credentials'], REAL_ENV);
    expect([...new Set(server.requests.slice(before).map((q) => q.accessKeyId))], r.stderr).to.deep.equal([REAL_ENV.AWS_ACCESS_KEY_ID]);
  });

  it('sends to a non-loopback address only with --allow-remote-endpoint (this host\'s own network address stands in for another machine)', async function () {
    const address = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
    if (!address) this.skip();
    const remote = await startRecordingServer(() => EMPTY_LISTING, address);
    try {
      const refused = await runTsx('scripts/tag.ts', ['--outputs', outputs, 'audit', '--prefix', 'video/', '--endpoint', remote.endpoint], REAL_ENV);
      expect([refused.status, remote.requests.length]).to.deep.equal([2, 0]);
      const allowed = await runTsx('scripts/tag.ts', ['--outputs', outputs, 'audit', '--prefix', 'video/', '--endpoint', remote.endpoint, '--allow-remote-endpoint'], REAL_ENV);
      expect(allowed.stderr).to.include(`aws: AWS requests go to ${remote.endpoint} (--endpoint; another machine, allowed by --allow-remote-endpoint), signed with stand-in credentials 'test'`);
      expect([...new Set(remote.requests.map((q) => q.accessKeyId))]).to.deep.equal([STAND_IN_CREDENTIALS.accessKeyId]);
    } finally {
      await remote.close();
    }
  });
});
