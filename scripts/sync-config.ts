/**
 * Regenerates the `config:` block of Pulumi.yaml from lib/config/schema.ts, so that the project file
 * declares every key with its type, description and default. Run after changing the schema:
 *   npm run config:sync
 * A test fails when Pulumi.yaml and the schema disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { CONFIG_SCHEMA } from '../lib/config/schema';

export function projectConfigBlock(): Record<string, unknown> {
  const block: Record<string, unknown> = {};
  for (const s of CONFIG_SCHEMA) {
    // Pulumi project config types are string, integer, boolean and array; objects are declared untyped.
    const decl: Record<string, unknown> = { description: s.description, default: s.default };
    if (s.kind !== 'object') decl.type = s.kind;
    if (s.kind === 'array') decl.items = { type: 'string' };
    block[s.key] = decl; // keys without a namespace belong to the project (media-cdn:)
  }
  return block;
}

if (require.main === module) {
  const file = join(__dirname, '..', 'Pulumi.yaml');
  const doc = YAML.parseDocument(readFileSync(file, 'utf8'));
  doc.set('config', projectConfigBlock());
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  console.log(`wrote the config block of ${file} (${CONFIG_SCHEMA.length} keys)`);
}
