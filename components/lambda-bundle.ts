/**
 * Bundles a Lambda entry point (functions/<name>/index.ts) with the pure code it shares with the CLI
 * and the program, when the program runs (no build step). The AWS SDK v3 of the Lambda runtime is
 * used, not bundled, so a bundle holds only this project's code.
 */
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** The CommonJS bundle of `functions/<name>/index.ts`, as text. */
export function bundleLambda(name: string): string {
  const out = buildSync({
    entryPoints: [resolve(ROOT, 'functions', name, 'index.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    legalComments: 'none',
  });
  return out.outputFiles[0]!.text;
}
