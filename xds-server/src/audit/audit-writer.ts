// [impure] Appends one stream (one gateway's log) of audit records to JSON Lines files, hash
// chained (artifacts/src/audit/audit-line.ts). Records are written in groups: whatever arrived while
// the previous write was in flight goes out in one write(2) followed by one fdatasync(2), and an
// append resolves only after that sync (group commit). It rotates files by size and age, applies
// retention, writes checkpoints, and on start continues the chain of the newest file, cutting off
// (and recording) an incomplete last line left by a crash.
import { open, readdir, readFile, stat, unlink, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { auditFileName, parseAuditFileName } from '../../../artifacts/src/audit/audit-files.ts';
import {
  AUDIT_FORMAT,
  GENESIS,
  sealLine,
  sha256Hex,
  type AuditBody,
  type AuditRequest,
  type CheckpointReason,
} from '../../../artifacts/src/audit/audit-line.ts';

export interface StreamSettings {
  readonly rotateBytes: number;
  readonly rotateAgeMs: number;
  readonly retainFiles?: number;
  readonly retainAgeMs?: number;
  readonly checkpointRecords: number;
  readonly checkpointIntervalMs: number;
}

export interface WriterOptions {
  readonly dir: string;
  readonly stream: string;
  readonly settings: StreamSettings;
  readonly now?: () => number;
  /** Called after each durable write with its size and how long write + fdatasync took. */
  readonly onWrite?: (lines: number, bytes: number, seconds: number) => void;
  /** Called when a write fails (it is retried after `retryMs`). */
  readonly onError?: (error: Error) => void;
  readonly retryMs?: number;
  /** Appends beyond this many queued records are refused (the disk is failing). */
  readonly maxQueuedRecords?: number;
}

export class AuditLogError extends Error {}

interface Job {
  readonly bodies: readonly AuditRequest[];
  readonly checkpoint?: CheckpointReason;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface OpenFile {
  readonly handle: FileHandle;
  readonly name: string;
  readonly index: number;
  bytes: number;
  readonly createdMs: number;
  records: number;
}

export class AuditStreamWriter {
  private file?: OpenFile;
  private seq = 0;
  private prev = GENESIS;
  private total = 0;
  private sinceCheckpoint = 0;
  private queue: Job[] = [];
  private queued = 0;
  private draining?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private settingsInForce: StreamSettings;
  private readonly now: () => number;

  private constructor(private readonly options: WriterOptions) {
    this.settingsInForce = options.settings;
    this.now = options.now ?? Date.now;
  }

  /** Opens the stream: continues its newest file (or starts the log) and writes a `start` checkpoint. */
  static async open(options: WriterOptions): Promise<AuditStreamWriter> {
    const writer = new AuditStreamWriter(options);
    await mkdir(options.dir, { recursive: true, mode: 0o700 }); // audit records hold request data: owner only
    await writer.recover();
    await writer.enqueue([], 'start');
    writer.startTimer();
    return writer;
  }

  /** The current file and the last line written: the head of the chain. */
  head(): { file: string; seq: number; hash: string; records: number } {
    return { file: this.file ? join(this.options.dir, this.file.name) : '', seq: this.seq - 1, hash: this.prev, records: this.total };
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
    return this.enqueue(records);
  }

  /** Writes a `shutdown` checkpoint, waits for every queued record, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    const last = this.enqueue([], 'shutdown');
    this.closed = true;
    await last.catch(() => undefined);
    await this.draining;
    await this.file?.handle.close();
    this.file = undefined;
  }

  private enqueue(bodies: readonly AuditRequest[], checkpoint?: CheckpointReason): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ bodies, ...(checkpoint ? { checkpoint } : {}), resolve, reject });
      this.queued += bodies.length;
      // drain() clears `draining` in the same turn it finds the queue empty, so no job is left behind.
      this.draining ??= Promise.resolve().then(() => this.drain());
    });
  }

  private startTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.sinceCheckpoint > 0 && !this.closed) this.enqueue([], 'interval').catch(() => undefined);
    }, this.settingsInForce.checkpointIntervalMs);
    this.timer.unref();
  }

  /** Writes queued jobs in groups; a failed group is retried (after re-reading the file) until it lands. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        this.draining = undefined;
        return;
      }
      const group = this.queue;
      this.queue = [];
      for (;;) {
        try {
          await this.writeGroup(group);
          break;
        } catch (error) {
          this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
          await new Promise((r) => setTimeout(r, this.options.retryMs ?? 1000));
          try {
            await this.file?.handle.close();
          } catch {
            // already unusable
          }
          this.file = undefined;
          await this.recover().catch((e: unknown) => this.options.onError?.(e instanceof Error ? e : new Error(String(e))));
        }
      }
      for (const job of group) {
        this.queued -= job.bodies.length;
        job.resolve();
      }
    }
  }

  private async writeGroup(group: readonly Job[]): Promise<void> {
    if (!this.file) throw new AuditLogError(`audit stream ${this.options.stream} has no open file`);
    const settings = this.settingsInForce;
    let pending: string[] = [];
    let pendingBytes = 0;
    const add = (body: AuditBody) => {
      const text = this.seal(body);
      pending.push(text);
      pendingBytes += Buffer.byteLength(text) + 1;
    };
    for (const job of group) {
      for (const body of job.bodies) {
        const file = this.file!;
        const full = file.bytes + pendingBytes >= settings.rotateBytes || this.now() - file.createdMs >= settings.rotateAgeMs;
        if (full && (file.records > 0 || pending.length > 0)) {
          await this.rotate(pending);
          pending = [];
          pendingBytes = 0;
        }
        this.file!.records += 1;
        this.total += 1;
        this.sinceCheckpoint += 1;
        add(body);
        if (this.sinceCheckpoint >= settings.checkpointRecords) add(this.checkpointBody('records'));
      }
      if (job.checkpoint) add(this.checkpointBody(job.checkpoint));
    }
    await this.write(pending);
  }

  private checkpointBody(reason: CheckpointReason): AuditBody {
    this.sinceCheckpoint = 0;
    return { type: 'checkpoint', reason, records: this.total, file_records: this.file?.records ?? 0, time: this.isoNow() };
  }

  private seal(body: AuditBody): string {
    const { text, hash } = sealLine(body, this.seq, this.prev);
    this.seq += 1;
    this.prev = hash;
    return text;
  }

  private async write(texts: readonly string[]): Promise<void> {
    if (texts.length === 0 || !this.file) return;
    const bytes = Buffer.from(`${texts.join('\n')}\n`);
    const started = process.hrtime.bigint();
    await this.file.handle.write(bytes);
    await this.file.handle.datasync();
    this.file.bytes += bytes.length;
    this.options.onWrite?.(texts.length, bytes.length, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Closes the current file with a rotation checkpoint and starts the next one, then applies retention. */
  private async rotate(pending: string[]): Promise<void> {
    const current = this.file!;
    pending.push(this.seal(this.checkpointBody('rotate')));
    await this.write(pending);
    await current.handle.close();
    this.file = undefined;
    await this.startFile(current.index + 1);
    await this.applyRetention();
  }

  private async startFile(index: number): Promise<void> {
    const name = auditFileName(this.options.stream, index);
    const handle = await open(join(this.options.dir, name), 'a', 0o600);
    this.file = { handle, name, index, bytes: 0, createdMs: this.now(), records: 0 };
    await this.write([this.seal({ type: 'header', format: AUDIT_FORMAT, stream: this.options.stream, file: name, file_index: index, records: this.total, time: this.isoNow() })]);
    await syncDir(this.options.dir);
  }

  /** Deletes the oldest closed files beyond `retainFiles`, and closed files older than `retainAgeMs`, recording each first. */
  private async applyRetention(): Promise<void> {
    const { retainFiles, retainAgeMs } = this.settingsInForce;
    if (retainFiles === undefined && retainAgeMs === undefined) return;
    const closed = (await this.streamFiles()).filter((f) => f.index !== this.file?.index);
    const doomed: typeof closed = [];
    for (const [i, f] of closed.entries()) {
      const tooMany = retainFiles !== undefined && closed.length - i + 1 > retainFiles;
      const tooOld = retainAgeMs !== undefined && (await stat(join(this.options.dir, f.name))).mtimeMs < this.now() - retainAgeMs;
      if (tooMany || tooOld) doomed.push(f);
    }
    if (doomed.length === 0) return;
    const removed = [];
    for (const f of doomed) {
      const last = lastLine(await readFile(join(this.options.dir, f.name)));
      removed.push({ file: f.name, last_seq: Number(last?.seq ?? -1), last_hash: String(last?.hash ?? '') });
    }
    await this.write([this.seal({ type: 'retention', removed, time: this.isoNow() })]);
    for (const f of doomed) await unlink(join(this.options.dir, f.name));
    await syncDir(this.options.dir);
  }

  /** Reads the newest file to continue its chain; starts the log when there is none. */
  private async recover(): Promise<void> {
    for (;;) {
      const newest = (await this.streamFiles()).pop();
      if (!newest) {
        this.seq = 0;
        this.prev = GENESIS;
        this.total = 0;
        await this.startFile(1);
        await this.applyRetention();
        return;
      }
      const path = join(this.options.dir, newest.name);
      const bytes = await readFile(path);
      const end = bytes.lastIndexOf(0x0a) + 1;
      const lines = bytes.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
      if (lines.length === 0) {
        // Not even a header made it to disk: nothing was recorded in this file.
        await unlink(path);
        await syncDir(this.options.dir);
        continue;
      }
      const parsed = lines.map((l) => parseLine(l));
      const header = parsed[0];
      const last = parsed[parsed.length - 1];
      if (!header || header.type !== 'header' || !last || typeof last.hash !== 'string' || typeof last.seq !== 'number') {
        throw new AuditLogError(`cannot continue the audit log ${path}: it does not start with a header or its last line is not a record (run \`gatehouse audit verify ${path}\`)`);
      }
      const records = parsed.filter((l) => l?.type === 'request').length;
      this.seq = last.seq + 1;
      this.prev = last.hash;
      this.total = Number(header.records) + records;
      this.sinceCheckpoint = 0;
      const handle = await open(path, end < bytes.length ? 'r+' : 'a');
      if (end < bytes.length) {
        await handle.truncate(end);
        await handle.datasync();
        await handle.close();
      }
      const appender = end < bytes.length ? await open(path, 'a') : handle;
      this.file = { handle: appender, name: newest.name, index: newest.index, bytes: end, createdMs: Date.parse(String(header.time)) || this.now(), records };
      if (end < bytes.length) {
        const tail = bytes.subarray(end);
        await this.write([this.seal({ type: 'recovery', discarded_bytes: tail.length, discarded_sha256: sha256Hex(tail), time: this.isoNow() })]);
      }
      if (last.type === 'checkpoint' && last.reason === 'rotate') {
        // The previous run closed this file but died before starting the next.
        await this.file.handle.close();
        await this.startFile(newest.index + 1);
      }
      await this.applyRetention();
      return;
    }
  }

  private async streamFiles(): Promise<{ name: string; index: number }[]> {
    const names = await readdir(this.options.dir);
    return names
      .map((name) => ({ name, parsed: parseAuditFileName(name) }))
      .filter((f) => f.parsed?.stream === this.options.stream)
      .map((f) => ({ name: f.name, index: f.parsed!.index }))
      .sort((a, b) => a.index - b.index);
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}

function parseLine(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function lastLine(bytes: Buffer): Record<string, unknown> | undefined {
  const lines = bytes.toString('utf8').split('\n').filter((l) => l !== '');
  return parseLine(lines[lines.length - 1] ?? '');
}

/** fsync of the folder, so a file just created (or deleted) survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
