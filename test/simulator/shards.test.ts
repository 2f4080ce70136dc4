import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { simModelFromPlan } from '../../simulator/plan-model';
import { SEED_PROFILE } from '../../simulator/profile';
import { parseShard, shardOfAsset, shardWorkload } from '../../simulator/shard';
import { prepare, runPreparedSharded } from '../../simulator/simulate';
import { planFromJson } from '../../simulator/stack-export';
import { planFor } from '../helpers/plan';

const ROOT = join(__dirname, '..', '..');

function sim(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'sim.ts'), '--quiet', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('simulator/shard: --shard i/n', () => {
  for (const [text, expected] of [['0/1', { index: 0, count: 1 }], ['3/4', { index: 3, count: 4 }], [' 0/4096 ', { index: 0, count: 4096 }]] as const) {
    it(`reads '${text}'`, () => expect(parseShard(text)).to.deep.equal(expected));
  }
  for (const text of ['4/4', '1', '-1/2', '0/0', '0/5000', 'a/b', '']) {
    it(`rejects '${text}' naming the value and the form`, () => expect(() => parseShard(text)).to.throw(InputError, /must be i\/n with 0 ≤ i < n ≤ 4096/));
  }

  it('puts every request and event in exactly one shard, all keys of an asset together', () => {
    const keyAsset = Int32Array.from({ length: 1000 }, (_, k) => k >> 1); // two keys per asset
    const n = 5000;
    const requests = { length: n, time: Float64Array.from({ length: n }, (_, i) => i), key: Int32Array.from({ length: n }, (_, i) => (i * 7919) % 1000), viewer: new Uint8Array(n), edge: new Uint8Array(n) };
    const events = { length: 100, time: Float64Array.from({ length: 100 }, (_, i) => i), asset: Int32Array.from({ length: 100 }, (_, i) => i * 3), kind: new Uint8Array(100) };
    const parts = [0, 1, 2].map((index) => shardWorkload(requests, events, keyAsset, { index, count: 3 }));
    expect(parts.reduce((s, p) => s + p.requests.length, 0)).to.equal(n);
    expect(parts.reduce((s, p) => s + p.events.length, 0)).to.equal(100);
    expect(parts.every((p) => p.requests.length > n / 5)).to.equal(true);
    parts.forEach((p, index) => {
      expect(Array.from(p.requests.key).every((k) => shardOfAsset(keyAsset[k]!, 3) === index)).to.equal(true);
      expect(Array.from(p.requests.time)).to.deep.equal([...p.requests.time].sort((a, b) => a - b)); // order kept
    });
  });
});

