import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run sim without compiling TypeScript (scripts/build-dist.js, scripts/launch.js)', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'media-cdn-launch-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles scripts/sim.ts into dist/ with the list of its sources', () => {
    const r = run(['scripts/build-dist.js']);
    expect(r.code, r.stderr).to.equal(0);
    expect(existsSync(join(ROOT, 'dist', 'sim.js'))).to.equal(true);
    const inputs = JSON.parse(readFileSync(join(ROOT, 'dist', 'sim.inputs.json'), 'utf8')) as string[];
    expect(inputs).to.include.members(['scripts/sim.ts', 'simulator/single-cache.ts', 'simulator/trace/source.ts']);
    expect(inputs.some((f) => f.startsWith('plan/run-plan'))).to.equal(false);
  });

  it('the bundle and the TypeScript sources give the same single-cache JSON and the same bad-input line', () => {
    const csv = join(dir, 't.csv');
    writeFileSync(csv, 'time,id,size\n1,a,100\n2,b,300\n3,a,100\n4,c,100\n5,b,300\n6,a,100\n');
    const outs = [['bundle', {}], ['tsx', { MEDIA_CDN_NO_BUNDLE: '1' }]].map(([label, env]) => {
      const out = join(dir, `${label as string}.json`);
      const r = run(['scripts/launch.js', 'sim', '--trace', csv, '--format', 'csv', '--cache-size', '2', '--json', out], env as Record<string, string>);
      expect(r.code, r.stderr).to.equal(0);
      const bad = run(['scripts/launch.js', 'sim', '--trace', csv, '--format', 'csv', '--cache-size', '12QB'], env as Record<string, string>);
      expect([bad.code, bad.stderr.trim()]).to.deep.equal([2, "error: --cache-size '12QB' has an unknown unit 'QB'; units are B, KB, MB, GB, TB, KiB, MiB, GiB, TiB."]);
      return JSON.parse(readFileSync(out, 'utf8'));
    });
    expect(outs[0]).to.deep.equal(outs[1]);
    expect(outs[0].misses).to.equal(5);
  });
});
