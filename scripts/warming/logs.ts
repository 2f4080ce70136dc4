/**
 * Access logs for `--from-logs dir`: the simulator's CloudFront standard-log reader (simulator/trace:
 * v1 logs, plain or gzipped, `#Fields:` honored) parses the folder; this module only turns its
 * struct-of-arrays into the predictor's records.
 */
import { InputError } from '../../lib/errors';
import type { AccessRecord } from '../../lib/warming/predict';
import { readCloudFrontLogs, RESULT_TYPES, type CloudFrontLog } from '../../simulator/trace';

const METHODS = ['GET', 'HEAD', 'OTHER'] as const;

/** Predictor records of a parsed log, in time order. The object size is sc-content-len, else sc-bytes. */
export function recordsFromLog(log: CloudFrontLog): AccessRecord[] {
  const out: AccessRecord[] = [];
  for (let i = 0; i < log.length; i++) {
    const url = log.urls[log.url[i]!]!;
    const q = url.indexOf('?');
    const len = log.contentLength[i]!;
    out.push({
      timeSec: log.time[i]!,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      bytes: len >= 0 ? len : log.bytes[i]!,
      status: log.status[i]!,
      method: METHODS[log.method[i]!] ?? 'OTHER',
      edge: log.edges[log.edge[i]!]!,
      resultType: RESULT_TYPES[log.result[i]!] ?? 'other',
    });
  }
  out.sort((a, b) => a.timeSec - b.timeSec);
  return out;
}

/** Reads a folder (or file) of standard logs. @throws InputError when it holds no log lines. */
export function readLogDir(dir: string): AccessRecord[] {
  const log = readCloudFrontLogs(dir);
  if (log.length === 0) {
    throw new InputError(`--from-logs '${dir}' holds no CloudFront standard log lines${log.malformed > 0 ? ` (${log.malformed} malformed, e.g. ${log.malformedExamples[0]})` : ''}; point it at the folder the edge or the log bucket writes to.`);
  }
  return recordsFromLog(log);
}
