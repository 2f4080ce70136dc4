/**
 * Fields of the standard logs (v2) delivered to CloudWatch Logs as JSON, one object per request,
 * keyed by the field names of spec §11. The monitoring widgets, metric filters and report queries
 * read only these.
 *
 * Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html
 */

export const LOG_FIELDS = Object.freeze({
  date: 'date',
  time: 'time',
  edgeLocation: 'x-edge-location',
  bytes: 'sc-bytes',
  method: 'cs-method',
  path: 'cs-uri-stem',
  status: 'sc-status',
  resultType: 'x-edge-result-type',
  requestId: 'x-edge-request-id',
  protocol: 'cs-protocol',
  /** Seconds, from the request's arrival to the last byte sent. */
  timeTaken: 'time-taken',
  responseResultType: 'x-edge-response-result-type',
  /** Seconds, from the request's arrival to the first byte sent; the catalog's latency targets are p95 of this. */
  timeToFirstByte: 'time-to-first-byte',
  detailedResultType: 'x-edge-detailed-result-type',
  contentType: 'sc-content-type',
  /**
   * Viewer country (ISO 3166-1 alpha-2). A v2-only field taken from the real-time log field set; it
   * is not one of the 33 legacy fields of spec §11 [unverified against the current field list].
   */
  country: 'c-country',
});

/**
 * Fields the CloudWatch Logs delivery records (LogDelivery `recordFields`). Fewer fields mean fewer
 * ingested bytes, which CloudWatch Logs bills per GB (docs/cost-analysis.md).
 */
export const CLOUDWATCH_RECORD_FIELDS: readonly string[] = Object.freeze([
  LOG_FIELDS.date, LOG_FIELDS.time, LOG_FIELDS.edgeLocation, LOG_FIELDS.bytes, LOG_FIELDS.method, LOG_FIELDS.path,
  LOG_FIELDS.status, LOG_FIELDS.resultType, LOG_FIELDS.requestId, LOG_FIELDS.protocol, LOG_FIELDS.timeTaken,
  LOG_FIELDS.responseResultType, LOG_FIELDS.timeToFirstByte, LOG_FIELDS.detailedResultType, LOG_FIELDS.contentType,
  LOG_FIELDS.country,
]);

/** Result types that count as cache hits (spec §11; collapsed requests are logged Hit). */
export const HIT_RESULT_TYPES: readonly string[] = Object.freeze(['Hit', 'RefreshHit']);
/**
 * Result types of cacheable requests: CacheHitRate divides hits by GET/HEAD requests that were not
 * errors (spec §12), i.e. requests answered Hit, RefreshHit or Miss.
 */
export const CACHEABLE_RESULT_TYPES: readonly string[] = Object.freeze(['Hit', 'RefreshHit', 'Miss']);
/** Methods whose responses CloudFront caches (spec §16 item 9; OPTIONS only when opted in). */
export const CACHEABLE_METHODS: readonly string[] = Object.freeze(['GET', 'HEAD']);
