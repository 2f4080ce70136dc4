/**
 * Runs cloudfront-js-2.0 viewer-request code that uses the `cloudfront` module in Node: the module
 * import is replaced by an emulated module with CloudFront's semantics —
 * - `kvs()`: a KeyValueStore handle over a map (`get` rejects for a missing key, `exists` resolves to a
 *   boolean);
 * - the origin-modification helpers `selectRequestOriginById()`, `createRequestOriginGroup()` and
 *   `updateRequestOrigin()`, recorded per request as an {@link OriginSelection} (the last call wins);
 * and the handler may be async. Used by the tests, the local edge and the simulator's checks.
 *
 * Sources: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-custom-methods.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/helper-functions-origin-modification.html
 */
import { createContext, Script } from 'node:vm';

/** The first line a function that uses the `cloudfront` module must have. */
export const CLOUDFRONT_MODULE_IMPORT = "import cf from 'cloudfront';";

/** A KeyValueStore as the function sees it. */
export interface KvsHandle {
  get(key: string, options?: { format?: 'string' | 'json' | 'bytes' }): Promise<unknown>;
  exists(key: string): Promise<boolean>;
  meta(): Promise<{ creationDateTime: string; lastUpdatedDateTime: string; keyCount: number }>;
}

/** Statuses an origin group (configured or created by a function) may fail over on (spec §9.2). */
export const ORIGIN_GROUP_FAILOVER_STATUSES: readonly number[] = [400, 403, 404, 416, 500, 502, 503, 504];

/** What a viewer-request function did to the request's origin. */
export type OriginSelection =
  | { readonly kind: 'origin'; readonly originId: string }
  | {
      readonly kind: 'group';
      readonly originIds: readonly [string, string];
      readonly statusCodes: readonly number[];
      readonly selectionCriteria: 'default' | 'media-quality-score';
    }
  | { readonly kind: 'update'; readonly properties: Readonly<Record<string, unknown>> };

/** The emulated `cloudfront` module. */
export interface CloudFrontModule {
  kvs(id?: string): KvsHandle;
  selectRequestOriginById(originId: string): void;
  createRequestOriginGroup(params: unknown): void;
  updateRequestOrigin(params: unknown): void;
}

export interface EmulatedModuleOptions {
  /** Every read rejects (store unreachable). */
  readonly failing?: boolean;
  /**
   * Ids of the distribution's origins (and origin groups) the helpers may name; an unknown id throws,
   * as CloudFront fails the function. Omitted: any id is accepted.
   */
  readonly originIds?: Iterable<string>;
}

function kvsHandle(items: ReadonlyMap<string, string>, failing: boolean): KvsHandle {
  return {
    async get(key, options) {
      if (failing) throw new Error('KeyValueStore unavailable');
      const v = items.get(key);
      if (v === undefined) throw new Error(`Key '${key}' not found`);
      if (options?.format === 'json') return JSON.parse(v) as unknown;
      if (options?.format === 'bytes') return new TextEncoder().encode(v);
      return v;
    },
    async exists(key) {
      if (failing) throw new Error('KeyValueStore unavailable');
      return items.has(key);
    },
    async meta() {
      return { creationDateTime: '1970-01-01T00:00:00Z', lastUpdatedDateTime: '1970-01-01T00:00:00Z', keyCount: items.size };
    },
  };
}

/**
 * An emulated `cloudfront` module over the given KeyValueStore items. `record` receives each origin
 * modification the function makes (after validation).
 */
