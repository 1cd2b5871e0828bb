// oidc-provider's storage for the development identity provider: in memory, bounded by each model's
// expiry. Clients, grants and sessions are lost on restart (clients register again on a 401).
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  readonly expiresAt: number;
}

/** oidc-provider's `adapter`: one store per model, private to one provider instance. */
export function memoryAdapterFactory(): (model: string) => Adapter {
  const stores = new Map<string, Map<string, Entry>>();
  return (model) => {
    const store = stores.get(model) ?? new Map<string, Entry>();
    stores.set(model, store);
    return new MemoryAdapter(store);
  };
}

class MemoryAdapter implements Adapter {
  constructor(private readonly store: Map<string, Entry>) {}

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.sweep();
    this.store.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
    return Promise.resolve();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    const entry = this.store.get(id);
    return Promise.resolve(entry && entry.expiresAt > Date.now() ? entry.payload : undefined);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return Promise.resolve(this.findBy((p) => p.userCode === userCode));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return Promise.resolve(this.findBy((p) => p.uid === uid));
  }

  consume(id: string): Promise<void> {
    const entry = this.store.get(id);
    if (entry) this.store.set(id, { ...entry, payload: { ...entry.payload, consumed: Math.floor(Date.now() / 1000) } });
    return Promise.resolve();
  }

  destroy(id: string): Promise<void> {
    this.store.delete(id);
    return Promise.resolve();
  }

  revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, entry] of this.store) if (entry.payload.grantId === grantId) this.store.delete(id);
    return Promise.resolve();
  }

  private findBy(match: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    const now = Date.now();
    for (const entry of this.store.values()) if (entry.expiresAt > now && match(entry.payload)) return entry.payload;
    return undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.store) if (entry.expiresAt <= now) this.store.delete(id);
  }
}
