/**
 * Runs a viewer-request CloudFront Function (cloudfront-js-2.0 event shape) from the plan's code in a
 * `vm` context, through the images module's edge runtime (the `cloudfront` KeyValueStore module is
 * emulated over a map; handlers may be async). Behavior selection has already happened (spec §1.2):
 * the function may rewrite the URI, query string, headers and cookies, or answer with a response.
 */
import { loadOriginAwareHandler, type OriginSelection, type ViewerRequestRun } from '../../lib/images/edge-runtime';
import { asObject, valueAt, type JsonObject } from '../../lib/json';

export interface FunctionRequest {
  readonly method: string;
  /** Raw path. */
  readonly uri: string;
  /** Raw query pairs in order. */
  readonly query: readonly (readonly [string, string])[];
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly (readonly [string, string])[];
  readonly clientIp: string;
}

export type FunctionOutcome =
  | {
      readonly kind: 'request';
      readonly uri: string;
      readonly query: [string, string][];
      readonly headers: Record<string, string>;
      readonly cookies: [string, string][];
      /** The origin the function selected with the `cloudfront` module's helpers, if any. */
      readonly origin?: OriginSelection;
    }
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: string;
    };

interface CfValue {
  value: string;
  multiValue?: { value: string }[];
}

function toCfMap(pairs: readonly (readonly [string, string])[]): Record<string, CfValue> {
  const out: Record<string, CfValue> = {};
  for (const [k, v] of pairs) {
    const cur = out[k];
    if (cur === undefined) out[k] = { value: v };
    else (cur.multiValue ??= [{ value: cur.value }]).push({ value: v });
  }
  return out;
}

function toCfHeaders(h: Readonly<Record<string, string>>): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const k in h) out[k] = { value: h[k]! };
  return out;
}

function fromCfMap(map: unknown): [string, string][] {
  const out: [string, string][] = [];
  if (!map || typeof map !== 'object') return out;
  const m = map as Record<string, CfValue>;
  for (const k in m) {
    const raw = m[k];
    if (!raw || typeof raw !== 'object') continue;
    if (Array.isArray(raw.multiValue) && raw.multiValue.length > 0) for (const m of raw.multiValue) out.push([k, String(m.value)]);
    else out.push([k, String(raw.value)]);
  }
  return out;
}

/** A compiled viewer-request function. */
/** Identifiers whose presence means a function may depend on more than the method, URI and query string. */
const IMPURE = /\b(headers|cookies|viewer|context|kvs|Date|random|crypto)\b/;

/** Outcomes kept per function for functions that only read the method, URI and query string. */
const MEMO_LIMIT = 10_000;

export class ViewerRequestFunction {
  private readonly handler: (event: unknown) => Promise<ViewerRequestRun>;
  /**
   * Set for functions whose code reads and writes only `request.method`, `uri` and `querystring`
   * (such as the URL normalization function): their rewrite depends on nothing else, so it is
   * remembered per (method, uri, query) instead of being recomputed on every request.
   */
  private readonly memo?: Map<string, { uri: string; query: [string, string][] }>;

  /**
   * @param keyValueStore items of the KeyValueStore the function reads (empty: every `get` rejects, as
   *   for a key that does not exist).
   * @throws Error when the code does not define `handler`.
   */
  constructor(
    readonly name: string, code: string, private readonly context: { distributionDomainName: string; distributionId: string },
    keyValueStore: ReadonlyMap<string, string> = new Map(),
    /** Ids of the distribution's origins and origin groups the function may select; omitted: any. */
    originIds?: Iterable<string>,
  ) {
    try {
      this.handler = loadOriginAwareHandler(code, keyValueStore, originIds === undefined ? {} : { originIds });
    } catch (e) {
      throw new Error(`CloudFront Function '${name}': ${(e as Error).message}`, { cause: e });
    }
    if (!IMPURE.test(code.replace(/\/\/[^\n]*/g, ''))) this.memo = new Map();
  }

  /** Runs the function; for URI/query-only functions a remembered rewrite is returned synchronously. */
  run(req: FunctionRequest, requestId: string): FunctionOutcome | Promise<FunctionOutcome> {
    if (!this.memo) return this.invoke(req, requestId);
    let k = `${req.method} ${req.uri}`;
    for (const [n, v] of req.query) k += `\u0000${n}=${v}`;
    const hit = this.memo.get(k);
    if (hit) return { kind: 'request', uri: hit.uri, query: hit.query, headers: req.headers, cookies: req.cookies as [string, string][] };
    return this.invoke(req, requestId).then((out) => {
      if (out.kind === 'request') {
        if (this.memo!.size >= MEMO_LIMIT) this.memo!.clear();
        this.memo!.set(k, { uri: out.uri, query: out.query });
        return { ...out, headers: req.headers, cookies: req.cookies as [string, string][] };
      }
      return out;
    });
  }

  private async invoke(req: FunctionRequest, requestId: string): Promise<FunctionOutcome> {
    const event = {
      version: '1.0',
      context: { ...this.context, eventType: 'viewer-request', requestId },
      viewer: { ip: req.clientIp },
      request: {
        method: req.method,
        uri: req.uri,
        querystring: toCfMap(req.query),
        headers: toCfHeaders(req.headers),
        cookies: toCfMap(req.cookies),
      },
    };
    const ran = await this.handler(event);
    const out = asObject(ran.result);
    if (out && 'statusCode' in out) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((out.headers ?? {}) as Record<string, CfValue>)) headers[k.toLowerCase()] = String(v?.value ?? '');
      const data = valueAt(out.body, 'data');
      const body = typeof out.body === 'string' ? out.body : typeof data === 'string' ? data : '';
      return { kind: 'response', status: Number(out.statusCode), headers, body };
    }
    const r: JsonObject = out ?? event.request;
    const headers: Record<string, string> = {};
    const rh = (r.headers ?? {}) as Record<string, CfValue>;
    for (const k in rh) headers[k.toLowerCase()] = String(rh[k]?.value ?? '');
    return { kind: 'request', uri: String(r.uri ?? req.uri), query: fromCfMap(r.querystring), headers, cookies: fromCfMap(r.cookies), ...(ran.origin ? { origin: ran.origin } : {}) };
  }
}
