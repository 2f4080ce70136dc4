/**
 * AWS clients of the invalidation CLI and their adapters to lib/invalidation's interfaces.
 * `--endpoint` (or the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>) points every client at
 * LocalStack or a local endpoint; with a custom endpoint and no credentials in the environment,
 * LocalStack-style fake credentials are used.
 */
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand, ListInvalidationsCommand, type Invalidation } from '@aws-sdk/client-cloudfront';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { InvalidationApi, InvalidationDetail, MetricInput, ObjectEntry } from '../../lib/invalidation';

/** CloudFront's control plane signs in us-east-1 (spec §15.2). */
export const CLOUDFRONT_API_REGION = 'us-east-1';

export interface AwsOptions {
  /** `--endpoint`: every client talks to this URL. */
  readonly endpoint?: string;
  /** SDK attempts per call (its own retry strategy, under ours). @default 3 */
  readonly sdkMaxAttempts?: number;
  /** Fixed SDK retry delay, ms (tests); the SDK's exponential default otherwise. */
  readonly sdkRetryDelayMs?: number;
  /** Per-request timeout, ms. @default 30000 */
  readonly requestTimeoutMs?: number;
}

function endpointConfigured(o: AwsOptions, service: string): boolean {
  return o.endpoint !== undefined || process.env.AWS_ENDPOINT_URL !== undefined || process.env[`AWS_ENDPOINT_URL_${service}`] !== undefined;
}

/** Client settings shared by every service. */
export function clientConfig(o: AwsOptions, service: string, region: string): Record<string, unknown> {
  const cfg: Record<string, unknown> = {
    region,
    maxAttempts: o.sdkMaxAttempts ?? 3,
    // throwOnRequestTimeout: without it the SDK only logs a warning when the timeout passes.
    requestHandler: { requestTimeout: o.requestTimeoutMs ?? 30_000, throwOnRequestTimeout: true, connectionTimeout: Math.min(o.requestTimeoutMs ?? 30_000, 10_000) },
  };
  if (o.endpoint !== undefined) cfg.endpoint = o.endpoint;
  if (o.sdkRetryDelayMs !== undefined) {
    const delayMs = o.sdkRetryDelayMs;
    cfg.retryStrategy = new ConfiguredRetryStrategy(o.sdkMaxAttempts ?? 3, () => delayMs);
  }
  if (endpointConfigured(o, service) && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) {
    cfg.credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  }
  return cfg;
}

export function cloudFrontClient(o: AwsOptions): CloudFrontClient {
  return new CloudFrontClient(clientConfig(o, 'CLOUDFRONT', CLOUDFRONT_API_REGION));
}

export function s3Client(o: AwsOptions, region: string): S3Client {
  const cfg = clientConfig(o, 'S3', region);
  if (endpointConfigured(o, 'S3')) cfg.forcePathStyle = true;
  return new S3Client(cfg);
}

export function cloudWatchClient(o: AwsOptions, region: string): CloudWatchClient {
  return new CloudWatchClient(clientConfig(o, 'CLOUDWATCH', region));
}

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
