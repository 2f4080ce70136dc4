import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSIS_NAMES } from '../../lib/analytics/analyses';
import { runScript } from '../helpers/run-cli';
import { DIST, sampleLines, writeV1Logs } from './log-fixtures';

describe('npm run analyze (scripts/analyze.ts) over local logs', function () {
  this.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'analyze-cli-'));
  const logs = join(root, 'logs');
  before(() => writeV1Logs(logs, sampleLines()));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('runs every analysis, writes JSON and HTML, and exits 0', () => {
    const json = join(root, 'a.json');
    const html = join(root, 'a.html');
    const r = runScript('scripts/analyze.ts', ['--logs', logs, '--all', '--from', '2026-03-01T12:00:00Z', '--to', '2026-03-01T14:00:00Z', '--distribution', DIST, '--json', json, '--html', html]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('== hit-ratio-by-type ==');
    const out = JSON.parse(readFileSync(json, 'utf8')) as { distributionId: string; analyses: Record<string, { rows: Record<string, unknown>[] }> };
    expect(Object.keys(out.analyses)).to.deep.equal([...ANALYSIS_NAMES]);
    expect(out.distributionId).to.equal(DIST);
    expect(out.analyses['hit-ratio-by-type']!.rows.find((x) => x.content_type === 'video')).to.include({ requests: 8, hits: 7, hit_ratio: 0.875 });
    const page = readFileSync(html, 'utf8');
    expect(page).to.include('<canvas id="hit-ratio-by-type"');
    expect(page).to.include('<canvas id="origin-offload"');
  });

  it('runs one analysis with --query', () => {
    const json = join(root, 'one.json');
    const r = runScript('scripts/analyze.ts', ['--logs', logs, '--query', 'errors-by-status', '--json', json]);
    expect(r.status, r.stderr).to.equal(0);
    expect(Object.keys((JSON.parse(readFileSync(json, 'utf8')) as { analyses: object }).analyses)).to.deep.equal(['errors-by-status']);
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown analysis', ['--logs', logs, '--query', 'hit-ratio'], /--query 'hit-ratio' is not an analysis; use one of hit-ratio-by-type/],
    ['a missing folder', ['--logs', join(root, 'none')], /--logs '.*none' is not a folder/],
    ['a malformed date', ['--logs', logs, '--from', '2026-13-01', '--to', '2026-03-02'], /--from '2026-13-01' is not a date/],
    ['a bad distribution id', ['--logs', logs, '--distribution', 'e1;drop'], /--distribution 'e1;drop' is not a CloudFront distribution id/],
    ['--athena without a stack', ['--athena', '--from', '2026-03-01', '--to', '2026-03-02'], /--athena needs the stack/],
    ['--query with --all', ['--logs', logs, '--query', 'origin-offload', '--all'], /--query <name> or --all, not both/],
  ];
  for (const [what, args, message] of bad) {
    it(`exits 2 with one line for ${what}`, () => {
      const r = runScript('scripts/analyze.ts', args);
      expect(r.status).to.equal(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.match(message);
    });
  }

  it('prints help and exits 0', () => {
    const r = runScript('scripts/analyze.ts', ['--help']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.include('Usage: npm run analyze --');
    expect(r.stdout).to.include('--athena');
  });
});
