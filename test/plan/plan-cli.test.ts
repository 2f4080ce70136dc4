import { expect } from 'chai';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { parsePlan, primaryDistribution } from '../../lib/plan';
import { REPO, runScript } from '../helpers/run-cli';

describe('npm run plan', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'media-cdn-plan-'));

  it('writes the prod plan with every resource, its parent and inputs, and the outputs', () => {
    const file = join(dir, 'plan.json');
    const r = runScript('scripts/plan.ts', ['--stack', 'prod', '--json', file]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Plan of stack 'prod' \(media-cdn\): \d+ resources/);
    expect(r.stdout).to.match(/\/video\/premium\/\*\.m3u8\s+video-group\s+0\/5m\/6h/);
    const plan = parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(plan).to.include.keys('project', 'stack', 'config', 'resources', 'outputs');
    expect(plan.config['media-cdn:environment']).to.equal('prod');
    const d = primaryDistribution(plan);
    expect(d.urn).to.match(/^urn:pulumi:prod::media-cdn::media-cdn:cdn:MediaCdn\$aws:cloudfront\/distribution:Distribution::cdn-distribution$/);
    expect(d.parent).to.match(/media-cdn:cdn:MediaCdn::cdn$/);
    expect(plan.outputs.distributionId).to.equal(d.id);
  });

  it('writes the same plan twice (deterministic ids and order)', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    expect(runScript('scripts/plan.ts', ['--stack', 'staging', '--json', a, '--quiet']).status).to.equal(0);
    expect(runScript('scripts/plan.ts', ['--stack', 'staging', '--json', b, '--quiet']).status).to.equal(0);
    expect(readFileSync(a, 'utf8')).to.equal(readFileSync(b, 'utf8'));
  });

  it('exits 2 with one clear line and writes no file for an unknown stack', () => {
    const file = join(dir, 'bogus.json');
    const r = runScript('scripts/plan.ts', ['--stack', 'bogus', '--json', file]);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.deep.equal([
      `error: no stack 'bogus': ${join(REPO, 'Pulumi.bogus.yaml')} does not exist; use one of: prod, staging.`,
    ]);
    expect(existsSync(file)).to.equal(false);
  });

  it('exits 2 with one clear line and writes no file when the metadata default TTL exceeds its max TTL', () => {
    const stackDir = mkdtempSync(join(tmpdir(), 'media-cdn-stack-'));
    const config = YAML.parse(readFileSync(join(REPO, 'Pulumi.prod.yaml'), 'utf8')) as { config: Record<string, unknown> };
    config.config['media-cdn:contentTypes'] = { metadata: { defaultTtl: 86400 } };
    writeFileSync(join(stackDir, 'Pulumi.badttl.yaml'), YAML.stringify(config));
    copyFileSync(join(REPO, 'Pulumi.yaml'), join(stackDir, 'Pulumi.yaml'));
    const file = join(dir, 'badttl.json');
    const r = runScript('scripts/plan.ts', ['--stack', 'badttl', '--dir', stackDir, '--json', file]);
    expect(r.status).to.equal(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^error: media-cdn:contentTypes\.metadata: .*86400.*3600/);
    expect(existsSync(file)).to.equal(false);
  });

  it('exits 2 when --stack is missing and 0 with usage on --help', () => {
    const missing = runScript('scripts/plan.ts', []);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.match(/--stack is required/);
    const help = runScript('scripts/plan.ts', ['--help']);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.match(/^Usage: npm run plan --/);
  });

  it('rejects an unknown option with exit 2', () => {
    const r = runScript('scripts/plan.ts', ['--stack', 'prod', '--colour']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/^error: Unknown option '--colour'/);
  });
});
