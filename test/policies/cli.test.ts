import { expect } from 'chai';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { POLICIES } from '../../policies/rules';
import { planFor } from '../helpers/plan';
import { REPO, runScript } from '../helpers/run-cli';

const SCRIPT = 'scripts/policy-check.ts';

describe('npm run policy:check', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'media-cdn-policy-'));

  it('exits 0 on the committed prod stack and prints the advisory violations only', () => {
    const r = runScript(SCRIPT, ['--stack', 'prod']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^Policy check of stack 'prod' \(offline plan, \d+ resources\): \d+ rules, enforcement mandatory\.$/m);
    expect(r.stdout).to.include(`: ${POLICIES.length} rules, enforcement mandatory.`);
    expect(r.stdout).not.to.match(/^mandatory violations \(/m);
    expect(r.stdout).to.match(/^PASSED: no mandatory violations \(\d+ advisory\)\.$/m);
  });

  it('exits 1 when a prod stack file sets the metadata default TTL to one day, naming the rule, the resource and the bound', () => {
    const stackDir = mkdtempSync(join(tmpdir(), 'media-cdn-stack-'));
    const doc = YAML.parse(readFileSync(join(REPO, 'Pulumi.prod.yaml'), 'utf8')) as { config: Record<string, unknown> };
    doc.config['media-cdn:contentTypes'] = { metadata: { defaultTtl: 86400, maxTtl: 86400 } };
    writeFileSync(join(stackDir, 'Pulumi.prod.yaml'), YAML.stringify(doc));
    copyFileSync(join(REPO, 'Pulumi.yaml'), join(stackDir, 'Pulumi.yaml'));
    const json = join(dir, 'one-day.json');
    const r = runScript(SCRIPT, ['--stack', 'prod', '--dir', stackDir, '--json', json]);
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stdout).to.include('\nmandatory violations (4):\n');
    expect(r.stdout).to.match(/ {2}\[default-ttl-within-update-interval\] urn:pulumi:prod::media-cdn::.*aws:cloudfront\/cachePolicy:CachePolicy::cdn-prod-metadata\n/);
    expect(r.stdout).to.include('whose default TTL is 86400 s (1d); the bound for metadata is its update interval, 900 s (15m)');
    expect(r.stdout).to.match(/^FAILED: 4 mandatory and \d+ advisory violation\(s\)\.$/m);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { passed: boolean; mandatory: number; violations: { rule: string; level: string }[] };
    expect(report.passed).to.equal(false);
    expect(report.mandatory).to.equal(4);
    expect([...new Set(report.violations.filter((v) => v.level === 'mandatory').map((v) => v.rule))]).to.deep.equal(['default-ttl-within-update-interval', 'max-ttl-bounded']);
  });

  it('checks a saved plan and writes the JSON report', async () => {
    const planFile = join(dir, 'staging-plan.json');
    writeFileSync(planFile, JSON.stringify(await planFor('staging')));
    const json = join(dir, 'report.json');
    const r = runScript(SCRIPT, ['--plan', planFile, '--json', json]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(new RegExp(`^Policy check of stack 'staging' \\(plan ${planFile.replace(/[.]/g, '\\.')}, \\d+ resources\\): ${POLICIES.length} rules, enforcement advisory\\.$`, 'm'));
    const report = JSON.parse(readFileSync(json, 'utf8')) as { stack: string; passed: boolean; mandatory: number; rules: { level: string }[] };
    expect([report.stack, report.passed, report.mandatory, report.rules.length]).to.deep.equal(['staging', true, 0, POLICIES.length]);
  });

  it('lists every rule with its level in each stack', () => {
    const r = runScript(SCRIPT, ['--list']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^rule\s+group\s+level \(prod\)\s+level \(staging\)\s+corresponds to$/m);
    for (const p of POLICIES) {
      const level = p.docs.maxLevel === 'advisory' ? 'advisory' : 'mandatory';
      expect(r.stdout, p.name).to.match(new RegExp(`^${p.name}\\s+${p.docs.group}\\s+${level}\\s+advisory\\s`, 'm'));
    }
    expect(r.stdout.trim().endsWith(`${POLICIES.length} rules.`)).to.equal(true);
  });

  it('exits 2 with one line per problem on bad input and writes nothing', () => {
    const planFile = join(dir, 'prod-plan.json');
    writeFileSync(planFile, JSON.stringify({ stack: 'prod', resources: [], outputs: {}, config: {} }));
    const json = join(dir, 'never.json');
    const cases: [string[], string][] = [
      [['--stack', 'bogus', '--json', json], `error: no stack 'bogus': ${join(REPO, 'Pulumi.bogus.yaml')} does not exist; use one of: prod, staging.`],
      [['--stack', 'staging', '--plan', planFile, '--json', json], `error: --stack is 'staging' but ${planFile} is the plan of stack 'prod'; give the matching stack or drop --stack.`],
      [['--json', json], "error: give --stack <name> (prod, staging) or --plan <file>; see 'npm run policy:check -- --help'."],
    ];
    for (const [args, line] of cases) {
      const r = runScript(SCRIPT, args);
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).to.deep.equal([line]);
    }
    expect(existsSync(json)).to.equal(false);
  });
});
