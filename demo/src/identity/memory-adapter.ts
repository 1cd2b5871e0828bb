// oidc-provider's storage for the development identity provider: in memory, bounded by each model's
// expiry. Registered clients are also written to a file, so MCP clients that cached their client_id
// (VS Code, mcp-remote) still sign in after `gatehouse up` restarts; sessions and grants are not kept.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  readonly expiresAt: number;
}

/** oidc-provider's `adapter`: one store per model, private to one provider instance; clients persist in clientsFile (mode 0600). */
export function memoryAdapterFactory(clientsFile: string): (model: string) => Adapter {
  const stores = new Map<string, Map<string, Entry>>();
  return (model) => {
    let store = stores.get(model);
    if (!store) {
      store = model === 'Client' ? loadClients(clientsFile) : new Map<string, Entry>();
      stores.set(model, store);
    }
    const saved = store;
    return new MemoryAdapter(store, model === 'Client' ? () => saveClients(clientsFile, saved) : () => undefined);
  };
}

function loadClients(file: string): Map<string, Entry> {
  try {
    const clients = JSON.parse(readFileSync(file, 'utf8')) as Record<string, AdapterPayload>;
    return new Map(Object.entries(clients).map(([id, payload]) => [id, { payload, expiresAt: Number.POSITIVE_INFINITY }]));
  } catch {
    return new Map(); // none yet, or unreadable: clients register again
  }
}

function saveClients(file: string, store: Map<string, Entry>): void {
  const clients = Object.fromEntries([...store].map(([id, entry]) => [id, entry.payload]));
  writeFileSync(file, `${JSON.stringify(clients)}\n`, { mode: 0o600 });
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly store: Map<string, Entry>,
    private readonly changed: () => void,
  ) {}

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.sweep();
    this.store.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
    this.changed();
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
    this.changed();
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
