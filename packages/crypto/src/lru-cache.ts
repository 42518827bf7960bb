/**
 * A small LRU map with per-entry expiry. Map iteration order is insertion
 * order, so re-inserting on read moves an entry to the "recent" end and the
 * first key is always the least recently used.
 */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(options: { maxEntries: number; ttlMs: number; now: () => number }) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
    this.#max = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  deleteWhere(predicate: (key: K) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (predicate(key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
