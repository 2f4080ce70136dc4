/**
 * CloudFront standard access logs, version 1 (spec §11): tab-separated lines, `-` for empty fields,
 * with `#Version:` and `#Fields:` header lines naming the columns. Files may be gzip-compressed (as
 * CloudFront delivers them). Lines that cannot be read are counted, never fatal.
 *
 * Reference: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import { gunzipSync } from 'node:zlib';
import { decompressBeforeDamage } from './source';
import { LineSplitter, ReadProblems, StringIds, TraceBuilder, type Trace } from './trace';
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

/**
 * Text of a log file: gunzips when the bytes start with the gzip magic number. Damaged or truncated
 * gzip data throws, unless `onDamage` is given: it is then told why, and the text decompressed before
 * the damage is returned.
 */
export function logText(bytes: Uint8Array, onDamage?: (why: string) => void): string {
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gz) return Buffer.from(bytes).toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (e) {
    if (!onDamage) throw e;
    onDamage((e as Error).message);
    return decompressBeforeDamage(bytes).toString('utf8');
  }
}

/**
 * Where the log parser sends each line it could read (strings are the raw fields; the sink interns
 * what it keeps). `method`: 0 GET, 1 HEAD, 2 other; `result`: index into RESULT_TYPES;
 * `contentLength` and `rangeStart` are -1 when absent.
 */
export interface LogSink {
  logRequest(time: number, edge: string, method: number, status: number, bytes: number, contentLength: number, url: string, rangeStart: number, result: number, contentType: string): void;
}

const DEC = (s: string | undefined) => (s === undefined ? '' : s);

/**
 * Reads CloudFront log files from chunks of any size, line by line, one file after another
 * (`startFile` before each: a file's own `#Fields:` header applies to it, and line numbers restart).
 * A file without a `#Fields:` line is read with the standard 33-field order. Bad lines are counted.
 */
export class CloudFrontLogParser {
  readonly problems = new ReadProblems();
  private fields: readonly string[] = STANDARD_LOG_FIELDS;
  private col = columnMap(STANDARD_LOG_FIELDS);
  private lines: LineSplitter | undefined;
  private file = 0;

  /** @param files how many files will be read (line references name the file when there are several) */
  constructor(private readonly sink: LogSink, private readonly files = 1) {}

  startFile(index: number): void {
    this.lines?.end();
    this.file = index;
    this.fields = STANDARD_LOG_FIELDS;
    this.col = columnMap(STANDARD_LOG_FIELDS);
    this.lines = new LineSplitter((line, ln) => this.line(line, ln), (ln) => this.problems.bad(this.where(ln), 'longer than 1 MiB (not a CloudFront log?)'));
  }

  push(chunk: Uint8Array): void {
    (this.lines ?? this.first()).push(chunk);
  }

  /**
   * Counts a file whose compressed data is damaged or truncated as one malformed entry (malformed logs
   * are never fatal): the lines read before the damage are kept; a half line at the break is malformed too.
   */
  damaged(file: string, why: string): void {
    this.problems.bad(file, `the compressed data is damaged or truncated (${why}); the lines before the damage were read`);
  }

  pushText(text: string): void {
    (this.lines ?? this.first()).pushText(text);
  }

  /** Ends the current file. */
  end(): void {
    this.lines?.end();
    this.lines = undefined;
  }

  private first(): LineSplitter {
    this.startFile(0);
    return this.lines!;
  }

  private where(ln: number): string {
    return this.files > 1 ? `file ${this.file + 1} line ${ln}` : `line ${ln}`;
  }

