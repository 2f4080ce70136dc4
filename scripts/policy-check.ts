/**
 * npm run policy:check -- --stack prod [--plan plan.json] [--json report.json]
 * Runs every rule of the CrossGuard pack (policies/) on the offline plan of a stack, with the stack's
 * enforcement levels (media-cdn:policyEnforcement): no engine, no network, no Pulumi CLI. Prints the
 * violations grouped by level and exits 1 on any mandatory one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../lib/errors';
import { renderTable } from '../lib/format/table';
import { parsePlan, type Plan } from '../lib/plan';
import { buildPlan } from '../plan/run-plan';
import { listStacks, PROJECT_DIR, readStackConfig } from '../plan/stack-files';
import { withRulesTable } from '../policies/docs';
import { packConfigFileText, packConfigFor } from '../policies/enforcement';
import { checkPlan, type PlanReport, type Violation } from '../policies/offline';
import { POLICIES } from '../policies/rules';
import { EXIT_CHECK_FAILED, EXIT_OK, parseCommandLine, readJsonFile, runMain, writeJsonFile, writeTextFile, type CommandSpec } from './lib/cli';

const USAGE = 'npm run policy:check --';

const spec = {
  usage: USAGE,
  summary: 'Runs the media-cdn policy pack on the offline plan of a stack; exits 1 on any mandatory violation.',
  options: {
    stack: { type: 'string' }, plan: { type: 'string' }, dir: { type: 'string' }, json: { type: 'string' },
    list: { type: 'boolean' }, sync: { type: 'boolean' },
  },
  help: {
    stack: `stack to check (${listStacks().join(', ')}); builds its plan unless --plan is given`,
    plan: "check this plan file (from 'npm run plan -- --json f') instead of building one",
    dir: 'folder holding Pulumi.<stack>.yaml (default: the repository root)',
    json: 'write the report as JSON to this file',
    list: 'print every rule with its group and level (per stack, or for --stack) and exit',
    sync: 'regenerate policies/config/<stack>.json (for pulumi preview --policy-pack-config) and the rules table of docs/policies.md, and exit',
  },
  examples: [
    `${USAGE} --stack prod`,
    `${USAGE} --stack prod --plan plan.json --json report.json`,
    `${USAGE} --list`,
    `${USAGE} --sync`,
  ],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const PACK_CONFIG_DIR = join(PROJECT_DIR, 'policies', 'config');

function levelsOf(stack: string, dir: string): Record<string, string> {
  const config = packConfigFor(readStackConfig(stack, dir));
  return Object.fromEntries(Object.entries(config).map(([name, c]) => [name, typeof c === 'string' ? c : c.enforcementLevel ?? 'advisory']));
}

function printList(stacks: readonly string[], dir: string): void {
  const levels = stacks.map((s) => levelsOf(s, dir));
  console.log(renderTable(
    ['rule', 'group', ...stacks.map((s) => `level (${s})`), 'corresponds to'],
    POLICIES.map((p) => [p.name, p.docs.group, ...levels.map((l) => l[p.name] ?? '-'), p.docs.references.join(', ') || '-']),
  ));
  console.log(`\n${POLICIES.length} rules.`);
}

/** Regenerates the files derived from the rules and the stack files. */
function syncGenerated(dir: string): void {
  for (const stack of listStacks(dir)) {
    const file = join(PACK_CONFIG_DIR, `${stack}.json`);
    writeTextFile(file, packConfigFileText(readStackConfig(stack, dir)));
    console.log(`wrote ${file}`);
  }
  const docs = join(PROJECT_DIR, 'docs', 'policies.md');
  writeTextFile(docs, withRulesTable(readFileSync(docs, 'utf8')));
  console.log(`wrote ${docs}`);
}

async function loadPlan(v: { stack?: string; plan?: string; dir?: string }): Promise<Plan> {
  if (v.plan !== undefined) {
    if (v.dir !== undefined) throw new InputError(`--dir only applies when the plan is built from a stack file; drop it or drop --plan (see '${USAGE} --help').`);
    const plan = parsePlan(readJsonFile(v.plan, 'plan'), v.plan);
    if (v.stack !== undefined && v.stack !== plan.stack) {
      throw new InputError(`--stack is '${v.stack}' but ${v.plan} is the plan of stack '${plan.stack}'; give the matching stack or drop --stack.`);
    }
    return plan;
  }
  if (v.stack === undefined) throw new InputError(`give --stack <name> (${listStacks(v.dir ?? PROJECT_DIR).join(', ')}) or --plan <file>; see '${USAGE} --help'.`);
  return buildPlan({ stack: v.stack, ...(v.dir !== undefined ? { dir: v.dir } : {}) });
}

function printViolations(title: string, list: readonly Violation[]): void {
  if (list.length === 0) return;
  console.log(`\n${title} (${list.length}):`);
  for (const v of list) {
    console.log(`  [${v.rule}] ${v.urn || '(the stack)'}`);
    console.log(`      ${v.message}`);
  }
}

function printReport(report: PlanReport, source: string): void {
  console.log(`Policy check of stack '${report.stack}' (${source}, ${report.resources} resources): ${report.rules.length} rules, enforcement ${report.enforcement}.`);
  printViolations('mandatory violations', report.violations.filter((v) => v.level === 'mandatory'));
  printViolations('advisory violations', report.violations.filter((v) => v.level === 'advisory'));
  console.log(report.mandatory > 0
    ? `\nFAILED: ${report.mandatory} mandatory and ${report.advisory} advisory violation(s).`
    : `\nPASSED: no mandatory violations (${report.advisory} advisory).`);
}

runMain(async () => {
  const { values } = parseCommandLine(spec);
  const v = values;
  const dir = v.dir ?? PROJECT_DIR;
  if (v.sync) {
    syncGenerated(dir);
    return EXIT_OK;
  }
  if (v.list) {
    if (v.stack !== undefined) readStackConfig(v.stack, dir);
    printList(v.stack !== undefined ? [v.stack] : listStacks(dir), dir);
    return EXIT_OK;
  }
  const plan = await loadPlan(v);
  const report = await checkPlan(plan);
  const source = v.plan !== undefined ? `plan ${v.plan}` : 'offline plan';
  printReport(report, source);
  if (v.json !== undefined) {
    writeJsonFile(v.json, { ...report, source, passed: report.mandatory === 0 });
    console.log(`wrote ${v.json}`);
  }
  return report.mandatory > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
});
