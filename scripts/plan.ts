/**
 * npm run plan -- --stack <staging|prod> [--json plan.json]
 * Runs index.ts under Pulumi's mock runtime with the stack's config (no engine, no network, no
 * credentials), prints a summary and optionally writes the plan (docs/plan-format.md).
 */
import { InputError } from '../lib/errors';
import { renderPlanSummary } from '../lib/plan-summary';
import { buildPlan } from '../plan/run-plan';
import { listStacks } from '../plan/stack-files';
import { parseCommandLine, readJsonFile, runMain, writeJsonFile, type CommandSpec } from './lib/cli';

const spec = {
  usage: 'npm run plan --',
  summary: 'Builds the offline plan of a stack: every resource `pulumi up` would create, with its inputs.',
  options: { stack: { type: 'string' }, json: { type: 'string' }, dir: { type: 'string' }, 'previous-outputs': { type: 'string' }, quiet: { type: 'boolean' } },
  help: {
    stack: `stack to plan (${listStacks().join(', ')})`,
    json: 'write the plan as JSON to this file',
    dir: 'folder holding Pulumi.<stack>.yaml (default: the repository root)',
    'previous-outputs': "plan the next 'pulumi up' of a deployed stack: its outputs ('pulumi stack output --json > f'); default: a fresh stack",
    quiet: 'print nothing but errors',
  },
  examples: ['npm run plan -- --stack prod', 'npm run plan -- --stack staging --json plan.json'],
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

runMain(async () => {
  const { values } = parseCommandLine(spec);
  if (!values.stack) throw new InputError(`--stack is required (one of ${listStacks().join(', ')}); see 'npm run plan -- --help'.`);
  const previous = values['previous-outputs'];
  const previousOutputs = previous === undefined ? undefined : readJsonFile(previous, 'previous outputs');
  if (previousOutputs !== undefined && (previousOutputs === null || typeof previousOutputs !== 'object' || Array.isArray(previousOutputs))) {
    throw new InputError(`--previous-outputs file '${previous}' must hold a JSON object of stack outputs; write it with 'pulumi stack output --json > f'.`);
  }
  const plan = await buildPlan({
    stack: values.stack,
    ...(values.dir ? { dir: values.dir } : {}),
    ...(previousOutputs ? { previousOutputs: previousOutputs as Record<string, unknown> } : {}),
  });
  if (!values.quiet) console.log(renderPlanSummary(plan));
  if (values.json) {
    writeJsonFile(values.json, plan);
    if (!values.quiet) console.log(`\nwrote ${values.json}`);
  }
});
