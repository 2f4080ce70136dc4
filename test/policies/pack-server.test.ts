/**
 * The pack as the Pulumi engine runs it: `policies/index.ts` started in its folder serves the
 * analyzer gRPC protocol on 127.0.0.1; the test speaks that protocol the way `pulumi preview
 * --policy-pack policies --policy-pack-config policies/config/prod.json` does (GetAnalyzerInfo,
 * Configure, Analyze, AnalyzeStack), so the real flow is exercised without the CLI or a cloud.
 */
import * as aws from '@pulumi/aws';
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readStackConfig } from '../../plan/stack-files';
import { packConfigFor } from '../../policies/enforcement';
import { planResources } from '../../policies/offline';
import { POLICIES } from '../../policies/rules';
import { REPO } from '../helpers/run-cli';
import { compliantProdPlan } from './fixtures';
import { clone, typeOf } from './helpers';

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzer = require('@pulumi/pulumi/proto/analyzer_pb') as typeof import('@pulumi/pulumi/proto/analyzer_pb');
const services = require('@pulumi/pulumi/proto/analyzer_grpc_pb') as { AnalyzerClient: new (address: string, creds: grpc.ChannelCredentials) => any };
const { Struct } = require('google-protobuf/google/protobuf/struct_pb') as { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };
const { Empty } = require('google-protobuf/google/protobuf/empty_pb') as { Empty: new () => unknown };

function call<T>(client: any, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
}

/** Starts the pack in policies/ and resolves with the port it prints. */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', 'index.ts'], { cwd: join(REPO, 'policies'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`the pack printed no port in 60 s; stderr: ${err}`)); }, 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the pack exited with ${code}: ${err}`)); });
  });
}

const LEVEL = ['advisory', 'mandatory', 'disabled', 'remediate'];

describe('the policy pack served to the Pulumi engine (gRPC on 127.0.0.1)', function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  let client: any;

  before(async () => {
    const started = await startPack();
    child = started.child;
    client = new services.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    const configure = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(packConfigFor(readStackConfig('prod')))) {
      const { enforcementLevel, ...settings } = c as { enforcementLevel: string };
      const pc = new analyzer.PolicyConfig();
      pc.setEnforcementlevel(LEVEL.indexOf(enforcementLevel));
      pc.setProperties(Struct.fromJavaScript(settings) as never);
      configure.getPolicyconfigMap().set(name, pc);
    }
    await call(client, 'configure', configure);
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  it('announces every rule with its description and config schema', async () => {
    const info = await call<any>(client, 'getAnalyzerInfo', new Empty());
    expect(info.getName()).to.equal('media-cdn');
    const policies = info.getPoliciesList() as any[];
    expect(policies.map((p) => p.getName())).to.deep.equal(POLICIES.map((p) => p.name));
    expect(policies.map((p) => p.getDescription())).to.deep.equal(POLICIES.map((p) => p.description));
    expect(policies.every((p) => p.hasConfigschema())).to.equal(true);
  });

  it('reports a distribution without a web ACL as mandatory with the prod pack config', async () => {
    const plan = await compliantProdPlan();
    const d = planResources(plan).forResources.find((r) => r.name === 'cdn-distribution')!;
    const req = new analyzer.AnalyzeRequest();
    req.setType(d.type);
    req.setUrn(d.urn);
    req.setName(d.name);
    req.setOptions(new analyzer.AnalyzerResourceOptions());
    req.setProperties(Struct.fromJavaScript(clone({ ...d.props, webAclId: '' })) as never);
    const res = await call<any>(client, 'analyze', req);
    const diags = (res.getDiagnosticsList() as any[]).map((x) => [x.getPolicyname(), LEVEL[x.getEnforcementlevel()], x.getUrn()]);
    // Resource diagnostics carry no URN: the engine attaches the resource it asked about.
    expect(diags).to.deep.equal([['waf-enabled', 'mandatory', '']]);
  });

  it('reports a one-day metadata TTL on the stack, naming the cache policy', async () => {
    const plan = await compliantProdPlan();
    const metadata = plan.resources.find((r) => r.type === typeOf(aws.cloudfront.CachePolicy) && r.name === 'cdn-prod-metadata')!;
    Object.assign(metadata.inputs, { defaultTtl: 86_400, maxTtl: 86_400 });
    const req = new analyzer.AnalyzeStackRequest();
    req.setResourcesList(planResources(clone(plan)).forStack.map((r) => {
      const res = new analyzer.AnalyzerResource();
      res.setType(r.type);
      res.setUrn(r.urn);
      res.setName(r.name);
      res.setOptions(new analyzer.AnalyzerResourceOptions());
      if (r.parent) res.setParent(r.parent);
      res.setProperties(Struct.fromJavaScript(r.props) as never);
      return res;
    }));
    const response = await call<any>(client, 'analyzeStack', req);
    const diags = (response.getDiagnosticsList() as any[]).map((x) => [x.getPolicyname(), LEVEL[x.getEnforcementlevel()], x.getUrn()]);
    expect(diags).to.deep.equal([
      ['default-ttl-within-update-interval', 'mandatory', metadata.urn],
      ['default-ttl-within-update-interval', 'mandatory', metadata.urn],
      ['max-ttl-bounded', 'mandatory', metadata.urn],
      ['max-ttl-bounded', 'mandatory', metadata.urn],
    ]);
    expect((response.getDiagnosticsList() as any[])[0].getMessage()).to.include('the bound for metadata is its update interval, 900 s (15m)');
  });
});
