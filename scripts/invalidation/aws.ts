/**
 * The invalidation CLI's adapters from SDK clients (adapters/aws-clients.ts builds them) to
 * lib/invalidation's interfaces.
 */
import { CreateInvalidationCommand, GetInvalidationCommand, ListInvalidationsCommand, type CloudFrontClient, type Invalidation } from '@aws-sdk/client-cloudfront';
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { InvalidationApi, InvalidationDetail, MetricInput, ObjectEntry } from '../../lib/invalidation';

function detail(inv: Invalidation | undefined): InvalidationDetail {
  if (!inv?.Id) throw new Error('CloudFront answered without an invalidation');
  return {
    id: inv.Id,
    status: inv.Status ?? 'InProgress',
    createTime: inv.CreateTime ?? new Date(0),
    callerReference: inv.InvalidationBatch?.CallerReference ?? '',
    items: inv.InvalidationBatch?.Paths?.Items ?? [],
  };
}

/** The CloudFront client as lib/invalidation's `InvalidationApi`. */
export function cloudFrontApi(client: CloudFrontClient): InvalidationApi {
  return {
    async create(distributionId, callerReference, items) {
      const r = await client.send(new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: items.length, Items: [...items] } },
      }));
      return detail(r.Invalidation);
    },
    async get(distributionId, id) {
      return detail((await client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }))).Invalidation);
    },
    async list(distributionId, marker) {
      const r = await client.send(new ListInvalidationsCommand({ DistributionId: distributionId, ...(marker ? { Marker: marker } : {}), MaxItems: 100 }));
      const l = r.InvalidationList;
      return {
        items: (l?.Items ?? []).map((s) => ({ id: s.Id ?? '', status: s.Status ?? '', createTime: s.CreateTime ?? new Date(0) })),
        ...(l?.IsTruncated && l.NextMarker ? { nextMarker: l.NextMarker } : {}),
      };
    },
  };
}

/** Every object under a key prefix (ListObjectsV2, paginated); `onPage` sees each page's size. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string, onPage?: (n: number) => void, pageSize = 1000): Promise<ObjectEntry[]> {
  const out: ObjectEntry[] = [];
  for await (const page of paginateListObjectsV2({ client: s3, pageSize }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push(o.LastModified ? { key: o.Key, lastModified: o.LastModified } : { key: o.Key });
    onPage?.(page.Contents?.length ?? 0);
  }
  return out;
}

/** PutMetricData (at most 1,000 data points a call). */
export async function putMetrics(cw: CloudWatchClient, input: MetricInput): Promise<void> {
  for (let i = 0; i < input.MetricData.length; i += 1000) {
    await cw.send(new PutMetricDataCommand({ Namespace: input.Namespace, MetricData: input.MetricData.slice(i, i + 1000).map((d) => ({ ...d, Dimensions: [...d.Dimensions] })) }));
  }
}
