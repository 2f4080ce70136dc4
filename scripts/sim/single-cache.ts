/**
 * Single-cache mode (--trace f --format … --cache-size S [--policy p]): one cache on a trace, with miss
 * ratios to compare with other simulators such as libCacheSim. Only the requested simulation runs;
 * --verify adds an independent Map-based LRU on the same trace.
 */
import { InputError, show, throwIfProblems } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import { isPolicyName, POLICY_NAMES, type PolicyName } from '../../simulator/caches';
import { naiveLruMisses, parseCacheSize, runSingleCache } from '../../simulator/single-cache';
import { readTrace, type TraceFormat } from '../../simulator/trace';
import { CheckFailed, EXIT_OK, writeJsonFile } from '../lib/cli';
import type { SimValues } from './options';

export function singleCacheMode(v: SimValues, format: TraceFormat): number {
  const problems: string[] = [];
  const policy = v.policy ?? 'lru';
  const ignoreSize = v['ignore-size'] ?? false;
  if (!isPolicyName(policy)) problems.push(`--policy ${show(policy)} is not a policy; use one of: ${POLICY_NAMES.join(', ')}.`);
  let size: ReturnType<typeof parseCacheSize> | undefined;
  try { size = parseCacheSize(v['cache-size']!); } catch (e) { if (e instanceof InputError) problems.push(...e.problems); else throw e; }
  if (v.verify && (policy !== 'lru' || !(ignoreSize || size?.kind === 'objects'))) {
    problems.push(`--verify checks LRU counting objects against a Map-based LRU; use it with --policy lru and a cache size in objects or --ignore-size (got --policy ${show(policy)}, --cache-size ${show(v['cache-size'])}${ignoreSize ? ' --ignore-size' : ''}).`);
  }
  throwIfProblems(problems);
  const trace = readTrace(v.trace!, format);
  if (trace.length === 0) {
    throw new InputError(`--trace ${show(v.trace)} has no readable requests as ${format}${trace.malformed ? ` (${trace.malformed} malformed, e.g. ${trace.malformedExamples[0]})` : ''}; check the file and --format.`);
  }
  const r = runSingleCache(trace, { policy: policy as PolicyName, size: size!, ignoreSize });
  console.log(renderTable(
    ['policy', 'capacity', 'requests', 'objects', 'misses', 'miss ratio', 'byte miss ratio'],
    [[r.policy, `${r.capacity.toLocaleString('en-US')} ${r.capacityUnit}`, r.requests.toLocaleString('en-US'), r.workingSetObjects.toLocaleString('en-US'), r.misses.toLocaleString('en-US'), r.missRatio.toFixed(6), r.byteMissRatio.toFixed(6)]],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  ));
  if (trace.malformed > 0) console.log(`\n${trace.malformed} malformed line(s) or record(s) skipped, e.g. ${trace.malformedExamples.join('; ')}`);
  if (trace.skipped > 0) console.log(`${trace.skipped} request(s) with methods that are never cached skipped`);
  const verified = v.verify ? naiveLruMisses(trace.id, trace.length, r.capacity) : undefined;
  if (verified !== undefined) console.log(`--verify: the Map-based LRU counts ${verified.toLocaleString('en-US')} misses${verified === r.misses ? ', the same' : ''}`);
  if (v.json) {
    writeJsonFile(v.json, {
      mode: 'single-cache', ...r,
      trace: { file: v.trace, format, requests: trace.length, objects: trace.objects, malformed: trace.malformed, malformedExamples: trace.malformedExamples, skipped: trace.skipped },
      ...(verified !== undefined ? { naiveLruMisses: verified } : {}),
    });
  }
  if (verified !== undefined && verified !== r.misses) throw new CheckFailed(`--verify: the Map-based LRU counts ${verified} misses, the typed-array LRU ${r.misses}; the two must agree.`);
  return EXIT_OK;
}
