// [impure] A stream's anchor file (artifacts/src/audit/audit-anchor.ts), in the anchor folder:
// each anchor is appended and fdatasync'ed after the checkpoint it names reached the disk, so an
// anchor never names a line a power cut could take back. On open it cuts off an anchor line a
// crash left incomplete (as the audit files' tail recovery does) and refuses a file whose lines
// are not anchors of this stream.
import { join } from 'node:path';
import { anchorFileName, anchorLine, readAnchors, type AuditAnchor } from '../../../artifacts/src/audit/audit-anchor.ts';
import { AuditLogError } from './audit-log-error.ts';
import type { AppendFile, AuditFileIo } from './file-io.ts';

export class AnchorLog {
  private file?: AppendFile;
  private lastAnchor?: AuditAnchor;

  constructor(
    private readonly io: AuditFileIo,
    private readonly dir: string,
    private readonly stream: string,
  ) {}

  get path(): string {
    return join(this.dir, anchorFileName(this.stream));
  }

  /** The newest anchor on disk (or written since open). */
  get last(): AuditAnchor | undefined {
    return this.lastAnchor;
  }

  /** Reads the anchors so far (repairing a torn last line) and opens the file for appending. */
  async open(): Promise<void> {
    await this.io.mkdir(this.dir);
    const exists = (await this.io.list(this.dir)).includes(anchorFileName(this.stream));
    if (exists) {
      const bytes = await this.io.read(this.path);
      const found = readAnchors(Buffer.from(bytes).toString('utf8'), this.stream);
      if (found.invalid.length > 0) {
        throw new AuditLogError(`the anchor file ${this.path} has lines that are not anchors of stream ${this.stream} (line ${found.invalid.join(', ')})`);
      }
      if (found.torn) await this.io.truncate(this.path, bytes.lastIndexOf(0x0a) + 1);
      this.lastAnchor = found.anchors[found.anchors.length - 1];
    }
    this.file = await this.io.openAppend(this.path);
    if (!exists) await this.io.syncDir(this.dir);
  }

  /** Resolves once the anchor is on disk. */
  async append(anchor: AuditAnchor): Promise<void> {
    if (!this.file) throw new AuditLogError(`the anchor file ${this.path} is not open`);
    await this.file.append(Buffer.from(`${anchorLine(anchor)}\n`));
    await this.file.datasync();
    this.lastAnchor = anchor;
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }

  /** After a failed write: closes and opens again (repairing what the failure left). */
  async reopen(): Promise<void> {
    try {
      await this.close();
    } catch {
      // already unusable
    }
    await this.open();
  }
}
