// Audit with several control-plane replicas on one folder. Two writers on one stream break its
// chain (the bug: `reordered: record 2 comes after record 2`); each replica therefore writes its
// own stream (`<gateway>.<replica>`), a lock refuses a second writer on a stream (naming the
// holder) and is taken over when its holder died, and `audit verify` and `report costs` read the
// folder of many streams: each stream its own chain, the report over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditPath } from '../../audit/src/verify-path.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { AuditLog } from '../../xds-server/src/audit/audit-log.ts';
import { AuditStreamWriter } from '../../xds-server/src/audit/audit-writer.ts';
import { AuditLockError, lockPath } from '../../xds-server/src/audit/stream-lock.ts';
import { tempDir } from '../../testkit/repo.ts';
import { callRecord, files, sealing, SETTINGS, writeKeyFile } from '../../testkit/audit-fixtures.ts';

let work: { path: string; remove(): void };
beforeEach(() => {
  work = tempDir('gatehouse-audit-replicas-');
});
afterEach(() => work.remove());
const dir = () => join(work.path, 'audit');

function replicaLog(replica?: string, onStaleLock?: (stream: string) => void): AuditLog {
  writeKeyFile(dir());
  return new AuditLog({ dir: dir(), ...(replica ? { replica } : {}), settings: () => SETTINGS, ...(onStaleLock ? { onStaleLock } : {}) });
}

describe('several writers on one audit folder', () => {
  it('two writers on one stream break its chain (what a second replica did before streams were per replica)', async () => {
    const open = () => AuditStreamWriter.open({ dir: dir(), stream: 'edge', ...sealing(dir()), settings: SETTINGS });
    const [a, b] = [await open(), await open()];
    await a.append([callRecord(1)]);
    await b.append([callRecord(2)]);
    await Promise.all([a.close(), b.close()]);
    writeKeyFile(dir());
    const verified = verifyAuditPath(dir());
    if ('error' in verified) throw new Error(verified.error);
    expect(verified.reports[0]?.problem).toMatchObject({ kind: 'reordered', message: expect.stringContaining('comes after') as unknown });
  });

  it('gives each replica its own stream; every stream verifies and report costs counts the calls of all', async () => {
    const [a, b] = [replicaLog('cp-a'), replicaLog('cp-b')];
    await a.configure(['edge']);
    await b.configure(['edge']);
    for (let i = 0; i < 10; i += 1) await (i % 2 === 0 ? a : b).append([callRecord(i, { cost: 0.001 })]);
    await Promise.all([a.close(), b.close()]);
    expect(files(dir())).toEqual(['edge.cp-a-000001.jsonl', 'edge.cp-b-000001.jsonl']);
    const verified = verifyAuditPath(dir());
    if ('error' in verified) throw new Error(verified.error);
    expect(verified.reports.map((r) => [r.stream, r.records, r.problem])).toEqual([['edge.cp-a', 5, undefined], ['edge.cp-b', 5, undefined]]);
    const bin = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
    const verify = await run(process.execPath, [bin, 'audit', 'verify', dir()], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const report = await run(process.execPath, [bin, 'report', 'costs', '--audit', dir(), '--format', 'json'], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    expect(report.code, report.stderr).toBe(0);
    expect((JSON.parse(report.stdout) as { total: { calls: number } }).total.calls).toBe(10);
  });

  it('refuses a second writer on the same stream, naming the process that holds it; the stream stays intact', async () => {
    const first = replicaLog('cp-a');
    await first.configure(['edge']);
    const second = replicaLog('cp-a');
    const refused = second.configure(['edge']);
    await expect(refused).rejects.toBeInstanceOf(AuditLockError);
    await expect(refused).rejects.toThrow(`process ${String(process.pid)} on ${hostname()}`);
    await first.append([callRecord(1)]);
    await first.close();
    await second.close();
    const verified = verifyAuditPath(dir());
    if ('error' in verified) throw new Error(verified.error);
    expect(verified.reports.map((r) => [r.stream, r.records, r.problem])).toEqual([['edge.cp-a', 1, undefined]]);
    expect(existsSync(lockPath(dir(), 'edge.cp-a'))).toBe(false);
  });

  it('takes over the lock of a writer on this host that was killed', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    mkdirSync(dir(), { recursive: true });
    writeFileSync(lockPath(dir(), 'edge.cp-a'), `${JSON.stringify({ pid: dead, host: hostname(), since: '2026-11-01T09:00:00.000Z' })}\n`);
    const stale: string[] = [];
    const log = replicaLog('cp-a', (stream) => stale.push(stream));
    await log.configure(['edge']);
    await log.append([callRecord(1)]);
    await log.close();
    expect(stale).toEqual(['edge.cp-a']);
  });

  it('refuses a lock held on another host (whether its process lives cannot be told from here)', async () => {
    mkdirSync(dir(), { recursive: true });
    writeFileSync(lockPath(dir(), 'edge.cp-a'), `${JSON.stringify({ pid: 1, host: 'elsewhere', since: '2026-11-01T09:00:00.000Z' })}\n`);
    await expect(replicaLog('cp-a').configure(['edge'])).rejects.toThrow('process 1 on elsewhere');
  });
});
