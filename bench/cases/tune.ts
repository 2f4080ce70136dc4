/**
 * tune.seconds: wall time of `npm run tune -- --stack prod` at the default scale (npm start's), run
 * as a user runs it (a child process, progress off); with the answer's monthly cost and whether it
 * meets every target. tune.handMadeCostUsd: the hand-made prod config of docs/performance-analysis.md
 * ("A config by hand") simulated the same way with `npm run sim -- --set ...`; the tuner's answer must
 * cost no more (tune.savingVsHandMadeUsd ≥ 0) while meeting every target the hand-made one meets.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { START_SETTINGS } from '../../simulator/simulate';
import type { BenchCase } from '../types';

const ROOT = join(__dirname, '..', '..');

/**
 * Meets every target by hand, reasoning from the per-Region tables rather than searching: S3 copies on
 * every continent with a regional edge cache, as the design sketches. Stack-file settings as
 * `npm run sim -- --set` takes them, applied on top of Pulumi.prod.yaml.
 */
export const HAND_MADE_PROD_SETTINGS: readonly string[] = [
  'originRegions=["eu-central-1","ap-south-1","sa-east-1","eu-west-2","ap-northeast-1","ap-southeast-1"]',
  'priceClass="PriceClass_All"',
  'originShieldRegion="us-east-1"',
];

/** The parts of `npm run tune -- --json` and `npm run sim -- --json` this case reads. */
interface TuneJson { readonly after?: { readonly costUsd: number }; readonly evaluations: { readonly coarse: number; readonly full: number }; readonly pass: boolean }
interface SimJson { readonly costUsdPerMonth: number; readonly pass: boolean }

function run<T extends object>(script: string, args: readonly string[]): { seconds: number; json: Partial<T>; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'media-cdn-bench-tune-'));
  const out = join(dir, 'out.json');
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, script), ...args, '--quiet', '--json', out], { cwd: ROOT, encoding: 'utf8', timeout: 30 * 60_000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    let json: Partial<T> = {};
    try { json = JSON.parse(readFileSync(out, 'utf8')) as Partial<T>; } catch { /* reported through status */ }
    return { seconds, json, status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchCase: BenchCase = {
  name: 'tune',
  description: 'npm run tune on prod at the default scale (wall time), and its answer against the hand-made config',
  async run() {
    const tuned = run<TuneJson>('scripts/tune.ts', ['--stack', 'prod']);
    const { after, evaluations } = tuned.json;
    if (after === undefined || evaluations === undefined) throw new Error(`npm run tune failed (exit ${tuned.status}): ${tuned.stderr.slice(-500)}`);
    const hand = run<SimJson>('scripts/sim.ts', ['--stack', 'prod', '--scale', String(START_SETTINGS.scale), '--warmup-hours', String(START_SETTINGS.warmupHours), ...HAND_MADE_PROD_SETTINGS.flatMap((s) => ['--set', s])]);
    const handCost = Number(hand.json.costUsdPerMonth);
    const tunedCost = Number(after.costUsd);
    return {
      'tune.seconds': { value: Number(tuned.seconds.toFixed(1)), unit: 's' },
      'tune.simulations': { value: evaluations.coarse + evaluations.full, unit: 'runs' },
      'tune.pass': { value: tuned.json.pass ? 1 : 0, unit: 'bool' },
      'tune.costUsd': { value: tunedCost, unit: 'USD/month' },
      'tune.handMadePass': { value: hand.json.pass ? 1 : 0, unit: 'bool' },
      'tune.handMadeCostUsd': { value: handCost, unit: 'USD/month' },
      'tune.savingVsHandMadeUsd': { value: Number((handCost - tunedCost).toFixed(2)), unit: 'USD/month' },
    };
  },
};
