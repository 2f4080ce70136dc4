/**
 * Reading untyped JSON (parsed request bodies, event payloads, plan inputs) without `any`: each step
 * checks that it holds an object before looking inside it.
 */

/** A parsed JSON object, its fields not yet checked. */
export type JsonObject = Record<string, unknown>;

/** `v` when it is a JSON object (not null, not an array), else undefined. */
export function asObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** The value at `path` inside `v` (`valueAt(record, 's3', 'bucket', 'name')`); undefined where a step is not an object. */
export function valueAt(v: unknown, ...path: readonly string[]): unknown {
  let at: unknown = v;
  for (const key of path) {
    const o = asObject(at);
    if (!o) return undefined;
    at = o[key];
  }
  return at;
}
