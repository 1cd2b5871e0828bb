// The checks `gatehouse audit verify` makes on each line of an audit log (pure). Each returns what
// it found wrong (a Finding), or the line when it is sound; verify.ts walks the lines with them.
import type { AuditKey } from '../../artifacts/src/audit/audit-key.ts';
import { AUDIT_FORMAT, GENESIS, LEGACY_AUDIT_FORMAT, canonicalLine, expectedHash, type AuditFormat } from '../../artifacts/src/audit/audit-line.ts';

/**
 * `unverifiable`: the log cannot be checked as asked (a v2 log without its key, a legacy v1 log
 * without --legacy); `unanchored`: no anchor says how far the log reached.
 */
export type ProblemKind = 'edited' | 'removed' | 'reordered' | 'truncated' | 'unverifiable' | 'unanchored';

/** What is wrong with a line, and why. */
export interface Finding {
  readonly kind: ProblemKind;
  readonly message: string;
}

export type Json = Record<string, unknown>;

/** A line that is canonical JSON, matches its own hash and carries its place in the chain. */
export interface ChainedLine {
  readonly json: Json;
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
}

export interface Position {
  readonly file: string;
  readonly fileIndex: number;
  /** 1-based. */
  readonly line: number;
}

const found = (kind: ProblemKind, message: string): Finding => ({ kind, message });

/**
 * Reads one line of a log in `format` on its own: complete, a JSON object, canonical, matching its
 * hash (v2: its MAC under `key`), with a seq and a prev.
 */
export function readChainedLine(text: string, incomplete: boolean, format: AuditFormat, key: AuditKey | undefined): ChainedLine | Finding {
  if (incomplete) return found('truncated', 'the line is incomplete (the file was cut in the middle of a record)');
  const json = parseJsonObject(text);
  if (!json) return found('edited', 'the line is not a JSON object');
  if (canonicalLine(json, format) !== text) return found('edited', 'the line is not in canonical form (it was rewritten)');
  if (format === AUDIT_FORMAT && json.type === 'header' && json.format === AUDIT_FORMAT && json.key_id !== key?.id) {
    const given = String(key?.id);
    return found('edited', `the file is sealed with key ${String(json.key_id)}, not the key given (${given}): another key, or rebuilt without the key`);
  }
  const hash = expectedHash(json, format, key);
  if (hash === undefined) return found('unverifiable', 'a v2 line is sealed with the audit key: give the key to check it');
  if (json.hash !== hash) return found('edited', 'the record does not match its own hash');
  const { seq, prev } = json;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || typeof prev !== 'string') return found('edited', 'the record has no valid seq or prev');
  return { json, seq, prev, hash };
}

/**
 * Whether a line follows the one before it: `next` is the seq and prev it must carry (none for the
 * first line of the log); `seqAt` says where each seq first appears, to tell a moved record from a removed one.
 */
export function checkLink(
  line: ChainedLine,
  next: { readonly seq: number; readonly prev: string } | undefined,
  at: Position,
  seqAt: ReadonlyMap<number, Position>,
): Finding | undefined {
  if (!next) return line.seq === 0 && line.prev !== GENESIS ? found('edited', 'the first record of the log does not start from the genesis hash') : undefined;
  if (line.seq > next.seq) {
    const later = seqAt.get(next.seq);
    if (later && isAfter(later, at)) return found('reordered', `record ${next.seq} should come here but is at ${later.file}:${later.line}`);
    const missing = line.seq - next.seq === 1 ? `record ${next.seq} is missing` : `records ${next.seq}–${line.seq - 1} are missing`;
    return found('removed', `${missing} before this line`);
  }
  if (line.seq < next.seq) return found('reordered', `record ${line.seq} comes after record ${next.seq - 1}`);
  if (line.prev !== next.prev) return found('edited', `the record does not chain to the line before it (that line, or this record's link, was altered)`);
  return undefined;
}

export interface LinePlace {
  /** The first line of its file. */
  readonly first: boolean;
  /** Lines of earlier files came before. */
  readonly afterEarlierLines: boolean;
  readonly stream: string;
  readonly file: string;
  /** The format of the log (its first header's); every file must be in it. */
  readonly format: AuditFormat;
  /** The file has an audit file name (`<stream>-<index>.jsonl`), so its header must name it. */
  readonly named: boolean;
  /** Request records in the log before this line, once a header has said. */
  readonly total: number | undefined;
}

/** Headers: each file starts with one that names it and counts the records before it, and no other line is one. */
export function checkPlace(line: Json, place: LinePlace): Finding | undefined {
  if (!place.first) return line.type === 'header' ? found('edited', 'a header in the middle of a file') : undefined;
  if (line.type === 'header' && line.format !== place.format && (line.format === AUDIT_FORMAT || line.format === LEGACY_AUDIT_FORMAT)) {
    return found('edited', `the file is in format ${line.format}, the log before it in ${place.format}: a chain never mixes formats`);
  }
  if (line.type !== 'header' || line.format !== place.format) {
    // After earlier files, a file without its header lost its first lines; a log's first file was edited.
    return found(place.afterEarlierLines ? 'removed' : 'edited', 'the file does not start with its header');
  }
  if (place.named && line.stream !== place.stream) return found('edited', `the header names stream ${String(line.stream)}, not ${place.stream}`);
  if (place.named && line.file !== place.file) return found('edited', `the header names file ${String(line.file)} (files were renamed or swapped)`);
  if (place.total !== undefined && line.records !== place.total) {
    return found('edited', `the header counts ${String(line.records)} records before this file, the log has ${place.total}`);
  }
  return undefined;
}

/** A checkpoint's counts, against the request records seen in its file and in the log. */
export function checkCounts(line: Json, fileRecords: number, total: number | undefined): Finding | undefined {
  if (line.type !== 'checkpoint' || (line.file_records === fileRecords && line.records === total)) return undefined;
  const claimed = `the checkpoint counts ${String(line.file_records)} records in this file and ${String(line.records)} in the log`;
  return found('removed', `${claimed}; there are ${fileRecords} and ${String(total)}`);
}

/** Lines of a file; a last piece without a newline is kept (it is reported as truncated). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function parseJsonObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function isAfter(a: Position, b: Position): boolean {
  return a.fileIndex > b.fileIndex || (a.fileIndex === b.fileIndex && a.line > b.line);
}
