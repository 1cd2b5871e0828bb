// [impure] Keeps the control plane on the newest good artifacts: polls the source's manifest (a
// folder's: cheap, and it survives the folder being swapped in by a rename, which file-system
// watches do not; a URL's: one conditional GET), loads a changed set completely, and only then swaps it in. A set that fails to
// load is reported and retried later; the last good set stays in force.
import { keyId } from '../../../artifacts/src/signature.ts';
import type { Logger } from '../log.ts';
import type { RejectionReason } from './artifact-error.ts';
import type { MissingCredential } from './missing-credentials.ts';
import { ArtifactError, resolveCredentials, type LoadedArtifacts } from './load.ts';
import { SetChangedWhileFetching, SourceUnavailable, type ArtifactSource, type SourceLoadOptions, type SourceStatus } from './artifact-source.ts';
import { missingSecretMessage } from './missing-secret-message.ts';

export interface ReloadStatus {
  readonly loaded?: { readonly version: string; readonly sourceRevision: string; readonly loadedAt: string; readonly signedBy?: string };
  readonly lastError?: { readonly message: string; readonly at: string };
  /** The last set refused since the one in force loaded: its version when its manifest could be read. */
  readonly rejected?: Rejection;
  /** Servers of the set in force that fail closed because their credential did not resolve. */
  readonly missingCredentials: readonly MissingCredential[];
  /** The key ids a set must be signed by; empty: sets are loaded unverified. */
  readonly trustedKeys: readonly string[];
  /** An HTTP source's last fetch (absent for a folder). */
  readonly source?: SourceStatus;
}

export interface Rejection {
  readonly version?: string;
  readonly reason: RejectionReason;
  readonly message: string;
  readonly at: string;
}

export interface ReloaderOptions extends SourceLoadOptions {
  readonly source: ArtifactSource;
  readonly intervalMs: number;
  /** How long before a set that failed to load is tried again (a secret may have appeared). */
  readonly retryMs: number;
  readonly logger: Logger;
  readonly onLoaded: (artifacts: LoadedArtifacts) => void;
  readonly onRejected?: (error: string, reason: RejectionReason) => void;
  /**
   * HA: how long a new set waits before it is loaded (not the first). Loading blocks the process
   * for a moment; replicas given different delays never all stall at once (control-plane.ts).
   */
  readonly staggerMs?: number;
}

export class ArtifactReloader {
  private current?: LoadedArtifacts;
  private loadedAt?: string;
  private loadedAtMs = 0;
  private lastError?: { message: string; at: string };
  private rejected?: Rejection;
  private failedText?: string;
  private failedAt = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;
  /** A new manifest seen and when, while it waits out `staggerMs`. */
  private waiting?: { readonly text: string; readonly since: number };

  constructor(private readonly options: ReloaderOptions) {}

  get artifacts(): LoadedArtifacts | undefined {
    return this.current;
  }

  status(): ReloadStatus {
    const { current, loadedAt } = this;
    const signedBy = current?.signedBy ? { signedBy: current.signedBy } : {};
    return {
      ...(current && loadedAt ? { loaded: { version: current.version, sourceRevision: current.sourceRevision, loadedAt, ...signedBy } } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.rejected ? { rejected: this.rejected } : {}),
      missingCredentials: current?.missingCredentials ?? [],
      trustedKeys: (this.options.trustedKeys ?? []).map(keyId),
      ...(this.options.source.status ? { source: this.options.source.status() } : {}),
    };
  }

