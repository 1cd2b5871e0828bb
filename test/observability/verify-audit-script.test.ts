// scripts/verify-audit.py, the documented check of the v2 format in another language (Python 3,
// standard library only), against logs the real writer produced: records with the values that
// make canonical forms differ (integer-like keys, non-ASCII and control characters, floats in
// exponent form) verify, under the key and against the anchors; a cut or another key fails.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditKeyOf } from '../../artifacts/src/audit/audit-key.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { AuditStreamWriter } from '../../xds-server/src/audit/audit-writer.ts';
import { tempDir } from '../../testkit/repo.ts';
import { callRecord, files, lines, sealing, SETTINGS, verifyDir, writeKeyFile } from '../../testkit/audit-fixtures.ts';

let work: { path: string; remove(): void };
beforeEach(() => {
  work = tempDir('gatehouse-audit-script-');
});
afterEach(() => work.remove());
const dir = () => join(work.path, 'audit');
const anchors = () => join(work.path, 'audit-anchors', 'edge.anchors.jsonl');
const python = (keyFile: string, path = dir()) =>
  run('python3', [join(PROJECT_ROOT, 'scripts', 'verify-audit.py'), '--key-file', keyFile, '--anchors', anchors(), path], { timeoutMs: 60_000 });

const TRICKY = { 10: 'ten', 9: 'nine', a: [1e-7, 1e21, 4.5, -0.25, 123456789.125], é: 'caf\u00e9 \u2028 \u000f "q" \\', '\u{1F600}': 'emoji', '\u0080': 'c1' };

async function writeTrickyLog(): Promise<number> {
  const settings = { ...SETTINGS, rotateBytes: 4096, checkpointRecords: 7 };
  const writer = await AuditStreamWriter.open({ dir: dir(), stream: 'edge', ...sealing(dir()), settings });
  const raw = { digest: `sha256:${'cd'.repeat(32)}`, mode: 'raw', value: TRICKY } as const;
  let count = 0;
  for (let batch = 0; batch < 6; batch++) {
    const records = Array.from({ length: 4 }, (_, i) => callRecord(count + i, { arguments: raw }));
    count += records.length;
    await writer.append(records);
  }
  await writer.close();
  return count;
}

describe('scripts/verify-audit.py', () => {
  it('verifies a log the writer produced, and agrees with gatehouse on its head', async () => {
    const count = await writeTrickyLog();
    expect(files(dir()).length).toBeGreaterThan(2);
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    const result = await python(writeKeyFile(dir()));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const head = `head ${report.head!.seq} ${report.head!.hash}`;
    expect(result.stdout).toContain(`OK      ${count} records, ${files(dir()).length} files, ${head}, anchored at ${report.head!.seq}`);
  });

  it('fails on records cut from the end, and under another key', async () => {
    await writeTrickyLog();
    const keyFile = writeKeyFile(dir());
    const newest = files(dir()).at(-1)!;
    writeFileSync(join(dir(), newest), `${lines(dir(), newest).slice(0, -2).join('\n')}\n`);
    const cut = await python(keyFile);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain('records removed from its end');
    const other = await python(writeKeyFile(join(work.path, 'other', 'x'), auditKeyOf(Buffer.alloc(32, 9))));
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/FAILED {2}edge-000001\.jsonl:1: sealed with key [0-9a-f]{16}, not this key/);
  });
});
