/**
 * The pack as the Pulumi engine runs it: `policies/index.ts` started in its folder serves the
 * analyzer gRPC protocol on 127.0.0.1; the test speaks that protocol the way `pulumi preview
 * --policy-pack policies --policy-pack-config policies/config/prod.json` does (GetAnalyzerInfo,
 * Configure, Analyze, AnalyzeStack), so the real flow is exercised without the CLI or a cloud.
 */
import * as aws from '@pulumi/aws';
import * as grpc from '@grpc/grpc-js';
import * as analyzer from '@pulumi/pulumi/proto/analyzer_pb';
import { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
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

/** One unary call as a promise: `call((done) => client.analyze(request, done))`. */
function call<T>(start: (done: (err: grpc.ServiceError | null, res: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));
}

/** Starts the pack in policies/ and resolves with the port it prints. */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', 'index.ts'], { cwd: join(REPO, 'policies'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`the pack printed no port in 60 s; stderr: ${err}`)); }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the pack exited with ${code}: ${err}`)); });
  });
}

const LEVEL = ['advisory', 'mandatory', 'disabled', 'remediate'];

describe('the policy pack served to the Pulumi engine (gRPC on 127.0.0.1)', function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  let client: AnalyzerClient | undefined;

  before(async () => {
    const started = await startPack();
    child = started.child;
    const c = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    client = c;
    const configure = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(packConfigFor(readStackConfig('prod')))) {
      const { enforcementLevel, ...settings } = c as { enforcementLevel: string };
      const pc = new analyzer.PolicyConfig();
      pc.setEnforcementlevel(LEVEL.indexOf(enforcementLevel));
      pc.setProperties(Struct.fromJavaScript(settings));
      configure.getPolicyconfigMap().set(name, pc);
    }
    await call((done) => c.configure(configure, done));
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  it('announces every rule with its description and config schema', async () => {
    const info = await call<analyzer.AnalyzerInfo>((done) => client!.getAnalyzerInfo(new Empty(), done));
    expect(info.getName()).to.equal('media-cdn');
    const policies = info.getPoliciesList();
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
    req.setProperties(Struct.fromJavaScript(clone({ ...d.props, webAclId: '' })));
    const res = await call<analyzer.AnalyzeResponse>((done) => client!.analyze(req, done));
    const diags = res.getDiagnosticsList().map((x) => [x.getPolicyname(), LEVEL[x.getEnforcementlevel()], x.getUrn()]);
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
      res.setProperties(Struct.fromJavaScript(r.props));
      return res;
    }));
    const response = await call<analyzer.AnalyzeResponse>((done) => client!.analyzeStack(req, done));
    const diags = response.getDiagnosticsList().map((x) => [x.getPolicyname(), LEVEL[x.getEnforcementlevel()], x.getUrn()]);
    expect(diags).to.deep.equal([
      ['default-ttl-within-update-interval', 'mandatory', metadata.urn],
      ['default-ttl-within-update-interval', 'mandatory', metadata.urn],
      ['max-ttl-bounded', 'mandatory', metadata.urn],
      ['max-ttl-bounded', 'mandatory', metadata.urn],
    ]);
    expect(response.getDiagnosticsList()[0]!.getMessage()).to.include('the bound for metadata is its update interval, 900 s (15m)');
  });
});
