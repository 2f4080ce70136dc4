/** A small seeded trace for the reader tests (test/simulator/fixtures/generated.csv.zst is `zstd -19` of generatedCsv()). */
import { Rng } from '../../simulator/rng';

/** A seeded Zipf-ish trace: 3,000 requests over 400 objects, some with 64-bit ids. */
export function generated() {
  const rng = new Rng(7, 3);
  const n = 3000;
  const time = new Float64Array(n), id = new Float64Array(n), size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rank = Math.floor(400 * rng.next() ** 3);
    time[i] = Math.floor(i / 10);
    id[i] = rank % 5 === 0 ? 2 ** 40 + rank : rank * 31 + 1;
    size[i] = 100 + rank * 17;
  }
  return { time, id, size, n };
}

/** The same trace as CSV, with CRLF line ends, multi-byte ids and a bad line. */
export function generatedCsv(): string {
  const g = generated();
  const lines = ['time,id,size'];
  for (let i = 0; i < g.n; i++) lines.push(`${g.time[i]},${g.id[i]! % 3 === 0 ? `objet-é-${g.id[i]}` : `日本-${g.id[i]}`},${g.size[i]}`);
  lines.splice(1500, 0, 'not,a number,x');
  return lines.join('\r\n') + '\r\n';
}
