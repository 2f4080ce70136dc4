/**
 * Sharded log replay: `npm run sim -- --trace logs --format cloudfront-log --shard i/n --json part-i.json`
 * and `merge part-*.json`, the form a month of production logs takes as an AWS Batch array job
 * (docs/simulation-batch.md). The logs here are the simulator's own (`--write-logs`), read back as
 * Parquet.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { replayLog, shardOfPath } from '../../simulator/log-replay';
import { simModelFromPlan } from '../../simulator/plan-model';
import { SEED_PROFILE } from '../../simulator/profile';
import { summarize } from '../../simulator/results';
import { mergeStats } from '../../simulator/shard';
import { streamCloudFrontLogs } from '../../simulator/trace';
import { planFor } from '../helpers/plan';
import { runScript } from '../helpers/run-cli';

type TypeJson = { requests: number; hitRatio: number; p95LatencyMs: number };
type ReplayJson = { mode: string; types: Record<string, TypeJson>; observed: Record<string, { requests: number; hitRatio: number }> };

describe('npm run sim -- --trace logs --shard i/n and merge (sharded log replay)', function () {
  this.timeout(600_000);
  let dir: string;
  let logs: string;
  let planFile: string;
  const sim = (args: string[]) => runScript('scripts/sim.ts', ['--quiet', ...args], { timeoutMs: 300_000 });
  const replay = ['--format', 'cloudfront-log', '--warmup-hours', '0'];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-replay-shards-'));
    logs = join(dir, 'logs');
    planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await planFor('prod')));
    const w = sim(['--plan', planFile, '--scale', '0.001', '--hours', '1', '--warmup-hours', '0', '--write-logs', logs]);
    expect(w.status, w.stderr).to.be.oneOf([0, 1]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('puts each path in one shard by its hash, spread over the shards', () => {
    const paths = Array.from({ length: 3000 }, (_, i) => `/video/t${i}/seg-${i % 7}.ts`);
    const counts = [0, 0, 0];
    for (const p of paths) counts[shardOfPath(p, 3)]!++;
    expect(counts.every((c) => c > 800)).to.equal(true);
    expect(shardOfPath('/video/a.ts', 1)).to.equal(0);
    expect(shardOfPath('/video/a.ts', 7)).to.equal(shardOfPath('/video/a.ts', 7));
  });

  it('two replay parts merged: the logged counts of the whole log, and the same totals as the two shards replayed in one process', async () => {
    for (const i of [0, 1]) {
      const r = sim(['--plan', planFile, '--trace', logs, ...replay, '--shard', `${i}/2`, '--json', join(dir, `part-${i}.json`)]);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`^log replay shard ${i}/2: [\\d,]+ of [\\d,]+ logged requests simulated`));
    }
    const total = join(dir, 'total.json');
    const m = sim(['merge', join(dir, 'part-0.json'), join(dir, 'part-1.json'), '--json', total]);
    expect(m.status, m.stderr).to.be.oneOf([0, 1]);
    expect(m.stdout).to.match(/merged 2 log-replay shards/);
    const merged = JSON.parse(readFileSync(total, 'utf8')) as ReplayJson;
    expect(merged.mode).to.equal('log-replay');

    const whole = join(dir, 'whole.json');
    const one = sim(['--plan', planFile, '--trace', logs, ...replay, '--json', whole]);
    expect(one.status, one.stderr).to.be.oneOf([0, 1]);
    const unsharded = JSON.parse(readFileSync(whole, 'utf8')) as ReplayJson;
    // what CloudFront logged is counted, not simulated: the parts add up to the whole log exactly
    expect(merged.observed).to.deep.equal(unsharded.observed);
    for (const t of CONTENT_TYPE_NAMES) expect(merged.types[t]!.requests, `${t} requests`).to.equal(unsharded.types[t]!.requests);

    // the same two shards in this process, their statistics added up: the merge's figures exactly
    const log = await streamCloudFrontLogs(logs);
    const model = simModelFromPlan(await planFor('prod'));
    // the replay options the CLI used, as the part records them
    const settings = JSON.parse(readFileSync(join(dir, 'part-0.json'), 'utf8')) as { settings: Parameters<typeof replayLog>[3] };
    const parts = [0, 1].map((index) => replayLog(log, model, SEED_PROFILE, { ...settings.settings, shard: { index, count: 2 } }));
    const local = summarize({ stack: model.stack, stats: mergeStats(parts.map((p) => p.stats)), catalog: model.catalog, invalidationPathsPerMonth: 0 });
    for (const t of CONTENT_TYPE_NAMES) {
      expect(merged.types[t]!.hitRatio, `${t} hit ratio`).to.equal(local.types[t].hitRatio);
      expect(merged.types[t]!.p95LatencyMs, `${t} p95`).to.equal(local.types[t].p95LatencyMs);
    }
  });

  it('refuses a sharded replay without --json, in single-cache mode, and mixed or incomplete parts', () => {
    const noJson = sim(['--plan', planFile, '--trace', logs, ...replay, '--shard', '0/2']);
    expect([noJson.status, noJson.stderr]).to.deep.equal([2, 'error: --shard 0/2 needs --json part-0.json (the part that \'npm run sim -- merge\' adds up).\n']);
    const single = sim(['--trace', logs, '--format', 'cloudfront-log', '--cache-size', '1MiB', '--shard', '0/2', '--json', join(dir, 'x.json')]);
    expect(single.status).to.equal(2);
    expect(single.stderr).to.contain('--shard with --trace replays CloudFront logs through the plan: use --format cloudfront-log without --cache-size.');
    const alone = sim(['merge', join(dir, 'part-0.json')]);
    expect([alone.status, alone.stderr.trim()]).to.deep.equal([2, 'error: shard 1/2 missing; merge all 2 parts.']);
    const seedPart = join(dir, 'seed-part.json');
    writeFileSync(seedPart, JSON.stringify({ mode: 'seed-workload-part', shard: { index: 1, count: 2 } }));
    const mixed = sim(['merge', join(dir, 'part-0.json'), seedPart]);
    expect(mixed.status).to.equal(2);
    expect(mixed.stderr).to.contain('some are log-replay parts');
  });
});
