// The hash chain and `gatehouse audit verify`: an intact log (one file or a rotated set) verifies;
// an edited, removed, reordered or truncated record is caught at the right line, with the reason.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FORMAT, expectedHash, sealLine } from '../../artifacts/src/audit/audit-line.ts';
import { canonicalJson } from '../../artifacts/src/audit/canonical-json.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { tempDir } from '../../testkit/repo.ts';
import type { StreamReport } from '../../audit/src/verify.ts';
import { files, lines, TEST_KEY, verifyDir, writeKeyFile, writeLog } from '../../testkit/audit-fixtures.ts';

let work: { path: string; remove(): void };
beforeEach(() => {
  work = tempDir('gatehouse-audit-');
});
afterEach(() => work.remove());

const dir = () => join(work.path, 'audit');
const first = () => join(dir(), files(dir())[0]!);
const rewrite = (file: string, edit: (lines: string[]) => string[]) => {
  writeFileSync(file, `${edit(readFileSync(file, 'utf8').split('\n').slice(0, -1)).join('\n')}\n`);
};
const problem = () => verifyDir(dir()).problem;

describe('an intact log verifies', () => {
  it('one file: header, start checkpoint, records, shutdown checkpoint', async () => {
    await writeLog(dir(), 12);
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    expect(report.records).toBe(12);
    const types = lines(dir(), files(dir())[0]!).map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['header', 'checkpoint', ...Array<string>(12).fill('request'), 'checkpoint']);
  });

  it('every line is canonical JSON carrying its own hash and the previous one', async () => {
    await writeLog(dir(), 3);
    const parsed = lines(dir(), files(dir())[0]!).map((l) => JSON.parse(l) as Record<string, unknown>);
    parsed.forEach((line, i) => {
      expect(canonicalJson(line)).toBe(lines(dir(), files(dir())[0]!)[i]);
      expect(line.hash).toBe(expectedHash(line, AUDIT_FORMAT, TEST_KEY));
      expect(line.seq).toBe(i);
      if (i > 0) expect(line.prev).toBe(parsed[i - 1]!.hash);
    });
    expect(parsed[0]!.prev).toBe('0'.repeat(64));
  });

  it('a rotated set, each file chained to the one before', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    expect(files(dir()).length).toBeGreaterThanOrEqual(3);
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    expect(report.records).toBe(40);
  });
});

