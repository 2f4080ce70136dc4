/**
 * Starts the whole local CloudFront stack for a plan: s3rver with the plan's buckets (optionally
 * seeded with sample content), the metadata/API origin, the images fallback origin, and the edge with one server per edge
 * location. `close()` stops everything. Used by `npm run local`, the tests and the benchmarks.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { resolveCatalog } from '../../lib/catalog';
import type { Plan } from '../../lib/plan';
import { tagSettings, type TagSettings } from '../../lib/tagging';
import { distributionModelFromPlan, type DistributionModel } from '../../lib/distribution';
import { IMAGE_FALLBACK_ORIGIN_ID, parseRegionalOriginId } from '../../lib/builders/origins';
import { startApiOrigin, type ApiOrigin } from '../origins/api-origin';
import type { FunctionUrlOrigin } from '../origins/function-url-origin';
import { startImageFallbackOrigin } from '../origins/image-fallback-origin';
import { localS3Client, startS3Origin, type S3OriginServer } from '../origins/s3-origin';
import { sampleContent, seedSampleContent, type SampleBucket, type SampleContentOptions } from '../origins/sample-content';
import { LocalEdge, type LocalEdgeOptions } from './edge';
import type { LocalOrigins } from './origin-client';

export interface LocalStackOptions {
  readonly plan: Plan;
  /** Edge locations. @default ['IAD89-C1', 'FRA56-C1'] */
  readonly pops?: readonly string[];
  /** Port of the first edge location (the others follow); 0 = ephemeral. @default 0 */
  readonly edgePort?: number;
  readonly s3Port?: number;
  readonly apiPort?: number;
  /** Folder of the S3 objects (kept between runs); a temporary one when absent. */
  readonly s3Directory?: string;
  /** Use this S3-compatible endpoint (e.g. LocalStack) instead of starting s3rver. */
  readonly s3Endpoint?: string;
  /** Seed the buckets with sample content. */
  readonly seed?: boolean | SampleContentOptions;
  /** Everything else the edge takes (clock, logDir, capacities, …). */
  readonly edge?: Omit<LocalEdgeOptions, 'model' | 'origins' | 'pops'>;
  /**
   * Puts something between the edge and its origins (the drills' fault proxies): gets where the
   * origins listen, returns where the edge should send its origin requests.
   */
  readonly wrapOrigins?: (origins: LocalOrigins) => Promise<LocalOrigins>;
}

