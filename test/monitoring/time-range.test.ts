import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import { monthsIn, parseTimeRange, seriesPeriodSeconds, wholeRangePeriodSeconds } from '../../lib/monitoring/time-range';

const NOW = new Date('2026-03-20T12:00:00Z');
const problems = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  return [];
};

describe('report and cost time ranges', () => {
  const good: [string, string, string, string][] = [
    ['2026-03-01', '2026-03-08', '2026-03-01T00:00:00.000Z', '2026-03-08T00:00:00.000Z'],
    ['2026-03-01T06:00:00Z', '2026-03-01T12:30:00+01:00', '2026-03-01T06:00:00.000Z', '2026-03-01T11:30:00.000Z'],
  ];
  for (const [from, to, f, t] of good) {
    it(`reads --from ${from} --to ${to} as UTC instants`, () => {
      const r = parseTimeRange(from, to, { now: NOW });
      expect([r.from.toISOString(), r.to.toISOString()]).to.deep.equal([f, t]);
    });
  }

  const bad: [string, string | undefined, string | undefined, string[]][] = [
    ['missing dates', undefined, undefined, ['--from is required', '--to is required']],
    ['a date that does not exist', '2026-02-30', '2026-03-01', ["--from '2026-02-30' is not a date"]],
    ['a time without a zone', '2026-03-01T00:00:00', '2026-03-02', ["--from '2026-03-01T00:00:00' is not a date"]],
    ['a reversed range', '2026-03-08', '2026-03-01', ["--to '2026-03-01' must be after --from '2026-03-08'"]],
    ['a range in the future', '2026-04-01', '2026-04-02', ["--from '2026-04-01' is in the future"]],
    ['a range longer than CloudWatch keeps', '2024-01-01', '2026-01-01', ['longer than 455 days']],
  ];
  for (const [name, from, to, expected] of bad) {
    it(`rejects ${name}, with one problem per mistake`, () => {
      const got = problems(() => parseTimeRange(from, to, { now: NOW }));
      expect(got).to.have.length(expected.length);
      expected.forEach((e, i) => expect(got[i]).to.contain(e));
    });
  }

  const periods: [string, string, number][] = [
    ['2026-03-20T00:00:00Z', '2026-03-20T12:00:00Z', 60], // 12 h of recent data: minutes
    ['2026-03-13T00:00:00Z', '2026-03-20T00:00:00Z', 3600], // a week: 10,080 minutes is too many, hours
    ['2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z', 300], // older than 15 days: 5-minute data only
    ['2025-12-01T00:00:00Z', '2025-12-02T00:00:00Z', 3600], // older than 63 days: hourly only
  ];
  for (const [from, to, period] of periods) {
    it(`draws ${from} to ${to} with ${period}-second points`, () => {
      expect(seriesPeriodSeconds({ from: new Date(from), to: new Date(to) }, NOW)).to.equal(period);
    });
  }

  it('covers the whole range with one period, in whole hours', () => {
    expect(wholeRangePeriodSeconds({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T00:30:00Z') })).to.equal(3600);
    expect(wholeRangePeriodSeconds({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') })).to.equal(604800);
  });

  it('counts months of 30.4375 days', () => {
    expect(monthsIn({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-31T10:30:00Z') })).to.equal(1);
  });
});
