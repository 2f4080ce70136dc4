/**
 * The `--from` / `--to` range of the report and cost scripts, and the CloudWatch period that fits it
 * (spec §12: 1-minute points are kept 15 days, 5-minute 63 days, hourly 455 days).
 */
import { InputError, show } from '../errors';

export interface TimeRange {
  readonly from: Date;
  /** Exclusive end. */
  readonly to: Date;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/** Parses `YYYY-MM-DD` (UTC midnight) or an ISO date-time with a zone; null when invalid. */
export function parseDateArg(text: string): Date | null {
  if (!DATE_RE.test(text) && !DATETIME_RE.test(text)) return null;
  const d = new Date(DATE_RE.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime())) return null;
  if (DATE_RE.test(text) && d.toISOString().slice(0, 10) !== text) return null; // 2026-02-30
  return d;
}

export interface RangeOptions {
  readonly now?: Date;
  /** Longest range accepted, days. */
  readonly maxDays?: number;
  /** Latest allowed `to`; default `now` (no future data). */
  readonly allowFuture?: boolean;
}

/**
 * Validates `--from` and `--to`.
 * @throws InputError listing every problem (missing, malformed, reversed, too long, in the future).
 */
export function parseTimeRange(from: string | undefined, to: string | undefined, opts: RangeOptions = {}): TimeRange {
  const problems: string[] = [];
  const now = opts.now ?? new Date();
  const parsed = ([['--from', from], ['--to', to]] as const).map(([flag, text]) => {
    if (text === undefined) {
      problems.push(`${flag} is required: a date such as 2026-03-01 (UTC) or a time such as 2026-03-01T12:00:00Z.`);
      return null;
    }
    const d = parseDateArg(text);
    if (!d) problems.push(`${flag} ${show(text)} is not a date; use YYYY-MM-DD (UTC) or an ISO time with a zone such as 2026-03-01T12:00:00Z.`);
    return d;
  });
  const [f, t] = parsed;
  if (f && t) {
    if (t.getTime() <= f.getTime()) problems.push(`--to ${show(to)} must be after --from ${show(from)}; the range is [from, to).`);
    if (!opts.allowFuture && f.getTime() > now.getTime()) problems.push(`--from ${show(from)} is in the future; there is no data yet.`);
    const maxDays = opts.maxDays ?? 455;
    if (t.getTime() - f.getTime() > maxDays * DAY_MS) problems.push(`the range ${show(from)} to ${show(to)} is longer than ${maxDays} days; CloudWatch keeps hourly data 455 days (spec §12), so shorten it.`);
  }
  if (problems.length > 0) throw new InputError(problems);
  return { from: f!, to: t! };
}

/**
 * A period (seconds) for series over the range: the finest of 60 / 300 / 3600 / 86400 that the data
 * still has at the range's start and that keeps a series under `maxPoints` points.
 */
export function seriesPeriodSeconds(range: TimeRange, now: Date = new Date(), maxPoints = 1440): number {
  const ageDays = (now.getTime() - range.from.getTime()) / DAY_MS;
  const span = (range.to.getTime() - range.from.getTime()) / 1000;
  const minByAge = ageDays > 63 ? 3600 : ageDays > 15 ? 300 : 60;
  for (const p of [60, 300, 3600, 86400]) {
    if (p >= minByAge && span / p <= maxPoints) return p;
  }
  return 86400;
}

/** One period covering the whole range (rounded up to whole hours), for range totals. */
export function wholeRangePeriodSeconds(range: TimeRange): number {
  const span = Math.ceil((range.to.getTime() - range.from.getTime()) / 1000);
  return Math.max(3600, Math.ceil(span / 3600) * 3600);
}

/** The range's length in months of 30.4375 days (for per-month averages). */
export function monthsIn(range: TimeRange): number {
  return (range.to.getTime() - range.from.getTime()) / (30.4375 * DAY_MS);
}

/** `YYYY-MM-DD` of a date (UTC). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
