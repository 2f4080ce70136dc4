import { expect } from 'chai';
import { loadAnalyses } from '../../adapters/analytics-sql';
import { ANALYSIS_NAMES } from '../../lib/analytics/analyses';
import { ANALYTICS_RECORD_FIELDS, LOG_TABLE_COLUMNS } from '../../lib/analytics/log-table';
import { ATHENA_ENGINE_VERSION, buildWorkgroupConfiguration, PARQUET_LOG_SUFFIX_PATH } from '../../lib/builders/log-analytics';
import { validateStackFileConfig } from '../../plan/run-plan';
import { readStackConfig } from '../../plan/stack-files';
import type { Plan } from '../../lib/plan';
import { MOCK_ACCOUNT_ID } from '../../plan/mocks';
import { findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const T = {
  namedQuery: 'aws:athena/namedQuery:NamedQuery',
  workgroup: 'aws:athena/workgroup:Workgroup',
  database: 'aws:glue/catalogDatabase:CatalogDatabase',
  table: 'aws:glue/catalogTable:CatalogTable',
  delivery: 'aws:cloudwatch/logDelivery:LogDelivery',
  destination: 'aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination',
  bucket: 'aws:s3/bucket:Bucket',
  lifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  encryption: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  publicAccess: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  distribution: 'aws:cloudfront/distribution:Distribution',
};

describe('the workgroup configuration builder (lib/builders/log-analytics)', () => {
  it('enforces engine v3, SSE-S3 results and the scan limit in bytes', () => {
    expect(buildWorkgroupConfiguration('s3://r/results/', 100)).to.deep.equal({
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 100e9,
      engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
      resultConfiguration: { outputLocation: 's3://r/results/', encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
    });
  });
});

describe('LogAnalytics in the prod plan (under Pulumi mocks)', function () {
  this.timeout(180_000);
  let plan: Plan;
  before(async () => {
    plan = await planFor('prod');
  });

  it('exports the logs bucket, workgroup, Glue database and table', () => {
    expect(plan.outputs).to.include({ athenaWorkgroup: 'media-cdn-prod-logs', glueDatabase: 'media_cdn_prod_logs', glueTable: 'cloudfront_logs' });
    expect(plan.outputs.logsBucket).to.equal(plan.outputs.logBucket);
  });

  it('delivers the primary distribution\'s logs as Parquet with Hive-compatible paths and the analyses\' fields', () => {
    const destination = findResource(plan, T.destination, 'analytics-parquet-destination');
    expect(inputsOf(destination)).to.deep.include({ outputFormat: 'parquet', region: 'us-east-1' });
    const delivery = inputsOf(findResource(plan, T.delivery, 'analytics-parquet-delivery'));
    expect(delivery.s3DeliveryConfigurations).to.deep.equal([{ suffixPath: PARQUET_LOG_SUFFIX_PATH, enableHiveCompatiblePath: true }]);
    expect(delivery.recordFields).to.deep.equal([...ANALYTICS_RECORD_FIELDS]);
    expect(delivery.recordFields).to.include.members(['time-to-first-byte', 'x-edge-location', 'x-edge-result-type', 'sc-content-type', 'sc-bytes', 'c-country']);
  });

  it('defines the Glue table with partition projection over the Hive paths of the primary distribution', () => {
    const table = inputsOf(findResource(plan, T.table, 'analytics-table'));
    const dist = findResource(plan, T.distribution, 'cdn-distribution');
    expect(table.partitionKeys.map((k: { name: string }) => k.name)).to.deep.equal(['distributionid', 'year', 'month', 'day', 'hour']);
    expect(table.storageDescriptor.columns.map((c: { name: string }) => c.name)).to.deep.equal([...LOG_TABLE_COLUMNS]);
    expect(table.parameters['projection.enabled']).to.equal('true');
    expect(table.parameters['projection.distributionid.values']).to.equal(dist.id);
    expect(table.parameters['storage.location.template']).to.equal(
      `s3://${plan.outputs.logBucket}/AWSLogs/aws-account-id=${MOCK_ACCOUNT_ID}/CloudFront/DistributionId=\${distributionid}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
    );
    expect(findResources(plan, 'aws:glue/crawler:Crawler')).to.deep.equal([]);
  });

  it('creates an enforced, encrypted engine-v3 workgroup whose results bucket expires them', () => {
    const wg = inputsOf(findResource(plan, T.workgroup, 'analytics-workgroup'));
    const config = validateStackFileConfig('prod', readStackConfig('prod'));
    expect(wg.configuration).to.deep.include({ enforceWorkgroupConfiguration: true, bytesScannedCutoffPerQuery: config.logAnalyticsScanLimitGb * 1e9 });
    expect(wg.configuration.engineVersion).to.deep.equal({ selectedEngineVersion: 'Athena engine version 3' });
    const results = findResource(plan, T.bucket, 'analytics-athena-results');
    expect(wg.configuration.resultConfiguration).to.deep.equal({ outputLocation: `s3://${results.id}/results/`, encryptionConfiguration: { encryptionOption: 'SSE_S3' } });
    const lifecycle = inputsOf(findResource(plan, T.lifecycle, 'analytics-athena-results-lifecycle'));
    expect(lifecycle.rules[0].expiration).to.deep.equal({ days: config.logAnalyticsResultsRetentionDays });
    expect(inputsOf(findResource(plan, T.publicAccess, 'analytics-athena-results-public-access'))).to.include({ blockPublicAcls: true, restrictPublicBuckets: true });
    expect(findResource(plan, T.encryption, 'analytics-athena-results-encryption').type).to.equal(T.encryption);
  });

  it('has one named query per analysis whose text is the local SQL, in the workgroup and database', () => {
    const config = validateStackFileConfig('prod', readStackConfig('prod'));
    const local = new Map(loadAnalyses(config.catalog).map((a) => [a.name, a.sql]));
    const queries = findResources(plan, T.namedQuery).map(inputsOf);
    expect(queries.map((q) => q.name).sort()).to.deep.equal([...ANALYSIS_NAMES].sort());
    for (const q of queries) {
      expect(q.query, q.name).to.equal(local.get(q.name));
      expect(q).to.include({ workgroup: 'media-cdn-prod-logs', database: 'media_cdn_prod_logs' });
      expect(q.description.length).to.be.within(1, 1024);
    }
  });
});

describe('LogAnalytics off (staging, under Pulumi mocks)', function () {
  this.timeout(180_000);
  it('creates nothing and exports empty names', async () => {
    const plan = await planFor('staging');
    expect(findResources(plan, T.workgroup)).to.deep.equal([]);
    expect(findResources(plan, T.namedQuery)).to.deep.equal([]);
    expect(plan.outputs).to.include({ athenaWorkgroup: '', glueDatabase: '', glueTable: '', logsBucket: '' });
  });
});
