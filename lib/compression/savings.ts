/**
 * Totals of a compression analysis and what they are worth in a month: bytes the edge already saves,
 * bytes precompressed copies would save on top, and bytes lost to objects CloudFront does not compress
 * although they are text, priced at the margin of the platform's monthly transfer (spec §13.2).
 */
import { normalizeAcceptEncoding } from '../semantics/cache-key';
import { GIB, tieredTransferCostUsd, type PriceRegionGroup } from '../semantics/pricing';
import { edgeDecision, type BehaviorCompression, type ObjectAnalysis } from './analysis';

/** Text assets must shrink by more than this share when compressed (the platform asks for more than 60 %). */
export const TEXT_SAVINGS_TARGET = 0.6;

/** Seconds in the month AWS bills by (730 hours). */
export const SECONDS_PER_MONTH = 730 * 3600;

/** The traffic the savings are estimated at. */
export interface StaticVolume {
  /** Viewer requests for static objects in a month, spread evenly over the analyzed objects. */
  readonly requestsPerMonth: number;
  /** Viewer Accept-Encoding values and their shares (sum 1). */
  readonly acceptEncodings: readonly { readonly header: string | undefined; readonly share: number }[];
  /** Price group the transfer is billed in. */
  readonly priceGroup: PriceRegionGroup;
  /** The distribution's whole monthly transfer, GB: it sets the tier the saved bytes come off. */
  readonly monthlyTransferGb: number;
}

/**
 * Defaults: the platform's 50 Gbps average (issue; the simulator's seed profile) sets the tier; the
 * Accept-Encoding mix is the simulator's seed mix (browsers gzip+br, TV stacks gzip only);
 * 100 M static requests a month is an [assumption] used only without a plan: with --stack or --plan
 * the CLI prices at the simulator's static volume (simulator/usage.ts predictStaticVolume).
 */
export const DEFAULT_STATIC_VOLUME: StaticVolume = Object.freeze({
  requestsPerMonth: 100_000_000,
  acceptEncodings: Object.freeze([
    { header: 'gzip, deflate, br', share: 0.85 },
    { header: 'gzip, deflate', share: 0.12 },
    { header: undefined, share: 0.03 },
  ]),
  priceGroup: 'US',
  monthlyTransferGb: (50e9 / 8) * SECONDS_PER_MONTH / GIB,
});

export interface CompressionTotals {
  readonly objects: number;
  readonly bytes: number;
  /** Objects a browser gets compressed by CloudFront. */
  readonly compressed: number;
  /** Objects not compressed, by reason. */
  readonly notCompressed: Readonly<Record<string, { count: number; bytes: number }>>;
  /** Textual objects measured, and their sizes summed. */
  readonly measured: { readonly objects: number; readonly bytes: number; readonly gzipEdge: number; readonly brotliEdge: number; readonly gzipMax: number; readonly brotliMax: number };
  /** Saved share of the measured bytes, 0–1, per encoder and level. */
  readonly savedShare: { readonly gzipEdge: number; readonly brotliEdge: number; readonly gzipMax: number; readonly brotliMax: number };
  readonly precompressRecommended: number;
}

export function totals(objects: readonly ObjectAnalysis[]): CompressionTotals {
  const notCompressed: Record<string, { count: number; bytes: number }> = {};
  const m = { objects: 0, bytes: 0, gzipEdge: 0, brotliEdge: 0, gzipMax: 0, brotliMax: 0 };
  let compressed = 0;
  for (const o of objects) {
    if (o.edge.compressed) compressed++;
    else {
      const r = (notCompressed[o.edge.reason] ??= { count: 0, bytes: 0 });
      r.count++;
      r.bytes += o.bytes;
    }
    if (o.sizes) {
      m.objects++;
      m.bytes += o.bytes;
      m.gzipEdge += o.sizes.gzipEdge;
      m.brotliEdge += o.sizes.brotliEdge;
      m.gzipMax += o.sizes.gzipMax;
      m.brotliMax += o.sizes.brotliMax;
    }
  }
  const share = (n: number) => (m.bytes === 0 ? 0 : 1 - n / m.bytes);
  return {
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.bytes, 0),
    compressed,
    notCompressed,
    measured: m,
    savedShare: { gzipEdge: share(m.gzipEdge), brotliEdge: share(m.brotliEdge), gzipMax: share(m.gzipMax), brotliMax: share(m.brotliMax) },
    precompressRecommended: objects.filter((o) => o.precompress.recommended).length,
  };
}

