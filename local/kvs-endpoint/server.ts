/**
 * A local CloudFront KeyValueStore endpoint on 127.0.0.1 that speaks the data-plane REST-JSON API
 * (2022-07-26): DescribeKeyValueStore, ListKeys, GetKey, PutKey, DeleteKey and UpdateKeys, with the
 * ETag/IfMatch semantics and quotas of `KeyValueStoreModel`, and injected faults (ConflictException
 * and others) for retry tests.
 *
 * The real `@aws-sdk/client-cloudfront-keyvaluestore` talks to it through
 * `createKvsClient(server.endpoint)` (scripts/images/kvs-client.ts): the client's endpoint rules put
 * the ARN's account in front of the host (`<account>.localhost:<port>`), which that factory resolves to
 * 127.0.0.1. Requests must be SigV4a-signed (`AWS4-ECDSA-P256-SHA256`, region set `*`), as the service
 * requires; the signature itself is not checked, so static fake credentials do.
 *
 * API: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Operations_Amazon_CloudFront_KeyValueStore.html
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KVS_ERRORS, KeyValueStoreModel, KvsApiError, type KeyValueStoreModelOptions } from './model';
import { listenOnLoopback, readBody } from '../http';

export type KvsOperation = 'DescribeKeyValueStore' | 'ListKeys' | 'GetKey' | 'PutKey' | 'DeleteKey' | 'UpdateKeys';

/** The operations that change a store (and take IfMatch). */
export const MUTATING_OPERATIONS: readonly KvsOperation[] = ['PutKey', 'DeleteKey', 'UpdateKeys'];

export const SIGV4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';

export interface KvsCall {
  readonly operation: KvsOperation | 'Unknown';
  readonly arn?: string;
  /** Host header: `<account>.localhost:<port>` when the client followed the endpoint rules. */
  readonly host: string;
  readonly status: number;
  readonly error?: string;
  /** Keys put or deleted (mutating operations). */
  readonly keys?: readonly string[];
}

export interface KvsEndpointOptions extends KeyValueStoreModelOptions {
  /** Stores that exist from the start, empty. */
  readonly stores?: readonly string[];
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Refuse requests that are not SigV4a-signed (AccessDeniedException). @default true */
  readonly requireSigV4a?: boolean;
  /** Largest request body, bytes. @default 4 MiB */
  readonly maxBodyBytes?: number;
}

export interface KvsEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly model: KeyValueStoreModel;
  /** Every call, in order of arrival. */
  readonly calls: KvsCall[];
  /** Answers the next `count` calls of `operations` (default: the mutating ones) with `error`, changing nothing. */
  failNext(count: number, error?: () => KvsApiError, operations?: readonly KvsOperation[]): void;
  /** Called as each call is answered (before the response is sent). */
  onCall(listener: (call: KvsCall) => void): () => void;
  close(): Promise<void>;
}

interface Fault {
  remaining: number;
  readonly error: () => KvsApiError;
  readonly operations: readonly KvsOperation[];
}


