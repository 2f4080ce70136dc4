/**
 * `--workers n`: the seed workload split into n shards (simulator/shard.ts) run on n worker threads,
 * their statistics merged in shard order: the same result as `--shard i/n` parts merged, for the same
 * seed and n. The main thread samples the workload's objects once (simulator/workload/sample.ts) and
 * shares them with every shard (SharedArrayBuffers, not copied); each worker builds the cache keys of
 * its own objects (memory: caches of 1/n each) and generates their requests as it simulates them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Plan } from '../../lib/plan';
import type { EngineStats } from '../../simulator/engine';
import { simModelFromPlan } from '../../simulator/plan-model';
import { heaviestFirst, mergeStats, shardRequestRates, statsFromJson } from '../../simulator/shard';
import type { SummaryContext } from '../../simulator/simulate';
import { sampleObjects, toShared } from '../../simulator/workload/sample';
import { startProgress } from '../lib/progress';
import type { SimSettings } from './settings';

/** The worker's file: the bundle's (dist/sim-shard-worker.js) when this code runs bundled, else the TypeScript source through tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = join(__dirname, 'sim-shard-worker.js');
  if (__filename.endsWith('.js') && existsSync(bundled)) return { file: bundled, execArgv: [] };
  return { file: join(__dirname, 'shard-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

export interface WorkersResult {
  readonly stats: EngineStats;
  readonly context: SummaryContext;
  readonly requests: number;
}

/**
 * Runs `count` shards on at most `concurrency` worker threads at once (a new thread per shard, the next
 * shard started as one finishes; the heaviest shards by request rate first), merged in shard order.
 * More shards than threads evens out the threads' work (shards differ in their requests) and holds
 * only the running shards' caches.
 */
export async function runShardsInWorkers(plan: Plan, s: SimSettings, count: number, quiet?: boolean, concurrency = count): Promise<WorkersResult> {
  const { file, execArgv } = workerEntry();
  // the same for every shard: sampled once, shared with the threads
  const objects = toShared(sampleObjects(simModelFromPlan(plan), { seed: s.seed, scale: s.scale, profile: s.profile, ...(s.releases.length > 0 ? { releases: s.releases } : {}) }));
  const progress = startProgress(`simulating ${count} shards on ${Math.min(count, concurrency)} worker threads (shards)`, count, { quiet: quiet ?? false });
  type Post = { stats: Record<string, unknown>; context: SummaryContext; requests: number };
  const runShard = (index: number) => new Promise<Post>((resolve, reject) => {
    const w = new Worker(file, { workerData: { plan, settings: s, shard: { index, count }, objects }, execArgv });
    w.once('message', (m: Post) => { progress.increment(1); resolve(m); });
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new Error(`shard worker ${index}/${count} exited with code ${code}`)); });
  });
  const posts: Post[] = new Array<Post>(count);
  // heaviest first, so that the lanes end close together; merged in shard order whatever the order run
  const order = heaviestFirst(shardRequestRates(objects, count));
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = order[next++]!;
      posts[index] = await runShard(index);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(count, concurrency)) }, lane));
  } finally {
    progress.stop();
  }
  return { stats: mergeStats(posts.map((m, i) => statsFromJson(m.stats, `worker ${i}`))), context: posts[0]!.context, requests: posts.reduce((n, m) => n + m.requests, 0) };
}
