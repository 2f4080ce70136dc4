/**
 * The variant index as a CloudFront KeyValueStore holds it: the store's ARN, the size of an item and
 * of the store as the quotas count them, and how puts are grouped into UpdateKeys requests. Pure: the
 * writer that calls the KeyValueStore API (scripts/images/index-writer.ts) and the local endpoint
 * (local/kvs-endpoint) share these rules.
 *
 * Quotas: key 512 B, value 1 KB, store 5 MB (spec §15.1); UpdateKeys 50 keys or 3 MB
 * (lib/semantics/limits.ts, [3p]).
 */
import { InputError } from '../errors';
import { CLOUDFRONT_LIMITS } from '../semantics/limits';
import type { KvsItem } from './variant-keys';

/** The KeyValueStore quotas a writer respects; tests lower them. */
export interface KvsQuotas {
  readonly maxKeyBytes: number;
  readonly maxValueBytes: number;
  readonly maxStoreBytes: number;
  readonly maxItemsPerUpdate: number;
  readonly maxUpdatePayloadBytes: number;
}

export const KVS_QUOTAS: KvsQuotas = Object.freeze({
  maxKeyBytes: CLOUDFRONT_LIMITS.kvsMaxKeyBytes,
  maxValueBytes: CLOUDFRONT_LIMITS.kvsMaxValueBytes,
  maxStoreBytes: CLOUDFRONT_LIMITS.kvsMaxStoreBytes,
  maxItemsPerUpdate: CLOUDFRONT_LIMITS.kvsUpdateKeysMaxItems,
  maxUpdatePayloadBytes: CLOUDFRONT_LIMITS.kvsUpdateKeysMaxPayloadBytes,
});

/** A KeyValueStore ARN: `arn:aws:cloudfront::<account>:key-value-store/<id>` (global, no Region). */
export interface KvsArn {
  readonly partition: string;
  readonly account: string;
  readonly id: string;
}

const KVS_ARN = /^arn:([a-z-]+):cloudfront::(\d{12}):key-value-store\/([A-Za-z0-9-]+)$/;

/**
 * Parses a KeyValueStore ARN.
 * @throws InputError naming where the ARN came from and the expected form.
 */
export function parseKvsArn(arn: string, source: string): KvsArn {
  const m = KVS_ARN.exec(arn);
  if (!m) {
    throw new InputError(`${source} '${arn}' is not a KeyValueStore ARN; expected arn:aws:cloudfront::<12-digit account>:key-value-store/<id>, as the stack output imageIndexStoreArn gives.`);
  }
  return { partition: m[1]!, account: m[2]!, id: m[3]! };
}

/** Bytes an item takes in the store: key plus value, UTF-8 (what the 5 MB store quota counts [inferred]). */
export function kvsItemBytes(item: KvsItem): number {
  return Buffer.byteLength(item.key) + Buffer.byteLength(item.value);
}

/** Why an item cannot be stored (empty key, key or value over its quota), or undefined. */
export function kvsItemProblem(item: KvsItem, quotas: KvsQuotas = KVS_QUOTAS): string | undefined {
  const keyBytes = Buffer.byteLength(item.key);
  const valueBytes = Buffer.byteLength(item.value);
  if (keyBytes === 0) return 'a KeyValueStore key cannot be empty';
  if (keyBytes > quotas.maxKeyBytes) return `key '${item.key.slice(0, 60)}…' is ${keyBytes} bytes; a KeyValueStore key holds at most ${quotas.maxKeyBytes} bytes (spec §15.1)`;
  if (valueBytes > quotas.maxValueBytes) return `the value of key '${item.key}' is ${valueBytes} bytes; a KeyValueStore value holds at most ${quotas.maxValueBytes} bytes (spec §15.1)`;
  return undefined;
}

/** `{"Puts":[]}`: the UpdateKeys body around its items. */
const UPDATE_BODY_OVERHEAD = Buffer.byteLength(JSON.stringify({ Puts: [] }));

/** Bytes one put adds to an UpdateKeys body (`{"Key":…,"Value":…}` and its comma). */
export function putPayloadBytes(item: KvsItem): number {
  return Buffer.byteLength(JSON.stringify({ Key: item.key, Value: item.value })) + 1;
}

/** Whether one more put fits a batch that already holds `count` puts of `payloadBytes`. */
export function fitsInBatch(count: number, payloadBytes: number, item: KvsItem, quotas: KvsQuotas = KVS_QUOTAS): boolean {
  return count + 1 <= quotas.maxItemsPerUpdate && UPDATE_BODY_OVERHEAD + payloadBytes + putPayloadBytes(item) <= quotas.maxUpdatePayloadBytes;
}

/** Splits puts into UpdateKeys batches within the item and payload quotas, in order. */
export function putBatches(items: readonly KvsItem[], quotas: KvsQuotas = KVS_QUOTAS): KvsItem[][] {
  const batches: KvsItem[][] = [];
  let current: KvsItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && !fitsInBatch(current.length, bytes, item, quotas)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += putPayloadBytes(item);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Store size after writing `puts` over `existing` items (a put replaces the value of its key). */
export function storeBytesAfter(totalBytes: number, existing: ReadonlyMap<string, string>, puts: readonly KvsItem[]): number {
  let total = totalBytes;
  for (const p of puts) {
    const old = existing.get(p.key);
    total += kvsItemBytes(p) - (old === undefined ? 0 : kvsItemBytes({ key: p.key, value: old }));
  }
  return total;
}
