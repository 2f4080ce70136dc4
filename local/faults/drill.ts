/**
 * One failure drill on the local edge (127.0.0.1 only, bounded, self-stopping): starts the local
 * stack for a plan with a fault proxy in front of every origin, seeds the sample content (and the
 * replica buckets, as S3 replication would), drives a fixed viewer load over three phases (before,
 * during, after the fault), injects the scenario's fault (lib/faults) for the middle one, and returns
 * the figures (lib/faults/drill-figures.ts) with the request log the simulator replays.
 *
 * Local stand-ins, by design: the edge has no connection retries and its origin timeout is
 * `originTimeoutMs` (a `slow` origin holds requests past it); the regional cache stands in for
 * Origin Shield.
 */
import { resolveCatalog } from '../../lib/catalog';
import { distributionModelFromPlan, type DistributionModel } from '../../lib/distribution';
import { drillFigures, type DrillFigures, type DrillPhase, type DrillSample } from '../../lib/faults/drill-figures';
import { faultRegion, originFails, type FaultOriginFacts, type FaultScenario } from '../../lib/faults/scenarios';
import type { Plan } from '../../lib/plan';
import { mulberry32 } from '../../lib/random';
import { compileBehaviorSelector } from '../../lib/semantics/path-pattern';
import { tagSettings } from '../../lib/tagging';
import { planBuckets, startLocalStack, type LocalStack } from '../edge/local-stack';
import type { LocalOrigins } from '../edge/origin-client';
import { localS3Client } from '../origins/s3-origin';
import { DEFAULT_TITLES, sampleContent, seedSampleContent, type SampleBucket } from '../origins/sample-content';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

export interface DrillLoad {
  /** Seconds of each phase. @default 4 */
  readonly phaseSeconds: number;
  /** Viewer requests per second. @default 50 */
  readonly ratePerSecond: number;
  /** Concurrent requests per cold object in a release herd. @default 20 */
  readonly herd: number;
  readonly seed: number;
}

export const DEFAULT_DRILL_LOAD: DrillLoad = { phaseSeconds: 4, ratePerSecond: 50, herd: 20, seed: 1 };

/** Origin timeout of the local edge in drills, ms (generous: a healthy origin on a loaded CI machine must never hit it), and how long a `slow` origin holds a request (past the timeout). */
export const DRILL_ORIGIN_TIMEOUT_MS = 3000;
const SLOW_HOLD_MS = 4500;

/** One viewer request of the drill, for the simulator's replay. */
export interface DrillRequest {
  readonly atSec: number;
  readonly path: string;
  /** Index of the edge location. */
  readonly edge: number;
  readonly status: number;
}

export interface DrillResult {
  readonly scenario: string;
  readonly figures: DrillFigures;
  readonly targetPct: number;
  readonly targetScope: 'all' | 'cacheable';
  readonly availabilityPct: number;
  readonly pass: boolean;
  readonly failingOrigins: readonly string[];
  readonly faultFromSec: number;
  readonly faultToSec: number;
  readonly log: readonly DrillRequest[];
  /** When every path was invalidated (invalidation storm), seconds since the start. */
  readonly invalidatedAtSec: readonly number[];
  /** Edge locations the load used. */
  readonly edges: number;
}

/** The viewer paths of the load (the sample content without signed titles, metadata and API documents) and the cold ones of a release. */
export function drillPaths(): { warm: string[]; cold: string[] } {
  const objects = sampleContent().filter((o) => !o.key.startsWith('video/premium/') && !o.key.endsWith('bench-10k.bin'));
  const titles = DEFAULT_TITLES.filter((t) => t !== 'midnight-harbor');
  const last = titles[titles.length - 1]!;
  const paths = objects.map((o) => `/${o.key}`);
  // the last title's third episode is the release: no viewer asks for it before the herd
  const cold = paths.filter((p) => p.startsWith(`/video/${last}/s01e03/`));
  const warm = [
    ...paths.filter((p) => !cold.includes(p)),
    ...titles.map((t) => `/metadata/videos/${t}.json`),
    '/api/trending', '/api/catalog?genre=drama', '/api/me/watchlist',
  ];
  return { warm, cold };
}

