// The anchors of a stream against its log (pure): every anchor at or after the log's first line
// must name a line the log holds (same seq, hash and file). An anchor past the log's end means
// records were cut from it; one naming a different line means the log was rebuilt. Lines after
// the newest anchor cannot be proven complete: the report says how many.
import type { AnchorFile, AuditAnchor } from '../../artifacts/src/audit/audit-anchor.ts';
import type { Finding, Position } from './line-checks.ts';

/** A line of the log an anchor names, as the walk found it. */
export interface AnchoredLine extends Position {
  readonly hash: string;
}

export interface AnchorCheck {
  /** The newest anchor the log matches. */
  readonly anchored?: AuditAnchor;
  readonly problem?: Finding & { readonly file: string; readonly line: number };
}

export interface AnchorInput {
  readonly anchors: AnchorFile;
  /** The anchor file (for messages and problem positions). */
  readonly path: string;
  /** The lines the walk found at the seqs anchors name. */
  readonly found: ReadonlyMap<number, AnchoredLine>;
  /** The seq of the log's first line (later than 0 when retention deleted the first files). */
  readonly start: number;
  readonly head: { readonly seq: number } | null;
  /** The log's last line, where a cut is reported. */
  readonly end: Position;
  /** One file checked alone: only anchors naming it count. */
  readonly onlyFile?: string;
}

export function checkAnchors(input: AnchorInput): AnchorCheck {
  const [invalid] = input.anchors.invalid;
  if (invalid !== undefined) {
    return { problem: { file: input.path, line: invalid, kind: 'edited', message: 'the anchor file has a line that is not an anchor of this stream' } };
  }
  let anchored: AuditAnchor | undefined;
  for (const anchor of input.anchors.anchors) {
    if (anchor.seq < input.start || (input.onlyFile !== undefined && anchor.file !== input.onlyFile)) continue;
    const line = input.found.get(anchor.seq);
    const names = `the anchor of ${anchor.time} names ${anchor.file} line seq ${anchor.seq} (${anchor.records} records)`;
    if (!line) {
      const end = input.head ? `the log ends at seq ${input.head.seq}` : 'the log is empty';
      return { problem: { file: input.end.file, line: input.end.line, kind: 'truncated', message: `${names}; ${end}: records were removed from its end` } };
    }
    if (line.hash !== anchor.hash || line.file !== anchor.file) {
      return { problem: { file: line.file, line: line.line, kind: 'edited', message: `${names}, and this is not that line: the log was rebuilt` } };
    }
    if (!anchored || anchor.seq > anchored.seq) anchored = anchor;
  }
  return anchored ? { anchored } : {};
}
