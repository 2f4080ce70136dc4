/**
 * A request trace for single-cache simulation: struct-of-arrays with dense object ids (0..objects-1),
 * plus what the reader skipped. Readers never fail on a bad line or record: they count it and keep
 * the first few as examples.
 */
export interface Trace {
  readonly length: number;
  /** Request time, seconds (as in the source). */
  readonly time: Float64Array;
  /** Dense object id. */
  readonly id: Int32Array;
  /** Object size, bytes. */
  readonly size: Float64Array;
  /** Distinct objects. */
  readonly objects: number;
  /** Lines or records that could not be read. */
  readonly malformed: number;
  /** Up to 5 of them, with their line number and the reason. */
  readonly malformedExamples: readonly string[];
  /** Valid lines left out on purpose (e.g. POST in a CloudFront log), with the reason. */
  readonly skipped: number;
}

export const MAX_EXAMPLES = 5;

/**
 * Where a streaming reader sends each request it reads, in trace order: time (s), dense object id
 * (0 … objects − 1), size (bytes). Called once per request; nothing is
 * allocated per call.
 */
export interface RequestSink {
  request(time: number, id: number, size: number): void;
}

/** What a reader skipped, counted as it goes (the first few kept as examples). */
export class ReadProblems {
  malformed = 0;
  skipped = 0;
  readonly examples: string[] = [];

  bad(where: string, reason: string): void {
    this.malformed++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(`${where}: ${reason}`);
  }
}

/** The totals of a streamed read. */
export interface ReadCounts {
  readonly requests: number;
  readonly objects: number;
  readonly malformed: number;
  readonly malformedExamples: readonly string[];
  readonly skipped: number;
}

/** A push parser: bytes in chunks of any size, requests out to a sink; `end` once the input is done. */
export interface ChunkParser {
  push(chunk: Uint8Array): void;
  end(): ReadCounts;
}

/**
 * Splits text arriving in chunks into lines (LF or CRLF), numbering them from 1 as a whole-file split
 * would. UTF-8 sequences cut by a chunk boundary are decoded whole. A line longer than `maxLine`
 * characters is not buffered: it is reported (onLong) and skipped up to its end, so memory stays fixed.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';
  private skipping = false;
  private line = 0;

  constructor(
    private readonly onLine: (line: string, lineNumber: number) => void,
    private readonly onLong: (lineNumber: number) => void,
    private readonly maxLine = 1 << 20,
  ) {}

  push(chunk: Uint8Array): void {
    this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  pushText(text: string): void {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      this.line++;
      if (this.skipping) this.skipping = false;
      else {
        let l = this.rest === '' ? text.slice(from, nl) : this.rest + text.slice(from, nl);
        if (l.endsWith('\r')) l = l.slice(0, -1);
        this.rest = '';
        this.onLine(l, this.line);
      }
      from = nl + 1;
    }
    if (this.skipping) return;
    this.rest = this.rest === '' ? text.slice(from) : this.rest + text.slice(from);
    if (this.rest.length > this.maxLine) {
      this.onLong(this.line + 1);
      this.rest = '';
      this.skipping = true;
    }
  }

  /** Flushes the last line (one without a final newline). */
  end(): void {
    this.pushText(this.decoder.decode());
    if (!this.skipping && this.rest !== '') {
      this.line++;
      const l = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
      this.rest = '';
      this.onLine(l, this.line);
    }
  }
}

/** Appends requests to growable typed arrays (a whole trace in memory: tests and small traces). */
export class TraceBuilder implements RequestSink {
  private time = new Float64Array(1024);
  private id = new Int32Array(1024);
  private size = new Float64Array(1024);
  length = 0;
  malformed = 0;
  skipped = 0;
  readonly examples: string[] = [];

  request(time: number, id: number, size: number): void {
    this.push(time, id, size);
  }

  push(time: number, id: number, size: number): void {
    if (this.length === this.id.length) {
      const n = this.length * 2;
      const t = new Float64Array(n); t.set(this.time); this.time = t;
      const i = new Int32Array(n); i.set(this.id); this.id = i;
      const s = new Float64Array(n); s.set(this.size); this.size = s;
    }
    this.time[this.length] = time;
    this.id[this.length] = id;
    this.size[this.length] = size;
    this.length++;
  }

  bad(where: string, reason: string): void {
    this.malformed++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(`${where}: ${reason}`);
  }

  /** The trace with the counts of a streamed read. */
  buildFrom(counts: ReadCounts): Trace {
    this.malformed = counts.malformed;
    this.skipped = counts.skipped;
    this.examples.splice(0, this.examples.length, ...counts.malformedExamples);
    return this.build(counts.objects);
  }

  build(objects: number): Trace {
    return {
      length: this.length,
      time: this.time.slice(0, this.length),
      id: this.id.slice(0, this.length),
      size: this.size.slice(0, this.length),
      objects,
      malformed: this.malformed,
      malformedExamples: this.examples,
      skipped: this.skipped,
    };
  }
}

/** Maps string ids to dense ids (trace reading only; the simulation sees dense ints). */
export class StringIds {
  private readonly map = new Map<string, number>();
  get size(): number {
    return this.map.size;
  }
  /** The strings in id order. */
  strings(): string[] {
    return [...this.map.keys()];
  }
  id(s: string): number {
    let v = this.map.get(s);
    if (v === undefined) { v = this.map.size; this.map.set(s, v); }
    return v;
  }
}

/** Maps uint64 ids (as two uint32 halves) to dense ids with an open-addressing table of typed arrays. */
export class U64Ids {
  private lo: Uint32Array;
  private hi: Uint32Array;
  private val: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let n = 16;
    while (n < expected * 2) n *= 2;
    this.lo = new Uint32Array(n);
    this.hi = new Uint32Array(n);
    this.val = new Int32Array(n).fill(-1);
    this.mask = n - 1;
  }

  id(lo: number, hi: number): number {
    let i = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const v = this.val[i]!;
      if (v < 0) break;
      if (this.lo[i] === lo && this.hi[i] === hi) return v;
      i = (i + 1) & this.mask;
    }
    const v = this.size++;
    this.lo[i] = lo; this.hi[i] = hi; this.val[i] = v;
    if (this.size * 2 > this.mask) this.grow();
    return v;
  }

  private grow(): void {
    const { lo, hi, val } = this;
    const n = (this.mask + 1) * 2;
    this.lo = new Uint32Array(n);
    this.hi = new Uint32Array(n);
    this.val = new Int32Array(n).fill(-1);
    this.mask = n - 1;
    for (let j = 0; j < val.length; j++) {
      const v = val[j]!;
      if (v < 0) continue;
      let i = (Math.imul(lo[j]! ^ Math.imul(hi[j]!, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
      while (this.val[i]! >= 0) i = (i + 1) & this.mask;
      this.lo[i] = lo[j]!; this.hi[i] = hi[j]!; this.val[i] = v;
    }
  }
}
