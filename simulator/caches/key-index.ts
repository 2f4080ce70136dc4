/**
 * Open-addressing hash index from a non-negative int32 key to an int32 value (a cache slot), with
 * linear probing, Fibonacci hashing and backward-shift deletion (no tombstones). Typed arrays only:
 * lookups, inserts and deletes allocate nothing; the table doubles when it is three quarters full
 * (linear probing stays short at that load, and a cache of tens of millions of entries keeps a
 * third less index memory than at half full).
 */
const EMPTY = -1;
const GOLDEN = 0x9e3779b1;

/** Entries a table of 2^bits slots holds before it grows: three quarters. */
function loadLimit(bits: number): number {
  return ((1 << bits) * 3) >>> 2;
}

export class KeyIndex {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private limit: number;
  /** Number of keys stored. */
  size = 0;

  /** @param expected keys expected at once; the table starts with room for them under its load limit (a power of 2). */
  constructor(expected = 8) {
    let bits = 4;
    while (((1 << bits) * 3) / 4 < expected) bits++;
    this.keys = new Int32Array(1 << bits).fill(EMPTY);
    this.vals = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.limit = loadLimit(bits);
  }

  private home(key: number): number {
    return Math.imul(key, GOLDEN) >>> this.shift;
  }

  /** The value of `key`, or -1 when absent. */
  get(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(key, GOLDEN) >>> this.shift;
    for (;;) {
      const k = keys[i]!;
      if (k === key) return this.vals[i]!;
      if (k === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Sets `key` to `val` (insert or overwrite). `key` must be ≥ 0. */
  set(key: number, val: number): void {
    if (this.size >= this.limit) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(key);
    for (;;) {
      const k = keys[i]!;
      if (k === key) { this.vals[i] = val; return; }
      if (k === EMPTY) { keys[i] = key; this.vals[i] = val; this.size++; return; }
      i = (i + 1) & mask;
    }
  }

  /** Removes `key`; true when it was present. */
  delete(key: number): boolean {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = this.home(key);
    for (;;) {
      const k = keys[i]!;
      if (k === EMPTY) return false;
      if (k === key) break;
      i = (i + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === EMPTY) break;
      const h = this.home(k);
      // The entry at j may move to i unless its home lies cyclically in (i, j].
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (!stays) {
        keys[i] = k;
        vals[i] = vals[j]!;
        i = j;
      }
    }
    keys[i] = EMPTY;
    this.size--;
    return true;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.size = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const bits = 32 - this.shift + 1;
    this.keys = new Int32Array(1 << bits).fill(EMPTY);
    this.vals = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.limit = loadLimit(bits);
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k !== EMPTY) this.set(k, oldVals[i]!);
    }
  }
}
