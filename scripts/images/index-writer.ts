/**
 * Writes the variant index into the stack's CloudFront KeyValueStore as the pipeline finishes images.
 *
 * `open` reads the store once (DescribeKeyValueStore for the ETag and size, ListKeys for the items), so
 * that unchanged entries are never rewritten and the 5 MB store quota is checked before each write.
 * `add` is called for an original only after its variants and manifest are stored; entries are queued
 * and sent in UpdateKeys batches (≤ 50 keys, ≤ 3 MB; PutKey for a batch of one) naming the ETag they
 * expect in IfMatch. When the store changed meanwhile (another writer: ValidationException
 * "Pre-Condition failed", or ConflictException), the writer reads the ETag again and resends, with
 * exponential backoff and full jitter, a bounded number of times.
 *
 * A failure after `open` (quota, permissions, too many conflicts) stops the writing but not the run:
 * it is reported in `summary().failure`, with the number of entries left unwritten; the next run skips
 * the images (their manifests are current) and writes their entries. `--dry-run` reads but never writes.
 */
import {
  DescribeKeyValueStoreCommand, paginateListKeys, PutKeyCommand, UpdateKeysCommand,
  type CloudFrontKeyValueStoreClient,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { InputError } from '../../lib/errors';
import { fitsInBatch, KVS_QUOTAS, kvsItemBytes, kvsItemProblem, parseKvsArn, putPayloadBytes, storeBytesAfter, type KvsItem, type KvsQuotas } from '../../lib/images';
import { CLOUDFRONT_LIMITS } from '../../lib/semantics/limits';
import { describeKvsError, isStaleEtagError } from './kvs-client';
import { classifyError, EnvironmentError } from '../../lib/error-kinds';

export interface RetryPolicy {
  /** Attempts per batch, the first included. @default 6 */
  readonly attempts: number;
  /** Backoff before attempt n+1: random() × min(maxDelayMs, baseDelayMs × 2^(n−1)). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  attempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 3_200,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

export interface IndexWriterOptions {
  readonly client: CloudFrontKeyValueStoreClient;
  readonly arn: string;
  /** Read the store, count what would be written, write nothing. */
  readonly dryRun: boolean;
  /** Quotas; tests lower them. @default KVS_QUOTAS */
  readonly quotas?: Partial<KvsQuotas>;
  readonly retry?: Partial<RetryPolicy>;
}

export interface IndexWriteSummary {
  readonly arn: string;
  readonly dryRun: boolean;
  /** Entries written (in a dry run: that would be written). */
  readonly written: number;
  /** Entries the store already held with the same value. */
  readonly unchanged: number;
  /** Keys deleted (`images prune`; in a dry run: that would be deleted). */
  readonly deleted: number;
  /** Write requests that succeeded (PutKey or UpdateKeys). */
  readonly requests: number;
  /** Writes sent again after a stale ETag or a conflict. */
  readonly retries: number;
  /** The store after the run, as the service last reported it. */
  readonly itemCount: number;
  readonly totalSizeInBytes: number;
  /** Entries refused before sending (over the key or value quota), one sentence each. */
  readonly rejected: readonly string[];
  /** Why writing stopped, when it did. */
  readonly failure?: string;
  /** Entries not written because writing stopped. */
  readonly unwritten: number;
}

/** Where `optimize` hands index entries (implemented by `KvsIndexWriter`). */
export interface IndexSink {
  /** Called for an original once its variants and manifest are stored (processed, or current). */
  add(item: KvsItem): Promise<void>;
  /** Called once, at the end of the run. */
  flush(): Promise<void>;
}

export class KvsIndexWriter implements IndexSink {
  private readonly quotas: KvsQuotas;
  private readonly retry: RetryPolicy;
  private readonly pending = new Map<string, string>();
  private pendingBytes = 0;
  /** Writes run one after another: each needs the ETag the previous one returned. */
  private chain: Promise<void> = Promise.resolve();
  private written = 0;
  private unchanged = 0;
  private deleted = 0;
  private requests = 0;
  private retries = 0;
  private unwritten = 0;
  private readonly rejected: string[] = [];
  private failure?: string;

  private constructor(
    private readonly opts: IndexWriterOptions,
    private etag: string,
    private itemCount: number,
    private totalBytes: number,
    /** The store's items as last read or written. */
    private readonly stored: Map<string, string>,
  ) {
    this.quotas = { ...KVS_QUOTAS, ...opts.quotas };
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
  }

  /**
   * Reads the store's ETag, size and items.
   * @throws InputError for a malformed ARN or a missing store; EnvironmentError for missing permissions
   *   or credentials, or an unreachable endpoint — before any image is processed.
   */
  static async open(opts: IndexWriterOptions): Promise<KvsIndexWriter> {
    parseKvsArn(opts.arn, 'imageIndexStoreArn');
    const { client, arn } = opts;
    const d = await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }))
      .catch((e: unknown) => rethrow(e, 'cloudfront-keyvaluestore:DescribeKeyValueStore', arn));
    const stored = new Map<string, string>();
    try {
      for await (const page of paginateListKeys({ client, pageSize: CLOUDFRONT_LIMITS.kvsListKeysMaxResults }, { KvsARN: arn })) {
        for (const i of page.Items ?? []) stored.set(i.Key!, i.Value!);
      }
    } catch (e) {
      rethrow(e, 'cloudfront-keyvaluestore:ListKeys', arn);
    }
    return new KvsIndexWriter(opts, d.ETag ?? '', d.ItemCount ?? stored.size, d.TotalSizeInBytes ?? 0, stored);
  }

  async add(item: KvsItem): Promise<void> {
    const problem = kvsItemProblem(item, this.quotas);
    if (problem) {
      this.rejected.push(`${problem}; the original is served as it is.`);
      return;
    }
    if (this.stored.get(item.key) === item.value) {
      this.unchanged++;
      return;
    }
    if (this.pending.get(item.key) === item.value) return;
    if (this.pending.size > 0 && !fitsInBatch(this.pending.size, this.pendingBytes, item, this.quotas)) this.sendPending();
    this.pending.set(item.key, item.value);
    this.pendingBytes += putPayloadBytes(item);
    if (this.pending.size >= this.quotas.maxItemsPerUpdate) this.sendPending();
    await this.chain;
  }

  async flush(): Promise<void> {
    if (this.pending.size > 0) this.sendPending();
    await this.chain;
  }

  /** The store's keys as last read or written. */
  keys(): string[] {
    return [...this.stored.keys()];
  }

  /**
   * Deletes keys the store holds (others are ignored), in UpdateKeys batches of ≤ 50 with the same
   * ETag check and retries as writes. Queued puts are sent first.
   */
  async remove(keys: readonly string[]): Promise<void> {
    await this.flush();
    const present = [...new Set(keys)].filter((k) => this.stored.has(k));
    for (let i = 0; i < present.length; i += this.quotas.maxItemsPerUpdate) {
      const batch = present.slice(i, i + this.quotas.maxItemsPerUpdate);
      this.chain = this.chain.then(() => this.writeDeletes(batch));
    }
    await this.chain;
  }

  summary(): IndexWriteSummary {
    return {
      arn: this.opts.arn, dryRun: this.opts.dryRun, written: this.written, unchanged: this.unchanged, deleted: this.deleted, requests: this.requests, retries: this.retries,
      itemCount: this.itemCount, totalSizeInBytes: this.totalBytes, rejected: [...this.rejected],
      ...(this.failure ? { failure: this.failure } : {}), unwritten: this.unwritten,
    };
  }

  /** Takes the queued entries as one batch and chains its write after the previous one. */
  private sendPending(): void {
    const batch = [...this.pending].map(([key, value]) => ({ key, value }));
    this.pending.clear();
    this.pendingBytes = 0;
    this.chain = this.chain.then(() => this.write(batch));
  }

  private stop(failure: string, count: number): void {
    this.failure ??= failure;
    this.unwritten += count;
  }

  private async write(batch: readonly KvsItem[]): Promise<void> {
    if (this.failure) {
      this.unwritten += batch.length;
      return;
    }
    const { arn } = this.opts;
    const after = storeBytesAfter(this.totalBytes, this.stored, batch);
    if (after > this.quotas.maxStoreBytes) {
      this.stop(`KeyValueStore '${arn}' would hold ${after} bytes after this write, over the ${this.quotas.maxStoreBytes}-byte store quota (spec §15.1); nothing more was written. Remove keys of deleted originals ('images prune') or split the index (docs/images-and-compression.md).`, batch.length);
      return;
    }
    if (this.opts.dryRun) {
      this.record(batch, { ETag: this.etag, ItemCount: this.itemCount + batch.filter((i) => !this.stored.has(i.key)).length, TotalSizeInBytes: after });
      return;
    }
    const action = batch.length === 1 ? 'cloudfront-keyvaluestore:PutKey' : 'cloudfront-keyvaluestore:UpdateKeys';
    const out = await this.send(action, batch.length, (etag) => batch.length === 1
      ? this.opts.client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: etag, Key: batch[0]!.key, Value: batch[0]!.value }))
      : this.opts.client.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, Puts: batch.map((i) => ({ Key: i.key, Value: i.value })) })));
    if (out) this.record(batch, out);
  }

  private async writeDeletes(keys: readonly string[]): Promise<void> {
    if (this.failure) {
      this.unwritten += keys.length;
      return;
    }
    const { arn } = this.opts;
    const out = this.opts.dryRun
      ? { ETag: this.etag, ItemCount: this.itemCount - keys.length, TotalSizeInBytes: this.totalBytes - keys.reduce((n, k) => n + kvsItemBytes({ key: k, value: this.stored.get(k) ?? '' }), 0) }
      : await this.send('cloudfront-keyvaluestore:UpdateKeys', keys.length, (etag) => this.opts.client.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, Deletes: keys.map((Key) => ({ Key })) })));
    if (!out) return;
    for (const k of keys) this.stored.delete(k);
    this.etag = out.ETag ?? this.etag;
    this.itemCount = out.ItemCount ?? this.itemCount;
    this.totalBytes = out.TotalSizeInBytes ?? this.totalBytes;
    this.deleted += keys.length;
  }

  /**
   * Sends one write naming the ETag it expects; on a stale ETag or a conflict reads the ETag again and
   * resends after a backoff, a bounded number of times. Undefined (and writing stopped) on failure.
   */
  private async send(action: string, count: number, call: (etag: string) => Promise<WriteOutput>): Promise<WriteOutput | undefined> {
    const { arn } = this.opts;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await call(this.etag);
        this.requests++;
        return out;
      } catch (e) {
        if (!isStaleEtagError(e)) {
          this.stop(describeKvsError(e, action, arn), count);
          return undefined;
        }
        if (attempt >= this.retry.attempts) {
          this.stop(`KeyValueStore '${arn}' kept changing during ${action} (${(e as Error).name}: ${(e as Error).message}); gave up after ${attempt} attempts. Another writer is busy with the store: run again later.`, count);
          return undefined;
        }
      }
      this.retries++;
      await this.retry.sleep(this.retry.random() * Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)));
      try {
        const d = await this.opts.client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
        this.etag = d.ETag ?? '';
        this.itemCount = d.ItemCount ?? this.itemCount;
        this.totalBytes = d.TotalSizeInBytes ?? this.totalBytes;
      } catch (e) {
        this.stop(describeKvsError(e, 'cloudfront-keyvaluestore:DescribeKeyValueStore', arn), count);
        return undefined;
      }
    }
  }

  private record(batch: readonly KvsItem[], out: WriteOutput): void {
    for (const i of batch) this.stored.set(i.key, i.value);
    this.etag = out.ETag ?? this.etag;
    this.itemCount = out.ItemCount ?? this.itemCount;
    this.totalBytes = out.TotalSizeInBytes ?? this.totalBytes;
    this.written += batch.length;
  }
}

/** What the service answers to a write (PutKey, UpdateKeys): the store's new ETag and size. */
interface WriteOutput {
  readonly ETag?: string;
  readonly ItemCount?: number;
  readonly TotalSizeInBytes?: number;
}

/**
 * At `open`, any failure ends the run before it starts: the environment's (credentials, permissions,
 * endpoints) exit 3, anything else (a store that does not exist) is bad input (exit 2).
 */
function rethrow(e: unknown, action: string, arn: string): never {
  const line = describeKvsError(e, action, arn);
  const kind = classifyError(e).kind;
  throw kind === 'internal' ? new InputError(line) : new EnvironmentError(kind, line);
}
