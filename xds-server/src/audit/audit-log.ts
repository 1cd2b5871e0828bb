// [impure] The audit log of a control plane: one hash-chained stream per gateway, in one folder
// (`<gateway>-<index>.jsonl`; with a replica id, `<gateway>.<replica>-<index>.jsonl`, so replicas
// sharing a folder each write their own chain). Each stream is locked while open (stream-lock.ts). Streams open on first use, or up front for the gateways the
// artifacts name, so their files exist (and can be shown) before the first request. Every stream
// is sealed with the audit key (read, or created on first use, from `keyFile`) and anchored in
// `anchorDir` (by default both beside the folder: artifacts/src/audit/audit-key.ts).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultAuditCompanions, type AuditKey } from '../../../artifacts/src/audit/audit-key.ts';
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';
import { loadOrCreateAuditKey } from './audit-key-file.ts';
import { AuditStreamWriter, type StreamSettings, type WriterOptions } from './audit-writer.ts';
import { auditStreamName } from '../../../artifacts/src/audit/audit-files.ts';
import { lockStream, type LockHolder, type StreamLock } from './stream-lock.ts';

export interface AuditLogOptions {
  readonly dir: string;
  /** This control-plane replica: its streams are `<gateway>.<replica>`. Absent: `<gateway>` (a single control plane). */
  readonly replica?: string;
  /** Called when a stream's lock was left by a process that died, and was taken over. */
  readonly onStaleLock?: (stream: string, holder: LockHolder) => void;
  /** The audit key file (created when missing). Default: `audit.key` beside `dir`. */
  readonly keyFile?: string;
  /** The folder of the anchor files. Default: `audit-anchors` beside `dir`. */
  readonly anchorDir?: string;
  /** Called when the key file was created (to tell the operator where it is). */
  readonly onKeyCreated?: (path: string) => void;
  /** The settings of a stream (a gateway's, from the artifacts in force). */
  readonly settings: (stream: string) => StreamSettings;
  readonly now?: () => number;
  readonly onWrite?: WriterOptions['onWrite'];
  readonly onError?: (error: Error, stream: string) => void;
}

export class AuditLog {
  private readonly streams = new Map<string, Promise<AuditStreamWriter>>();
  private readonly open = new Map<string, AuditStreamWriter>();
  private readonly locks = new Map<string, StreamLock>();
  private closing = false;
  private key?: Promise<AuditKey>;

  constructor(private readonly options: AuditLogOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  /** Where the key and the anchors are. */
  get companions(): { readonly keyFile: string; readonly anchorDir: string } {
    const defaults = defaultAuditCompanions(this.options.dir);
    return { keyFile: this.options.keyFile ?? defaults.keyFile, anchorDir: this.options.anchorDir ?? defaults.anchorDir };
  }

  /** Opens the streams of these gateways now and gives every open stream its current settings. */
  async configure(gateways: readonly string[]): Promise<void> {
    await Promise.all(gateways.map((g) => this.stream(g)));
    for (const [gateway, writer] of this.streams) (await writer).settings = this.options.settings(gateway);
  }

  /** The stream a gateway's records go to. */
  streamOf(gateway: string): string {
    return auditStreamName(gateway, this.options.replica);
  }

  /** Resolves when every record is on disk. */
  async append(records: readonly AuditRequest[]): Promise<void> {
    const byStream = new Map<string, AuditRequest[]>();
    for (const record of records) {
      const list = byStream.get(record.gateway) ?? [];
      list.push(record);
      byStream.set(record.gateway, list);
    }
    await Promise.all([...byStream].map(async ([stream, list]) => (await this.stream(stream)).append(list)));
  }

  /** Each open stream's current file and head (for /status: a verifier can check the log still reaches it). */
  heads(): { stream: string; file: string; seq: number; hash: string; records: number }[] {
    return [...this.open]
      .map(([gateway, writer]) => ({ stream: this.streamOf(gateway), ...writer.head() }))
      .sort((a, b) => (a.stream < b.stream ? -1 : 1));
  }

  async close(): Promise<void> {
    this.closing = true;
    // A stream that never opened has nothing to close.
    await Promise.allSettled([...this.streams.values()].map(async (w) => (await w).close()));
    await Promise.all([...this.locks.values()].map((lock) => lock.release()));
    this.locks.clear();
  }

  /** The key, read (or created) once; a failure is retried at the next stream that opens. */
  private auditKey(): Promise<AuditKey> {
    if (!this.key) {
      const loading = loadOrCreateAuditKey(this.companions.keyFile).then(({ key, created }) => {
        if (created) this.options.onKeyCreated?.(this.companions.keyFile);
        return key;
      });
      loading.catch(() => {
        if (this.key === loading) this.key = undefined;
      });
      this.key = loading;
    }
    return this.key;
  }

  /** A gateway's stream writer, opened (and locked) on first use. */
  private stream(gateway: string): Promise<AuditStreamWriter> {
    if (this.closing) return Promise.reject(new Error('the audit log is closed'));
    let writer = this.streams.get(gateway);
    if (!writer) {
      writer = this.openStream(gateway);
      writer.then(
        (w) => this.open.set(gateway, w),
        () => this.streams.delete(gateway),
      );
      this.streams.set(gateway, writer);
    }
    return writer;
  }

  private async openStream(gateway: string): Promise<AuditStreamWriter> {
    const key = await this.auditKey();
    const stream = this.streamOf(gateway);
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const lock = await lockStream(this.options.dir, stream);
    if (lock.recovered) this.options.onStaleLock?.(stream, lock.recovered);
    try {
      const writer = await AuditStreamWriter.open({
        dir: this.options.dir,
        stream,
        key,
        anchorDir: this.companions.anchorDir,
        settings: this.options.settings(gateway),
        ...(this.options.now ? { now: this.options.now } : {}),
        ...(this.options.onWrite ? { onWrite: this.options.onWrite } : {}),
        onError: (error) => this.options.onError?.(error, stream),
      });
      this.locks.set(gateway, lock);
      return writer;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
}

/** Where a stream's files go (for messages). */
export function streamGlob(dir: string, stream: string): string {
  return join(dir, `${stream}-*.jsonl`);
}
