// The anchored audit log (format v2): lines sealed with HMAC-SHA256 under the audit key, chain
// heads anchored outside the log. `gatehouse audit verify` catches records cut from the end, a
// record deleted or moved, and a whole log rebuilt (with plain sha256, with another key, or with
// the key but shorter than its anchors say); a writer restarting on a tampered file refuses it.
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditKeyOf, type AuditKey } from '../../artifacts/src/audit/audit-key.ts';
import { AUDIT_FORMAT, GENESIS, LEGACY_AUDIT_FORMAT, sealLine, sha256Hex, type AuditBody } from '../../artifacts/src/audit/audit-line.ts';
import { canonicalJson, legacyCanonicalJson } from '../../artifacts/src/audit/canonical-json.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { AuditStreamWriter } from '../../xds-server/src/audit/audit-writer.ts';
import { tempDir } from '../../testkit/repo.ts';
import { files, lines, sealing, SETTINGS, TEST_KEY, verifyDir, writeKeyFile, writeLog } from '../../testkit/audit-fixtures.ts';

let work: { path: string; remove(): void };
beforeEach(() => {
  work = tempDir('gatehouse-audit-anchors-');
});
afterEach(() => work.remove());

const dir = () => join(work.path, 'audit');
const anchorFile = () => join(work.path, 'audit-anchors', 'edge.anchors.jsonl');
const pathOf = (name: string) => join(dir(), name);
const newest = () => files(dir()).at(-1)!;
const keep = (name: string, kept: readonly string[]) => writeFileSync(pathOf(name), `${kept.join('\n')}\n`);
const problem = () => verifyDir(dir()).problem;
const OTHER_KEY = auditKeyOf(Buffer.alloc(32, 0x33));

type Line = AuditBody & { seq: number; prev: string; hash: string };
const parsed = (name: string) => lines(dir(), name).map((l) => JSON.parse(l) as Line);
const CHAIN_FIELDS = ['seq', 'prev', 'hash'];
const bodyOf = (line: Line) => Object.fromEntries(Object.entries(line).filter(([k]) => !CHAIN_FIELDS.includes(k))) as unknown as AuditBody;

/** Re-seals a file's lines from its first line's prev, as a rewriter would: `seal` makes each line's text and hash. */
function reseal(name: string, seal: (body: AuditBody, seq: number, prev: string) => { text: string; hash: string }, edit = (b: AuditBody) => b): void {
  const old = parsed(name);
  let prev = old[0]!.prev;
  keep(name, old.map((line) => {
    const sealed = seal(edit(bodyOf(line)), line.seq, prev);
    prev = sealed.hash;
    return sealed.text;
  }));
}

/** The v1 construction: plain sha256 of the (v1) canonical JSON, which anyone can recompute. */
const sealSha256 = (canonical: (v: unknown) => string) => (body: AuditBody, seq: number, prev: string) => {
  const unsealed = { ...body, seq, prev };
  const hash = sha256Hex(canonical(unsealed));
  return { text: canonical({ ...unsealed, hash }), hash };
};
const sealWith = (key: AuditKey) => (body: AuditBody, seq: number, prev: string) => sealLine(body, seq, prev, key);
const toFinance = (body: AuditBody): AuditBody => (body.type === 'request' ? { ...body, team: 'finance' } : body);

