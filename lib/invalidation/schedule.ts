/**
 * Time-based invalidation: validation of `--at` times and cron schedules, and their next run.
 * Cron expressions have the five classic fields (minute hour day-of-month month day-of-week) and are
 * evaluated in UTC, like EventBridge Scheduler's `cron()` with no time zone.
 */
import { CronExpressionParser } from 'cron-parser';
import { InputError } from '../errors';
import { showValue } from '../semantics';

/**
 * Parses a five-field cron expression. @throws InputError naming the option, the expression and
 * the fix.
 */
export function parseCron(expression: string, option = '--cron'): { next(after: Date): Date } {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new InputError(`${option} ${showValue(expression)} has ${fields.length} field${fields.length === 1 ? '' : 's'}; give five (minute hour day-of-month month day-of-week), e.g. '0 */6 * * *' for every 6 hours.`);
  }
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
  } catch (e) {
    throw new InputError(`${option} ${showValue(expression)} is not a valid cron expression (${(e as Error).message}); e.g. '*/15 * * * *' for every 15 minutes.`);
  }
  return {
    next(after: Date): Date {
      return CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: after }).next().toDate();
    },
  };
}

/**
 * Parses an ISO 8601 time with a zone (`2025-06-01T02:00:00Z`, `...+02:00`).
 * @throws InputError naming the option and the value.
 */
export function parseIsoTime(value: string, option: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const d = new Date(value);
  if (!ok || Number.isNaN(d.getTime())) {
    throw new InputError(`${option} ${showValue(value)} is not an ISO 8601 time with a zone; use e.g. '2025-06-01T02:00:00Z'.`);
  }
  return d;
}
