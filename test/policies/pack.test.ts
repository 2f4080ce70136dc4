import * as aws from '@pulumi/aws';
import type { ResourceValidation } from '@pulumi/policy';
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { InputError } from '../../lib/errors';
import { listStacks, readStackConfig } from '../../plan/stack-files';
import { packConfigFileText, packConfigFor, stackEnforcement } from '../../policies/enforcement';
import { rulesTable } from '../../policies/docs';
import { configOf } from '../../policies/lib/define';
import { NotApplicable } from '../../policies/offline';
import { POLICIES, RULE_GROUPS } from '../../policies/rules';
import { wafEnabled } from '../../policies/security';
import { REPO } from '../helpers/run-cli';
import { createResourceValidationArgs } from './helpers';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');

describe('the media-cdn policy pack', () => {
  it('has at least 30 rules with unique kebab-case names in the four groups', () => {
    expect(POLICIES.length).to.be.at.least(30);
    const names = POLICIES.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names) expect(n, n).to.match(KEBAB);
    expect([...new Set(POLICIES.map((p) => p.docs.group))]).to.deep.equal([...RULE_GROUPS]);
  });

  it('describes every rule in one sentence, with why and how to fix', () => {
    for (const p of POLICIES) {
      expect(p.description, p.name).to.match(/^[A-Z][^]*\.$/);
      expect(p.description, `${p.name}: one sentence`).not.to.match(/\. [A-Z]/);
      expect(p.docs.why.length, p.name).to.be.greaterThan(20);
      expect(p.remediationSteps.length, p.name).to.be.greaterThan(20);
    }
  });

  it('gives every rule a configSchema whose settings all have a description and a default of their type', () => {
    const typeOfDefault = (v: unknown) => (Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
    for (const p of POLICIES) {
      const props = Object.entries(p.configSchema.properties);
      expect(props.length, p.name).to.be.at.least(1);
      for (const [key, schema] of props) {
        const s = schema as { type: string; default: unknown; description?: string };
        expect(s.description, `${p.name}.${key}`).to.be.a('string');
        expect(s.default, `${p.name}.${key}`).not.to.equal(undefined);
        expect(s.type === 'number' ? 'integer' : s.type, `${p.name}.${key}`).to.equal(typeOfDefault(s.default) === 'number' ? 'integer' : typeOfDefault(s.default));
      }
    }
  });

  it('runs a resource rule on its own resource type only, called the way the engine calls it', () => {
    const validate = wafEnabled.validateResource as ResourceValidation;
    const found: string[] = [];
    void validate(createResourceValidationArgs(aws.cloudfront.Distribution, { webAclId: '' }), (m) => found.push(m));
    expect(found).to.deep.equal(['the distribution has no web ACL (webAclId is empty); associate a wafv2 web ACL with scope CLOUDFRONT.']);
    expect(() => validate(createResourceValidationArgs(aws.s3.Bucket, {}), () => undefined))
      .to.throw(NotApplicable, "Policy only applies to resources of type 'aws:cloudfront/distribution:Distribution'");
  });

  it('fills settings the engine left out from the schema defaults, and keeps those it gave', () => {
    const properties = { max: { type: 'integer' as const, default: 20, description: 'x' }, names: { type: 'array' as const, default: ['a'], description: 'y' } };
    expect(configOf(properties, {})).to.deep.equal({ max: 20, names: ['a'] });
    expect(configOf(properties, { enforcementLevel: 'mandatory', max: 5 })).to.deep.equal({ max: 5, names: ['a'] });
  });

  describe('enforcement per stack', () => {
    it('is mandatory in prod and advisory in staging, from media-cdn:policyEnforcement', () => {
      expect(stackEnforcement(readStackConfig('prod'))).to.equal('mandatory');
      expect(stackEnforcement(readStackConfig('staging'))).to.equal('advisory');
    });

    it('defaults to the schema default (advisory) and rejects an unknown level', () => {
      expect(stackEnforcement({})).to.equal('advisory');
      expect(() => stackEnforcement({ 'media-cdn:policyEnforcement': 'strict' })).to.throw(InputError,
        "media-cdn:policyEnforcement must be one of advisory, mandatory, got 'strict'; fix the stack's Pulumi.<stack>.yaml.");
    });

    it('gives every rule the stack level, and per-stack settings', () => {
      const prod = packConfigFor({ 'media-cdn:policyEnforcement': 'mandatory', 'media-cdn:environment': 'prod' });
      expect(Object.keys(prod)).to.deep.equal(POLICIES.map((p) => p.name));
      expect(prod['default-ttl-within-update-interval']).to.deep.equal({ enforcementLevel: 'mandatory' });
      expect(prod['hit-ratio-alarm-per-content-type']).to.deep.equal({ enforcementLevel: 'mandatory' });
      expect(prod['custom-certificate-in-prod']).to.deep.equal({ enforcementLevel: 'mandatory', requireCustomCertificate: true });
      const staging = packConfigFor({ 'media-cdn:policyEnforcement': 'advisory', 'media-cdn:environment': 'staging' });
      expect(staging['custom-certificate-in-prod']).to.deep.equal({ enforcementLevel: 'advisory', requireCustomCertificate: false });
    });

    it('keeps policies/config/<stack>.json in sync with the stack files (npm run policy:check -- --sync)', () => {
      expect(listStacks()).to.deep.equal(['prod', 'staging']);
      for (const stack of listStacks()) {
        expect(read(`policies/config/${stack}.json`), `policies/config/${stack}.json`).to.equal(packConfigFileText(readStackConfig(stack)));
      }
    });
  });

  describe('as a standalone CrossGuard pack', () => {
    it('has PulumiPolicy.yaml, a package.json with a version and the root versions of the Pulumi packages', () => {
      const yaml = YAML.parse(read('policies/PulumiPolicy.yaml')) as { runtime: unknown; description: string };
      expect(yaml.runtime).to.deep.equal({ name: 'nodejs', options: { typescript: true } });
      const pack = JSON.parse(read('policies/package.json')) as { version: string; dependencies: Record<string, string> };
      const root = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
      expect(pack.version).to.match(/^\d+\.\d+\.\d+$/);
      for (const dep of ['@pulumi/policy', '@pulumi/pulumi', '@pulumi/aws']) expect(pack.dependencies[dep], dep).to.equal(root.dependencies[dep]);
    });

    it('has an index.ts that only assembles the PolicyPack from the rules module', () => {
      const code = read('policies/index.ts').replace(/\/\*[^]*?\*\//g, '').trim();
      expect(code.split('\n').filter((l) => l.startsWith('import'))).to.deep.equal([
        "import { PolicyPack } from '@pulumi/policy';",
        "import { POLICIES } from './rules';",
      ]);
      expect(code).to.match(/new PolicyPack\('media-cdn', \{[^]*policies: \[\.\.\.POLICIES\],\n\}\);$/);
    });
  });

  it('documents every rule in docs/policies.md with its levels and controls (npm run policy:check -- --sync)', () => {
    const doc = read('docs/policies.md');
    expect(doc).to.include(rulesTable());
    for (const p of POLICIES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${p.name}\` |`));
      expect(row, p.name).to.be.a('string');
      for (const ref of p.docs.references) expect(row, `${p.name}: ${ref}`).to.include(ref);
      expect(row, p.name).to.include(p.docs.maxLevel === 'advisory' ? '| advisory / advisory (capped) |' : '| advisory / mandatory |');
    }
  });

  it('has a preview workflow: pulumi preview with the pack per stack, and an offline check without secrets', () => {
    const file = join(REPO, '.github/workflows/preview.yml');
    expect(existsSync(file)).to.equal(true);
    const wf = YAML.parse(readFileSync(file, 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { strategy?: { matrix?: { stack?: string[] } }; steps: { uses?: string; with?: Record<string, string>; run?: string; env?: Record<string, string> }[]; env?: unknown }> };
    expect(wf.on).to.have.property('pull_request');
    const preview = wf.jobs['preview']!;
    expect(preview.strategy?.matrix?.stack).to.deep.equal(['staging', 'prod']);
    const pulumi = preview.steps.find((s) => s.uses?.startsWith('pulumi/actions@'))!;
    expect(pulumi.with).to.include({ command: 'preview', 'policyPacks': 'policies', 'policyPackConfigs': 'policies/config/${{ matrix.stack }}.json' });
    const offline = wf.jobs['policy-check-offline']!;
    expect(JSON.stringify(offline)).not.to.include('secrets.');
    expect(offline.steps.map((s) => s.run ?? '').join('\n')).to.include('npm run policy:check -- --stack');
  });
});
