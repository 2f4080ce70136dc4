/**
 * libCacheSim's oracleGeneral binary trace (https://github.com/1a1a11a/libCacheSim, FAQ.md and
 * traceReader/customizedReader/oracle/oracleGeneralBin.h): 24-byte little-endian records
 *   uint32 time (s) | uint64 object id | uint32 size (bytes) | int64 next access
 * where "next access" is the 1-based position of the next request to the same object, or -1.
 */
import { ReadProblems, TraceBuilder, U64Ids, type ChunkParser, type ReadCounts, type RequestSink, type Trace } from './trace';

export const ORACLE_RECORD_BYTES = 24;
/** Requests per block handed to a sink with `requestBlock` (the block's arrays and id-table lines stay in the CPU's L2). */
const BLOCK = 2048;

interface Block {
  readonly time: Float64Array;
  readonly id: Int32Array;
  readonly size: Float64Array;
  /** The id halves, for U64Ids.ids. */
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * Reads oracleGeneral records from chunks of any size: whole records straight from the chunk, a
 * record cut by a chunk boundary through a 24-byte carry. Memory: the id table (distinct objects).
 * A trailing partial record is counted as malformed.
 */
export class OracleGeneralParser implements ChunkParser {
  private readonly carry = new Uint8Array(ORACLE_RECORD_BYTES);
  private readonly carryView = new DataView(this.carry.buffer);
  private carried = 0;
  private readonly ids: U64Ids;
  private readonly problems = new ReadProblems();
  private requests = 0;
  /** The block a sink with `requestBlock` receives (undefined: the sink takes one request at a time). */
  private readonly block: Block | undefined;

  constructor(private readonly sink: RequestSink, expectedObjects = 1 << 16) {
    this.ids = new U64Ids(expectedObjects);
    if (typeof sink.requestBlock === 'function') {
      this.block = { time: new Float64Array(BLOCK), id: new Int32Array(BLOCK), size: new Float64Array(BLOCK), lo: new Int32Array(BLOCK), hi: new Int32Array(BLOCK) };
    }
  }

  push(chunk: Uint8Array): void {
    let o = 0;
    const len = chunk.byteLength;
    if (this.carried > 0) {
      const take = Math.min(ORACLE_RECORD_BYTES - this.carried, len);
      this.carry.set(chunk.subarray(0, take), this.carried);
      this.carried += take;
      o = take;
      if (this.carried < ORACLE_RECORD_BYTES) return;
      this.record(this.carryView, 0);
      this.carried = 0;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, len);
    const end = o + Math.floor((len - o) / ORACLE_RECORD_BYTES) * ORACLE_RECORD_BYTES;
    if (this.block) {
      this.records(view, o, end, this.block);
      o = end;
    }
    for (; o < end; o += ORACLE_RECORD_BYTES) this.record(view, o);
    if (o < len) {
      this.carry.set(chunk.subarray(o), 0);
      this.carried = len - o;
    }
  }

  private record(view: DataView, o: number): void {
    this.requests++;
    this.sink.request(view.getUint32(o, true), this.ids.id(view.getUint32(o + 4, true), view.getUint32(o + 8, true)), view.getUint32(o + 12, true));
  }

  /** Whole records [from, end) of a chunk, decoded in blocks for a sink with `requestBlock`. */
  private records(view: DataView, from: number, end: number, block: Block): void {
    const { time, id, size, lo, hi } = block;
    for (let o = from; o < end;) {
      const n = Math.min(BLOCK, (end - o) / ORACLE_RECORD_BYTES);
      for (let j = 0; j < n; j++, o += ORACLE_RECORD_BYTES) {
        time[j] = view.getUint32(o, true);
        lo[j] = view.getUint32(o + 4, true);
        hi[j] = view.getUint32(o + 8, true);
        size[j] = view.getUint32(o + 12, true);
      }
      this.ids.ids(lo, hi, id, n);
      this.sink.requestBlock!(time, id, size, n);
    }
    this.requests += (end - from) / ORACLE_RECORD_BYTES;
  }

  end(): ReadCounts {
    if (this.carried > 0) this.problems.bad(`record ${this.requests + 1}`, `truncated: ${this.carried} of ${ORACLE_RECORD_BYTES} bytes`);
    this.carried = 0;
    const p = this.problems;
    return { requests: this.requests, objects: this.ids.size, malformed: p.malformed, malformedExamples: p.examples, skipped: p.skipped };
  }
}

/** Reads an oracleGeneral buffer. A trailing partial record is counted as malformed. */
export function readOracleGeneral(buf: Uint8Array): Trace {
  const b = new TraceBuilder();
  const parser = new OracleGeneralParser(b, Math.max(1024, Math.floor(buf.byteLength / ORACLE_RECORD_BYTES) >> 2));
  parser.push(buf);
  return b.buildFrom(parser.end());
}

/**
 * Writes requests as oracleGeneral. Times are rounded down to whole seconds (clamped to uint32);
 * ids must be non-negative integers below 2^53; sizes are clamped to uint32. Computes next access.
 */
export function writeOracleGeneral(time: ArrayLike<number>, id: ArrayLike<number>, size: ArrayLike<number>, length: number): Uint8Array {
  const buf = new Uint8Array(length * ORACLE_RECORD_BYTES);
  const view = new DataView(buf.buffer);
  // next access: scan backwards remembering the last position seen per id
  const next = new Float64Array(length);
  const last = new Map<number, number>();
  for (let i = length - 1; i >= 0; i--) {
    const k = id[i]!;
    const seen = last.get(k);
    next[i] = seen === undefined ? -1 : seen + 1;
    last.set(k, i);
  }
  for (let i = 0; i < length; i++) {
    const o = i * ORACLE_RECORD_BYTES;
    const t = Math.min(0xffffffff, Math.max(0, Math.floor(time[i]!)));
    const k = id[i]!;
    view.setUint32(o, t, true);
    view.setUint32(o + 4, k % 4294967296, true);
    view.setUint32(o + 8, Math.floor(k / 4294967296), true);
    view.setUint32(o + 12, Math.min(0xffffffff, Math.max(0, Math.round(size[i]!))), true);
    view.setBigInt64(o + 16, BigInt(next[i]!), true);
  }
  return buf;
}
