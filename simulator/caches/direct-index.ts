/**
 * Index from a dense key (0, 1, 2, … — the dense object ids of single-cache mode) to an int32 value (a
 * cache slot): one array entry per key, -1 when absent. A lookup is one array read, and a delete
 * one write (no probing, no backward shift); memory is 4 bytes per key ever seen, so it suits keys
 * that are dense, not arbitrary ids (KeyIndex). Grows to the largest key set.
 */
const EMPTY = -1;

export class DirectIndex {
  private vals: Int32Array;
  /** Number of keys stored. */
  size = 0;

  /** @param expected keys expected (the largest key + 1); the array grows beyond it as needed. */
  constructor(expected = 1024) {
    this.vals = new Int32Array(Math.max(16, expected)).fill(EMPTY);
  }

  /** The value of `key`, or -1 when absent. */
  get(key: number): number {
    const vals = this.vals;
    return key < vals.length ? vals[key]! : EMPTY;
  }

  /** Sets `key` to `val` (insert or overwrite). `key` must be ≥ 0. */
  set(key: number, val: number): void {
    if (key >= this.vals.length) this.grow(key);
    if (this.vals[key] === EMPTY) this.size++;
    this.vals[key] = val;
  }

  /** Removes `key`; true when it was present. */
  delete(key: number): boolean {
    if (key >= this.vals.length || this.vals[key] === EMPTY) return false;
    this.vals[key] = EMPTY;
    this.size--;
    return true;
  }

  clear(): void {
    this.vals.fill(EMPTY);
    this.size = 0;
  }

  private grow(key: number): void {
    let n = this.vals.length * 2;
    while (n <= key) n *= 2;
    const vals = new Int32Array(n).fill(EMPTY);
    vals.set(this.vals);
    this.vals = vals;
  }
}
