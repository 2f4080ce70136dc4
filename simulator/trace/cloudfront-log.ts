/**
 * CloudFront standard access logs, version 1 (spec §11): tab-separated lines, `-` for empty fields,
 * with `#Version:` and `#Fields:` header lines naming the columns. Files may be gzip-compressed (as
 * CloudFront delivers them). Lines that cannot be read are counted, never fatal.
 *
 * Reference: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import { gunzipSync } from 'node:zlib';
import { MAX_EXAMPLES, StringIds, TraceBuilder, type Trace } from './trace';
import { STANDARD_LOG_FIELDS } from '../../lib/semantics/logs';

export { STANDARD_LOG_FIELDS };

/** Fields a line must have for the simulator to use it. */
const REQUIRED = ['date', 'time', 'x-edge-location', 'sc-bytes', 'cs-method', 'cs-uri-stem', 'sc-status'] as const;

export const RESULT_TYPES = ['Hit', 'RefreshHit', 'Miss', 'LimitExceeded', 'CapacityExceeded', 'Error', 'Redirect', 'LambdaExecutionError', 'OriginShieldHit', 'other'] as const;

/** A parsed log: one entry per request, struct-of-arrays; strings interned in tables. */
export interface CloudFrontLog {
  readonly length: number;
  /** Unix seconds. */
  readonly time: Float64Array;
  /** Index into `edges` (airport-coded edge location, e.g. 'IAD89-C1'). */
  readonly edge: Uint16Array;
  readonly edges: readonly string[];
  /** 0 GET, 1 HEAD, 2 other methods. */
  readonly method: Uint8Array;
  readonly status: Uint16Array;
  /** sc-bytes: bytes sent to the viewer, headers included. */
  readonly bytes: Float64Array;
  /** sc-content-len, or -1 when absent. */
  readonly contentLength: Float64Array;
  /** Index into `urls`: cs-uri-stem + ('?' + cs-uri-query when present). */
  readonly url: Int32Array;
  readonly urls: readonly string[];
  /** sc-range-start, or -1. */
  readonly rangeStart: Float64Array;
  /** Index into RESULT_TYPES of x-edge-detailed-result-type (x-edge-result-type when absent). */
  readonly result: Uint8Array;
  /** Index into `contentTypes` of sc-content-type ('' when absent). */
  readonly contentType: Uint16Array;
  readonly contentTypes: readonly string[];
  readonly malformed: number;
  readonly malformedExamples: readonly string[];
}

/** Text of a log file: gunzips when the bytes start with the gzip magic number. */
export function logText(bytes: Uint8Array): string {
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return Buffer.from(gz ? gunzipSync(bytes) : bytes).toString('utf8');
}

class Growable {
  time = new Float64Array(1024); edge = new Uint16Array(1024); method = new Uint8Array(1024); status = new Uint16Array(1024);
  bytes = new Float64Array(1024); contentLength = new Float64Array(1024); url = new Int32Array(1024); rangeStart = new Float64Array(1024);
  result = new Uint8Array(1024); contentType = new Uint16Array(1024);
  n = 0;
  ensure(): void {
    if (this.n < this.time.length) return;
    const m = this.n * 2;
    for (const k of ['time', 'edge', 'method', 'status', 'bytes', 'contentLength', 'url', 'rangeStart', 'result', 'contentType'] as const) {
      const old = this[k] as Float64Array;
      const next = new (old.constructor as Float64ArrayConstructor)(m);
      next.set(old);
      (this as unknown as Record<string, unknown>)[k] = next;
    }
  }
}

const DEC = (s: string | undefined) => (s === undefined ? '' : s);

/**
 * Parses the text of one or more log files (concatenated). A file without a `#Fields:` line is read
 * with the standard 33-field order.
 */
