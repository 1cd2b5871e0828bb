// Upstream tokens kept per (caller issuer + subject, server) until shortly before they expire, so a
// caller's repeated calls cost one exchange. Bounded: the least recently used entry goes first. The
// tokens live only in this map: never logged, never written to artifacts or audit records.

export interface CachedToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface TokenCacheOptions {
  readonly maxEntries: number;
  /** A token is not used in its last `refreshBeforeMs` (it might expire on its way upstream). */
  readonly refreshBeforeMs: number;
  readonly now: () => number;
}

/** The key of one caller's token for one server; client credentials tokens have no caller (`issuer` and `subject` empty). */
export function tokenCacheKey(server: string, issuer: string, subject: string): string {
  return JSON.stringify([server, issuer, subject]);
}

export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();

  constructor(private readonly options: TokenCacheOptions) {}

  /** The token for this key, unless it is missing or about to expire. */
  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt - this.options.refreshBeforeMs <= this.options.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.token;
  }

  set(key: string, entry: CachedToken): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** On a new artifact set: servers' identities may have changed. */
  clear(): void {
    this.#entries.clear();
  }
}
