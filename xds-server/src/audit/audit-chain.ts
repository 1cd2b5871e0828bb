// The head of one stream's hash chain: seals each body after the line before it
// (artifacts/src/audit/audit-line.ts), under the audit key, and keeps the counts checkpoints and headers carry.
import type { AuditKey } from '../../../artifacts/src/audit/audit-key.ts';
import { GENESIS, sealLine, type AuditBody } from '../../../artifacts/src/audit/audit-line.ts';

export interface ChainPosition {
  /** The seq the next line gets. */
  readonly seq: number;
  /** The hash of the last line (GENESIS before the first). */
  readonly prev: string;
  /** Request records in the whole log so far. */
  readonly records: number;
}

export class AuditChain {
  private position: ChainPosition = { seq: 0, prev: GENESIS, records: 0 };
  private requestsSinceCheckpoint = 0;

  constructor(private readonly key: AuditKey) {}

  /** Request records in the whole log so far. */
  get records(): number {
    return this.position.records;
  }

  /** Request records sealed since the last checkpoint. */
  get sinceCheckpoint(): number {
    return this.requestsSinceCheckpoint;
  }

  /** The last line sealed. */
  get head(): { seq: number; hash: string } {
    return { seq: this.position.seq - 1, hash: this.position.prev };
  }

  /** Continues a log read back from disk (or starts one, with `{ seq: 0, prev: GENESIS, records: 0 }`). */
  continueFrom(position: ChainPosition): void {
    this.position = position;
    this.requestsSinceCheckpoint = 0;
  }

  /** The line's text (no newline), placed after the last line sealed. */
  seal(body: AuditBody): string {
    const { seq, prev, records } = this.position;
    const { text, hash } = sealLine(body, seq, prev, this.key);
    const request = body.type === 'request' ? 1 : 0;
    this.position = { seq: seq + 1, prev: hash, records: records + request };
    this.requestsSinceCheckpoint = body.type === 'checkpoint' ? 0 : this.requestsSinceCheckpoint + request;
    return text;
  }
}
