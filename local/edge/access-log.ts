/**
 * CloudFront standard access logs (legacy, v1) in the real format (spec §11): `#Version` and `#Fields`
 * header lines, then one tab-separated line of 33 fields per request, `-` for empty values, times in
 * UTC. Files are named like CloudFront's, `<distribution id>.<YYYY-MM-DD-HH>.<unique id>`, one per hour
 * (and per writer), so the simulator and the report read them unchanged.
 *
 * Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { STANDARD_LOG_FIELDS } from '../../lib/semantics/logs';

export { STANDARD_LOG_FIELDS };

export const LOG_HEADER = `#Version: 1.0\n#Fields: ${STANDARD_LOG_FIELDS.join(' ')}\n`;

/** One request as the edge logs it. */
export interface AccessLogRecord {
  /** When the request arrived, epoch ms. */
  readonly startMs: number;
  readonly edgeLocation: string;
  /** Bytes sent to the viewer, headers included. */
  readonly scBytes: number;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly method: string;
  /** The distribution's domain name (`cs(Host)`). */
  readonly distributionDomain: string;
  /** The Host header the viewer sent (`x-host-header`). */
  readonly hostHeader: string;
  readonly uriStem: string;
  /** Raw query without `?`; empty for none. */
  readonly uriQuery: string;
  readonly status: number;
  readonly referer?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly resultType: string;
  readonly responseResultType: string;
  readonly detailedResultType: string;
  readonly requestId: string;
  readonly protocol: 'http' | 'https';
  readonly protocolVersion: string;
  /** Bytes of the request (line, headers, body). */
  readonly csBytes: number;
  readonly timeTakenMs: number;
  readonly timeToFirstByteMs: number;
  readonly contentType?: string | undefined;
  readonly contentLength?: number | undefined;
  readonly rangeStart?: number | undefined;
  readonly rangeEnd?: number | undefined;
  /** Viewer country (ISO 3166-1 alpha-2, upper case) when known; a v2-only field (`c-country`). */
  readonly country?: string | undefined;
}