export interface LocalStack {
  readonly model: DistributionModel;
  readonly edge: LocalEdge;
  readonly edges: readonly { pop: string; port: number; url: string }[];
  readonly s3Endpoint: string;
  readonly api: ApiOrigin;
  /** The images fallback origin (the Lambda's handler on a local function URL), when the plan has one. */
  readonly imageFallback?: FunctionUrlOrigin;
  /** Bucket names by sample role (primary buckets from the plan outputs). */
  readonly buckets: Readonly<Record<SampleBucket, string>>;
  readonly seeded: number;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** Primary and replica bucket names from the plan outputs (`buckets.<origin>.name`, `.replicaName`). */
export function planBuckets(plan: Plan): { primary: Record<SampleBucket, string>; replica: Partial<Record<SampleBucket, string>>; all: string[] } {
  const b = (plan.outputs as Json).buckets as Record<string, { name: string; replicaName?: string }> | undefined;
  const primary = {} as Record<SampleBucket, string>;
  const replica: Partial<Record<SampleBucket, string>> = {};
  const all: string[] = [];
  for (const role of ['video', 'images', 'static'] as const) {
    const entry = b?.[role];
    if (!entry) continue;
    primary[role] = entry.name;
    all.push(entry.name);
    if (entry.replicaName) {
      replica[role] = entry.replicaName;
      all.push(entry.replicaName);
    }
  }
  return { primary, replica, all };
}

/** The regional S3 origins of a model (`<origin>-<region>` ids, lib/builders/origins.ts) with their buckets. */
export function regionalBuckets(model: DistributionModel): { role: SampleBucket; region: string; bucket: string }[] {
  const out: { role: SampleBucket; region: string; bucket: string }[] = [];
  for (const o of model.origins.values()) {
    const r = parseRegionalOriginId(o.id);
    if (!r || o.kind !== 's3' || !o.bucket || !(['video', 'images', 'static'] as string[]).includes(r.origin)) continue;
    out.push({ role: r.origin as SampleBucket, region: r.region, bucket: o.bucket });
  }
  return out;
}

/** How seeded objects are tagged: for the distribution's header when S3 can send it, else not at all. */
function sampleTagSettings(header: string | undefined): TagSettings | undefined {
  if (!header) return undefined;
  try {
    return tagSettings(resolveCatalog(), header);
  } catch {
    return undefined; // not an x-amz-meta-* header: S3 cannot send it
  }
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const model = distributionModelFromPlan(opts.plan);
  const { primary, replica, all: planned } = planBuckets(opts.plan);
  // Regional copies of the S3 origins (originRegions): created and filled like the primaries, as S3 replication would.
  const regional = regionalBuckets(model);
  const all = [...planned, ...regional.map((r) => r.bucket).filter((b) => !planned.includes(b))];
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let s3: S3OriginServer | undefined;
    let s3Endpoint = opts.s3Endpoint;
    if (s3Endpoint === undefined) {
      s3 = await startS3Origin({ buckets: all, ...(opts.s3Directory ? { directory: opts.s3Directory } : {}), ...(opts.s3Port !== undefined ? { port: opts.s3Port } : {}) });
      closers.push(() => s3!.close());
      s3Endpoint = s3.endpoint;
    }
    let seeded = 0;
    if (opts.seed) {
      const client = localS3Client(s3Endpoint);
      if (opts.s3Endpoint !== undefined) {
        // an external endpoint (LocalStack) may not have the buckets yet
        for (const bucket of all) {
          await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: { name?: string }) => {
            if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
          });
        }
      }
      const objects = sampleContent(typeof opts.seed === 'object' ? opts.seed : {});
      const tags = sampleTagSettings(opts.edge?.cacheTagHeader ?? model.cacheTagHeader);
      seeded = await seedSampleContent(client, primary, objects, tags);
      for (const region of new Set(regional.map((r) => r.region))) {
        const copies = { ...primary };
        for (const r of regional) if (r.region === region) copies[r.role] = r.bucket;
        const inRegion = new Set(regional.filter((r) => r.region === region).map((r) => r.role));
        await seedSampleContent(client, copies, objects.filter((o) => inRegion.has(o.bucket)), tags);
      }
      client.destroy();
    }
    const api = await startApiOrigin({ ...(opts.apiPort !== undefined ? { port: opts.apiPort } : {}), cacheTagHeader: opts.edge?.cacheTagHeader ?? model.cacheTagHeader ?? '' });
    closers.push(() => api.close());
    let imageFallback: FunctionUrlOrigin | undefined;
    if (model.origins.has(IMAGE_FALLBACK_ORIGIN_ID)) {
      if (!primary.images || !replica.images) {
        throw new Error(`the plan has the '${IMAGE_FALLBACK_ORIGIN_ID}' origin but its outputs name no images bucket and replica (buckets.images.name, .replicaName); rebuild the plan from this project's stack.`);
      }
      imageFallback = await startImageFallbackOrigin({ s3Endpoint, primaryBucket: primary.images, replicaBucket: replica.images });
      closers.push(() => imageFallback!.close());
    }
    const direct: LocalOrigins = { s3Endpoint, defaultCustom: api.url, ...(imageFallback ? { custom: { [IMAGE_FALLBACK_ORIGIN_ID]: imageFallback.url } } : {}) };
    const edge = new LocalEdge({
      ...opts.edge,
      model,
      origins: opts.wrapOrigins ? await opts.wrapOrigins(direct) : direct,
      pops: opts.pops ?? ['IAD89-C1', 'FRA56-C1'],
    });
    closers.push(() => edge.close());
    const edges = await edge.listenAll(opts.edgePort ?? 0);
    return { model, edge, edges, s3Endpoint, api, ...(imageFallback ? { imageFallback } : {}), buckets: primary, seeded, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