function parseJson(text: string): Record<string, unknown> {
  if (text === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw KVS_ERRORS.invalid('request body is not a JSON object');
}

/** The operation a method and path name: `/key-value-stores/{KvsARN}[/keys[/{Key}]]`, labels percent-encoded. */
export function routeOf(method: string, rawPath: string): { operation: KvsOperation; arn: string; key?: string } | undefined {
  let segments: string[];
  try {
    segments = rawPath.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  if (segments[0] !== 'key-value-stores' || !segments[1]) return undefined;
  const arn = segments[1];
  if (segments.length === 2 && method === 'GET') return { operation: 'DescribeKeyValueStore', arn };
  if (segments[2] !== 'keys') return undefined;
  if (segments.length === 3) {
    if (method === 'GET') return { operation: 'ListKeys', arn };
    if (method === 'POST') return { operation: 'UpdateKeys', arn };
    return undefined;
  }
  if (segments.length !== 4 || !segments[3]) return undefined;
  const key = segments[3];
  const byMethod: Record<string, KvsOperation> = { GET: 'GetKey', PUT: 'PutKey', DELETE: 'DeleteKey' };
  return byMethod[method] ? { operation: byMethod[method], arn, key } : undefined;
}

const epochSeconds = (d: Date) => d.getTime() / 1000;

/** Starts the endpoint on 127.0.0.1. */
export async function startKvsEndpoint(opts: KvsEndpointOptions = {}): Promise<KvsEndpoint> {
  const model = new KeyValueStoreModel(opts);
  for (const arn of opts.stores ?? []) model.createStore(arn);
  const calls: KvsCall[] = [];
  const faults: Fault[] = [];
  const listeners = new Set<(call: KvsCall) => void>();
  const requireSigV4a = opts.requireSigV4a ?? true;

  const handle = async (req: IncomingMessage, route: NonNullable<ReturnType<typeof routeOf>>, query: URLSearchParams): Promise<{ body: unknown; etag?: string; keys?: string[] }> => {
    const auth = String(req.headers.authorization ?? '');
    if (requireSigV4a && (!auth.startsWith(`${SIGV4A_ALGORITHM} `) || req.headers['x-amz-region-set'] === undefined)) {
      throw new KvsApiError('AccessDeniedException', `requests must be signed with SigV4a (${SIGV4A_ALGORITHM}, X-Amz-Region-Set); got '${auth.split(' ')[0] ?? ''}'.`, 403);
    }
    const body = parseJson(await readBody(req, opts.maxBodyBytes ?? 4 << 20, () => KVS_ERRORS.invalid(`request body over ${opts.maxBodyBytes ?? 4 << 20} bytes`)));
    const fault = faults.find((f) => f.remaining > 0 && f.operations.includes(route.operation));
    if (fault) {
      fault.remaining--;
      throw fault.error();
    }
    const ifMatch = req.headers['if-match'];
    const { arn, key } = route;
    switch (route.operation) {
      case 'DescribeKeyValueStore': {
        const d = model.describe(arn);
        return { body: { KvsARN: d.KvsARN, ItemCount: d.ItemCount, TotalSizeInBytes: d.TotalSizeInBytes, Created: epochSeconds(d.Created), LastModified: epochSeconds(d.LastModified), Status: d.Status }, etag: d.ETag };
      }
      case 'ListKeys': {
        const max = query.get('MaxResults');
        return { body: model.listKeys(arn, query.get('NextToken') ?? undefined, max === null ? undefined : Number(max)) };
      }
      case 'GetKey':
        return { body: model.getKey(arn, key!) };
      case 'PutKey': {
        if (typeof body.Value !== 'string') throw KVS_ERRORS.invalid('PutKey needs a string Value.');
        const { ETag, ...rest } = model.putKey(arn, key!, body.Value, ifMatch);
        return { body: rest, etag: ETag, keys: [key!] };
      }
      case 'DeleteKey': {
        const { ETag, ...rest } = model.deleteKey(arn, key!, ifMatch);
        return { body: rest, etag: ETag, keys: [key!] };
      }
      case 'UpdateKeys': {
        const puts = (body.Puts ?? []) as { Key: string; Value: string }[];
        const deletes = (body.Deletes ?? []) as { Key: string }[];
        if (!Array.isArray(puts) || !Array.isArray(deletes)) throw KVS_ERRORS.invalid('Puts and Deletes must be lists.');
        const { ETag, ...rest } = model.updateKeys(arn, ifMatch, puts, deletes);
        return { body: rest, etag: ETag, keys: [...puts.map((p) => p.Key), ...deletes.map((d) => d.Key)] };
      }
    }
  };

  const record = (call: KvsCall) => {
    calls.push(call);
    for (const l of listeners) l(call);
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': `kvs-${calls.length}`, ...headers });
    res.end(text);
  };

  const server: Server = createServer((req, res) => {
    const [rawPath = '', rawQuery = ''] = (req.url ?? '').split('?', 2);
    const host = String(req.headers.host ?? '');
    const route = routeOf(req.method ?? '', rawPath);
    if (!route) {
      req.resume();
      record({ operation: 'Unknown', host, status: 404, error: 'UnknownOperationException' });
      send(res, 404, { message: `no KeyValueStore operation is ${req.method} ${rawPath}` }, { 'x-amzn-errortype': 'UnknownOperationException' });
      return;
    }
    void handle(req, route, new URLSearchParams(rawQuery)).then(
      (out) => {
        record({ operation: route.operation, arn: route.arn, host, status: 200, ...(out.keys ? { keys: out.keys } : {}) });
        send(res, 200, out.body, out.etag ? { etag: out.etag } : {});
      },
      (e: unknown) => {
        const err = e instanceof KvsApiError ? e : new KvsApiError('InternalServerException', (e as Error).message, 500);
        record({ operation: route.operation, arn: route.arn, host, status: err.status, error: err.code });
        send(res, err.status, { message: err.message }, { 'x-amzn-errortype': err.code });
      },
    );
  });

  const endpoint = await listenOnLoopback(server, opts.port);
  return {
    endpoint,
    model,
    calls,
    failNext(count, error = KVS_ERRORS.conflict, operations = MUTATING_OPERATIONS) {
      faults.push({ remaining: count, error, operations });
    },
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
