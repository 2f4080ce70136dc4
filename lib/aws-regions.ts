/**
 * The AWS Regions of the commercial partition (`arn:aws`), the one list every Region setting is
 * checked against (aws:region, failoverRegion, originRegions, the Region keys of
 * metadataOriginDomains/apiOriginDomains; originShieldRegion has its own, shorter list).
 * The latency model knows a subset (lib/network.ts AWS_REGIONS).
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * (GovCloud and China are other partitions, which this program does not target.)
 */
export const ALL_AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
] as const;

const REGIONS: ReadonlySet<string> = new Set(ALL_AWS_REGIONS);

/** Whether `region` is an AWS Region of the commercial partition. */
export function isAwsRegion(region: unknown): boolean {
  return typeof region === 'string' && REGIONS.has(region);
}