describe('audit verify with the key and the anchors', () => {
  it('an intact log verifies, anchored at its last checkpoint', async () => {
    await writeLog(dir(), 12, { rotateBytes: 4096 });
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    expect(report).toMatchObject({ format: 'v2', records: 12, anchored: { seq: report.head!.seq, linesAfter: 0 } });
  });

  it('catches the last records dropped from the newest file, however many', async () => {
    await writeLog(dir(), 10);
    const all = lines(dir(), newest());
    for (const dropped of [1, 2, 5]) {
      keep(newest(), all.slice(0, -dropped));
      const removed = expect.stringContaining('records were removed from its end') as unknown;
      expect(problem(), `${dropped} dropped`).toMatchObject({ kind: 'truncated', message: removed });
    }
  });

  it('catches the newest file of a rotated set deleted whole', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    unlinkSync(pathOf(newest()));
    expect(problem()).toMatchObject({ kind: 'truncated' });
  });

  it('catches records dropped and the file closed again by a key holder (the anchors are out of reach)', async () => {
    await writeLog(dir(), 10);
    const all = parsed(newest());
    const kept = all.slice(0, -4);
    const last = kept.at(-1)!;
    const records = kept.filter((l) => l.type === 'request').length;
    const checkpoint: AuditBody = { type: 'checkpoint', reason: 'shutdown', records, file_records: records, time: '2026-11-01T10:00:00.000Z' };
    keep(newest(), [...lines(dir(), newest()).slice(0, -4), sealLine(checkpoint, last.seq + 1, last.hash, TEST_KEY).text]);
    expect(problem()).toMatchObject({ kind: 'truncated', message: expect.stringContaining('the log ends at seq') as unknown });
  });

  it('catches a record deleted from the middle, and two records swapped', async () => {
    await writeLog(dir(), 10);
    const all = lines(dir(), newest());
    keep(newest(), all.filter((_, i) => i !== 6));
    expect(problem()).toMatchObject({ line: 7, kind: 'removed' });
    keep(newest(), [...all.slice(0, 5), all[6]!, all[5]!, ...all.slice(7)]);
    expect(problem()).toMatchObject({ line: 6, kind: 'reordered' });
  });

  it('catches a whole log rebuilt with plain sha256 (as v1 sealed it), in either format', async () => {
    await writeLog(dir(), 10);
    reseal(newest(), sealSha256(canonicalJson), toFinance);
    expect(problem()).toMatchObject({ line: 1, kind: 'edited', message: 'the record does not match its own hash' });
    // Passed off as a legacy v1 log: refused unless asked for, and then its anchors give it away.
    reseal(newest(), sealSha256(legacyCanonicalJson), (b) => (b.type === 'header' ? ({ ...b, format: LEGACY_AUDIT_FORMAT } as unknown as AuditBody) : b));
    expect(problem()).toMatchObject({ line: 1, kind: 'unverifiable' });
    expect(verifyDir(dir(), { legacy: true }).problem).toMatchObject({ kind: 'edited', message: expect.stringContaining('the log was rebuilt') as unknown });
  });

  it('catches a whole log rebuilt under another key', async () => {
    await writeLog(dir(), 10);
    reseal(newest(), sealWith(OTHER_KEY), (b) => toFinance(b.type === 'header' ? { ...b, key_id: OTHER_KEY.id } : b));
    expect(problem()).toMatchObject({ line: 1, kind: 'edited', message: expect.stringContaining(`sealed with key ${OTHER_KEY.id}`) as unknown });
    reseal(newest(), sealWith(OTHER_KEY), (b) => (b.type === 'header' ? { ...b, key_id: TEST_KEY.id } : b));
    expect(problem()).toMatchObject({ line: 1, kind: 'edited', message: 'the record does not match its own hash' });
    expect(verifyDir(dir(), { key: OTHER_KEY }).problem).toMatchObject({ line: 1, kind: 'edited' });
  });

  it('fails when the anchors are missing, or were left by a longer log', async () => {
    await writeLog(dir(), 10);
    const ofLonger = readFileSync(anchorFile(), 'utf8');
    rmSync(anchorFile());
    expect(problem()).toMatchObject({ kind: 'unanchored' });
    // A shorter log, sealed with the same key, in place of the one the anchors saw.
    rmSync(dir(), { recursive: true });
    await writeLog(dir(), 3);
    writeFileSync(anchorFile(), ofLonger);
    expect(problem()).toMatchObject({ kind: 'edited', message: expect.stringContaining('the log was rebuilt') as unknown });
    writeFileSync(anchorFile(), `${ofLonger.split('\n').at(-2)!}\n`);
    expect(problem()).toMatchObject({ kind: 'truncated', message: expect.stringContaining('records were removed from its end') as unknown });
  });
});

