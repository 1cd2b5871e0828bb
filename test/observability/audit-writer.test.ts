// The audit writer: rotation by size and age, retention by count and age (recorded, so the chain
// still verifies), checkpoints, restarts that continue the chain, and recovery from a crash in the
// middle of a write. The crash test kills a writer process with SIGKILL, again and again, and
// checks that every record whose append had resolved is in the log (process death; a power cut is
// simulated in audit-power-cut.test.ts).
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { AuditStreamWriter, type StreamSettings } from '../../xds-server/src/audit/audit-writer.ts';
import type { AuditFileIo } from '../../xds-server/src/audit/file-io.ts';
import { nodeFileIo } from '../../xds-server/src/audit/node-file-io.ts';
import { tempDir } from '../../testkit/repo.ts';
import { callRecord, fakeClock, files, lines, requestRecords, sealing, SETTINGS, verifyDir, writeLog } from '../../testkit/audit-fixtures.ts';

let work: { path: string; remove(): void };
beforeEach(() => {
  work = tempDir('gatehouse-audit-writer-');
});
afterEach(() => work.remove());
const dir = () => join(work.path, 'audit');
const open = (settings: Partial<StreamSettings>, now?: () => number) =>
  AuditStreamWriter.open({ dir: dir(), stream: 'edge', ...sealing(dir()), settings: { ...SETTINGS, ...settings }, ...(now ? { now } : {}) });
const types = (file: string) => lines(dir(), file).map((l) => JSON.parse(l) as { type: string; reason?: string });

describe('rotation', () => {
  it('starts a new file when the current one reaches rotateBytes; the old one ends with a rotate checkpoint', async () => {
    await writeLog(dir(), 30, { rotateBytes: 4096 });
    const names = files(dir());
    expect(names[0]).toBe('edge-000001.jsonl');
    expect(names.length).toBeGreaterThan(2);
    for (const name of names.slice(0, -1)) {
      expect(types(name).at(-1)).toMatchObject({ type: 'checkpoint', reason: 'rotate' });
      expect(readFileSync(join(dir(), name)).length).toBeLessThan(4096 + 2048);
    }
    for (const name of names) expect(types(name)[0]).toMatchObject({ type: 'header', file: name });
    expect(verifyDir(dir()).records).toBe(30);
  });

  it('starts a new file when the current one is older than rotateAge', async () => {
    const clock = fakeClock();
    const writer = await open({ rotateAgeMs: 3_600_000 }, clock.now);
    await writer.append([callRecord(1)]);
    clock.advance(3_599_000);
    await writer.append([callRecord(2)]);
    expect(files(dir())).toEqual(['edge-000001.jsonl']);
    clock.advance(2_000);
    await writer.append([callRecord(3)]);
    await writer.close();
    expect(files(dir())).toEqual(['edge-000001.jsonl', 'edge-000002.jsonl']);
    expect(verifyDir(dir())).toMatchObject({ records: 3 });
  });
});

describe('retention', () => {
  it('keeps the newest `retainFiles` files and records what it deleted; the rest still verifies', async () => {
    await writeLog(dir(), 60, { rotateBytes: 4096, retainFiles: 2 });
    const names = files(dir());
    expect(names.length).toBe(2);
    expect(names[0]).not.toBe('edge-000001.jsonl');
    const retention = names.flatMap((n) => types(n)).filter((l) => l.type === 'retention');
    expect(retention.length).toBeGreaterThan(0);
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    expect(report.records).toBeLessThan(60);
    expect(report.head?.seq).toBeGreaterThan(60);
  });

  it('deletes closed files older than retainAge, at the next rotation', async () => {
    await writeLog(dir(), 30, { rotateBytes: 4096 });
    const before = files(dir());
    const old = (Date.now() - 10 * 86_400_000) / 1000;
    utimesSync(join(dir(), before[0]!), old, old);
    await writeLog(dir(), 30, { rotateBytes: 4096, retainAgeMs: 86_400_000 });
    expect(files(dir())).not.toContain(before[0]);
    expect(files(dir())).toContain(before[1]);
    expect(verifyDir(dir()).problem).toBeUndefined();
  });
});

describe('checkpoints', () => {
  afterEach(() => vi.useRealTimers());

  it('every checkpointRecords records, on an interval when records came in, at start and at shutdown', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const writer = await open({ checkpointRecords: 4, checkpointIntervalMs: 50 });
    await writer.append([1, 2, 3, 4, 5].map((i) => callRecord(i)));
    const reasons = () => types('edge-000001.jsonl').filter((l) => l.type === 'checkpoint').map((c) => c.reason);
    expect(reasons()).toEqual(['start', 'records']);
    vi.advanceTimersByTime(49);
    await writer.append([]);
    expect(reasons()).toEqual(['start', 'records']);
    // The interval passes with one record since the last checkpoint; then again with none.
    vi.advanceTimersByTime(1);
    await writer.append([]);
    expect(reasons()).toEqual(['start', 'records', 'interval']);
    vi.advanceTimersByTime(50);
    await writer.close();
    const checkpoints = types('edge-000001.jsonl').filter((l) => l.type === 'checkpoint');
    expect(checkpoints.map((c) => c.reason)).toEqual(['start', 'records', 'interval', 'shutdown']);
    expect(checkpoints.map((c) => (c as unknown as { records: number }).records)).toEqual([0, 4, 5, 5]);
  });
});

