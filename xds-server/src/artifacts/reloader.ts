// [impure] Keeps the control plane on the newest good artifacts: polls the artifact folder's
// manifest (cheap, and it survives the folder being swapped in by a rename, which file-system
// watches do not), loads a changed set completely, and only then swaps it in. A set that fails to
// load is reported and retried later; the last good set stays in force.
import type { Logger } from '../log.ts';
import { ArtifactError, loadArtifacts, readManifestText, type LoadedArtifacts, type LoadOptions } from './load.ts';

export interface ReloadStatus {
  readonly loaded?: { readonly version: string; readonly sourceRevision: string; readonly loadedAt: string };
  readonly lastError?: { readonly message: string; readonly at: string };
}

export interface ReloaderOptions extends LoadOptions {
  readonly intervalMs: number;
  /** How long before a set that failed to load is tried again (a secret may have appeared). */
  readonly retryMs: number;
  readonly logger: Logger;
  readonly onLoaded: (artifacts: LoadedArtifacts) => void;
  readonly onRejected?: (error: string) => void;
}

export class ArtifactReloader {
  private current?: LoadedArtifacts;
  private loadedAt?: string;
  private lastError?: { message: string; at: string };
  private failedText?: string;
  private failedAt = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly options: ReloaderOptions) {}

  get artifacts(): LoadedArtifacts | undefined {
    return this.current;
  }

  status(): ReloadStatus {
    return {
      ...(this.current ? { loaded: { version: this.current.version, sourceRevision: this.current.sourceRevision, loadedAt: this.loadedAt ?? '' } } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Tries once now, then keeps polling. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Loads the folder's artifacts if they changed since the last good or failed attempt. */
  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      let text: string;
      try {
        text = readManifestText(this.options.dir);
      } catch (error) {
        if (!this.current) this.reject(text0(error), undefined);
        return;
      }
      if (text === this.current?.manifestText) return;
      if (text === this.failedText && Date.now() - this.failedAt < this.options.retryMs) return;
      try {
        const loaded = await loadArtifacts(this.options, text);
        this.current = loaded;
        this.loadedAt = new Date().toISOString();
        this.failedText = undefined;
        this.lastError = undefined;
        const fleets = [...loaded.snapshots.keys()].join(',');
        this.options.logger.log('info', 'artifacts loaded', { version: loaded.version, revision: loaded.sourceRevision, fleets });
        this.options.onLoaded(loaded);
      } catch (error) {
        this.reject(text0(error), text);
      }
    } finally {
      this.busy = false;
    }
  }

  private reject(message: string, text: string | undefined): void {
    const repeated = this.lastError?.message === message;
    this.failedText = text;
    this.failedAt = Date.now();
    this.lastError = { message, at: new Date().toISOString() };
    if (!repeated) {
      const what = this.current ? 'new artifacts rejected; the last good ones stay in force' : 'artifacts rejected; nothing is served yet';
      this.options.logger.log('error', what, {
        error: message,
        ...(this.current ? { serving: this.current.version } : {}),
      });
      this.options.onRejected?.(message);
    }
  }
}

function text0(error: unknown): string {
  return error instanceof ArtifactError || error instanceof Error ? error.message : String(error);
}
