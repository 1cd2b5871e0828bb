// What a restart finds in a stream's newest file (pure): where the chain goes on, and the
// incomplete last line a crash left (never acknowledged: an append resolves only after its newline
// reached the disk), which is to be cut off. Before the writer appends to the file again, every
// complete line is checked under the key (canonical, sealed, chained, seq without gaps) and
// against the newest anchor when it names this file: a file that was edited, rewritten or cut
// short is `unreadable`, and the writer refuses to go on with it (audit-file-set.ts).
import type { AuditAnchor } from '../../../artifacts/src/audit/audit-anchor.ts';
import type { AuditKey } from '../../../artifacts/src/audit/audit-key.ts';
import { AUDIT_FORMAT, canonicalLine, expectedHash } from '../../../artifacts/src/audit/audit-line.ts';
import type { ChainPosition } from './audit-chain.ts';

export type NewestFile =
  /** Not even a header reached the disk: nothing was recorded in this file. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | {
    readonly kind: 'continues';
    readonly chain: ChainPosition;
    /** Bytes up to the end of the last complete line. */
    readonly end: number;
    /** The incomplete last line, to cut off (empty when the file ends with a newline). */
    readonly tail: Uint8Array;
    /** Request records in this file. */
    readonly fileRecords: number;
    /** When the file was started (its header's time), for rotation by age. */
    readonly startedMs: number | undefined;
    /** The previous run closed this file (its rotation checkpoint is the last line) but died before starting the next. */
    readonly closed: boolean;
  };

type Json = Record<string, unknown>;

/** `anchor`: the newest anchor of the stream when it names this file. */
export function readNewestFile(bytes: Uint8Array, key: AuditKey, anchor?: Pick<AuditAnchor, 'seq' | 'hash'>): NewestFile {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const texts = Buffer.from(bytes.subarray(0, end)).toString('utf8').split('\n').slice(0, -1);
  if (texts.length === 0) return { kind: 'empty' };
  const parsed = texts.map(parseLine);
  const header = parsed[0];
  if (header?.type !== 'header') return { kind: 'unreadable', reason: 'it does not start with a header' };
  if (header.format !== AUDIT_FORMAT) {
    return { kind: 'unreadable', reason: `it is in format ${String(header.format)}, not ${AUDIT_FORMAT}; move the old log aside` };
  }
  if (header.key_id !== key.id) return { kind: 'unreadable', reason: `it is sealed with key ${String(header.key_id)}, not the audit key (${key.id})` };
  const broken = firstBrokenLine(texts, parsed, key);
  if (broken) return { kind: 'unreadable', reason: `line ${broken.line} ${broken.why}: it was tampered with` };
  const last = parsed[parsed.length - 1] as Json & { seq: number; hash: string };
  if (anchor && !parsed.some((l) => l?.seq === anchor.seq && l.hash === anchor.hash)) {
    return { kind: 'unreadable', reason: `it does not hold line ${anchor.seq} its anchor names (records were removed from its end, or it was rewritten)` };
  }
  const fileRecords = parsed.filter((l) => l?.type === 'request').length;
  const started = typeof header.time === 'string' ? Date.parse(header.time) : NaN;
  return {
    kind: 'continues',
    chain: { seq: last.seq + 1, prev: last.hash, records: Number(header.records) + fileRecords },
    end,
    tail: bytes.subarray(end),
    fileRecords,
    startedMs: Number.isNaN(started) ? undefined : started,
    closed: last.type === 'checkpoint' && last.reason === 'rotate',
  };
}

/** The first line (1-based) that is not canonical, not sealed under the key, or not chained to the one before it. */
function firstBrokenLine(texts: readonly string[], parsed: readonly (Json | undefined)[], key: AuditKey): { line: number; why: string } | undefined {
  for (const [i, line] of parsed.entries()) {
    const at = i + 1;
    if (!line || canonicalLine(line, AUDIT_FORMAT) !== texts[i]) return { line: at, why: 'is not a canonical record' };
    if (line.hash !== expectedHash(line, AUDIT_FORMAT, key)) return { line: at, why: 'does not match its MAC' };
    const before = parsed[i - 1];
    if (before && (line.seq !== Number(before.seq) + 1 || line.prev !== before.hash)) return { line: at, why: 'does not follow the line before it' };
  }
  return undefined;
}

/** The last complete line of a file, parsed (for the retention record of a file about to be deleted). */
export function lastLine(bytes: Uint8Array): Json | undefined {
  const lines = Buffer.from(bytes).toString('utf8').split('\n').filter((l) => l !== '');
  return parseLine(lines[lines.length - 1] ?? '');
}

function parseLine(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
