/** Trace readers and writers: CSV, libCacheSim oracleGeneral, CloudFront standard logs. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { logText, parseCloudFrontLogs, traceFromLog, type CloudFrontLog } from './cloudfront-log';
import { readCsvTrace } from './csv';
import { readOracleGeneral } from './oracle-general';
import type { Trace } from './trace';

export * from './trace';
export * from './csv';
export * from './oracle-general';
export * from './cloudfront-log';

export const TRACE_FORMATS = ['csv', 'oracle-general', 'cloudfront-log'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export function isTraceFormat(s: string): s is TraceFormat {
  return (TRACE_FORMATS as readonly string[]).includes(s);
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
  return parseCloudFrontLogs(traceFiles(path).map((f) => logText(readFileSync(f))));
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