describe('a restart on a tampered file', () => {
  const reopen = (key = TEST_KEY) => AuditStreamWriter.open({ dir: dir(), stream: 'edge', ...sealing(dir()), key, settings: SETTINGS });

  it.each([
    ['an edited record', (all: string[]) => all.map((l, i) => (i === 4 ? l.replace('"team":"support"', '"team":"finance"') : l)), /line 5 does not match its MAC/],
    ['records cut from the end', (all: string[]) => all.slice(0, -3), /does not hold line \d+ its anchor names/],
    ['a record removed', (all: string[]) => all.filter((_, i) => i !== 3), /line 4 does not follow the line before it/],
  ])('refuses to append after %s, and leaves the file as it was', async (_what, tamper, reason) => {
    await writeLog(dir(), 8);
    keep(newest(), tamper(lines(dir(), newest())));
    const before = readFileSync(pathOf(newest()));
    await expect(reopen()).rejects.toThrow(reason);
    await expect(reopen()).rejects.toThrow(/cannot continue the audit log/);
    expect(readFileSync(pathOf(newest()))).toEqual(before);
  });

  it('refuses a folder whose anchored files are gone, and a key other than the log\'s', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    await expect(reopen(OTHER_KEY)).rejects.toThrow(/sealed with key/);
    unlinkSync(pathOf(newest()));
    await expect(reopen()).rejects.toThrow(/its anchor .* says it reached edge-\d+\.jsonl line \d+, but the newest file is/);
  });
});

describe('format versions', () => {
  const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
  const gatehouse = (args: string[]) => run(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });

  it('a legacy v1 log verifies only with --legacy, reported as legacy; a v2 writer will not append to it', async () => {
    const time = '2026-11-01T09:00:00.000Z';
    const header = { type: 'header', format: LEGACY_AUDIT_FORMAT, stream: 'edge', file: 'edge-000001.jsonl', file_index: 1, records: 0, time };
    let prev = GENESIS;
    const v1 = [header, { type: 'checkpoint', reason: 'start', records: 0, file_records: 0, time: header.time }].map((body, seq) => {
      const sealed = sealSha256(legacyCanonicalJson)(body as unknown as AuditBody, seq, prev);
      prev = sealed.hash;
      return sealed.text;
    });
    await writeLog(dir(), 0);
    rmSync(anchorFile());
    keep(files(dir())[0]!, v1);
    const refused = await gatehouse(['audit', 'verify', dir()]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('unverifiable: a legacy v1 log');
    const legacy = await gatehouse(['audit', 'verify', dir(), '--legacy']);
    expect(legacy.code, legacy.stdout).toBe(0);
    expect(legacy.stdout).toContain('LEGACY v1');
    const writer = AuditStreamWriter.open({ dir: dir(), stream: 'edge', ...sealing(dir()), settings: SETTINGS });
    await expect(writer).rejects.toThrow(/format gatehouse.dev\/audit\/v1, not gatehouse.dev\/audit\/v2/);
  });

  it('audit verify takes the key and the anchors from where it is told', async () => {
    await writeLog(dir(), 5);
    const keyFile = writeKeyFile(join(work.path, 'elsewhere', 'x'));
    cpSync(join(work.path, 'audit-anchors'), join(work.path, 'offsite'), { recursive: true });
    rmSync(join(work.path, 'audit-anchors'), { recursive: true });
    const ok = await gatehouse(['audit', 'verify', dir(), '--key-file', keyFile, '--anchors', join(work.path, 'offsite')]);
    expect(ok.code, ok.stdout).toBe(0);
    const wrongKey = writeKeyFile(join(work.path, 'wrong', 'x'), OTHER_KEY);
    const bad = await gatehouse(['audit', 'verify', dir(), '--key-file', wrongKey, '--anchors', join(work.path, 'offsite')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`sealed with key ${TEST_KEY.id}, not the key given (${OTHER_KEY.id})`);
    expect((await gatehouse(['audit', 'verify', dir(), '--key-file', join(work.path, 'none')])).code).toBe(2);
    expect(AUDIT_FORMAT).toBe('gatehouse.dev/audit/v2');
  });
});