describe('npm run sim -- --shard i/n and merge', function () {
  this.timeout(600_000);
  let dir: string;
  let planFile: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'media-cdn-shards-'));
    planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await planFor('prod')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const settings = ['--scale', '0.0005', '--hours', '1', '--warmup-hours', '0'];

  it('two shards written as parts and merged equal the same two shards run in one process, exactly', () => {
    for (const i of [0, 1]) {
      const r = sim(['--plan', planFile, ...settings, '--shard', `${i}/2`, '--json', join(dir, `part-${i}.json`)]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`^shard ${i}/2: [\\d,]+ simulated requests, its own objects' \\(about [\\d,]+ for all shards\\)`));
    }
    const total = join(dir, 'total.json');
    const m = sim(['merge', join(dir, 'part-1.json'), join(dir, 'part-0.json'), '--json', total]);
    const merged = JSON.parse(readFileSync(total, 'utf8'));
    expect(m.code).to.equal(merged.pass ? 0 : 1);
    expect(m.stdout).to.match(/merged 2 shards of stack prod/);

    const plan = planFromJson(JSON.parse(readFileSync(planFile, 'utf8')), planFile);
    const p = prepare(simModelFromPlan(plan), { seed: 1, scale: 0.0005, hours: 1, warmupHours: 0, profile: SEED_PROFILE });
    const one = runPreparedSharded(p, 2);
    expect(merged.totals).to.deep.equal(JSON.parse(JSON.stringify(one.totals)));
    expect(merged.types).to.deep.equal(JSON.parse(JSON.stringify(one.types)));
    expect(merged.regions).to.deep.equal(JSON.parse(JSON.stringify(one.regions)));
    expect(merged.costUsdPerMonth).to.equal(one.costUsdPerMonth);
    expect(merged.simulatedRequests).to.equal(one.simulatedRequests);
    // each shard draws its own objects' requests (a random stream of its own): about one run's count
    expect(Math.abs(merged.simulatedRequests / p.requests.length - 1)).to.be.below(0.05);

    // --workers 2: the same two shards on worker threads in one process, the same totals
    const w = join(dir, 'workers.json');
    const r = sim(['--plan', planFile, ...settings, '--workers', '2', '--json', w]);
    expect(r.code, r.stderr).to.equal(merged.pass ? 0 : 1);
    const threaded = JSON.parse(readFileSync(w, 'utf8'));
    expect([threaded.totals, threaded.types, threaded.regions, threaded.workers]).to.deep.equal([merged.totals, merged.types, merged.regions, 2]);
  });

  it('--workers n --shards m runs m shards n at a time: the totals depend on the shards, not the threads', () => {
    const two = join(dir, 'one-thread-two-shards.json');
    const r = sim(['--plan', planFile, ...settings, '--workers', '1', '--shards', '2', '--json', two]);
    expect(r.code === 0 || r.code === 1, r.stderr).to.equal(true);
    expect(r.stdout).to.match(/2 shards on 1 worker threads/);
    const merged = JSON.parse(readFileSync(join(dir, 'workers.json'), 'utf8'));
    const oneThread = JSON.parse(readFileSync(two, 'utf8'));
    expect([oneThread.totals, oneThread.types, oneThread.regions, oneThread.shards, oneThread.workers]).to.deep.equal([merged.totals, merged.types, merged.regions, 2, 1]);
    const four = join(dir, 'four-shards.json');
    expect(sim(['--plan', planFile, ...settings, '--workers', '2', '--shards', '4', '--json', four]).code).to.be.oneOf([0, 1]);
    const queued = JSON.parse(readFileSync(four, 'utf8'));
    expect([queued.shards, queued.workers]).to.deep.equal([4, 2]);
    expect(Math.abs(queued.simulatedRequests / merged.simulatedRequests - 1)).to.be.below(0.05);
    const fewer = sim(['--plan', planFile, ...settings, '--workers', '2', '--shards', '1']);
    expect([fewer.code, fewer.stderr.trim()]).to.deep.equal([2, 'error: --shards 1 is fewer than --workers 2: give at least one shard per worker thread (or fewer workers).']);
    const alone = sim(['--plan', planFile, ...settings, '--shards', '4']);
    expect(alone.code).to.equal(2);
    expect(alone.stderr).to.contain('--shards splits a --workers run: add --workers n');
  });

  it('refuses parts that do not add up to one run: a missing shard, a duplicate, one part alone', () => {
    const r = sim(['merge', join(dir, 'part-0.json'), join(dir, 'part-0.json')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('are both shard 0/2');
    const alone = sim(['merge', join(dir, 'part-1.json')]);
    expect([alone.code, alone.stderr.trim()]).to.deep.equal([2, 'error: shard 0/2 missing; merge all 2 parts.']);
    const noJson = sim(['--plan', planFile, ...settings, '--shard', '0/2']);
    expect(noJson.code).to.equal(2);
    expect(noJson.stderr).to.contain('error: --shard 0/2 needs --json part-0.json');
    const badWorkers = sim(['--plan', planFile, '--workers', '0', '--shard', '0/2']);
    expect(badWorkers.code).to.equal(2);
    expect(badWorkers.stderr).to.contain("error: --workers must be a whole number from 1 to 64 (threads, one shard each), got '0'.");
    const workersWithShard = sim(['--plan', planFile, '--workers', '2', '--shard', '0/2']);
    expect(workersWithShard.code).to.equal(2);
    expect(workersWithShard.stderr).to.contain('error: --workers runs the seed workload in shards on threads; drop --trace, --compare, --shard and merge.');
  });
});
