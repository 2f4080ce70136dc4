/**
 * AWS Regions (commercial partition) with the approximate location of each, used to find the Region
 * nearest a viewer when routing to regional origins. Locations are the metro area AWS names for each
 * Region, rounded to a tenth of a degree; routing only compares great-circle distances, so a city is
 * precise enough.
 *
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html (Region
 * codes and their locations; checked for this table in 2026).
 */

export interface AwsRegionInfo {
  readonly code: string;
  readonly location: string;
  readonly lat: number;
  readonly lon: number;
}

export const AWS_REGIONS: readonly AwsRegionInfo[] = [
  { code: 'us-east-1', location: 'N. Virginia', lat: 38.9, lon: -77.4 },
  { code: 'us-east-2', location: 'Ohio', lat: 40.0, lon: -83.0 },
  { code: 'us-west-1', location: 'N. California', lat: 37.4, lon: -121.9 },
  { code: 'us-west-2', location: 'Oregon', lat: 45.8, lon: -119.7 },
  { code: 'ca-central-1', location: 'Montreal', lat: 45.5, lon: -73.6 },
  { code: 'ca-west-1', location: 'Calgary', lat: 51.0, lon: -114.1 },
  { code: 'mx-central-1', location: 'Querétaro', lat: 20.6, lon: -100.4 },
  { code: 'sa-east-1', location: 'São Paulo', lat: -23.5, lon: -46.6 },
  { code: 'eu-west-1', location: 'Ireland', lat: 53.3, lon: -6.3 },
  { code: 'eu-west-2', location: 'London', lat: 51.5, lon: -0.1 },
  { code: 'eu-west-3', location: 'Paris', lat: 48.9, lon: 2.4 },
  { code: 'eu-central-1', location: 'Frankfurt', lat: 50.1, lon: 8.7 },
  { code: 'eu-central-2', location: 'Zurich', lat: 47.4, lon: 8.5 },
  { code: 'eu-north-1', location: 'Stockholm', lat: 59.3, lon: 18.1 },
  { code: 'eu-south-1', location: 'Milan', lat: 45.5, lon: 9.2 },
  { code: 'eu-south-2', location: 'Spain (Aragón)', lat: 41.6, lon: -0.9 },
  { code: 'il-central-1', location: 'Tel Aviv', lat: 32.1, lon: 34.8 },
  { code: 'me-south-1', location: 'Bahrain', lat: 26.1, lon: 50.6 },
  { code: 'me-central-1', location: 'UAE', lat: 24.5, lon: 54.4 },
  { code: 'af-south-1', location: 'Cape Town', lat: -33.9, lon: 18.4 },
  { code: 'ap-south-1', location: 'Mumbai', lat: 19.1, lon: 72.9 },
  { code: 'ap-south-2', location: 'Hyderabad', lat: 17.4, lon: 78.5 },
  { code: 'ap-east-1', location: 'Hong Kong', lat: 22.3, lon: 114.2 },
  { code: 'ap-east-2', location: 'Taipei', lat: 25.0, lon: 121.5 },
  { code: 'ap-northeast-1', location: 'Tokyo', lat: 35.7, lon: 139.7 },
  { code: 'ap-northeast-2', location: 'Seoul', lat: 37.6, lon: 127.0 },
  { code: 'ap-northeast-3', location: 'Osaka', lat: 34.7, lon: 135.5 },
  { code: 'ap-southeast-1', location: 'Singapore', lat: 1.4, lon: 103.8 },
  { code: 'ap-southeast-2', location: 'Sydney', lat: -33.9, lon: 151.2 },
  { code: 'ap-southeast-3', location: 'Jakarta', lat: -6.2, lon: 106.8 },
  { code: 'ap-southeast-4', location: 'Melbourne', lat: -37.8, lon: 145.0 },
  { code: 'ap-southeast-5', location: 'Malaysia', lat: 3.1, lon: 101.7 },
  { code: 'ap-southeast-7', location: 'Thailand', lat: 13.8, lon: 100.5 },
];

const BY_CODE: ReadonlyMap<string, AwsRegionInfo> = new Map(AWS_REGIONS.map((r) => [r.code, r]));

export function awsRegionInfo(code: string): AwsRegionInfo | undefined {
  return BY_CODE.get(code);
}

export function isKnownAwsRegion(code: string): boolean {
  return BY_CODE.has(code);
}

/** Great-circle distance between two points, km (haversine, mean Earth radius 6,371 km). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
