/**
 * An error in user input (stack config, CLI arguments, files). Carries every problem found, each a
 * sentence that names the key, the value received and the fix, so a user fixes them all in one go.
 * CLIs map it to exit code 2.
 */
export class InputError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[] | string) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.length === 1 ? list[0]! : `${list.length} problems:\n  - ${list.join('\n  - ')}`);
    this.name = 'InputError';
    this.problems = list;
  }
}

/** Throws an InputError when any problem was collected. */
export function throwIfProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new InputError(problems);
}

/** JSON rendering of a received value for error messages, kept short. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Runs `f`, adding the problems of an InputError it throws to `problems` instead of stopping, so a
 * validator reports every bad input at once. Other errors propagate.
 */
export function collectProblems(problems: string[], f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) problems.push(...e.problems);
    else throw e;
  }
}

/** The problems of the InputError `f` throws, or none; other errors propagate. For tests and validators. */
export function problemsOf(f: () => unknown): readonly string[] {
  const problems: string[] = [];
  collectProblems(problems, () => { f(); });
  return problems;
}
