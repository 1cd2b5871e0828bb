// Verifies one audit stream (a gateway's files, oldest first): every line canonical and matching
// its own hash (format v2: its HMAC under the audit key), every line chained to the one before,
// sequence numbers without gaps, counts in headers and checkpoints right, every rotated file closed
// by its rotation checkpoint, and the stream's anchors (kept outside the audit files) all naming
// lines the log still holds. Stops at the first problem and says why. Pure: the caller reads the
// files; each check returns what it found (line-checks.ts, anchor-checks.ts), nothing is thrown.
import type { AnchorFile } from '../../artifacts/src/audit/audit-anchor.ts';
import { parseAuditFileName } from '../../artifacts/src/audit/audit-files.ts';
import type { AuditKey } from '../../artifacts/src/audit/audit-key.ts';
import { AUDIT_FORMAT, LEGACY_AUDIT_FORMAT, type AuditFormat, type AuditRetention } from '../../artifacts/src/audit/audit-line.ts';
import { checkAnchors, type AnchoredLine } from './anchor-checks.ts';
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
  /** `v2` (keyed, anchored) or `v1` (legacy: plain sha256, no anchors); null when unknown. */
  readonly format: 'v1' | 'v2' | null;
  readonly files: readonly string[];
  readonly lines: number;
  /** Request records checked. */
  readonly records: number;
  /** The last line checked: its seq and hash (the head of the chain when intact). */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** The newest anchor the log matches, and the lines after it, which no anchor proves were not cut off. */
  readonly anchored: { readonly seq: number; readonly file: string; readonly time: string; readonly linesAfter: number } | null;
  readonly problem?: VerifyProblem;
}

export interface VerifyOptions {
  /** The audit key (needed for v2 logs). */
  readonly key?: AuditKey;
  /** The stream's anchor file: where it was looked for, and what it holds (absent: no such file). */
  readonly anchors?: { readonly path: string; readonly file?: AnchorFile };
  /** Check a legacy v1 log's plain hash chain (which anyone can recompute) instead of refusing it. */
  readonly legacy?: boolean;
  /** A hash recorded earlier (the head on the control plane's /status) that the log must still contain. */
  readonly expectHead?: string;
  /** One file checked on its own, which may start in the middle of its log. */
  readonly standalone?: boolean;
}

/** How far the walk along the chain got. */
interface Walk {
  readonly format: AuditFormat;
  readonly key: AuditKey | undefined;
  /** The seq and prev the next line must carry (none before the first line). */
  next?: { readonly seq: number; readonly prev: string };
  /** Where the log starts when its first line is not seq 0 (earlier files gone). */
  start?: { readonly seq: number; readonly prev: string; readonly at: Position };
  /** Request records in the log up to here (from the first header on). */
  total?: number;
  lines: number;
  records: number;
  head: StreamReport['head'];
  end: Position;
  readonly retained: AuditRetention['removed'][number][];
  readonly hashes: Set<string>;
  /** The lines at the seqs the anchors name. */
  readonly anchoredLines: Map<number, AnchoredLine>;
}

/** `files` are one stream's files, oldest first. */
export function verifyStream(stream: string, files: readonly AuditFileText[], options: VerifyOptions = {}): StreamReport {
  const format = formatOf(files);
  const base = { stream, format: format === LEGACY_AUDIT_FORMAT ? 'v1' : format ? 'v2' : null, files: files.map((f) => f.name) } as const;
  const refused = refusal(format, files, options);
  if (refused) return { ...base, lines: 0, records: 0, head: null, anchored: null, problem: refused };
  const wanted = new Set(options.anchors?.file?.anchors.map((a) => a.seq));
  const walk: Walk = {
    format: format ?? AUDIT_FORMAT,
    key: options.key,
    lines: 0,
    records: 0,
    head: null,
    end: { file: files[0]?.name ?? '', fileIndex: 0, line: 0 },
    retained: [],
    hashes: new Set(),
    anchoredLines: new Map(),
  };
  const seqAt = indexSequenceNumbers(files);
  let problem: VerifyProblem | undefined;
  for (const [fileIndex, file] of files.entries()) {
    problem ??= walkFile(stream, file, { fileIndex, last: fileIndex === files.length - 1 }, walk, { seqAt, wanted });
  }
  problem ??= unexplainedStart(walk, options) ?? missingHead(walk, options);
  const anchors = problem ? {} : anchorCheck(walk, options);
  problem ??= anchors.problem;
  const anchored = anchors.anchored && walk.head
    ? { seq: anchors.anchored.seq, file: anchors.anchored.file, time: anchors.anchored.time, linesAfter: walk.head.seq - anchors.anchored.seq }
    : null;
  return { ...base, lines: walk.lines, records: walk.records, head: walk.head, anchored, ...(problem ? { problem } : {}) };
}

