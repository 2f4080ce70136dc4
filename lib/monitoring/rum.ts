/**
 * Real-user monitoring of the web player with CloudWatch RUM, as plain data: the app monitor's
 * arguments, the guest role's trust and permission policies, the metrics RUM publishes, the alarm
 * specs and the report's metric queries. `CdnRum` (components/cdn-rum.ts) registers them; the
 * dashboard and `npm run report` read the same names. docs/monitoring.md, "Real-user monitoring".
 */
import { InputError } from '../errors';
import type { PolicyDocument } from '../invalidation/pipeline';
import type { StackOutputs } from '../outputs';
import { SEVERITY_PROFILES, type AlarmSpec, type Severity } from './alarms';
import { alarmNames, TAG_SEVERITY, TAG_STACK } from './names';
import { metricQueries, type MetricDataQuery } from './report-metrics';

/**
 * RUM publishes its metrics in `AWS/RUM`, each with the dimension `application_name` = the app
 * monitor's name, in the app monitor's Region.
 * Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-RUM-metrics.html
 */
export const RUM_NAMESPACE = 'AWS/RUM';
export const RUM_APPLICATION_DIMENSION = 'application_name';

/** Web metrics of `AWS/RUM` the stack reads (names and units from the page above). */
export const RUM_METRIC_NAMES = Object.freeze({
  /** ms: duration of a navigation (page load). */
  navigation: 'PerformanceNavigationDuration',
  /** ms: duration of a resource event (segments, images, scripts the page loaded). */
  resource: 'PerformanceResourceDuration',
  /** ms: largest contentful paint. */
  lcp: 'WebVitalsLargestContentfulPaint',
  /** ms: interaction to next paint. */
  inp: 'WebVitalsInteractionToNextPaint',
  /** unitless: cumulative layout shift. */
  cls: 'WebVitalsCumulativeLayoutShift',
  jsErrors: 'JsErrorCount',
  http4xx: 'Http4xxCount',
  http5xx: 'Http5xxCount',
  sessions: 'SessionCount',
  pageViews: 'PageViewCount',
});

/** What the app monitor collects: page and resource timings, JavaScript errors, HTTP requests. */
export const RUM_TELEMETRIES = ['performance', 'errors', 'http'] as const;

/**
 * Thresholds of the RUM alarms and report checks.
 * - LCP: Core Web Vitals rate an LCP over 4 s "poor" (good ≤ 2.5 s, judged at the 75th percentile;
 *   https://web.dev/articles/lcp). The alarm fires when the 90th percentile is poor: more than one
 *   page load in ten is.
 * - Page load: RUM counts a navigation over 8 s as frustrating (`NavigationFrustratedTransaction`,
 *   page above); the report checks the p90 against it.
 * - JavaScript errors: a choice, errors per 100 page views. A release that breaks the player throws on
 *   most page views; a few percent is the background of browser extensions and old browsers.
 */
export const RUM_THRESHOLDS = Object.freeze({
  lcpP90Ms: 4000,
  navigationP90Ms: 8000,
  jsErrorsPer100PageViews: 5,
});

/** Fewest page views in a period for the JavaScript error rate to be judged (else healthy). */
export const MIN_RUM_PAGE_VIEWS = 100;

/** Names of the RUM resources of a stack: one app monitor, identity pool and guest role per stack. */
export function rumNames(stack: string) {
  return {
    appMonitor: `media-cdn-${stack}`,
    // Identity pool names allow letters, digits, spaces and _ + = , . @ - (up to 128).
    identityPool: `media-cdn ${stack} rum`,
  };
}

export interface AppMonitorInputs<T> {
  readonly stack: string;
  readonly domains: readonly string[];
  readonly sessionSampleRate: number;
  readonly cloudWatchLogs: boolean;
  readonly identityPoolId: T;
  readonly guestRoleArn: T;
}

/**
 * `aws.rum.AppMonitorArgs` (without the Region) of the player's app monitor. Cookies on (RUM counts
 * users and sessions with them), X-Ray off (the player calls the CDN, not traced services), custom
 * events on: the player records its startup and rebuffering events (docs/monitoring.md).
 */
