/**
 * npm run sim -- the local simulation of a CloudFront configuration.
 *
 * Modes:
 * - seed workload (default): simulate a plan (--stack, default prod, or --plan) on the seeded workload;
 *   per-type table against the targets, --json, --html report, --write-trace;
 * - single cache: --trace f --format csv|oracle-general|cloudfront-log --cache-size S [--policy p];
 * - log replay: --trace logs --format cloudfront-log without --cache-size, through the plan's tiers;
 * - compare: --compare a.json b.json, two plans on the same workload (or the same logs).
 * Thin shell over simulator/; exits 0 ok, 1 a target missed, 2 bad input.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTENT_TYPE_NAMES } from '../lib/catalog';
import { InputError, show, throwIfProblems } from '../lib/errors';
import { formatPercent, renderTable } from '../lib/format/table';
import type { Plan } from '../lib/plan';
import { renderHtmlReport } from '../lib/report/html';
import { isPolicyName, POLICY_NAMES, type PolicyName } from '../simulator/caches';
import type { HitLevel, TierCapacities } from '../simulator/engine';
import { replayLog, type ReplayResult } from '../simulator/log-replay';
import { simModelFromPlan, type SimModel } from '../simulator/plan-model';
import { REGIONS, SEED_PROFILE, type Region, type WorkloadProfile } from '../simulator/profile';
import { behaviorRows, renderResultTable, simulationReport, type ReportInput } from '../simulator/report';
import type { SimulationResult } from '../simulator/results';
import { DEFAULT_CAPACITY, DEFAULTS, prepare, type Prepared } from '../simulator/simulate';
import { naiveLruMisses, parseCacheSize, runSingleCache } from '../simulator/single-cache';
import { planFromJson } from '../simulator/stack-export';
import { runStudy, type Study } from '../simulator/study';
import { isTraceFormat, readCloudFrontLogs, readTrace, TRACE_FORMATS, writeOracleGeneral, type TraceFormat } from '../simulator/trace';
import { applyWhatIf, isEmptyWhatIf, parseSetOptions, type WhatIf } from '../simulator/what-if';
import { CheckFailed, EXIT_CHECK_FAILED, EXIT_OK, parseCommandLine, readJsonFile, runMain, writeJsonFile, writeTextFile } from './lib/cli';
import { startProgress, type Progress } from './lib/progress';

export const spec = {
  usage: 'npm run sim --',
  summary:
    'Simulates a CloudFront configuration before `pulumi up`: hit ratio per content type against the targets, origin offload, ' +
    'latency, bandwidth and monthly cost, on a seeded workload or on CloudFront logs; or one cache on a trace, to compare with other simulators.',
  options: {
    stack: { type: 'string' },
    plan: { type: 'string' },
    set: { type: 'string', multiple: true },
    compare: { type: 'boolean' },
    trace: { type: 'string' },
    format: { type: 'string' },
    'cache-size': { type: 'string' },
    policy: { type: 'string' },
    'ignore-size': { type: 'boolean' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    hours: { type: 'string' },
    'warmup-hours': { type: 'string' },
    'edge-cache': { type: 'string' },
    'rec-cache': { type: 'string' },
    'shield-cache': { type: 'string' },
    edges: { type: 'string' },
    alpha: { type: 'string' },
    'hit-level': { type: 'string' },
    'no-refresh-hits': { type: 'boolean' },
    sweep: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    'write-trace': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: {
    stack: 'build the offline plan of this stack and simulate it (default: prod)',
    plan: 'simulate a saved plan (npm run plan -- --json f) or a `pulumi stack export` file',
    set: 'what-if override, repeatable: route.setting=value (static.defaultTtl=3600) or stackSetting=value (priceClass=PriceClass_100)',
    compare: 'compare two plan files given after the options (--compare a.json b.json) on the same workload or logs',
    trace: 'a trace file, or a folder of CloudFront log files',
    format: `trace format: ${TRACE_FORMATS.join(', ')}`,
    'cache-size': 'single-cache mode: objects (1000), bytes (64MiB, 10GB) or share of the working set (1%)',
    policy: `eviction policy: ${POLICY_NAMES.join(', ')} (default lru)`,
    'ignore-size': 'single-cache mode: every object counts as size 1',
    seed: `workload seed (default ${DEFAULTS.seed})`,
    scale: `share of objects simulated, (0, 1] (default ${DEFAULTS.scale}); per-object request rates stay full-scale`,
    hours: `measured hours (default ${DEFAULTS.hours})`,
    'warmup-hours': `hours simulated before measuring (default ${DEFAULTS.warmupHours})`,
    'edge-cache': 'capacity of each edge location (default 4TiB)',
    'rec-cache': 'capacity of each regional edge cache (default 40TiB)',
    'shield-cache': 'capacity of each Origin Shield (default 100TiB)',
    edges: `edge locations per region, e.g. NA=4,EU=4 (regions ${REGIONS.join(', ')})`,
    alpha: 'Zipf exponent: one value for every type (0.9) or per type (video=1,api=0.8)',
    'hit-level': "what counts as a hit: 'cloudfront' (no body from the origin; default) or 'edge' (served by the edge location)",
    'no-refresh-hits': 'do not count RefreshHit (304 revalidation) as a hit',
    sweep: 'cache-size multipliers for the report chart (default 0.25,0.5,2 with --html)',
    json: 'write the result as JSON to this file',
    html: 'write the HTML report (charts) to this file',
    'write-trace': 'write the generated requests as a libCacheSim oracleGeneral trace',
    quiet: 'no progress bars',
  },
  allowPositionals: true,
  examples: [
    'npm run sim -- --stack prod --html report.html',
    'npm run sim -- --plan plan.json --set static.defaultTtl=3600 --json whatif.json',
    'npm run sim -- --compare a.json b.json',
    'npm run sim -- --trace trace.bin --format oracle-general --cache-size 1% --policy s3fifo --json out.json',
    'npm run sim -- --trace logs/ --format cloudfront-log --stack prod',
  ],
} as const;

type Values = ReturnType<typeof parseCommandLine<typeof spec.options>>['values'];

function numberOption(v: Values, name: keyof Values & string, problems: string[], check: (n: number) => boolean, expect: string): number | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || !check(n)) {
    problems.push(`--${name} ${show(raw)} must be ${expect}.`);
    return undefined;
  }
  return n;
}

function capacityOption(v: Values, name: 'edge-cache' | 'rec-cache' | 'shield-cache', problems: string[]): number | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  try {
    const s = parseCacheSize(raw, `--${name}`);
    if (s.kind !== 'bytes') throw new InputError(`--${name} ${show(raw)} must be bytes with a unit, such as 2TiB or 500GB.`);
    return s.value;
  } catch (e) {
    if (e instanceof InputError) { problems.push(...e.problems); return undefined; }
    throw e;
  }
}

function listOption(raw: string | undefined, flag: string, names: readonly string[], problems: string[], check: (n: number) => boolean, expect: string): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [k, val] = part.split('=');
    const n = Number(val);
    if (!k || val === undefined || !names.includes(k.trim())) { problems.push(`--${flag} ${show(raw)}: '${part}' must be name=value with a name from ${names.join(', ')}.`); continue; }
    if (!Number.isFinite(n) || !check(n)) { problems.push(`--${flag} ${show(raw)}: ${k} must be ${expect}, got ${show(val)}.`); continue; }
    out[k.trim()] = n;
  }
  return out;
}

/** The workload profile with --edges and --alpha applied. */
function profileFrom(v: Values, problems: string[]): WorkloadProfile {
  let profile = SEED_PROFILE;
  const edges = listOption(v.edges, 'edges', REGIONS, problems, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  if (edges) profile = { ...profile, edgesPerRegion: { ...profile.edgesPerRegion, ...(edges as Partial<Record<Region, number>>) } };
  if (v.alpha !== undefined) {
    const single = Number(v.alpha);
    const ok = (n: number) => n > 0 && n <= 3;
    if (v.alpha.includes('=')) {
      const per = listOption(v.alpha, 'alpha', CONTENT_TYPE_NAMES, problems, ok, 'a number in (0, 3]');
      if (per) profile = { ...profile, zipfAlpha: { ...profile.zipfAlpha, ...per } };
    } else if (Number.isFinite(single) && ok(single)) {
      profile = { ...profile, zipfAlpha: Object.fromEntries(CONTENT_TYPE_NAMES.map((n) => [n, single])) as WorkloadProfile['zipfAlpha'] };
    } else problems.push(`--alpha ${show(v.alpha)} must be a number in (0, 3] or type=value pairs such as video=1,api=0.8.`);
  }
  return profile;
}

export interface SimSettings {
  readonly seed: number;
  readonly scale: number;
  readonly hours: number;
  readonly warmupHours: number;
  readonly policy: PolicyName;
  readonly capacity: TierCapacities;
  readonly hitLevel: HitLevel;
  readonly refreshHitIsHit: boolean;
  readonly profile: WorkloadProfile;
  readonly sweep: readonly number[];
}

function settingsFrom(v: Values, problems: string[], defaults: Partial<SimSettings>): SimSettings {
  const policy = v.policy ?? defaults.policy ?? DEFAULTS.policy;
  if (!isPolicyName(policy)) problems.push(`--policy ${show(policy)} is not a policy; use one of: ${POLICY_NAMES.join(', ')}.`);
  const hitLevel = v['hit-level'] ?? DEFAULTS.hitLevel;
  if (hitLevel !== 'cloudfront' && hitLevel !== 'edge') problems.push(`--hit-level ${show(hitLevel)} must be 'cloudfront' or 'edge'.`);
  let sweep = defaults.sweep ?? [];
  if (v.sweep !== undefined) {
    const parts = v.sweep.split(',').map((x) => Number(x));
    if (v.sweep.trim() === '' || parts.some((x) => !(x > 0 && x <= 100))) problems.push(`--sweep ${show(v.sweep)} must be comma-separated multipliers in (0, 100], such as 0.25,0.5,2.`);
    else sweep = parts;
  }
  return {
    seed: numberOption(v, 'seed', problems, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'a whole number from 0 to 4294967295') ?? defaults.seed ?? DEFAULTS.seed,
    scale: numberOption(v, 'scale', problems, (n) => n > 0 && n <= 1, 'a number in (0, 1], e.g. 0.01') ?? defaults.scale ?? DEFAULTS.scale,
    hours: numberOption(v, 'hours', problems, (n) => n > 0 && n <= 168, 'a number of hours in (0, 168]') ?? defaults.hours ?? DEFAULTS.hours,
    warmupHours: numberOption(v, 'warmup-hours', problems, (n) => n >= 0 && n <= 168, 'a number of hours in [0, 168]') ?? defaults.warmupHours ?? DEFAULTS.warmupHours,
    policy: policy as PolicyName,
    capacity: {
      edge: capacityOption(v, 'edge-cache', problems) ?? DEFAULT_CAPACITY.edge,
      rec: capacityOption(v, 'rec-cache', problems) ?? DEFAULT_CAPACITY.rec,
      shield: capacityOption(v, 'shield-cache', problems) ?? DEFAULT_CAPACITY.shield,
    },
    hitLevel: hitLevel as HitLevel,
    refreshHitIsHit: !v['no-refresh-hits'],
    profile: profileFrom(v, problems),
    sweep,
  };
}

/** Reads a plan or stack export file. */
function readPlanFile(file: string): Plan {
  return planFromJson(readJsonFile(file, 'plan'), file);
}

async function buildPlanFor(stack: string, config?: Readonly<Record<string, unknown>>): Promise<Plan> {
  const { buildPlan } = await import('../plan/run-plan');
  return buildPlan(config ? { stack, config } : { stack });
}

/**
 * The plan to simulate: --plan file or --stack (default prod), with the what-if applied through the
 * real config path (the plan is rebuilt with the overridden stack config).
 */
async function loadPlanWithWhatIf(v: { stack?: string; plan?: string }, whatIf: WhatIf): Promise<Plan> {
  if (v.stack !== undefined && v.plan !== undefined) throw new InputError(`give either --stack or --plan, not both; see '${spec.usage} --help'.`);
  if (v.plan !== undefined) {
    const plan = readPlanFile(v.plan);
    if (isEmptyWhatIf(whatIf)) return plan;
    if (Object.keys(plan.config).filter((k) => k.startsWith('media-cdn:')).length === 0) {
      throw new InputError(`--set needs the stack config, which ${v.plan} does not hold (a stack export has none); use --stack <name> or a plan from 'npm run plan'.`);
    }
    return buildPlanFor(plan.stack, applyWhatIf(plan.config, whatIf));
  }
  const stack = v.stack ?? 'prod';
  if (isEmptyWhatIf(whatIf)) return buildPlanFor(stack);
  const { readStackConfig } = await import('../plan/stack-files');
  return buildPlanFor(stack, applyWhatIf(readStackConfig(stack), whatIf));
}

function bar(quiet: boolean | undefined, label: string, total: number): Progress {
  return startProgress(label, total, { quiet: quiet ?? false });
}

/** Generates the seed workload's requests with a progress bar. */
export function prepareWithProgress(model: SimModel, s: SimSettings, quiet?: boolean): Prepared {
  const total = (s.hours + s.warmupHours) * 3600;
  const p = bar(quiet, 'generating requests (simulated s)', total);
  let last = 0;
  const prepared = prepare(model, {
    seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, profile: s.profile,
    onProgress: (_phase, done) => { p.increment(done - last); last = done; },
  });
  p.increment(total - last);
  p.stop();
  return prepared;
}

/** Runs the main policy, the others and the sweep with one progress bar over all runs. */
export function studyWithProgress(prepared: Prepared, s: SimSettings, policies: readonly PolicyName[], quiet?: boolean): Study {
  const runs = policies.length * new Set([1, ...s.sweep]).size;
  const n = prepared.requests.length;
  const p = bar(quiet, `simulating ${runs} run${runs > 1 ? 's' : ''} (requests)`, runs * n);
  let runBase = 0;
  let reported = 0;
  const advance = (to: number) => { if (to > reported) { p.increment(to - reported); reported = to; } };
  const study = runStudy(prepared, {
    policies, sweep: s.sweep, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit,
    onRun: (index) => { runBase = index * n; advance(runBase); },
    onProgress: (_phase, done) => advance(runBase + done),
  });
  advance(runs * n);
  p.stop();
  return study;
}

export const ASSUMPTIONS_TEXT =
  'Tiers: viewer → edge location (one cache each, 4/4/3/2/2 per region NA/EU/AP/SA/MEA by default) → regional edge cache (one per region) → Origin Shield (the plan\'s Region) → origin. ' +
  'Behaviors, TTLs, cache keys (Accept-Encoding variants included), compression and invalidation matching come from the plan through lib/semantics.\n\n' +
  'Workload: seeded, deterministic; five content types with the catalog\'s size ranges and update intervals; Zipf popularity; 50 Gbps average / 100 Gbps peak over a diurnal curve per region; ' +
  'video as 6-second byte ranges of rendition files; viewers in 27 countries. Object sampling (--scale) keeps per-object request rates at full scale and shrinks caches by the same factor.\n\n' +
  'Latency: lognormal round trips per hop and origin first-byte times (simulator/profile.ts). Cost: CloudFront list prices (spec §13). ' +
  'Cache sizes are assumptions (CloudFront publishes none). See docs/performance-analysis.md for every assumption, its source and the model\'s limits.';

export function reportInputFor(model: SimModel, prepared: Prepared | undefined, study: Study, s: SimSettings, subtitle: string): ReportInput {
  const w = prepared?.workload;
  return {
    title: `media-cdn simulation — stack ${model.stack}`,
    subtitle,
    result: study.result,
    policies: study.policies,
    sweep: study.sweep,
    behaviors: behaviorRows([...model.behaviors, model.defaultBehavior]),
    ...(w ? { families: w.families.map((f) => [f.name, f.type, f.objects.toLocaleString('en-US'), f.sampled.toLocaleString('en-US'), f.requestsPerSecond.toFixed(1), ((f.bytesPerSecond * 8) / 1e9).toFixed(2)]) } : {}),
    assumptions: ASSUMPTIONS_TEXT,
  };
}

function settingsLabel(s: SimSettings, requests: number): string {
  return `seed ${s.seed}, scale ${s.scale}, ${s.hours} h measured after ${s.warmupHours} h warm-up, ${requests.toLocaleString('en-US')} simulated requests, policy ${s.policy}, ` +
    `caches edge ${(s.capacity.edge / 2 ** 40).toFixed(2)} TiB / REC ${(s.capacity.rec / 2 ** 40).toFixed(2)} TiB / shield ${(s.capacity.shield / 2 ** 40).toFixed(2)} TiB`;
}

function jsonOf(result: SimulationResult, extra: Record<string, unknown>): Record<string, unknown> {
  return { ...result, ...extra };
}

/** Seed-workload mode; returns the exit code. */
export async function runSeedMode(v: Values, s: SimSettings, opts: { reportPath?: string; label?: string } = {}): Promise<number> {
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const prepared = prepareWithProgress(model, s, v.quiet);
  if (v['write-trace']) {
    const req = prepared.requests;
    const from = -s.warmupHours * 3600;
    const times = Float64Array.from(req.time, (t) => t - from);
    const sizes = Float64Array.from(req.key, (k) => prepared.workload.keys.size[k]!);
    writeFileSync(v['write-trace'], writeOracleGeneral(times, req.key, sizes, req.length));
    console.error(`wrote ${req.length.toLocaleString('en-US')} requests to ${v['write-trace']} (oracleGeneral)`);
  }
  const htmlPath = v.html ?? opts.reportPath;
  const sweep = htmlPath ? (s.sweep.length > 0 || v.sweep !== undefined ? s.sweep : [0.25, 0.5, 2]) : s.sweep;
  const policies: PolicyName[] = htmlPath ? [s.policy, s.policy === 'lru' ? 's3fifo' : 'lru'] : [s.policy];
  const study = studyWithProgress(prepared, { ...s, sweep }, policies, v.quiet);
  const r = study.result;
  const label = `${opts.label ?? `stack ${plan.stack}`}${whatIf.labels.length ? ` with ${whatIf.labels.join(' ')}` : ''}`;
  console.log(`${label}: ${settingsLabel(s, prepared.requests.length)}\n`);
  console.log(renderResultTable(r));
  if (v.json) {
    writeJsonFile(v.json, jsonOf(r, {
      mode: 'seed-workload', whatIf: whatIf.labels,
      settings: { seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit },
      ...(study.policies.length > 1 ? { policies: Object.fromEntries(study.policies.map((p) => [p.policy, { totals: p.result.totals, types: p.result.types }])) } : {}),
      ...(study.sweep.length > study.policies.length ? { sweep: study.sweep } : {}),
      workload: { sessionsPerSecond: prepared.workload.sessionsPerSecond, families: prepared.workload.families },
    }));
  }
  if (htmlPath) {
    const html = renderHtmlReport(simulationReport(reportInputFor(model, prepared, study, s, `${label} — ${settingsLabel(s, prepared.requests.length)}`)));
    writeTextFile(htmlPath, html);
    console.log(`\nreport: ${resolve(htmlPath)}`);
  }
  return r.pass ? EXIT_OK : EXIT_CHECK_FAILED;
}

function singleCacheMode(v: Values, format: TraceFormat): number {
  const problems: string[] = [];
  const policy = v.policy ?? 'lru';
  if (!isPolicyName(policy)) problems.push(`--policy ${show(policy)} is not a policy; use one of: ${POLICY_NAMES.join(', ')}.`);
  let size;
  try { size = parseCacheSize(v['cache-size']!); } catch (e) { if (e instanceof InputError) problems.push(...e.problems); else throw e; }
  throwIfProblems(problems);
  const trace = readTrace(v.trace!, format);
  if (trace.length === 0) {
    throw new InputError(`--trace ${show(v.trace)} has no readable requests as ${format}${trace.malformed ? ` (${trace.malformed} malformed, e.g. ${trace.malformedExamples[0]})` : ''}; check the file and --format.`);
  }
  const r = runSingleCache(trace, { policy: policy as PolicyName, size: size!, ignoreSize: v['ignore-size'] ?? false });
  console.log(renderTable(
    ['policy', 'capacity', 'requests', 'objects', 'misses', 'miss ratio', 'byte miss ratio'],
    [[r.policy, `${r.capacity.toLocaleString('en-US')} ${r.capacityUnit}`, r.requests.toLocaleString('en-US'), r.workingSetObjects.toLocaleString('en-US'), r.misses.toLocaleString('en-US'), r.missRatio.toFixed(6), r.byteMissRatio.toFixed(6)]],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  ));
  if (trace.malformed > 0) console.log(`\n${trace.malformed} malformed line(s) or record(s) skipped, e.g. ${trace.malformedExamples.join('; ')}`);
  if (trace.skipped > 0) console.log(`${trace.skipped} request(s) with methods that are never cached skipped`);
  if (v.json) {
    writeJsonFile(v.json, {
      mode: 'single-cache', ...r,
      trace: { file: v.trace, format, requests: trace.length, objects: trace.objects, malformed: trace.malformed, malformedExamples: trace.malformedExamples, skipped: trace.skipped },
      ...(r.policy === 'lru' && r.capacityUnit === 'objects' && (v['ignore-size'] || size!.kind === 'objects') ? { naiveLruMisses: naiveLruMisses(trace.id, trace.length, r.capacity) } : {}),
    });
  }
  return EXIT_OK;
}

function replayRows(rep: ReplayResult): string[][] {
  return CONTENT_TYPE_NAMES.map((n) => {
    const t = rep.result.types[n];
    return [n, t.requests.toLocaleString('en-US'), formatPercent(rep.observed[n].hitRatio), formatPercent(t.hitRatio), formatPercent(t.targetHitRatio, 0), `${t.p95LatencyMs}`];
  });
}

async function replayMode(v: Values, s: SimSettings): Promise<number> {
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const log = readCloudFrontLogs(v.trace!);
  const rep = replayLog(log, model, s.profile, { policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit, warmupSeconds: s.warmupHours * 3600, seed: s.seed });
  console.log(`replayed ${log.length.toLocaleString('en-US')} logged requests (${(rep.logSeconds / 3600).toFixed(1)} h) through stack ${plan.stack}${log.malformed ? `; ${log.malformed} malformed line(s) skipped, e.g. ${log.malformedExamples[0]}` : ''}\n`);
  console.log(renderTable(['type', 'requests/day', 'logged hit ratio', 'simulated', 'target', 'p95 ms'], replayRows(rep), ['left', 'right', 'right', 'right', 'right', 'right']));
  if (rep.unknownEdges.length) console.log(`\nedge locations with unknown airport codes (counted as North America): ${rep.unknownEdges.join(', ')}`);
  if (v.json) writeJsonFile(v.json, jsonOf(rep.result, { mode: 'log-replay', observed: rep.observed, malformed: log.malformed, malformedExamples: log.malformedExamples, unknownEdges: rep.unknownEdges }));
  if (v.html) {
    const html = renderHtmlReport(simulationReport({ ...reportInputFor(model, undefined, { result: rep.result, policies: [], sweep: [] }, s, `log replay of ${v.trace}`), families: undefined }));
    writeTextFile(v.html, html);
    console.log(`\nreport: ${resolve(v.html)}`);
  }
  return EXIT_OK;
}

function diffRows(a: SimulationResult, b: SimulationResult): string[][] {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const d = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} pp`;
  const rows = CONTENT_TYPE_NAMES.map((n) => {
    const x = a.types[n], y = b.types[n];
    return [n, pct(x.hitRatio), pct(y.hitRatio), d(y.hitRatio - x.hitRatio), `${x.p95LatencyMs}`, `${y.p95LatencyMs}`, `${x.pass ? 'pass' : 'FAIL'} → ${y.pass ? 'pass' : 'FAIL'}`];
  });
  rows.push(['all', pct(a.totals.hitRatio), pct(b.totals.hitRatio), d(b.totals.hitRatio - a.totals.hitRatio), `${a.totals.p95LatencyMs}`, `${b.totals.p95LatencyMs}`, '']);
  rows.push(['cost/month', `$${a.costUsdPerMonth.toLocaleString('en-US')}`, `$${b.costUsdPerMonth.toLocaleString('en-US')}`, `${b.costUsdPerMonth - a.costUsdPerMonth >= 0 ? '+' : ''}$${(b.costUsdPerMonth - a.costUsdPerMonth).toFixed(2)}`, '', '', '']);
  return rows;
}

async function compareMode(v: Values, s: SimSettings, files: readonly string[]): Promise<number> {
  if (files.length !== 2) throw new InputError(`--compare needs exactly two plan files after the options (got ${files.length}: ${files.join(' ') || 'none'}); e.g. '${spec.usage} --compare a.json b.json'.`);
  if (v.stack !== undefined || v.plan !== undefined || (v.set ?? []).length > 0) throw new InputError('--compare takes its two plans as files; drop --stack, --plan and --set (write a what-if plan with npm run plan first).');
  const plans = files.map((f) => readPlanFile(f));
  const models = plans.map((p) => simModelFromPlan(p));
  let results: SimulationResult[];
  if (v.trace !== undefined) {
    const log = readCloudFrontLogs(v.trace);
    results = models.map((m) => replayLog(log, m, s.profile, { policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit, warmupSeconds: s.warmupHours * 3600, seed: s.seed }).result);
  } else {
    results = models.map((m) => {
      const p = prepareWithProgress(m, s, v.quiet);
      return studyWithProgress(p, { ...s, sweep: [] }, [s.policy], v.quiet).result;
    });
  }
  const [a, b] = results as [SimulationResult, SimulationResult];
  console.log(`comparing ${files[0]} (a) with ${files[1]} (b) on ${v.trace ? `the logs in ${v.trace}` : `the seed workload (seed ${s.seed}, scale ${s.scale})`}\n`);
  console.log(renderTable(['type', 'hit ratio a', 'hit ratio b', 'difference', 'p95 ms a', 'p95 ms b', 'targets'], diffRows(a, b), ['left', 'right', 'right', 'right', 'right', 'right', 'left']));
  if (v.json) writeJsonFile(v.json, { mode: 'compare', a: { file: files[0], ...a }, b: { file: files[1], ...b }, difference: { hitRatio: b.totals.hitRatio - a.totals.hitRatio, costUsdPerMonth: b.costUsdPerMonth - a.costUsdPerMonth } });
  return EXIT_OK;
}

/** Parses argv and runs the selected mode; returns the exit code. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values: v, positionals } = parseCommandLine(spec, argv);
  const problems: string[] = [];
  if (positionals.length > 0 && !v.compare) problems.push(`unexpected argument(s) ${positionals.map((p) => show(p)).join(' ')}; options start with --, see '${spec.usage} --help'.`);
  if (v.format !== undefined && !isTraceFormat(v.format)) problems.push(`--format ${show(v.format)} is not a trace format; use one of: ${TRACE_FORMATS.join(', ')}.`);
  if (v.trace !== undefined && v.format === undefined) problems.push(`--trace needs --format (${TRACE_FORMATS.join(', ')}).`);
  if (v.trace === undefined && (v.format !== undefined || v['cache-size'] !== undefined)) problems.push(`--format and --cache-size need --trace <file>.`);
  if (v.trace !== undefined && v.format !== undefined && v.format !== 'cloudfront-log' && v['cache-size'] === undefined && isTraceFormat(v.format)) {
    problems.push(`--format ${v.format} traces have no paths or edge locations, so they only run in single-cache mode: add --cache-size (e.g. 1% or 64MiB).`);
  }
  const s = settingsFrom(v, problems, {});
  throwIfProblems(problems);
  if (v.trace !== undefined && v['cache-size'] !== undefined) return singleCacheMode(v, v.format as TraceFormat);
  if (v.compare) return compareMode(v, s, positionals);
  if (v.trace !== undefined) return replayMode(v, s);
  return runSeedMode(v, s);
}

if (require.main === module) {
  runMain(async () => {
    const code = await main();
    if (code === EXIT_CHECK_FAILED) throw new CheckFailed('at least one target was missed (see the table above).');
    return code;
  });
}


