/**
 * Regional origins in the engine: each viewer's request for an origin goes to the origin's copy in
 * the Region nearest the viewer, by the one routing rule the viewer-request functions carry
 * (lib/routing `nearestRegion`). The engine's origin list grows by the regional copies; `route` maps
 * (viewer, origin of the key) to the origin the request reaches.
 */
import { nearestRegion } from '../lib/routing';
import type { SimOrigin } from './plan-model';

export interface RoutedOrigins {
  /** The keys' origins first (same indices), then every regional copy. */
  readonly origins: readonly SimOrigin[];
  /** route[viewer * keyOrigins + origin] → index into `origins`. */
  readonly route: Int32Array;
  /** Number of the keys' own origins. */
  readonly keyOrigins: number;
  /** failoverOf[o]: index of origin o's origin-group secondary in `origins` (appended last), -1 when none (spec §9.2). */
  readonly failoverOf: Int32Array;
  /** Whether origin o fails over on a 503 (its group's failover statuses). */
  readonly failoverOn503: Uint8Array;
}

export function routeOrigins(keyOrigins: readonly SimOrigin[], viewerCountries: readonly string[]): RoutedOrigins {
  const origins: SimOrigin[] = [...keyOrigins];
  const copies = keyOrigins.map((o) => (o.regional ?? []).map((c) => { origins.push(c); return { region: c.awsRegion, index: origins.length - 1 }; }));
  const O = keyOrigins.length;
  const route = new Int32Array(Math.max(1, viewerCountries.length * O));
  viewerCountries.forEach((country, v) => keyOrigins.forEach((o, oi) => {
    const list = copies[oi]!;
    if (list.length === 0) { route[v * O + oi] = oi; return; }
    const region = nearestRegion(country, [o.awsRegion, ...list.map((c) => c.region)]);
    route[v * O + oi] = list.find((c) => c.region === region)?.index ?? oi;
  }));
  // origin groups' secondaries, once each, after the regional copies
  const primaries = origins.length;
  const failoverOf = new Int32Array(primaries).fill(-1);
  const failoverOn503 = new Uint8Array(primaries);
  for (let i = 0; i < primaries; i++) {
    const f = origins[i]!.failover;
    if (!f) continue;
    let j = origins.findIndex((o) => o.id === f.origin.id);
    if (j < 0) { origins.push(f.origin); j = origins.length - 1; }
    failoverOf[i] = j;
    failoverOn503[i] = f.statusCodes.includes(503) ? 1 : 0;
  }
  const all = origins.length;
  return {
    origins, route, keyOrigins: O,
    failoverOf: Int32Array.from({ length: all }, (_, i) => (i < primaries ? failoverOf[i]! : -1)),
    failoverOn503: Uint8Array.from({ length: all }, (_, i) => (i < primaries ? failoverOn503[i]! : 0)),
  };
}
