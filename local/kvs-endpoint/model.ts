/**
 * The state and rules of the local KeyValueStore endpoint: stores by ARN, their items, the ETag that
 * changes with every write (optimistic concurrency: each write names the ETag it read in IfMatch),
 * and the quotas. Pure of HTTP, so the local edge can read a store's items directly
 * (`items(arn)` is the live map) while scripts write them through the API.
 *
 * Behaviour, and where it comes from:
 * - stale or missing IfMatch → ValidationException "Pre-Condition failed" (HTTP 400), which is what the
 *   service answers to a stale ETag [3p: SST's KeyValueStore writer retries on exactly that];
 * - ConflictException (409, "Resource is not in a state that can be modified") is only injected
 *   (server.ts), as the service sends it for concurrent modification [doc: API_kvs_PutKey errors];
 * - key 512 B, value 1 KB → ValidationException; store 5 MB → ServiceQuotaExceededException (402)
 *   (spec §15.1; the error names are the API's, which ones the service picks is [inferred]);
 * - UpdateKeys is all-or-nothing [doc], at most 50 keys and 3 MB [3p];
 * - TotalSizeInBytes counts keys plus values [inferred]; ListKeys pages in key order [inferred].
 *
 * API: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Operations_Amazon_CloudFront_KeyValueStore.html
 */
import { createHash } from 'node:crypto';
import { KVS_QUOTAS, kvsItemBytes, parseKvsArn, type KvsQuotas } from '../../lib/images/kvs-index';
import { CLOUDFRONT_LIMITS } from '../../lib/semantics/limits';

/** An error the endpoint answers with: the API's error name and HTTP status. */
export class KvsApiError extends Error {
  constructor(readonly code: KvsErrorCode, message: string, readonly status: number) {
    super(message);
    this.name = 'KvsApiError';
  }
}

export type KvsErrorCode = 'ValidationException' | 'ConflictException' | 'ResourceNotFoundException' | 'ServiceQuotaExceededException' | 'AccessDeniedException' | 'InternalServerException';

export const KVS_ERRORS = Object.freeze({
  preconditionFailed: () => new KvsApiError('ValidationException', 'Pre-Condition failed', 400),
  conflict: () => new KvsApiError('ConflictException', 'Resource is not in a state that can be modified.', 409),
  notFound: (what: string) => new KvsApiError('ResourceNotFoundException', `${what} was not found.`, 404),
  invalid: (why: string) => new KvsApiError('ValidationException', why, 400),
  quota: (why: string) => new KvsApiError('ServiceQuotaExceededException', `Limit exceeded. ${why}`, 402),
  accessDenied: (action: string) => new KvsApiError('AccessDeniedException', `User is not authorized to perform: ${action}`, 403),
});

export interface KvsEndpointQuotas extends KvsQuotas {
  readonly maxListResults: number;
}

export const KVS_ENDPOINT_QUOTAS: KvsEndpointQuotas = Object.freeze({ ...KVS_QUOTAS, maxListResults: CLOUDFRONT_LIMITS.kvsListKeysMaxResults });

interface Store {
  readonly arn: string;
  readonly items: Map<string, string>;
  readonly created: Date;
  lastModified: Date;
  version: number;
  totalBytes: number;
}

export interface StoreDescription {
  readonly KvsARN: string;
  readonly ItemCount: number;
  readonly TotalSizeInBytes: number;
  readonly Created: Date;
  readonly LastModified: Date;
  readonly Status: 'READY';
  readonly ETag: string;
}

export interface WriteResult {
  readonly ItemCount: number;
  readonly TotalSizeInBytes: number;
  readonly ETag: string;
}

export interface KeyValueStoreModelOptions {
  /** Quotas; tests may lower them. @default KVS_ENDPOINT_QUOTAS */
  readonly quotas?: Partial<KvsEndpointQuotas>;
  /** Create a store on first use of its ARN instead of answering ResourceNotFoundException. @default false */
  readonly autoCreate?: boolean;
  readonly now?: () => Date;
}