  /** Tries once now, then keeps polling. */
  async start(): Promise<void> {
    if (!this.options.trustedKeys) {
      const hint = 'any artifact set written to the source is enforced; give serve a trusted public key (--trusted-key) to verify';
      this.options.logger.log('warn', `artifact signatures are NOT verified: ${hint}`, { source: this.options.source.location });
    }
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Whether a new set must still wait before it is loaded. */
  private staggered(text: string): boolean {
    const staggerMs = this.options.staggerMs ?? 0;
    if (staggerMs <= 0) return false;
    if (this.waiting?.text !== text) this.waiting = { text, since: Date.now() };
    return Date.now() - this.waiting.since < staggerMs;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Loads the source's artifacts if they changed since the last good or failed attempt. */
  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      let text: string;
      try {
        text = await this.options.source.manifest();
      } catch (error) {
        if (!this.current) this.reject(error, undefined);
        return;
      }
      // A set in force with missing credentials is reloaded every retryMs, so a secret that appears is picked up.
      const waitingForSecret = this.current !== undefined && unresolved(this.current).length > 0 && Date.now() - this.loadedAtMs >= this.options.retryMs;
      if (text === this.current?.manifestText && !waitingForSecret) return;
      if (text === this.failedText && Date.now() - this.failedAt < this.options.retryMs) return;
      if (this.current && text !== this.current.manifestText && this.staggered(text)) return;
      try {
        // The same set waiting for a secret: resolve its credentials again; it was fetched and verified when it loaded.
        const loaded = this.current && text === this.current.manifestText
          ? resolveCredentials(this.current, this.options)
          : await this.options.source.load(this.options, text);
        // A retry that finds the same credentials still missing changes nothing and is not news.
        if (text === this.current?.manifestText && JSON.stringify(unresolved(this.current)) === JSON.stringify(unresolved(loaded))) {
          this.loadedAtMs = Date.now();
          return;
        }
        this.current = loaded;
        this.loadedAt = new Date().toISOString();
        this.loadedAtMs = Date.now();
        this.failedText = undefined;
        this.lastError = undefined;
        this.rejected = undefined;
        this.options.logger.log('info', 'artifacts loaded', {
          version: loaded.version,
          revision: loaded.sourceRevision,
          fleets: [...loaded.snapshots.keys()].join(','),
          ...(loaded.signedBy ? { signedBy: loaded.signedBy } : {}),
        });
        for (const m of loaded.missingCredentials) {
          this.options.logger.log('error', missingSecretMessage(m), { fleet: m.fleet, cluster: m.cluster, secretRef: m.secretRef, provide: m.provide });
        }
        this.options.onLoaded(loaded);
      } catch (error) {
        if (error instanceof SetChangedWhileFetching) {
          const source = this.options.source.location;
          this.options.logger.log('info', 'the published artifact set changed while it was fetched; fetching the new one', { source });
          return;
        }
        if (error instanceof SourceUnavailable && this.current) {
          const source = this.options.source.location;
          const what = 'the artifact source did not deliver the new set; the last good one stays, retrying';
          this.options.logger.log('warn', what, { source, error: error.message });
          return;
        }
        this.reject(error, text);
      }
    } finally {
      this.busy = false;
    }
  }

  private reject(error: unknown, text: string | undefined): void {
    const message = text0(error);
    const reason = error instanceof ArtifactError ? error.reason : 'invalid';
    // The same set failing the same way again (a retry) is not news; another set failing is.
    const repeated = this.lastError?.message === message && this.failedText === text;
    this.failedText = text;
    this.failedAt = Date.now();
    this.lastError = { message, at: new Date().toISOString() };
    const version = text === undefined ? undefined : manifestVersion(text);
    this.rejected = { ...(version ? { version } : {}), reason, message, at: this.lastError.at };
    if (!repeated) {
      const what = this.current ? 'new artifacts rejected; the last good ones stay in force' : 'artifacts rejected; nothing is served yet';
      this.options.logger.log('error', what, {
        error: message,
        reason,
        ...(version ? { version } : {}),
        ...(this.current ? { serving: this.current.version } : {}),
      });
      this.options.onRejected?.(message, reason);
    }
  }
}

/** The secrets of a set that did not resolve: upstream credentials, and client secrets of upstream identities. */
function unresolved(artifacts: LoadedArtifacts): string[] {
  const clients = Object.values(artifacts.identities.table.servers).map((s) => s.clientSecretRef);
  return [...artifacts.missingCredentials.map((m) => m.secretRef), ...clients.filter((ref) => !artifacts.identities.clientSecrets.has(ref))];
}

function text0(error: unknown): string {
  return error instanceof ArtifactError || error instanceof Error ? error.message : String(error);
}

/** The version a manifest claims, to name a refused set; unverified, so only for reports. */
function manifestVersion(text: string): string | undefined {
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}
