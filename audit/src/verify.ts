// Verifies one audit stream (a gateway's files, oldest first): every line canonical and matching
// its own hash, every line chained to the one before, sequence numbers without gaps, counts in
// headers and checkpoints right, and every rotated file closed by its rotation checkpoint. Stops
// at the first bad line and says why. Pure: the caller reads the files; each check returns what
// it found (line-checks.ts), nothing is thrown.
import type { AuditRetention } from '../../artifacts/src/audit/audit-line.ts';
import { parseAuditFileName } from '../../artifacts/src/audit/audit-files.ts';
import {
  checkCounts,
  checkLink,
  checkPlace,
  parseJsonObject,
  readChainedLine,
  splitLines,
  type Finding,
  type Position,
  type ProblemKind,
} from './line-checks.ts';

export interface AuditFileText {
  readonly name: string;
  readonly text: string;
}

export type { ProblemKind } from './line-checks.ts';

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

export interface VerifyOptions {
  /** A hash recorded earlier (the head on the control plane's /status) that the log must still contain. */
  readonly expectHead?: string;
  /** One file checked on its own, which may start in the middle of its log. */
  readonly standalone?: boolean;
}

/** How far the walk along the chain got. */
interface Walk {
  /** The seq and prev the next line must carry (none before the first line). */
  next?: { readonly seq: number; readonly prev: string };
  /** Where the log starts when its first line is not seq 0 (earlier files gone). */
  start?: { readonly seq: number; readonly prev: string; readonly at: Position };
  /** Request records in the log up to here (from the first header on). */
  total?: number;
  lines: number;
  records: number;
  head: StreamReport['head'];
  readonly retained: AuditRetention['removed'][number][];
  readonly hashes: Set<string>;
}

/** `files` are one stream's files, oldest first. */
export function verifyStream(stream: string, files: readonly AuditFileText[], options: VerifyOptions = {}): StreamReport {
  const walk: Walk = { lines: 0, records: 0, head: null, retained: [], hashes: new Set() };
  const seqAt = indexSequenceNumbers(files);
  let problem: VerifyProblem | undefined;
  for (const [fileIndex, file] of files.entries()) {
    problem ??= walkFile(stream, file, { fileIndex, last: fileIndex === files.length - 1 }, walk, seqAt);
  }
  problem ??= unexplainedStart(walk, options) ?? missingHead(files, walk, options);
  return { stream, files: files.map((f) => f.name), lines: walk.lines, records: walk.records, head: walk.head, ...(problem ? { problem } : {}) };
}

/** Checks a file's lines in order, advancing `walk`; the first problem, if any. */
function walkFile(
  stream: string,
  file: AuditFileText,
  place: { readonly fileIndex: number; readonly last: boolean },
  walk: Walk,
  seqAt: ReadonlyMap<number, Position>,
): VerifyProblem | undefined {
  const texts = splitLines(file.text);
  const named = parseAuditFileName(file.name) !== undefined;
  const problem = (line: number, finding: Finding): VerifyProblem => ({ file: file.name, line, ...finding });
  let fileRecords = 0;
  let lastLine: { readonly type: unknown; readonly reason: unknown } | undefined;
  for (const [i, text] of texts.entries()) {
    const at: Position = { file: file.name, fileIndex: place.fileIndex, line: i + 1 };
    const read = readChainedLine(text, i === texts.length - 1 && !file.text.endsWith('\n'));
    if ('kind' in read) return problem(at.line, read);
    const { json: line } = read;
    const linkFinding = checkLink(read, walk.next, at, seqAt);
    if (linkFinding) return problem(at.line, linkFinding);
    if (!walk.next && read.seq !== 0) walk.start = { seq: read.seq, prev: read.prev, at };
    const placeFinding = checkPlace(line, { first: i === 0, afterEarlierLines: walk.next !== undefined, stream, file: file.name, named, total: walk.total });
    if (placeFinding) return problem(at.line, placeFinding);
    if (i === 0) walk.total ??= line.records as number;
    if (line.type === 'request') {
      fileRecords += 1;
      walk.total = (walk.total ?? 0) + 1;
      walk.records += 1;
    }
    const countFinding = checkCounts(line, fileRecords, walk.total);
    if (countFinding) return problem(at.line, countFinding);
    if (line.type === 'retention') walk.retained.push(...(line.removed as AuditRetention['removed'] | undefined ?? []));
    walk.next = { seq: read.seq + 1, prev: read.hash };
    walk.head = { seq: read.seq, hash: read.hash };
    walk.hashes.add(read.hash);
    walk.lines += 1;
    lastLine = { type: line.type, reason: line.reason };
  }
  if (texts.length === 0) return problem(1, { kind: 'truncated', message: 'the file is empty' });
  if (!place.last && !(lastLine?.type === 'checkpoint' && lastLine.reason === 'rotate')) {
    return problem(texts.length, { kind: 'truncated', message: 'the file does not end with its rotation checkpoint (lines were removed from its end)' });
  }
  return undefined;
}

/** A log that starts after seq 0 must say (in a retention record) that its earlier files were deleted. */
function unexplainedStart(walk: Walk, options: VerifyOptions): VerifyProblem | undefined {
  const { start } = walk;
  if (!start || options.standalone) return undefined;
  if (walk.retained.some((r) => r.last_hash === start.prev && r.last_seq === start.seq - 1)) return undefined;
  return {
    file: start.at.file,
    line: start.at.line,
    kind: 'removed',
    message: `the log starts at record ${start.seq}: earlier files are missing and no retention record says they were removed`,
  };
}

/** The log must still contain the head recorded earlier. */
function missingHead(files: readonly AuditFileText[], walk: Walk, options: VerifyOptions): VerifyProblem | undefined {
  if (!options.expectHead || walk.hashes.has(options.expectHead)) return undefined;
  const lastFile = files[files.length - 1];
  return {
    file: lastFile?.name ?? '',
    line: lastFile ? splitLines(lastFile.text).length : 0,
    kind: 'truncated',
    message: `the log never reaches the expected head ${options.expectHead} (records were removed from its end, or it was rewritten)`,
  };
}

/** Where each sequence number first appears, to tell a record that moved from one that is gone. */
function indexSequenceNumbers(files: readonly AuditFileText[]): Map<number, Position> {
  const at = new Map<number, Position>();
  for (const [fileIndex, file] of files.entries()) {
    for (const [i, text] of splitLines(file.text).entries()) {
      const seq = parseJsonObject(text)?.seq;
      if (typeof seq === 'number' && !at.has(seq)) at.set(seq, { file: file.name, fileIndex, line: i + 1 });
    }
  }
  return at;
}
