/**
 * `images optimize`: for every original under a prefix, skip it when its manifest says the variants are
 * current (same settings, same ETag or content hash), otherwise render the variants (lib/images), store
 * them, then store the manifest. The manifest goes last, so an interrupted run leaves no manifest for a
 * half-done image and the next run redoes exactly the unfinished ones (resumable). A bad original is
 * reported with its key and skipped; the run goes on.
 */
import { mapConcurrent } from '../../lib/concurrency';
import { createHash } from 'node:crypto';
import { buildManifest, invalidationPathsFor, isVariantKey, manifestIsCurrent, manifestKey, parseManifest, settingsHash, variantCacheControl, variantIndexItem, variantKey, type ImageManifest, type KvsItem, type OptimizeSettings, type VariantFormat } from '../../lib/images';
import { ImageError, probeImage, renderImage, type ImageFailureReason } from '../../adapters/image-transform';
import { InputError } from '../../lib/errors';
import { checkObjectKey, objectKeyProblem } from '../../lib/object-key';
import type { Progress } from '../lib/progress';
import type { IndexSink } from './index-writer';
import type { ListedObject, ObjectStore } from './object-store';

export type ImageStatus = 'processed' | 'skipped' | 'planned' | 'failed';

export interface ImageResult {
  readonly key: string;
  readonly status: ImageStatus;
  readonly sourceBytes: number;
  /** Why it failed: the probe/decoding reason, 'storage'/'manifest' for I/O trouble, or 'key' for a key no variant may be derived from. */
  readonly reason?: ImageFailureReason | 'storage' | 'key';
  readonly message?: string;
  /** Variant bytes per format (processed or skipped with a manifest). */
  readonly bytesByFormat?: Partial<Record<VariantFormat, number>>;
  readonly widths?: readonly number[];
  readonly formats?: readonly string[];
  readonly dropped?: readonly { format: string; reason: string }[];
}

export interface OptimizeRun {
  readonly store: ObjectStore;
  readonly prefix: string;
  readonly settings: OptimizeSettings;
  readonly concurrency: number;
  readonly dryRun: boolean;
  /** Redo every image even when its manifest is current. */
  readonly force: boolean;
  readonly progress?: Progress;
  /**
   * Receives the index entry of each original as soon as its variants and manifest are stored (and of
   * each current one), then `flush()` at the end: the stack's KeyValueStore (`KvsIndexWriter`).
   */
  readonly indexSink?: IndexSink;
}

export interface OptimizeReport {
  readonly source: string;
  readonly prefix: string;
  readonly settingsHash: string;
  readonly settings: OptimizeSettings;
  readonly dryRun: boolean;
  readonly counts: Readonly<Record<ImageStatus, number>> & { readonly listed: number };
  readonly images: readonly ImageResult[];
  /** KeyValueStore items for every processed or current original (CloudFront import format items). */
  readonly index: readonly KvsItem[];
  /** Originals the edge cannot index (key too long, ...): served as originals. */
  readonly indexProblems: readonly string[];
  /** Paths to invalidate for the originals processed in this run. */
  readonly invalidationPaths: readonly string[];
  /** Bytes of the originals that have variants (processed or current) and of their variants, per format. */
  readonly totals: { readonly sourceBytes: number; readonly bytesByFormat: Partial<Record<VariantFormat, number>> };
}

/** Validates the prefix: originals only, never the variants' own root. */
export function validatePrefix(prefix: string): string {
  checkObjectKey(prefix, '--prefix', { prefix: true });
  if (isVariantKey(prefix)) {
    throw new InputError(`--prefix '${prefix}' must name originals such as 'thumbnails/' (no leading '/', not under '_variants/', where the pipeline writes).`);
  }
  return prefix;
}

function bytesByFormat(variants: readonly { format: VariantFormat; bytes: number }[]): Partial<Record<VariantFormat, number>> {
  const out: Partial<Record<VariantFormat, number>> = {};
  for (const v of variants) out[v.format] = (out[v.format] ?? 0) + v.bytes;
  return out;
}

async function readManifest(store: ObjectStore, key: string): Promise<ImageManifest | undefined> {
  const obj = await store.get(manifestKey(key));
  if (!obj) return undefined;
  try {
    return parseManifest(JSON.parse(obj.body.toString('utf8')), `${store.label}/${manifestKey(key)}`);
  } catch {
    return undefined; // unreadable manifest: the image is redone and the manifest replaced
  }
}

