/**
 * `compression`: lists the static objects under a prefix, analyzes each (lib/compression) with the
 * settings of the behavior that serves it, measures text bodies and, with `precompress`, stores Brotli 11
 * and gzip 9 copies of the assets where that beats the edge.
 */
import {
  analyzeObject, behaviorCompressionFor, isTextual, MAX_MEASURED_BYTES, monthlySavings, precompressedCopies, TEXT_SAVINGS_TARGET, totals,
  type BehaviorCompression, type CompressionTotals, type MonthlySavings, type ObjectAnalysis, type StaticVolume,
} from '../../lib/compression';
import type { Catalog } from '../../lib/catalog';
import { formatPercent } from '../../lib/format/table';
import type { Progress } from '../lib/progress';
import type { ObjectStore } from './object-store';

export interface CompressionRun {
  readonly store: ObjectStore;
  readonly catalog: Catalog;
  readonly prefix: string;
  readonly volume: StaticVolume;
  readonly precompress: boolean;
  readonly dryRun: boolean;
  readonly progress?: Progress;
}

export interface WrittenCopy {
  readonly key: string;
  readonly sourceKey: string;
  readonly encoding: 'br' | 'gzip';
  readonly bytes: number;
}

export interface CompressionReport {
  readonly source: string;
  readonly prefix: string;
  readonly objects: readonly ObjectAnalysis[];
  readonly totals: CompressionTotals;
  readonly monthly: MonthlySavings;
  readonly volume: StaticVolume;
  /** Precompressed copies written (or, in a dry run, that would be). */
  readonly copies: readonly WrittenCopy[];
  readonly dryRun: boolean;
}

export async function analyzeStaticObjects(run: CompressionRun): Promise<CompressionReport> {
  const listed = await run.store.list(run.prefix);
  run.progress?.setTotal(listed.length);
  const behaviors = new Map<string, BehaviorCompression>();
  const behaviorOf = (key: string) => {
    let b = behaviors.get(key);
    if (!b) behaviors.set(key, (b = behaviorCompressionFor(run.catalog, key)));
    return b;
  };
  const objects: ObjectAnalysis[] = [];
  const copies: WrittenCopy[] = [];
  for (const l of listed) {
    const meta = await run.store.head(l.key);
    if (meta) {
      const obj = { key: l.key, bytes: l.size, ...meta };
      const measure = isTextual(obj) && obj.contentEncoding === undefined && l.size <= MAX_MEASURED_BYTES;
      const body = measure ? (await run.store.get(l.key))?.body : undefined;
      const analysis = analyzeObject(obj, behaviorOf(l.key), body);
      objects.push(analysis);
      if (run.precompress && body) {
        for (const c of precompressedCopies(obj, analysis, body)) {
          if (!run.dryRun) await run.store.put(c.key, c.body, { contentType: c.contentType, contentEncoding: c.encoding, ...(c.cacheControl ? { cacheControl: c.cacheControl } : {}) });
          copies.push({ key: c.key, sourceKey: c.sourceKey, encoding: c.encoding, bytes: c.body.length });
        }
      }
    }
    run.progress?.increment();
  }
  run.progress?.stop();
  return {
    source: run.store.label,
    prefix: run.prefix,
    objects,
    totals: totals(objects),
    monthly: monthlySavings(objects, behaviorOf, run.volume),
    volume: run.volume,
    copies,
    dryRun: run.dryRun,
  };
}

/** Problems `--check` fails on. */
export function checkProblems(r: CompressionReport): string[] {
  const problems = r.objects
    .filter((o) => o.reachable && !o.copyOf && !o.edge.compressed && o.fix !== undefined && o.sizes !== undefined)
    .filter((o) => !(o.edge.reason === 'too-large' && r.objects.some((c) => c.copyOf === o.key)))
    .map((o) => `${o.key} is not compressed (${o.edge.reason}): ${o.fix}`);
  const saved = r.totals.savedShare.brotliEdge;
  if (r.totals.measured.objects > 0 && saved < TEXT_SAVINGS_TARGET) problems.push(`text saves ${formatPercent(saved)} with edge Brotli, under the ${100 * TEXT_SAVINGS_TARGET} % target.`);
  return problems;
}