export interface MonthlySavings {
  readonly requests: number;
  /** Bytes served if nothing were compressed. */
  readonly identityBytes: number;
  /** Bytes served as things are: edge compression where CloudFront applies it. */
  readonly edgeBytes: number;
  /** Bytes served with the recommended precompressed copies delivered to viewers that accept them. */
  readonly precompressedBytes: number;
  /** Bytes served if every object not compressed for a fixable reason (Content-Type, size) were compressed. */
  readonly fixedBytes: number;
  readonly savedByEdge: { readonly bytes: number; readonly usd: number };
  readonly savedByPrecompression: { readonly bytes: number; readonly usd: number };
  readonly lostToUncompressedText: { readonly bytes: number; readonly usd: number };
}

/** USD the transfer of `bytes` fewer costs at the margin of `volume.monthlyTransferGb` (tiered, spec §13.2). */
export function marginalTransferUsd(bytes: number, volume: StaticVolume): number {
  const total = volume.monthlyTransferGb;
  const saved = Math.min(total, bytes / GIB);
  return tieredTransferCostUsd(volume.priceGroup, total) - tieredTransferCostUsd(volume.priceGroup, total - saved);
}

/**
 * Monthly bytes and dollars, with every analyzed object requested equally often
 * (`requestsPerMonth / objects`) by the Accept-Encoding mix. Copies and unreachable objects are
 * left out (viewers never request them under their own key).
 */
export function monthlySavings(objects: readonly ObjectAnalysis[], behaviors: (key: string) => BehaviorCompression, volume: StaticVolume = DEFAULT_STATIC_VOLUME): MonthlySavings {
  const served = objects.filter((o) => o.copyOf === undefined && o.reachable);
  const perObject = served.length === 0 ? 0 : volume.requestsPerMonth / served.length;
  let identity = 0;
  let edge = 0;
  let pre = 0;
  let fixed = 0;
  for (const o of served) {
    const behavior = behaviors(o.key);
    for (const v of volume.acceptEncodings) {
      const weight = perObject * v.share;
      identity += weight * o.bytes;
      const d = edgeDecision(o, behavior, v.header);
      const edgeBytes = !d.compress || !o.sizes ? o.bytes : d.encoding === 'gzip' ? o.sizes.gzipEdge : o.sizes.brotliEdge;
      edge += weight * edgeBytes;
      // A precompressed copy reaches the viewers whose normalized Accept-Encoding (spec §5.3) takes it.
      const ae = normalizeAcceptEncoding(v.header, behavior.policyGzip, behavior.policyBrotli, '2');
      const copyBytes = !o.sizes || !o.precompress.recommended || ae === undefined ? edgeBytes : ae.includes('br') ? o.sizes.brotliMax : o.sizes.gzipMax;
      pre += weight * Math.min(edgeBytes, copyBytes);
      // Fixed: the right Content-Type, or a copy for bodies above the edge's size limit.
      let fixedBytes = edgeBytes;
      if (o.sizes && !d.compress && ae !== undefined) {
        if (o.edge.reason === 'content-type-not-compressible' && o.suggestedContentType) {
          const f = edgeDecision(o, behavior, v.header, o.suggestedContentType);
          if (f.compress) fixedBytes = f.encoding === 'gzip' ? o.sizes.gzipEdge : o.sizes.brotliEdge;
        } else if (o.edge.reason === 'too-large') {
          fixedBytes = ae.includes('br') ? o.sizes.brotliMax : o.sizes.gzipMax;
        }
      }
      fixed += weight * fixedBytes;
    }
  }
  const money = (bytes: number) => ({ bytes, usd: marginalTransferUsd(bytes, volume) });
  return {
    requests: perObject * served.length,
    identityBytes: identity,
    edgeBytes: edge,
    precompressedBytes: pre,
    fixedBytes: fixed,
    savedByEdge: money(identity - edge),
    savedByPrecompression: money(edge - pre),
    lostToUncompressedText: money(edge - fixed),
  };
}