/** Whether a GET of `path` is cached by its behavior (not CachingDisabled). */
function cacheableOf(model: DistributionModel): (path: string) => boolean {
  const select = compileBehaviorSelector(model.behaviors);
  return (path) => !(select(path.split('?')[0]!) ?? model.defaultBehavior).cachePolicy.cachingDisabled;
}

/** The origins the scenario takes down, as lib/faults sees them. */
export function failingOriginIds(model: DistributionModel, scenario: FaultScenario, stackRegion: string): string[] {
  const secondaries = new Set([...model.originGroups.values()].map((g) => g.secondaryOriginId));
  const facts: FaultOriginFacts[] = [...model.origins.values()].map((o) => ({
    id: o.id,
    kind: o.kind === 's3' ? 's3' : /api/i.test(o.id) ? 'api' : 'metadata',
    awsRegion: o.awsRegion ?? stackRegion,
    role: secondaries.has(o.id) ? 'secondary' : /-[a-z]{2}-[a-z]+-\d$/.test(o.id) ? 'regional' : 'primary',
  }));
  const region = faultRegion(stackRegion);
  return facts.filter((f) => originFails(scenario.target, f, region)).map((f) => f.id);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one drill. */
export async function runDrill(plan: Plan, scenario: FaultScenario, load: DrillLoad = DEFAULT_DRILL_LOAD): Promise<DrillResult> {
  const model = distributionModelFromPlan(plan);
  const stackRegion = typeof plan.config['aws:region'] === 'string' ? plan.config['aws:region'] : 'us-east-1';
  const failing = failingOriginIds(model, scenario, stackRegion);
  const failingBuckets = new Set(failing.map((id) => model.origins.get(id)?.bucket).filter((b): b is string => b !== undefined));
  const failingCustom = new Set(failing.filter((id) => model.origins.get(id)?.kind === 'custom'));
  const proxies: FaultProxy[] = [];
  const custom: Record<string, FaultProxy> = {};
  let s3Proxy: FaultProxy | undefined;
  const wrapOrigins = async (o: LocalOrigins): Promise<LocalOrigins> => {
    const add = async (target: string) => { const p = await startFaultProxy(target); proxies.push(p); return p; };
    s3Proxy = o.s3Endpoint ? await add(o.s3Endpoint) : undefined;
    const out: Record<string, string> = {};
    for (const m of model.origins.values()) {
      if (m.kind !== 'custom') continue;
      const target = o.custom?.[m.id] ?? o.defaultCustom;
      if (!target) continue;
      custom[m.id] = await add(target);
      out[m.id] = custom[m.id]!.url;
    }
    return { ...(s3Proxy ? { s3Endpoint: s3Proxy.url } : {}), custom: out, ...(o.defaultCustom ? { defaultCustom: o.defaultCustom } : {}) };
  };
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({ plan, seed: true, wrapOrigins, edge: { originTimeoutMs: DRILL_ORIGIN_TIMEOUT_MS } });
    // the replicas hold what S3 replication copies to them
    const { primary, replica } = planBuckets(plan);
    const client = localS3Client(stack.s3Endpoint);
    const roles = Object.keys(replica) as SampleBucket[];
    let tags;
    try { tags = model.cacheTagHeader ? tagSettings(resolveCatalog(), model.cacheTagHeader) : undefined; } catch { tags = undefined; }
    await seedSampleContent(client, { ...primary, ...replica }, sampleContent().filter((o) => roles.includes(o.bucket)), tags);
    client.destroy();
    return await driveLoad(stack, model, scenario, load, failing, {
      inject: (on) => {
        const f = (matches: (path: string) => boolean) => (on ? { mode: scenario.mode, matches, holdMs: SLOW_HOLD_MS } : undefined);
        s3Proxy?.setFault(failingBuckets.size > 0 ? f((p) => failingBuckets.has(p.split('/')[1] ?? '')) : undefined);
        for (const [id, p] of Object.entries(custom)) p.setFault(failingCustom.has(id) ? f(() => true) : undefined);
      },
      originRequests: () => proxies.reduce((n, p) => n + p.counts.forwarded + p.counts.failed, 0),
    });
  } finally {
    await stack?.close().catch(() => undefined);
    for (const p of proxies) await p.close().catch(() => undefined);
  }
}