describe('tampering is caught at the first bad line', () => {
  it('an edited record', async () => {
    await writeLog(dir(), 10);
    rewrite(first(), (l) => l.map((line, i) => (i === 5 ? line.replace('"team":"support"', '"team":"finance"') : line)));
    expect(problem()).toMatchObject({ line: 6, kind: 'edited', message: 'the record does not match its own hash' });
  });

  it('an edited record whose MAC was recomputed (with the key) breaks the link of the next', async () => {
    await writeLog(dir(), 10);
    rewrite(first(), (l) =>
      l.map((line, i) => {
        if (i !== 5) return line;
        const edited = JSON.parse(line.replace('"cost":0.0002', '"cost":0')) as Record<string, unknown>;
        return canonicalJson({ ...edited, hash: expectedHash(edited, AUDIT_FORMAT, TEST_KEY) });
      }),
    );
    expect(problem()).toMatchObject({ line: 7, kind: 'edited' });
    expect(problem()!.message).toContain('does not chain to the line before it');
  });

  it('a record rewritten in another JSON form', async () => {
    await writeLog(dir(), 4);
    rewrite(first(), (l) => l.map((line, i) => (i === 3 ? JSON.stringify(JSON.parse(line), null, 0).replace('{', '{ ') : line)));
    expect(problem()).toMatchObject({ line: 4, kind: 'edited', message: 'the line is not in canonical form (it was rewritten)' });
  });

  it('a removed record', async () => {
    await writeLog(dir(), 10);
    rewrite(first(), (l) => l.filter((_, i) => i !== 4));
    expect(problem()).toMatchObject({ line: 5, kind: 'removed', message: 'record 4 is missing before this line' });
  });

  it('two reordered records', async () => {
    await writeLog(dir(), 10);
    rewrite(first(), (l) => [...l.slice(0, 4), l[5]!, l[4]!, ...l.slice(6)]);
    expect(problem()).toMatchObject({ line: 5, kind: 'reordered', message: expect.stringContaining('record 4 should come here') as unknown });
  });

  it('a record moved earlier', async () => {
    await writeLog(dir(), 10);
    rewrite(first(), (l) => [...l.slice(0, 3), l[8]!, ...l.slice(3, 8), ...l.slice(9)]);
    expect(problem()).toMatchObject({ line: 4, kind: 'reordered' });
  });

  it('a file cut in the middle of a record', async () => {
    await writeLog(dir(), 10);
    const text = readFileSync(first(), 'utf8');
    writeFileSync(first(), text.slice(0, text.length - 40));
    const report = verifyDir(dir());
    expect(report.problem).toMatchObject({ line: lines(dir(), files(dir())[0]!).length, kind: 'truncated' });
  });

  it('records cut from the end of a rotated file', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    const file = join(dir(), files(dir())[1]!);
    const kept = lines(dir(), files(dir())[1]!).slice(0, -2);
    writeFileSync(file, `${kept.join('\n')}\n`);
    expect(problem()).toMatchObject({ file: files(dir())[1], line: kept.length, kind: 'truncated' });
  });

  it('records cut from the end of the newest file, against a head recorded earlier', async () => {
    await writeLog(dir(), 10);
    const all = lines(dir(), files(dir())[0]!);
    const head = (JSON.parse(all[all.length - 1]!) as { hash: string }).hash;
    expect(verifyDir(dir(), { expectHead: head }).problem).toBeUndefined();
    writeFileSync(first(), `${all.slice(0, -3).join('\n')}\n`);
    expect(verifyDir(dir(), { expectHead: head }).problem).toMatchObject({ line: all.length - 3, kind: 'truncated' });
  });

  it('a deleted file in the middle of a rotated set', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    unlinkSync(join(dir(), files(dir())[1]!));
    expect(problem()).toMatchObject({ file: files(dir())[1], line: 1, kind: 'removed' });
  });

  it('the oldest file deleted without a retention record', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    unlinkSync(first());
    expect(problem()).toMatchObject({ line: 1, kind: 'removed', message: expect.stringContaining('no retention record') as unknown });
  });

  it('two rotated files swapped by renaming', async () => {
    await writeLog(dir(), 40, { rotateBytes: 4096 });
    const [a, b] = files(dir()).map((f) => join(dir(), f));
    renameSync(a!, `${a}.tmp`);
    renameSync(b!, a!);
    renameSync(`${a}.tmp`, b!);
    expect(problem()).toMatchObject({ line: 1 });
  });

  it('a forged line appended with a valid hash but no link', async () => {
    await writeLog(dir(), 3);
    const all = lines(dir(), files(dir())[0]!);
    const checkpoint = { type: 'checkpoint', reason: 'interval', records: 3, file_records: 3, time: '2026-11-01T09:00:00.000Z' } as const;
    const forged = sealLine(checkpoint, all.length, 'f'.repeat(64), TEST_KEY);
    writeFileSync(first(), `${[...all, forged.text].join('\n')}\n`);
    expect(problem()).toMatchObject({ line: all.length + 1, kind: 'edited' });
  });
});

describe('gatehouse audit verify', () => {
  const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
  const gatehouse = (args: string[]) => run(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });

  it('exits 0 on an intact log and 1 naming the first bad line', async () => {
    await writeLog(dir(), 20, { rotateBytes: 4096 });
    const unkeyed = await gatehouse(['audit', 'verify', dir()]);
    expect(unkeyed.code).toBe(1);
    expect(unkeyed.stdout).toContain('unverifiable: a v2 log is sealed with the audit key: give it (--key-file)');
    writeKeyFile(dir());
    const ok = await gatehouse(['audit', 'verify', dir()]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^OK {6}edge: 20 records, (\d+) lines, \d files, head (\d+) [0-9a-f]{64}, anchored at \2 \(0 lines after it not provable against truncation\)\n$/);
    const single = await gatehouse(['audit', 'verify', join(dir(), files(dir())[1]!)]);
    expect(single.code, single.stdout).toBe(0);

    rewrite(first(), (l) => l.filter((_, i) => i !== 3));
    const bad = await gatehouse(['audit', 'verify', dir(), '--format', 'json']);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as StreamReport[])[0]!.problem).toMatchObject({ file: files(dir())[0], line: 4, kind: 'removed' });
    const text = await gatehouse(['audit', 'verify', first()]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`FAILED  edge: ${files(dir())[0]}:4: removed: record 3 is missing before this line`);
  });

  it('exits 2 on usage errors', async () => {
    expect((await gatehouse(['audit', 'check', dir()])).code).toBe(2);
    expect((await gatehouse(['audit', 'verify', join(dir(), 'nope')])).code).toBe(2);
  });
});
