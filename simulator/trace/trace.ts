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

/** Appends requests to growable typed arrays. */
export class TraceBuilder {
  private time = new Float64Array(1024);
  private id = new Int32Array(1024);
  private size = new Float64Array(1024);
  length = 0;
  malformed = 0;
  skipped = 0;
  readonly examples: string[] = [];

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
