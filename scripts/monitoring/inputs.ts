/** Runs several input checks and reports every problem at once (one `error:` line each). */
import { InputError } from '../../lib/errors';

export function validateAll<T extends Record<string, () => unknown>>(checks: T): { [K in keyof T]: ReturnType<T[K]> } {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(checks)) {
    try {
      out[key] = check();
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return out as { [K in keyof T]: ReturnType<T[K]> };
}
