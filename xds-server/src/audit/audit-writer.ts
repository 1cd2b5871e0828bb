// [impure] Appends one stream (one gateway's log) of audit records, hash chained
// (audit-chain.ts), to its files (audit-file-set.ts). Appends are written in groups
// (group-commit.ts): one write(2) and one fdatasync(2) per group, and an append resolves only
// after that sync. Checkpoints go in every `checkpointRecords` records, on an interval when
// records came in, and at start and shutdown; each is anchored in the anchor folder once on disk.
import type { AuditKey } from '../../../artifacts/src/audit/audit-key.ts';
import type { AuditBody, AuditRequest, CheckpointReason } from '../../../artifacts/src/audit/audit-line.ts';
import { AnchorLog } from './anchor-log.ts';
import { AuditChain } from './audit-chain.ts';
import { AuditFileSet, type FileSetSettings } from './audit-file-set.ts';
import { AuditLogError } from './audit-log-error.ts';
import type { AuditFileIo } from './file-io.ts';
import { GroupCommit } from './group-commit.ts';
import { nodeFileIo } from './node-file-io.ts';

export { AuditLogError } from './audit-log-error.ts';

export interface StreamSettings extends FileSetSettings {
  readonly checkpointRecords: number;
  readonly checkpointIntervalMs: number;
}

export interface WriterOptions {
  readonly dir: string;
  readonly stream: string;
  /** Seals every line (HMAC-SHA256); the verifier needs the same key. */
  readonly key: AuditKey;
  /** Where the stream's anchor file goes (best on another volume than `dir`). */
  readonly anchorDir: string;
  readonly settings: StreamSettings;
  readonly now?: () => number;
  /** The file system (node:fs unless a test puts the writer on a simulated disk). */
  readonly io?: AuditFileIo;
  /** Called after each durable write with its size and how long write + fdatasync took. */
  readonly onWrite?: (lines: number, bytes: number, seconds: number) => void;
  /** Called when a write fails (it is retried after `retryMs`). */
  readonly onError?: (error: Error) => void;
  readonly retryMs?: number;
  /** Appends beyond this many queued records are refused (the disk is failing). */
  readonly maxQueuedRecords?: number;
}

/** Records to append, or a checkpoint to write after them. */
interface Job {
  readonly records: readonly AuditRequest[];
  readonly checkpoint?: CheckpointReason;
}

export class AuditStreamWriter {
  private readonly chain: AuditChain;
  private readonly files: AuditFileSet;
  private readonly commits: GroupCommit<Job>;
  private settingsInForce: StreamSettings;
  private queued = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly options: WriterOptions) {
    this.settingsInForce = options.settings;
    const now = options.now ?? Date.now;
    const io = options.io ?? nodeFileIo;
    this.chain = new AuditChain(options.key);
    this.files = new AuditFileSet({
      io,
      dir: options.dir,
      stream: options.stream,
      chain: this.chain,
      key: options.key,
      anchors: new AnchorLog(io, options.anchorDir, options.stream),
      now,
      settings: () => this.settingsInForce,
      ...(options.onWrite ? { onWrite: options.onWrite } : {}),
      ...(options.onError ? { onAnchorError: options.onError } : {}),
    });
    this.commits = new GroupCommit<Job>({
      commit: (group) => this.writeGroup(group),
      repair: () => this.files.reopen(),
      retryMs: options.retryMs ?? 1000,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** Opens the stream: continues its newest file (or starts the log) and writes a `start` checkpoint. */
  static async open(options: WriterOptions): Promise<AuditStreamWriter> {
    const writer = new AuditStreamWriter(options);
    try {
      await writer.files.open();
    } catch (error) {
      await writer.files.close().catch(() => undefined);
      throw error;
    }
    await writer.submit({ records: [], checkpoint: 'start' });
    writer.startTimer();
    return writer;
  }

  /** The current file and the last line written: the head of the chain. */
  head(): { file: string; seq: number; hash: string; records: number } {
    return { file: this.files.path, ...this.chain.head, records: this.chain.records };
  }

  set settings(settings: StreamSettings) {
    const intervalChanged = settings.checkpointIntervalMs !== this.settingsInForce.checkpointIntervalMs;
    this.settingsInForce = settings;
    if (intervalChanged && !this.closed) this.startTimer();
  }

  /** Resolves once the records are on disk (written and fdatasync'ed). */
  append(records: readonly AuditRequest[]): Promise<void> {
    if (this.closed) return Promise.reject(new AuditLogError(`audit stream ${this.options.stream} is closed`));
    if (this.queued + records.length > (this.options.maxQueuedRecords ?? 100_000)) {
      return Promise.reject(new AuditLogError(`audit stream ${this.options.stream}: ${this.queued} records wait for the disk; refusing more`));
    }
    return this.submit({ records });
  }

  /** Writes a `shutdown` checkpoint, waits for every queued record, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    const last = this.submit({ records: [], checkpoint: 'shutdown' });
    this.closed = true;
    await last;
    await this.commits.idle();
    await this.files.close();
  }

  private async submit(job: Job): Promise<void> {
    this.queued += job.records.length;
    await this.commits.submit(job);
    this.queued -= job.records.length;
  }

  private startTimer(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.chain.sinceCheckpoint > 0 && !this.closed) void this.submit({ records: [], checkpoint: 'interval' });
    }, this.settingsInForce.checkpointIntervalMs);
    this.timer.unref();
  }

  /** Seals a group of jobs onto the files, rotating where a file is due, and writes it with one fdatasync. */
  private async writeGroup(group: readonly Job[]): Promise<void> {
    const add = (body: AuditBody) => {
      this.files.add(body);
      if (body.type === 'request' && this.chain.sinceCheckpoint >= this.settingsInForce.checkpointRecords) this.files.add(this.files.checkpoint('records'));
    };
    for (const job of group) {
      for (const record of job.records) {
        if (this.files.due()) await this.files.rotate();
        add(record);
      }
      if (job.checkpoint) add(this.files.checkpoint(job.checkpoint));
    }
    await this.files.flush();
  }
}
