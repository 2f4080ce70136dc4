/**
 * libCacheSim's oracleGeneral binary trace (https://github.com/1a1a11a/libCacheSim, FAQ.md and
 * traceReader/customizedReader/oracle/oracleGeneralBin.h): 24-byte little-endian records
 *   uint32 time (s) | uint64 object id | uint32 size (bytes) | int64 next access
 * where "next access" is the 1-based position of the next request to the same object, or -1.
 */
import { TraceBuilder, U64Ids, type Trace } from './trace';

export const ORACLE_RECORD_BYTES = 24;

/** Reads an oracleGeneral buffer. A trailing partial record is counted as malformed. */
export function readOracleGeneral(buf: Uint8Array): Trace {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Math.floor(buf.byteLength / ORACLE_RECORD_BYTES);
  const b = new TraceBuilder();
  const ids = new U64Ids(Math.max(1024, n >> 2));
  for (let i = 0; i < n; i++) {
    const o = i * ORACLE_RECORD_BYTES;
    b.push(view.getUint32(o, true), ids.id(view.getUint32(o + 4, true), view.getUint32(o + 8, true)), view.getUint32(o + 12, true));
  }
  const rest = buf.byteLength - n * ORACLE_RECORD_BYTES;
  if (rest > 0) b.bad(`record ${n + 1}`, `truncated: ${rest} of ${ORACLE_RECORD_BYTES} bytes`);
  return b.build(ids.size);
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