export function emulatedCloudFrontModule(items: ReadonlyMap<string, string>, opts: EmulatedModuleOptions = {}, record: (s: OriginSelection) => void = () => {}): CloudFrontModule {
  const handle = kvsHandle(items, opts.failing === true);
  const known = opts.originIds === undefined ? undefined : new Set(opts.originIds);
  const checkId = (helper: string, id: unknown): string => {
    if (typeof id !== 'string' || id === '') throw new TypeError(`${helper}: the origin id must be a non-empty string, got ${JSON.stringify(id)}`);
    if (known && !known.has(id)) throw new Error(`${helper}: '${id}' is not an origin of this distribution (origins: ${[...known].join(', ')})`);
    return id;
  };
  return {
    kvs: () => handle,
    selectRequestOriginById(originId) {
      record({ kind: 'origin', originId: checkId('selectRequestOriginById', originId) });
    },
    createRequestOriginGroup(params) {
      const p = (params ?? {}) as { originIds?: unknown; failoverCriteria?: { statusCodes?: unknown }; selectionCriteria?: unknown };
      if (!Array.isArray(p.originIds) || p.originIds.length !== 2) {
        throw new TypeError(`createRequestOriginGroup: originIds must list exactly two origin ids (primary, secondary), got ${JSON.stringify(p.originIds)}`);
      }
      const a = checkId('createRequestOriginGroup', p.originIds[0]);
      const b = checkId('createRequestOriginGroup', p.originIds[1]);
      if (a === b) throw new TypeError(`createRequestOriginGroup: the two origins must differ, got '${a}' twice`);
      const codes = p.failoverCriteria?.statusCodes;
      if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => !ORIGIN_GROUP_FAILOVER_STATUSES.includes(c as number))) {
        throw new TypeError(`createRequestOriginGroup: failoverCriteria.statusCodes must be a non-empty list of ${ORIGIN_GROUP_FAILOVER_STATUSES.join(', ')}, got ${JSON.stringify(codes)}`);
      }
      const criteria = p.selectionCriteria ?? 'default';
      if (criteria !== 'default' && criteria !== 'media-quality-score') {
        throw new TypeError(`createRequestOriginGroup: selectionCriteria must be 'default' or 'media-quality-score', got ${JSON.stringify(criteria)}`);
      }
      record({ kind: 'group', originIds: [a, b], statusCodes: [...(codes as number[])], selectionCriteria: criteria });
    },
    updateRequestOrigin(params) {
      if (!params || typeof params !== 'object') throw new TypeError('updateRequestOrigin: expects an object of origin properties');
      record({ kind: 'update', properties: { ...(params as Record<string, unknown>) } });
    },
  };
}

export type ViewerRequestHandler = (event: unknown) => Promise<unknown>;

/** The handler's result and the origin it selected, if any. */
export interface ViewerRequestRun {
  readonly result: unknown;
  readonly origin?: OriginSelection;
}

/** Compiles the code once into a factory: `factory(cf)` evaluates the code with `cf` bound and returns its handler. */
function compile(code: string): (cf: CloudFrontModule) => ((event: unknown) => unknown) | undefined {
  const source = code.replace(CLOUDFRONT_MODULE_IMPORT, 'var cf = __cloudfront;');
  const sandbox = createContext({});
  const factory = new Script(
    `(function (__cloudfront) {\n${source}\n;return typeof handler === 'function' ? handler : undefined;\n})`,
    { filename: 'viewer-request.js' },
  ).runInContext(sandbox, { timeout: 1000 }) as (cf: CloudFrontModule) => ((event: unknown) => unknown) | undefined;
  return factory;
}

/**
 * Compiles function code into a handler that reports the origin it selected. Each call evaluates the
 * code with its own module instance, so concurrent requests never see each other's selection.
 * @throws Error when the code defines no `handler`.
 */
export function loadOriginAwareHandler(code: string, items: ReadonlyMap<string, string> = new Map(), opts: EmulatedModuleOptions = {}): (event: unknown) => Promise<ViewerRequestRun> {
  const factory = compile(code);
  if (typeof factory(emulatedCloudFrontModule(items, opts)) !== 'function') throw new Error('the function code defines no handler(event)');
  return async (event) => {
    let origin: OriginSelection | undefined;
    const h = factory(emulatedCloudFrontModule(items, opts, (s) => { origin = s; }))!;
    const result = await h(event);
    return origin === undefined ? { result } : { result, origin };
  };
}

/**
 * Compiles function code into an async handler. The `import cf from 'cloudfront'` line, when present,
 * becomes a binding to `cloudfrontModule`.
 * @throws Error when the code defines no `handler`.
 */
export function loadViewerRequestHandler(code: string, cloudfrontModule: CloudFrontModule = emulatedCloudFrontModule(new Map())): ViewerRequestHandler {
  const h = compile(code)(cloudfrontModule);
  if (typeof h !== 'function') throw new Error('the function code defines no handler(event)');
  return async (event) => h(event);
}
