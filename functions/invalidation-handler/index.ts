/**
 * Lambda entry point of the invalidation pipeline (bundled by esbuild when the program runs; the
 * AWS SDK v3 of the Node.js runtime is used, not bundled). Wires the real clients into
 * `createHandler`: CloudFront (us-east-1), S3 (the function's Region) and CloudWatch (us-east-1,
 * beside the other custom metrics).
 */
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand, ListInvalidationsCommand, paginateListInvalidations, type Invalidation } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { HeadObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { pathsSinceInPages, type InvalidationApi, type InvalidationDetail, type InvalidationSummary } from '../../lib/invalidation/api';
import { monthStartUtc } from '../../lib/invalidation/cost';
import { METRICS_REGION } from '../../lib/invalidation/metrics';
import { HANDLER_SETTINGS_VARIABLE, parseHandlerSettings } from '../../lib/invalidation/pipeline';
import type { ObjectEntry } from '../../lib/invalidation/selection';
import { createHandler, type SqsBatchResponse, type SqsEvent } from './handler';

function detail(inv: Invalidation | undefined): InvalidationDetail {
  if (!inv?.Id) throw new Error('CloudFront answered without an invalidation');
  return { id: inv.Id, status: inv.Status ?? 'InProgress', createTime: inv.CreateTime ?? new Date(0), callerReference: inv.InvalidationBatch?.CallerReference ?? '', items: inv.InvalidationBatch?.Paths?.Items ?? [] };
}

/** A CloudFront client as the planner's `InvalidationApi`. */
export function invalidationApi(cf: CloudFrontClient): InvalidationApi {
  return {
    create: async (distributionId, ref, items) =>
      detail((await cf.send(new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: ref, Paths: { Quantity: items.length, Items: [...items] } } }))).Invalidation),
    get: async (distributionId, id) => detail((await cf.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }))).Invalidation),
    list: async (distributionId, marker) => {
      const l = (await cf.send(new ListInvalidationsCommand({ DistributionId: distributionId, ...(marker ? { Marker: marker } : {}) }))).InvalidationList;
      return { items: (l?.Items ?? []).map((i) => ({ id: i.Id ?? '', status: i.Status ?? '', createTime: i.CreateTime ?? new Date(0) })), ...(l?.IsTruncated && l.NextMarker ? { nextMarker: l.NextMarker } : {}) };
    },
  };
}

/** The ListInvalidations pages of a distribution through the SDK's paginator, newest first. */
async function* invalidationSummaries(cf: CloudFrontClient, distributionId: string, pageSize?: number): AsyncGenerator<InvalidationSummary[]> {
  for await (const page of paginateListInvalidations({ client: cf, ...(pageSize !== undefined ? { pageSize } : {}) }, { DistributionId: distributionId })) {
    yield (page.InvalidationList?.Items ?? []).map((i) => ({ id: i.Id ?? '', status: i.Status ?? '', createTime: i.CreateTime ?? new Date(0) }));
  }
}

/**
 * The paths submitted to a distribution this month (UTC) up to `at`: ListInvalidations pages until
 * an older invalidation, GetInvalidation for the sizes not in `sizes` (kept across invocations of a
 * warm function: an invalidation's size never changes).
 */
export function monthToDateReader(cf: CloudFrontClient, distributionId: string, o: { sizes?: Map<string, number>; pageSize?: number } = {}) {
  const sizes = o.sizes ?? new Map<string, number>();
  return (at: Date): Promise<number> => pathsSinceInPages(invalidationSummaries(cf, distributionId, o.pageSize), monthStartUtc(at), async (id) => {
    const r = await cf.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
    return r.Invalidation?.InvalidationBatch?.Paths?.Quantity ?? 0;
  }, sizes);
}

/** Lists up to `max` objects under a prefix (ListObjectsV2 pages of up to 1,000); `complete` is false when there are more. */
export function folderLister(s3: S3Client) {
  return async (bucket: string, prefix: string, max: number): Promise<{ entries: ObjectEntry[]; complete: boolean }> => {
    const entries: ObjectEntry[] = [];
    // Pages of one more than the cap (at most 1,000), so "more than max" is known without listing further.
    for await (const r of paginateListObjectsV2({ client: s3, pageSize: Math.min(1000, max + 1) }, { Bucket: bucket, Prefix: prefix })) {
      for (const o of r.Contents ?? []) if (o.Key !== undefined) entries.push(o.LastModified ? { key: o.Key, lastModified: o.LastModified } : { key: o.Key });
      if (entries.length > max) return { entries: entries.slice(0, max), complete: false };
    }
    return { entries, complete: true };
  };
}

/** An object's user metadata (HeadObject), undefined when it is gone (cache tags, spec §8.2). */
export function metadataReader(s3: S3Client) {
  return async (bucket: string, key: string): Promise<Record<string, string> | undefined> => {
    try {
      return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {};
    } catch (e) {
      if ((e as { name?: string }).name === 'NotFound' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw e;
    }
  };
}

let cached: ReturnType<typeof createHandler> | undefined;

function runtimeHandler(): ReturnType<typeof createHandler> {
  if (cached) return cached;
  const settings = parseHandlerSettings(process.env[HANDLER_SETTINGS_VARIABLE]);
  const cw = new CloudWatchClient({ region: METRICS_REGION });
  const s3 = new S3Client({});
  const cf = new CloudFrontClient({ region: 'us-east-1' });
  cached = createHandler({
    settings,
    api: invalidationApi(cf),
    monthToDatePaths: monthToDateReader(cf, settings.distributionId),
    listFolder: folderLister(s3),
    headMetadata: metadataReader(s3),
    publish: async (input) => {
      await cw.send(new PutMetricDataCommand({ Namespace: input.Namespace, MetricData: input.MetricData.map((d) => ({ ...d, Dimensions: [...d.Dimensions] })) }));
    },
  });
  return cached;
}

/** The Lambda handler (SQS event source with ReportBatchItemFailures). */
export async function handler(event: SqsEvent, context?: { getRemainingTimeInMillis?: () => number }): Promise<SqsBatchResponse> {
  const { batchItemFailures } = await runtimeHandler()(event, context?.getRemainingTimeInMillis?.bind(context));
  return { batchItemFailures };
}
