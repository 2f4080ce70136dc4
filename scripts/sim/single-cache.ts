/**
 * Single-cache mode (--trace f --format … --cache-size S [--policy p]): one cache on a trace, with miss
 * ratios to compare with other simulators such as libCacheSim. The trace is streamed (memory: the cache
 * and the id table, not the trace); only the requested simulation runs; --verify adds an independent
 * Map-based LRU on a further pass.
 */
import { InputError, show, throwIfProblems } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import { MapLru, parseCacheSize, runSingleCacheStream } from '../../simulator/single-cache';
import { LOG_REORDER_SECONDS, streamTrace, type StreamCounts, type TraceFormat } from '../../simulator/trace';
import { CheckFailed, EXIT_OK, writeJsonFile } from '../lib/cli';
import type { SimValues } from './options';

export async function singleCacheMode(v: SimValues, format: TraceFormat): Promise<number> {
  const problems: string[] = [];
  const policy = v.policy ?? 'lru';
  const ignoreSize = v['ignore-size'] ?? false;
  let size: ReturnType<typeof parseCacheSize> | undefined;
  try { size = parseCacheSize(v['cache-size']!); } catch (e) { if (e instanceof InputError) problems.push(...e.problems); else throw e; }
  if (v.verify && (policy !== 'lru' || !(ignoreSize || size?.kind === 'objects'))) {
    problems.push(`--verify checks LRU counting objects against a Map-based LRU; use it with --policy lru and a cache size in objects or --ignore-size (got --policy ${show(policy)}, --cache-size ${show(v['cache-size'])}${ignoreSize ? ' --ignore-size' : ''}).`);
  }
  throwIfProblems(problems);
  let trace: StreamCounts | undefined;
  const replay = async (sink: Parameters<typeof streamTrace>[2]) => { trace = await streamTrace(v.trace!, format, sink); };
  const empty = () => new InputError(`--trace ${show(v.trace)} has no readable requests as ${format}${trace?.malformed ? ` (${trace.malformed} malformed, e.g. ${trace.malformedExamples[0]})` : ''}; check the file and --format.`);
  let r;
  try {
    r = await runSingleCacheStream(replay, { policy, size: size!, ignoreSize });
  } catch (e) {
    if (e instanceof InputError && trace !== undefined && trace.requests === 0) throw empty();
    throw e;
  }
  const counts = trace!;
  console.log(renderTable(
    ['policy', 'capacity', 'requests', 'objects', 'misses', 'miss ratio', 'byte miss ratio'],
    [[r.policy, `${r.capacity.toLocaleString('en-US')} ${r.capacityUnit}`, r.requests.toLocaleString('en-US'), r.workingSetObjects.toLocaleString('en-US'), r.misses.toLocaleString('en-US'), r.missRatio.toFixed(6), r.byteMissRatio.toFixed(6)]],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  ));
  if (counts.malformed > 0) console.log(`\n${counts.malformed} malformed line(s) or record(s) skipped, e.g. ${counts.malformedExamples.join('; ')}`);
  if (counts.skipped > 0) console.log(`${counts.skipped} request(s) with methods that are never cached skipped`);
  if (counts.late) console.log(`${counts.late} logged request(s) more than ${LOG_REORDER_SECONDS} s out of time order, replayed where they appeared`);
  let verified: number | undefined;
  if (v.verify) {
    const lru = new MapLru(r.capacity);
    await streamTrace(v.trace!, format, lru);
    verified = lru.misses;
  }
  if (verified !== undefined) console.log(`--verify: the Map-based LRU counts ${verified.toLocaleString('en-US')} misses${verified === r.misses ? ', the same' : ''}`);
  if (v.json) {
    writeJsonFile(v.json, {
      mode: 'single-cache', ...r,
      trace: { file: v.trace, format, requests: counts.requests, objects: counts.objects, malformed: counts.malformed, malformedExamples: counts.malformedExamples, skipped: counts.skipped, ...(counts.late !== undefined ? { late: counts.late } : {}) },
      ...(verified !== undefined ? { naiveLruMisses: verified } : {}),
    });
  }
  if (verified !== undefined && verified !== r.misses) throw new CheckFailed(`--verify: the Map-based LRU counts ${verified} misses, the typed-array LRU ${r.misses}; the two must agree.`);
  return EXIT_OK;
}
