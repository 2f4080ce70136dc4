/**
 * The single-cache view of CloudFront logs, streamed: GET/HEAD requests in time order (through a
 * reorder window); an object is the URL (plus the range start for range requests, which CloudFront
 * caches as their own pieces, spec §7); its size is sc-content-len, else sc-bytes. Other methods are
 * skipped (never cached). The same view as `traceFromLog`, without holding the log.
 */
import { CloudFrontLogParser, type LogSink } from './cloudfront-log';
import { ReorderWindow } from './reorder';
import { StringIds, type ReadCounts, type RequestSink } from './trace';

/** How far out of time order a logged request may arrive and still be replayed in order. */
export const LOG_REORDER_SECONDS = 900;

export class CloudFrontLogTraceParser implements LogSink {
  private readonly parser: CloudFrontLogParser;
  private readonly window: ReorderWindow;
  private readonly ids = new StringIds();
  private requests = 0;

  constructor(sink: RequestSink, files = 1, windowSeconds = LOG_REORDER_SECONDS) {
    this.parser = new CloudFrontLogParser(this, files);
    this.window = new ReorderWindow(sink, windowSeconds);
  }

  startFile(index: number): void {
    this.parser.startFile(index);
  }

  push(chunk: Uint8Array): void {
    this.parser.push(chunk);
  }

  pushText(text: string): void {
    this.parser.pushText(text);
  }

  /** Counts a damaged (truncated, corrupt) compressed file as malformed: the lines before the damage stay read. */
  damaged(file: string, why: string): void {
    this.parser.damaged(file, why);
  }

  logRequest(time: number, _edge: string, method: number, _status: number, bytes: number, contentLength: number, url: string, rangeStart: number): void {
    if (method === 2) { this.parser.problems.skipped++; return; }
    this.requests++;
    this.window.request(time, this.ids.id(rangeStart >= 0 ? `${url}#${rangeStart}` : url), contentLength >= 0 ? contentLength : bytes);
  }

  /** Ends the last file and sends the requests still waiting in the window. */
  end(): ReadCounts & { late: number } {
    this.parser.end();
    this.window.flush();
    const p = this.parser.problems;
    return { requests: this.requests, objects: this.ids.size, malformed: p.malformed, malformedExamples: p.examples, skipped: p.skipped, late: this.window.late };
  }
}
