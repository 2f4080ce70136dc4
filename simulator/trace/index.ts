/** Trace readers and writers: CSV, libCacheSim oracleGeneral, CloudFront standard logs. */
import type * as ColumnarLogTrace from '../../adapters/columnar-log-trace';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { CloudFrontLogBuilder, CloudFrontLogParser, logText, traceFromLog, type CloudFrontLog } from './cloudfront-log';
import { CsvParser, readCsvTrace } from './csv';
import { CloudFrontLogTraceParser } from './log-trace';
import { OracleGeneralParser, readOracleGeneral } from './oracle-general';
import { CHUNK_BYTES, readChunks } from './source';
import { TraceBuilder, type ReadCounts, type RequestSink, type Trace } from './trace';

export * from './trace';
export * from './csv';
export * from './oracle-general';
export * from './cloudfront-log';
export * from './log-trace';
export * from './reorder';
export * from './source';

export const TRACE_FORMATS = ['csv', 'oracle-general', 'cloudfront-log'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export function isTraceFormat(s: string): s is TraceFormat {
  return (TRACE_FORMATS as readonly string[]).includes(s);
}

/**
 * Whether `path` is a folder of Parquet or JSON-lines logs (CloudFront's v2 delivery or the simulator's
 * --write-logs, Hive-partitioned): those are read through DuckDB, loaded only then.
 */
function columnar(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isDirectory()) return false;
  return columnarReader().holdsColumnarLogs(path);
}

/** The DuckDB-backed reader, loaded on first use (single-cache runs on other traces never load DuckDB). */
function columnarReader(): typeof ColumnarLogTrace {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../adapters/columnar-log-trace') as typeof ColumnarLogTrace;
}

/** Files of a path: the file itself, or the files of a directory (CloudFront delivers many), sorted. */
export function traceFiles(path: string): string[] {
  if (!existsSync(path)) throw new InputError(`--trace '${path}' does not exist; give a trace file or a folder of CloudFront log files.`);
  if (!statSync(path).isDirectory()) return [path];
  const files = readdirSync(path).filter((f) => !f.startsWith('.')).sort().map((f) => join(path, f)).filter((f) => statSync(f).isFile());
  if (files.length === 0) throw new InputError(`--trace '${path}' is an empty folder; give a trace file or a folder of log files.`);
  return files;
}

/** Reads CloudFront logs (plain or gzip) from a file or folder. */
export function readCloudFrontLogs(path: string): CloudFrontLog {
  const files = traceFiles(path);
  const b = new CloudFrontLogBuilder();
  const parser = new CloudFrontLogParser(b, files.length);
  files.forEach((f, i) => {
    parser.startFile(i);
    parser.pushText(logText(readFileSync(f), (why) => parser.damaged(f, why)));
  });
  parser.end();
  return b.build(parser.problems);
}

/** The totals of a streamed read; `late`: log requests that arrived beyond the reorder window. */
export type StreamCounts = ReadCounts & { readonly late?: number };

/**
 * Streams a trace (a file, or a folder of CSV or CloudFront log files; plain, gzip or zstd) into a
 * sink, request by request, in fixed-size chunks: memory is the reader's id table (distinct objects)
 * and one chunk, whatever the trace's length. The requests and counts equal `readTrace`'s.
 */
export async function streamTrace(path: string, format: TraceFormat, sink: RequestSink, chunkBytes = CHUNK_BYTES): Promise<StreamCounts> {
  if (format === 'cloudfront-log' && columnar(path)) {
    const parser = new CloudFrontLogTraceParser(sink);
    await columnarReader().streamColumnarLogs(path, parser);
    return parser.end();
  }
  const files = traceFiles(path);
  switch (format) {
    case 'oracle-general': {
      if (files.length !== 1) throw new InputError(`--trace '${path}' holds ${files.length} files; oracle-general reads one file.`);
      const parser = new OracleGeneralParser(sink);
      await readChunks(files[0]!, (c) => parser.push(c), chunkBytes);
      return parser.end();
    }
    case 'csv': {
      const parser = new CsvParser(sink);
      for (let i = 0; i < files.length; i++) {
        if (i > 0) parser.pushText('\n');
        await readChunks(files[i]!, (c) => parser.push(c), chunkBytes);
      }
      return parser.end();
    }
    case 'cloudfront-log': {
      const parser = new CloudFrontLogTraceParser(sink, files.length);
      for (let i = 0; i < files.length; i++) {
        parser.startFile(i);
        await readChunks(files[i]!, (c) => parser.push(c), chunkBytes, (why) => parser.damaged(files[i]!, why));
      }
      return parser.end();
    }
  }
}

/** Reads CloudFront logs (plain, gzip or zstd) from a file or folder in fixed-size chunks (no file held whole as text). */
export async function streamCloudFrontLogs(path: string, chunkBytes = CHUNK_BYTES): Promise<CloudFrontLog> {
  if (columnar(path)) {
    const b = new CloudFrontLogBuilder();
    const parser = new CloudFrontLogParser(b);
    await columnarReader().streamColumnarLogs(path, parser);
    parser.end();
    return b.build(parser.problems);
  }
  const files = traceFiles(path);
  const b = new CloudFrontLogBuilder();
  const parser = new CloudFrontLogParser(b, files.length);
  for (let i = 0; i < files.length; i++) {
    parser.startFile(i);
    await readChunks(files[i]!, (c) => parser.push(c), chunkBytes, (why) => parser.damaged(files[i]!, why));
  }
  parser.end();
  return b.build(parser.problems);
}

/** Reads a whole trace into memory (small traces and tests; `streamTrace` for the rest). */
export async function readTraceStreamed(path: string, format: TraceFormat): Promise<Trace> {
  const b = new TraceBuilder();
  return b.buildFrom(await streamTrace(path, format, b));
}

/** Reads a trace for single-cache simulation. */
export function readTrace(path: string, format: TraceFormat): Trace {
  switch (format) {
    case 'csv':
      return readCsvTrace(traceFiles(path).map((f) => logText(readFileSync(f))).join('\n'));
    case 'oracle-general': {
      const files = traceFiles(path);
      if (files.length !== 1) throw new InputError(`--trace '${path}' holds ${files.length} files; oracle-general reads one file.`);
      return readOracleGeneral(readFileSync(files[0]!));
    }
    case 'cloudfront-log':
      return traceFromLog(readCloudFrontLogs(path));
  }
}
