/**
 * Edits the text of a `Pulumi.<stack>.yaml` in place: only the given keys under `config:` change;
 * comments, key order and the style of every other value are kept (the yaml package's document API).
 * Pure: text in, text out.
 */
import YAML, { isMap, type Document, type YAMLMap } from 'yaml';
import { InputError } from '../errors';

export interface StackFileEdit {
  /** Path under `config:`, e.g. ['media-cdn:priceClass'] or ['media-cdn:contentTypes', 'video', 'defaultTtl']. */
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * A stack file's YAML document and its `config:` map, for edits that keep comments and key order.
 * @throws InputError when the text is not YAML or has no `config:` map.
 */
export function loadStackFileDocument(text: string, file = 'the stack file'): { doc: Document; config: YAMLMap } {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new InputError(`${file} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}; fix the file.`);
  const config = isMap(doc.contents) ? doc.get('config', true) : undefined;
  if (!isMap(config)) throw new InputError(`${file} has no 'config:' map; it must hold the stack's settings under config:.`);
  return { doc, config };
}

/** @throws InputError when the text is not a YAML map with a `config:` map. */
export function editStackFileText(text: string, edits: readonly StackFileEdit[], file = 'the stack file'): string {
  const { doc } = loadStackFileDocument(text, file);
  for (const e of edits) doc.setIn(['config', ...e.path], e.value);
  return doc.toString();
}
