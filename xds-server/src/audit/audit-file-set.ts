// [impure] The files of one audit stream (`<stream>-<index>.jsonl`): the one being appended to,
// rotation by size and age, retention by count and age (recorded before anything is deleted), and,
// on start, continuing the newest file's chain after cutting off a line a crash left incomplete.
// Lines reach it sealed (audit-chain.ts); `flush` writes them with one write(2) and one fdatasync(2),
// then, when they hold a checkpoint, appends its anchor (anchor-log.ts). A restart checks the newest
// file under the key and against the newest anchor before appending to it, and refuses a file that
// was tampered with (AuditLogError, naming the file: the stream does not open).
import { join } from 'node:path';
import { auditFileName, parseAuditFileName } from '../../../artifacts/src/audit/audit-files.ts';
import { AUDIT_FORMAT, GENESIS, sha256Hex, type AuditBody, type CheckpointReason } from '../../../artifacts/src/audit/audit-line.ts';
import type { AuditAnchor } from '../../../artifacts/src/audit/audit-anchor.ts';
import type { AuditKey } from '../../../artifacts/src/audit/audit-key.ts';
import type { AuditChain } from './audit-chain.ts';
import type { AnchorLog } from './anchor-log.ts';
import { AuditLogError } from './audit-log-error.ts';
import type { AppendFile, AuditFileIo } from './file-io.ts';
import { lastLine, readNewestFile } from './tail-recovery.ts';

export interface FileSetSettings {
  readonly rotateBytes: number;
  readonly rotateAgeMs: number;
  readonly retainFiles?: number;
  readonly retainAgeMs?: number;
}

export interface FileSetOptions {
  readonly io: AuditFileIo;
  readonly dir: string;
  readonly stream: string;
  readonly chain: AuditChain;
  readonly key: AuditKey;
  readonly anchors: AnchorLog;
  readonly now: () => number;
  readonly settings: () => FileSetSettings;
  /** Called after each durable write with its size and how long write + fdatasync took. */
  readonly onWrite?: (lines: number, bytes: number, seconds: number) => void;
  /** Called when an anchor could not be written (the records are written; the next checkpoint anchors them). */
  readonly onAnchorError?: (error: Error) => void;
}

interface CurrentFile {
  readonly file: AppendFile;
  readonly name: string;
  readonly index: number;
  /** Bytes on disk. */
  bytes: number;
  readonly createdMs: number;
  /** Request records in the file, written or pending. */
  records: number;
}

export class AuditFileSet {
  private current?: CurrentFile;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** The last checkpoint among the pending lines, to anchor once they are on disk. */
  private pendingAnchor?: AuditAnchor;

  constructor(private readonly options: FileSetOptions) {}

  /** The path of the file being appended to ('' when none is open). */
  get path(): string {
    return this.current ? this.pathOf(this.current.name) : '';
  }

  /** Request records in the current file, written or pending. */
  get fileRecords(): number {
    return this.current?.records ?? 0;
  }

  /** Reads the newest file to continue its chain (or starts the log), then applies retention. */
  async open(): Promise<void> {
    await this.options.io.mkdir(this.options.dir);
    await this.options.anchors.open();
    await this.recover();
    await this.applyRetention();
  }

  /** Whether the next record belongs in a new file (the current one is full or old and holds records). */
  due(): boolean {
    const file = this.requireFile();
    const { rotateBytes, rotateAgeMs } = this.options.settings();
    const full = file.bytes + this.pendingBytes >= rotateBytes || this.options.now() - file.createdMs >= rotateAgeMs;
    return full && (file.records > 0 || this.pending.length > 0);
  }

  /** Seals a body onto the current file, to be written by the next `flush`. */
  add(body: AuditBody): void {
    const file = this.requireFile();
    if (body.type === 'request') file.records += 1;
    const text = this.options.chain.seal(body);
    if (body.type === 'checkpoint') {
      const { seq, hash } = this.options.chain.head;
      const { records, reason, time } = body;
      this.pendingAnchor = { type: 'anchor', stream: this.options.stream, file: file.name, seq, hash, records, reason, time };
    }
    this.pending.push(text);
    this.pendingBytes += Buffer.byteLength(text) + 1;
  }

  /** A checkpoint body: the running counts at this point. */
  checkpoint(reason: CheckpointReason): AuditBody {
    return { type: 'checkpoint', reason, records: this.options.chain.records, file_records: this.fileRecords, time: this.isoNow() };
  }

  /** Writes the pending lines and waits for fdatasync (once it resolves they survive a power cut), then anchors their last checkpoint. */
  async flush(): Promise<void> {
    const file = this.requireFile();
    if (this.pending.length === 0) return;
    const lines = this.pending.length;
    const bytes = Buffer.from(`${this.pending.join('\n')}\n`);
    const anchor = this.pendingAnchor;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingAnchor = undefined;
    const started = process.hrtime.bigint();
    await file.file.append(bytes);
    await file.file.datasync();
    file.bytes += bytes.length;
    this.options.onWrite?.(lines, bytes.length, Number(process.hrtime.bigint() - started) / 1e9);
    if (anchor) await this.anchor(anchor);
  }

  /**
   * Appends an anchor for lines already on disk. A failure must not fail their commit: a retry
   * would seal the same records again. They stay provable from the next anchor that lands.
   */
  private async anchor(anchor: AuditAnchor): Promise<void> {
    try {
      await this.options.anchors.append(anchor);
    } catch (error) {
      this.options.onAnchorError?.(error instanceof Error ? error : new Error(String(error)));
      await this.options.anchors.reopen().catch(() => undefined);
    }
  }

