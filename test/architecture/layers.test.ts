/**
 * The layers of shared/STYLE.md, checked on every TypeScript file: entry points under scripts/ are the
 * only importers of scripts/ (tests may import anything), and lib/ stays pure: no file system, no
 * image codec, no browser, no Pulumi, no AWS SDK.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SKIP = new Set(['node_modules', '.git', 'bin', 'out', '.local']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [relative(ROOT, p)] : [];
  });
}

/** Module specifiers a file imports or requires. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'([^']+)'/g)].map((m) => m[1]!);
}

/** The repo-relative target of a relative import, or the package name of a bare one. */
function resolveFrom(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', spec)) : spec;
}

describe('layers (shared/STYLE.md)', () => {
  const files = tsFiles(ROOT);

  it('finds the tree it checks', () => {
    expect(files).to.include('index.ts');
    expect(files.filter((f) => f.startsWith('lib/')).length).to.be.greaterThan(100);
  });

  it('lets nothing outside scripts/ (and the tests) import scripts/', () => {
    const offenders = files
      .filter((f) => !f.startsWith('scripts/') && !f.startsWith('test/'))
      .flatMap((f) => importsOf(f).filter((s) => s.startsWith('.') && resolveFrom(f, s).startsWith('scripts/')).map((s) => `${f} imports ${s}`));
    expect(offenders).to.deep.equal([]);
  });

  it('keeps lib/ pure: no file system, sharp, puppeteer, Pulumi or AWS SDK', () => {
    const banned = /^(node:)?fs(\/promises)?$|^sharp$|^puppeteer(-core)?$|^@pulumi\/|^@aws-sdk\//;
    const offenders = files
      .filter((f) => f.startsWith('lib/'))
      .flatMap((f) => importsOf(f).filter((s) => banned.test(s)).map((s) => `${f} imports ${s}`));
    expect(offenders).to.deep.equal([]);
  });

  it('keeps lib/ importing nothing of ours outside lib/', () => {
    const offenders = files
      .filter((f) => f.startsWith('lib/'))
      .flatMap((f) => importsOf(f).filter((s) => s.startsWith('.') && !resolveFrom(f, s).startsWith('lib/')).map((s) => `${f} imports ${s}`));
    expect(offenders).to.deep.equal([]);
  });
});