describe('anchors', () => {
  it('an anchor that cannot be written fails no commit, so no record is sealed twice; the next checkpoint anchors them', async () => {
    let anchorsWritten = 0;
    const errors: string[] = [];
    const io: AuditFileIo = {
      ...nodeFileIo,
      async openAppend(path) {
        const file = await nodeFileIo.openAppend(path);
        if (!path.endsWith('.anchors.jsonl')) return file;
        return {
          ...file,
          append: async (bytes) => {
            // The start checkpoint's anchor lands; the next one, after the records, does not.
            if (++anchorsWritten === 2) throw new Error('anchor volume full');
            await file.append(bytes);
          },
        };
      },
    };
    const writer = await AuditStreamWriter.open({
      dir: dir(), stream: 'edge', ...sealing(dir()), settings: { ...SETTINGS, checkpointRecords: 2 }, io, retryMs: 10,
      onError: (error) => errors.push(error.message),
    });
    await writer.append([callRecord(1), callRecord(2)]);
    await writer.close();
    expect(errors).toEqual(['anchor volume full']);
    expect(requestRecords(dir()).map((r) => r.request_id)).toEqual([callRecord(1).request_id, callRecord(2).request_id]);
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    expect(report.anchored?.linesAfter).toBe(0);
  });
});

describe('restarts', () => {
  it('a restart continues the chain of the newest file', async () => {
    await writeLog(dir(), 5);
    await writeLog(dir(), 5);
    expect(files(dir())).toEqual(['edge-000001.jsonl']);
    expect(types('edge-000001.jsonl').filter((l) => l.type === 'checkpoint').map((c) => c.reason)).toEqual(['start', 'shutdown', 'start', 'shutdown']);
    expect(verifyDir(dir())).toMatchObject({ records: 10 });
  });

  it('an incomplete last line left by a crash is cut off and recorded, and the chain goes on', async () => {
    await writeLog(dir(), 5);
    appendFileSync(join(dir(), 'edge-000001.jsonl'), '{"arguments":null,"bytes":{"rece');
    expect(verifyDir(dir()).problem).toMatchObject({ kind: 'truncated' });
    await writeLog(dir(), 3);
    const recovery = types('edge-000001.jsonl').find((l) => l.type === 'recovery');
    expect(recovery).toMatchObject({ discarded_bytes: 32 });
    expect(verifyDir(dir())).toMatchObject({ records: 8 });
    expect(verifyDir(dir()).problem).toBeUndefined();
  });

  it('survives SIGKILL of the writer process at any moment: every acknowledged record is in the log, which verifies', async () => {
    // Process death only: the kernel keeps what was written, so this passes without fdatasync too.
    // What the sync buys (surviving a power cut) is tested in audit-power-cut.test.ts.
    const acked = new Set<number>();
    let start = 0;
    for (let round = 0; round < 6; round++) {
      const childScript = join(PROJECT_ROOT, 'test/observability/fixtures/audit-writer-child.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir(), String(start)], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (!child.killed && out.includes('ready') && (out.match(/acked/g)?.length ?? 0) > 20 + round * 7) child.kill('SIGKILL');
        });
        child.once('exit', (code, signal) => {
          if (signal === 'SIGKILL') resolve();
          else reject(new Error(`the writer exited (code ${String(code)}) before it was killed: ${out.slice(-300)}`));
        });
      });
      for (const [, a, b] of out.matchAll(/acked (\d+)-(\d+)\n/g)) for (let i = Number(a); i <= Number(b); i++) acked.add(i);
      start = Math.max(...acked, start) + 1000;
    }
    // The last kill may have cut a line in half: as after any crash, the next start repairs the
    // tail (and records the repair) before the log is judged.
    await (await open({ rotateBytes: 256 * 1024, checkpointRecords: 50 })).close();
    const report = verifyDir(dir());
    expect(report.problem).toBeUndefined();
    const written = new Set(requestRecords(dir()).map((r) => Number(r.request_id.slice(4))));
    const lost = [...acked].filter((i) => !written.has(i));
    expect(acked.size).toBeGreaterThan(150);
    expect(lost).toEqual([]);
  }, 120_000);
});
