/**
 * What the regional copies of the S3 origins (`originRegions`) cost a month, in the shape
 * `regionalOriginCostLines` (lib/semantics/pricing) prices: every copy stores what the primary buckets
 * store and receives every new object version by S3 replication. From the seed workload: the stored
 * bytes of each family served by an S3 origin (full scale), and the versions its updates write a
 * month (the profile's changed share per update interval, lib/catalog). The failover Region's replica
 * exists with or without regional copies and is not counted here.
 */
import { GIB, type RegionalOriginUsage } from '../lib/semantics/pricing';
import type { SimOrigin } from './plan-model';
import type { FamilySummary } from './workload/build';
import type { WorkloadProfile } from './profile';

export interface RegionalUsageInput {
  readonly families: readonly FamilySummary[];
  readonly origins: readonly SimOrigin[];
  readonly profile: Pick<WorkloadProfile, 'updates'>;
  /** Update interval of each content type, seconds (the catalog's). */
  readonly updateIntervalSeconds: (type: FamilySummary['type']) => number;
  readonly secondsPerMonth: number;
}

/** The month's usage of the regional copies; undefined when the S3 origins have none. */
export function regionalOriginUsage(input: RegionalUsageInput): RegionalOriginUsage | undefined {
  const s3 = new Map(input.origins.filter((o) => o.kind === 's3').map((o) => [o.id, o]));
  const regions = Math.max(0, ...[...s3.values()].map((o) => o.regional?.length ?? 0));
  if (regions === 0) return undefined;
  let storedBytes = 0, replicatedBytes = 0, replicatedObjects = 0;
  for (const f of input.families) {
    if (f.originId === undefined || !s3.has(f.originId)) continue;
    const updatesPerMonth = input.secondsPerMonth / input.updateIntervalSeconds(f.type);
    const changed = input.profile.updates[f.type].changedShare * updatesPerMonth;
    storedBytes += f.storedBytes;
    replicatedBytes += f.storedBytes * changed;
    replicatedObjects += f.objects * changed;
  }
  return { regions, storedGb: storedBytes / GIB, replicatedGb: replicatedBytes / GIB, replicatedObjects: Math.round(replicatedObjects) };
}
