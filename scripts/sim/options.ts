/**
 * The command line of `npm run sim`: its options, help text and examples (`spec`), and the type of the
 * parsed option values the modes take. Pure; no I/O.
 */
import { FAULT_SCENARIOS } from '../../lib/faults/scenarios';
import { POLICY_NAMES } from '../../simulator/caches';
import { REGIONS } from '../../simulator/profile';
import { DEFAULTS } from '../../simulator/simulate';
import { TRACE_FORMATS } from '../../simulator/trace';
import type { parseCommandLine } from '../lib/cli';

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
    policy: { type: 'choice', choices: POLICY_NAMES },
    'ignore-size': { type: 'boolean' },
    verify: { type: 'boolean' },
    seed: { type: 'number', integer: true, min: 0, max: 0xffffffff },
    scale: { type: 'number', min: 0, exclusiveMin: true, max: 1, describe: 'a number in (0, 1], e.g. 0.01' },
    hours: { type: 'number', min: 0, exclusiveMin: true, max: 168, describe: 'a number of hours in (0, 168]' },
    'warmup-hours': { type: 'number', min: 0, max: 168, describe: 'a number of hours in [0, 168]' },
    'edge-cache': { type: 'string' },
    'rec-cache': { type: 'string' },
    'shield-cache': { type: 'string' },
    edges: { type: 'string' },
    alpha: { type: 'string' },
    'hit-level': { type: 'choice', choices: ['cloudfront', 'edge'] },
    'no-refresh-hits': { type: 'boolean' },
    sweep: { type: 'string' },
    releases: { type: 'string' },
    fault: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    'write-trace': { type: 'string' },
    'write-logs': { type: 'string' },
    quiet: { type: 'boolean' },
    shard: { type: 'string' },
    workers: { type: 'number', integer: true, min: 1, max: 64, describe: 'a whole number from 1 to 64 (threads, one shard each)' },
    shards: { type: 'number', integer: true, min: 1, max: 4096, describe: 'a whole number from 1 to 4096 (shards, run --workers at a time)' },
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
    verify: 'single-cache mode, LRU counting objects: also replay a plain Map-based LRU and report its misses (naiveLruMisses) beside the real ones',
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
    releases: 'release manifest (as npm run warm takes): new episodes going live during the simulated day, with their own popularity ramp',
    fault: `fault scenario <scenario>@<start>+<duration> (primary-s3-down@10h+30m): availability, errors, p95 TTFB before/during/after, recovery; scenarios: ${FAULT_SCENARIOS.map((f) => f.name).join(', ')}`,
    json: 'write the result as JSON to this file',
    html: 'write the HTML report (charts) to this file',
    'write-trace': 'write the generated requests as a libCacheSim oracleGeneral trace',
    'write-logs': 'write the measured day as CloudFront v2 logs in Parquet (Hive-partitioned, as the S3 delivery; each line with its sample_weight) into this new or empty folder, for npm run analyze -- --logs <folder>',
    quiet: 'no progress bars',
    workers: 'run the seed workload as n shards (objects by hash, 1/n of every cache each) on n worker threads and merge them; deterministic for the seed and n; main policy only',
    shards: 'with --workers: split the seed workload into this many shards (default: the workers), run --workers of them at a time; more shards than workers evens out the threads and holds fewer caches at once. Totals depend on the shard count, not the workers',
    shard: "run shard i of n (0-based, e.g. 0/4) of the seed workload, or of a log replay with --trace logs --format cloudfront-log (paths by hash): its objects, 1/n of every cache; needs --json part.json. Add the parts up with 'merge part-*.json --json total.json'",
  },
  allowPositionals: true,
  examples: [
    'npm run sim -- --stack prod --html report.html',
    'npm run sim -- --plan plan.json --set static.defaultTtl=3600 --json whatif.json',
    'npm run sim -- --compare a.json b.json',
    'npm run sim -- --stack prod --json sim.json --write-logs simlogs/   (then npm run analyze -- --logs simlogs/ --all)',
    'npm run sim -- --stack prod --fault primary-s3-down@10h+30m --json fault.json',
    'npm run sim -- --trace trace.bin --format oracle-general --cache-size 1% --policy s3fifo --json out.json',
    'npm run sim -- --trace logs/ --format cloudfront-log --stack prod',
    'npm run sim -- --stack prod --scale 0.05 --shard 0/4 --json part-0.json   (one per shard, anywhere)',
    'npm run sim -- --stack prod --trace logs/ --format cloudfront-log --shard 0/4 --json part-0.json   (log replay, one per shard)',
    'npm run sim -- merge part-*.json --json total.json',
  ],
} as const;

/** The parsed option values of `spec`. */
export type SimValues = ReturnType<typeof parseCommandLine<typeof spec.options>>['values'];
