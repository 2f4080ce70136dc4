/**
 * npm run drill -- --stack prod <scenario> | --all [--json f] [--html f] [--phase-seconds n] [--rate n]
 *
 * Failure drills on the local edge (docs/resilience.md): for each scenario (lib/faults) starts
 * the local edge, origins and stand-ins on 127.0.0.1, drives a bounded viewer load, injects the
 * fault, and prints availability, errors by status, p95 TTFB before/during/after, time to recover and
 * origin requests. Exit 1 when a scenario's availability misses its target, 2 on bad input.
 */
import { InputError, show } from '../lib/errors';
import type { DrillPhase } from '../lib/faults/drill-figures';
import { FAULT_SCENARIOS, faultScenario } from '../lib/faults/scenarios';
import { renderTable } from '../lib/format/table';
import { DEFAULT_DRILL_LOAD, runDrill, type DrillResult } from '../local/faults/drill';
import { EXIT_CHECK_FAILED, EXIT_OK, loadPlan, parseCommandLine, runMain, writeJsonFile, writeTextFile, CheckFailed, type CommandSpec, type Options } from './lib/cli';

export const SPEC = {
  usage: 'npm run drill --',
  summary: 'Failure drills on the local edge: a bounded viewer load on 127.0.0.1, a fault injected, availability and recovery measured.',
  options: {
    stack: { type: 'string' },
    plan: { type: 'string' },
    all: { type: 'boolean' },
    'phase-seconds': { type: 'number', min: 1, max: 60 },
    rate: { type: 'number', min: 1, max: 500 },
    json: { type: 'string' },
    html: { type: 'string' },
  },
  help: {
    stack: 'build the offline plan of this stack (default prod)',
    plan: 'drill a saved plan (npm run plan -- --json f)',
    all: `run every scenario (${FAULT_SCENARIOS.map((s) => s.name).join(', ')})`,
    'phase-seconds': `seconds of each phase: before, during (the fault), after (default ${DEFAULT_DRILL_LOAD.phaseSeconds}; 1-60)`,
    rate: `viewer requests per second (default ${DEFAULT_DRILL_LOAD.ratePerSecond}; 1-500)`,
    json: 'write the figures of every scenario as JSON to this file',
    html: 'write the figures as an HTML page to this file',
  },
  allowPositionals: true,
  examples: ['npm run drill -- --stack prod primary-s3-down', 'npm run drill -- --stack prod --all --json d.json'],
} satisfies CommandSpec<Options>;

const pctText = (p: number) => `${p.toFixed(p >= 99.9 ? 3 : 2)} %`;

/** The figures of the drills as table rows. */
export function drillRows(results: readonly DrillResult[]): string[][] {
  return results.map((r) => {
    const f = r.figures;
    const p = (ph: DrillPhase) => `${f.phases[ph].p95TtfbMs.toFixed(0)}`;
    const o = (ph: DrillPhase) => String(f.phases[ph].originRequests);
    return [
      r.scenario, String(f.requests), pctText(f.availabilityPct), pctText(f.cacheableAvailabilityPct),
      Object.entries(f.errorsByStatus).map(([s, n]) => `${s}×${n}`).join(' ') || '-',
      `${p('before')} / ${p('during')} / ${p('after')}`, `${f.recoverySeconds}`, `${o('before')} / ${o('during')} / ${o('after')}`,
      `${pctText(r.availabilityPct)} ≥ ${r.targetPct} % (${r.targetScope}): ${r.pass ? 'met' : 'MISSED'}`,
    ];
  });
}

const HEADERS = ['scenario', 'requests', 'avail. all', 'avail. cacheable', 'errors', 'p95 TTFB ms before/during/after', 'recover s', 'origin req. b/d/a', 'target'];

function html(results: readonly DrillResult[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const row = (cells: readonly string[], tag: string) => `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join('')}</tr>`;
  return `<!doctype html><meta charset="utf-8"><title>Failure drills</title><h1>Failure drills on the local edge</h1>` +
    `<table border="1" cellpadding="4">${row(HEADERS, 'th')}${drillRows(results).map((r) => row(r, 'td')).join('')}</table>`;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values: v, positionals } = parseCommandLine(SPEC, argv);
  const problems: string[] = [];
  const names = v.all === true ? FAULT_SCENARIOS.map((s) => s.name) : positionals;
  if (names.length === 0) problems.push(`name a scenario (${FAULT_SCENARIOS.map((s) => s.name).join(', ')}) or --all.`);
  if (v.all === true && positionals.length > 0) problems.push('give scenarios or --all, not both.');
  for (const n of names) if (!faultScenario(n)) problems.push(`${show(n)} is not a fault scenario; use one of ${FAULT_SCENARIOS.map((s) => s.name).join(', ')}.`);
  const phaseSeconds = v['phase-seconds'] ?? DEFAULT_DRILL_LOAD.phaseSeconds;
  const rate = v.rate ?? DEFAULT_DRILL_LOAD.ratePerSecond;
  if (problems.length > 0) throw new InputError(problems);
  const plan = await loadPlan(v.plan === undefined ? { stack: v.stack ?? 'prod' } : { plan: v.plan }, SPEC.usage);
  const results: DrillResult[] = [];
  for (const name of names) {
    console.error(`drill ${name}…`);
    results.push(await runDrill(plan, faultScenario(name)!, { ...DEFAULT_DRILL_LOAD, phaseSeconds, ratePerSecond: rate }));
  }
  console.log(renderTable(HEADERS, drillRows(results)));
  for (const r of results) {
    const note = FAULT_SCENARIOS.find((s) => s.name === r.scenario)!.targetNote;
    if (note) console.log(`${r.scenario}: ${note}`);
  }
  if (v.json) writeJsonFile(String(v.json), { stack: plan.stack, load: { phaseSeconds, ratePerSecond: rate }, drills: results.map(({ log: _log, invalidatedAtSec: _inv, ...r }) => r) });
  if (v.html) writeTextFile(String(v.html), html(results));
  return results.every((r) => r.pass) ? EXIT_OK : EXIT_CHECK_FAILED;
}

if (require.main === module) {
  runMain(async () => {
    const code = await main();
    if (code === EXIT_CHECK_FAILED) throw new CheckFailed('a scenario missed its availability target (see the table above).');
    return code;
  });
}
