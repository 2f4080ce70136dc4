import { expect } from 'chai';
import { GIB, monthlyCostUsd, S3_REPLICA_PRICES } from '../../lib/semantics/pricing';
import type { SimOrigin } from '../../simulator/plan-model';
import { regionalOriginUsage } from '../../simulator/regional-usage';
import type { FamilySummary } from '../../simulator/workload/build';

const family = (name: string, type: FamilySummary['type'], objects: number, storedBytes: number, originId: string): FamilySummary => ({
  name, type, objects, sampled: 1, blockSize: 1, requestsPerSecond: 1, bytesPerSecond: 1, assets: objects, itemsPerUpdate: 1, storedBytes, originId,
});
const s3 = (id: string, regions: string[]): SimOrigin => ({
  id, kind: 's3', awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1',
  regional: regions.map((r) => ({ id: `${id}-${r}`, kind: 's3', awsRegion: r, shieldAwsRegion: r })),
});

describe('simulator/regional-usage: storage and replication of the regional S3 copies', () => {
  const profile = { updates: { video: { changedShare: 0.01, invalidate: true }, thumbnails: { changedShare: 0.1, invalidate: true }, metadata: { changedShare: 0.5, invalidate: true }, static: { changedShare: 0, invalidate: true }, api: { changedShare: 1, invalidate: false } } };
  const interval = (t: string) => ({ video: 3600, thumbnails: 7200, metadata: 900, static: 86_400, api: 300 })[t]!;
  const base = { profile, updateIntervalSeconds: interval, secondsPerMonth: 30 * 86_400 };

  it('counts every S3 family once per copy: stored bytes, and the versions its updates write a month', () => {
    const u = regionalOriginUsage({
      ...base,
      families: [family('video', 'video', 1000, 100 * GIB, 'video'), family('images', 'thumbnails', 500, 10 * GIB, 'images'), family('meta', 'metadata', 50, 1 * GIB, 'metadata')],
      origins: [s3('video', ['eu-central-1', 'ap-northeast-1']), s3('images', ['eu-central-1', 'ap-northeast-1']), { id: 'metadata', kind: 'metadata', awsRegion: 'us-east-1' }],
    });
    // video: 720 updates × 1 % = 7.2 changes of each byte and object a month; thumbnails: 360 × 10 % = 36
    expect(u).to.deep.equal({ regions: 2, storedGb: 110, replicatedGb: 100 * 7.2 + 10 * 36, replicatedObjects: 1000 * 7.2 + 500 * 36 });
    // priced once per copy by the one price list
    const lines = monthlyCostUsd({ transferGbByGroup: {}, requestsByGroup: {}, httpsShare: 1, regionalOrigins: u! }).lines;
    const storage = lines.find((l) => l.item.startsWith('Regional origin storage'))!;
    expect(storage.quantity).to.equal(220);
    expect(storage.usd).to.be.closeTo(220 * S3_REPLICA_PRICES.storagePerGbMonth, 1e-9);
  });

  it('is undefined when the S3 origins have no copies (single Region)', () => {
    expect(regionalOriginUsage({ ...base, families: [family('video', 'video', 1000, GIB, 'video')], origins: [s3('video', [])] })).to.equal(undefined);
  });
});
