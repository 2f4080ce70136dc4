/**
 * Runs cloudfront-js-2.0 viewer-request code that uses the `cloudfront` module (KeyValueStore helpers)
 * in Node: the module import is replaced by an emulated module whose `kvs()` handle reads from a map,
 * with CloudFront's semantics (`get` rejects for a missing key, `exists` resolves to a boolean), and
 * the handler may be async. Used by the tests and usable by the local edge and the simulator, which
 * only know synchronous functions without imports.
 *
 * Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-custom-methods.html
 */
import { createContext, Script } from 'node:vm';

/** The first line a function that reads a KeyValueStore must have. */
export const CLOUDFRONT_MODULE_IMPORT = "import cf from 'cloudfront';";

/** A KeyValueStore as the function sees it. */
export interface KvsHandle {
  get(key: string, options?: { format?: 'string' | 'json' | 'bytes' }): Promise<unknown>;
  exists(key: string): Promise<boolean>;
  meta(): Promise<{ creationDateTime: string; lastUpdatedDateTime: string; keyCount: number }>;
}

/** An emulated `cloudfront` module over the given items; `failing` makes every read reject (store unreachable). */
export function emulatedCloudFrontModule(items: ReadonlyMap<string, string>, opts: { failing?: boolean } = {}): { kvs(id?: string): KvsHandle } {
  const handle: KvsHandle = {
    async get(key, options) {
      if (opts.failing) throw new Error('KeyValueStore unavailable');
      const v = items.get(key);
      if (v === undefined) throw new Error(`Key '${key}' not found`);
      if (options?.format === 'json') return JSON.parse(v) as unknown;
      if (options?.format === 'bytes') return new TextEncoder().encode(v);
      return v;
    },
    async exists(key) {
      if (opts.failing) throw new Error('KeyValueStore unavailable');
      return items.has(key);
    },
    async meta() {
      return { creationDateTime: '1970-01-01T00:00:00Z', lastUpdatedDateTime: '1970-01-01T00:00:00Z', keyCount: items.size };
    },
  };
  return { kvs: () => handle };
}

export type ViewerRequestHandler = (event: unknown) => Promise<unknown>;

/**
 * Compiles function code into an async handler. The `import cf from 'cloudfront'` line, when present,
 * becomes a binding to `cloudfrontModule`.
 * @throws Error when the code defines no `handler`.
 */
export function loadViewerRequestHandler(code: string, cloudfrontModule: { kvs(id?: string): KvsHandle } = emulatedCloudFrontModule(new Map())): ViewerRequestHandler {
  const source = code.replace(CLOUDFRONT_MODULE_IMPORT, 'var cf = __cloudfront;');
  const sandbox = createContext({ __cloudfront: cloudfrontModule });
  new Script(`${source}\n;this.__handler = typeof handler === 'function' ? handler : undefined;`, { filename: 'viewer-request.js' }).runInContext(sandbox, { timeout: 1000 });
  const h = (sandbox as { __handler?: (event: unknown) => unknown }).__handler;
  if (typeof h !== 'function') throw new Error('the function code defines no handler(event)');
  return async (event) => h(event);
}