/** Percent-encodes what a log field cannot hold raw: whitespace, control and non-ASCII characters, quotes and backslashes. */
const NEEDS_ESCAPE = /[^\x21-\x7e]|["\\]/u;

export function logEscape(s: string | undefined): string {
  if (s === undefined || s === '') return '-';
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[^\x21-\x7e]|["\\]/gu, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Milliseconds as seconds with three decimals ("0.012"), without toFixed. */
export function seconds(ms: number): string {
  const r = Math.max(0, Math.round(ms));
  const frac = r % 1000;
  return `${(r - frac) / 1000}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

let lastSecond = NaN;
let lastDateTime = '';

/** `date` and `time` fields (UTC) of an instant, tab-separated, cached per second. */
export function dateTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    const d = new Date(sec * 1000);
    lastSecond = sec;
    lastDateTime = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}\t${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  return lastDateTime;
}

/**
 * Runs of fields that repeat from one request to the next (a viewer fetching segments of one object
 * from one edge location): each is rebuilt only when one of its inputs changed.
 */
const viewerRun = { ip: '', method: '', domain: '', stem: '', status: -1, referer: '' as string | undefined, agent: '' as string | undefined, query: '', result: '', text: '' };
const hostRun = { host: '', protocol: '', text: '' };
const tlsRun = { protocol: '', result: '', version: '', text: '' };
const contentRun = { detailed: '', type: '' as string | undefined, length: -2 as number | undefined, start: -2 as number | undefined, end: -2 as number | undefined, text: '' };

/** c-ip … x-edge-result-type */
function viewerFields(r: AccessLogRecord): string {
  const v = viewerRun;
  if (r.clientIp !== v.ip || r.method !== v.method || r.distributionDomain !== v.domain || r.uriStem !== v.stem || r.status !== v.status ||
    r.referer !== v.referer || r.userAgent !== v.agent || r.uriQuery !== v.query || r.resultType !== v.result || v.text === '') {
    v.ip = r.clientIp; v.method = r.method; v.domain = r.distributionDomain; v.stem = r.uriStem; v.status = r.status;
    v.referer = r.referer; v.agent = r.userAgent; v.query = r.uriQuery; v.result = r.resultType;
    v.text = [r.clientIp, r.method, r.distributionDomain, logEscape(r.uriStem), r.status, logEscape(r.referer), logEscape(r.userAgent), logEscape(r.uriQuery), '-', r.resultType].join('\t');
  }
  return v.text;
}

/** x-host-header, cs-protocol */
function hostFields(r: AccessLogRecord): string {
  const h = hostRun;
  if (r.hostHeader !== h.host || r.protocol !== h.protocol || h.text === '') {
    h.host = r.hostHeader; h.protocol = r.protocol;
    h.text = `${logEscape(r.hostHeader)}\t${r.protocol}`;
  }
  return h.text;
}

/** x-forwarded-for … fle-encrypted-fields */
function tlsFields(r: AccessLogRecord): string {
  const t = tlsRun;
  if (r.protocol !== t.protocol || r.responseResultType !== t.result || r.protocolVersion !== t.version || t.text === '') {
    t.protocol = r.protocol; t.result = r.responseResultType; t.version = r.protocolVersion;
    const https = r.protocol === 'https';
    t.text = ['-', https ? 'TLSv1.3' : '-', https ? 'TLS_AES_128_GCM_SHA256' : '-', r.responseResultType, r.protocolVersion, '-', '-'].join('\t');
  }
  return t.text;
}

/** x-edge-detailed-result-type … sc-range-end */
function contentFields(r: AccessLogRecord): string {
  const c = contentRun;
  if (r.detailedResultType !== c.detailed || r.contentType !== c.type || r.contentLength !== c.length || r.rangeStart !== c.start || r.rangeEnd !== c.end || c.text === '') {
    c.detailed = r.detailedResultType; c.type = r.contentType; c.length = r.contentLength; c.start = r.rangeStart; c.end = r.rangeEnd;
    c.text = [r.detailedResultType, logEscape(r.contentType), r.contentLength === undefined ? '-' : r.contentLength, r.rangeStart === undefined ? '-' : r.rangeStart,
      r.rangeEnd === undefined ? '-' : r.rangeEnd].join('\t');
  }
  return c.text;
}

/** One tab-separated log line (without the newline), fields in {@link STANDARD_LOG_FIELDS} order. */
export function formatLogLine(r: AccessLogRecord): string {
  return [
    dateTime(r.startMs), r.edgeLocation, r.scBytes, viewerFields(r), r.requestId, hostFields(r), r.csBytes, seconds(r.timeTakenMs), tlsFields(r),
    r.clientPort, seconds(r.timeToFirstByteMs), contentFields(r),
  ].join('\t');
}

/** The hour bucket of a file name, `YYYY-MM-DD-HH` (UTC). */
export function hourBucket(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}`;
}

/** Lines buffered before they are appended to their file. */
const BATCH_LINES = 256;

/**
 * Buffers log lines and appends them to hourly files in `dir`, in batches of {@link BATCH_LINES}, on
 * `flush()`, every `flushIntervalMs` (timer) and on `close()`.
 */
export class AccessLogWriter {
  private readonly pending = new Map<string, string[]>();
  private readonly timer?: NodeJS.Timeout;
  private readonly unique: string;
  /** Lines written since start. */
  linesWritten = 0;

  constructor(readonly dir: string, readonly distributionId: string, opts: { flushIntervalMs?: number; uniqueId?: string } = {}) {
    mkdirSync(dir, { recursive: true });
    this.unique = opts.uniqueId ?? `LOCAL${process.pid.toString(36).toUpperCase()}${Date.now().toString(36).toUpperCase()}`;
    const every = opts.flushIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => this.flush(), every);
      this.timer.unref();
    }
  }

  /** The file that holds lines of the hour containing `ms`. */
  fileFor(ms: number): string {
    return join(this.dir, `${this.distributionId}.${hourBucket(ms)}.${this.unique}`);
  }

  private lastHour = NaN;
  private lastFile = '';

  write(r: AccessLogRecord): void {
    const hour = Math.floor(r.startMs / 3_600_000);
    if (hour !== this.lastHour) {
      this.lastHour = hour;
      this.lastFile = this.fileFor(r.startMs);
    }
    const file = this.lastFile;
    let lines = this.pending.get(file);
    if (lines === undefined) {
      lines = [];
      this.pending.set(file, lines);
    }
    lines.push(formatLogLine(r));
    // write small batches often: lines held for a second would survive into the old generation and
    // make garbage collection, not logging, the cost of a busy edge
    if (lines.length >= BATCH_LINES) this.flush();
  }

  /** Appends every buffered line to its file (creating files with the header lines). */
  flush(): void {
    for (const [file, lines] of this.pending) {
      if (lines.length === 0) continue;
      const head = existsSync(file) ? '' : LOG_HEADER;
      appendFileSync(file, `${head}${lines.join('\n')}\n`);
      this.linesWritten += lines.length;
    }
    this.pending.clear();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}