/** The format the log's first header names (undefined when it names none). */
function formatOf(files: readonly AuditFileText[]): AuditFormat | undefined {
  const first = parseJsonObject(splitLines(files[0]?.text ?? '')[0] ?? '');
  return first?.format === AUDIT_FORMAT || first?.format === LEGACY_AUDIT_FORMAT ? first.format : undefined;
}

/** A log that cannot be checked as asked: v2 without the key, v1 without `legacy`. */
function refusal(format: AuditFormat | undefined, files: readonly AuditFileText[], options: VerifyOptions): VerifyProblem | undefined {
  const at = { file: files[0]?.name ?? '', line: 1, kind: 'unverifiable' } as const;
  if (format === LEGACY_AUDIT_FORMAT && !options.legacy) {
    return { ...at, message: 'a legacy v1 log (plain sha256, no key, no anchors): anyone could have rewritten it; pass --legacy to check its chain anyway' };
  }
  if (format === AUDIT_FORMAT && !options.key) return { ...at, message: 'a v2 log is sealed with the audit key: give it (--key-file)' };
  return undefined;
}

/** Checks a file's lines in order, advancing `walk`; the first problem, if any. */
function walkFile(
  stream: string,
  file: AuditFileText,
  place: { readonly fileIndex: number; readonly last: boolean },
  walk: Walk,
  index: { readonly seqAt: ReadonlyMap<number, Position>; readonly wanted: ReadonlySet<number> },
): VerifyProblem | undefined {
  const texts = splitLines(file.text);
  const named = parseAuditFileName(file.name) !== undefined;
  const problem = (line: number, finding: Finding): VerifyProblem => ({ file: file.name, line, ...finding });
  let fileRecords = 0;
  let lastLine: { readonly type: unknown; readonly reason: unknown } | undefined;
  for (const [i, text] of texts.entries()) {
    const at: Position = { file: file.name, fileIndex: place.fileIndex, line: i + 1 };
    const read = readChainedLine(text, i === texts.length - 1 && !file.text.endsWith('\n'), walk.format, walk.key);
    if ('kind' in read) return problem(at.line, read);
    const { json: line } = read;
    const linkFinding = checkLink(read, walk.next, at, index.seqAt);
    if (linkFinding) return problem(at.line, linkFinding);
    if (!walk.next && read.seq !== 0) walk.start = { seq: read.seq, prev: read.prev, at };
    const placeFinding = checkPlace(line, {
      first: i === 0, afterEarlierLines: walk.next !== undefined, stream, file: file.name, format: walk.format, named, total: walk.total,
    });
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
    if (index.wanted.has(read.seq)) walk.anchoredLines.set(read.seq, { ...at, hash: read.hash });
    walk.next = { seq: read.seq + 1, prev: read.hash };
    walk.head = { seq: read.seq, hash: read.hash };
    walk.end = at;
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
function missingHead(walk: Walk, options: VerifyOptions): VerifyProblem | undefined {
  if (!options.expectHead || walk.hashes.has(options.expectHead)) return undefined;
  return {
    file: walk.end.file,
    line: walk.end.line,
    kind: 'truncated',
    message: `the log never reaches the expected head ${options.expectHead} (records were removed from its end, or it was rewritten)`,
  };
}

/** The anchors against the walked log; a v2 log needs at least one (a v1 log has none, unless it replaced an anchored one). */
function anchorCheck(walk: Walk, options: VerifyOptions): ReturnType<typeof checkAnchors> {
  const { anchors } = options;
  const checked = anchors?.file
    ? checkAnchors({
        anchors: anchors.file,
        path: anchors.path,
        found: walk.anchoredLines,
        start: walk.start?.seq ?? 0,
        head: walk.head,
        end: walk.end,
        ...(options.standalone ? { onlyFile: walk.end.file } : {}),
      })
    : {};
  if (checked.problem || checked.anchored || walk.format !== AUDIT_FORMAT || options.standalone) return checked;
  const where = options.anchors ? `in ${options.anchors.path}` : '(no anchor file given)';
  const message = `no anchor of this log ${where}: whether records were cut from its end cannot be checked`;
  return { problem: { file: walk.end.file, line: walk.end.line, kind: 'unanchored', message } };
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