interface Hooks {
  inject(on: boolean): void;
  originRequests(): number;
}

async function driveLoad(stack: LocalStack, model: DistributionModel, scenario: FaultScenario, load: DrillLoad, failing: readonly string[], hooks: Hooks): Promise<DrillResult> {
  const { warm, cold } = drillPaths();
  const cacheable = cacheableOf(model);
  const rand = mulberry32(load.seed);
  // Zipf(1) over the warm paths: a few hot objects, a long tail of cold ones
  const weights = warm.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => { let x = rand() * total; for (let i = 0; i < warm.length; i++) { x -= weights[i]!; if (x <= 0) return warm[i]!; } return warm[warm.length - 1]!; };
  const edges = stack.edges;
  const samples: DrillSample[] = [];
  const log: DrillRequest[] = [];
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  const inflight = new Set<Promise<void>>();
  const send = (path: string, edge: number) => {
    const atSec = now();
    const p = (async () => {
      let status = 0;
      try {
        const res = await fetch(`${edges[edge]!.url}${path}`, { signal: AbortSignal.timeout(10_000) });
        status = res.status;
        const ttfbMs = (now() - atSec) * 1000;
        await res.arrayBuffer();
        samples.push({ atSec, status, ttfbMs, cacheable: cacheable(path) });
      } catch {
        samples.push({ atSec, status: 0, ttfbMs: (now() - atSec) * 1000, cacheable: cacheable(path) });
      }
      log.push({ atSec, path, edge, status });
    })();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const P = load.phaseSeconds;
  const from = P, to = 2 * P;
  const counts: Record<DrillPhase, number> = { before: 0, during: 0, after: 0 };
  let phase: DrillPhase = 'before';
  let mark = 0;
  const n = Math.round(3 * P * load.ratePerSecond);
  let storm: NodeJS.Timeout | undefined;
  const invalidatedAtSec: number[] = [];
  for (let i = 0; i < n; i++) {
    const due = i / load.ratePerSecond;
    const wait = due - now();
    if (wait > 0) await sleep(wait * 1000);
    if (phase === 'before' && due >= from) {
      counts.before = hooks.originRequests() - mark; mark += counts.before; phase = 'during';
      hooks.inject(true);
      if (scenario.load === 'release') for (const path of cold) for (let k = 0; k < load.herd; k++) send(path, k % edges.length);
      if (scenario.load === 'invalidate-all') {
        const invalidate = () => { invalidatedAtSec.push(now()); stack.edge.invalidate(['/*']); };
        invalidate();
        storm = setInterval(invalidate, 1000);
      }
    } else if (phase === 'during' && due >= to) {
      counts.during = hooks.originRequests() - mark; mark += counts.during; phase = 'after';
      hooks.inject(false);
      if (storm) clearInterval(storm);
    }
    send(pick(), Math.floor(rand() * edges.length));
  }
  await Promise.all([...inflight]);
  if (storm) clearInterval(storm);
  counts.after = hooks.originRequests() - mark;
  samples.sort((a, b) => a.atSec - b.atSec);
  log.sort((a, b) => a.atSec - b.atSec);
  const figures = drillFigures(samples, from, to, counts);
  const availabilityPct = scenario.targetScope === 'all' ? figures.availabilityPct : figures.cacheableAvailabilityPct;
  return {
    scenario: scenario.name, figures, targetPct: scenario.targetPct, targetScope: scenario.targetScope, availabilityPct,
    pass: availabilityPct >= scenario.targetPct, failingOrigins: failing, faultFromSec: from, faultToSec: to, log,
    invalidatedAtSec, edges: edges.length,
  };
}
