// What a restart finds at the end of a stream's newest file (pure): where the chain goes on, and
// the incomplete last line a crash left (never acknowledged: an append resolves only after its
// newline reached the disk), which is to be cut off.
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

export function readNewestFile(bytes: Uint8Array): NewestFile {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const lines = Buffer.from(bytes.subarray(0, end)).toString('utf8').split('\n').slice(0, -1);
  if (lines.length === 0) return { kind: 'empty' };
  const parsed = lines.map(parseLine);
  const header = parsed[0];
  const last = parsed[parsed.length - 1];
  if (header?.type !== 'header') return { kind: 'unreadable', reason: 'it does not start with a header' };
  if (typeof last?.hash !== 'string' || typeof last.seq !== 'number') return { kind: 'unreadable', reason: 'its last line is not a record' };
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

/** The last complete line of a file, parsed (for the retention record of a file about to be deleted). */
export function lastLine(bytes: Uint8Array): Json | undefined {
  const lines = Buffer.from(bytes).toString('utf8').split('\n').filter((l) => l !== '');
  return parseLine(lines[lines.length - 1] ?? '');
}

function parseLine(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