  /** Closes the current file with a rotation checkpoint, starts the next one, then applies retention. */
  async rotate(): Promise<void> {
    const closing = this.requireFile();
    this.add(this.checkpoint('rotate'));
    await this.flush();
    await this.closeFile();
    await this.startFile(closing.index + 1);
    await this.applyRetention();
  }

  /** After a failed write: drops what was not written, and re-reads the newest file to go on from what is on disk. */
  async reopen(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingAnchor = undefined;
    await this.options.anchors.reopen();
    try {
      await this.current?.file.close();
    } catch {
      // already unusable
    }
    this.current = undefined;
    await this.recover();
    await this.applyRetention();
  }

  /** Closes the current file (pending lines are dropped: flush first). */
  async close(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingAnchor = undefined;
    await this.closeFile();
    await this.options.anchors.close();
  }

  private async closeFile(): Promise<void> {
    const file = this.current;
    this.current = undefined;
    await file?.file.close();
  }

  private async startFile(index: number): Promise<void> {
    const name = auditFileName(this.options.stream, index);
    const file = await this.options.io.openAppend(this.pathOf(name));
    this.current = { file, name, index, bytes: 0, createdMs: this.options.now(), records: 0 };
    const { stream, key, chain } = this.options;
    this.add({ type: 'header', format: AUDIT_FORMAT, key_id: key.id, stream, file: name, file_index: index, records: chain.records, time: this.isoNow() });
    await this.flush();
    await this.options.io.syncDir(this.options.dir);
  }

  /** Deletes the oldest closed files beyond `retainFiles`, and closed files older than `retainAgeMs`, recording each first. */
  private async applyRetention(): Promise<void> {
    const { retainFiles, retainAgeMs } = this.options.settings();
    if (retainFiles === undefined && retainAgeMs === undefined) return;
    const closed = (await this.streamFiles()).filter((f) => f.index !== this.current?.index);
    const doomed: typeof closed = [];
    for (const [i, f] of closed.entries()) {
      const tooMany = retainFiles !== undefined && closed.length - i + 1 > retainFiles;
      const tooOld = retainAgeMs !== undefined && (await this.options.io.modifiedMs(this.pathOf(f.name))) < this.options.now() - retainAgeMs;
      if (tooMany || tooOld) doomed.push(f);
    }
    if (doomed.length === 0) return;
    const removed = [];
    for (const f of doomed) {
      const last = lastLine(await this.options.io.read(this.pathOf(f.name)));
      removed.push({ file: f.name, last_seq: typeof last?.seq === 'number' ? last.seq : -1, last_hash: typeof last?.hash === 'string' ? last.hash : '' });
    }
    this.add({ type: 'retention', removed, time: this.isoNow() });
    await this.flush();
    for (const f of doomed) await this.options.io.remove(this.pathOf(f.name));
    await this.options.io.syncDir(this.options.dir);
  }

  /** Continues the newest file's chain; starts the log when there is none. */
  private async recover(): Promise<void> {
    const { io, chain, anchors } = this.options;
    const anchored = anchors.last ? { ...anchors.last, index: parseAuditFileName(anchors.last.file)?.index ?? 0 } : undefined;
    // Each pass removes one empty file, so this ends.
    for (;;) {
      const newest = (await this.streamFiles()).pop();
      if (anchored && (newest?.index ?? 0) < anchored.index) {
        const found = newest ? `the newest file is ${newest.name}` : 'there is no file';
        throw new AuditLogError(
          `cannot continue the audit log in ${this.options.dir}: its anchor (${anchors.path}) says it reached ${anchored.file} line ${anchored.seq}, ` +
            `but ${found} ` +
            `(files were removed; run \`gatehouse audit verify ${this.options.dir}\`)`,
        );
      }
      if (!newest) {
        chain.continueFrom({ seq: 0, prev: GENESIS, records: 0 });
        await this.startFile(1);
        return;
      }
      const path = this.pathOf(newest.name);
      const bytes = await io.read(path);
      const found = readNewestFile(bytes, this.options.key, anchored?.file === newest.name ? anchored : undefined);
      if (found.kind === 'empty') {
        await io.remove(path);
        await io.syncDir(this.options.dir);
        continue;
      }
      if (found.kind === 'unreadable') {
        throw new AuditLogError(`cannot continue the audit log ${path}: ${found.reason} (run \`gatehouse audit verify ${path}\`)`);
      }
      chain.continueFrom(found.chain);
      if (found.tail.length > 0) await io.truncate(path, found.end);
      const file = await io.openAppend(path);
      const createdMs = found.startedMs ?? this.options.now();
      this.current = { file, name: newest.name, index: newest.index, bytes: found.end, createdMs, records: found.fileRecords };
      if (found.tail.length > 0) {
        this.add({ type: 'recovery', discarded_bytes: found.tail.length, discarded_sha256: sha256Hex(found.tail), time: this.isoNow() });
        await this.flush();
      }
      if (found.closed) {
        await this.closeFile();
        await this.startFile(newest.index + 1);
      }
      return;
    }
  }

  private async streamFiles(): Promise<{ name: string; index: number }[]> {
    const names = await this.options.io.list(this.options.dir);
    const files: { name: string; index: number }[] = [];
    for (const name of names) {
      const parsed = parseAuditFileName(name);
      if (parsed?.stream === this.options.stream) files.push({ name, index: parsed.index });
    }
    return files.sort((a, b) => a.index - b.index);
  }

  private requireFile(): CurrentFile {
    if (!this.current) throw new AuditLogError(`audit stream ${this.options.stream} has no open file`);
    return this.current;
  }

  private pathOf(name: string): string {
    return join(this.options.dir, name);
  }

  private isoNow(): string {
    return new Date(this.options.now()).toISOString();
  }
}