  private line(line: string, ln: number): void {
    if (line === '') return;
    const bad = (why: string) => this.problems.bad(this.where(ln), why);
    if (line.startsWith('#')) {
      if (line.startsWith('#Fields:')) {
        this.fields = line.slice('#Fields:'.length).trim().split(/\s+/);
        this.col = columnMap(this.fields);
        const missing = REQUIRED.filter((f) => this.col[f] === undefined);
        if (missing.length > 0) bad(`#Fields lacks ${missing.join(', ')}`);
      }
      return;
    }
    const cells = line.split('\t');
    if (cells.length < this.fields.length) return bad(`${cells.length} tab-separated fields, the #Fields header names ${this.fields.length}`);
    const col = this.col;
    const get = (name: string) => { const i = col[name]; return i === undefined ? undefined : cells[i]; };
    const date = get('date'), time = get('time');
    const t = Date.parse(`${DEC(date)}T${DEC(time)}Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(DEC(date)) || !/^\d{2}:\d{2}:\d{2}$/.test(DEC(time)) || !Number.isFinite(t)) return bad(`date/time '${date} ${time}' is not YYYY-MM-DD HH:MM:SS`);
    const status = Number(get('sc-status'));
    if (!Number.isInteger(status) || status < 0 || status > 999) return bad(`sc-status '${get('sc-status')}' is not a status code`);
    const bytes = Number(get('sc-bytes'));
    if (!Number.isFinite(bytes) || bytes < 0) return bad(`sc-bytes '${get('sc-bytes')}' is not a number`);
    const stem = DEC(get('cs-uri-stem'));
    if (!stem.startsWith('/')) return bad(`cs-uri-stem '${stem}' does not start with '/'`);
    const edge = DEC(get('x-edge-location'));
    if (edge === '' || edge === '-') return bad('x-edge-location is empty');
    const method = DEC(get('cs-method'));
    const query = DEC(get('cs-uri-query'));
    const len = Number(get('sc-content-len'));
    const range = Number(get('sc-range-start'));
    const detailed = DEC(get('x-edge-detailed-result-type'));
    const result = detailed !== '' && detailed !== '-' ? detailed : DEC(get('x-edge-result-type'));
    const ri = (RESULT_TYPES as readonly string[]).indexOf(result);
    const ct = DEC(get('sc-content-type'));
    this.sink.logRequest(
      t / 1000, edge, method === 'GET' ? 0 : method === 'HEAD' ? 1 : 2, status, bytes,
      Number.isFinite(len) && len >= 0 && get('sc-content-len') !== '-' ? len : -1,
      query === '' || query === '-' ? stem : `${stem}?${query}`,
      Number.isFinite(range) && get('sc-range-start') !== '-' ? range : -1,
      ri >= 0 ? ri : RESULT_TYPES.length - 1, ct === '-' ? '' : ct,
    );
  }
}

/** Collects parsed lines into a CloudFrontLog (struct-of-arrays, strings interned). */
export class CloudFrontLogBuilder implements LogSink {
  time = new Float64Array(1024); edge = new Uint16Array(1024); method = new Uint8Array(1024); status = new Uint16Array(1024);
  bytes = new Float64Array(1024); contentLength = new Float64Array(1024); url = new Int32Array(1024); rangeStart = new Float64Array(1024);
  result = new Uint8Array(1024); contentType = new Uint16Array(1024);
  n = 0;
  private readonly edges = new StringIds();
  private readonly urls = new StringIds();
  private readonly types = new StringIds();

  constructor() {
    this.types.id('');
  }

  logRequest(time: number, edge: string, method: number, status: number, bytes: number, contentLength: number, url: string, rangeStart: number, result: number, contentType: string): void {
    this.ensure();
    const i = this.n++;
    this.time[i] = time;
    this.edge[i] = this.edges.id(edge);
    this.method[i] = method;
    this.status[i] = status;
    this.bytes[i] = bytes;
    this.contentLength[i] = contentLength;
    this.url[i] = this.urls.id(url);
    this.rangeStart[i] = rangeStart;
    this.result[i] = result;
    this.contentType[i] = this.types.id(contentType);
  }

  build(problems: ReadProblems): CloudFrontLog {
    const n = this.n;
    return {
      length: n, time: this.time.slice(0, n), edge: this.edge.slice(0, n), edges: this.edges.strings(), method: this.method.slice(0, n), status: this.status.slice(0, n),
      bytes: this.bytes.slice(0, n), contentLength: this.contentLength.slice(0, n), url: this.url.slice(0, n), urls: this.urls.strings(),
      rangeStart: this.rangeStart.slice(0, n), result: this.result.slice(0, n), contentType: this.contentType.slice(0, n), contentTypes: this.types.strings(),
      malformed: problems.malformed, malformedExamples: problems.examples,
    };
  }

  private ensure(): void {
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

/**
 * Parses the text of one or more log files. A file without a `#Fields:` line is read with the
 * standard 33-field order.
 */
export function parseCloudFrontLogs(texts: readonly string[]): CloudFrontLog {
  const b = new CloudFrontLogBuilder();
  const parser = new CloudFrontLogParser(b, texts.length);
  texts.forEach((text, i) => {
    parser.startFile(i);
    parser.pushText(text);
  });
  parser.end();
  return b.build(parser.problems);
}

function columnMap(fields: readonly string[]): Record<string, number> {
  const m: Record<string, number> = {};
  fields.forEach((f, i) => { m[f] = i; });
  return m;
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