function isKvsArn(arn: string): boolean {
  try {
    parseKvsArn(arn, 'KeyValueStore ARN');
    return true;
  } catch {
    return false;
  }
}

export class KeyValueStoreModel {
  readonly quotas: KvsEndpointQuotas;
  private readonly stores = new Map<string, Store>();
  private readonly autoCreate: boolean;
  private readonly now: () => Date;

  constructor(opts: KeyValueStoreModelOptions = {}) {
    this.quotas = { ...KVS_ENDPOINT_QUOTAS, ...opts.quotas };
    this.autoCreate = opts.autoCreate ?? false;
    this.now = opts.now ?? (() => new Date());
  }

  /** Creates an empty store (or one holding `items`, written without quota checks: a fixture). */
  createStore(arn: string, items: Iterable<readonly [string, string]> = []): void {
    parseKvsArn(arn, 'KeyValueStore ARN');
    const now = this.now();
    const store: Store = { arn, items: new Map(items), created: now, lastModified: now, version: 1, totalBytes: 0 };
    store.totalBytes = [...store.items].reduce((n, [key, value]) => n + kvsItemBytes({ key, value }), 0);
    this.stores.set(arn, store);
  }

  /** The store's items, live: what a CloudFront Function associated with the store would read. */
  items(arn: string): ReadonlyMap<string, string> {
    return this.store(arn).items;
  }

  etag(arn: string): string {
    const s = this.store(arn);
    return `KV${createHash('sha256').update(s.arn).digest('hex').slice(0, 8).toUpperCase()}V${s.version}`;
  }

  describe(arn: string): StoreDescription {
    const s = this.store(arn);
    return { KvsARN: s.arn, ItemCount: s.items.size, TotalSizeInBytes: s.totalBytes, Created: s.created, LastModified: s.lastModified, Status: 'READY', ETag: this.etag(arn) };
  }

  getKey(arn: string, key: string): { Key: string; Value: string; ItemCount: number; TotalSizeInBytes: number } {
    const s = this.store(arn);
    const value = s.items.get(key);
    if (value === undefined) throw KVS_ERRORS.notFound(`Key '${key}'`);
    return { Key: key, Value: value, ItemCount: s.items.size, TotalSizeInBytes: s.totalBytes };
  }

