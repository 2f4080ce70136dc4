/**
 * Edits of `Pulumi.<stack>.yaml` that a rollout makes, on the text, keeping comments and key order:
 * promoting the candidate (its keys replace the stack's, in place; new keys take the candidate's
 * place), dropping it, turning the staging distribution off. Pure: text in, text out.
 */
import { isMap, isScalar } from 'yaml';
import { InputError } from '../errors';
import { loadStackFileDocument as load } from '../config/stack-file-edit';
import { CONFIG_NAMESPACE as NS } from '../config/stack-config';

const CANDIDATE = `${NS}:candidate`;

const keyOf = (k: unknown): string => (isScalar(k) ? String(k.value) : String(k));

/** The candidate block as plain values; `{}` when there is none. */
export function readCandidate(text: string, file: string): Record<string, unknown> {
  const { config } = load(text, file);
  const node = config.get(CANDIDATE, true);
  if (node === undefined) return {};
  const value = (node as { toJSON?: () => unknown }).toJSON?.() ?? node;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/**
 * Moves every candidate key into the stack config (replacing the value where the key exists, else
 * inserting it where the candidate block was) and removes the block.
 * @throws InputError when there is no candidate to promote.
 */
export function promoteCandidate(text: string, file: string): string {
  const { doc, config } = load(text, file);
  const at = config.items.findIndex((p) => keyOf(p.key) === CANDIDATE);
  const block = at >= 0 ? config.items[at]!.value : undefined;
  if (!isMap(block) || block.items.length === 0) throw new InputError(`${file} has no ${CANDIDATE} block to promote; add the settings to try under it first.`);
  const inserted: typeof config.items = [];
  for (const pair of block.items) {
    const key = `${NS}:${keyOf(pair.key)}`;
    const existing = config.items.find((p) => keyOf(p.key) === key);
    if (existing) existing.value = pair.value;
    else inserted.push(doc.createPair(key, pair.value));
  }
  const index = config.items.findIndex((p) => keyOf(p.key) === CANDIDATE);
  config.items.splice(index, 1, ...inserted);
  return doc.toString();
}

/** Removes the candidate block (no-op without one). */
export function dropCandidate(text: string, file: string): string {
  const { doc, config } = load(text, file);
  config.delete(CANDIDATE);
  return doc.toString();
}

/** Sets `media-cdn:stagingDistribution: false` and removes the candidate (after a detach). */
export function turnStagingOff(text: string, file: string): string {
  const { doc, config } = load(text, file);
  config.delete(CANDIDATE);
  config.set(`${NS}:stagingDistribution`, false);
  return doc.toString();
}
