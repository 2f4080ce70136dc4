/**
 * CSV traces with a header naming the columns `time`, `id` and `size` (any order, more columns
 * ignored): `time` in seconds, `id` any string (numbers are ids like any other), `size` in bytes.
 */
import { LineSplitter, ReadProblems, StringIds, TraceBuilder, type ChunkParser, type ReadCounts, type RequestSink, type Trace } from './trace';

/**
 * Reads CSV from chunks of any size, line by line. Lines with a missing or non-numeric field are
 * counted as malformed; without a header naming time, id and size nothing is read.
 */
export class CsvParser implements ChunkParser {
  private readonly ids = new StringIds();
  private readonly problems = new ReadProblems();
  private readonly lines: LineSplitter;
  private header: { time: number; id: number; size: number; n: number } | undefined;
  private noHeader = false;
  private requests = 0;

  constructor(private readonly sink: RequestSink) {
    this.lines = new LineSplitter((line, ln) => this.line(line, ln), (ln) => this.problems.bad(`line ${ln}`, 'longer than 1 MiB (not a CSV trace?)'));
  }

  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
  }

  pushText(text: string): void {
    this.lines.pushText(text);
  }

  end(): ReadCounts {
    this.lines.end();
    const p = this.problems;
    return { requests: this.requests, objects: this.ids.size, malformed: p.malformed, malformedExamples: p.examples, skipped: p.skipped };
  }

  private line(line: string, ln: number): void {
    if (this.noHeader || line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const header = this.header;
    if (header === undefined) {
      const names = cells.map((c) => c.toLowerCase());
      const time = names.indexOf('time'), id = names.indexOf('id'), size = names.indexOf('size');
      if (time < 0 || id < 0 || size < 0) {
        this.problems.bad(`line ${ln}`, `expected a header with the columns time,id,size, got '${line.slice(0, 80)}'`);
        this.noHeader = true;
        return;
      }
      this.header = { time, id, size, n: Math.max(time, id, size) + 1 };
      return;
    }
    const bad = (why: string) => this.problems.bad(`line ${ln}`, why);
    if (cells.length < header.n) return bad(`${cells.length} fields, expected at least ${header.n}`);
    const time = Number(cells[header.time]);
    const size = Number(cells[header.size]);
    const id = cells[header.id]!;
    if (!Number.isFinite(time) || cells[header.time] === '') return bad(`time '${cells[header.time]}' is not a number`);
    if (!Number.isFinite(size) || size < 0 || cells[header.size] === '') return bad(`size '${cells[header.size]}' is not a number ≥ 0`);
    if (id === '') return bad('empty id');
    this.requests++;
    this.sink.request(time, this.ids.id(id), size);
  }
}

/** Reads CSV text. Lines with a missing or non-numeric field are counted as malformed. */
export function readCsvTrace(text: string): Trace {
  const b = new TraceBuilder();
  const parser = new CsvParser(b);
  parser.pushText(text);
  return b.buildFrom(parser.end());
}
