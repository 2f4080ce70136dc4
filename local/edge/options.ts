/**
 * Options of the local edge (LocalEdge in ./edge.ts): the distribution model, where its origins live,
 * edge locations, cache capacities, access logs and the local-only switches.
 */
import type { DistributionModel } from '../../lib/distribution';
import type { EdgeLogFormat } from './edge-log';
import type { LocalOrigins } from './origin-client';

export interface LocalEdgeOptions {
  readonly model: DistributionModel;
  readonly origins: LocalOrigins;
  /** Edge location codes, one server each. @default ['IAD89-C1'] */
  readonly pops?: readonly string[];
  /** Clock in epoch ms (tests advance it instead of sleeping). @default Date.now */
  readonly clock?: () => number;
  /** Folder for standard access logs; no logs when absent. */
  readonly logDir?: string;
  /**
   * Format of the access logs in `logDir`: CloudFront's standard logs v1 (hourly text files), v2 as
   * Parquet in the S3 delivery's Hive layout (each hour converted once it is over, and on close), or both.
   * @default 'v1'
   */
  readonly logFormat?: EdgeLogFormat;
  /** @default 1000 */
  readonly logFlushIntervalMs?: number;
  /** Capacity of each POP cache, bytes. @default 256 MiB */
  readonly popCapacityBytes?: number;
  /** Capacity of the regional edge cache, bytes. @default 1 GiB */
  readonly regionalCapacityBytes?: number;
  /** Treat plain HTTP viewers as HTTPS (no local TLS); false applies the viewer protocol policy. @default true */
  readonly assumeHttps?: boolean;
  /** Origin connect/read timeout, ms. @default 5000 */
  readonly originTimeoutMs?: number;
  /** Cache-tag response header; overrides the plan's CacheTagConfig (spec §8.2). */
  readonly cacheTagHeader?: string;
  /** Items of the KeyValueStore viewer-request functions read (e.g. the image variant index). @default empty */
  readonly keyValueStore?: ReadonlyMap<string, string>;
  /** Add `X-Local-Cache-Tier: pop|regional|origin|edge` to responses (not a CloudFront header). @default false */
  readonly debugHeaders?: boolean;
  /** Request header that picks the edge location on any port. @default 'x-edge-location' */
  readonly popHeader?: string;
  /** Request headers that carry the viewer's country (spec §10.1). @default cloudfront-viewer-country, x-viewer-country */
  readonly viewerCountryHeaders?: readonly string[];
}