export function parseCloudFrontLogs(texts: readonly string[]): CloudFrontLog {
  const g = new Growable();
  const edges = new StringIds(), urls = new StringIds(), types = new StringIds();
  types.id('');
  let malformed = 0;
  const examples: string[] = [];
  const bad = (where: string, why: string) => { malformed++; if (examples.length < MAX_EXAMPLES) examples.push(`${where}: ${why}`); };
  texts.forEach((text, fileIndex) => {
    let fields: readonly string[] = STANDARD_LOG_FIELDS;
    let col = columnMap(fields);
    const lines = text.split(/\r?\n/);
    for (let ln = 0; ln < lines.length; ln++) {
      const line = lines[ln]!;
      if (line === '') continue;
      const where = texts.length > 1 ? `file ${fileIndex + 1} line ${ln + 1}` : `line ${ln + 1}`;
      if (line.startsWith('#')) {
        if (line.startsWith('#Fields:')) {
          fields = line.slice('#Fields:'.length).trim().split(/\s+/);
          col = columnMap(fields);
          const missing = REQUIRED.filter((f) => col[f] === undefined);
          if (missing.length > 0) bad(where, `#Fields lacks ${missing.join(', ')}`);
        }
        continue;
      }
      const cells = line.split('\t');
      if (cells.length < fields.length) { bad(where, `${cells.length} tab-separated fields, the #Fields header names ${fields.length}`); continue; }
      const get = (name: string) => { const i = col[name]; return i === undefined ? undefined : cells[i]; };
      const date = get('date'), time = get('time');
      const t = Date.parse(`${DEC(date)}T${DEC(time)}Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(DEC(date)) || !/^\d{2}:\d{2}:\d{2}$/.test(DEC(time)) || !Number.isFinite(t)) { bad(where, `date/time '${date} ${time}' is not YYYY-MM-DD HH:MM:SS`); continue; }
      const status = Number(get('sc-status'));
      if (!Number.isInteger(status) || status < 0 || status > 999) { bad(where, `sc-status '${get('sc-status')}' is not a status code`); continue; }
      const bytes = Number(get('sc-bytes'));
      if (!Number.isFinite(bytes) || bytes < 0) { bad(where, `sc-bytes '${get('sc-bytes')}' is not a number`); continue; }
      const stem = DEC(get('cs-uri-stem'));
      if (!stem.startsWith('/')) { bad(where, `cs-uri-stem '${stem}' does not start with '/'`); continue; }
      const edge = DEC(get('x-edge-location'));
      if (edge === '' || edge === '-') { bad(where, 'x-edge-location is empty'); continue; }
      const method = DEC(get('cs-method'));
      const query = DEC(get('cs-uri-query'));
      const len = Number(get('sc-content-len'));
      const range = Number(get('sc-range-start'));
      const detailed = DEC(get('x-edge-detailed-result-type'));
      const result = detailed !== '' && detailed !== '-' ? detailed : DEC(get('x-edge-result-type'));
      const ri = (RESULT_TYPES as readonly string[]).indexOf(result);
      const ct = DEC(get('sc-content-type'));
      g.ensure();
      const i = g.n++;
      g.time[i] = t / 1000;
      g.edge[i] = edges.id(edge);
      g.method[i] = method === 'GET' ? 0 : method === 'HEAD' ? 1 : 2;
      g.status[i] = status;
      g.bytes[i] = bytes;
      g.contentLength[i] = Number.isFinite(len) && len >= 0 && get('sc-content-len') !== '-' ? len : -1;
      g.url[i] = urls.id(query === '' || query === '-' ? stem : `${stem}?${query}`);
      g.rangeStart[i] = Number.isFinite(range) && get('sc-range-start') !== '-' ? range : -1;
      g.result[i] = ri >= 0 ? ri : RESULT_TYPES.length - 1;
      g.contentType[i] = types.id(ct === '-' ? '' : ct);
    }
  });
  const n = g.n;
  return {
    length: n, time: g.time.slice(0, n), edge: g.edge.slice(0, n), edges: tableOf(edges), method: g.method.slice(0, n), status: g.status.slice(0, n),
    bytes: g.bytes.slice(0, n), contentLength: g.contentLength.slice(0, n), url: g.url.slice(0, n), urls: tableOf(urls),
    rangeStart: g.rangeStart.slice(0, n), result: g.result.slice(0, n), contentType: g.contentType.slice(0, n), contentTypes: tableOf(types),
    malformed, malformedExamples: examples,
  };
}

function columnMap(fields: readonly string[]): Record<string, number> {
  const m: Record<string, number> = {};
  fields.forEach((f, i) => { m[f] = i; });
  return m;
}

function tableOf(ids: StringIds): string[] {
  return ids.strings();
}

/**
 * The single-cache view of a log: GET/HEAD requests in time order; an object is the URL (plus the
 * range start for range requests, which CloudFront caches as their own pieces, spec §7); its size
 * is sc-content-len, else sc-bytes. Other methods are skipped (never cached).
 */
export function traceFromLog(log: CloudFrontLog): Trace {
  const order = Array.from({ length: log.length }, (_, i) => i).sort((a, b) => log.time[a]! - log.time[b]! || a - b);
  const b = new TraceBuilder();
  const ids = new StringIds();
  for (const i of order) {
    if (log.method[i] === 2) { b.skipped++; continue; }
    const url = log.urls[log.url[i]!]!;
    const key = log.rangeStart[i]! >= 0 ? `${url}#${log.rangeStart[i]}` : url;
    b.push(log.time[i]!, ids.id(key), log.contentLength[i]! >= 0 ? log.contentLength[i]! : log.bytes[i]!);
  }
  const t = b.build(ids.size);
  return { ...t, malformed: log.malformed, malformedExamples: log.malformedExamples };
}
