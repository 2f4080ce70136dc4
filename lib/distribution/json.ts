/** Reading plain-JSON resource properties whose shape a program may have filled in any way. */
import type { JsonObject } from '../json';

export { asObject, valueAt } from '../json';

export type Json = Readonly<JsonObject>;

/** A props object seen field by field: every field reads as `unknown` and is checked where it is used. */
export function fieldsOf(props: object): Json {
  return props as Json;
}

/** The elements of a list property, given as an array or as `{ items: [...] }`; [] otherwise. */
export function items<T = unknown>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  if (v !== null && typeof v === 'object' && Array.isArray((v as Json).items)) return (v as Json).items as T[];
  return [];
}

/** A string property, or undefined when absent or empty. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A number property (numeric strings accepted), or undefined when absent. */
export function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return Number(v);
}
