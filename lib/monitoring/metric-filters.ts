/**
 * Log metric filters over the access logs in CloudWatch Logs: per content type, cache hits and
 * cacheable requests of its cached routes (the hit-ratio alarms divide them) and bytes to viewers.
 * CloudFront's own metrics are distribution-wide only (spec §12).
 */
import type { Catalog, ContentTypeName } from '../catalog';
import { CACHEABLE_METHODS, CACHEABLE_RESULT_TYPES, HIT_RESULT_TYPES, LOG_FIELDS } from './log-fields';
import { contentTypeMetricName, customNamespace, type ContentTypeMetric } from './names';
import { cachedRoutesCondition, contentTypeCondition, toMetricFilterExpression } from './path-classes';

/** CloudWatch Logs' limit on a filter pattern's length. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

export interface MetricFilterSpec {
  /** Resource and filter name suffix, e.g. `hits-video`. */
  readonly id: string;
  readonly contentType: ContentTypeName;
  readonly metric: ContentTypeMetric;
  readonly pattern: string;
  readonly metricTransformation: {
    readonly name: string;
    readonly namespace: string;
    /** `1` to count events, `$.sc-bytes` to sum bytes. */
    readonly value: string;
    /** Emitted for events that do not match, so the series of one type line up with each other. */
    readonly defaultValue: string;
    readonly unit: 'Count' | 'Bytes';
  };
}

function anyOf(field: string, values: readonly string[]): string {
  return values.map((v) => `$.${field} = "${v}"`).join(' || ');
}

/**
 * The three filters of each content type, from the catalog.
 * @throws Error when a pattern would exceed {@link MAX_FILTER_PATTERN_LENGTH} characters.
 */
export function buildMetricFilterSpecs(catalog: Catalog, stack: string): MetricFilterSpec[] {
  const namespace = customNamespace(stack);
  const methods = anyOf(LOG_FIELDS.method, CACHEABLE_METHODS);
  const specs: MetricFilterSpec[] = [];
  for (const t of catalog.types) {
    const cached = toMetricFilterExpression(cachedRoutesCondition(catalog, t.name), LOG_FIELDS.path);
    const all = toMetricFilterExpression(contentTypeCondition(catalog, t.name), LOG_FIELDS.path);
    const filters: [ContentTypeMetric, string, string, 'Count' | 'Bytes'][] = [
      ['hits', `{ (${cached}) && (${methods}) && (${anyOf(LOG_FIELDS.resultType, HIT_RESULT_TYPES)}) }`, '1', 'Count'],
      ['cacheable', `{ (${cached}) && (${methods}) && (${anyOf(LOG_FIELDS.resultType, CACHEABLE_RESULT_TYPES)}) }`, '1', 'Count'],
      ['bytes', `{ (${all}) && $.${LOG_FIELDS.bytes} = * }`, `$.${LOG_FIELDS.bytes}`, 'Bytes'],
    ];
    for (const [metric, pattern, value, unit] of filters) {
      if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
        throw new Error(
          `the ${metric} metric filter of content type '${t.name}' is ${pattern.length} characters long, over CloudWatch Logs' ` +
            `${MAX_FILTER_PATTERN_LENGTH}; give the catalog's path patterns distinct literal prefixes so fewer exclusions are needed.`,
        );
      }
      specs.push({
        id: `${metric}-${t.name}`,
        contentType: t.name,
        metric,
        pattern,
        metricTransformation: { name: contentTypeMetricName(metric, t.name), namespace, value, defaultValue: '0', unit },
      });
    }
  }
  return specs;
}
