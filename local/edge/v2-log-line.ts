/**
 * The local edge's standard logging v2 lines (the fields the S3 delivery records,
 * lib/analytics/log-table.ts) as tab-separated text under a `#Fields:` header: the spool from which
 * parquet-access-log.ts writes each hour's Parquet file. Values are written as the v1 log writes them
 * (access-log.ts: percent-escaped text, seconds with three decimals, `-` for an absent value, which
 * becomes NULL in Parquet), so v1 and v2 logs of one request agree. Pure.
 *
 * Spool file names follow the v1 names, `<distribution id>.<YYYY-MM-DD-HH>.<writer id>.spool`.
 */
import { ANALYTICS_RECORD_FIELDS } from '../../lib/analytics/log-table';
import { LOG_FIELDS } from '../../lib/monitoring/log-fields';
import { dateTime, hourBucket, logEscape, seconds, type AccessLogRecord } from './access-log';

/** The v2 fields of a spool line, in the delivery's order. */
export const V2_LOG_FIELDS: readonly string[] = ANALYTICS_RECORD_FIELDS;

export const V2_SPOOL_HEADER = `#Version: 1.0\n#Fields: ${V2_LOG_FIELDS.join(' ')}\n`;

/** Extension of spool files (not a log extension: readers of the log folder skip them). */
export const SPOOL_EXTENSION = '.spool';

const VALUE: Readonly<Record<string, (r: AccessLogRecord) => string | number>> = {
  [LOG_FIELDS.date]: (r) => dateTime(r.startMs), // date and time, tab-separated
  [LOG_FIELDS.edgeLocation]: (r) => r.edgeLocation,
  [LOG_FIELDS.bytes]: (r) => r.scBytes,
  [LOG_FIELDS.method]: (r) => r.method,
  [LOG_FIELDS.path]: (r) => logEscape(r.uriStem),
  [LOG_FIELDS.status]: (r) => r.status,
  [LOG_FIELDS.resultType]: (r) => r.resultType,
  [LOG_FIELDS.requestId]: (r) => r.requestId,
  [LOG_FIELDS.protocol]: (r) => r.protocol,
  [LOG_FIELDS.timeTaken]: (r) => seconds(r.timeTakenMs),
  [LOG_FIELDS.responseResultType]: (r) => r.responseResultType,
  [LOG_FIELDS.timeToFirstByte]: (r) => seconds(r.timeToFirstByteMs),
  [LOG_FIELDS.detailedResultType]: (r) => r.detailedResultType,
  [LOG_FIELDS.contentType]: (r) => logEscape(r.contentType),
  [LOG_FIELDS.country]: (r) => logEscape(r.country),
};

/** The formatters of the fields, in order (`date` yields date and time; `time` is skipped). */
const FORMATTERS = V2_LOG_FIELDS.filter((f) => f !== LOG_FIELDS.time).map((f) => {
  const fn = VALUE[f];
  if (!fn) throw new Error(`the local edge's v2 log has no value for field '${f}'`);
  return fn;
});
if (V2_LOG_FIELDS[0] !== LOG_FIELDS.date || V2_LOG_FIELDS[1] !== LOG_FIELDS.time) throw new Error('v2 log fields must start with date, time');

/** One spool line (without the newline), fields in {@link V2_LOG_FIELDS} order. */
export function formatV2Line(r: AccessLogRecord): string {
  return FORMATTERS.map((f) => f(r)).join('\t');
}

/** The spool file name of `distributionId`'s lines of the hour containing `ms`, by writer `writerId`. */
export function spoolFileName(distributionId: string, ms: number, writerId: string): string {
  return `${distributionId}.${hourBucket(ms)}.${writerId}${SPOOL_EXTENSION}`;
}

/** What a spool file's name says; undefined for other files. */
export function parseSpoolFileName(name: string): { distributionId: string; hour: string; base: string } | undefined {
  const m = /^([A-Z0-9]+)\.([0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2})\.([A-Za-z0-9_-]+)\.spool$/.exec(name);
  return m ? { distributionId: m[1]!, hour: m[2]!, base: name.slice(0, -SPOOL_EXTENSION.length) } : undefined;
}
