import { expect } from 'chai';
import { CONTENT_TYPE_NAMES, resolveCatalog } from '../../lib/catalog';
import {
  buildAlarmSpecs, buildMetricFilterSpecs, hitRatioExpression, MAX_FILTER_PATTERN_LENGTH, originLatencyThresholdMs,
  overallHitRateTargetPercent, SEVERITY_PROFILES, type AlarmSpec,
} from '../../lib/monitoring';

const catalog = resolveCatalog();
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:cdn-prod-alarms';
const build = (severity: 'critical' | 'warning' = 'critical') => buildAlarmSpecs({
  catalog, stack: 'prod', prefix: 'cdn-prod', severity, distributionId: 'E123', topicArn: TOPIC, bandwidthCeilingGbps: 120,
});
const byName = (alarms: AlarmSpec<string>[], name: string) => {
  const a = alarms.find((x) => x.name === name);
  if (!a) throw new Error(`no alarm ${name}; have ${alarms.map((x) => x.name).join(', ')}`);
  return a;
};

describe('log metric filters from the catalog', () => {
  const specs = buildMetricFilterSpecs(catalog, 'prod');

  it('has hits, cacheable requests and bytes for every content type, in MediaCdn/<stack>', () => {
    expect(specs.map((s) => s.id)).to.deep.equal(CONTENT_TYPE_NAMES.flatMap((t) => [`hits-${t}`, `cacheable-${t}`, `bytes-${t}`]));
    expect(new Set(specs.map((s) => s.metricTransformation.namespace))).to.deep.equal(new Set(['MediaCdn/prod']));
    expect(specs.find((s) => s.id === 'hits-video')!.metricTransformation).to.deep.equal({ name: 'CacheHits_video', namespace: 'MediaCdn/prod', value: '1', defaultValue: '0', unit: 'Count' });
    expect(specs.find((s) => s.id === 'bytes-api')!.metricTransformation).to.deep.include({ name: 'BytesDownloaded_api', value: '$.sc-bytes', unit: 'Bytes' });
  });

  it('counts GET/HEAD hits of the cached routes only', () => {
    expect(specs.find((s) => s.id === 'hits-video')!.pattern).to.equal(
      '{ ($.cs-uri-stem = "/video/*") && ($.cs-method = "GET" || $.cs-method = "HEAD") && ($.x-edge-result-type = "Hit" || $.x-edge-result-type = "RefreshHit") }',
    );
    expect(specs.find((s) => s.id === 'cacheable-metadata')!.pattern).to.equal(
      '{ ($.cs-uri-stem = "/metadata/*") && ($.cs-method = "GET" || $.cs-method = "HEAD") && ($.x-edge-result-type = "Hit" || $.x-edge-result-type = "RefreshHit" || $.x-edge-result-type = "Miss") }',
    );
  });

  it('sums bytes over every route of the type, the never-cached ones included', () => {
    expect(specs.find((s) => s.id === 'bytes-api')!.pattern).to.equal('{ ($.cs-uri-stem = "/api/*") && $.sc-bytes = * }');
  });

  it('keeps every pattern within CloudWatch Logs\' 1,024 characters', () => {
    for (const s of specs) expect(s.pattern.length, s.id).to.be.at.most(MAX_FILTER_PATTERN_LENGTH);
  });

  it('refuses a catalog whose patterns would need a longer filter', () => {
    const many = Array.from({ length: 60 }, (_, i) => `/metadata-${i}-long-prefix/*`);
    expect(() => buildMetricFilterSpecs(resolveCatalog({ metadata: { pathPatterns: many } }), 'prod')).to.throw(/over CloudWatch Logs' 1024/);
  });
});

describe('alarm specs from the catalog and config', () => {
  const { alarms, composite } = build();

  for (const t of catalog.types) {
    it(`alarms when the ${t.name} hit ratio falls under the catalog target ${t.targetHitRatio * 100}%`, () => {
      const a = byName(alarms, `cdn-prod-hit-ratio-${t.name}`);
      expect(a).to.deep.include({ comparisonOperator: 'LessThanThreshold', threshold: t.targetHitRatio * 100, treatMissingData: 'notBreaching' });
      expect(a.alarmActions).to.deep.equal([TOPIC]);
      expect(a.tags).to.deep.equal({ 'media-cdn:content-type': t.name, 'media-cdn:severity': 'critical', 'media-cdn:stack': 'prod' });
      expect(a.metricQueries!.map((q) => q.metric?.metricName ?? q.expression)).to.deep.equal([
        `CacheHits_${t.name}`, `CacheableRequests_${t.name}`, 'IF(cacheable >= 100, 100 * hits / cacheable, 100)',
      ]);
      expect(a.metricQueries!.map((q) => q.returnData)).to.deep.equal([false, false, true]);
      expect(a.metricQueries![0]!.metric).to.deep.include({ namespace: 'MediaCdn/prod', period: 3600, stat: 'Sum' });
    });
  }

  it('watches the distribution-wide CacheHitRate at the lowest type target, in AWS/CloudFront Region=Global', () => {
    expect(overallHitRateTargetPercent(catalog)).to.equal(80);
    expect(byName(alarms, 'cdn-prod-cache-hit-rate')).to.deep.include({
      namespace: 'AWS/CloudFront', metricName: 'CacheHitRate', statistic: 'Average', threshold: 80, comparisonOperator: 'LessThanThreshold',
      dimensions: { DistributionId: 'E123', Region: 'Global' },
    });
  });

  it('alarms on p95 OriginLatency over the most lenient latency target', () => {
    expect(originLatencyThresholdMs(catalog)).to.equal(200);
    expect(byName(alarms, 'cdn-prod-origin-latency-p95')).to.deep.include({ metricName: 'OriginLatency', extendedStatistic: 'p95', threshold: 200, comparisonOperator: 'GreaterThanThreshold' });
  });

  it('alarms on 5xx and 4xx rates with the severity\'s thresholds', () => {
    expect(byName(alarms, 'cdn-prod-5xx-rate')).to.deep.include({ metricName: '5xxErrorRate', threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 3, period: 300 });
    expect(byName(alarms, 'cdn-prod-4xx-rate')).to.deep.include({ metricName: '4xxErrorRate', threshold: 10 });
  });

  it('turns BytesDownloaded into Gbps against the bandwidth ceiling', () => {
    const a = byName(alarms, 'cdn-prod-bandwidth');
    expect(a.threshold).to.equal(120);
    expect(a.metricQueries!.map((q) => q.expression ?? q.metric!.metricName)).to.deep.equal(['BytesDownloaded', 'bytes * 8 / 300 / 1000000000']);
    // 7.5 TB in 5 minutes is 200 Gbps: 7.5e12 * 8 / 300 / 1e9.
    expect((7.5e12 * 8) / 300 / 1e9).to.equal(200);
  });

  it('alarms on any failed invalidation published by the invalidation script', () => {
    expect(byName(alarms, 'cdn-prod-invalidation-failures')).to.deep.include({
      namespace: 'MediaCdn/prod', metricName: 'InvalidationFailures', statistic: 'Sum', threshold: 0, comparisonOperator: 'GreaterThanThreshold', dimensions: { DistributionId: 'E123' },
    });
  });

  it('combines 5xx, CacheHitRate and origin latency into the composite "CDN degraded" alarm', () => {
    expect(composite.alarmName).to.equal('cdn-prod-degraded');
    expect(composite.alarmRule).to.equal('ALARM("cdn-prod-5xx-rate") OR ALARM("cdn-prod-cache-hit-rate") OR ALARM("cdn-prod-origin-latency-p95")');
    expect(composite.alarmActions).to.deep.equal([TOPIC]);
  });

  it('gives staging (warning) longer windows and looser error thresholds, but the same hit-ratio targets', () => {
    const warning = build('warning').alarms;
    expect(byName(warning, 'cdn-prod-5xx-rate')).to.deep.include({ threshold: 5, evaluationPeriods: 6, datapointsToAlarm: 6 });
    expect(byName(warning, 'cdn-prod-4xx-rate').threshold).to.equal(25);
    expect(byName(warning, 'cdn-prod-hit-ratio-video')).to.deep.include({ threshold: 95, evaluationPeriods: 6, datapointsToAlarm: 4 });
    expect(byName(warning, 'cdn-prod-hit-ratio-video').tags['media-cdn:severity']).to.equal('warning');
    expect(SEVERITY_PROFILES.warning.errorRate5xxPercent).to.be.greaterThan(SEVERITY_PROFILES.critical.errorRate5xxPercent);
  });

  it('names every alarm once', () => {
    const names = alarms.map((a) => a.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.have.length(4 + catalog.types.length + 2);
  });

  it('guards the hit ratio against tiny samples', () => {
    expect(hitRatioExpression('h', 'c', 50)).to.equal('IF(c >= 50, 100 * h / c, 100)');
  });
});
