// Audit log write cost: records per second through the real writer (hash chain, canonical JSON,
// group commit with fdatasync), for Envoy-sized batches, next to a baseline that appends the same
// lines with no chain and no sync. Run: node --import tsx bench/audit-write.ts [records]
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditStreamWriter } from '../xds-server/src/audit/audit-writer.ts';
import { callRecord, SETTINGS, TEST_KEY } from '../testkit/audit-fixtures.ts';

const total = Number(process.argv[2] ?? 50_000);

async function writer(batch: number, inFlight: number): Promise<{ perSecond: number; syncs: number[]; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-audit-'));
  const syncs: number[] = [];
  let bytes = 0;
  const w = await AuditStreamWriter.open({
    dir,
    stream: 'bench',
    key: TEST_KEY,
    anchorDir: join(dir, 'anchors'),
    settings: SETTINGS,
    onWrite: (_lines, b, seconds) => {
      syncs.push(seconds);
      bytes += b;
    },
  });
  const digest = `sha256:${'ab'.repeat(32)}`;
  const records = Array.from({ length: total }, (_, i) => callRecord(i, { arguments: { digest, mode: 'redacted', value: { query: `refund ${i}` } } }));
  const started = process.hrtime.bigint();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i += batch) {
    pending.push(w.append(records.slice(i, i + batch)));
    if (pending.length >= inFlight) await pending.shift();
  }
  await Promise.all(pending);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await w.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: total / seconds, syncs, bytes };
}

function baseline(batch: number, sync: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-audit-'));
  const fd = openSync(join(dir, 'plain.jsonl'), 'a');
  const lines = Array.from({ length: total }, (_, i) => JSON.stringify(callRecord(i)));
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i += batch) {
    writeSync(fd, `${lines.slice(i, i + batch).join('\n')}\n`);
    if (sync) fdatasyncSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return total / seconds;
}

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
console.log(`audit write benchmark, ${total} records`);
for (const [batch, inFlight] of [
  [1, 1],
  [10, 1],
  [100, 1],
  [100, 8],
] as const) {
  const r = await writer(batch, inFlight);
  const ms = (q: number) => `${(pct(r.syncs, q) * 1000).toFixed(2)} ms`;
  console.log(
    `writer  batch ${String(batch).padStart(3)}, ${inFlight} in flight: ${Math.round(r.perSecond).toString().padStart(7)} records/s, ` +
      `${r.syncs.length} write+fdatasync, p50 ${ms(0.5)}, p99 ${ms(0.99)}, ${(r.bytes / total).toFixed(0)} bytes/record`,
  );
}
for (const batch of [1, 100]) {
  const plain = Math.round(baseline(batch, false));
  const synced = Math.round(baseline(batch, true));
  console.log(`baseline batch ${String(batch).padStart(3)}: plain append ${plain} records/s; append + fdatasync ${synced} records/s`);
}