export function buildAppMonitorArgs<T>(inp: AppMonitorInputs<T>) {
  if (inp.domains.length === 0) throw new RangeError('buildAppMonitorArgs: the app monitor needs at least one domain.');
  if (!(inp.sessionSampleRate >= 0 && inp.sessionSampleRate <= 1)) throw new RangeError(`buildAppMonitorArgs: sessionSampleRate must be 0 to 1, got ${inp.sessionSampleRate}.`);
  return {
    name: rumNames(inp.stack).appMonitor,
    domainLists: [...inp.domains],
    cwLogEnabled: inp.cloudWatchLogs,
    appMonitorConfiguration: {
      allowCookies: true,
      enableXray: false,
      sessionSampleRate: inp.sessionSampleRate,
      telemetries: [...RUM_TELEMETRIES],
      identityPoolId: inp.identityPoolId,
      guestRoleArn: inp.guestRoleArn,
    },
    customEvents: { status: 'ENABLED' },
    tags: { [TAG_STACK]: inp.stack },
  };
}

/** The one action the guest role may perform. */
export const RUM_GUEST_ACTION = 'rum:PutRumEvents';

/**
 * Who may assume the guest role: unauthenticated identities of this one identity pool, through
 * Cognito (web identity federation), and nothing else.
 */
export function rumGuestTrustPolicy(identityPoolId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
      },
    }],
  };
}

/** What a browser holding the guest credentials may do: send events to this one app monitor. */
export function rumGuestPolicy(appMonitorArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: 'SendRumEvents', Effect: 'Allow', Action: RUM_GUEST_ACTION, Resource: appMonitorArn }] };
}

export interface RumAlarmInputs<T> {
  readonly stack: string;
  /** Name prefix, e.g. `cdn-prod` (the CDN alarms' prefix). */
  readonly prefix: string;
  readonly severity: Severity;
  readonly appMonitorName: T;
  readonly topicArn: T;
}

/** Metric-math expression of JavaScript errors per 100 page views (healthy below the sample floor). */
export function jsErrorRateExpression(errorsId = 'errors', pageViewsId = 'views', minSample = MIN_RUM_PAGE_VIEWS): string {
  return `IF(${pageViewsId} >= ${minSample}, 100 * ${errorsId} / ${pageViewsId}, 0)`;
}

/** The RUM alarms: LCP p90 over the "poor" bound, JavaScript errors per 100 page views. */
export function buildRumAlarmSpecs<T>(inp: RumAlarmInputs<T>): AlarmSpec<T>[] {
  const p = SEVERITY_PROFILES[inp.severity];
  const names = alarmNames(inp.prefix);
  const dims = { [RUM_APPLICATION_DIMENSION]: inp.appMonitorName };
  const common = {
    evaluationPeriods: p.evaluationPeriods, datapointsToAlarm: p.datapointsToAlarm, treatMissingData: 'notBreaching' as const,
    alarmActions: [inp.topicArn], okActions: [inp.topicArn], tags: { [TAG_STACK]: inp.stack, [TAG_SEVERITY]: inp.severity },
  };
  const sev = `[${inp.severity}]`;
  const minutes = (p.periodSeconds * p.evaluationPeriods) / 60;
  const count = (metricName: string) => ({ namespace: RUM_NAMESPACE, metricName, dimensions: dims, period: p.periodSeconds, stat: 'Sum' });
  return [
    {
      id: 'rum-lcp-p90', name: names.rumLcp, ...common,
      alarmDescription: `${sev} p90 Largest Contentful Paint of the web player over ${RUM_THRESHOLDS.lcpP90Ms} ms for ${minutes} minutes: more than one page load in ten is "poor" (Core Web Vitals).`,
      comparisonOperator: 'GreaterThanThreshold', threshold: RUM_THRESHOLDS.lcpP90Ms,
      namespace: RUM_NAMESPACE, metricName: RUM_METRIC_NAMES.lcp, dimensions: dims, period: p.periodSeconds, extendedStatistic: 'p90',
    },
    {
      id: 'rum-js-errors', name: names.rumJsErrors, ...common,
      alarmDescription: `${sev} More than ${RUM_THRESHOLDS.jsErrorsPer100PageViews} JavaScript errors per 100 page views of the web player for ${minutes} minutes (periods under ${MIN_RUM_PAGE_VIEWS} page views count as healthy).`,
      comparisonOperator: 'GreaterThanThreshold', threshold: RUM_THRESHOLDS.jsErrorsPer100PageViews,
      metricQueries: [
        { id: 'errors', metric: count(RUM_METRIC_NAMES.jsErrors), returnData: false },
        { id: 'views', metric: count(RUM_METRIC_NAMES.pageViews), returnData: false },
        { id: 'rate', expression: jsErrorRateExpression(), label: 'JavaScript errors per 100 page views', returnData: true },
      ],
    },
  ];
}

