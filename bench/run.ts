/**
 * npm run bench -- [--json bench.json] [--only <case>[,<case>]]
 * Runs every benchmark case in bench/cases/ and writes { "<figure>": { "value": n, "unit": "..." } }.
 * Figures that compare two implementations are measured side by side in the same run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderTable } from '../lib/format/table';
import { parseCommandLine, runMain, writeJsonFile } from '../adapters/command-line';
import { InputError, show } from '../lib/errors';
import { BENCH_CASES } from './cases';
import type { BenchCase, Figures } from './types';

const spec = {
  usage: 'npm run bench --',
  summary: 'Runs the benchmark cases and reports their figures (each { value, unit }).',
  options: { json: { type: 'string' }, only: { type: 'string' }, list: { type: 'boolean' } },
  help: { json: 'write the figures as JSON to this file', only: 'comma-separated case names to run', list: 'list the cases and exit' },
} as const;

/** The cases of bench/cases/index.ts; a case file missing from that list is an error, not a silent skip. */
export function loadCases(): readonly BenchCase[] {
  const listed = new Set(BENCH_CASES.map((c) => c.name));
  const unlisted = readdirSync(join(__dirname, 'cases')).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !listed.has(f.replace(/\.ts$/, '')));
  if (unlisted.length > 0) throw new Error(`bench/cases/${unlisted.join(', bench/cases/')} not listed in bench/cases/index.ts; add it to BENCH_CASES.`);
  return BENCH_CASES;
}

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const cases = loadCases();
  if (values.list) {
    for (const c of cases) console.log(`${c.name}: ${c.description}`);
    return;
  }
  const only = values.only ? String(values.only).split(',') : undefined;
  const unknown = (only ?? []).filter((n) => !cases.some((c) => c.name === n));
  if (unknown.length > 0) throw new InputError(`--only ${show(unknown.join(','))} names no benchmark case; use one of: ${cases.map((c) => c.name).join(', ')} (npm run bench -- --list).`);
  const figures: Figures = {};
  for (const c of cases) {
    if (only && !only.includes(c.name)) continue;
    const started = Date.now();
    console.error(`bench ${c.name}: ${c.description}`);
    Object.assign(figures, await c.run());
    console.error(`bench ${c.name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(renderTable(['figure', 'value', 'unit'], Object.entries(figures).map(([k, f]) => [k, String(f.value), f.unit]), ['left', 'right', 'left']));
  if (values.json) writeJsonFile(String(values.json), figures);
});
