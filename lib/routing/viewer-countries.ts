/**
 * Where viewers are, by country: every ISO 3166-1 alpha-2 code CloudFront may send in
 * `CloudFront-Viewer-Country`, grouped into areas, each with one representative point (its largest
 * metro area, or the population centre for the United States). Routing compares an area's point with
 * the AWS Regions' locations (aws-regions.ts), so every country of an area goes to the same Region.
 *
 * A country-level header cannot tell a viewer in California from one in New York; that is the price
 * of routing in a viewer-request function, which sees only what CloudFront adds to the request
 * (docs/architecture.md, "Regional origins").
 */

interface ViewerArea {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  /** ISO 3166-1 alpha-2 codes, space separated. */
  readonly countries: string;
}

export const VIEWER_AREAS: readonly ViewerArea[] = [
  { name: 'United States', lat: 37.4, lon: -92.2, countries: 'US PR VI UM' },
  { name: 'Canada', lat: 45.0, lon: -76.0, countries: 'CA PM' },
  { name: 'Mexico and Central America', lat: 19.4, lon: -99.1, countries: 'MX GT BZ SV HN NI CR PA' },
  { name: 'Caribbean', lat: 18.5, lon: -70.0, countries: 'CU DO HT JM BS BB TT AG DM GD KN LC VC AW CW SX BQ MF BL KY TC VG AI MS GP MQ BM' },
  { name: 'Northern South America', lat: 4.6, lon: -74.1, countries: 'CO VE EC PE GY SR GF' },
  { name: 'Brazil', lat: -23.5, lon: -46.6, countries: 'BR' },
  { name: 'Southern Cone', lat: -34.6, lon: -58.4, countries: 'AR UY PY CL BO FK GS' },
  { name: 'British Isles', lat: 52.0, lon: -1.5, countries: 'GB IE IM JE GG' },
  { name: 'France and Benelux', lat: 48.9, lon: 2.4, countries: 'FR BE LU MC AD' },
  { name: 'Central Europe', lat: 50.5, lon: 10.0, countries: 'DE NL AT CH LI CZ PL SK HU SI' },
  { name: 'Southern Europe', lat: 41.9, lon: 12.5, countries: 'IT SM VA MT HR BA RS ME MK AL GR CY XK' },
  { name: 'Iberia', lat: 40.4, lon: -3.7, countries: 'ES PT GI' },
  { name: 'Northern Europe', lat: 59.3, lon: 18.1, countries: 'SE NO DK FI IS EE LV LT FO AX GL SJ' },
  { name: 'Eastern Europe', lat: 50.4, lon: 30.5, countries: 'UA BY MD RO BG RU' },
  { name: 'Turkey and Caucasus', lat: 41.0, lon: 29.0, countries: 'TR GE AM AZ' },
  { name: 'Middle East', lat: 25.3, lon: 51.5, countries: 'AE SA QA BH KW OM YE IQ IR JO LB SY IL PS' },
  { name: 'North Africa', lat: 30.0, lon: 31.2, countries: 'EG LY TN DZ MA EH SD' },
  { name: 'West Africa', lat: 6.5, lon: 3.4, countries: 'NG GH CI SN ML BF NE TG BJ GN SL LR GM GW CV MR SH' },
  { name: 'Central and East Africa', lat: -1.3, lon: 36.8, countries: 'KE TZ UG RW BI ET SO DJ ER SS CD CG CF CM GA GQ TD ST' },
  { name: 'Southern Africa', lat: -26.2, lon: 28.0, countries: 'ZA NA BW ZW ZM MZ MW LS SZ AO MG MU SC KM RE YT IO' },
  { name: 'South Asia', lat: 20.0, lon: 77.0, countries: 'IN PK BD LK NP BT MV AF' },
  { name: 'Central Asia', lat: 43.2, lon: 76.9, countries: 'KZ UZ TM KG TJ MN' },
  { name: 'China, Hong Kong and Taiwan', lat: 23.0, lon: 113.0, countries: 'CN HK MO TW' },
  { name: 'Japan', lat: 35.7, lon: 139.7, countries: 'JP' },
  { name: 'Korea', lat: 37.6, lon: 127.0, countries: 'KR KP' },
  { name: 'Mainland Southeast Asia', lat: 13.8, lon: 100.5, countries: 'TH VN KH LA MM' },
  { name: 'Maritime Southeast Asia', lat: 1.4, lon: 103.8, countries: 'SG MY ID BN TL CX CC' },
  { name: 'Philippines', lat: 14.6, lon: 121.0, countries: 'PH' },
  { name: 'Oceania', lat: -33.9, lon: 151.2, countries: 'AU NZ PG FJ NC SB VU WS TO PF CK NU NF NR KI TV MH FM PW GU MP AS WF TK PN HM' },
];

const AREA_OF: ReadonlyMap<string, ViewerArea> = new Map(
  VIEWER_AREAS.flatMap((a) => a.countries.split(' ').map((c) => [c, a] as const)),
);

/** Every country code the table places. */
export const VIEWER_COUNTRIES: readonly string[] = [...AREA_OF.keys()].sort();

/** The representative point of a viewer country; `undefined` for a code the table does not know. */
export function viewerLocation(country: string): { lat: number; lon: number } | undefined {
  return AREA_OF.get(country);
}