  /** One page of items in key order; `NextToken` is the last key returned, base64url. */
  listKeys(arn: string, nextToken?: string, maxResults?: number): { Items: { Key: string; Value: string }[]; NextToken?: string } {
    const s = this.store(arn);
    const max = maxResults ?? 10;
    if (!Number.isInteger(max) || max < 1 || max > this.quotas.maxListResults) throw KVS_ERRORS.invalid(`MaxResults must be 1 to ${this.quotas.maxListResults}, got ${String(maxResults)}.`);
    const after = nextToken === undefined ? undefined : Buffer.from(nextToken, 'base64url').toString('utf8');
    const keys = [...s.items.keys()].sort().filter((k) => after === undefined || k > after);
    const page = keys.slice(0, max);
    return {
      Items: page.map((k) => ({ Key: k, Value: s.items.get(k)! })),
      ...(keys.length > max ? { NextToken: Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url') } : {}),
    };
  }

  putKey(arn: string, key: string, value: string, ifMatch: string | undefined): WriteResult {
    return this.updateKeys(arn, ifMatch, [{ Key: key, Value: value }], []);
  }

  deleteKey(arn: string, key: string, ifMatch: string | undefined): WriteResult {
    const s = this.store(arn);
    this.checkIfMatch(arn, ifMatch);
    if (!s.items.has(key)) throw KVS_ERRORS.notFound(`Key '${key}'`);
    return this.apply(s, [], [key]);
  }

  /** Puts and deletes in one all-or-nothing change: everything is checked before anything is applied. */
  updateKeys(arn: string, ifMatch: string | undefined, puts: readonly { Key: string; Value: string }[], deletes: readonly { Key: string }[]): WriteResult {
    const s = this.store(arn);
    this.checkIfMatch(arn, ifMatch);
    const q = this.quotas;
    const count = puts.length + deletes.length;
    if (count === 0) throw KVS_ERRORS.invalid('UpdateKeys needs at least one put or delete.');
    if (count > q.maxItemsPerUpdate) throw KVS_ERRORS.invalid(`UpdateKeys takes at most ${q.maxItemsPerUpdate} keys, got ${count}.`);
    const payload = Buffer.byteLength(JSON.stringify({ Puts: puts, Deletes: deletes }));
    if (payload > q.maxUpdatePayloadBytes) throw KVS_ERRORS.invalid(`UpdateKeys payload is ${payload} bytes, over ${q.maxUpdatePayloadBytes}.`);
    const seen = new Set<string>();
    for (const k of [...puts.map((p) => p.Key), ...deletes.map((d) => d.Key)]) {
      if (typeof k !== 'string') throw KVS_ERRORS.invalid('every put and delete needs a string Key.');
      if (seen.has(k)) throw KVS_ERRORS.invalid(`key '${k}' appears more than once in one UpdateKeys.`);
      seen.add(k);
    }
    let total = s.totalBytes;
    for (const p of puts) {
      if (typeof p.Value !== 'string') throw KVS_ERRORS.invalid(`put of '${p.Key}' needs a string Value.`);
      const keyBytes = Buffer.byteLength(p.Key);
      const valueBytes = Buffer.byteLength(p.Value);
      if (keyBytes < 1 || keyBytes > q.maxKeyBytes) throw KVS_ERRORS.invalid(`Key must be 1 to ${q.maxKeyBytes} bytes, got ${keyBytes}.`);
      if (valueBytes > q.maxValueBytes) throw KVS_ERRORS.invalid(`Value of '${p.Key}' must be at most ${q.maxValueBytes} bytes, got ${valueBytes}.`);
      const old = s.items.get(p.Key);
      total += keyBytes + valueBytes - (old === undefined ? 0 : keyBytes + Buffer.byteLength(old));
    }
    for (const d of deletes) {
      const old = s.items.get(d.Key);
      if (old !== undefined) total -= kvsItemBytes({ key: d.Key, value: old });
    }
    if (total > q.maxStoreBytes) throw KVS_ERRORS.quota(`The store would hold ${total} bytes, over ${q.maxStoreBytes}.`);
    return this.apply(s, puts, deletes.map((d) => d.Key));
  }

  /** A write by another client (no IfMatch, no quota check): the ETag changes under the writer under test. */
  writeAsAnotherClient(arn: string, key: string, value: string): void {
    this.apply(this.store(arn), [{ Key: key, Value: value }], []);
  }

  private apply(s: Store, puts: readonly { Key: string; Value: string }[], deletes: readonly string[]): WriteResult {
    for (const p of puts) {
      const old = s.items.get(p.Key);
      s.totalBytes += kvsItemBytes({ key: p.Key, value: p.Value }) - (old === undefined ? 0 : kvsItemBytes({ key: p.Key, value: old }));
      s.items.set(p.Key, p.Value);
    }
    for (const k of deletes) {
      const old = s.items.get(k);
      if (old === undefined) continue;
      s.totalBytes -= kvsItemBytes({ key: k, value: old });
      s.items.delete(k);
    }
    s.version++;
    s.lastModified = this.now();
    return { ItemCount: s.items.size, TotalSizeInBytes: s.totalBytes, ETag: this.etag(s.arn) };
  }

  private checkIfMatch(arn: string, ifMatch: string | undefined): void {
    if (ifMatch !== this.etag(arn)) throw KVS_ERRORS.preconditionFailed();
  }

  private store(arn: string): Store {
    let s = this.stores.get(arn);
    if (!s && this.autoCreate && isKvsArn(arn)) {
      this.createStore(arn);
      s = this.stores.get(arn);
    }
    if (!s) throw KVS_ERRORS.notFound(`Key value store '${arn}'`);
    return s;
  }
}
