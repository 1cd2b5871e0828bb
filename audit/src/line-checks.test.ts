import { describe, expect, it } from 'vitest';
import { AUDIT_FORMAT, GENESIS, sealLine } from '../../artifacts/src/audit/audit-line.ts';
import { callRecord, TEST_KEY } from '../../testkit/audit-fixtures.ts';
import { checkCounts, checkLink, readChainedLine, type ChainedLine } from './line-checks.ts';

const sealed = sealLine(callRecord(1), 0, GENESIS, TEST_KEY);
const read = (text: string, incomplete: boolean) => readChainedLine(text, incomplete, AUDIT_FORMAT, TEST_KEY);
const at = { file: 'edge-000001.jsonl', fileIndex: 0, line: 3 };

describe('readChainedLine', () => {
  it('returns the line when it is sound, and a finding (never an exception) when not', () => {
    expect(read(sealed.text, false)).toMatchObject({ seq: 0, prev: GENESIS, hash: sealed.hash });
    expect(read(sealed.text, true)).toMatchObject({ kind: 'truncated' });
    expect(read('not json', false)).toEqual({ kind: 'edited', message: 'the line is not a JSON object' });
    const edited = sealed.text.replace('"support"', '"finance"');
    expect(read(edited, false)).toEqual({ kind: 'edited', message: 'the record does not match its own hash' });
    expect(readChainedLine(sealed.text, false, AUDIT_FORMAT, undefined)).toMatchObject({ kind: 'unverifiable' });
  });
});

describe('checkLink', () => {
  const line = read(sealLine(callRecord(5), 5, 'a'.repeat(64), TEST_KEY).text, false) as ChainedLine;

  it('tells a removed record from a moved one', () => {
    expect(checkLink(line, { seq: 4, prev: 'a'.repeat(64) }, at, new Map())).toEqual({ kind: 'removed', message: 'record 4 is missing before this line' });
    const later = new Map([[4, { ...at, line: 9 }]]);
    expect(checkLink(line, { seq: 4, prev: 'a'.repeat(64) }, at, later)).toMatchObject({ kind: 'reordered' });
  });

  it('accepts the next line of the chain', () => {
    expect(checkLink(line, { seq: 5, prev: 'a'.repeat(64) }, at, new Map())).toBeUndefined();
    expect(checkLink(line, { seq: 5, prev: 'b'.repeat(64) }, at, new Map())).toMatchObject({ kind: 'edited' });
  });
});

describe('checkCounts', () => {
  it('a checkpoint must count the records before it', () => {
    const checkpoint = { type: 'checkpoint', records: 12, file_records: 2 };
    expect(checkCounts(checkpoint, 2, 12)).toBeUndefined();
    expect(checkCounts(checkpoint, 1, 11)).toEqual({
      kind: 'removed',
      message: 'the checkpoint counts 2 records in this file and 12 in the log; there are 1 and 11',
    });
  });
});