async function optimizeOne(run: OptimizeRun, listed: ListedObject, hash: string): Promise<{ result: ImageResult; manifest?: ImageManifest }> {
  const { store, settings } = run;
  const key = listed.key;
  const base = { key, sourceBytes: listed.size };
  const skipped = (m: ImageManifest) => ({
    result: { ...base, status: 'skipped' as const, bytesByFormat: bytesByFormat(m.variants), widths: m.index.widths, formats: m.index.formats },
    manifest: m,
  });

  // A listed key with '..' or control characters would derive variant keys that escape their folder.
  const keyProblem = objectKeyProblem(key);
  if (keyProblem !== undefined) return { result: { ...base, status: 'failed', reason: 'key', message: `the key ${keyProblem}; rename the object.` } };

  const existing = run.force ? undefined : await readManifest(store, key);
  if (existing && manifestIsCurrent(existing, { ...(listed.etag ? { etag: listed.etag } : {}), settingsHash: hash })) return skipped(existing);

  const obj = await store.get(key);
  if (!obj) return { result: { ...base, status: 'failed', reason: 'storage', message: 'the object disappeared while the run was listing; run again.' } };
  const sha256 = createHash('sha256').update(obj.body).digest('hex');
  if (existing && manifestIsCurrent(existing, { sha256, settingsHash: hash })) return skipped(existing);

  try {
    const info = await probeImage(obj.body, settings.maxInputPixels);
    if (run.dryRun) return { result: { ...base, status: 'planned', message: `${info.format} ${info.width}×${info.height}` } };
    const rendered = await renderImage(obj.body, info, settings);
    const cacheControl = variantCacheControl();
    const variants = [];
    for (const v of rendered.variants) {
      const vkey = variantKey(key, v.width, v.format);
      await store.put(vkey, v.data, { contentType: v.contentType, cacheControl });
      variants.push({ key: vkey, format: v.format, width: v.width, height: v.height, bytes: v.data.length, contentType: v.contentType, quality: v.quality, ssim: Number(v.ssim.toFixed(5)) });
    }
    const manifest = buildManifest({
      original: { key, bytes: obj.body.length, sha256, ...((obj.etag ?? listed.etag) !== undefined ? { etag: (obj.etag ?? listed.etag)! } : {}), format: info.format, width: info.width, height: info.height },
      settingsHash: hash,
      index: { widths: rendered.widths, formats: rendered.formats, baseline: rendered.baseline },
      variants,
    });
    await store.put(manifestKey(key), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), { contentType: 'application/json', cacheControl: 'no-cache' });
    return {
      result: { ...base, status: 'processed', bytesByFormat: bytesByFormat(variants), widths: rendered.widths, formats: rendered.formats, dropped: rendered.dropped },
      manifest,
    };
  } catch (e) {
    if (e instanceof ImageError) return { result: { ...base, status: 'failed', reason: e.reason, message: e.message } };
    throw e;
  }
}

/** Runs `optimize` over every original under the prefix with `concurrency` images at a time. */
export async function optimizeImages(run: OptimizeRun): Promise<OptimizeReport> {
  const prefix = validatePrefix(run.prefix);
  const hash = settingsHash(run.settings);
  const originals = (await run.store.list(prefix)).filter((o) => !isVariantKey(o.key));
  run.progress?.setTotal(originals.length);

  const outcomes = await mapConcurrent(originals, run.concurrency, async (original) => {
    const outcome = await optimizeOne(run, original, hash);
    // Only now, with every variant and the manifest stored, may the edge learn about the variants.
    if (outcome.manifest && run.indexSink) {
      const item = variantIndexItem(outcome.manifest.original.key, outcome.manifest.index);
      if (!('problem' in item)) await run.indexSink.add(item);
    }
    run.progress?.increment();
    return outcome;
  });
  await run.indexSink?.flush();
  run.progress?.stop();

  const images = outcomes.map((o) => o.result);
  const index: KvsItem[] = [];
  const indexProblems: string[] = [];
  for (const o of outcomes) {
    if (!o.manifest) continue;
    const item = variantIndexItem(o.manifest.original.key, o.manifest.index);
    if ('problem' in item) indexProblems.push(item.problem);
    else index.push(item);
  }
  const counts = { listed: originals.length, processed: 0, skipped: 0, planned: 0, failed: 0 };
  const totalsByFormat: Partial<Record<VariantFormat, number>> = {};
  for (const r of images) {
    counts[r.status]++;
    for (const [f, n] of Object.entries(r.bytesByFormat ?? {})) totalsByFormat[f as VariantFormat] = (totalsByFormat[f as VariantFormat] ?? 0) + n;
  }
  return {
    source: run.store.label,
    prefix,
    settingsHash: hash,
    settings: run.settings,
    dryRun: run.dryRun,
    counts,
    images,
    index,
    indexProblems,
    invalidationPaths: images.filter((r) => r.status === 'processed').flatMap((r) => invalidationPathsFor(r.key)),
    totals: { sourceBytes: images.filter((r) => r.bytesByFormat).reduce((n, r) => n + r.sourceBytes, 0), bytesByFormat: totalsByFormat },
  };
}
