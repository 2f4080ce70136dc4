/**
 * Every command keeps its promise on bad input: exit 2, exactly one `error:` line naming what was
 * wrong (the flag, key or value), no stack trace, and no output file (or temp file) left behind.
 * Table-driven over the scripts as npm runs them (tsx), bounded: each case is a short process that
 * fails before any network call, at most 4 at a time.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const REPO = join(__dirname, '..', '..');
const TSX = require.resolve('tsx/cli');

interface Case {
  /** What the user got wrong. */
  readonly what: string;
  /** Script under scripts/ (or bench/run) and its arguments; `$T` is the temp folder. */
  readonly script: string;
  readonly args: readonly string[];
  /** The error line must match (names the flag, key or value). */
  readonly line: RegExp;
}

const c = (what: string, script: string, args: string[], line: RegExp): Case => ({ what, script, args, line });
const OUT = ['--json', '$O/result.json'];

const CASES: Case[] = [
  // unknown flags, one per command
  ...['plan', 'sim', 'tune', 'cost', 'report', 'warm', 'images', 'compression', 'rollout', 'policy-check', 'local'].map((s) => c(`${s}: an unknown flag`, s, ['--no-such-flag', ...OUT], /no-such-flag/)),
  c('invalidate submit: an unknown flag', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--no-such-flag', '/a.m3u8'], /no-such-flag/),
  c('tag: an unknown flag', 'tag', ['--plan', '$T/plan.json', 'apply', '--no-such-flag'], /no-such-flag/),
  c('bench: an unknown case', '../bench/run', ['--only', 'no-such-case'], /no-such-case/),
  c('invalidate: an unknown subcommand', 'invalidate', ['--plan', '$T/plan.json', 'explode'], /explode/),
  c('tag: an unknown subcommand', 'tag', ['--plan', '$T/plan.json', 'explode'], /explode/),
  // numbers
  c('sim: --scale 0', 'sim', ['--scale', '0', ...OUT], /--scale/),
  c('sim: --scale 2', 'sim', ['--scale', '2', ...OUT], /--scale/),
  c('sim: --scale abc', 'sim', ['--scale', 'abc', ...OUT], /--scale/),
  c('sim: --seed -1', 'sim', ['--seed', '-1', ...OUT], /--seed/),
  c('sim: --seed 1.5', 'sim', ['--seed', '1.5', ...OUT], /--seed/),
  c('sim: --hours 0', 'sim', ['--hours', '0', ...OUT], /--hours/),
  c('sim: --hours 1000', 'sim', ['--hours', '1000', ...OUT], /--hours/),
  c('sim: --warmup-hours -1', 'sim', ['--warmup-hours', '-1', ...OUT], /--warmup-hours/),
  c('sim: --edge-cache 12XB', 'sim', ['--edge-cache', '12XB', ...OUT], /--edge-cache/),
  c('sim: --rec-cache -5GB', 'sim', ['--rec-cache', '-5GB', ...OUT], /--rec-cache/),
  c('sim: --policy fifo2', 'sim', ['--policy', 'fifo2', ...OUT], /--policy|fifo2/),
  c('sim: --hit-level origin', 'sim', ['--hit-level', 'origin', ...OUT], /--hit-level|origin/),
  c('sim: --alpha 0', 'sim', ['--alpha', 'video=0', ...OUT], /alpha/),
  c('sim: --edges with an unknown region', 'sim', ['--edges', 'XX=4', ...OUT], /--edges|XX/),
  c('sim: --set without a value', 'sim', ['--set', 'static.defaultTtl', ...OUT], /--set|static\.defaultTtl/),
  c('tune: --scale 2', 'tune', ['--stack', 'prod', '--scale', '2', ...OUT], /--scale/),
  c('tune: --budget-usd -5', 'tune', ['--stack', 'prod', '--budget-usd', '-5', ...OUT], /--budget-usd/),
  c('tune: --seed x', 'tune', ['--stack', 'prod', '--seed', 'x', ...OUT], /--seed/),
  c('warm: --rate 0', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--rate', '0', '--dry-run', ...OUT], /--rate/),
  c('warm: --concurrency 0', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--concurrency', '0', '--dry-run', ...OUT], /--concurrency/),
  c('warm: --top -3', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--top', '-3', '--dry-run', ...OUT], /--top/),
  c('warm: --min-hit-ratio 2', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--min-hit-ratio', '2', '--dry-run', ...OUT], /--min-hit-ratio/),
  c('warm: --priority urgent', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--priority', 'urgent', '--dry-run', ...OUT], /--priority|urgent/),
  c('warm: an unknown content type', 'warm', ['--plan', '$T/plan.json', '--content-type', 'podcasts', '--dry-run', ...OUT], /podcasts/),
  c('images: --quality 0', 'images', ['--dir', '$T/photos', '--quality', '0', 'optimize', ...OUT], /--quality/),
  c('images: --ssim 2', 'images', ['--dir', '$T/photos', '--ssim', '2', 'optimize', ...OUT], /--ssim/),
  c('images: --sizes abc', 'images', ['--dir', '$T/photos', '--sizes', 'abc', 'optimize', ...OUT], /--sizes|abc/),
  c('images: --max-pixels -1', 'images', ['--dir', '$T/photos', '--max-pixels', '-1', 'optimize', ...OUT], /--max-pixels/),
  c('images: --formats gif', 'images', ['--dir', '$T/photos', '--formats', 'gif', 'optimize', ...OUT], /--formats|gif/),
  c('images: --aspect 16-9', 'images', ['--dir', '$T/photos', '--aspect', '16-9', 'optimize', ...OUT], /--aspect|16-9/),
  c('compression: --requests-per-month -5', 'compression', ['--dir', '$T/static', '--requests-per-month', '-5', ...OUT], /--requests-per-month/),
  c('compression: --price-group XX', 'compression', ['--dir', '$T/static', '--price-group', 'XX', ...OUT], /--price-group|XX/),
  c('local: --port 70000', 'local', ['--port', '70000', '--dry-run'], /--port/),
  c('local: --capacity-mb 0', 'local', ['--capacity-mb', '0', '--dry-run'], /--capacity-mb/),
  c('local: --pops empty', 'local', ['--pops', '', '--dry-run'], /--pops/),
  c('invalidate: --max-overinvalidation -5', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', '--max-overinvalidation', '-5', '/a/b.m3u8'], /--max-overinvalidation/),
  c('invalidate: --month-to-date -1', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '-1', '/a/b.m3u8'], /--month-to-date/),
  c('invalidate: --batch-paths 5000', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', '--batch-paths', '5000', '/a/b.m3u8'], /--batch-paths/),
  c('invalidate: --objective speed', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', '--objective', 'speed', '/a/b.m3u8'], /--objective|speed/),
  c('invalidate: --list-origin all', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', '--list-origin', 'all', '/a/b.m3u8'], /--list-origin/),
  c('report: --from garbage', 'report', ['--plan', '$T/plan.json', '--from', 'yesterday-ish', '--to', '2026-11-02', ...OUT], /--from|yesterday-ish/),
  c('report: --to before --from', 'report', ['--plan', '$T/plan.json', '--from', '2026-11-02', '--to', '2026-11-01', ...OUT], /--to|--from/),
  c('cost: --from month 13', 'cost', ['--plan', '$T/plan.json', '--from', '2025-13-01', '--to', '2026-01-01', ...OUT], /--from|2025-13-01/),
  c('cost: --usage without --offline', 'cost', ['--plan', '$T/plan.json', '--from', '2026-11-01', '--to', '2026-12-01', '--usage', '$T/usage.json', ...OUT], /--usage|--offline/),
  c('cost: --price-class PriceClass_42', 'cost', ['--plan', '$T/plan.json', '--offline', '--price-class', 'PriceClass_42', ...OUT], /--price-class|PriceClass_42/),
  // files
  c('sim: a missing plan file', 'sim', ['--plan', '$T/missing.json', ...OUT], /missing\.json/),
  c('sim: a plan file that is not JSON', 'sim', ['--plan', '$T/not-json.json', ...OUT], /not-json\.json/),
  c('sim: a JSON file that is not a plan', 'sim', ['--plan', '$T/not-a-plan.json', ...OUT], /not-a-plan\.json|plan/),
  c('sim: an empty plan file', 'sim', ['--plan', '$T/empty.json', ...OUT], /empty\.json/),
  c('sim: a missing trace', 'sim', ['--trace', '$T/missing.bin', '--format', 'oracle-general', '--cache-size', '1000', ...OUT], /missing\.bin/),
  c('sim: --cache-size 0', 'sim', ['--trace', '$T/garbage.bin', '--format', 'oracle-general', '--cache-size', '0', ...OUT], /--cache-size/),
  c('sim: an unknown trace format', 'sim', ['--trace', '$T/garbage.bin', '--format', 'pcap', '--cache-size', '1000', ...OUT], /--format|pcap/),
  c('sim: a CSV trace without its columns', 'sim', ['--trace', '$T/bad.csv', '--format', 'csv', '--cache-size', '1000', ...OUT], /bad\.csv|column|header/),
  c('sim: a truncated gzip trace', 'sim', ['--trace', '$T/truncated.csv.gz', '--format', 'csv', '--cache-size', '1000', ...OUT], /truncated|gzip|unexpected end/i),
  c('sim: a release manifest that is not JSON', 'sim', ['--releases', '$T/not-json.json', ...OUT], /not-json\.json|--releases/),
  c('sim: --compare with one file', 'sim', ['--compare', '$T/not-a-plan.json', ...OUT], /--compare/),
  c('policy-check: a missing plan file', 'policy-check', ['--plan', '$T/missing.json', ...OUT], /missing\.json/),
  c('policy-check: a plan file that is not JSON', 'policy-check', ['--plan', '$T/not-json.json', ...OUT], /not-json\.json/),
  c('warm: a missing paths file', 'warm', ['--plan', '$T/plan.json', '--paths', '$T/missing.txt', '--dry-run', ...OUT], /missing\.txt/),
  c('warm: a release manifest that is not JSON', 'warm', ['--plan', '$T/plan.json', '--predict', '--evaluate', '--budget-gb', '1', '--releases', '$T/not-json.json', ...OUT], /not-json\.json|--releases/),
  c('warm: --predict without --budget-gb', 'warm', ['--plan', '$T/plan.json', '--predict', '--from-logs', '$T/logs', '--dry-run', ...OUT], /--budget-gb/),
  c('cost: a usage file that is not JSON', 'cost', ['--plan', '$T/plan.json', '--offline', '--usage', '$T/not-json.json', ...OUT], /not-json\.json/),
  c('cost: a usage file of the wrong shape', 'cost', ['--plan', '$T/plan.json', '--offline', '--usage', '$T/usage.json', ...OUT], /usage|transferGbByGroup/),
  c('compression: a missing folder', 'compression', ['--dir', '$T/missing-dir', ...OUT], /missing-dir/),
  c('images: a missing folder', 'images', ['--dir', '$T/missing-dir', 'optimize', ...OUT], /missing-dir/),
  c('report: --outputs that is not JSON', 'report', ['--outputs', '$T/not-json.json', '--from', '2026-11-01', '--to', '2026-11-02', ...OUT], /not-json\.json/),
  c('rollout: --outputs missing', 'rollout', ['--stack', 'prod', '--outputs', '$T/missing.json', 'status'], /missing\.json/),
  c('tag upload: a missing file', 'tag', ['--plan', '$T/plan.json', 'upload', '$T/missing.txt', '--key', 'static/x.txt', '--endpoint', 'http://127.0.0.1:9'], /missing\.txt/),
  // stack files and config
  c('plan: an unknown stack', 'plan', ['--stack', 'nosuch', ...OUT], /nosuch/),
  c('sim: an unknown stack', 'sim', ['--stack', 'nosuch', ...OUT], /nosuch/),
  c('plan: a stack file that is not YAML', 'plan', ['--dir', '$T/stack-bad-yaml', '--stack', 'prod', ...OUT], /Pulumi\.prod\.yaml|YAML/),
  c('plan: a config value out of its range', 'plan', ['--dir', '$T/stack-bad-value', '--stack', 'prod', ...OUT], /priceClass|PriceClass_999/),
  c('policy-check: a stack file that is not YAML', 'policy-check', ['--dir', '$T/stack-bad-yaml', '--stack', 'prod', ...OUT], /Pulumi\.prod\.yaml|YAML/),
  c('plan: --previous-outputs missing', 'plan', ['--stack', 'prod', '--previous-outputs', '$T/missing.json', ...OUT], /missing\.json/),
  // invalidation paths
  c('invalidate: a path without a leading slash', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', 'video/a.m3u8'], /video\/a\.m3u8/),
  c('invalidate: an empty path', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', ''], /path|empty/i),
  c('invalidate: a path with a control character', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', '/video/a\u0001.m3u8'], /control|\\u0001|character/i),
  c('invalidate: a path longer than CloudFront allows', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', `/video/${'a'.repeat(5000)}`], /long|4,?096|characters/i),
  c('invalidate: a dot-dot segment', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0', '--content-type', 'video', '--prefix', '../../etc/'], /\.\.|prefix/),
  c('invalidate: no paths at all', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--month-to-date', '0'], /path|nothing/i),
  c('invalidate: rollback to a time that is not one', 'invalidate', ['--plan', '$T/plan.json', 'rollback', '--to', 'yesterday', '/static/app.js'], /yesterday|--to/),
  c('tag apply: a prefix that escapes', 'tag', ['--plan', '$T/plan.json', 'apply', '--prefix', '../../', '--dry-run'], /\.\.|prefix/),
  c('tag upload: a key that escapes', 'tag', ['--plan', '$T/plan.json', 'upload', '$T/file.txt', '--key', '../../../trav1.txt', '--endpoint', 'http://127.0.0.1:9'], /trav1|\.\./),
  // endpoints
  c('report: --endpoint that is not a URL', 'report', ['--plan', '$T/plan.json', '--from', '2026-11-01', '--to', '2026-11-02', '--endpoint', 'not a url', ...OUT], /--endpoint|not a url/),
  c('cost: --endpoint with another scheme', 'cost', ['--plan', '$T/plan.json', '--from', '2026-11-01', '--to', '2026-11-02', '--endpoint', 'ftp://127.0.0.1:21', ...OUT], /--endpoint|ftp/),
  c('warm: a remote --endpoint without --allow-remote-endpoint', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--endpoint', 'http://10.1.2.3:4566', '--dry-run', ...OUT], /allow-remote-endpoint|10\.1\.2\.3/),
  c('report: a remote AWS_ENDPOINT_URL-like --endpoint', 'report', ['--plan', '$T/plan.json', '--from', '2026-11-01', '--to', '2026-11-02', '--endpoint', 'https://example.com', ...OUT], /allow-remote-endpoint|example\.com/),
  c('invalidate submit: a binary --manifest', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--offline', '--content-type', 'video', '--manifest', '$T/garbage.bin'], /garbage\.bin.*(not text|control character)/),
  c('invalidate submit: a --manifest of no key the stack serves', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--dry-run', '--offline', '--content-type', 'video', '--manifest', '$T/file.txt'], /--manifest .*file\.txt.* is under a folder the stack serves/),
  c('warm: --offline without --dry-run', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--offline', ...OUT], /--offline/),
  c('tag apply: --offline without --dry-run', 'tag', ['--plan', '$T/plan.json', 'apply', '--prefix', 'video/', '--offline'], /--offline/),
  c('invalidate submit: --offline without --dry-run', 'invalidate', ['--plan', '$T/plan.json', 'submit', '--offline', '/a.m3u8'], /--offline/),
  c('warm: an edge that is not the distribution', 'warm', ['--plan', '$T/plan.json', '--content-type', 'static', '--edges', 'https://evil.example.com', '--dry-run', ...OUT], /evil\.example\.com/),
  // output paths
  c('plan: --json is a directory', 'plan', ['--stack', 'prod', '--json', '$T/out-dir'], /out-dir/),
];

/** BAD_INPUTS_ONLY=<regex> runs the matching cases only (while fixing one command). */
const ONLY = process.env.BAD_INPUTS_ONLY ? new RegExp(process.env.BAD_INPUTS_ONLY) : undefined;
const SELECTED = ONLY ? CASES.filter((k) => ONLY.test(k.what)) : CASES;

describe('bad input across every command (exit 2, one error line, nothing left behind)', function () {
  this.timeout(1_200_000);
  let dir: string;
  const results = new Map<string, { code: number | null; stderr: string; stdout: string }>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bad-inputs-'));
    mkdirSync(join(dir, 'out-dir'));
    mkdirSync(join(dir, 'photos'));
    mkdirSync(join(dir, 'static'));
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'not-json.json'), '{ this is not json');
    writeFileSync(join(dir, 'not-a-plan.json'), JSON.stringify({ hello: 'world' }));
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'usage.json'), JSON.stringify({ transferGbByGroup: 'lots', requestsByGroup: {}, httpsShare: 1 }));
    writeFileSync(join(dir, 'garbage.bin'), Buffer.alloc(25, 7));
    writeFileSync(join(dir, 'bad.csv'), 'a;b;c\n1;2;3\n');
    writeFileSync(join(dir, 'truncated.csv.gz'), gzipSync(Buffer.from('timestamp,key,size\n'.repeat(2000))).subarray(0, 200));
    writeFileSync(join(dir, 'file.txt'), 'canary');
    const prodStack = readFileSync(join(REPO, 'Pulumi.prod.yaml'), 'utf8');
    expect(prodStack).to.include('media-cdn:priceClass: PriceClass_All');
    for (const [name, text] of [['stack-bad-yaml', 'config:\n  media-cdn:priceClass: [unclosed\n'], ['stack-bad-value', prodStack.replace('media-cdn:priceClass: PriceClass_All', 'media-cdn:priceClass: PriceClass_999')]] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'Pulumi.prod.yaml'), text);
    }
    // one plan for every case that is not about the stack itself
    const plan = spawnSync(process.execPath, [TSX, join(REPO, 'scripts', 'plan.ts'), '--stack', 'prod', '--json', join(dir, 'plan.json'), '--quiet'], { cwd: REPO, encoding: 'utf8' });
    expect(plan.status, plan.stderr).to.equal(0);
    // at most 4 processes at a time
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < SELECTED.length) {
        const k = SELECTED[next++]!;
        results.set(k.what, await run(k));
      }
    }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(k: Case): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const script = join(REPO, 'scripts', `${k.script}.ts`);
    const outDir = join(dir, 'out', String(CASES.indexOf(k)));
    mkdirSync(outDir, { recursive: true });
    const args = k.args.map((a) => a.replace('$T', dir).replace('$O', outDir));
    const child = spawn(process.execPath, [TSX, script, ...args], {
      cwd: REPO,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    return new Promise((resolve) => child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); }));
  }

  it(`covers at least 80 bad inputs (${CASES.length})`, () => expect(CASES.length).to.be.at.least(80));

  for (const k of SELECTED) {
    it(k.what, () => {
      const r = results.get(k.what)!;
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      const context = `exit ${r.code}\nstderr:\n${r.stderr.slice(0, 2000)}\nstdout:\n${r.stdout.slice(0, 500)}`;
      expect(r.code, context).to.equal(2);
      expect(errors, context).to.have.length(1);
      expect(errors[0], context).to.match(k.line);
      expect(r.stderr + r.stdout, context).to.not.match(/^\s+at .+[:(]\d+/m);
      expect(readdirSync(join(dir, 'out', String(CASES.indexOf(k)))), 'no output or temp file left').to.deep.equal([]);
      expect(readdirSync(join(dir, 'out-dir')), 'nothing written into a directory given as --json').to.deep.equal([]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp')), 'no temp file beside an output path').to.deep.equal([]);
    });
  }
});
