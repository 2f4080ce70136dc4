// node scripts/launch.js <name> [args]: runs dist/<name>.js when it is at least as new as every source it
// was bundled from (scripts/build-dist.js), else scripts/<name>.ts through tsx (development, or no build).
// Either way the script's exported cli() runs with the remaining arguments.
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const name = process.argv[2];
process.argv.splice(2, 1);

function freshBundle() {
  const bundle = join(ROOT, 'dist', `${name}.js`);
  const inputs = join(ROOT, 'dist', `${name}.inputs.json`);
  if (process.env.MEDIA_CDN_NO_BUNDLE || !existsSync(bundle) || !existsSync(inputs)) return undefined;
  const built = statSync(bundle).mtimeMs;
  for (const f of JSON.parse(readFileSync(inputs, 'utf8'))) {
    const s = statSync(join(ROOT, f), { throwIfNoEntry: false });
    if (!s || s.mtimeMs > built) return undefined;
  }
  return bundle;
}

const bundle = freshBundle();
if (bundle === undefined) require('tsx/cjs');
require(bundle ?? join(ROOT, 'scripts', `${name}.ts`)).cli();
