// Bundles the command-line scripts whose start-up matters (npm run sim) into dist/ with esbuild, so that
// they start without compiling TypeScript; `npm run build`, and `prepare` (run by npm ci / npm install).
// Packages stay external (node_modules); the offline plan builder (plan/run-plan, which runs the Pulumi
// program under mocks) stays TypeScript and is compiled by tsx only when a run builds a plan.
// dist/<name>.inputs.json lists the sources, so scripts/launch.js can tell a stale bundle from a fresh one.
const { build } = require('esbuild');
const { writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
/** Bundles: name -> entry (the simulator, the worker thread of its --workers runs, the SimulationBatch container entry). */
const BUNDLED = { sim: 'scripts/sim.ts', 'sim-shard-worker': 'scripts/sim/shard-worker.ts', 'batch-entry': 'scripts/batch-entry.ts' };

/** plan/run-plan is loaded late and stays TypeScript: required from dist/ as ../plan/run-plan.ts. */
const keepRunPlanExternal = {
  name: 'keep-run-plan-external',
  setup(b) {
    b.onResolve({ filter: /\/plan\/run-plan$/ }, () => ({ path: '../plan/run-plan.ts', external: true }));
  },
};

async function main() {
  for (const [name, entry] of Object.entries(BUNDLED)) {
    const outfile = join(ROOT, 'dist', `${name}.js`);
    const result = await build({
      entryPoints: [join(ROOT, entry)],
      outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external',
      sourcemap: 'linked', metafile: true, logLevel: 'warning', plugins: [keepRunPlanExternal],
      // TypeScript files required at run time (the plan builder) are compiled by tsx, registered on first use.
      banner: { js: "require.extensions['.ts'] ??= (m, f) => { require('tsx/cjs/api').register(); require.extensions['.ts'](m, f); };" },
    });
    const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules')).map((f) => relative(ROOT, join(ROOT, f)));
    writeFileSync(join(ROOT, 'dist', `${name}.inputs.json`), JSON.stringify(inputs));
    console.error(`built dist/${name}.js from ${inputs.length} files`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
