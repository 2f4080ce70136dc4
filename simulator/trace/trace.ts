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
  /**
   * Optional: the same for a block of requests, in order (`time[i]`, `id[i]`, `size[i]` for i < n). A
   * reader that decodes in blocks (oracleGeneral) calls it instead of `request` when a sink has it, so
   * that the sink's per-request loop is one tight loop. The arrays are only valid during the call.
   */
  requestBlock?(time: Float64Array, id: Int32Array, size: Float64Array, n: number): void;
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

/**
 * Maps uint64 ids (as two uint32 halves) to dense ids (0, 1, 2, … in order of first appearance). This
 * lookup runs once per request on a table that outgrows the CPU caches on large traces, so its layout
 * is chosen for memory traffic: one open-addressing table (linear probing, at most three quarters
 * full) of 16-byte entries [low half, high half, dense id + 1 (0: empty), unused], so that a lookup
 * reads one cache line, not one per field, and the table stays small (16 MiB for 732 k objects).
 */
export class U64Ids {
  private table: Int32Array;
  private mask: number;
  private shift: number;
  private limit: number;
  /** What `ids` read ahead (kept so that the reads are not optimized away). */
  private touched = 0;
  size = 0;

  constructor(expected = 1024) {
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.table = new Int32Array(4 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.limit = (3 << bits) >> 2;
  }

  id(lo: number, hi: number): number {
    const t = this.table;
    const lo32 = lo | 0, hi32 = hi | 0;
    let i = Math.imul(lo32 ^ Math.imul(hi32, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    for (;;) {
      const e = i << 2;
      const v = t[e + 2]!;
      if (v === 0) break;
      if (t[e] === lo32 && t[e + 1] === hi32) return v - 1;
      i = (i + 1) & this.mask;
    }
    const v = this.size++;
    const e = i << 2;
    t[e] = lo32;
    t[e + 1] = hi32;
    t[e + 2] = v + 1;
    if (this.size > this.limit) this.grow();
    return v;
  }

  /**
   * `out[j] = id(lo[j], hi[j])` for j < n, in order. The table lines of all n keys are read first, in
   * a loop without branches on what they hold, so that the CPU overlaps their cache misses instead of
   * waiting for one after another; the lookups then mostly find their lines in cache.
   */
  ids(lo: Int32Array, hi: Int32Array, out: Int32Array, n: number): void {
    const t = this.table, shift = this.shift;
    let touched = 0;
    for (let j = 0; j < n; j++) touched |= t[((Math.imul(lo[j]! ^ Math.imul(hi[j]!, 0x85ebca6b), 0x9e3779b1) >>> shift) << 2) + 2]!;
    this.touched = touched;
    for (let j = 0; j < n; j++) out[j] = this.id(lo[j]!, hi[j]!);
  }

  private grow(): void {
    const old = this.table;
    const bits = 32 - this.shift + 1;
    const t = new Int32Array(4 << bits);
    this.table = t;
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.limit = (3 << bits) >> 2;
    for (let e = 0; e < old.length; e += 4) {
      const v = old[e + 2]!;
      if (v === 0) continue;
      const lo = old[e]!, hi = old[e + 1]!;
      let i = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
      while (t[(i << 2) + 2] !== 0) i = (i + 1) & this.mask;
      const f = i << 2;
      t[f] = lo;
      t[f + 1] = hi;
      t[f + 2] = v;
    }
  }
}
