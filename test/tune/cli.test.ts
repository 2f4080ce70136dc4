import { expect } from 'chai';
import { runScript } from '../helpers/run-cli';

function tuneCli(args: string[]) {
  return runScript('scripts/tune.ts', ['--quiet', ...args]);
}

describe('npm run tune (scripts/tune.ts): help and bad input', function () {
  this.timeout(120_000);

  it('prints help and exits 0', () => {
    const r = tuneCli(['--help']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.contain('Usage: npm run tune --').and.to.contain('--budget-usd').and.to.contain('--write');
  });

  const bad: [string, string[], string[]][] = [
    ['no --stack', [], ['error: --stack is required; use one of: prod, staging.']],
    ['an unknown stack', ['--stack', 'qa'], ["error: --stack 'qa' has no Pulumi.qa.yaml; use one of: prod, staging."]],
    ['a budget, seed and scale out of range, one line each', ['--stack', 'prod', '--budget-usd=-5', '--seed', '1.5', '--scale', '2'], [
      "error: --budget-usd must be a positive number of USD per month, e.g. 650000, got '-5'.",
      "error: --seed must be a whole number from 0 to 4294967295, got '1.5'.",
      "error: --scale must be a number in (0, 1], e.g. 0.005, got '2'.",
    ]],
    ['a stray argument', ['--stack', 'prod', 'now'], ["error: Unexpected argument 'now'. This command does not take positional arguments; see 'npm run tune -- --help'."]],
  ];
  for (const [what, args, lines] of bad) {
    it(`exits 2 with one line per problem on ${what}, changing nothing`, () => {
      const r = tuneCli(args);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr.trim().split('\n')).to.deep.equal(lines);
      expect(r.stdout).to.equal('');
    });
  }

  it('exits 2 on an unknown option', () => {
    const r = tuneCli(['--stack', 'prod', '--fast']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.contain("Unknown option '--fast'");
  });
});
