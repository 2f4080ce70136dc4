/**
 * npm start — the project's main job: simulate the prod plan on the seed workload at a scale that
 * finishes in well under a minute on 2 cores, print every content type against its targets, and
 * write report.html at the repository root.
 *
 * Exits 0 when every target passes and 1 when any is missed (after printing which and writing the
 * report), so that `npm ci && npm start` is itself the check that the shipped config meets the targets.
 */
import { join } from 'node:path';
import { PROJECT_DIR } from '../plan/stack-files';
import { CheckFailed, parseCommandLine, runMain, EXIT_OK } from './lib/cli';
import { runSeedMode, spec as simSpec } from './sim';
import { SEED_PROFILE } from '../simulator/profile';
import { DEFAULT_CAPACITY, DEFAULTS, START_SETTINGS } from '../simulator/simulate';

export { START_SETTINGS };

const spec = {
  usage: 'npm start --',
  summary:
    'Simulates the prod plan on the seed workload (scale 0.005, 24 h after 24 h of warm-up), prints hit ratio and latency per content type against the targets, ' +
    'and writes report.html at the repository root. Exits 1 when any target is missed (the report is written either way); `npm run sim` has more options.',
  options: { quiet: { type: 'boolean' }, json: { type: 'string' } },
  help: { quiet: 'no progress bars', json: 'also write the result as JSON to this file' },
} as const;

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const reportPath = join(PROJECT_DIR, 'report.html');
  const argv = ['--stack', 'prod', '--scale', String(START_SETTINGS.scale), '--warmup-hours', String(START_SETTINGS.warmupHours), '--html', reportPath];
  if (values.quiet) argv.push('--quiet');
  if (values.json) argv.push('--json', values.json);
  const { values: v } = parseCommandLine(simSpec, argv);
  const code = await runSeedMode(v, {
    seed: DEFAULTS.seed, scale: START_SETTINGS.scale, hours: DEFAULTS.hours, warmupHours: START_SETTINGS.warmupHours, policy: DEFAULTS.policy,
    capacity: DEFAULT_CAPACITY, hitLevel: DEFAULTS.hitLevel, refreshHitIsHit: DEFAULTS.refreshHitIsHit, profile: SEED_PROFILE, sweep: [0.25, 0.5, 2], releases: [],
  }, { reportPath, label: 'prod plan' });
  if (code !== EXIT_OK) {
    throw new CheckFailed('some targets are missed on the seed workload (FAIL above); `npm run tune -- --stack prod` searches the levers and shows the best case of the model, and docs/performance-analysis.md ("What the targets need") says which targets no CloudFront configuration meets and why.');
  }
  return EXIT_OK;
});
