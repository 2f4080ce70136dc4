/**
 * Where viewers are, by country: every ISO 3166-1 alpha-2 code CloudFront may send in
 * `CloudFront-Viewer-Country`, grouped into areas, each with its home AWS Region: the Region of the
 * regional edge cache its edge locations use (lib/network.ts, EDGE_RECS; Middle-East edges use Mumbai,
 * African edges Frankfurt). Routing measures from the home Region with the round-trip matrix of
 * lib/network.ts, so a viewer's distance to an origin Region is the backbone round trip its misses
 * would pay.
 *
 * A country-level header cannot tell a viewer in California from one in New York; that is the price
 * of routing in a viewer-request function, which sees only what CloudFront adds to the request
 * (docs/architecture.md, "Regional origins").
 */
import type { AwsRegion } from '../network';

interface ViewerArea {
  readonly name: string;
  /** The AWS Region of the regional edge cache the area's edge locations use. */
  readonly home: AwsRegion;
  /** ISO 3166-1 alpha-2 codes, space separated. */
  readonly countries: string;
}

export const VIEWER_AREAS: readonly ViewerArea[] = [
  { name: 'United States', home: 'us-east-1', countries: 'US PR VI UM' },
  { name: 'Canada', home: 'us-east-2', countries: 'CA PM' },
  { name: 'Mexico and Central America', home: 'us-east-2', countries: 'MX GT BZ SV HN NI CR PA' },
  { name: 'Caribbean', home: 'us-east-1', countries: 'CU DO HT JM BS BB TT AG DM GD KN LC VC AW CW SX BQ MF BL KY TC VG AI MS GP MQ BM' },
  { name: 'Northern South America', home: 'us-east-1', countries: 'CO VE EC PE GY SR GF' },
  { name: 'Brazil', home: 'sa-east-1', countries: 'BR' },
  { name: 'Southern Cone', home: 'sa-east-1', countries: 'AR UY PY CL BO FK GS' },
  { name: 'British Isles', home: 'eu-west-2', countries: 'GB IE IM JE GG' },
  { name: 'France and Benelux', home: 'eu-west-2', countries: 'FR BE LU MC AD' },
  { name: 'Central Europe', home: 'eu-central-1', countries: 'DE NL AT CH LI CZ PL SK HU SI' },
  { name: 'Southern Europe', home: 'eu-central-1', countries: 'IT SM VA MT HR BA RS ME MK AL GR CY XK' },
  { name: 'Iberia', home: 'eu-central-1', countries: 'ES PT GI' },
  { name: 'Northern Europe', home: 'eu-central-1', countries: 'SE NO DK FI IS EE LV LT FO AX GL SJ' },
  { name: 'Eastern Europe', home: 'eu-central-1', countries: 'UA BY MD RO BG RU' },
  { name: 'Turkey and Caucasus', home: 'eu-central-1', countries: 'TR GE AM AZ' },
  { name: 'Levant', home: 'eu-central-1', countries: 'IL PS JO LB SY' },
  { name: 'Gulf and Arabia', home: 'ap-south-1', countries: 'AE SA QA BH KW OM YE IQ IR' },
  { name: 'North Africa', home: 'eu-central-1', countries: 'EG LY TN DZ MA EH SD' },
  { name: 'West Africa', home: 'eu-central-1', countries: 'NG GH CI SN ML BF NE TG BJ GN SL LR GM GW CV MR SH' },
  { name: 'Central and East Africa', home: 'eu-central-1', countries: 'KE TZ UG RW BI ET SO DJ ER SS CD CG CF CM GA GQ TD ST' },
  { name: 'Southern Africa', home: 'eu-central-1', countries: 'ZA NA BW ZW ZM MZ MW LS SZ AO MG MU SC KM RE YT IO' },
  { name: 'South Asia', home: 'ap-south-1', countries: 'IN PK BD LK NP BT MV AF' },
  { name: 'Central Asia', home: 'eu-central-1', countries: 'KZ UZ TM KG TJ MN' },
  { name: 'China, Hong Kong and Taiwan', home: 'ap-northeast-1', countries: 'CN HK MO TW' },
  { name: 'Japan', home: 'ap-northeast-1', countries: 'JP' },
  { name: 'Korea', home: 'ap-northeast-2', countries: 'KR KP' },
  { name: 'Mainland Southeast Asia', home: 'ap-southeast-1', countries: 'TH VN KH LA MM' },
  { name: 'Maritime Southeast Asia', home: 'ap-southeast-1', countries: 'SG MY ID BN TL CX CC PH' },
  { name: 'Oceania', home: 'ap-southeast-2', countries: 'AU NZ PG FJ NC SB VU WS TO PF CK NU NF NR KI TV MH FM PW GU MP AS WF TK PN HM' },
];

const AREA_OF: ReadonlyMap<string, ViewerArea> = new Map(
  VIEWER_AREAS.flatMap((a) => a.countries.split(' ').map((c) => [c, a] as const)),
);

/** Every country code the table places. */
export const VIEWER_COUNTRIES: readonly string[] = [...AREA_OF.keys()].sort();

/** The home AWS Region of a viewer country; `undefined` for a code the table does not know. */
export function homeRegionOf(country: string): AwsRegion | undefined {
  return AREA_OF.get(country)?.home;
}
