/**
 * Small formatting helpers shared by the semantics module's validation messages.
 * Internal to lib/semantics (re-exported from index.ts only as `showValue`).
 */

/**
 * Renders a received value for an error message: strings are single-quoted, other values are
 * JSON, long renderings are shortened to 80 characters. Used so that every validation message
 * quotes the offending value (STYLE.md, "Errors"; used by the validators of spec §1.2, §2.2, §5.2, §8.1).
 */
export function showValue(value: unknown): string {
  let text: string | undefined;
  if (typeof value === 'string') text = `'${value}'`;
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
  }
  if (text === undefined) text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
