// Anchors: the heads of a stream's chain, written outside the audit files (one file per stream,
// `<stream>.anchors.jsonl`, in an anchor folder an operator can put on another volume). One line
// per checkpoint, appended and fdatasync'ed after the checkpoint itself is on disk: the file, seq
// and hash of that checkpoint and the records up to it. A log cut short, or rebuilt, no longer
// holds the line an anchor names, which `audit verify` and a restarting writer check. An anchor
// needs no seal of its own: it names a line whose hash only the key holder can produce.
import type { CheckpointReason } from './audit-line.ts';
import { canonicalJson } from './canonical-json.ts';

export interface AuditAnchor {
  readonly type: 'anchor';
  readonly stream: string;
  readonly file: string;
  readonly seq: number;
  readonly hash: string;
  /** Request records in the stream up to the anchored line. */
  readonly records: number;
  readonly reason: CheckpointReason;
  readonly time: string;
}

export function anchorFileName(stream: string): string {
  return `${stream}.anchors.jsonl`;
}

export function anchorLine(anchor: AuditAnchor): string {
  return canonicalJson(anchor);
}

export interface AnchorFile {
  readonly anchors: readonly AuditAnchor[];
  /** A last line without its newline: an anchor write a crash interrupted (not an anchor). */
  readonly torn: boolean;
  /** Lines (1-based) that are not anchors of this stream. */
  readonly invalid: readonly number[];
}

export function readAnchors(text: string, stream: string): AnchorFile {
  const parts = text.split('\n');
  const torn = parts[parts.length - 1] !== '';
  const anchors: AuditAnchor[] = [];
  const invalid: number[] = [];
  parts.slice(0, -1).forEach((line, i) => {
    const anchor = parseAnchor(line);
    if (anchor?.stream === stream) anchors.push(anchor);
    else invalid.push(i + 1);
  });
  return { anchors, torn, invalid };
}

function parseAnchor(line: string): AuditAnchor | undefined {
  try {
    const value = JSON.parse(line) as Partial<AuditAnchor> | null;
    const { type, stream, file, seq, hash, records } = value ?? {};
    const sound = type === 'anchor' && typeof stream === 'string' && typeof file === 'string' && typeof hash === 'string';
    return sound && Number.isInteger(seq) && Number.isInteger(records) ? (value as AuditAnchor) : undefined;
  } catch {
    return undefined;
  }
}
