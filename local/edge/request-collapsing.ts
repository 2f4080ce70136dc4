/**
 * Request collapsing (spec §4.3): at most one origin fill per cache key at a time; other requests for
 * the key wait for it and share its result. Background refreshes (stale-while-revalidate, spec §2.3)
 * take the same slot and are tracked, so that the edge can wait for them to finish.
 */

/** Fills in flight by cache key. */
export class InflightFills<T> {
  private readonly fills = new Map<string, Promise<T>>();
  private readonly pending = new Set<Promise<unknown>>();

  /** The fill in flight for a key, to join. */
  get(key: string): Promise<T> | undefined {
    return this.fills.get(key);
  }

  has(key: string): boolean {
    return this.fills.has(key);
  }

  /** Lets later requests for the key join `fill` until it settles. */
  share(key: string, fill: Promise<T>): void {
    this.fills.set(key, fill);
    void fill.finally(() => this.fills.delete(key)).catch(() => undefined);
  }

  /** A background refresh: shared like {@link share}, and awaited by {@link settle}. */
  background(key: string, fill: Promise<T>): void {
    this.fills.set(key, fill);
    const tracked = fill.finally(() => {
      this.fills.delete(key);
      this.pending.delete(tracked);
    }).catch(() => undefined);
    this.pending.add(tracked);
  }

  /** Waits for background refreshes to finish (including those they start). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