/** What `npm run report` reads from RUM, by key: metric and statistic. */
export const RUM_REPORT_METRICS = Object.freeze({
  sessions: { metricName: RUM_METRIC_NAMES.sessions, stat: 'Sum', label: 'Sessions' },
  pageViews: { metricName: RUM_METRIC_NAMES.pageViews, stat: 'Sum', label: 'Page views' },
  navigationP50: { metricName: RUM_METRIC_NAMES.navigation, stat: 'p50', label: 'Page load p50 (ms)' },
  navigationP90: { metricName: RUM_METRIC_NAMES.navigation, stat: 'p90', label: 'Page load p90 (ms)' },
  lcpP75: { metricName: RUM_METRIC_NAMES.lcp, stat: 'p75', label: 'LCP p75 (ms)' },
  lcpP90: { metricName: RUM_METRIC_NAMES.lcp, stat: 'p90', label: 'LCP p90 (ms)' },
  resourceP90: { metricName: RUM_METRIC_NAMES.resource, stat: 'p90', label: 'Resource duration p90 (ms)' },
  jsErrors: { metricName: RUM_METRIC_NAMES.jsErrors, stat: 'Sum', label: 'JavaScript errors' },
  http4xx: { metricName: RUM_METRIC_NAMES.http4xx, stat: 'Sum', label: 'HTTP 4xx (player requests)' },
  http5xx: { metricName: RUM_METRIC_NAMES.http5xx, stat: 'Sum', label: 'HTTP 5xx (player requests)' },
});
export type RumReportMetricKey = keyof typeof RUM_REPORT_METRICS;

/** RUM metrics drawn as series in the HTML report. */
export const RUM_SERIES_METRICS: readonly RumReportMetricKey[] = ['lcpP90', 'navigationP90', 'jsErrors'];

export const rumTotalId = (key: RumReportMetricKey) => `t_rum_${key}`;
export const rumSeriesId = (key: RumReportMetricKey) => `s_rum_${key}`;

/** GetMetricData queries of the app monitor's metrics: totals over the range, and the charted series. */
export function rumReportQueries(appMonitorName: string, seriesPeriod: number, totalPeriod: number): MetricDataQuery[] {
  const dims = [{ Name: RUM_APPLICATION_DIMENSION, Value: appMonitorName }];
  return metricQueries({ namespace: RUM_NAMESPACE, dims, metrics: RUM_REPORT_METRICS, series: RUM_SERIES_METRICS, totalId: rumTotalId, seriesId: rumSeriesId }, seriesPeriod, totalPeriod);
}

/** The `AwsRum` constructor's arguments for the web player (aws-rum-web), from the stack outputs. */
export interface RumWebClientConfig {
  readonly applicationId: string;
  readonly applicationRegion: string;
  readonly config: {
    readonly sessionSampleRate: number;
    readonly identityPoolId: string;
    readonly endpoint: string;
    readonly telemetries: readonly string[];
    readonly allowCookies: true;
    readonly enableXRay: false;
  };
}

/**
 * What the web player passes to `new AwsRum(applicationId, version, applicationRegion, config)`,
 * mapped from the stack outputs, so the player samples like the app monitor and signs in through its
 * identity pool (the enhanced flow: no guestRoleArn). docs/monitoring.md shows the snippet.
 * @throws InputError when the outputs have no app monitor (RUM off, or a stack deployed before it).
 */
export function rumWebClientConfig(outputs: Pick<StackOutputs, 'rumAppMonitorId' | 'rumIdentityPoolId' | 'rumRegion' | 'rumSessionSampleRate'>, source = 'the stack outputs'): RumWebClientConfig {
  const { rumAppMonitorId: id, rumIdentityPoolId: pool, rumRegion: region, rumSessionSampleRate: rate } = outputs;
  if (!id || !pool || !region || rate === undefined) {
    throw new InputError(`${source} have no RUM app monitor (rumAppMonitorId, rumIdentityPoolId, rumRegion, rumSessionSampleRate); set media-cdn:rum to true and run 'pulumi up', then read 'pulumi stack output --json' again.`);
  }
  return {
    applicationId: id,
    applicationRegion: region,
    config: {
      sessionSampleRate: rate, identityPoolId: pool, endpoint: `https://dataplane.rum.${region}.amazonaws.com`,
      telemetries: [...RUM_TELEMETRIES], allowCookies: true, enableXRay: false,
    },
  };
}
