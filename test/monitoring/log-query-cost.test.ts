import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logQueriesText } from '../../lib/monitoring/cost-report';
import { compareLogQueryCosts, LOG_PRICES, tieredUsd } from '../../lib/monitoring/log-query-cost';
import { runScript } from '../helpers/run-cli';

describe('access-log query costs: CloudWatch Logs + Logs Insights against S3 Parquet + Athena (lib/monitoring/log-query-cost)', () => {
  it('prices tiered vended-log delivery tier by tier', () => {
    expect(tieredUsd(0, LOG_PRICES.cloudWatchDelivery)).to.equal(0);
    expect(tieredUsd(100, LOG_PRICES.cloudWatchDelivery)).to.equal(50);
    expect(tieredUsd(20_480, LOG_PRICES.cloudWatchDelivery)).to.equal(10_240 * 0.5 + 10_240 * 0.25);
    expect(tieredUsd(60_000, LOG_PRICES.s3Delivery)).to.be.closeTo(2560 + 3072 + 1536 + 440, 1e-9);
  });

  it('compares a month of 2^30 log lines by hand', () => {
    const c = compareLogQueryCosts({ requestsPerMonth: 2 ** 30 });
    // 450 GiB of JSON: $225 delivery, 450 × 0.15 × $0.03 storage, 30 reports × 11 queries × 15 GiB × $0.005
    expect(c.logsInsights.deliveryUsd).to.be.closeTo(225, 1e-9);
    expect(c.logsInsights.storageUsd).to.be.closeTo(2.025, 1e-9);
    expect(c.logsInsights.gbScannedPerReport).to.be.closeTo(165, 1e-9);
    expect(c.logsInsights.queriesUsd).to.be.closeTo(24.75, 1e-9);
    expect(c.logsInsights.totalUsd).to.be.closeTo(251.775, 1e-9);
    // 50 GiB of Parquet: $12.50 delivery + $1.75 conversion, $1.15 storage; 5 queries of 204.8 MiB → 205 MiB billed each
    expect(c.athena.deliveryUsd).to.be.closeTo(14.25, 1e-9);
    expect(c.athena.storageUsd).to.be.closeTo(1.15, 1e-9);
    expect(c.athena.queriesUsd).to.be.closeTo(30 * 5 * (205 / 2 ** 20) * 5, 1e-12);
    expect(c.ratio).to.be.closeTo(c.athena.totalUsd / 251.775, 1e-12);
    expect(c.ratio).to.be.lessThan(0.1);
  });

  it('scales retention and report count, bills the 10 MB Athena minimum on small days, and refuses a bad volume', () => {
    const long = compareLogQueryCosts({ requestsPerMonth: 2 ** 30, retentionDays: 90, reportsPerMonth: 60 });
    expect(long.logsInsights.storageUsd).to.be.closeTo(3 * 2.025, 1e-9);
    expect(long.logsInsights.queriesUsd).to.be.closeTo(2 * 24.75, 1e-9);
    const tiny = compareLogQueryCosts({ requestsPerMonth: 3000 });
    expect(tiny.athena.queriesUsd).to.be.closeTo(30 * 5 * (10 / 2 ** 20) * 5, 1e-15);
    expect(() => compareLogQueryCosts({ requestsPerMonth: Number.NaN })).to.throw(/requestsPerMonth must be a number ≥ 0/);
    expect(logQueriesText(tiny)[0]).to.match(/^Access-log queries for 3,000 log lines a month/);
  });

  it('npm run cost --offline prints the comparison and writes it to the JSON', function () {
    this.timeout(240_000);
    const json = join(tmpdir(), `media-cdn-cost-logq-${process.pid}.json`);
    const r = runScript('scripts/cost.ts', ['--offline', '--stack', 'prod', '--json', json], { timeoutMs: 200_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Access-log queries for [\d,]+ log lines a month: Athena over Parquet costs [\d.]+ % of CloudWatch Logs \+ Logs Insights/);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { logQueries: { requestsPerMonth: number; athena: { totalUsd: number }; logsInsights: { totalUsd: number } } };
    expect(out.logQueries.requestsPerMonth).to.be.greaterThan(1e9);
    expect(out.logQueries.athena.totalUsd).to.be.lessThan(out.logQueries.logsInsights.totalUsd);
  });
});
