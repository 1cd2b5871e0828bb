// Verifies one audit stream (a gateway's files, oldest first): every line canonical and matching
// its own hash, every line chained to the one before, sequence numbers without gaps, counts in
// headers and checkpoints right, and every rotated file closed by its rotation checkpoint. Stops
// at the first bad line and says why. Pure: the caller reads the files.
import { AUDIT_FORMAT, GENESIS, expectedHash, type AuditRetention } from '../../artifacts/src/audit/audit-line.ts';
import { canonicalJson } from '../../artifacts/src/audit/canonical-json.ts';
import { parseAuditFileName } from '../../artifacts/src/audit/audit-files.ts';

export interface AuditFileText {
  readonly name: string;
  readonly text: string;
}

export type ProblemKind = 'edited' | 'removed' | 'reordered' | 'truncated';

export interface VerifyProblem {
  readonly file: string;
  /** 1-based line number in `file`. */
  readonly line: number;
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface StreamReport {
  readonly stream: string;
  readonly files: readonly string[];
  readonly lines: number;
  /** Request records checked. */
  readonly records: number;
  /** The last line checked: its seq and hash (the head of the chain when intact). */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly problem?: VerifyProblem;
}

type Json = Record<string, unknown>;
interface Position {
  readonly file: string;
  readonly fileIndex: number;
  readonly line: number;
}

class Bad extends Error {
  constructor(readonly problem: VerifyProblem) {
    super(problem.message);
  }
}

/**
 * `files` are one stream's files, oldest first. `expectHead`: a hash recorded earlier (the head on
 * the control plane's /status) that the log must still contain. `standalone`: one file checked on
 * its own, which may start in the middle of its log.
 */
export function verifyStream(
  stream: string,
  files: readonly AuditFileText[],
  options: { readonly expectHead?: string; readonly standalone?: boolean } = {},
): StreamReport {
  const seqAt = indexSequenceNumbers(files);
  let expected: { seq: number; prev: string } | undefined;
  let chainStart: { seq: number; prev: string; at: Position } | undefined;
  let total: number | undefined;
  let lines = 0;
  let records = 0;
  let head: StreamReport['head'] = null;
  const retained: AuditRetention['removed'][number][] = [];
  const hashes = new Set<string>();
  const report = (problem?: VerifyProblem): StreamReport => ({ stream, files: files.map((f) => f.name), lines, records, head, ...(problem ? { problem } : {}) });

  try {
    files.forEach((file, fileIndex) => {
      const texts = splitLines(file.text);
      const named = parseAuditFileName(file.name);
      let fileRecords = 0;
      let last: Json | undefined;
      texts.forEach((text, i) => {
        const at: Position = { file: file.name, fileIndex, line: i + 1 };
        const bad = (kind: ProblemKind, message: string): never => {
          throw new Bad({ file: file.name, line: at.line, kind, message });
        };
        if (i === texts.length - 1 && !file.text.endsWith('\n')) bad('truncated', 'the line is incomplete (the file was cut in the middle of a record)');
        const line = parse(text);
        if (!line) bad('edited', 'the line is not a JSON object');
        if (canonicalJson(line) !== text) bad('edited', 'the line is not in canonical form (it was rewritten)');
        if (line!.hash !== expectedHash(line!)) bad('edited', 'the record does not match its own hash');
        const seq = line!.seq as number;
        if (!Number.isInteger(seq) || typeof line!.prev !== 'string') bad('edited', 'the record has no valid seq or prev');

        if (!expected) {
          if (seq === 0 && line!.prev !== GENESIS) bad('edited', 'the first record of the log does not start from the genesis hash');
          if (seq !== 0) chainStart = { seq, prev: line!.prev as string, at };
        } else if (seq > expected.seq) {
          const later = seqAt.get(expected.seq);
          if (later && after(later, at)) bad('reordered', `record ${expected.seq} should come here but is at ${later.file}:${later.line}`);
          bad('removed', seq - expected.seq === 1 ? `record ${expected.seq} is missing before this line` : `records ${expected.seq}–${seq - 1} are missing before this line`);
        } else if (seq < expected.seq) {
          bad('reordered', `record ${seq} comes after record ${expected.seq - 1}`);
        } else if (line!.prev !== expected.prev) {
          bad('edited', `the record does not chain to the line before it (that line, or this record's link, was altered)`);
        }

        if (i === 0) {
          if (line!.type !== 'header' || line!.format !== AUDIT_FORMAT) bad(expected ? 'removed' : 'edited', 'the file does not start with its header');
          if (line!.stream !== stream && named) bad('edited', `the header names stream ${String(line!.stream)}, not ${stream}`);
          if (named && line!.file !== file.name) bad('edited', `the header names file ${String(line!.file)} (files were renamed or swapped)`);
          if (total === undefined) total = line!.records as number;
          else if (line!.records !== total) bad('edited', `the header counts ${String(line!.records)} records before this file, the log has ${total}`);
        } else if (line!.type === 'header') {
          bad('edited', 'a header in the middle of a file');
        }
        if (line!.type === 'request') {
          fileRecords += 1;
          total = (total ?? 0) + 1;
          records += 1;
        }
        if (line!.type === 'checkpoint' && (line!.file_records !== fileRecords || line!.records !== total)) {
          bad('removed', `the checkpoint counts ${String(line!.file_records)} records in this file and ${String(line!.records)} in the log; there are ${fileRecords} and ${total}`);
        }
        if (line!.type === 'retention') retained.push(...((line!.removed as AuditRetention['removed']) ?? []));
        expected = { seq: seq + 1, prev: line!.hash as string };
        head = { seq, hash: line!.hash as string };
        hashes.add(head.hash);
        lines += 1;
        last = line;
      });
      if (texts.length === 0) throw new Bad({ file: file.name, line: 1, kind: 'truncated', message: 'the file is empty' });
      if (fileIndex < files.length - 1 && !(last?.type === 'checkpoint' && last.reason === 'rotate')) {
        throw new Bad({ file: file.name, line: texts.length, kind: 'truncated', message: 'the file does not end with its rotation checkpoint (lines were removed from its end)' });
      }
    });
    if (chainStart && !options.standalone) {
      const start = chainStart;
      const explained = retained.some((r) => r.last_hash === start.prev && r.last_seq === start.seq - 1);
      if (!explained) {
        return report({
          file: start.at.file,
          line: start.at.line,
          kind: 'removed',
          message: `the log starts at record ${start.seq}: earlier files are missing and no retention record says they were removed`,
        });
      }
    }
    if (options.expectHead && !hashes.has(options.expectHead)) {
      const lastFile = files[files.length - 1];
      return report({
        file: lastFile?.name ?? '',
        line: lastFile ? splitLines(lastFile.text).length : 0,
        kind: 'truncated',
        message: `the log never reaches the expected head ${options.expectHead} (records were removed from its end, or it was rewritten)`,
      });
    }
    return report();
  } catch (error) {
    if (error instanceof Bad) return report(error.problem);
    throw error;
  }
}

/** Lines of a file; a last piece without a newline is kept (it is reported as truncated). */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function parse(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Where each sequence number first appears, to tell a record that moved from one that is gone. */
function indexSequenceNumbers(files: readonly AuditFileText[]): Map<number, Position> {
  const at = new Map<number, Position>();
  files.forEach((file, fileIndex) =>
    splitLines(file.text).forEach((text, i) => {
      const seq = parse(text)?.seq;
      if (typeof seq === 'number' && !at.has(seq)) at.set(seq, { file: file.name, fileIndex, line: i + 1 });
    }),
  );
  return at;
}

function after(a: Position, b: Position): boolean {
  return a.fileIndex > b.fileIndex || (a.fileIndex === b.fileIndex && a.line > b.line);
}
