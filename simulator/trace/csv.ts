/**
 * CSV traces with a header naming the columns `time`, `id` and `size` (any order, more columns
 * ignored): `time` in seconds, `id` any string (numbers are ids like any other), `size` in bytes.
 */
import { StringIds, TraceBuilder, type Trace } from './trace';

/** Reads CSV text. Lines with a missing or non-numeric field are counted as malformed. */
export function readCsvTrace(text: string): Trace {
  const b = new TraceBuilder();
  const ids = new StringIds();
  const lines = text.split(/\r?\n/);
  let header: { time: number; id: number; size: number; n: number } | undefined;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!;
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    if (header === undefined) {
      const names = cells.map((c) => c.toLowerCase());
      const time = names.indexOf('time'), id = names.indexOf('id'), size = names.indexOf('size');
      if (time < 0 || id < 0 || size < 0) {
        b.bad(`line ${ln + 1}`, `expected a header with the columns time,id,size, got '${line.slice(0, 80)}'`);
        return b.build(0);
      }
      header = { time, id, size, n: Math.max(time, id, size) + 1 };
      continue;
    }
    if (cells.length < header.n) { b.bad(`line ${ln + 1}`, `${cells.length} fields, expected at least ${header.n}`); continue; }
    const time = Number(cells[header.time]);
    const size = Number(cells[header.size]);
    const id = cells[header.id]!;
    if (!Number.isFinite(time) || cells[header.time] === '') { b.bad(`line ${ln + 1}`, `time '${cells[header.time]}' is not a number`); continue; }
    if (!Number.isFinite(size) || size < 0 || cells[header.size] === '') { b.bad(`line ${ln + 1}`, `size '${cells[header.size]}' is not a number ≥ 0`); continue; }
    if (id === '') { b.bad(`line ${ln + 1}`, 'empty id'); continue; }
    b.push(time, ids.id(id), size);
  }
  return b.build(ids.size);
}
