import { describe, expect, it } from 'vitest';
import { AUDIT_FORMAT, GENESIS, sealLine, type AuditBody } from '../../../artifacts/src/audit/audit-line.ts';
import { auditKeyOf } from '../../../artifacts/src/audit/audit-key.ts';
import { callRecord, TEST_KEY } from '../../../testkit/audit-fixtures.ts';
import { readNewestFile } from './tail-recovery.ts';

const HEADER: AuditBody = {
  type: 'header', format: AUDIT_FORMAT, key_id: TEST_KEY.id, stream: 'edge', file: 'edge-000002.jsonl', file_index: 2, records: 10,
  time: '2026-11-01T09:00:00.000Z',
};

/** Seals bodies into a file's text, chained from GENESIS. */
function fileOf(bodies: readonly AuditBody[]): { text: string; last: { seq: number; hash: string } } {
  let prev = GENESIS;
  const lines = bodies.map((body, seq) => {
    const sealed = sealLine(body, seq, prev, TEST_KEY);
    prev = sealed.hash;
    return sealed.text;
  });
  return { text: `${lines.join('\n')}\n`, last: { seq: bodies.length - 1, hash: prev } };
}

const bytes = (text: string) => Buffer.from(text);

describe('readNewestFile', () => {
  it('continues after the last line, counting the header\'s records and the file\'s', () => {
    const { text, last } = fileOf([HEADER, callRecord(1), callRecord(2)]);
    expect(readNewestFile(bytes(text), TEST_KEY)).toEqual({
      kind: 'continues',
      chain: { seq: last.seq + 1, prev: last.hash, records: 12 },
      end: Buffer.byteLength(text),
      tail: bytes(''),
      fileRecords: 2,
      startedMs: Date.parse('2026-11-01T09:00:00.000Z'),
      closed: false,
    });
  });

  it('marks the incomplete last line as the tail to cut off', () => {
    const { text, last } = fileOf([HEADER, callRecord(1)]);
    const found = readNewestFile(bytes(`${text}{"arguments":nu`), TEST_KEY);
    expect(found).toMatchObject({ kind: 'continues', end: Buffer.byteLength(text), tail: bytes('{"arguments":nu'), chain: { seq: last.seq + 1 } });
  });

  it('knows a file closed by its rotation checkpoint', () => {
    const { text } = fileOf([HEADER, callRecord(1), { type: 'checkpoint', reason: 'rotate', records: 11, file_records: 1, time: HEADER.time }]);
    expect(readNewestFile(bytes(text), TEST_KEY)).toMatchObject({ kind: 'continues', closed: true });
  });

  it('an empty file, or one with only a partial first line, recorded nothing', () => {
    expect(readNewestFile(bytes(''), TEST_KEY)).toEqual({ kind: 'empty' });
    expect(readNewestFile(bytes('{"file":"edge'), TEST_KEY)).toEqual({ kind: 'empty' });
  });

  it('refuses a file that does not start with a header', () => {
    const { text } = fileOf([callRecord(1)]);
    expect(readNewestFile(bytes(text), TEST_KEY)).toEqual({ kind: 'unreadable', reason: 'it does not start with a header' });
  });

  it('refuses a file edited, re-sealed with another key, or cut short of its anchor', () => {
    const { text, last } = fileOf([HEADER, callRecord(1), callRecord(2)]);
    const edited = text.replace('"team":"support"', '"team":"finance"');
    expect(readNewestFile(bytes(edited), TEST_KEY)).toEqual({ kind: 'unreadable', reason: 'line 2 does not match its MAC: it was tampered with' });
    const other = auditKeyOf(Buffer.alloc(32, 1));
    expect(readNewestFile(bytes(text), other)).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('sealed with key') as unknown });
    const dropped = `${text.split('\n').slice(0, 2).join('\n')}\n`;
    const anchorMissing = expect.stringContaining('its anchor names') as unknown;
    expect(readNewestFile(bytes(dropped), TEST_KEY, last)).toMatchObject({ kind: 'unreadable', reason: anchorMissing });
    expect(readNewestFile(bytes(text), TEST_KEY, last)).toMatchObject({ kind: 'continues' });
  });
});
