/**
 * The typed option declarations of the command-line shell (adapters/command-line.ts): numbers with
 * bounds, choices, lists and defaults are parsed once, with one error line per bad value naming the
 * flag, the value and what it must be.
 */
import { expect } from 'chai';
import { helpText, parseCommandLine, type CommandSpec, type Options } from '../../adapters/command-line';
import { InputError, problemsOf } from '../../lib/errors';

const SPEC = {
  usage: 'npm run x --',
  summary: 'test',
  options: {
    name: { type: 'string' },
    prefix: { type: 'string', multiple: true },
    quiet: { type: 'boolean' },
    concurrency: { type: 'number', integer: true, min: 1, max: 256, default: 16 },
    'budget-gb': { type: 'number', min: 0, exclusiveMin: true },
    share: { type: 'number', min: 0, max: 1, describe: 'a share between 0 and 1' },
    'month-to-date': { type: 'number', integer: true, min: 0 },
    mode: { type: 'choice', choices: ['auto', 'on', 'off'], default: 'auto' },
    objective: { type: 'choice', choices: ['paths', 'cost'] },
  },
  help: { name: '', prefix: '', quiet: '', concurrency: '', 'budget-gb': '', share: '', 'month-to-date': '', mode: '', objective: '' },
} as const satisfies CommandSpec<Options>;

describe('typed command-line options (adapters/command-line.ts)', () => {
  it('parses every kind into its type and fills defaults', () => {
    const { values } = parseCommandLine(SPEC, ['--name', 'a', '--prefix', 'x/', '--prefix', 'y/', '--quiet', '--concurrency', '8', '--budget-gb', '0.5', '--share', '1', '--month-to-date', '0', '--objective', 'cost']);
    expect(values).to.deep.equal({ name: 'a', prefix: ['x/', 'y/'], quiet: true, concurrency: 8, 'budget-gb': 0.5, share: 1, 'month-to-date': 0, mode: 'auto', objective: 'cost' });
    const n: number = values.concurrency; // typed: no cast needed, present thanks to the default
    const m: 'auto' | 'on' | 'off' = values.mode;
    expect([n, m]).to.deep.equal([8, 'auto']);
  });

  it('leaves options without a default absent', () => {
    expect(parseCommandLine(SPEC, []).values).to.deep.equal({ concurrency: 16, mode: 'auto' });
  });

  const bad: [string, string[], string][] = [
    ['a word for a whole number', ['--concurrency', 'lots'], "--concurrency must be a whole number from 1 to 256, got 'lots'."],
    ['a fraction for a whole number', ['--concurrency', '1.5'], "--concurrency must be a whole number from 1 to 256, got '1.5'."],
    ['a number above the maximum', ['--concurrency', '257'], "--concurrency must be a whole number from 1 to 256, got '257'."],
    ['a number below the minimum', ['--concurrency', '0'], "--concurrency must be a whole number from 1 to 256, got '0'."],
    ['hexadecimal', ['--concurrency', '0x10'], "--concurrency must be a whole number from 1 to 256, got '0x10'."],
    ['an empty value', ['--concurrency', ''], "--concurrency must be a whole number from 1 to 256, got ''."],
    ['zero where the minimum is excluded', ['--budget-gb', '0'], "--budget-gb must be a positive number, got '0'."],
    ['infinity', ['--budget-gb', 'Infinity'], "--budget-gb must be a positive number, got 'Infinity'."],
    ['a value outside a described range', ['--share', '1.2'], "--share must be a share between 0 and 1, got '1.2'."],
    ['a negative count', ['--month-to-date=-1'], "--month-to-date must be a whole number ≥ 0, got '-1'."],
    ['a word outside three choices', ['--mode', 'maybe'], "--mode must be 'auto', 'on' or 'off', got 'maybe'."],
    ['a word outside two choices', ['--objective', 'speed'], "--objective must be 'paths' or 'cost', got 'speed'."],
  ];
  for (const [name, argv, problem] of bad) {
    it(`refuses ${name} with one line naming the flag, the value and what it must be`, () => {
      expect(problemsOf(() => parseCommandLine(SPEC, argv))).to.deep.equal([problem]);
    });
  }

  it('reports every bad value at once, and an unknown option as before', () => {
    expect(problemsOf(() => parseCommandLine(SPEC, ['--concurrency', '0', '--mode', 'x', '--share=-1']))).to.have.length(3);
    expect(() => parseCommandLine(SPEC, ['--nope'])).to.throw(InputError, /Unknown option '--nope'; see 'npm run x -- --help'\./);
  });

  it('shows <val> for every option that takes a value in --help', () => {
    const help = helpText(SPEC);
    expect(help).to.match(/--concurrency <val>/).and.match(/--mode <val>/).and.match(/--quiet {2}/);
  });
});
