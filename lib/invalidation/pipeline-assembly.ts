/**
 * How the `InvalidationPipeline` component (components/) is put together, as plain data: the
 * resource names, the queue's redrive policy, the handler's settings, each schedule's name and
 * description, and where the alarms notify. The component only registers what these return.
 */
import type { Catalog } from '../catalog';
import { customNamespace } from '../monitoring/names';
import { contentTypeOutputs } from '../outputs';
import { DEFAULT_BATCH_SIZES } from './batching';
import type { HandlerSettings, PipelineSchedule } from './pipeline';

/** Over-invalidation bound of the handler's planner, percent (as the CLI's default). */
export const DEFAULT_MAX_OVER_INVALIDATION_PCT = 5;
/** Most objects the handler lists per folder to count over-invalidation. */
export const HANDLER_MAX_LISTED_OBJECTS = 10_000;

/** The AWS names of the pipeline's resources, from the component name and the stack. */
export interface PipelineNames {
  /** `invalidation-prod`: the queue, and the prefix of every other name. */
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** Lambda function names are at most 64 characters. */
  readonly functionName: string;
  readonly metricsNamespace: string;
}

export function pipelineNames(component: string, stack: string): PipelineNames {
  const prefix = `${component}-${stack}`;
  return { queue: prefix, deadLetterQueue: `${prefix}-dlq`, functionName: `${prefix}-handler`.slice(0, 64), metricsNamespace: customNamespace(stack) };
}

/** The queue's redrive policy (JSON, as SQS takes it): messages go to the dead-letter queue after `maxReceiveCount` receives. */
export function redrivePolicy(deadLetterQueueArn: string, maxReceiveCount: number): string {
  return JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount });
}

/** One primary origin bucket: its name and the origin it serves (`video`, `images`, `static`). */
export interface OriginBucket {
  readonly origin: string;
  readonly bucketName: string;
}

/** The handler's settings (its `MEDIA_CDN_INVALIDATION` variable) for one distribution and its buckets. */
export function pipelineHandlerSettings(a: {
  readonly distributionId: string;
  readonly buckets: readonly OriginBucket[];
  readonly catalog: Catalog;
  readonly stack: string;
  /** @default DEFAULT_MAX_OVER_INVALIDATION_PCT */
  readonly maxOverInvalidationPct?: number;
  /** The distribution's cache-tag header; '' turns cache tags off. */
  readonly cacheTagHeader: string;
}): HandlerSettings {
  const routing = contentTypeOutputs(a.catalog);
  return {
    distributionId: a.distributionId,
    buckets: Object.fromEntries(a.buckets.map((b) => [b.bucketName, b.origin])),
    contentTypes: Object.fromEntries(Object.entries(routing).map(([t, r]) => [t, { pathPatterns: r.pathPatterns, origin: r.origin }])),
    maxOverInvalidation: (a.maxOverInvalidationPct ?? DEFAULT_MAX_OVER_INVALIDATION_PCT) / 100,
    metricsNamespace: customNamespace(a.stack),
    maxListedObjects: HANDLER_MAX_LISTED_OBJECTS,
    batchPaths: DEFAULT_BATCH_SIZES.paths,
    batchWildcards: DEFAULT_BATCH_SIZES.wildcards,
    ...(a.cacheTagHeader !== '' ? { cacheTagHeader: a.cacheTagHeader } : {}),
  };
}

/** A schedule's Pulumi resource name and description: `invalidation-sweep-api`, `invalidation-sweep-video-live-news`. */
export function scheduleResource(component: string, s: PipelineSchedule): { readonly resourceName: string; readonly description: string } {
  const suffix = s.prefix ? `-${s.prefix.replace(/[^A-Za-z0-9]+/g, '-')}` : '';
  return {
    resourceName: `${component}-sweep-${s.contentType}${suffix}`,
    description: `media-cdn: invalidate ${s.contentType}${s.prefix ? ` under ${s.prefix}` : ''} (${s.expression})`,
  };
}

/**
 * The alarms' actions: an alarm may notify only a topic in its own Region, so a topic elsewhere
 * gives no actions (the alarms still show in CloudWatch).
 */
export function pipelineAlarmActions<T>(topic: { readonly arn: T; readonly region: string } | undefined, region: string): T[] {
  return topic && topic.region === region ? [topic.arn] : [];
}
